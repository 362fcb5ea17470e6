"""The parse cache: documents without their bodies, in 16 shards.

* ``parsed-XX.json`` (16 shards): each cached parse by its *source digest* (see
  :func:`sitegen.sources.source_digest`): the document's front matter, place and table of
  contents, without its body, so that every build can read them all quickly (at 10 000
  items a few megabytes instead of hundreds).  Only changed shards are written.
* the bodies (Markdown text and converted HTML) are in the body store's packs
  (:mod:`.packs`), each record here naming its body's place; they are read only for the
  pages rendered again or whose links are resolved again.  A body that is missing or
  invalid is made again from its source; a pack no record names is removed, and packs
  mostly dead are compacted, when the shards are saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..content import Document, SourceFile
from ..frontmatter import LAYOUTS, Meta
from . import checks
from .codec import Invalid, decoder, encoder
from .files import Notices, load_record, save_quietly
from .packs import NO_PLACE, BodyStore, Place, StoredBody, check_place

SHARDS = 16
KINDS = ("page", "home", "news")


@dataclass(frozen=True)
class DocumentRecord:
    """A cached document: everything of a :class:`Document` but its source file (this build's)
    and its body (in the body store, at ``body``: pack name, offset, length)."""

    meta: Meta
    lang: str
    kind: str
    url: str
    body_line: int
    digest: str
    toc: tuple[tuple[int, str, str], ...]
    field_lines: tuple[tuple[str, int], ...]
    body: Place

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        stored = doc.parsed_body
        place = stored.place if isinstance(stored, StoredBody) else NO_PLACE
        return cls(doc.meta, doc.lang, doc.kind, doc.url, doc.body_line, doc.digest, doc.toc, doc.field_lines, place)

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
        check_place(self.body)
        return self  # (the table of contents is text and numbers a template prints, escaped)


_decode_record = decoder(DocumentRecord)
_encode_record = encoder(DocumentRecord)


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
            StoredBody(digest, store, record.body),
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

    def save(self, store: BodyStore | None = None) -> None:
        """Drop the entries this build did not use (deleted or edited sources), note the bodies
        ``store`` moved (stored again, or compacted), write the changed shards and remove the
        packs no entry names any more.  Nothing changed: nothing is listed or written."""
        self.digests()  # a shard none of this build's sources falls in holds only stale entries
        for number, shard in self._shards.items():
            stale = [digest for digest in shard if digest not in self._used]
            for digest in stale:
                del shard[digest]
                self._checked.pop(digest, None)
            if stale:
                self._dirty.add(number)
        if store is not None:
            self._move(store.moved)
            store.moved = {}
            if self._dirty:
                self._move(store.compact(self._places()))
        written, whole = bool(self._dirty), True
        for number in sorted(self._dirty):
            shard = self._shards[number]
            data = {d: _encode_record(self._checked[d]) if v is None else v for d, v in shard.items()}
            whole = save_quietly(self._path(number), self.KIND, data, self.notices) and whole
        self._dirty.clear()
        # (a shard not written still names the packs it named: they stay until one is)
        if store is not None and written and whole:
            store.close()
            store.sweep({place[0] for place in self._places().values()})

    def _places(self) -> dict[str, Place]:
        """Where each entry's body is (every entry left after the stale ones went was used, so checked)."""
        return {d: self._checked[d].body for shard in self._shards.values() for d in shard if self._checked[d].body[0]}

    def _move(self, moved: dict[str, Place]) -> None:
        """Record the new places of bodies in ``moved`` (the ones this cache still holds); a body
        lost (:data:`~.packs.NO_PLACE`) drops its parse, which the next build converts again."""
        for digest, place in moved.items():
            record = self._checked.get(digest)
            if record is None:
                continue
            number = int(digest[:2], 16) % SHARDS
            self._dirty.add(number)
            if place == NO_PLACE:
                del self._checked[digest]
                self._shards[number].pop(digest, None)
                self._used.discard(digest)
            else:
                self._checked[digest] = replace(record, body=place)

    def digests(self) -> set[str]:
        """Every digest of every shard (the shards not read yet are read)."""
        return {digest for number in range(SHARDS) for digest in self._shard(f"{number:02x}")[1]}
