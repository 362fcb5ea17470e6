"""Page bodies with their links resolved, remembered between builds.

Rewriting the links of every body (a regular expression over all the HTML, a lookup per
link) was a third of a one-edit rebuild, and its result only depends on:

* the document's own bytes, place and address (``digest``, ``rel``, ``shown``, ``url``);
* the *link environment*: which document lives at which address, which content assets
  exist, every config value and the generator's code (in the parse digest).

So the outcome of resolving one body — the links it records for checking and the problems
it found — is remembered under its *body digest*, the digest of both.  A document whose body
digest is known is not rewritten at plan time: its page context holds a :class:`LazyBody`
whose part of the page digest is the body digest (equal digests give equal bodies), and
whose HTML is made only if the page is rendered again.  Bodies that involve media (images,
attachments) are always done in full: they publish image variants and read files, which
the body digest does not cover.  The records are kept in ``.cache/bodies-XX.json`` (16 shards), checked
when read (see :class:`BodyRecord`).

A media-free body with no record (every body of a cold build) is not resolved at plan time
either: it is a :class:`DeferredBody`, resolved once, where its page is rendered (on the
workers), and its record comes back with the page (:func:`sitegen.stage_plan.with_bodies`
puts it in the plan, where the replayed ones are, and remembers it).  Resolving every body
in the main process, then again in the workers, was a serial tenth of a cold build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path

from markupsafe import Markup

from .cache import checks
from .cache.codec import Invalid, encoder
from .cache.columns import table_decoder
from .cache.digests import config_digest
from .cache.files import Notices, load_checked, save_quietly
from .config import Config
from .content import Document
from .errors import Problem
from .links import DocumentLinks

# A link found in a body, to check once the site is written: (attribute, URL as written,
# site path it leads to, #fragment).
Link = tuple[str, str, str, str]


@dataclass(frozen=True)
class BodyRecord:
    """What resolving a body found: its checked links and its problems, both in document order."""

    links: tuple[Link, ...]
    problems: tuple[Problem, ...]

    def check(self) -> BodyRecord:
        """(The links' site paths are looked up among the output's files, never opened: any text will do.)"""
        checks.problems(self.problems)
        return self


_decode_table = table_decoder(BodyRecord)
_encode_records = encoder(dict[str, BodyRecord])
BODIES = "bodies"


class LazyBody:
    """A body whose HTML is made only when its page is rendered (see the module docstring)."""

    __slots__ = ("digest", "_make")

    def __init__(self, digest: str, make: Callable[[], str]) -> None:
        self.digest = digest
        self._make = make

    def markup(self) -> Markup:
        return Markup(self._make())

    def __html__(self) -> str:  # what Jinja's autoescape asks of ``{{ body }}``
        return self._make()


class DeferredBody(LazyBody):
    """A body no build has resolved yet, resolved where its page is rendered (see the module
    docstring).  Its HTML is made once: what :meth:`markup` found is kept, in the process that
    rendered the page (a forked worker's own copy), until :meth:`take_record` takes it."""

    __slots__ = ("_resolve", "_found")

    def __init__(self, digest: str, resolve: Callable[[], tuple[str, BodyRecord]]) -> None:
        super().__init__(digest, self._html)
        self._resolve = resolve
        self._found: tuple[str, BodyRecord] | None = None

    def _html(self) -> str:
        if self._found is None:
            self._found = self._resolve()
        return self._found[0]

    def take_record(self) -> BodyRecord:
        """The links and problems found (the body resolved now if its page was not rendered)."""
        self._html()
        assert self._found is not None  # made by _html
        record = self._found[1]
        self._found = None  # the HTML is in the page: not kept (memory at 10 000 pages)
        return record


@dataclass(frozen=True)
class SentRecord:
    """A :class:`BodyRecord` as a render worker sends it back: its links as one JSON string,
    read back with equal strings shared.  As tuples of strings, unpickled one page at a time,
    10 000 pages' links were some 30 MiB of the main process at the end of the render stage."""

    links: str
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, record: BodyRecord) -> SentRecord:
        return cls(json.dumps(record.links, ensure_ascii=False, separators=(",", ":")), record.problems)

    def record(self, strings: dict[str, str]) -> BodyRecord:
        """The record, each string taken from ``strings`` if an equal one is there (and put there if not)."""
        shared = strings.setdefault
        links = tuple(
            (shared(attr, attr), shared(url, url), shared(path, path), shared(fragment, fragment))
            for attr, url, path, fragment in json.loads(self.links)
        )
        return BodyRecord(links, self.problems)


@dataclass(frozen=True)
class Deferral:
    """Which bodies without a record are resolved where their pages are rendered, and how."""

    wanted: Callable[[Document], bool]  # true for a body that surely involves no media
    resolve: Callable[[Document], tuple[str, BodyRecord]]  # its HTML and record (links, problems)


@dataclass(frozen=True)
class Deferred:
    """A deferred body and its places: ``index`` in the plan's links (and jobs: one per document,
    in the same order), ``problem_slot`` where its problems go among the bodies' problems."""

    body: DeferredBody
    doc: Document
    index: int
    problem_slot: int


def link_digest(config: Config, parse_digest: str, documents: Sequence[Document], asset_files: dict[str, Path]) -> str:
    """Digest of everything besides a document's own bytes that resolving its links reads."""
    digest = hashlib.sha256(parse_digest.encode())
    digest.update(config_digest(config, frozenset({"output_dir"})).encode())
    digest.update("\0".join(f"{doc.source.rel}\x1f{doc.url}" for doc in documents).encode())
    digest.update(b"\0assets\0" + "\0".join(sorted(asset_files)).encode())
    return digest.hexdigest()


def body_digest(link_digest: str, doc: Document) -> str:
    """Digest of what one body's resolved links are made of: the link digest and the document."""
    text = f"{link_digest}\0{doc.digest}\0{doc.source.rel}\0{doc.source.shown}\0{doc.url}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _checked_records(value: object) -> dict[str, BodyRecord]:
    """The resolved-body records of a ``bodies-XX.json`` shard, each checked (raises ``Invalid``);
    decoded and checked a column at a time (sitegen.cache.columns: at 1000 bodies, 2.5 ms less)."""
    entries: dict[str, BodyRecord] = _decode_table(value)
    checks.digests(entries)
    checks.problems(chain.from_iterable(record.problems for record in entries.values()))  # BodyRecord.check
    return entries


SHARDS = 16


def _shard(digest: str) -> int:
    return int(digest[:2], 16) % SHARDS  # (a digest read back was checked to be hex)


class BodyCache:
    """Records by body digest, kept in memory (``serve``) and in ``.cache/bodies-XX.json``
    (``folder`` is the cache folder; ``None``: in memory only).

    The records are in :data:`SHARDS` files by digest, and only the shards whose records
    changed are written: an edit changes one record, and writing all of them again (at
    1000 items some 700 KB of JSON) was a tenth of what a one-edit build spent saving.
    A shard that is missing or not valid is written again at the next save."""

    def __init__(self, folder: Path | None, notices: Notices | None = None) -> None:
        self.folder = folder
        self.notices = notices if notices is not None else Notices()
        self._dirty: set[int] = set()  # shards to write at the next save
        self.entries: dict[str, BodyRecord] = self._load(folder) if folder is not None else {}
        self._used: set[str] = set()

    def path(self, shard: int) -> Path:
        assert self.folder is not None  # (only asked of a cache kept on disk)
        return self.folder / f"bodies-{shard:02x}.json"

    def _load(self, folder: Path) -> dict[str, BodyRecord]:
        entries: dict[str, BodyRecord] = {}
        for shard in range(SHARDS):
            found: dict[str, BodyRecord] | None = load_checked(self.path(shard), BODIES, _checked_records, self.notices)
            if found is None:
                self._dirty.add(shard)
            else:
                entries.update(found)
        return entries

    def get(self, digest: str) -> BodyRecord | None:
        found = self.entries.get(digest)
        if found is not None:
            self._used.add(digest)
        return found

    def put(self, digest: str, record: BodyRecord) -> None:
        self.entries[digest] = record
        self._used.add(digest)
        self._dirty.add(_shard(digest))

    def save(self) -> None:
        """Write the shards that changed, keeping only what this build used in the shards written
        anyway or more than a quarter stale: a removed or edited document's record is found by
        its body digest only, so it can wait, rather than cost a second shard at each edit (as
        in sitegen.cache.parses.ParseCache.save)."""
        if len(self._used) != len(self.entries):
            sizes, stale = [0] * SHARDS, [0] * SHARDS
            for digest in self.entries:
                sizes[_shard(digest)] += 1
                if digest not in self._used:
                    stale[_shard(digest)] += 1
            clean = {n for n in range(SHARDS) if stale[n] and (n in self._dirty or stale[n] * 4 > sizes[n])}
            self._dirty |= clean
            self.entries = {d: r for d, r in self.entries.items() if d in self._used or _shard(d) not in clean}
        if self.folder is not None and self._dirty:
            shards: dict[int, dict[str, BodyRecord]] = {shard: {} for shard in self._dirty}
            for digest, record in self.entries.items():
                part = shards.get(_shard(digest))
                if part is not None:
                    part[digest] = record
            for shard, records in sorted(shards.items()):
                try:
                    data = _encode_records(records)
                except Invalid:
                    data = {}  # a problem the cache cannot hold: nothing remembered, never wrong
                save_quietly(self.path(shard), BODIES, data, self.notices)
        self._used = set()
        self._dirty = set()


def body_maker(
    cache: BodyCache,
    link_digest: str,
    resolve_full: Callable[[Document], tuple[str, bool]],
    resolve_again: Callable[[Document], str],
    links: list[DocumentLinks],
    problems: list[Problem],
    deferral: Deferral | None = None,
    deferred: list[Deferred] | None = None,
) -> Callable[[Document], str | LazyBody]:
    """``body(doc)`` for :func:`sitegen.render.plan_pages`: a known record replays its links and
    problems and gives a :class:`LazyBody`; otherwise ``resolve_full`` does the work (appending
    ``(doc, its links)`` to ``links`` and its problems to ``problems`` itself) and its outcome is remembered when media-free (the
    body is then a :class:`LazyBody` too, so that its page digest does not change next time).
    With a ``deferral``, a body it wants is a :class:`DeferredBody` instead, noted in ``deferred``."""

    def body(doc: Document) -> str | LazyBody:
        digest = body_digest(link_digest, doc)
        record = cache.get(digest)
        if record is not None:
            links.append((doc, record.links))  # (plain tuples: the link check unpacks them)
            problems.extend(record.problems)
            return LazyBody(digest, lambda: resolve_again(doc))
        if deferral is not None and deferred is not None and deferral.wanted(doc):
            late = DeferredBody(digest, partial(deferral.resolve, doc))
            deferred.append(Deferred(late, doc, len(links), len(problems)))
            links.append((doc, ()))  # filled in by with_bodies once its page is rendered
            return late
        problems_before = len(problems)
        html, media_free = resolve_full(doc)  # appends (doc, its links) to links
        if not media_free:
            return html
        cache.put(digest, BodyRecord(links[-1][1], tuple(problems[problems_before:])))
        # The same page digest as in the builds that reuse the record; the HTML is made again where
        # the page is rendered rather than kept: at 10 000 items, keeping every body was hundreds of MiB.
        return LazyBody(digest, lambda: resolve_again(doc))

    return body
