"""Stage 1 with a memory: parse every Markdown source, converting only what changed.

A source is re-read only when its size, mtime, ctime or inode changed since the last
build, or when its mtime is too close to the moment that build looked at it (a write in
the same clock tick could keep the mtime: git's "racily clean" rule).  The stats are the
ones the no-change check's fingerprint took just before, when the CLI took one (one walk
of content/ per build, see :meth:`SourceParser.parse`); the index (:mod:`.cache.stat_index`)
is then dated from that moment.  Its parse is
reused when its source digest (its bytes, its place and the parse digest) is known;
otherwise it is parsed again, on every core when there are many.

Documents come back light: their bodies (Markdown text, converted HTML) stay in the body
store (:class:`sitegen.cache.packs.BodyStore`), appended to a pack of the process that converted
them (one pack per worker), and are read only where a page needs them.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from . import alarm
from .bodies import BodyCache
from .cache.codec import Invalid
from .cache.digests import generator_digest
from .cache.files import RACY_NS, CacheFolder, Stat, load_checked, save_quietly, stat_tuple
from .cache.packs import BodyStore, StoredBody
from .cache.parses import ParseCache
from .cache.prune import prune_legacy, prune_media
from .cache.stat_index import STAT_INDEX, StatIndex, decode_index, encode_index
from .config import Config
from .content import Document, ParsedBody, SourceFile, parse_document
from .errors import BuildError, Problem
from .fastpath import Fingerprint
from .frontmatter import split_front_matter
from .markdown_render import discard_converters, prepare
from .parallel import MIN_PARALLEL, TimeLimit, parallel_map
from .shared_values import SentDocument, Sharing


def parse_digest(config: Config) -> str:
    """Digest of everything besides a file's bytes that its parse depends on."""
    from .markdown_render import MARKDOWN_SETTINGS
    from .messages import messages_language

    values = {
        "generator": generator_digest(),
        "markdown": MARKDOWN_SETTINGS,
        "timezone": config.timezone,
        "languages": list(config.languages),
        "news_dir": dict(config.news_dir),
        "messages": messages_language(config.messages_language),
        "root": str(config.root),
        "content": str(config.content_dir),
    }
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def source_digest(parse_digest: str, source: SourceFile, raw_digest: str) -> str:
    """Digest of a parse's inputs: the parse digest, the file's place and its bytes' digest."""
    return hashlib.sha256(f"{parse_digest}\0{source.rel}\0{source.shown}\0{raw_digest}".encode()).hexdigest()


class _Parsed(NamedTuple):
    """A worker's parse result: the document, or what is sent for it when its body is in the
    store (:class:`~sitegen.shared_values.SentDocument`: the main process adds its source and
    the store); a named tuple, pickled without field names (one message per document)."""

    document: Document | SentDocument | None
    problems: tuple[Problem, ...]
    found: tuple[Stat, str] | None = None  # the source's stat and digest, when the worker took them


@dataclass(frozen=True)
class _ParseContext:
    """What a parse worker needs besides its source (inherited by the fork, see :mod:`sitegen.parallel`)."""

    config: Config
    store: BodyStore | None
    parse_digest: str


def _parse_one(context: _ParseContext, item: tuple[SourceFile, str | None]) -> _Parsed:
    """Parse one source; a result worth caching has its body written to the store here, in the
    worker, and comes back without it (a cold build never gathers every body in one process).

    A source sent without its digest (nothing cached could have been found by it: see
    :meth:`SourceParser._by_content`) is stated and hashed here, where it is read anyway."""
    stat = _own_stat(context, item)
    doc, problems = parse_document(item[0], context.config)
    return _stored(context, item, stat, doc, problems)


def _own_stat(context: _ParseContext, item: tuple[SourceFile, str | None]) -> Stat | None:
    """The source's stat, taken before it is read, when its digest is to be found here (see :func:`_parse_one`)."""
    if item[1] is not None or context.store is None:
        return None
    try:
        return stat_tuple(os.stat(item[0].path))
    except OSError:
        return None  # parse_document reports why it cannot be read


def _stored(
    context: _ParseContext,
    item: tuple[SourceFile, str | None],
    stat: Stat | None,
    doc: Document | None,
    problems: list[Problem],
) -> _Parsed:
    """A parse's result, its body written to the store when it is worth caching (see :func:`_parse_one`)."""
    digest = item[1]
    if stat is not None and doc is not None:  # the digest of the bytes just parsed (doc.digest)
        digest = source_digest(context.parse_digest, item[0], doc.digest)
    found = (stat, digest) if stat is not None and digest is not None else None
    if doc is not None and not problems and digest is not None and context.store is not None:
        try:
            place = context.store.save(digest, doc.load_body())
        except (OSError, Invalid):
            pass  # the body stays in the document: a cache that cannot be written is only slower
        else:
            return _Parsed(SentDocument.of(doc, place), (), found)
    return _Parsed(doc, tuple(problems), found)


def _too_slow(seconds: float) -> Callable[[tuple[SourceFile, str | None]], _Parsed]:
    """The result of a source whose conversion passed the time limit (its worker was killed)."""

    def result(item: tuple[SourceFile, str | None]) -> _Parsed:
        source = item[0]
        problem = Problem("convert_too_slow", source.shown, body_start_line(source), {"seconds": f"{seconds:g}"})
        return _Parsed(None, (problem,))

    return result


def _parse_here(
    context: _ParseContext, item: tuple[SourceFile, str | None], seconds: float, progress: _Progress | None
) -> _Parsed:
    """:func:`_parse_one` in this process, stopped by an alarm after ``seconds``.

    An edit converts a document or two: below :data:`~sitegen.parallel.MIN_PARALLEL` they
    would go to one worker, one after the other, and forking it (only so that it could be
    killed) cost more than converting them.  Only the parse is timed, not the body's write."""
    stat = _own_stat(context, item)
    try:
        with alarm.limited(seconds):
            doc, problems = parse_document(item[0], context.config)
    except alarm.TooSlow:
        discard_converters()  # the interrupted converter's state is not to be trusted
        result = _too_slow(seconds)(item)
    else:
        result = _stored(context, item, stat, doc, problems)
    if progress:
        progress.advance()
    return result


def body_start_line(source: SourceFile) -> int | None:
    """The line where the source's body starts (what a time limit cut short), if it can be read."""
    try:
        text = source.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    split, _problems = split_front_matter(text, source.shown)
    return split.body_line if split is not None else 1


class SourceParser:
    """Parses sources through the stat index and the parse cache; one per build (or per serve session)."""

    def __init__(self, config: Config, use_cache: bool = True, taken: Fingerprint | None = None) -> None:
        """``taken``: the fingerprint of the inputs taken just before this build (by the CLI's
        no-change check): the first parse takes the sources' stats from it (see :meth:`parse`)."""
        self.config = config
        self._taken = taken
        self.parse_digest = parse_digest(config)
        self.use_cache = use_cache
        self.cache = CacheFolder(config.cache_dir if use_cache else None)
        notices = self.cache.notices
        self.parses = ParseCache(config.cache_dir, tuple(config.languages), notices)
        self.store = BodyStore(config.cache_dir / "parsed", self._recover, notices) if use_cache else None
        self.index = self._load_index() if use_cache else StatIndex(self.parse_digest)
        self.converted = 0
        self.reused = 0
        # Resolved bodies (see sitegen.bodies): kept with the parses, in memory for serve.
        self.bodies = BodyCache(config.cache_dir if use_cache else None, notices)

    def _load_index(self) -> StatIndex:
        path = self.config.cache_dir / "stat-index.json"
        index: StatIndex | None = load_checked(path, STAT_INDEX, decode_index, self.cache.notices)
        if index is not None and index.parse_digest == self.parse_digest:
            return index
        return StatIndex(self.parse_digest)

    def parse(
        self,
        sources: list[SourceFile],
        jobs: int,
        progress: _Progress | None = None,
        time_limit: float | None = None,
    ) -> tuple[list[Document], list[Problem]]:
        """Every source's document (in ``sources`` order) and the problems found.

        A source that takes longer than ``time_limit`` seconds to convert fails with a problem.

        The sources' stats are the ones the fingerprint given to the parser saw, if one was (one
        walk of content/ instead of two, see :class:`sitegen.fastpath.Fingerprint`), and the new
        index is dated from that moment: a file changed since then keeps its old stat in the
        index, so the next build reads it again (like a write just after a stat of this parse).
        """
        now_ns = time.time_ns()
        taken, self._taken = self._taken, None  # (the stats of one moment: for one parse only)
        if taken is not None:
            now_ns = min(now_ns, taken.taken_ns)
        entries: dict[str, tuple[Stat, str]] = {}
        results: dict[int, Document] = {}
        todo = self._unchanged(sources, results, entries, taken.seen if taken is not None else {})
        to_convert, digests, stats = self._by_content(sources, todo, results, entries)
        if progress:
            progress.advance(len(sources) - len(to_convert))
        parsed = self._convert([(sources[n], digests.get(n)) for n in to_convert], jobs, progress, time_limit)
        problems_of: dict[int, tuple[Problem, ...]] = {}
        sharing = Sharing()  # one object for the values the documents have in common (memory)
        for number, result in zip(to_convert, parsed, strict=True):
            digest = digests.get(number)
            if result.found is not None:  # (taken by the worker: see _by_content)
                stats[number], digest = result.found
            sent, doc = result.document, None
            if isinstance(sent, SentDocument):
                assert digest is not None  # (a body is stored under its source digest only: _stored)
                body = StoredBody(digest, self.store, sharing.place(sent.place))
                doc = results[number] = sharing.received(sent, sources[number], body)
            elif sent is not None:
                doc = results[number] = sharing.document(sent, sources[number])
            problems_of[number] = result.problems
            if digest is not None and doc is not None and not result.problems and self.use_cache:
                self.parses.put(digest, doc)
                entries[sources[number].rel] = (stats[number], digest)
        self.converted, self.reused = len(to_convert), len(sources) - len(to_convert)
        self.index = StatIndex(self.parse_digest, now_ns, entries)
        documents: list[Document] = []
        problems: list[Problem] = []
        for number in range(len(sources)):
            problems += problems_of.get(number, ())
            if number in results:
                documents.append(results[number])
        return documents, problems

    def _unchanged(
        self,
        sources: list[SourceFile],
        results: dict[int, Document],
        entries: dict[str, tuple[Stat, str]],
        seen: Mapping[str, Stat],
    ) -> list[int]:
        """Take the sources whose stat (in ``seen``, else asked for) is the one recorded (and not
        racy) from the cache; the others' numbers."""
        if self.store is None or not self.index.entries:  # (a cold build: nothing to stat for)
            return list(range(len(sources)))
        trusted_before = self.index.taken_ns - RACY_NS
        todo: list[int] = []
        for number, source in enumerate(sources):
            st = seen.get(str(source.path))
            if st is None:
                try:
                    st = stat_tuple(os.stat(source.path))
                except OSError:
                    todo.append(number)
                    continue
            known = self.index.entries.get(source.rel)
            if self.store is not None and known and known[0] == st and st[1] < trusted_before:
                hit = self.parses.get(known[1], source, self.store)
                if hit is not None:
                    results[number] = hit
                    entries[source.rel] = known
                    continue
            todo.append(number)
        return todo

    def _by_content(
        self,
        sources: list[SourceFile],
        todo: list[int],
        results: dict[int, Document],
        entries: dict[str, tuple[Stat, str]],
    ) -> tuple[list[int], dict[int, str], dict[int, Stat]]:
        """Read and hash the sources whose stat changed (or is racy), and look their parse up by content.

        With nothing cached (a cold build), or no cache, no lookup can hit: the sources are not read
        here, and each worker stats and hashes the source it parses (:func:`_parse_one`); at 10 000
        items reading and hashing them all was a serial fifth of a second before the workers started."""
        to_convert: list[int] = []
        digests: dict[int, str] = {}
        stats: dict[int, Stat] = {}
        if self.store is None or self.parses.empty():
            return list(todo), digests, stats
        for number in todo:
            source = sources[number]
            try:
                st = stat_tuple(os.stat(source.path))
                raw = source.path.read_bytes()
            except OSError:
                to_convert.append(number)  # parse_document reports why it cannot be read
                continue
            digest = source_digest(self.parse_digest, source, hashlib.sha1(raw).hexdigest())
            digests[number], stats[number] = digest, st
            hit = self.parses.get(digest, source, self.store) if self.store is not None else None
            if hit is not None:
                results[number] = hit
                entries[source.rel] = (st, digest)
            else:
                to_convert.append(number)
        return to_convert, digests, stats

    def _convert(
        self,
        items: list[tuple[SourceFile, str | None]],
        jobs: int,
        progress: _Progress | None,
        time_limit: float | None,
    ) -> list[_Parsed]:
        """Parse ``items`` on ``jobs`` workers, each conversion within ``time_limit`` seconds (a few
        items in this process under an alarm where it can be ours: :func:`_parse_here`)."""
        if items:
            prepare({source.lang or self.config.default_language for source, _digest in items})
        context = _ParseContext(self.config, self.store, self.parse_digest)
        if time_limit is not None and len(items) < MIN_PARALLEL and alarm.available():
            return [_parse_here(context, item, time_limit, progress) for item in items]
        return parallel_map(
            _parse_one,
            items,
            context,
            jobs,
            progress.advance if progress else None,
            None if time_limit is None else TimeLimit(time_limit, _too_slow(time_limit)),
        )

    def _recover(self, doc: Document) -> ParsedBody:
        """A stored body that is missing or invalid, parsed again from its source, which must
        still be the file this build planned with (same bytes) for the page to be consistent."""
        found, _problems = parse_document(doc.source, self.config)
        if found is None or found.digest != doc.digest:
            raise BuildError([Problem("file_changed_during_build", doc.source.shown, None, {})])
        return found.load_body()

    def save(self) -> list[Problem]:
        """Persist the parse cache and the stat index (after a successful build); the notices of
        this build's cache (entries ignored, files not saved), which are then forgotten."""
        if self.store is not None:
            self.store.close()
            self.parses.save(self.store)  # (and the packs: compacted, swept)
            self.bodies.save()
            path = self.config.cache_dir / "stat-index.json"
            save_quietly(path, STAT_INDEX, encode_index(self.index), self.cache.notices)
            prune_legacy(self.config.cache_dir)
            if self.cache.media_planned and self.cache.media is not None:
                prune_media(self.cache.media, self.cache.used_media)
        self.cache.used_media, self.cache.media_planned = set(), False
        notices = self.cache.notices.problems
        self.cache.notices.problems = []
        return notices


class _Progress(Protocol):  # the part of sitegen.progress.Progress a parse uses
    def advance(self, count: int = 1) -> None: ...
