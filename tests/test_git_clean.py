"""``git status`` stays clean after ``build``, ``check`` and ``serve``, and ``new`` adds only the file it
announces: an editor who runs ``git add .`` commits nothing the generator made for itself."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from editor_site import NOW, make_site

REPO = Path(__file__).resolve().parent.parent


def _git(site: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=site, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small site in a git repository with the project's .gitignore, everything committed."""
    (tmp_path / "sito").mkdir()
    site = make_site(tmp_path / "sito")
    shutil.copy(REPO / ".gitignore", site / ".gitignore")
    shutil.copy(REPO / "build.py", site / "build.py")
    _git(site, "init", "-q")
    _git(site, "add", ".")
    _git(site, "commit", "-q", "-m", "fixture")
    return site


def _run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build.py", *args], cwd=site, capture_output=True, text=True, timeout=300, env=_env()
    )


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "SITEGEN_LANG": "it"}


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--now", NOW),
        ("build", "--now", NOW, "--drafts"),
        ("check", "--now", NOW),
        ("build", "--now", NOW, "--format", "json"),
    ],
    ids=" ".join,
)
def test_build_and_check_leave_git_status_clean(repo: Path, args: tuple[str, ...]) -> None:
    for _ in range(2):  # the second build reuses the spare and the cache
        proc = _run(repo, *args)
        assert proc.returncode == 0, proc.stderr
    assert (repo / ".public.lock").exists() or args[0] == "check"
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_new_adds_only_the_file_it_names(repo: Path) -> None:
    proc = _run(repo, "new", "news", "Perché l'IOM è qui", "--date", "2026-11-30")
    assert proc.returncode == 0, proc.stderr
    created = proc.stdout.splitlines()[0]
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == f"?? {created}\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_leaves_git_status_clean(repo: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port), "--now", NOW],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 120
        assert server.stdout is not None
        for line in server.stdout:
            if f":{port}/" in line or time.monotonic() > deadline:
                break
        # serve has built its preview; let its background search index finish writing too
        time.sleep(3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (repo / ".cache").is_dir()
    assert _git(repo, "status", "--porcelain", "--untracked-files=all") == ""
