"""Range and path checks of values read back from the cache (types are checked by the codec).

A path read from the cache never leaves the folder it belongs to: an output file's path is
relative, below the output folder; a site path is root-relative, without ``.``/``..``; a
cache entry's name is a hash.  Each check raises :class:`~sitegen.cache.codec.Invalid`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

from ..errors import ERROR, NOTICE, WARNING, Problem
from ..messages import CATALOGUE
from .codec import Invalid

_HEX = frozenset(string.hexdigits.lower())
_HEX_BYTES = "".join(sorted(_HEX)).encode()


def digest(value: str, length: int = 64) -> str:
    """A lower-case hex digest of ``length`` characters (a cache entry is named by one)."""
    if len(value) != length or not _HEX.issuperset(value):
        raise Invalid(f"not a digest: {value[:80]!r}")
    return value


def digests(values: Iterable[str], length: int = 64) -> None:
    """:func:`digest` of every one of ``values``: their lengths as a set, their characters at once
    (the hex digits deleted from the joined bytes must leave nothing)."""
    found = list(values)
    joined = "".join(found)
    if not ({*map(len, found)} <= {length} and joined.isascii() and not joined.encode().translate(None, _HEX_BYTES)):
        for value in found:
            digest(value, length)  # names the first bad one


def _segments_ok(path: str) -> bool:
    """No empty, ``.`` or ``..`` segment, no backslash or NUL (membership tests: C speed)."""
    if "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return "" not in parts and "." not in parts and ".." not in parts


def relative_file(value: str) -> str:
    """A file path relative to its folder (``notizie/a/index.html``), never climbing out of it."""
    if not value or value.startswith("/") or not _segments_ok(value):
        raise Invalid(f"path outside its folder: {value[:200]!r}")
    return value


def relative_files(values: Iterable[str]) -> None:
    """:func:`relative_file` of every one of ``values``, in a few string searches (a manifest
    names thousands of paths: one call each was 2 ms of every build at 1000 items).

    The paths are joined with a NUL and a slash on each side of every one: with no NUL inside a
    path (the count of NULs tells), every segment stands between two slashes, so an empty path,
    a leading slash or an empty segment shows as ``//``, a ``.`` or ``..`` segment as ``/./`` or
    ``/../``.  When one shows, each path is checked alone (the authority), naming the first bad one."""
    paths = list(values)
    joined = "\0/" + "/\0/".join(paths) + "/\0"
    if joined.count("\0") != 2 * len(paths) or "//" in joined or "/./" in joined or "/../" in joined or "\\" in joined:
        for value in paths:
            relative_file(value)


def site_path(value: str) -> str:
    """A root-relative site path (``/``, ``/rete/``, ``/en/news/x/``) with no ``.``/``..`` in it."""
    if not value.startswith("/"):
        raise Invalid(f"not a site path: {value[:200]!r}")
    inner = value[1:-1] if value.endswith("/") else value[1:]
    if inner and not _segments_ok(inner):
        raise Invalid(f"not a site path: {value[:200]!r}")
    return value


def natural(value: int, least: int = 0) -> int:
    if value < least:
        raise Invalid(f"{value} is below {least}")
    return value


def one_of(value: str, allowed: frozenset[str] | tuple[str, ...]) -> str:
    if value not in allowed:
        raise Invalid(f"{value[:80]!r} is not one of {sorted(allowed)}")
    return value


def problems(found: Iterable[Problem]) -> None:
    """Problems replayed from the cache: each names a message of the catalogue, with a known severity."""
    found = tuple(found)
    if not {p.code for p in found} <= CATALOGUE.keys():
        raise Invalid("a problem with an unknown message")
    if not {p.severity for p in found} <= {ERROR, WARNING, NOTICE}:
        raise Invalid("a problem of an unknown severity")
