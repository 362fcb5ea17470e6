"""Stage 1 with a memory: parse every Markdown source, converting only what changed.

A source is re-read only when its size, mtime, ctime or inode changed since the last
build, or when its mtime is too close to the moment that build looked at it (a write in
the same clock tick could keep the mtime: git's "racily clean" rule).  Its parse is
reused when the hash of its bytes, its place and the parse settings are unchanged;
otherwise it is parsed again, on every core when there are many.

Documents come back light: their bodies (Markdown text, converted HTML) stay in the body
store (:class:`sitegen.cache.BodyStore`), written by the process that converted them, and
are read only where a page needs them.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .bodies import BodyCache
from .cache import BodyStore, ParseCache, StoredBody, generator_digest, load_blob, save_blob
from .config import Config
from .content import Document, ParsedBody, SourceFile, parse_document
from .errors import BuildError, Problem
from .frontmatter import split_front_matter
from .parallel import TimeLimit, parallel_map
from .progress import Progress

# An mtime within this distance of the moment it was recorded is not trusted (coarse clocks).
RACY_NS = 3_000_000_000
STAT_MAGIC = b"SGSTAT"


@dataclass
class StatIndex:
    """What the last build saw of each source: ``rel → (stat tuple, parse key)``."""

    settings: str = ""
    taken_ns: int = 0
    entries: dict[str, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)


def stat_tuple(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def parse_settings(config: Config) -> str:
    """Everything besides a file's bytes that its parse depends on."""
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


def parse_key(settings: str, source: SourceFile, raw_digest: str) -> str:
    return hashlib.sha256(f"{settings}\0{source.rel}\0{source.shown}\0{raw_digest}".encode()).hexdigest()


@dataclass(frozen=True)
class _Parsed:
    """A parse result without the absolute path (so the project can move)."""

    document: Document | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _ParseContext:
    """What a parse worker needs besides its source (inherited by the fork, see :mod:`sitegen.parallel`)."""

    config: Config
    store: BodyStore | None


def _parse_one(context: _ParseContext, item: tuple[SourceFile, str | None]) -> _Parsed:
    """Parse one source; a result worth caching has its body written to the store here, in the
    worker, and comes back without it (a cold build never gathers every body in one process)."""
    source, key = item
    doc, problems = parse_document(source, context.config)
    if doc is not None and not problems and key is not None and context.store is not None:
        try:
            context.store.save(key, doc.parsed_body)
        except OSError:
            pass  # the body stays in the document: a cache that cannot be written is only slower
        else:
            doc = replace(doc, parsed_body=StoredBody(key))
    return _Parsed(doc, tuple(problems))


def _too_slow(seconds: float) -> Callable[[tuple[SourceFile, str | None]], _Parsed]:
    """The result of a source whose conversion passed the time limit (its worker was killed)."""

    def result(item: tuple[SourceFile, str | None]) -> _Parsed:
        source = item[0]
        problem = Problem("convert_too_slow", source.shown, body_start_line(source), {"seconds": f"{seconds:g}"})
        return _Parsed(None, (problem,))

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

    def __init__(self, config: Config, use_cache: bool = True) -> None:
        self.config = config
        self.settings = parse_settings(config)
        self.use_cache = use_cache
        self.cache = ParseCache(config.cache_dir)
        self.store = BodyStore(config.cache_dir / "parsed", ParsedBody, self._recover) if use_cache else None
        self.index = StatIndex(self.settings)
        if use_cache:
            loaded = load_blob(config.cache_dir / "stat-index.bin", STAT_MAGIC)
            if isinstance(loaded, StatIndex) and loaded.settings == self.settings:
                self.index = loaded
        self.converted = 0
        self.reused = 0
        # Resolved bodies (see sitegen.bodies): kept with the parses, in memory for serve.
        self.bodies = BodyCache(config.cache_dir / "bodies.bin" if use_cache else None)

    def parse(
        self, sources: list[SourceFile], jobs: int, progress: Progress | None = None, time_limit: float | None = None
    ) -> tuple[list[Document], list[Problem]]:
        """Every source's document (in ``sources`` order) and the problems found.

        A source that takes longer than ``time_limit`` seconds to convert fails with a problem.
        """
        now_ns = time.time_ns()
        trusted_before = self.index.taken_ns - RACY_NS
        entries: dict[str, tuple[tuple[int, int, int, int], str]] = {}
        results: dict[int, _Parsed] = {}
        todo: list[int] = []
        for number, source in enumerate(sources):
            try:
                st = stat_tuple(os.stat(source.path))
            except OSError:
                todo.append(number)
                continue
            known = self.index.entries.get(source.rel)
            if self.use_cache and known and known[0] == st and st[1] < trusted_before:
                hit = self.cache.get(known[1])
                if hit is not None:
                    results[number] = hit
                    entries[source.rel] = known
                    continue
            todo.append(number)
        # Sources whose stat changed (or is racy): read and hash, then look the parse up by content.
        to_convert: list[int] = []
        keys: dict[int, str] = {}
        stats: dict[int, tuple] = {}
        for number in todo:
            source = sources[number]
            try:
                st = stat_tuple(os.stat(source.path))
                raw = source.path.read_bytes()
            except OSError:
                to_convert.append(number)  # parse_document reports why it cannot be read
                continue
            key = parse_key(self.settings, source, hashlib.sha1(raw).hexdigest())
            keys[number], stats[number] = key, st
            hit = self.cache.get(key) if self.use_cache else None
            if hit is not None:
                results[number] = hit
                entries[source.rel] = (st, key)
            else:
                to_convert.append(number)
        if progress:
            progress.advance(len(sources) - len(to_convert))
        parsed = parallel_map(
            _parse_one,
            [(sources[n], keys.get(n)) for n in to_convert],
            _ParseContext(self.config, self.store),
            jobs,
            progress.advance if progress else None,
            None if time_limit is None else TimeLimit(time_limit, _too_slow(time_limit)),
        )
        for number, result in zip(to_convert, parsed, strict=False):
            results[number] = result
            key = keys.get(number)
            if key is not None and result.document is not None and not result.problems:
                # Cached without its SourceFile: the key fixes rel and shown, and the absolute
                # path is this build's (_relocated); unpickling a Path per document was a tenth
                # of a one-edit rebuild.
                self.cache.put(key, replace(result, document=replace(result.document, source=None)))
                entries[sources[number].rel] = (stats[number], key)
        self.converted, self.reused = len(to_convert), len(sources) - len(to_convert)
        self.index = StatIndex(self.settings, now_ns, entries)
        documents, problems = [], []
        for number, source in enumerate(sources):
            result = results[number]
            problems += result.problems
            if result.document is not None:
                if self.store is not None:
                    self.store.bind(result.document.parsed_body)
                documents.append(_relocated(result.document, source))
        return documents, problems

    def _recover(self, doc: Document) -> ParsedBody:
        """A stored body that is missing or corrupt, parsed again from its source, which must
        still be the file this build planned with (same bytes) for the page to be consistent."""
        found, _problems = parse_document(doc.source, self.config)
        if found is None or found.digest != doc.digest:
            raise BuildError([Problem("file_changed_during_build", doc.source.shown, None, {})])
        return found.parsed_body

    def save(self) -> None:
        """Persist the parse cache and the stat index (after a successful build)."""
        if not self.use_cache:
            return
        if self.cache.save():
            self.store.sweep(self.cache.keys())
        self.bodies.save()
        save_blob(self.config.cache_dir / "stat-index.bin", STAT_MAGIC, self.index)


def _relocated(doc: Document, source: SourceFile) -> Document:
    """The cached document (kept without a :class:`SourceFile`) with this build's."""
    return doc if doc.source == source else replace(doc, source=source)
