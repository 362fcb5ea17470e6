"""Files under the cache folder: the one atomic writer, the one checked envelope, notices.

Every cache file is data: a header line naming the format, the kind of record and the
SHA-256 of the payload, then the payload as JSON.  Nothing read back is ever executed
(no pickle, no marshal; the one exception, compiled templates, is verified by a key outside
the project: :mod:`sitegen.template_cache`) and nothing is trusted: a file that is
missing, of another :data:`VERSION`, of another kind, truncated, flipped, not JSON, or
not a regular file is ignored, and the caller does the work again.  Such a surprise is
reported as a notice (:class:`Notices`), never as a traceback; a file of an older
version is ignored in silence (an upgrade is not a surprise).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..errors import NOTICE, Problem
from .codec import Invalid

T = TypeVar("T")

# The one version stamp of everything under the cache folder: raise it when a record's
# layout changes (the generator's code digest is in every key as well, see .digests).
# 5: the manifest without summary and warnings; 6: the stat index in columns; 7: pages' inodes;
# 8: a parse record's media facts (sitegen.body_facts)
VERSION = 8
# A stat time within this distance of the moment it was recorded is not trusted: a write
# in the same clock tick may keep the mtime (git's "racily clean" rule).
RACY_NS = 3_000_000_000
# What the stat index (sitegen.cache.stat_index) and a fingerprint (sitegen.fastpath) keep of
# a file's stat: size, mtime_ns, ctime_ns, inode.
Stat = tuple[int, int, int, int]


def stat_tuple(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


_MAGIC = b"sitegen-cache"
_HEADER_MAX = 256  # magic, version, kind and hash fit well within this


@dataclass
class Notices:
    """Cache entries ignored or not saved during one build, reported as notices (never errors:
    ``--strict`` fails on warnings, and a damaged cache only costs time)."""

    problems: list[Problem] = field(default_factory=list)

    def ignored(self, path: Path, detail: str) -> None:
        self.problems.append(Problem("cache_entry_ignored", str(path), None, {"detail": detail}, NOTICE))

    def not_saved(self, path: Path, error: OSError) -> None:
        detail = error.strerror or type(error).__name__
        self.problems.append(Problem("cache_not_saved", str(path), None, {"detail": detail}, NOTICE))


@dataclass
class CacheFolder:
    """The cache as one build sees it: its folder (``None`` with ``--no-cache``: nothing is read
    from or written to it) and the notices about its entries."""

    folder: Path | None
    notices: Notices = field(default_factory=Notices)
    used_media: set[str] = field(default_factory=set)  # names in media/ this build read or wrote
    media_planned: bool = False  # every image of the site went through used_media (sitegen.media)

    @property
    def media(self) -> Path | None:
        """Image records and encoded variants (see :mod:`sitegen.cache.images`)."""
        return None if self.folder is None else self.folder / "media"


def _create(path: str, flags: int, mode: int) -> int:
    return os.open(path, flags, mode)


def write_atomic(path: Path | str, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename: a
    reader sees the old file or the new one, never a part (even with builds in parallel: the
    temporary name is this process's and thread's).  The one writer of every file under
    ``.cache/`` but the body packs; ``mode`` for a new file (before the umask): the social cards
    and icons, hard-linked into the site, are readable by all.

    With the os functions rather than pathlib's, and the folder made only when it is missing:
    a cold build writes a thousand cards into one folder.  A file that does not exist yet is
    written, where Linux allows, as a file without a name that then gets its own
    (:func:`_write_unnamed`): no temporary name, no rename."""
    name = os.fspath(path)
    if not os.path.lexists(name) and _write_unnamed(name, data, mode):
        return
    folder, base = os.path.split(name)
    temporary = os.path.join(folder, f".{base}.{os.getpid()}.{threading.get_ident()}.tmp")
    # a new file only (never through a link planted at that name): a leftover of a process
    # that died is removed first
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = _create(temporary, flags, mode)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        handle = _create(temporary, flags, mode)
    except FileExistsError:
        os.unlink(temporary)
        handle = _create(temporary, flags, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_unnamed(name: str, data: bytes, mode: int) -> bool:
    """Write ``data`` into an unnamed file of ``name``'s folder (``O_TMPFILE``) and give it that name
    in one step (``linkat`` through ``/proc/self/fd``): the file appears whole or not at all, as
    through a rename, for half the folder updates (a cold build names a thousand cards, in
    one folder, on a file system that may be slow to).  False, with nothing written, where
    this is not possible (not Linux, a file system without it, no ``/proc``) or ``name`` exists:
    the caller then writes through a temporary name."""
    if _LINKAT is None:
        return False
    folder = os.path.dirname(name) or "."
    try:
        handle = _create(folder, _UNNAMED_FLAGS, mode)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        try:
            handle = _create(folder, _UNNAMED_FLAGS, mode)
        except OSError:
            return False
    except OSError:  # EISDIR or EOPNOTSUPP (no O_TMPFILE here), or a folder not writable
        return False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        source = f"/proc/self/fd/{handle}".encode()
        return _LINKAT(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(name), _AT_SYMLINK_FOLLOW) == 0
    finally:
        os.close(handle)  # an unnamed file that got no name is freed here


def _libc_linkat() -> Callable[..., int] | None:
    if not hasattr(os, "O_TMPFILE"):
        return None
    import ctypes  # (Linux only)

    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "linkat", None)  # libc, already loaded
    except OSError:
        return None


_UNNAMED_FLAGS = getattr(os, "O_TMPFILE", 0) | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
_AT_FDCWD, _AT_SYMLINK_FOLLOW = -100, 0x400
_LINKAT = _libc_linkat()


# The codec's values are trees made afresh (lists, dicts, text, numbers): no container holds
# itself, so the encoder need not remember every container it is inside to catch a cycle
# (its default), which was a third of encoding the records a one-edit build writes.  Same bytes.
_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False)


def encode_record(kind: str, data: object) -> bytes:
    """The bytes of a record file: the checked header, then ``data`` as JSON."""
    payload = _JSON.encode(data).encode("ascii")
    header = b"%s %d %s %s\n" % (_MAGIC, VERSION, kind.encode("ascii"), hashlib.sha256(payload).hexdigest().encode())
    return header + payload


def save_record(path: Path, kind: str, data: object) -> None:
    """Write a record (JSON values only: ``data`` comes from :mod:`sitegen.cache.codec`)."""
    write_atomic(path, encode_record(kind, data))


def save_quietly(path: Path, kind: str, data: object, notices: Notices | None) -> bool:
    """:func:`save_record`, a failure noted rather than raised (a cache that cannot be written is
    only slower: a read-only folder, a folder where the file should be, a full disk)."""
    try:
        save_record(path, kind, data)
    except OSError as error:
        if notices is not None:
            notices.not_saved(path, error)
        return False
    return True


def decode_record(data: bytes, kind: str) -> tuple[object | None, str | None]:
    """``(value, None)``; ``(None, None)`` for another version; ``(None, why)`` for a bad file."""
    end = data.find(b"\n", 0, _HEADER_MAX)
    if end < 0:
        return None, "no header"
    parts = data[:end].split(b" ")
    if len(parts) != 4 or parts[0] != _MAGIC:
        return None, "no header"
    if parts[1] != str(VERSION).encode():
        return None, None
    if parts[2] != kind.encode("ascii"):
        return None, f"not a {kind} record"
    payload = memoryview(data)[end + 1 :]
    if hashlib.sha256(payload).hexdigest().encode() != parts[3]:
        return None, "checksum"
    try:
        return json.loads(bytes(payload)), None
    except ValueError:
        return None, "not JSON"


def load_record(path: Path, kind: str, notices: Notices | None) -> object | None:
    """The JSON value saved by :func:`save_record`, or ``None`` (absent, or noted as ignored)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as error:  # a folder where the file should be, no permission, ...
        if notices is not None:
            notices.ignored(path, error.strerror or type(error).__name__)
        return None
    value, why = decode_record(data, kind)
    if why is not None and notices is not None:
        notices.ignored(path, why)
    return value


def load_checked(path: Path, kind: str, decode: Callable[[object], T], notices: Notices | None) -> T | None:
    """The record at ``path`` decoded and checked by ``decode``, or ``None``: absent, or not a
    valid record (then noted as ignored, and the caller does the work again)."""
    value = load_record(path, kind, notices)
    if value is None:
        return None
    try:
        return decode(value)
    except Invalid as exc:
        if notices is not None:
            notices.ignored(path, str(exc))
        return None


def remove_quietly(path: Path | str) -> None:
    """Remove a cache file or folder; one that cannot be removed stays (it is never trusted)."""
    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            import shutil

            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
