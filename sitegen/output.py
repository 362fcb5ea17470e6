"""Write the built site into a staging folder, under a lock.

The new site is written into a sibling folder (``.public.new``), which
:mod:`sitegen.output_swap` then swaps with the old one in one step.  Files whose bytes did
not change are hard-linked from the old site, so their modification time stays and writing
is cheap.  A build that fails or is killed before the swap leaves the old site exactly as it
was (:func:`recover` finishes or undoes a swap left half done).  Only folders that carry the
generator's marker are ever replaced or deleted (:mod:`sitegen.output_guard`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PosixPath, WindowsPath

from .errors import BuildError, Problem
from .output_guard import check_output, mark, refuse_unless_ours, remove_ours, sibling
from .output_trash import claim

# A file the generator made in its cache and only ever replaces whole (``os.replace``), never
# rewrites in place: put into the output as a hard link rather than a copy.  Social cards
# are one per page: copying them was a tenth of a cold build, all in the main process.
if sys.platform == "win32":  # pragma: no cover

    class CacheFile(WindowsPath):
        """A cache file the output may share (see above)."""

else:

    class CacheFile(PosixPath):
        """A cache file the output may share (see above)."""


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Exclusive lock on the output folder; a second build fails at once with a clear message."""
    lock_path = sibling(output, "lock")
    check_output(output)  # a build replaces it: only a folder this generator made (sitegen.output_guard)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")
    except OSError as exc:  # parent is a file, read-only file system, no permission, disk full
        raise BuildError(
            [
                Problem(
                    "output_unusable",
                    str(output),
                    None,
                    {"output": str(output), "detail": f"{exc.strerror or exc} ({exc.filename or lock_path})"},
                )
            ]
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError([Problem("build_locked", str(output), None, {"output": str(output)})]) from None
        _LOCK_FDS.add(handle.fileno())
        yield
    finally:
        _LOCK_FDS.discard(handle.fileno())
        handle.close()


# File descriptors of the build locks this process holds.  A flock belongs to the open
# file, which forked workers share: a worker orphaned by a killed build would keep the
# lock, and the next build would be refused.  Workers close these first thing.
_LOCK_FDS: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked child: drop this process's share of the parent's build locks."""
    for fd in list(_LOCK_FDS):
        try:
            os.close(fd)
        except OSError:
            pass
    _LOCK_FDS.clear()


def recover(output: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop stale temporaries.

    Only folders with the generator's marker are touched: a user's own ``.public.old`` is
    refused before anything changes.
    """
    old = sibling(output, "old")
    # .search-new: serve's background Pagefind (sitegen.search.reindex_live) killed mid-run
    leftovers = [sibling(output, "new"), old, sibling(output, "search-new")]
    # A trash folder whose background removal is under way is that process's (sitegen.output_trash).
    claimed = {trash: fd for trash in output.parent.glob(f".{output.name}.trash-*") if (fd := claim(trash)) is not None}
    try:
        leftovers += sorted(claimed)
        for leftover in leftovers:
            refuse_unless_ours(leftover, output)
        if not output.exists() and old.is_dir():
            os.rename(old, output)  # killed between the two fallback renames: the old site comes back
        for leftover in leftovers:
            remove_ours(leftover)
    finally:
        for fd in claimed.values():
            os.close(fd)


def write_failed(output: Path, exc: OSError) -> BuildError:
    return BuildError(
        [Problem("write_failed", str(output), None, {"detail": f"{exc.strerror or exc} ({exc.filename or output})"})]
    )


def begin_staging(output: Path, spare_id: tuple[int, int] | None = None) -> tuple[Path, bool]:
    """The sibling folder to build the new site in, and whether it is the spare.

    The *spare* (``.public.spare``) is the site before the live one, kept by the last build
    (:func:`sitegen.output_swap.commit_staging`).  When its identity is ``spare_id`` (the manifest vouches for its
    files) it is renamed to the staging path and brought up to date by the caller: only
    files that differ are touched, instead of a new folder per page.  From that rename on
    it is an ordinary staging folder: a build killed while updating it leaves a ``.public.new``
    that the next build removes (:func:`recover`), never a spare that lies.
    """
    staging = sibling(output, "new")
    spare = sibling(output, "spare")
    try:
        recover(output)
        if spare_id is not None and folder_identity(spare) == spare_id:
            os.rename(spare, staging)
            mark(staging)  # a spare from before the marker existed, vouched for by the manifest
            return staging, True
        if os.path.lexists(spare):
            refuse_unless_ours(spare, output)  # unknown to the manifest: it goes when this build succeeds
        if output.is_dir():
            mark(output)  # a site from before the marker existed (accepted by its lock file)
        staging.mkdir(parents=True)
        mark(staging, like=output)
    except OSError as exc:
        raise write_failed(output, exc) from None
    return staging, False


def folder_identity(path: Path) -> tuple[int, int] | None:
    """(inode, ctime) of a folder: inodes are reused as soon as freed, so a folder deleted and
    made again can have the old one; its ctime (set by the rename that made it the spare, and
    by any entry added or removed in it) tells them apart."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_ctime_ns) if stat.S_ISDIR(st.st_mode) else None


def remove_stale(staging: Path, rels: Iterable[str]) -> None:
    """Remove files of a reused spare that the new site does not have (and folders left empty)."""
    for rel in sorted(rels, reverse=True):
        _clear(f"{staging}/{rel}")
        folder = os.path.dirname(rel)
        while folder:
            try:
                os.rmdir(f"{staging}/{folder}")
            except OSError:
                break  # not empty (or gone): its parents are not empty either
            folder = os.path.dirname(folder)


def _clear(target: str) -> None:
    """Make room for a new file: a reused staging folder may hold an older one (maybe hard-linked
    to the live site, which must never be written through)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)
    except PermissionError:
        if not os.path.isdir(target):
            raise
        shutil.rmtree(target)


def _parent(target: Path | str) -> None:
    """Make the folder ``target`` goes in: one ``mkdir`` when its parent exists (every page has its own)."""
    folder = os.path.dirname(target)
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):  # a reused spare had a file where this site has a folder
            os.unlink(folder)
            os.mkdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        _parent(folder)
        os.mkdir(folder)


def put_file(staging: Path, output: Path | None, rel: str, content: bytes | Path) -> tuple[int, int, int, bool]:
    """Put one file in the staging folder: hard-linked from the old site (``output``; ``None``:
    there is none) if its bytes are the same.

    Returns (size, mtime_ns, inode, written).
    """
    target, previous = f"{staging}/{rel}", f"{output}/{rel}"  # strings: this runs for every file
    old = _same_file(previous, content) if output is not None else None
    if old is not None:
        cached = _cache_twin(content, old) if isinstance(content, CacheFile) else None
        if cached is not None:  # the cache file itself, rather than the old site's equal copy
            previous, old = str(content), cached
        try:
            there = os.lstat(target)
        except (FileNotFoundError, NotADirectoryError):
            _parent(target)
        else:
            if there.st_ino == old.st_ino and there.st_dev == old.st_dev:
                return old.st_size, old.st_mtime_ns, old.st_ino, False  # a reused spare already holds this very file
            _clear(target)
        try:
            os.link(previous, target)
            return old.st_size, old.st_mtime_ns, old.st_ino, False
        except OSError:
            pass  # written below
    st = _linked(content, target) if isinstance(content, CacheFile) else None
    if st is not None:
        pass  # the same inode: its mtime is the source's, as a copy's (see _same_file)
    elif isinstance(content, Path):
        _parent(target)
        _clear(target)
        shutil.copyfile(content, target)
        os.utime(target, ns=(time.time_ns(), os.stat(content).st_mtime_ns))  # see _same_file
        st = os.stat(target)
    else:
        st = _created(target, partial(_write, target, content))
    return st.st_size, st.st_mtime_ns, st.st_ino, True


def _created(target: str, make: Callable[[], os.stat_result]) -> os.stat_result:
    """``make()``, which makes the file ``target`` (and fails if there is one) and returns its
    stat; when it fails, made again once there is room: its folder made, or the older file of
    a reused spare removed.  Tried first, not looked at first: a cold build's files need no
    failing stat and unlink each (and its 1 136 cards share one folder, made once)."""
    try:
        return make()
    except FileExistsError:
        _clear(target)
    except (FileNotFoundError, NotADirectoryError):
        _parent(target)
    return make()


def _write(target: str, data: bytes) -> os.stat_result:
    with open(target, "xb") as handle:  # a new file: never written through an older one (see _clear)
        handle.write(data)
        handle.flush()
        return os.fstat(handle.fileno())


def _link(source: Path, target: str) -> os.stat_result:
    os.link(source, target)
    return os.stat(target)


def _cache_twin(content: CacheFile, old: os.stat_result) -> os.stat_result | None:
    """The stat of the cache file ``content`` when the old site's copy, with the same bytes, is
    another file of the same device (a card drawn again under its name, as a ``--no-cache`` build
    draws every card), else ``None``.  Linking the cache file itself lets the next builds find it in place
    (:mod:`sitegen.output_linked`); linking the old copy again kept every card apart from the
    cache for good, compared byte for byte at every build (N=1000: 45 ms of each one-edit build)."""
    try:
        st = os.stat(content)
    except OSError:
        return None
    return st if st.st_dev == old.st_dev and st.st_ino != old.st_ino else None


def _linked(source: Path, target: str) -> os.stat_result | None:
    """``target`` made a hard link to ``source``, and its stat; ``None`` if it could not be."""
    try:
        return _created(target, partial(_link, source, target))
    except OSError:  # another file system, or links not allowed: copied instead
        return None


def link_unchanged(staging: Path, output: Path, rel: str, size: int, mtime_ns: int, ino: int = 0) -> bool:
    """Hard-link a page the manifest says is unchanged, if the old file is still as recorded.

    A reused spare that already holds the very file the last build wrote (its recorded inode,
    size and mtime: a file changed in place shows the change through every link) needs no
    look at the live site: one stat per unchanged page instead of two (at 1000 items, some
    3 ms of a one-edit build).  ``ino`` 0: not recorded, the live file is looked at."""
    target = f"{staging}/{rel}"  # strings, not Paths: this runs for every unchanged page
    try:
        there: os.stat_result | None = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        there = None
    if there is not None and there.st_ino == ino and there.st_size == size and there.st_mtime_ns == mtime_ns:
        return stat.S_ISREG(there.st_mode)  # (the staging folder is the live one's sibling: one device)
    previous = f"{output}/{rel}"
    try:
        st = os.stat(previous)
    except OSError:
        return False
    if st.st_size != size or st.st_mtime_ns != mtime_ns:
        return False  # touched since the last build: render it again
    if there is None:
        _parent(target)
    elif there.st_ino == st.st_ino and there.st_dev == st.st_dev:
        return True  # a reused spare already holds this very file (unchanged for two builds)
    else:
        _clear(target)
    try:
        os.link(previous, target)
    except OSError:
        return False
    return True


def abort_staging(staging: Path) -> None:
    remove_ours(staging)


def _same_file(previous: str, content: bytes | Path) -> os.stat_result | None:
    """The old file's stat when it holds the bytes of ``content``, else ``None``."""
    try:
        old = os.stat(previous)
    except OSError:
        return None
    if isinstance(content, Path):
        # A copy carries its source's mtime (put_file): the same size and mtime as the source is
        # the old copy, as the manifest trusts a page's (reading 1000 social cards twice was a
        # tenth of a one-edit rebuild); a file edited since has a new mtime and is compared.
        try:
            source = content.stat()
            same = source.st_size == old.st_size and (
                source.st_mtime_ns == old.st_mtime_ns or content.read_bytes() == Path(previous).read_bytes()
            )
        except OSError:
            return None
    else:
        try:
            same = len(content) == old.st_size and Path(previous).read_bytes() == content
        except OSError:
            return None
    return old if same else None
