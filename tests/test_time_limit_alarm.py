"""The time limit of a few documents converted in the build's own process (sitegen.alarm).

An edit converts one document: in the main thread its time limit is an alarm instead of a
forked worker.  These tests hold the alarm to the same promise as the worker (a hostile
document fails with path:line in bounded time), check that nothing is forked for it, that
the alarm's handler and timer are put back, that a converter interrupted mid-way is not
reused (the next build's pages are those of a clean build), and that the worker is still
used where the alarm cannot be ours.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from sitetest import FIXED_NOW, NOW_ARG
from test_time_limit import BOUND, BRACKETS, LIMIT, MESSAGE, hostile

from sitegen import alarm, markdown_render, sources
from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.errors import BuildError


def _options(site: Path, cache: bool = True) -> BuildOptions:
    return BuildOptions(
        config_path=site / "config.yaml", output=site / "public", now=FIXED_NOW, time_limit=LIMIT, cache=cache
    )


def _no_fork(*_args: object, **_kwargs: object) -> object:
    raise AssertionError("a worker was forked for a few documents in the main thread")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_hostile_edit_is_stopped_by_the_alarm_without_a_worker(fixture_site, monkeypatch):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    assert main(["build", "--now", NOW_ARG]) == 0
    monkeypatch.setattr(sources, "parallel_map", _no_fork)
    path = hostile(site, "parentesi.md", BRACKETS)
    started = time.monotonic()
    with pytest.raises(BuildError) as caught:
        build(_options(site))
    assert time.monotonic() - started < BOUND
    assert [p.format("en") for p in caught.value.problems] == [f"content/it/parentesi.md:4: {MESSAGE}"]
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert not markdown_render._converters  # the interrupted one was dropped, not reset and reused
    # The interrupted converter is not reused: the fixed site comes out as a clean build makes it.
    path.write_text('---\ntitle: "Ostile"\n---\n\n- uno\n- due\n\n[collegamento](/)\n', encoding="utf-8")
    build(_options(site))
    again = _files(site / "public")
    build(_options(site, cache=False))
    assert again == _files(site / "public")


def test_the_worker_keeps_the_limit_where_the_alarm_is_not_ours(fixture_site, monkeypatch):
    """A SIGALRM handler already set (pytest-timeout, an embedding program): a worker is forked."""
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    assert main(["build", "--now", NOW_ARG]) == 0
    hostile(site, "parentesi.md", BRACKETS)
    forked: list[int] = []
    real = sources.parallel_map

    def counting(*args: object, **kwargs: object) -> object:
        forked.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "parallel_map", counting)
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    try:
        assert not alarm.available()
        with pytest.raises(BuildError) as caught:
            build(_options(site))
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert forked
    assert [p.format("en") for p in caught.value.problems] == [f"content/it/parentesi.md:4: {MESSAGE}"]


def test_the_alarm_interrupts_a_catastrophic_regular_expression():
    import re

    assert alarm.available()
    started = time.monotonic()
    with pytest.raises(alarm.TooSlow), alarm.limited(0.3):
        re.match(r"(a+)+$", "a" * 60 + "b")  # backtracks for ages without the alarm
    assert time.monotonic() - started < BOUND
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
