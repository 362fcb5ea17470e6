"""Lint, format and strict typing run with the tests, so a type or lint error fails CI.

The tools are pinned in the test extras (and in requirements/test.txt); their settings are in
pyproject.toml ([tool.ruff], [tool.mypy]).  Each check is shown able to fail on a file that
breaks its rule.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_check_passes_on_the_whole_tree():
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_whole_tree_as_it_is():
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_on_the_engine_and_its_entry_point():
    result = _run("mypy")  # files and --strict come from [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("tool", "source"),
    [
        (("ruff", "check", "--isolated", "bad.py"), "import os\n"),  # unused import
        (("ruff", "format", "--check", "--isolated", "bad.py"), "x = {  'a':1 }\n"),
        (("mypy", "--strict", "bad.py"), "def f(x):\n    return x\n"),  # untyped function
    ],
)
def test_each_check_can_fail(tmp_path, tool, source):
    (tmp_path / "bad.py").write_text(source, encoding="utf-8")
    result = _run(*tool, cwd=tmp_path)
    assert result.returncode != 0, result.stdout + result.stderr
