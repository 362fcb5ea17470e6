"""The body store: the converted bodies of cached parses, appended to a few pack files.

* ``parsed/<pack name>.pack``: bodies (Markdown text and converted HTML), one after the
  other, each a whole checked record (:func:`sitegen.cache.files.encode_record`, kind
  ``body``) that names the source digest it belongs to.  Each process that converts
  sources appends to a pack of its own, made when it stores its first body (a parse worker
  of a cold build, or the main process for the few sources an edit converts); a pack is
  never written again once its process is done, and never by two processes.
* The place of each body — ``(pack name, offset, length)`` — is kept in its document's
  record in the parse shards (:mod:`.parses`), written by the main process after the build:
  a build that stops half-way leaves the old shards, which name only the old packs, whole.

Why packs and not one file per body: on ext4 a file created right after many were removed
costs up to a millisecond of kernel time (recently freed inodes are skipped one by one), and
a cold build at 1000 items created a thousand bodies.  A cold build now creates one pack per
worker.

Read back, a place is checked (the name is 32 hex digits, so it stays in ``parsed/``; the
offset and length are naturals), the bytes are read only if they lie inside the pack, and
the record must pass its checksum and name the digest asked for: anything else is a miss,
noted, and the body is made again from its source.  Packs no record names are removed when
the shards are saved; a pack whose live bodies are less than half of it, and the smallest
packs beyond :data:`MAX_PACKS`, are copied (their live bodies only) into one new pack then.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..content import Document, ParsedBody
from . import checks
from .codec import Invalid, decoder, encoder
from .files import Notices, decode_record, encode_record, remove_quietly

# Where a body is: (pack name, offset, length in bytes).
Place = tuple[str, int, int]
NO_PLACE: Place = ("", 0, 0)  # a body not in the store (it is made again from its source)
PACK = ".pack"
MAX_PACKS = 16  # beyond this many, the smallest packs are merged at the next save
# A pack no record names is removed only when it has not been written for this long: ``serve``
# (its preview has a lock of its own) and ``build`` may share one cache, and the other one's
# pack may still be filling up, its records not saved yet.
GRACE_NS = 600_000_000_000


@dataclass(frozen=True)
class PackedBody:
    """One record of a pack: the body of the parse whose source digest is ``digest``."""

    digest: str
    body: ParsedBody


_decode_packed = decoder(PackedBody)
_encode_packed = encoder(PackedBody)


def check_place(place: Place) -> Place:
    """A place read back, if it can be one (else :class:`Invalid`); :data:`NO_PLACE` passes."""
    if place == NO_PLACE:
        return place
    checks.digest(place[0], 32)  # hex only: the pack stays in the store's folder
    checks.natural(place[1])
    checks.natural(place[2], 1)
    return place


class StoredBody:
    """A cached document's body: its digest and place in a :class:`BodyStore`, read when first needed."""

    __slots__ = ("digest", "store", "place")

    def __init__(self, digest: str, store: BodyStore | None, place: Place = NO_PLACE) -> None:
        self.digest = digest
        self.store = store  # None only in a copy pickled to another process (a store does not cross)
        self.place = place

    def __reduce__(self) -> tuple[type[StoredBody], tuple[str, None, Place]]:
        return StoredBody, (self.digest, None, self.place)  # a store does not cross processes

    def load(self, doc: Document) -> ParsedBody:
        if self.store is None:
            raise RuntimeError(f"body {self.digest} read before it was attached to a store")
        found, place = self.store.body_of(self.digest, self.place, doc)
        self.place = place
        return found


class BodyStore:
    """The bodies of cached parses in pack files (see the module docstring).

    A body that is missing or invalid is made again by ``recover(doc)`` from the document's
    source; in the main process it is stored again (its new place in :attr:`moved`, which the
    parse cache records at its save).  The last few bodies read are kept: one page asks for
    its body several times in a row (links, media, line numbers of a problem).
    """

    KIND = "body"
    RECENT = 8

    def __init__(self, folder: Path, recover: Callable[[Document], ParsedBody], notices: Notices) -> None:
        self.folder = folder
        self.recover = recover
        self.notices = notices
        self.moved: dict[str, Place] = {}  # bodies stored again by this process, by digest
        self._owner = os.getpid()
        self._recent: OrderedDict[str, ParsedBody] = OrderedDict()
        self._pack: tuple[int, int, str, int] | None = None  # pid, fd, name, size of the pack we append to

    def path(self, name: str) -> Path:
        return self.folder / f"{name}{PACK}"

    def save(self, digest: str, body: ParsedBody) -> Place:
        """Append a body to this process's pack; its place (raises OSError or Invalid)."""
        data = encode_record(self.KIND, _encode_packed(PackedBody(digest, body)))
        pid = os.getpid()
        if self._pack is None or self._pack[0] != pid:  # (a forked worker has a pack of its own)
            self.folder.mkdir(parents=True, exist_ok=True)
            name = secrets.token_hex(16)
            fd = os.open(self.path(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            self._pack = (pid, fd, name, 0)
        _pid, fd, name, size = self._pack
        written = os.write(fd, data)  # unbuffered: a worker ends with os._exit
        if written != len(data):
            self._pack = None  # a full disk: this pack takes nothing more
            raise OSError(f"short write to {name}")
        self._pack = (pid, fd, name, size + written)
        return (name, size, written)

    def close(self) -> None:
        """Done appending (the next body stored goes to a new pack)."""
        if self._pack is not None and self._pack[0] == os.getpid():
            os.close(self._pack[1])
        self._pack = None

    def __del__(self) -> None:  # (a build that failed never reached its save)
        self.close()

    def body_of(self, digest: str, place: Place, doc: Document) -> tuple[ParsedBody, Place]:
        found = self._recent.get(digest)
        if found is not None:
            self._recent.move_to_end(digest)
            return found, place
        found = self._read(digest, place)
        if found is None:
            found = self.recover(doc)
            place = self._store_again(digest, found)
        self._recent[digest] = found
        if len(self._recent) > self.RECENT:
            self._recent.popitem(last=False)
        return found, place

    def _store_again(self, digest: str, body: ParsedBody) -> Place:
        if os.getpid() != self._owner:
            return NO_PLACE  # a render worker: nobody would record the place
        try:
            place = self.save(digest, body)
        except (OSError, Invalid) as error:
            if isinstance(error, OSError):
                self.notices.not_saved(self.folder, error)
            return NO_PLACE
        self.moved[digest] = place
        return place

    def read_raw(self, digest: str, place: Place) -> bytes | None:
        """The record's bytes at ``place`` if they are the checked body of ``digest``, else ``None`` (noted)."""
        if place == NO_PLACE:
            return None
        path = self.path(place[0])
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            self.notices.ignored(path, "missing")
            return None
        except OSError as error:
            self.notices.ignored(path, error.strerror or type(error).__name__)
            return None
        try:
            size = os.fstat(fd).st_size
            if place[1] + place[2] > size:
                self.notices.ignored(path, f"{digest[:12]}: truncated")
                return None
            data = os.pread(fd, place[2], place[1])
        except OSError as error:
            self.notices.ignored(path, error.strerror or type(error).__name__)
            return None
        finally:
            os.close(fd)
        value, why = decode_record(data, self.KIND)
        try:
            if value is None:
                raise Invalid(why or "another version")
            if _decode_packed(value).digest != digest:
                raise Invalid("another body")
        except Invalid as exc:
            self.notices.ignored(path, f"{digest[:12]}: {exc}")
            return None
        return data

    def _read(self, digest: str, place: Place) -> ParsedBody | None:
        data = self.read_raw(digest, place)
        if data is None:
            return None
        value, _why = decode_record(data, self.KIND)
        body: ParsedBody = _decode_packed(value).body
        return body

    def compact(self, places: dict[str, Place]) -> dict[str, Place]:
        """Copy the live bodies of the packs worth compacting (see the module docstring) into one
        new pack; the new places by digest (:data:`NO_PLACE` for a body that cannot be read: its
        parse is dropped, and converted again by the next build)."""
        live: dict[str, int] = {}
        for name, _offset, length in places.values():
            live[name] = live.get(name, 0) + length
        sizes: dict[str, int] = {}
        for name in live:
            try:
                sizes[name] = os.stat(self.path(name)).st_size
            except OSError:
                sizes[name] = 0
        chosen = _to_compact(live, sizes)
        if not chosen:
            return {}
        self.close()
        moved: dict[str, Place] = {}
        for digest, place in sorted(places.items(), key=lambda item: item[1]):
            if place[0] in chosen:
                data = self.read_raw(digest, place)
                moved[digest] = NO_PLACE if data is None else self._append(data)
        self.close()
        return moved

    def _append(self, data: bytes) -> Place:
        value, _why = decode_record(data, self.KIND)
        packed: PackedBody = _decode_packed(value)
        return self.save(packed.digest, packed.body)

    def sweep(self, live: Iterable[str]) -> None:
        """Remove the packs (and files of earlier layouts) no record names (deleted or edited
        sources, compacted packs, interrupted builds), but not a pack written less than
        :data:`GRACE_NS` ago, nor temporary files (``.name.*.tmp``): another build's."""
        keep = {f"{name}{PACK}" for name in live}
        recent = time.time_ns() - GRACE_NS
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name in keep:
                continue
            try:
                if name.endswith(PACK) and entry.stat(follow_symlinks=False).st_mtime_ns > recent:
                    continue
            except OSError:
                pass
            remove_quietly(entry.path)


def _to_compact(live: dict[str, int], sizes: dict[str, int]) -> set[str]:
    """The packs to copy: those less than half live, then the smallest beyond :data:`MAX_PACKS`."""
    chosen = {name for name, size in sizes.items() if size and live[name] * 2 < size}
    rest = sorted((name for name in sizes if name not in chosen and sizes[name]), key=lambda name: sizes[name])
    if len(rest) >= MAX_PACKS:
        chosen.update(rest[: len(rest) - MAX_PACKS + 2])  # (at least two: merging one alone gains nothing)
    return chosen
