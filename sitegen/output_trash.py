"""The trash: an old site renamed out of the way (``.public.trash-…``) and deleted in the background.

Removing 10 000 page folders takes longer than building them, so a build renames the folder
it replaces and a detached grandchild deletes it (:func:`remove_in_background`).  That process
holds an exclusive ``flock`` on the folder for as long as it works, so the next build's
recovery (:func:`sitegen.output.recover`) can tell a removal under way from one that died
(:func:`claim`): it leaves the first alone, instead of deleting the same folder a second time
in the foreground (up to a second of a one-edit build) and instead of finding it half removed,
its marker already gone, and refusing it as a user's folder.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .output_guard import remove_ours


def claim(folder: Path) -> int | None:
    """A descriptor of ``folder`` holding its removal lock; None when another process holds it, or
    when the folder is gone.  The caller closes the descriptor when it is done with the folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a removal is under way: it is that process's folder
        os.close(fd)
        return None
    return fd


def remove_in_background(folder: Path) -> None:
    """Delete a folder without waiting, by a detached grandchild that outlives this process.

    The folder's removal lock is taken here, before the fork, so that no later build can see
    it unlocked while the removal runs; the grandchild inherits it and it is released when that
    process exits.  A folder it could not finish is removed by the next build's recovery.  Every
    other descriptor is closed before the grandchild exists, above all the build lock: the next
    build may start at once.
    """
    fd = claim(folder)
    if fd is None or not hasattr(os, "fork"):
        if fd is not None:
            os.close(fd)
        remove_ours(folder)
        return
    try:
        child = os.fork()
        if child == 0:
            try:
                # Closed here, in the child this process waits for, before the grandchild is forked:
                # a grandchild that inherited the build lock's descriptor would hold the lock until
                # it got round to closing it, and a build started at once would be refused as locked.
                from .output import close_inherited_locks

                close_inherited_locks()
                os.closerange(3, fd)  # every descriptor but the removal lock's
                os.closerange(fd + 1, 65536)
                if os.fork() == 0:
                    os.setsid()
                    remove_ours(folder)
            finally:
                os._exit(0)
        os.waitpid(child, 0)
    finally:
        os.close(fd)  # the grandchild's copy keeps the lock
