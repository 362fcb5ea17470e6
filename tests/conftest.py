"""Shared fixtures: fixture sites copied into tmp_path, the golden-file flag, a Chromium."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from sitetest import copy_site

_STATE = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config):
    """Hermetic state: the template cache's key (sitegen.template_cache) goes to a folder of
    this test session, never to the real ~/.local/state (subprocesses inherit the variable)."""
    folder = tempfile.mkdtemp(prefix="sitegen-test-state-")
    config.stash[_STATE] = (folder, os.environ.get("XDG_STATE_HOME"))
    os.environ["XDG_STATE_HOME"] = folder


def pytest_unconfigure(config):
    folder, previous = config.stash.get(_STATE, (None, None))
    if folder is None:
        return
    if previous is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = previous
    shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def fixture_site(tmp_path):
    """Factory: a fresh copy of a fixture site in tmp_path."""

    def make(name: str = "basic"):
        return copy_site(name, tmp_path / name)

    return make


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for one test module (tests/browser/ has its own, per session)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    import checks  # the browser harness: Chromium's path and flags

    if not Path(checks.CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {checks.CHROMIUM}", pytrace=False)
    with sync_playwright() as p:  # module scope: its sync API allows one Playwright at a time
        b = p.chromium.launch(executable_path=checks.CHROMIUM, headless=True, args=checks.CHROMIUM_ARGS)
        yield b
        b.close()
