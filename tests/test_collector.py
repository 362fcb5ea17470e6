"""build.py turns the cycle collector off for its one command; whatever runs long turns it on."""

from __future__ import annotations

import gc

from sitetest import NOW_ARG

from sitegen import parallel
from sitegen.cli import main


def _collecting(_context: None, _item: int) -> bool:
    return gc.isenabled()


def test_commands_other_than_build_turn_the_collector_back_on(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    gc.disable()  # as build.py leaves it
    try:
        assert main(["build", "--now", NOW_ARG]) == 0
        assert not gc.isenabled()  # a build keeps it off
        main(["check", "--now", NOW_ARG])
        assert gc.isenabled()  # check (and serve) run with it
    finally:
        gc.enable()


def test_forked_workers_collect_even_when_the_build_does_not(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    gc.disable()
    try:
        results = parallel.parallel_map(_collecting, list(range(8)), None, jobs=2)
    finally:
        gc.enable()
    assert results == [True] * 8
