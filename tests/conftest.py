"""Shared fixtures: fixture sites copied into tmp_path, the golden-file flag, a Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sitetest import copy_site


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
