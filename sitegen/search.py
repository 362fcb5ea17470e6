"""Site search: a Pagefind index of the written pages, made inside the atomic write.

:func:`index_site` runs on the staging folder just before it is swapped in (see
``sitegen.build._produce``), so the index and the pages it describes always go live
together; a failure aborts the staging folder like any write error.  Pagefind reads only what is in the output: drafts, scheduled and expired items
are never there in a normal build, so they are never indexed (a ``--drafts`` preview
indexes what it shows).  Templates choose what is indexed: ``data-pagefind-body`` marks a
page's main content, pages without it (listings, tags, 404, the search pages) are left
out, and Pagefind makes one index per ``<html lang>`` with that language's stemming.

Pagefind's output is made byte-identical from build to build (its language list comes out
in any order; it is rewritten sorted), and the files of Pagefind's ready-made interfaces,
which the site does not use, are not published.  When no HTML page changed since the
previous build (every page of the new site is a hard link to the old one), the previous
index is hard-linked instead of being made again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, Problem

INDEX_DIR = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
# Pagefind's own search interfaces: the site has its own small script (static/search.js)
# built on Pagefind's JS API, and the default UI injects inline styles that the CSP forbids.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class SearchIndex:
    """What :func:`index_site` did: languages with their page counts, and whether it reused the old index."""

    languages: dict[str, int]
    reused: bool
    seconds: float


def pagefind_executable(where: str = INDEX_DIR) -> Path:
    """The Pagefind binary from the ``pagefind-bin`` package (or ``PAGEFIND_BINARY_PATH``)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    found = get_executable() if get_executable else None
    if found is None or not Path(found).is_file():
        raise BuildError([Problem("search_unavailable", where, None, {})])
    return Path(found)


def pagefind_version(executable: Path, where: str) -> str:
    """``1.5.2`` from ``pagefind --version``."""
    result = _run([str(executable), "--version"], where)
    return result.stdout.strip().rpartition(" ")[2]


def index_site(staging: Path, previous: Path) -> SearchIndex:
    """Put the search index of the pages in ``staging`` at ``staging/pagefind/``.

    ``previous`` is the site being replaced; its index is reused when it describes exactly
    the same pages.  Raises :class:`BuildError` when Pagefind is missing or fails.
    """
    started = time.perf_counter()
    where = str(previous)
    executable = pagefind_executable(where)
    old_index = previous / INDEX_DIR
    if _same_pages(staging, previous) and _entry_version(old_index) == pagefind_version(executable, where):
        if _link_tree(old_index, staging / INDEX_DIR):
            return SearchIndex(_languages(staging / INDEX_DIR), True, time.perf_counter() - started)
    result = _run([str(executable), "--site", str(staging), "--output-subdir", INDEX_DIR, "--silent"], where)
    if result.returncode != 0 or not (staging / INDEX_DIR / ENTRY_FILE).is_file():
        detail = " ".join((result.stderr or result.stdout).split())[-500:] or f"exit {result.returncode}"
        raise BuildError([Problem("search_failed", where, None, {"detail": detail})])
    normalise(staging / INDEX_DIR)
    _keep_unchanged(staging / INDEX_DIR, old_index)
    return SearchIndex(_languages(staging / INDEX_DIR), False, time.perf_counter() - started)


def _run(argv: list[str], where: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                              env={**os.environ, "NO_COLOR": "1"})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError([Problem("search_failed", where, None, {"detail": str(exc)})]) from None


def normalise(index: Path) -> None:
    """Make Pagefind's output the same at every build and drop the files the site does not use."""
    entry_path = index / ENTRY_FILE
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for name in UNUSED_FILES:
        (index / name).unlink(missing_ok=True)


def _languages(index: Path) -> dict[str, int]:
    entry = json.loads((index / ENTRY_FILE).read_text(encoding="utf-8"))
    return {lang: info.get("page_count", 0) for lang, info in entry.get("languages", {}).items()}


def _entry_version(index: Path) -> str | None:
    try:
        return json.loads((index / ENTRY_FILE).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def html_pages(root: Path) -> set[str]:
    """Every ``.html`` file below ``root`` (what Pagefind reads), by relative path."""
    found = set()
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d != INDEX_DIR]
        rel_folder = os.path.relpath(folder, root)
        found.update(os.path.normpath(os.path.join(rel_folder, name)) for name in files if name.endswith(".html"))
    return found


def _same_pages(staging: Path, previous: Path) -> bool:
    """True when every page of the new site is the old site's file itself (hard-linked as unchanged)."""
    if not (previous / INDEX_DIR / ENTRY_FILE).is_file():
        return False
    pages = html_pages(staging)
    if not pages or pages != html_pages(previous):
        return False
    try:
        return all(os.path.samefile(staging / rel, previous / rel) for rel in pages)
    except OSError:
        return False


def _keep_unchanged(index: Path, old_index: Path) -> None:
    """Replace each new index file whose bytes equal the old one's by a hard link to it.

    Pagefind names fragments and index chunks by content hash and rewrites every file; the
    unchanged ones keep their identity and time, so a deploy by modification time (rsync)
    uploads only what a change touched.
    """
    if not old_index.is_dir():
        return
    for folder, _dirs, files in os.walk(index):
        for name in files:
            new = Path(folder) / name
            old = old_index / new.relative_to(index)
            try:
                if old.stat().st_size != new.stat().st_size or old.read_bytes() != new.read_bytes():
                    continue
                linked = new.with_name(name + ".link")
                os.link(old, linked)
                os.replace(linked, new)
            except OSError:
                continue  # keep Pagefind's own copy


def _link_tree(source: Path, target: Path) -> bool:
    """Hard-link every file of ``source`` into ``target``; False (and nothing left) if one fails."""
    try:
        for folder, _dirs, files in os.walk(source):
            destination = target / os.path.relpath(folder, source)
            destination.mkdir(parents=True, exist_ok=True)
            for name in files:
                os.link(os.path.join(folder, name), destination / name)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True
