"""Shared fixtures: fixture sites copied into tmp_path, the golden-file flag."""

from __future__ import annotations

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
