"""Run a function over many items on every core, with results in input order.

``parallel_map(task, items, context, jobs)`` is ``[task(context, item) for item in items]``.
Workers are *forked* after the parent has prepared everything they need: ``context``
(config, the assembled site, the page plan) and ``items`` are inherited by the fork, never
pickled, and no module global carries them; only item numbers go to a worker and only
results come back.  Page contexts hold functions that could not be pickled anyway.

With a ``time_limit`` every item runs in a worker process, even with one job: a worker
still busy with one item past the limit is killed (each worker notes which item it is on, and
since when, in a little memory shared with this process, so that results still come back a
range at a time rather than one message per item) (a thread cannot be interrupted, and a
signal handler would only work in the main thread, while ``serve`` builds in another), the
item's result is ``on_timeout(item)``, and a fresh worker carries on with the rest.
Where ``fork`` does not exist (Windows, and macOS's default), or for small batches without a
limit, the work runs in this process: the output is the same either way (without ``fork``
the limit is not enforced).
"""

from __future__ import annotations

import gc
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

# multiprocessing (with socket, subprocess, pickle) is imported only where workers are forked:
# an edit's build runs its few items in this process and never needs it.
if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# Below this many items a pool costs more than it saves (forking, pickling results).
MIN_PARALLEL = 48

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class TimeLimit(Generic[Item, Result]):
    """At most ``seconds`` per item; ``on_timeout(item)`` is the result of an item that took longer."""

    seconds: float
    on_timeout: Callable[[Item], Result]


def default_jobs() -> int:
    return os.cpu_count() or 1


def guided_chunks(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
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
    task: Callable[[Context, Item], Result],
    items: Sequence[Item],
    context: Context,
    jobs: int,
    on_done: Callable[[int], None] | None = None,
    limit: TimeLimit[Item, Result] | None = None,
) -> list[Result]:
    """``[task(context, item) for item in items]``, spread over ``jobs`` forked processes when worth it.

    ``on_done(n)`` is called in this process as results arrive (for the progress bar).
    An exception raised by ``task`` in a worker is raised here.
    """
    if not items or (limit is None and (jobs <= 1 or len(items) < MIN_PARALLEL)) or not _can_fork():
        results = []
        for item in items:
            results.append(task(context, item))
            if on_done:
                on_done(1)
        return results
    workers = 1 if len(items) < MIN_PARALLEL else max(1, jobs)
    # Objects made before the fork are left out of the workers' garbage collections: a
    # collection writes to every object it visits, which copied the whole plan into each worker.
    gc.freeze()
    pool: _Pool[Context, Item, Result] | None = None
    try:
        pool = _Pool(task, items, context, workers, on_done, limit)
        results = pool.run()
    except BaseException:
        if pool is not None:  # a task failed (or the build was interrupted): nothing more to wait for
            pool.close(kill=True)
        raise
    finally:
        gc.unfreeze()
    pool.close()
    return results


def in_child(task: Callable[[], Result]) -> Result:
    """``task()`` run in a short-lived forked process, its result sent back (here where ``fork`` does not exist).

    For work that imports or loads much that this process never needs again (Pillow for the
    icons): what the child allocates is gone when it exits, instead of staying in a build's
    main process, and in every render worker forked from it, until the end (issue 14).
    An exception raised by ``task`` is raised here.
    """
    if not _can_fork():
        return task()
    import multiprocessing  # (imported where it is used: see the top)

    parent_conn, child_conn = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(
        target=_run_in_child, args=(task, child_conn, os.getpid()), daemon=True
    )
    process.start()
    child_conn.close()
    try:
        kind, _first, payload = parent_conn.recv()
    except EOFError:
        raise RuntimeError(f"a worker process died (exit code {process.exitcode})") from None
    finally:
        parent_conn.close()
        process.join()
    if kind == "error":
        raise payload
    return payload  # type: ignore[no-any-return]  # what task() returned, through the pipe


def _run_in_child(task: Callable[[], object], conn: Connection, parent_pid: int) -> None:
    _start_worker(parent_pid)
    try:
        result = task()
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        _send_error(conn, exc)
    else:
        conn.send(("done", 0, result))
    conn.close()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# --- the pool: forked workers fed with ranges of item numbers ----------------------------

_Range = tuple[int, int]
_FINISHED = -2  # a worker's "item under way" once it has finished its range


@dataclass
class _Worker:
    """A forked worker and the range of items it is working through (``next`` is under way)."""

    process: BaseProcess
    conn: Connection
    next: int = 0  # the first item of the range whose results have not come back
    stop: int = 0
    since: float = 0.0  # when the range was sent
    current: MutableSequence[float] | None = (
        None  # under a time limit: [item under way, since when], written by the worker
    )

    @property
    def busy(self) -> bool:
        return self.next < self.stop

    def under_way(self) -> tuple[int, float] | None:
        """The item this worker is on and since when, as it noted them (under a time limit);
        ``None`` once it has finished its range (its results are on their way)."""
        if not self.busy:
            return None
        if self.current is None:
            return self.next, self.since
        item, since = int(self.current[0]), self.current[1]
        if item == _FINISHED:
            return None
        # not yet started on this range: counted from when it was sent
        return (item, since) if self.next <= item < self.stop else (self.next, self.since)


class _Pool(Generic[Context, Item, Result]):
    def __init__(
        self,
        task: Callable[[Context, Item], Result],
        items: Sequence[Item],
        context: Context,
        workers: int,
        on_done: Callable[[int], None] | None,
        limit: TimeLimit[Item, Result] | None,
    ) -> None:
        self.task, self.items, self.context, self.limit = task, items, context, limit
        self.on_done = on_done or (lambda _n: None)
        self.results: list[Result | None] = [None] * len(items)
        self.missing = len(items)
        self.queue: deque[_Range] = deque(_ranges(len(items), workers))
        self.workers = [self._start() for _ in range(min(workers, len(self.queue)))]

    def run(self) -> list[Result]:
        from multiprocessing.connection import wait  # (imported where it is used: see the top)

        for worker in self.workers:
            self._feed(worker)
        while self.missing:
            busy = {worker.conn: worker for worker in self.workers if worker.busy}
            if not busy:  # every item is either done or under way: this cannot happen
                raise RuntimeError(f"{self.missing} results missing and no worker busy")
            for conn in wait(list(busy), timeout=self._wait_seconds()):
                self._receive(busy[conn])  # type: ignore[index]  # wait() returns the objects it was given
            self._enforce_limit()
        return self.results  # type: ignore[return-value]  # every slot was filled (missing == 0)

    def close(self, kill: bool = False) -> None:
        for worker in self.workers:
            if kill:
                worker.process.kill()
            try:
                worker.conn.send(None)  # the worker exits (a worker forked later holds a copy of
            except OSError:  # this end, so the worker would not read EOF until that one exits)
                pass
            worker.conn.close()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()

    def _start(self) -> _Worker:
        import multiprocessing  # (imported where it is used: see the top)

        parent_conn, child_conn = multiprocessing.Pipe()
        # under a time limit: [item under way, since when (time.monotonic(), the same clock in every process)]
        current = multiprocessing.RawArray("d", [-1.0, 0.0]) if self.limit is not None else None
        process = multiprocessing.get_context("fork").Process(
            target=_work,
            args=(self.task, self.items, self.context, child_conn, current, os.getpid()),
            daemon=True,
        )
        process.start()
        child_conn.close()
        return _Worker(process, parent_conn, current=current)

    def _feed(self, worker: _Worker) -> None:
        if self.queue:
            worker.next, worker.stop = self.queue.popleft()
            worker.since = time.monotonic()
            if worker.current is not None:
                worker.current[0] = -1  # until the worker notes its first item: timed from now
            worker.conn.send((worker.next, worker.stop))

    def _receive(self, worker: _Worker) -> None:
        try:
            kind, first, payload = worker.conn.recv()
        except EOFError:
            raise RuntimeError(f"a worker process died (exit code {worker.process.exitcode})") from None
        if kind == "error":
            raise payload
        self.results[first : first + len(payload)] = payload
        self.missing -= len(payload)
        self.on_done(len(payload))
        worker.next, worker.since = first + len(payload), time.monotonic()
        if not worker.busy:
            self._feed(worker)

    def _wait_seconds(self) -> float | None:
        if self.limit is None:
            return None
        running = [found[1] for found in map(_Worker.under_way, self.workers) if found is not None]
        started = min(running, default=time.monotonic())
        return max(0.0, started + self.limit.seconds - time.monotonic()) + 0.01

    def _enforce_limit(self) -> None:
        """Kill each worker stuck on one item past the limit; its item gets ``on_timeout``."""
        if self.limit is None:
            return
        now = time.monotonic()
        for number, worker in enumerate(self.workers):
            found = worker.under_way()
            if found is None or now - found[1] <= self.limit.seconds:
                continue
            stuck = found[0]
            worker.process.kill()
            worker.process.join()
            worker.conn.close()
            self.results[stuck] = self.limit.on_timeout(self.items[stuck])
            self.missing -= 1
            self.on_done(1)
            if stuck + 1 < worker.stop:
                self.queue.appendleft((stuck + 1, worker.stop))
            if worker.next < stuck:  # done before it, but not sent yet: done again
                self.queue.appendleft((worker.next, stuck))
            if self.queue:  # a fresh worker for the rest
                self.workers[number] = fresh = self._start()
                self._feed(fresh)
            else:
                worker.next = worker.stop  # idle for good: nothing is left to give it


def _ranges(count: int, workers: int) -> list[_Range]:
    ranges, start = [], 0
    for chunk in guided_chunks(range(count), workers):
        ranges.append((start, start + len(chunk)))
        start += len(chunk)
    return ranges


def _work(
    task: Callable[[Context, Item], Result],
    items: Sequence[Item],
    context: Context,
    conn: Connection,
    current: MutableSequence[float] | None,
    parent_pid: int,
) -> None:
    """A worker's loop: a range of item numbers in, their results out.  Under a time limit
    the worker notes in ``current`` which item it starts, and when, for the parent to see."""
    _start_worker(parent_pid)
    while True:
        try:
            work = conn.recv()
        except EOFError:
            return
        if work is None:
            return
        first, stop = work
        done: list[Result] = []
        for number in range(first, stop):
            if current is not None:
                current[1] = time.monotonic()  # (the time first: the parent never pairs an item with an older start)
                current[0] = number
            try:
                done.append(task(context, items[number]))
            except BaseException as exc:  # noqa: BLE001 - raised again in the parent
                _send_error(conn, exc)
                return
        if current is not None:
            current[0] = _FINISHED  # the range's results are on their way: nothing to time
        conn.send(("done", first, done))


def _send_error(conn: Connection, exc: BaseException) -> None:
    try:
        conn.send(("error", 0, exc))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: its traceback as text
        conn.send(("error", 0, RuntimeError("".join(traceback.format_exception(exc)))))


def _start_worker(parent_pid: int) -> None:
    """Make a forked worker safe to orphan: it dies with the build and holds no lock."""
    from .output import close_inherited_locks

    close_inherited_locks()
    try:  # Linux: SIGKILL this worker when the build process dies, however it dies
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent_pid:  # the build died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass
