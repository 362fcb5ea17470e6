"""Run a function over many items on every core, with results in input order.

Workers are *forked* after the parent has prepared everything they need (config, the
assembled site, the page plan), so nothing but small arguments and results crosses the
process boundary; page contexts hold functions that could not be pickled anyway.  Where
``fork`` does not exist (Windows, and macOS's default), or for small batches, the work
runs in this process: the output is the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

# Below this many items a pool costs more than it saves (forking, pickling results).
MIN_PARALLEL = 48

_task: Callable[[Any], Any] | None = None
_parent_pid = 0


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start_worker() -> None:
    """Make a forked worker safe to orphan: it dies with the build and holds no lock."""
    from .output import close_inherited_locks

    close_inherited_locks()
    try:  # Linux: SIGKILL this worker when the build process dies, however it dies
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != _parent_pid:  # the build died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _task is not None
    return [_task(item) for item in chunk]


def guided_chunks(items: Sequence[Any], jobs: int) -> list[Sequence[Any]]:
    """``items`` cut into consecutive chunks that shrink towards the end ("guided" scheduling).

    Each chunk is a quarter of each worker's share of what is left (at most 64 items, at
    least 4): the large early chunks keep messages few, the small last ones keep every
    core busy until the end instead of leaving one waiting for a long last chunk.
    """
    chunks, start = [], 0
    while start < len(items):
        size = max(4, min(64, (len(items) - start) // (jobs * 4)))
        chunks.append(items[start : start + size])
        start += size
    return chunks


def parallel_map(
    task: Callable[[Any], Any], items: Sequence[Any], jobs: int, on_done: Callable[[int], None] | None = None
) -> list[Any]:
    """``[task(item) for item in items]``, spread over ``jobs`` forked processes when worth it.

    ``on_done(n)`` is called in this process as results arrive (for the progress bar).
    """
    global _task, _parent_pid
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for item in items:
            results.append(task(item))
            if on_done:
                on_done(1)
        return results
    chunks = guided_chunks(items, jobs)
    _task = task
    _parent_pid = os.getpid()
    try:
        # Objects made before the fork are left out of the workers' garbage collections: a
        # collection writes to every object it visits, which copied the whole plan into each worker.
        gc.freeze()
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker) as pool:
            results = []
            for part in pool.imap(_run_chunk, chunks):
                results.extend(part)
                if on_done:
                    on_done(len(part))
        return results
    finally:
        _task = None
        gc.unfreeze()
