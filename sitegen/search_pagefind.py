"""Pagefind, the program: found, asked its version, run, and its output made the same at every build.

The binary comes from the pinned ``pagefind-bin`` package (or ``PAGEFIND_BINARY_PATH``) and
runs as a subprocess, one per shard (:mod:`sitegen.search`).  Pagefind's output is made
byte-identical from build to build (its language list and its filters come out in any
order; they are rewritten sorted, see :mod:`sitegen.search_order`), and the files the site
does not use are dropped: Pagefind's ready-made interfaces, and from a shard that is not
the primary its script, worker and WebAssembly (a merged index runs the primary's).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BuildError, Problem
from .search_order import sort_filters
from .search_pending import INDEX_DIR

ENTRY_FILE = "pagefind-entry.json"
# Pagefind's own search interfaces: the site has its own small script (static/search.js)
# built on Pagefind's JS API, and the default UI injects inline styles that the CSP forbids.
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# What a merged (non-primary) shard does not need: the browser runs the primary's script,
# worker and WebAssembly for every shard (Pagefind's mergeIndex loads only the index).
_RUNTIME = re.compile(r"^(?:pagefind\.js|pagefind-worker\.js|wasm\.[A-Za-z0-9_-]+\.pagefind)$")
TIMEOUT_SECONDS = 600


def pagefind_executable(where: str = INDEX_DIR) -> Path:
    """The Pagefind binary from the ``pagefind-bin`` package (or ``PAGEFIND_BINARY_PATH``)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None or not Path(found).is_file():
        raise BuildError([Problem("search_unavailable", where, None, {})])
    return Path(found)


def pagefind_version(executable: Path, where: str) -> str:
    """``1.5.2`` from ``pagefind --version`` (asked once per binary: serve rebuilds ask often)."""
    try:
        st = executable.stat()
    except OSError:
        st = None
    key = (str(executable), st.st_size, st.st_mtime_ns) if st else (str(executable), None, None)
    return _version(key, where)


@lru_cache(maxsize=4)
def _version(key: tuple[str, int | None, int | None], where: str) -> str:
    result = run_pagefind([key[0], "--version"], where)
    return str(result.stdout).strip().rpartition(" ")[2]


def check_output(result: subprocess.CompletedProcess[str], index: Path, where: str) -> None:
    if result.returncode != 0 or not (index / ENTRY_FILE).is_file():
        detail = " ".join((result.stderr or result.stdout).split())[-500:] or f"exit {result.returncode}"
        raise BuildError([Problem("search_failed", where, None, {"detail": detail})])


def run_pagefind(argv: list[str], where: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "NO_COLOR": "1"}
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError([Problem("search_failed", where, None, {"detail": str(exc)})]) from None


def normalise(index: Path, where: str = "pagefind", primary: bool = True) -> None:
    """Make Pagefind's output the same at every build and drop the files the site does not use
    (and, from a shard that is not the primary, the script, worker and WebAssembly)."""
    entry_path = index / ENTRY_FILE
    entry = read_entry(index, where)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    try:
        sort_filters(index, entry)  # filters and their values in a fixed order (sitegen.search_order)
    except (OSError, ValueError) as exc:  # FormatError is a ValueError; a truncated gzip an OSError
        raise BuildError([Problem("search_failed", where, None, {"detail": f"{index.name}: {exc}"})]) from None
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for name in UNUSED_FILES:
        (index / name).unlink(missing_ok=True)
    if not primary:
        for name in os.listdir(index):
            if _RUNTIME.match(name):
                os.unlink(index / name)


def read_entry(index: Path, where: str) -> dict[str, Any]:
    """Pagefind's entry file, or :class:`BuildError`: a full disk leaves it truncated or empty
    while Pagefind still exits 0, and its JSON is then no JSON at all."""
    try:
        entry = json.loads((index / ENTRY_FILE).read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or not isinstance(entry.get("languages", {}), dict):
            raise ValueError(f"{ENTRY_FILE}: {type(entry).__name__}")
        return entry
    except (OSError, ValueError) as exc:
        detail = f"{ENTRY_FILE}: {exc.strerror or exc}" if isinstance(exc, OSError) else f"{ENTRY_FILE}: {exc}"
        raise BuildError([Problem("search_failed", where, None, {"detail": detail})]) from None
