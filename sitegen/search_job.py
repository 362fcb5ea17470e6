"""``serve``: the search index brought up to date in the background, after the pages went live.

Pagefind takes about 2.5 ms a page and has no incremental mode, so even one shard of the
index (:mod:`sitegen.search_shards`) would hold a preview reload for a while.  A ``serve``
build therefore publishes the new pages with the index as it was
(:func:`sitegen.search.carry_index`, which names the shards now behind in the pending
marker), and a :class:`BackgroundIndex` runs Pagefind on those shards of the live preview
afterwards, one after another, and swaps the new ``pagefind/`` folder in at once
(:func:`sitegen.search.reindex_live`).  At most one job runs at a time, and the next
build cancels it first (the running Pagefind is killed; the shards stay named in the
marker), so an older index never replaces a newer one and a build never reads a folder
that is changing.  The job holds the output's build lock
while it runs, like a build.  When it is done, the output folder is what ``build`` makes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError
from .output import build_lock, write_failed
from .search import reindex_live
from .search_pagefind import TIMEOUT_SECONDS
from .search_pending import index_pending

_PR_SET_PDEATHSIG = 1
_LIBC: ctypes.CDLL | None
try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:  # not Linux-like: no parent-death signal
    _LIBC = None


def _child_setup() -> None:  # pragma: no cover - runs in the forked child
    """Pagefind yields the CPU to the preview (builds, pages) and dies with it."""
    os.nice(10)
    prctl = getattr(_LIBC, "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class BackgroundIndex:
    """The background index job of one preview folder.

    ``on_done(error)`` is called from the job's thread when a job ends without being
    cancelled: ``None`` after the new index went live, the :class:`BuildError` otherwise.
    """

    def __init__(self, output: Path, on_done: Callable[[BuildError | None], None]) -> None:
        self.output = output
        self.on_done = on_done
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._cancelled = threading.Event()
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Cancel the running job, then index the preview again if its index is behind."""
        self.cancel()
        if not index_pending(self.output):
            return
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._job, args=(self._cancelled,), name="search-index", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop the running job (Pagefind is killed) and wait until it has cleaned up."""
        thread = self._thread
        if thread is None:
            return
        with self._lock:
            self._cancelled.set()
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        thread.join()
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _job(self, cancelled: threading.Event) -> None:
        try:
            with build_lock(self.output):
                if cancelled.is_set() or not index_pending(self.output):
                    return
                try:
                    done = reindex_live(self.output, lambda argv: self._run(argv, cancelled))
                except OSError as exc:
                    raise write_failed(self.output, exc) from None
        except BuildError as error:  # a build of another process holds the lock, or Pagefind failed
            if not cancelled.is_set():
                self.on_done(error)
            return
        if done and not cancelled.is_set():
            self.on_done(None)

    def _run(self, argv: list[str], cancelled: threading.Event) -> subprocess.CompletedProcess[str] | None:
        """Pagefind, killed by :meth:`cancel`; ``None`` when cancelled."""
        with self._lock:
            if cancelled.is_set():
                return None
            try:
                self._process = subprocess.Popen(
                    argv,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env={**os.environ, "NO_COLOR": "1"},
                    preexec_fn=_child_setup if os.name == "posix" else None,
                )
            except OSError as exc:
                return subprocess.CompletedProcess(argv, -1, "", str(exc))
        process = self._process
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        finally:
            with self._lock:
                self._process = None
        if cancelled.is_set():
            return None
        return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
