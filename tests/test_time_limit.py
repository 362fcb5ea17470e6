"""Hostile Markdown cannot stall a build: each document's conversion has a time limit (issue 15 §4).

A generated pathological document (thousands of unclosed ``[``, or ~100 KB of ``*a``) takes
Python-Markdown tens of seconds; with a small limit its worker is killed, the document fails
with ``path:line`` and the build fails (exit 1) after parsing the rest.  The bound asserted
on the total time is generous: it tells a bounded build from one that converts the document.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sitetest import FIXED_NOW, NOW_ARG

from sitegen import parallel
from sitegen.build import BuildOptions, build
from sitegen.cli import main
from sitegen.errors import BuildError

LIMIT = 1.0
BOUND = 45.0  # seconds: the unbounded conversions take well over a minute together
BRACKETS = "[" * 16000
STARS = "*a" * 50000
MESSAGE = (
    "the text is too complex to convert in 1 s (e.g. thousands of unclosed '[' or '*')"
    " — simplify it or split it into several pages"
)


def hostile(site: Path, name: str, body: str) -> Path:
    path = site / "content" / "it" / name
    path.write_text(f'---\ntitle: "Ostile"\n---\n\n{body}\n', encoding="utf-8")
    return path


def timed_build(site: Path, jobs: int) -> tuple[float, list[str]]:
    options = BuildOptions(
        config_path=site / "config.yaml", output=site / "public", now=FIXED_NOW, jobs=jobs, time_limit=LIMIT
    )
    started = time.monotonic()
    with pytest.raises(BuildError) as caught:
        build(options)
    return time.monotonic() - started, [p.format("en") for p in caught.value.problems]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hostile_document_fails_in_bounded_time_and_names_its_file(fixture_site, monkeypatch, jobs):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    assert main(["build", "--now", NOW_ARG]) == 0
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    hostile(site, "parentesi.md", BRACKETS)
    hostile(site, "asterischi.md", STARS)
    seconds, problems = timed_build(site, jobs)
    assert problems == [f"content/it/asterischi.md:4: {MESSAGE}", f"content/it/parentesi.md:4: {MESSAGE}"]
    assert seconds < BOUND
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before


def test_the_limit_holds_in_a_build_started_from_another_thread(fixture_site, monkeypatch):
    """``serve`` rebuilds in a background thread, where no signal handler can run."""
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    hostile(site, "parentesi.md", BRACKETS)
    outcome: list[tuple[float, list[str]]] = []
    worker = threading.Thread(target=lambda: outcome.append(timed_build(site, 1)))
    worker.start()
    worker.join(BOUND * 2)
    assert not worker.is_alive()
    seconds, problems = outcome[0]
    assert problems == [f"content/it/parentesi.md:4: {MESSAGE}"]
    assert seconds < BOUND


def test_the_other_documents_of_a_worker_killed_for_time_are_still_parsed(monkeypatch):
    """The killed worker's remaining items go to a fresh worker: every other result is there, in order."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)

    def task(context: int, item: int) -> int:
        if item == 3:
            time.sleep(60)
        return item * context

    limit = parallel.TimeLimit(0.5, lambda item: -item)
    started = time.monotonic()
    results = parallel.parallel_map(task, list(range(10)), 10, jobs=2, limit=limit)
    assert results == [0, 10, 20, -3, 40, 50, 60, 70, 80, 90]
    assert time.monotonic() - started < BOUND


def test_a_worker_error_is_raised_in_the_build_process():
    def task(_context: None, item: int) -> int:
        if item == 2:
            raise ValueError(f"item {item}")
        return item

    with pytest.raises(ValueError, match="item 2"):
        parallel.parallel_map(task, list(range(60)), None, jobs=2)
    assert os.getpid()  # the build process is alive and the workers are gone (no hang)
