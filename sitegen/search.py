"""Site search: a Pagefind index of the written pages, made inside the atomic write.

:func:`index_site` runs on the staging folder just before it is swapped in (see
the index stage, :mod:`sitegen.stage_index`), so the index and the pages it describes always go live
together; a failure aborts the staging folder like any write error.  ``serve`` does not
wait for Pagefind (about 2.5 ms a page): its builds give the new pages the live index as
it is (:func:`carry_index`) and :func:`reindex_live` brings it up to date afterwards,
swapping in the whole ``pagefind/`` folder at once (see :mod:`sitegen.search_job`).  A
marker next to the output folder (``.public.search-pending``) says the index there is
behind its pages, so that no build takes it for up to date.  Pagefind reads only what is in the output: drafts, scheduled and expired items
are never there in a normal build, so they are never indexed (a ``--drafts`` preview
indexes what it shows).  Templates choose what is indexed: ``data-pagefind-body`` marks a
page's main content, pages without it (listings, tags, 404, the search pages) are left
out, and Pagefind makes one index per ``<html lang>`` with that language's stemming.
Pagefind reads a temporary copy of the pages made for it (:mod:`sitegen.search_text`):
words joined by an elided article (``dell’UPMC``) are split, and text in another language
than the page's is left out; the published pages are not touched.

Pagefind's output is made byte-identical from build to build (its language list and its
filters come out in any order; they are rewritten sorted, see :mod:`sitegen.search_order`),
and the files of Pagefind's ready-made interfaces, which the site does not use, are not
published.  When no HTML page changed since the
previous build (every page of the new site is a hard link to the old one), the previous
index is hard-linked instead of being made again; otherwise each new index file that is
the same as the old one becomes a hard link to it (:func:`_keep_unchanged`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BuildError, Problem
from .output import swap
from .output_guard import MARKER, mark, refuse_unless_ours, remove_ours, sibling
from .search_order import sort_filters
from .search_text import index_copy

INDEX_DIR = "pagefind"
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
TIMEOUT_SECONDS = 600
# Index files Pagefind names by a hash of their content (fragments, word and filter chunks,
# the meta index): the same name means the same bytes, which is what lets browsers cache
# them for ever; other files (pagefind.js, the wasm, the entry) are compared byte by byte.
_HASH_NAMED = re.compile(r"_[0-9a-f]{7,64}\.pf_(?:fragment|index|filter|meta)$")
PENDING = "search-pending"  # sibling marker: the output's index is behind its pages
FRESH = "search-new"  # sibling folder where serve's background Pagefind writes


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
    result = _run([key[0], "--version"], where)
    return str(result.stdout).strip().rpartition(" ")[2]


def index_site(staging: Path, previous: Path, pages_changed: bool | None = None) -> SearchIndex:
    """Put the search index of the pages in ``staging`` at ``staging/pagefind/``.

    ``previous`` is the site being replaced; its index is reused when it describes exactly
    the same pages.  ``pages_changed`` is what the build knows: whether any ``.html`` file
    of ``staging`` was written, added or removed rather than hard-linked from ``previous``
    (``None``: not known, the two trees are compared).  Raises :class:`BuildError` when
    Pagefind is missing or fails.
    """
    started = time.perf_counter()
    where = str(previous)
    executable = pagefind_executable(where)
    old_index = previous / INDEX_DIR
    same = _same_pages(staging, previous) if pages_changed is None else not pages_changed
    if same and _index_current(previous, executable, where):
        if _link_tree(old_index, staging / INDEX_DIR):
            return SearchIndex(_languages(staging / INDEX_DIR, where), True, time.perf_counter() - started)
    with _index_source(staging) as source:
        argv = [str(executable), "--site", str(source), "--output-path", str(staging / INDEX_DIR), "--silent"]
        result = _run(argv, where)
    _check(result, staging / INDEX_DIR, where)
    normalise(staging / INDEX_DIR, where)
    _keep_unchanged(staging / INDEX_DIR, old_index)
    return SearchIndex(_languages(staging / INDEX_DIR, where), False, time.perf_counter() - started)


def carry_index(staging: Path, previous: Path, pages_changed: bool | None) -> bool:
    """``serve``: give ``staging`` the index of ``previous`` as it is, without running Pagefind.

    Returns whether that index describes the new pages; when it does not, the pending
    marker is set (before the new pages go live) and :func:`reindex_live` is due.  A
    missing Pagefind is still an error, as in a normal build.
    """
    where = str(previous)
    executable = pagefind_executable(where)
    old_index = previous / INDEX_DIR
    if old_index.is_dir():
        _sync_links(str(old_index), str(staging / INDEX_DIR))
    else:
        _remove(str(staging / INDEX_DIR))
    current = pages_changed is False and _index_current(previous, executable, where)
    if not current:
        mark_pending(previous)
    return current


def reindex_live(output: Path, run: Callable[[list[str]], subprocess.CompletedProcess[str] | None]) -> bool:
    """``serve``, in the background: index the live site and swap the new ``pagefind/`` in.

    Pagefind writes into a sibling folder; the new index then replaces the old one in a
    single exchange, so the live folder always holds a whole index.  ``run`` runs Pagefind
    and returns ``None`` when the job was cancelled (a newer build is coming): then nothing
    changes.  The caller holds the build lock.  Raises :class:`BuildError` when Pagefind fails.
    """
    where = str(output)
    executable = pagefind_executable(where)
    fresh = sibling(output, FRESH)
    refuse_unless_ours(fresh, output)  # never a folder of the user's that happens to have this name
    remove_ours(fresh)
    fresh.mkdir()
    mark(fresh)  # while Pagefind writes: a job killed now leaves a folder the next build may remove
    try:
        with _index_source(output) as source:
            result = run([str(executable), "--site", str(source), "--output-path", str(fresh), "--silent"])
        if result is None:
            return False
        _check(result, fresh, where)
        normalise(fresh, where)
        _keep_unchanged(fresh, output / INDEX_DIR)
        (fresh / MARKER).unlink()  # the index goes live without it
        swap(fresh, output / INDEX_DIR)  # fresh now holds the old index, if there was one
        shutil.rmtree(fresh, ignore_errors=True)  # the old index, made by this generator
    finally:
        remove_ours(fresh)
    clear_pending(output)
    return True


@contextmanager
def _index_source(site: Path) -> Iterator[Path]:
    """What Pagefind reads of ``site``: a temporary copy of its pages made for the index
    (:mod:`sitegen.search_text`: elided words split, other languages left out)."""
    with tempfile.TemporaryDirectory(prefix="sitegen-search-text-") as copy:
        index_copy(site, Path(copy), html_pages(site))
        yield Path(copy)


def mark_pending(output: Path) -> None:
    sibling(output, PENDING).touch()


def clear_pending(output: Path) -> None:
    sibling(output, PENDING).unlink(missing_ok=True)


def index_pending(output: Path) -> bool:
    """Whether the index in ``output`` is behind its pages (a ``serve`` build has not caught up)."""
    return sibling(output, PENDING).exists()


def _index_current(previous: Path, executable: Path, where: str) -> bool:
    """``previous/pagefind`` describes ``previous``'s pages, made by this Pagefind."""
    return not index_pending(previous) and _entry_version(previous / INDEX_DIR) == pagefind_version(executable, where)


def _check(result: subprocess.CompletedProcess[str], index: Path, where: str) -> None:
    if result.returncode != 0 or not (index / ENTRY_FILE).is_file():
        detail = " ".join((result.stderr or result.stdout).split())[-500:] or f"exit {result.returncode}"
        raise BuildError([Problem("search_failed", where, None, {"detail": detail})])


def _run(argv: list[str], where: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "NO_COLOR": "1"}
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError([Problem("search_failed", where, None, {"detail": str(exc)})]) from None


def normalise(index: Path, where: str = "pagefind") -> None:
    """Make Pagefind's output the same at every build and drop the files the site does not use."""
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


def _languages(index: Path, where: str) -> dict[str, int]:
    entry = read_entry(index, where)
    return {lang: info.get("page_count", 0) for lang, info in entry.get("languages", {}).items()}


def _entry_version(index: Path) -> str | None:
    try:
        version = json.loads((index / ENTRY_FILE).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def html_pages(root: Path) -> set[str]:
    """Every ``.html`` file below ``root`` (what Pagefind reads), by relative path."""
    found: set[str] = set()
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
    """Replace each new index file that is the same as the old one by a hard link to it.

    Pagefind rewrites every file; the unchanged ones keep their identity and time, so a
    deploy by modification time (rsync) uploads only what a change touched.  Files named by
    the hash of their content (nearly all of them) are the same when name and size are; the
    few others are compared byte by byte.
    """
    if not old_index.is_dir():
        return
    for folder, _dirs, files in os.walk(index):
        old_folder = os.path.join(old_index, os.path.relpath(folder, index))
        for name in files:
            new, old = os.path.join(folder, name), os.path.join(old_folder, name)
            try:
                if os.stat(old).st_size != os.stat(new).st_size:
                    continue
                if not _HASH_NAMED.search(name) and not _same_bytes(old, new):
                    continue
                linked = new + ".link"
                os.link(old, linked)
                os.replace(linked, new)
            except OSError:
                continue  # keep Pagefind's own copy


def _same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        return first.read() == second.read()


def _sync_links(source: str, target: str) -> None:
    """Make ``target`` hold hard links to exactly the files below ``source``.

    A reused spare folder already holds an index, mostly links to the same files (Pagefind's
    unchanged files are links to the previous ones): entries that are already the right file
    (same inode, read from the directory without a ``stat``) stay, so bringing 1 000 index
    files up to date costs two directory walks and a few links instead of 2 000 unlinks and links.
    """
    try:
        if not os.path.isdir(target) or os.path.islink(target):
            _remove(target)
            os.mkdir(target)
        have = {entry.name: entry for entry in os.scandir(target)}
    except FileNotFoundError:
        os.mkdir(target)
        have = {}
    for entry in os.scandir(source):
        there = have.pop(entry.name, None)
        destination = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            _sync_links(entry.path, destination)
        elif there is None or there.inode() != entry.inode() or not there.is_file(follow_symlinks=False):
            if there is not None:
                _remove(destination)
            os.link(entry.path, destination)
    for name in have:
        _remove(os.path.join(target, name))


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


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
