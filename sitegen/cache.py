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
* **state files** (the stat index and the output manifest, see :mod:`sitegen.incremental`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import struct
from pathlib import Path
from typing import Any

FORMAT = 1
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
    payload = memoryview(data)[_HEADER.size:]
    if (found_magic != magic.ljust(8, b"\0") or found_format != FORMAT or len(payload) != length
            or hashlib.sha256(payload).digest() != checksum):
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

    def save(self, prune: bool = True) -> None:
        """Write changed shards; with ``prune``, drop entries this build did not use (deleted files)."""
        for number, shard in self._shards.items():
            if prune:
                stale = [key for key in shard if key not in self._used]
                for key in stale:
                    del shard[key]
                if stale:
                    self._dirty.add(number)
            if number in self._dirty:
                save_blob(self.folder / f"parsed-{number:02x}.bin", self.MAGIC, shard)
        self._dirty.clear()
