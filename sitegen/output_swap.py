"""Make a built site live in one step, and keep the site it replaced as the next build's spare.

:func:`commit_staging` swaps the staging folder (:func:`sitegen.output.begin_staging`) with
the live one, in a single ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere,
which :func:`sitegen.output.recover` finishes or undoes at the next build); the old site
becomes the spare or is deleted in the background.  After a cold build :func:`twin_spare`
makes the spare as a folder of hard links to the new site.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from .output import folder_identity
from .output_guard import mark, remove_ours, sibling
from .output_trash import remove_in_background

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def commit_staging(staging: Path, output: Path, keep_spare: bool = False) -> tuple[int, int] | None:
    """Make the staging folder the site in one step; the old site becomes the spare or goes.

    With ``keep_spare`` the old site is kept as ``.public.spare`` for the next build (see
    :func:`begin_staging`) and its :func:`folder_identity` returned; otherwise it is deleted
    in the background and ``None`` returned.
    """
    _fsync_tree_marker(staging)
    spare = sibling(output, "spare")
    if os.path.lexists(spare):  # a spare the manifest did not vouch for (a reused one is the staging folder now)
        _discard(output, spare)
    swap(staging, output)
    if not staging.exists():
        return None
    # after an exchange it holds the old site
    if keep_spare:
        os.rename(staging, spare)
        return folder_identity(spare)
    _discard(output, staging)
    return None


def twin_spare(output: Path, files: Iterable[str]) -> tuple[int, int] | None:
    """After a build that had no spare (a cold one), make one of hard links to the live ``files``.

    The next build then updates a folder that is already the live site, file for file,
    instead of making a folder and a link per page (a third of the first rebuild after a
    cold build).  It is made as ``.public.new`` (a build killed meanwhile leaves only what
    :func:`sitegen.output.recover` removes) and renamed to ``.public.spare`` when whole; its
    identity is returned, or ``None`` when it could not be made (the next build then makes its own).
    """
    temporary, spare = sibling(output, "new"), sibling(output, "spare")
    try:
        if spare.exists() or temporary.exists():
            return None
        temporary.mkdir()
        mark(temporary, like=output)
        made: set[str] = {""}  # the folders made in it (a new folder: nothing else makes any)
        for rel in sorted(files):
            _make_folder(str(temporary), os.path.dirname(rel), made)
            os.link(f"{output}/{rel}", f"{temporary}/{rel}")  # (strings: 2 300 files at 1 000 items)
        os.rename(temporary, spare)
    except OSError:
        remove_ours(temporary)
        return None
    return folder_identity(spare)


def _make_folder(root: str, folder: str, made: set[str]) -> None:
    """Make ``folder`` (relative to ``root``) and its parents, each once: 1 136 cards share one."""
    if folder not in made:
        _make_folder(root, os.path.dirname(folder), made)
        os.mkdir(f"{root}/{folder}")
        made.add(folder)


def _discard(output: Path, folder: Path) -> None:
    """Rename a folder out of the way and delete it in the background."""
    trash = sibling(output, f"trash-{os.getpid()}-{time.time_ns()}")
    os.rename(folder, trash)
    remove_in_background(trash)


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
    # The symbols already loaded in this process (libc's among them): ctypes.util.find_library
    # would run ldconfig in a subprocess on every build.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
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
