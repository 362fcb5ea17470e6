"""The parse cache (documents without their bodies, in 16 shards) and the body store.

* ``parsed-XX.json`` (16 shards): each cached parse by its *source digest* (see
  :func:`sitegen.sources.source_digest`): the document's front matter, place and table of
  contents, without its body, so that every build can read them all quickly (at 10 000
  items a few megabytes instead of hundreds).  Only changed shards are written.
* ``parsed/<source digest>.json``: the body (Markdown text and converted HTML) of each
  cached parse, read only for the pages rendered again or whose links are resolved again,
  written by whichever process converted the source (a forked worker in a cold build).
  A body that is missing or invalid is made again from its source; one no shard refers to
  is removed when the shards are saved.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content import Document, ParsedBody, SourceFile
from ..frontmatter import LAYOUTS, Meta
from . import checks
from .codec import Invalid, decoder, encoder
from .files import Notices, load_checked, load_record, remove_quietly, save_quietly, save_record

SHARDS = 16
KINDS = ("page", "home", "news")


@dataclass(frozen=True)
class DocumentRecord:
    """A cached document: everything of a :class:`Document` but its source file (this build's)
    and its body (in the body store, under the same digest)."""

    meta: Meta
    lang: str
    kind: str
    url: str
    body_line: int
    digest: str
    toc: tuple[tuple[int, str, str], ...]
    field_lines: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(doc.meta, doc.lang, doc.kind, doc.url, doc.body_line, doc.digest, doc.toc, doc.field_lines)

    def check(self, languages: tuple[str, ...]) -> DocumentRecord:
        """The record, if its values are in range (else :class:`Invalid`)."""
        checks.one_of(self.lang, languages)
        if self.meta.lang is not None:
            checks.one_of(self.meta.lang, languages)
        checks.one_of(self.kind, KINDS)
        checks.one_of(self.meta.layout, LAYOUTS)
        checks.site_path(self.url)
        checks.natural(self.body_line, 1)
        checks.digest(self.digest, 40)
        return self  # (the table of contents is text and numbers a template prints, escaped)


_decode_record = decoder(DocumentRecord)
_encode_record = encoder(DocumentRecord)
_decode_body = decoder(ParsedBody)
_encode_body = encoder(ParsedBody)


class StoredBody:
    """A cached document's body: its digest in a :class:`BodyStore`, read when first needed."""

    __slots__ = ("digest", "store")

    def __init__(self, digest: str, store: BodyStore | None) -> None:
        self.digest = digest
        self.store = store  # None only on the way back from a worker (see sitegen.sources)

    def __reduce__(self) -> tuple[type[StoredBody], tuple[str, None]]:
        return StoredBody, (self.digest, None)  # a store does not cross processes

    def load(self, doc: Document) -> ParsedBody:
        if self.store is None:
            raise RuntimeError(f"body {self.digest} read before it was attached to a store")
        return self.store.body_of(self.digest, doc)


class BodyStore:
    """The bodies of cached parses, one checked file each (see the module docstring).

    A body that is missing or invalid is made again by ``recover(doc)`` from the document's
    source (and stored again).  The last few bodies read are kept: one page asks for its
    body several times in a row (links, media, line numbers of a problem).
    """

    KIND = "body"
    RECENT = 8

    def __init__(self, folder: Path, recover: Callable[[Document], ParsedBody], notices: Notices) -> None:
        self.folder = folder
        self.recover = recover
        self.notices = notices
        self._recent: OrderedDict[str, ParsedBody] = OrderedDict()

    def path(self, digest: str) -> Path:
        return self.folder / f"{digest}.json"

    def save(self, digest: str, body: ParsedBody) -> None:
        """Store a body (raises OSError: the caller decides whether that matters)."""
        save_record(self.path(digest), self.KIND, _encode_body(body))

    def body_of(self, digest: str, doc: Document) -> ParsedBody:
        found = self._recent.get(digest)
        if found is not None:
            self._recent.move_to_end(digest)
            return found
        found = self._read(digest)
        if found is None:
            found = self.recover(doc)
            save_quietly(self.path(digest), self.KIND, _encode_body(found), self.notices)
        self._recent[digest] = found
        if len(self._recent) > self.RECENT:
            self._recent.popitem(last=False)
        return found

    def _read(self, digest: str) -> ParsedBody | None:
        body: ParsedBody | None = load_checked(self.path(digest), self.KIND, _decode_body, self.notices)
        return body

    def sweep(self, live: set[str]) -> None:
        """Remove the bodies no shard refers to (deleted or edited sources, interrupted builds).

        Temporary files (``.name.*.tmp``) are left alone: another build may be writing them."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if not name.startswith(".") and not (name.endswith(".json") and name[:-5] in live):
                remove_quietly(entry.path)


class ParseCache:
    """Cached documents by source digest, read shard by shard on first use, saved shard by shard
    if changed.  Entries are checked when asked for: an invalid one is a miss (and a notice)."""

    KIND = "parses"

    def __init__(self, folder: Path, languages: tuple[str, ...], notices: Notices) -> None:
        self.folder = folder
        self.languages = languages
        self.notices = notices
        # Each shard's entries as read (JSON values), or None once decoded into ``_checked``: a
        # record is held once, not twice (at 1000 items, megabytes).
        self._shards: dict[int, dict[str, object]] = {}
        self._checked: dict[str, DocumentRecord] = {}  # serve: each record decoded once per session
        self._dirty: set[int] = set()
        self._used: set[str] = set()

    def _path(self, number: int) -> Path:
        return self.folder / f"parsed-{number:02x}.json"

    def _shard(self, digest: str) -> tuple[int, dict[str, object]]:
        number = int(digest[:2], 16) % SHARDS
        shard = self._shards.get(number)
        if shard is None:
            loaded = load_record(self._path(number), self.KIND, self.notices)
            if loaded is not None and not isinstance(loaded, dict):
                self.notices.ignored(self._path(number), "not a table")
            shard = self._shards[number] = loaded if isinstance(loaded, dict) else {}
        return number, shard

    def get(self, digest: str, source: SourceFile, store: BodyStore) -> Document | None:
        """The cached document of ``source`` (its body in ``store``), or ``None``."""
        record = self._checked.get(digest)
        if record is None:
            record = self._record(digest)
            if record is None:
                return None
        self._used.add(digest)
        return Document(
            source,
            record.meta,
            record.lang,
            record.kind,
            record.url,
            record.body_line,
            record.digest,
            record.toc,
            StoredBody(digest, store),
            record.field_lines,
        )

    def _record(self, digest: str) -> DocumentRecord | None:
        number, shard = self._shard(digest)
        value = shard.get(digest)
        if value is None:
            return None
        try:
            record: DocumentRecord = _decode_record(value).check(self.languages)
        except Invalid as exc:
            self.notices.ignored(self._path(number), f"{digest[:12]}: {exc}")
            del shard[digest]
            self._dirty.add(number)
            return None
        self._checked[digest] = record
        shard[digest] = None
        return record

    def put(self, digest: str, doc: Document) -> None:
        number, shard = self._shard(digest)
        record = DocumentRecord.of(doc)
        try:
            _encode_record(record)
        except Invalid:  # a value the cache cannot hold (a time zone of another kind): parsed each time
            return
        shard[digest] = None
        self._checked[digest] = record
        self._used.add(digest)
        self._dirty.add(number)

    def save(self) -> bool:
        """Drop the entries this build did not use (deleted or edited sources), write the changed
        shards; True when a shard was written (the set of digests may have changed)."""
        self.digests()  # a shard none of this build's sources falls in holds only stale entries
        written = False
        for number, shard in self._shards.items():
            stale = [digest for digest in shard if digest not in self._used]
            for digest in stale:
                del shard[digest]
                self._checked.pop(digest, None)
            if stale or number in self._dirty:
                data = {d: _encode_record(self._checked[d]) if v is None else v for d, v in shard.items()}
                written = save_quietly(self._path(number), self.KIND, data, self.notices) or written
        self._dirty.clear()
        return written

    def digests(self) -> set[str]:
        """Every digest of every shard (the shards not read yet are read)."""
        return {digest for number in range(SHARDS) for digest in self._shard(f"{number:02x}")[1]}
