"""Write the built site atomically, under a lock.

The new site is written into a sibling folder (``.public.new``) and then swapped with the
old one in a single ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere, with
recovery at the next build).  Files whose bytes did not change are hard-linked from the
old site, so their modification time stays and writing is cheap.  A build that fails or is
killed before the swap leaves the old site exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .errors import BuildError, Problem

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def sibling(output: Path, suffix: str) -> Path:
    """``public`` → ``.public.<suffix>`` in the same parent folder (so renames stay atomic)."""
    return output.parent / f".{output.name}.{suffix}"


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Exclusive lock on the output folder; a second build fails at once with a clear message."""
    lock_path = sibling(output, "lock")
    if not lock_path.exists() and _holds_files(output):
        # Every build leaves its lock file next to the output: a full folder without one
        # was not made by this generator (--output ~/Documents), and a build replaces it.
        raise BuildError([Problem("output_not_ours", str(output), None, {"output": str(output)})])
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")
    except OSError as exc:  # parent is a file, read-only file system, no permission, disk full
        raise BuildError([Problem("output_unusable", str(output), None, {
            "output": str(output), "detail": f"{exc.strerror or exc} ({exc.filename or lock_path})"})]) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError([Problem("build_locked", str(output), None, {"output": str(output)})]) from None
        yield
    finally:
        handle.close()


def _holds_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and next(os.scandir(folder), None) is not None
    except OSError:
        return False


def recover(output: Path) -> None:
    """Finish or undo a swap that a killed build left half done, and drop stale temporaries."""
    old = sibling(output, "old")
    if not output.exists() and old.is_dir():
        os.rename(old, output)  # killed between the two fallback renames: the old site comes back
    for leftover in (sibling(output, "new"), old):
        if leftover.exists():
            shutil.rmtree(leftover)


def write_site(output: Path, files: Mapping[str, bytes | Path]) -> tuple[int, int]:
    """Replace ``output`` with exactly ``files`` (relative path → bytes or a file to copy).

    Returns (written, unchanged) counts.  Raises :class:`BuildError` on any OS error, after
    removing the half-written folder; the previous site stays in place.
    """
    recover(output)
    staging = sibling(output, "new")
    written = unchanged = 0
    try:
        staging.mkdir(parents=True)
        made_dirs: set[Path] = {staging}
        for rel in sorted(files):
            target = staging / rel
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            if _link_if_same(output / rel, target, files[rel]):
                unchanged += 1
                continue
            content = files[rel]
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                with open(target, "wb") as handle:
                    handle.write(content)
            written += 1
        _fsync_tree_marker(staging)
        swap(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError([Problem("write_failed", str(output), None, {
            "detail": f"{exc.strerror or exc} ({exc.filename or output})"})]) from None
    shutil.rmtree(staging, ignore_errors=True)  # after an exchange it holds the old site
    return written, unchanged


def _link_if_same(previous: Path, target: Path, content: bytes | Path) -> bool:
    """Hard-link the old file into the new site when its bytes are the same."""
    try:
        old_size = previous.stat().st_size
    except OSError:
        return False
    if isinstance(content, Path):
        try:
            same = content.stat().st_size == old_size and content.read_bytes() == previous.read_bytes()
        except OSError:
            return False
    else:
        if len(content) != old_size:
            return False
        same = previous.read_bytes() == content
    if not same:
        return False
    try:
        os.link(previous, target)
    except OSError:
        return False
    return True


def _fsync_tree_marker(folder: Path) -> None:
    """Flush the new folder's entries before the swap makes it visible."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap(new: Path, output: Path) -> None:
    """Make ``new`` the output folder in one step; the old site ends up at ``new``'s path."""
    if output.exists() and _exchange(new, output):
        return
    if output.exists():
        old = sibling(output, "old")
        os.rename(output, old)
        os.rename(new, output)
        shutil.rmtree(old)
    else:
        os.rename(new, output)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's ``renameat2``; False where it is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(b))
