"""The parse cache: documents without their bodies, in 16 shards.

* ``parsed-XX.json`` (16 shards): each cached parse by its *source digest* (see
  :func:`sitegen.sources.source_digest`): the document's front matter, place, table of
  contents and what the plan asks of its body's media (:mod:`sitegen.body_facts`), without
  its body, so that every build can read them all quickly (at 10 000 items a few megabytes
  instead of hundreds).  Only changed shards are written.  A shard is
  decoded and checked whole on first use, column by column (:mod:`.columns`): a shard with
  an invalid record is a miss for all its documents, and a notice.
* the bodies (Markdown text and converted HTML) are in the body store's packs
  (:mod:`.packs`), each record here naming its body's place; they are read only for the
  pages rendered again or whose links are resolved again.  A body that is missing or
  invalid is made again from its source; a pack no record names is removed, and packs
  mostly dead are compacted, when the shards are saved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..body_facts import MediaFacts
from ..content import Document, SourceFile
from ..frontmatter import LAYOUTS, Meta
from . import checks
from .codec import Invalid, encoder
from .columns import table_decoder
from .files import Notices, load_checked, save_quietly
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
    # Document.media, as two plain columns (a nested record was decoded at half the speed);
    # a flag and text, only ever compared with the content files' names
    image: bool
    names: tuple[str, ...]
    field_lines: tuple[tuple[str, int], ...]
    body: Place

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        stored = doc.parsed_body
        place = stored.place if isinstance(stored, StoredBody) else NO_PLACE
        media = doc.media
        return cls(
            doc.meta,
            doc.lang,
            doc.kind,
            doc.url,
            doc.body_line,
            doc.digest,
            doc.toc,
            media.image,
            media.names,
            doc.field_lines,
            place,
        )

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


_encode_record = encoder(DocumentRecord)
_decode_records = table_decoder(DocumentRecord)


def decode_shard(value: object, languages: tuple[str, ...]) -> dict[str, DocumentRecord]:
    """A shard's records by source digest, every one checked (else :class:`Invalid`), decoded
    column by column (:mod:`.columns`)."""
    shard: dict[str, DocumentRecord] = _decode_records(value)
    checks.digests(shard)
    _check_all(list(shard.values()), languages)
    return shard


def _check_all(records: list[DocumentRecord], languages: tuple[str, ...]) -> None:
    """:meth:`DocumentRecord.check` of every record, the values in a set a column at a time
    (a thousand records' checks one by one were 1.7 ms of every build); when a column looks
    wrong, each record is checked alone, and the first bad one named."""
    metas = [record.meta for record in records]
    places = [record.body for record in records if record.body != NO_PLACE]
    if not (
        {record.lang for record in records} <= {*languages}
        and {meta.lang for meta in metas} <= {*languages, None}
        and {record.kind for record in records} <= {*KINDS}
        and {meta.layout for meta in metas} <= {*LAYOUTS}
        and min((record.body_line for record in records), default=1) >= 1
        and min((place[1] for place in places), default=0) >= 0
        and min((place[2] for place in places), default=1) >= 1
    ):
        for record in records:
            record.check(languages)
    checks.digests([record.digest for record in records], 40)
    checks.digests([place[0] for place in places], 32)  # (a pack's name: it stays in the store's folder)
    for record in records:
        checks.site_path(record.url)


def encode_shard(shard: dict[str, DocumentRecord]) -> object:
    return {digest: _encode_record(record) for digest, record in shard.items()}


class ParseCache:
    """Cached documents by source digest, read shard by shard on first use (each shard checked
    whole: a shard with an invalid record is a miss for all its documents, and a notice), saved
    shard by shard if changed."""

    KIND = "parses"

    def __init__(self, folder: Path, languages: tuple[str, ...], notices: Notices) -> None:
        self.folder = folder
        self.languages = languages
        self.notices = notices
        self._shards: dict[int, dict[str, DocumentRecord]] = {}  # serve: each shard read once per session
        self._dirty: set[int] = set()
        self._used: set[str] = set()

    def _path(self, number: int) -> Path:
        return self.folder / f"parsed-{number:02x}.json"

    def _shard(self, digest: str) -> tuple[int, dict[str, DocumentRecord]]:
        number = int(digest[:2], 16) % SHARDS
        shard = self._shards.get(number)
        if shard is None:
            path = self._path(number)
            loaded = load_checked(path, self.KIND, lambda value: decode_shard(value, self.languages), self.notices)
            if loaded is None:  # missing, or not valid (noted): written at the next save
                self._dirty.add(number)
            shard = self._shards[number] = loaded if loaded is not None else {}
        return number, shard

    def empty(self) -> bool:
        """Whether no record can be found: every shard read is empty, and no other one is on disk."""
        if any(self._shards.values()):
            return False
        return not any(self._path(n).exists() for n in range(SHARDS) if n not in self._shards)

    def get(self, digest: str, source: SourceFile, store: BodyStore) -> Document | None:
        """The cached document of ``source`` (its body in ``store``), or ``None``."""
        record = self._shard(digest)[1].get(digest)
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
            MediaFacts(record.image, record.names),
            StoredBody(digest, store, record.body),
            record.field_lines,
        )

    def put(self, digest: str, doc: Document) -> None:
        number, shard = self._shard(digest)
        record = DocumentRecord.of(doc)
        try:
            _encode_record(record)
        except Invalid:  # a value the cache cannot hold (a time zone of another kind): parsed each time
            return
        shard[digest] = record
        self._used.add(digest)
        self._dirty.add(number)

    def save(self, store: BodyStore | None = None) -> None:
        """Drop the entries this build did not use (deleted or edited sources) from the shards
        written anyway, or more than a quarter stale; note the bodies ``store`` moved (stored
        again, or compacted), write the changed shards and remove the packs no entry names any
        more.  Nothing changed: nothing is listed or written.

        A stale entry can wait: it is found only by its source digest, which no source of this
        build has (a source edited back to those bytes may even use it again).  Dropping it at
        once meant writing a second shard at nearly every edit (the old parse's, besides the
        new one's); it now goes when its shard is written, or when its body's pack is compacted (a
        stale entry never keeps a body alive: see below), the pack kept until then."""
        self.digests()  # a shard none of this build's sources falls in holds only stale entries
        waiting = False  # stale entries left in their shards
        for number, shard in self._shards.items():
            stale = [digest for digest in shard if digest not in self._used]
            if number in self._dirty or len(stale) * 4 > len(shard):
                for digest in stale:
                    del shard[digest]
                if stale:
                    self._dirty.add(number)
            elif stale:
                waiting = True
        if store is not None:
            self._move(store.moved)
            store.moved = {}
            if self._dirty or waiting:
                # Only this build's entries keep a body alive: a stale entry waiting for its shard
                # must not keep a mostly dead pack from being compacted.  When one is, the stale
                # entries naming it go now (their shards are written), so that it can be removed.
                used = {digest: place for digest, place in self._places().items() if digest in self._used}
                moved = store.compact(used)
                self._drop_stale_naming({used[digest][0] for digest in moved})
                self._move(moved)
        written, whole = bool(self._dirty), True
        for number in sorted(self._dirty):
            data = encode_shard(self._shards[number])
            whole = save_quietly(self._path(number), self.KIND, data, self.notices) and whole
        self._dirty.clear()
        # (a shard not written still names the packs it named: they stay until one is)
        if store is not None and written and whole:
            store.close()
            store.sweep({place[0] for place in self._places().values()})

    def _drop_stale_naming(self, packs: set[str]) -> None:
        """Drop the entries this build did not use whose bodies are in ``packs`` (compacted)."""
        if not packs:
            return
        for number, shard in self._shards.items():
            stale = [d for d, record in shard.items() if d not in self._used and record.body[0] in packs]
            for digest in stale:
                del shard[digest]
            if stale:
                self._dirty.add(number)

    def _places(self) -> dict[str, Place]:
        """Where each entry's body is."""
        return {d: record.body for shard in self._shards.values() for d, record in shard.items() if record.body[0]}

    def _move(self, moved: dict[str, Place]) -> None:
        """Record the new places of bodies in ``moved`` (the ones this cache still holds); a body
        lost (:data:`~.packs.NO_PLACE`) drops its parse, which the next build converts again."""
        for digest, place in moved.items():
            number = int(digest[:2], 16) % SHARDS
            shard = self._shards.get(number)
            record = shard.get(digest) if shard is not None else None
            if shard is None or record is None:
                continue
            self._dirty.add(number)
            if place == NO_PLACE:
                del shard[digest]
                self._used.discard(digest)
            else:
                shard[digest] = replace(record, body=place)

    def digests(self) -> set[str]:
        """Every digest of every shard (the shards not read yet are read)."""
        return {digest for number in range(SHARDS) for digest in self._shard(f"{number:02x}")[1]}
