"""The persistent build cache in ``config.cache_dir`` (``.cache/``): safe to delete at any time.

Two kinds of files, both written atomically (temporary file + rename) and both checked on
load: a header with a magic word, the format version, the payload's length and its
SHA-256.  A truncated, corrupt or foreign file is *detected and ignored* (the build then
does the work again); it is never trusted.

* **parse cache** (``parsed-XX.bin``, 16 shards): the result of reading, validating and
  converting one Markdown source, keyed by the hash of its bytes, its place under
  ``content/``, the Markdown settings, the generator's own code and the config values
  that parsing reads (time zone, languages, news folders).  Only dirty shards are
  rewritten, so saving after one edit is cheap even at 10 000 items.
  The shards hold documents *without* their bodies, so that every build can load them
  all quickly: at 10 000 items a few megabytes instead of hundreds.
* **body store** (``parsed/<key>.bin``, one file per document): the Markdown text and the
  converted HTML of each cached parse, read only for the pages that are rendered again or
  whose links are resolved again (see :class:`StoredBody`).  Written by whichever process
  converted the source (a forked worker in a cold build), so the build never holds every
  body at once.  A file no shard refers to is removed when the shards are saved.
* **state files** (the stat index and the output manifest, see :mod:`sitegen.incremental`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 2  # 2: documents without their bodies, which are in the body store
_HEADER = struct.Struct("<8sIQ32s")  # magic, format, payload length, sha256(payload)
SHARDS = 16


def generator_digest() -> str:
    """Hash of the generator's own source: a code change invalidates every cache entry."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def save_blob(path: Path, magic: bytes, value: Any) -> None:
    """Pickle ``value`` into ``path`` atomically, behind a checked header."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = _HEADER.pack(magic.ljust(8, b"\0"), FORMAT, len(payload), hashlib.sha256(payload).digest())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(header)
        handle.write(payload)
    os.replace(temporary, path)


def load_blob(path: Path, magic: bytes) -> Any | None:
    """The value saved by :func:`save_blob`, or ``None`` when absent, foreign, truncated or corrupt."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if len(data) < _HEADER.size:
        return None
    found_magic, found_format, length, checksum = _HEADER.unpack_from(data)
    payload = memoryview(data)[_HEADER.size :]
    if (
        found_magic != magic.ljust(8, b"\0")
        or found_format != FORMAT
        or len(payload) != length
        or hashlib.sha256(payload).digest() != checksum
    ):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a checksum-valid payload from another version: start over
        return None


class ParseCache:
    """Parsed sources by key, loaded shard by shard on first use, saved shard by shard if changed."""

    MAGIC = b"SGPARSE"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._shards: dict[int, dict[str, Any]] = {}
        self._dirty: set[int] = set()
        self._used: set[str] = set()

    def _shard(self, key: str) -> tuple[int, dict[str, Any]]:
        number = int(key[:2], 16) % SHARDS
        shard = self._shards.get(number)
        if shard is None:
            loaded = load_blob(self.folder / f"parsed-{number:02x}.bin", self.MAGIC)
            shard = loaded if isinstance(loaded, dict) else {}
            self._shards[number] = shard
        return number, shard

    def get(self, key: str) -> Any | None:
        self._used.add(key)
        return self._shard(key)[1].get(key)

    def put(self, key: str, value: Any) -> None:
        number, shard = self._shard(key)
        shard[key] = value
        self._used.add(key)
        self._dirty.add(number)

    def save(self, prune: bool = True) -> bool:
        """Write changed shards; with ``prune``, drop entries this build did not use (deleted files).

        True when a shard was written (the set of keys may have changed)."""
        if prune:  # a shard none of this build's sources falls in holds only stale entries
            self.keys()
        written = False
        for number, shard in self._shards.items():
            if prune:
                stale = [key for key in shard if key not in self._used]
                for key in stale:
                    del shard[key]
                if stale:
                    self._dirty.add(number)
            if number in self._dirty:
                save_blob(self.folder / f"parsed-{number:02x}.bin", self.MAGIC, shard)
                written = True
        self._dirty.clear()
        return written

    def keys(self) -> set[str]:
        """Every key of every shard (the shards not loaded yet are loaded)."""
        return {key for number in range(SHARDS) for key in self._shard(f"{number:02x}")[1]}


class StoredBody:
    """Where a cached document's body is: its parse key in a :class:`BodyStore`.

    Pickled as the key alone (the store's folder can move with the project); whoever
    loads it binds it to this build's store (:meth:`BodyStore.bind`) before use.
    """

    __slots__ = ("key", "store")

    def __init__(self, key: str, store: BodyStore | None = None) -> None:
        self.key = key
        self.store = store

    def __reduce__(self):
        return StoredBody, (self.key,)

    def load(self, doc: Any) -> Any:
        if self.store is None:
            raise RuntimeError(f"body {self.key} read before it was bound to a store")
        return self.store.body_of(self.key, doc)


class BodyStore:
    """The bodies of cached parses, one checked file each (see the module docstring).

    ``kind`` is the type a loaded body must have.  A body that is missing or corrupt is made
    again by ``recover(doc)`` from the document's source (and stored again): the cache is
    never trusted.  The last few bodies read are kept, because one page asks for its body
    several times in a row (links, media, line numbers of a problem).
    """

    MAGIC = b"SGTEXT"
    RECENT = 8

    def __init__(self, folder: Path, kind: type, recover: Callable[[Any], Any]) -> None:
        self.folder = folder
        self.kind = kind
        self.recover = recover
        self._recent: OrderedDict[str, Any] = OrderedDict()

    def bind(self, body: Any) -> None:
        if isinstance(body, StoredBody) and body.store is not self:
            body.store = self

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.bin"

    def save(self, key: str, body: Any) -> None:
        save_blob(self.path(key), self.MAGIC, body)

    def body_of(self, key: str, doc: Any) -> Any:
        found = self._recent.get(key)
        if found is not None:
            self._recent.move_to_end(key)
            return found
        found = load_blob(self.path(key), self.MAGIC)
        if not isinstance(found, self.kind):
            found = self.recover(doc)
            try:
                self.save(key, found)
            except OSError:
                pass  # a cache that cannot be written is only slower
        self._recent[key] = found
        if len(self._recent) > self.RECENT:
            self._recent.popitem(last=False)
        return found

    def sweep(self, live: set[str]) -> None:
        """Remove the bodies no shard refers to (deleted or edited sources, interrupted builds).

        Temporary files (``.name.pid.tmp``) are left alone: another build may be writing them."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.endswith(".bin") and not name.startswith(".") and name[:-4] not in live:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
