"""Collections paused by serve's rebuilds (sitegen.collector.paused_collections): off inside,
back on afterwards, nothing walked at the switch, and forked workers collect."""

from __future__ import annotations

import gc
import os

from sitegen.collector import paused_collections


def test_collections_are_off_inside_and_back_on_after_even_after_an_error():
    assert gc.isenabled()
    try:
        with paused_collections():
            assert not gc.isenabled()
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_them_off():
    with paused_collections():
        with paused_collections():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_was_made_meanwhile_is_not_walked_when_they_come_back():
    """Every object made during the pause moved to the oldest generation: the next allocations
    set off no collection (which would walk the whole site at the end of a build)."""
    collections: list[str] = []

    def noted(phase: str, _info: dict[str, int]) -> None:
        collections.append(phase)

    with paused_collections():
        kept = [[index] for index in range(50_000)]
        gc.callbacks.append(noted)
    try:
        more = [[index] for index in range(100)]
    finally:
        gc.callbacks.remove(noted)
    assert collections == []
    assert kept[-1] == [49_999] and more[-1] == [99]


def test_a_worker_forked_during_a_pause_collects():
    with paused_collections():
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: report whether it collects, leave at once
            os.write(write, b"on" if gc.isenabled() else b"off")
            os._exit(0)
        os.close(write)
        seen = os.read(read, 10)
        os.close(read)
        os.waitpid(pid, 0)
    assert seen == b"on"
