"""Fewer runs of Python's cycle collector while a build holds the whole site in memory.

A build makes a large, long-lived graph of small objects (records read from the cache,
documents, page jobs) and very little cyclic garbage.  With the default thresholds
(700, 10, 10) the collector runs every 700 allocations and walks the older generations
again and again as that graph grows: at 10 000 items about a third of a one-edit build's
CPU time, for nothing found (the same run with the collector off peaks at the same
memory).  So a build's own process collects less often; the previous thresholds come back
afterwards (``serve`` runs many builds in one process).

``build.py`` goes further: its process runs one command and exits, so the collector is
off there from the start (imports included); every command but ``build`` turns it on again
(:func:`collect_again`).  Forked workers (:mod:`sitegen.parallel`) turn it on and go back
to the thresholds this process had when this module was imported: they convert and render document after document, which does
leave cyclic garbage, and collecting it late made a cold build's workers larger (N=1000:
122 MiB at the peak instead of 91 MiB).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

# A young collection every 100 000 allocations instead of 700; an older one every 20 of those.
BUILD_THRESHOLDS = (100_000, 20, 20)
_WORKER_THRESHOLDS = gc.get_threshold()  # (the interpreter's, unless a caller set others first)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with :data:`BUILD_THRESHOLDS`, then restore the thresholds found."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def collect_again() -> None:
    """Turn the collector on again for any command but ``build`` (``serve`` runs for hours,
    ``check`` keeps the whole site in memory): ``build.py`` turns it off before it knows the
    command, for the imports and the build that follow (its process ends with ``os._exit``)."""
    gc.enable()


@contextmanager
def paused_collections() -> Iterator[None]:
    """Run the body with the cycle collector off; switch it back on afterwards if it was on.

    For the callers that know when a collection is cheap, or useless: even at
    :data:`BUILD_THRESHOLDS` a build's young collections walk 100 000 objects each and find
    almost nothing (N=1000: 11-29 ms of every ``serve`` rebuild).  ``serve`` pauses them
    until the tabs were told to reload, and then collects (the command line's ``build`` runs
    without them from the start: see ``build.py``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything made meanwhile moves to the oldest generation unvisited (freeze, then
        # unfreeze): switched back on, the collector would otherwise walk it all at the next
        # allocation.  Its garbage goes at the next full collection.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _in_worker() -> None:
    gc.set_threshold(*_WORKER_THRESHOLDS)
    gc.enable()  # (off in the command line's process, see build.py: a worker makes garbage)


os.register_at_fork(after_in_child=_in_worker)
