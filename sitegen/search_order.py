"""Pagefind's filter files in a fixed order, so that two builds of the same site are the same bytes.

Pagefind 1.5.2 keeps a language's filters (``kind``, ``tag``) and each filter's values in
hash maps seeded at random on every run, and writes them in that order: the filter files
(``filter/*.pf_filter``), the list of them in the language's meta file (``*.pf_meta``) and
so the names of both (Pagefind names them by a hash of their bytes) changed at every build
once the pages had filters.  :func:`sort_filters` rewrites them with the filters sorted by
name and each filter's values by value, names each file by the SHA-256 of its bytes (the
same ``<lang>_<hex>`` form) and points the entry file at the new meta file.  Only those
lists are reordered: every other list (pages, word chunks, sorted page numbers) keeps its
order, which the search depends on.

The files are gzip-compressed ``pagefind_dcd`` + CBOR (minicbor's array encoding of
Pagefind's structs); the small codec below reads and writes the subset Pagefind uses
(unsigned integers, strings, arrays, maps, null/booleans) in its shortest form, as
minicbor does, so that an unchanged structure is written back byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
_META_FILTERS = 3  # MetaIndex: version, pages, index_chunks, filters, sorts, meta_fields
CborValue = Any  # int | str | bytes | bool | None | list | dict: recursive, checked by shape


class FormatError(ValueError):
    """A Pagefind file that is not what version 1.5.2 writes."""


def sort_filters(index: Path, entry: dict[str, Any]) -> None:
    """Rewrite each language's filter files and meta file of ``index`` in a fixed order;
    updates ``entry`` (Pagefind's entry file, read by the caller, who writes it back)."""
    for lang, info in sorted(entry.get("languages", {}).items()):
        meta_path = index / f"pagefind.{info['hash']}.pf_meta"
        if not meta_path.is_file():
            continue  # nothing to sort (the entry alone, as in a unit test); the search itself will say
        meta = read(meta_path)
        if not isinstance(meta, list) or len(meta) <= _META_FILTERS or not meta[_META_FILTERS]:
            continue
        filters = []
        for name, chunk in meta[_META_FILTERS]:
            old = index / "filter" / f"{chunk}.pf_filter"
            filter_name, values = read(old)
            new_chunk = write(
                index / "filter", "", lang, ".pf_filter", [filter_name, sorted(values, key=lambda v: v[0])]
            )
            if new_chunk != chunk:
                old.unlink()
            filters.append([name, new_chunk])
        meta[_META_FILTERS] = sorted(filters)
        new_meta = write(index, "pagefind.", lang, ".pf_meta", meta)
        if new_meta != info["hash"]:
            meta_path.unlink()
            info["hash"] = new_meta


def read(path: Path) -> CborValue:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path.name}: no {SIGNATURE.decode()} signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise FormatError(f"{path.name}: {len(data) - end} bytes after the data")
    return value


def write(folder: Path, file_prefix: str, lang: str, suffix: str, value: CborValue) -> str:
    """Write ``value`` as ``folder/<file_prefix><lang>_<hash><suffix>``; return ``<lang>_<hash>``."""
    raw = SIGNATURE + encode(value)
    name = f"{lang}_{hashlib.sha256(raw).hexdigest()[:10]}"
    target = folder / f"{file_prefix}{name}{suffix}"
    if not target.exists():
        target.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def encode(value: CborValue) -> bytes:
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise FormatError(f"cannot encode {type(value).__name__}")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if argument < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, argument)
    raise FormatError(f"{argument} is too large")


def _decode(data: bytes, at: int) -> tuple[CborValue, int]:
    if at >= len(data):
        raise FormatError("truncated")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise FormatError(f"unsupported simple value {info}")
        return simple[info], at
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise FormatError("indefinite lengths are not used by Pagefind")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw if major == 2 else raw.decode("utf-8")), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise FormatError(f"unsupported major type {major}")
