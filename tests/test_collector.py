"""A build collects cycles less often in its own process, and its forked workers as usual."""

from __future__ import annotations

import gc
import os

from sitegen.collector import BUILD_THRESHOLDS, fewer_collections


def test_thresholds_are_raised_for_the_build_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == BUILD_THRESHOLDS
    assert gc.get_threshold() == before


def test_a_forked_worker_collects_as_usual():
    """Workers convert and render page after page, leaving cyclic garbage: late collections
    made them larger (a cold build's peak memory)."""
    before = gc.get_threshold()
    with fewer_collections():
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: report its thresholds, leave at once
            os.write(write, repr(gc.get_threshold()).encode())
            os._exit(0)
        os.close(write)
        seen = os.read(read, 100).decode()
        os.close(read)
        os.waitpid(pid, 0)
    assert seen == repr(before)
