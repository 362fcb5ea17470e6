"""What ``serve`` watches: Linux inotify when there is one, so a save is seen at once and an idle
preview costs no CPU (a stat poll of 1 000 sources takes 15-40 ms, ten times a second).

:class:`Inotify` reports that something changed below the watched folders (or in the watched
files) since it was last asked; it does not say what: the build finds that out by itself.
Only completed writes count (``close`` after a write, a rename into place, a delete): an
editor that truncates then writes is seen once, with its whole text.

Where there is no inotify, :class:`Poller` compares the size, mtime and ctime of every
watched file ten times a second (mtime alone misses an editor that truncates and then
writes within one clock tick).  :func:`watch_for_changes` wires either to Tornado's loop.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
from collections.abc import Callable
from pathlib import Path

from tornado import ioloop

# How often the sources are checked for changes where there is no inotify: ten times a
# second keeps the edit→reload delay low.
POLL_MS = 100
# With inotify: how long to wait after a change for more (an editor saving several files,
# a git checkout) before building once.
SETTLE_S = 0.01

_IN_CLOSE_WRITE = 0x008
_IN_ATTRIB = 0x004
_IN_MOVED_FROM = 0x040
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_IN_Q_OVERFLOW = 0x4000
_IN_ISDIR = 0x40000000
_IN_NONBLOCK = 0o4000
_IN_CLOEXEC = 0o2000000
_MASK = (
    _IN_CLOSE_WRITE
    | _IN_ATTRIB
    | _IN_MOVED_FROM
    | _IN_MOVED_TO
    | _IN_CREATE
    | _IN_DELETE
    | _IN_DELETE_SELF
    | _IN_MOVE_SELF
)
_EVENT = struct.Struct("iIII")


def _editor_scratch(name: str) -> bool:
    """Files editors write next to the one being edited (swap, backup, lock, vim's write test)."""
    return name.endswith((".swp", ".swx", ".swo", "~")) or name.startswith(".#") or name == "4913"


class Inotify:
    """Watches folders (with every folder below them) and single files; :meth:`changed` drains the events."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.fd = fd
        self._folders: dict[int, str] = {}  # watch descriptor → folder
        self._files: dict[int, set[str]] = {}  # watch descriptor of a file's folder → the names watched there
        self._trees: set[int] = set()  # descriptors of folders watched with everything below

    def watch(self, path: Path) -> None:
        """A folder (and all below it), or one file (through its folder, so a rename into place counts)."""
        if path.is_dir():
            self._watch_tree(str(path))
        else:
            wd = self._watch_one(str(path.parent))
            self._files.setdefault(wd, set()).add(path.name)

    def _watch_one(self, folder: str) -> int:
        wd = int(self._add(self.fd, os.fsencode(folder), _MASK))  # ctypes calls are untyped; restype is int
        if wd < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {folder}")
        self._folders[wd] = folder
        return wd

    def _watch_tree(self, folder: str) -> None:
        try:
            self._trees.add(self._watch_one(folder))
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):  # gone meanwhile
                return
            raise
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                self._watch_tree(entry.path)

    def changed(self) -> bool:
        """Whether anything watched changed since the last call (reads every pending event)."""
        found = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return found
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, size = _EVENT.unpack_from(data, offset)
                name = (
                    data[offset + _EVENT.size : offset + _EVENT.size + size]
                    .rstrip(b"\0")
                    .decode(errors="surrogateescape")
                )
                offset += _EVENT.size + size
                found |= self._relevant(wd, mask, name)

    def _relevant(self, wd: int, mask: int, name: str) -> bool:
        if mask & _IN_Q_OVERFLOW:
            return True
        if wd in self._trees:
            if mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO):
                self._watch_tree(os.path.join(self._folders[wd], name))  # a new folder: watch it too
            return not (mask & _IN_ATTRIB and mask & _IN_ISDIR) and not _editor_scratch(name)
        return name in self._files.get(wd, ())

    def close(self) -> None:
        os.close(self.fd)


Snapshot = dict[str, tuple[int, int, int]]


class Poller:
    """The watched folders (with everything below them) and files, compared by stat between calls."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self._last = self.snapshot()

    def snapshot(self) -> Snapshot:
        """Size, mtime and ctime (ns) of every watched file that is not an editor's scratch file."""
        seen: Snapshot = {}
        for path in self.paths:
            if path.is_dir():
                for folder, _dirs, names in os.walk(path):
                    for name in names:
                        if not _editor_scratch(name):
                            _stat_into(seen, os.path.join(folder, name))
            else:
                _stat_into(seen, str(path))
        return seen

    def changed(self) -> bool:
        """Whether anything watched changed since the last call."""
        now = self.snapshot()
        found, self._last = now != self._last, now
        return found


def _stat_into(seen: Snapshot, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:  # gone meanwhile: its absence is the change
        return
    seen[path] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def watch_for_changes(paths: list[Path], on_change: Callable[[], None]) -> None:
    """Call ``on_change()`` on the current Tornado loop whenever something below ``paths`` changed.

    With inotify: as soon as a change is reported, after :data:`SETTLE_S` (so that a burst
    of saves calls it once); nothing is polled.  Without: a :class:`Poller` every
    :data:`POLL_MS` ms.
    """
    loop = ioloop.IOLoop.current()
    events = _inotify_of(paths)
    if events is None:  # no inotify (not Linux, or no watches left): poll
        poller = Poller(paths)
        ioloop.PeriodicCallback(lambda: on_change() if poller.changed() else None, POLL_MS).start()
        return
    due = False

    def settled() -> None:
        nonlocal due
        due = False
        events.changed()  # what came while settling is in this build
        on_change()

    def on_events(_fd: object, _flags: int) -> None:
        nonlocal due
        if events.changed() and not due:
            due = True
            loop.call_later(SETTLE_S, settled)

    loop.add_handler(events.fd, on_events, ioloop.IOLoop.READ)


def _inotify_of(paths: list[Path]) -> Inotify | None:
    """An :class:`Inotify` watching ``paths``, or ``None`` where inotify cannot do it."""
    try:
        events = Inotify()
    except (OSError, AttributeError):
        return None
    try:
        for path in paths:
            events.watch(path)
    except OSError:
        events.close()
        return None
    return events
