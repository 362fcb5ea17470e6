"""A time limit on work done in this process, by the real-time interval timer (``SIGALRM``).

An edit converts one document; forking a worker only to be able to kill it if it runs
away (:mod:`sitegen.parallel`) cost more than the conversion.  An alarm stops a runaway
conversion as well: Python runs signal handlers between bytecodes, and the regular
expression engine checks for signals while it backtracks, so a catastrophic pattern is
interrupted too (``tests/test_time_limit.py`` holds hostile Markdown to it).  Code in C that
never returns to Python would not be interrupted, which is why this is only for small
batches of documents, the forked workers remaining for the rest.

Handlers run only in the main thread (``serve`` builds in another one), and the timer is
the process's one: :func:`available` says no where the alarm cannot be ours, and the caller
forks a worker as before.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["TooSlow", "available", "limited"]


class TooSlow(BaseException):
    """Raised where the work was when its time ran out.

    A ``BaseException``: a library's ``except Exception`` must not swallow it and carry on."""


def available() -> bool:
    """True when this thread may use the alarm: the main thread, no handler and no timer set."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None) and signal.getitimer(signal.ITIMER_REAL) == (
        0.0,
        0.0,
    )


def _out_of_time(_signum: int, _frame: FrameType | None) -> None:
    raise TooSlow


@contextmanager
def limited(seconds: float) -> Iterator[None]:
    """Run the body for at most ``seconds``; :class:`TooSlow` is raised in it when the time is up.

    Only where :func:`available` is true.  The handler and the timer are put back as they were."""
    previous = signal.signal(signal.SIGALRM, _out_of_time)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # (the alarm may go off just before it is cancelled: the handler is put back all the same)
            signal.signal(signal.SIGALRM, previous)
