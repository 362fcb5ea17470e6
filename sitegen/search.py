"""Site search: a sharded Pagefind index of the written pages, made inside the atomic write.

The index is split into shards (:mod:`sitegen.search_shards`: the pages, and the news of
each language by quarter), each a whole Pagefind bundle in its own folder of ``pagefind/``,
merged in the browser by ``static/search.js`` with Pagefind's ``mergeIndex``.  A build
runs Pagefind only for the shards whose pages changed (:func:`index_site`), one shard after
another (so Pagefind's memory is that of the largest shard, not of the site), and
hard-links the other shards from the previous index, byte for byte: every shard is what a
clean build makes of the same pages.

:func:`index_site` runs on the staging folder just before it is swapped in (see the index
stage, :mod:`sitegen.stage_index`), so the index and the pages it describes always go live
together; a failure aborts the staging folder like any write error.  ``serve`` does not
wait for Pagefind: its builds give the new pages the live index as it is
(:func:`carry_index`), name the shards it no longer describes in a marker next to the
output folder (``.public.search-pending``), and :func:`reindex_live` makes those shards
afterwards and swaps in the whole ``pagefind/`` folder at once (see
:mod:`sitegen.search_job`).  Pagefind reads only what is in the output: drafts, scheduled
and expired items are never there in a normal build, so they are never indexed (a
``--drafts`` preview indexes what it shows).  Templates choose what is indexed:
``data-pagefind-body`` marks a page's main content, pages without it (listings, tags, 404,
the search pages) are left out, and Pagefind makes one index per ``<html lang>`` with that
language's stemming.  Pagefind reads a temporary copy of each shard's pages made for it
(:mod:`sitegen.search_text`): words joined by an elided article (``dell’UPMC``) are split,
and text in another language than the page's is left out; the published pages are not touched.

The layout of ``pagefind/``: ``pagefind.js`` (the module the search page imports; the same
file in every bundle of a Pagefind version), ``shards.json`` (the shards, see
:func:`sitegen.search_shards.manifest`), and one folder per shard.  The primary shard
``pages/`` keeps Pagefind's worker and WebAssembly; the other shards keep only their index
(entry, meta, word and filter chunks, fragments): a merged index uses the primary's.
Pagefind's output is made byte-identical from build to build (its language list and its
filters come out in any order; they are rewritten sorted, see :mod:`sitegen.search_order`),
and the files of Pagefind's ready-made interfaces, which the site does not use, are not
published.  Within a shard made again, each file that is the same as the old one becomes a
hard link to it (:func:`sitegen.search_files.keep_unchanged`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import BuildError, Problem
from .output import swap
from .output_guard import MARKER, mark, refuse_unless_ours, remove_ours, sibling
from .search_files import keep_unchanged, link_if_same, remove, sync_links, write_file
from .search_order import sort_filters
from .search_shards import MANIFEST_FILE, PRIMARY, Shard, group, manifest, read_manifest, shard_of
from .search_text import index_copy

INDEX_DIR = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
SCRIPT = "pagefind.js"  # the module the search page imports (templates/search.html), at the top of pagefind/
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
PENDING = "search-pending"  # sibling marker: the shards of the output's index that are behind its pages
FRESH = "search-new"  # sibling folder where serve's background Pagefind writes
ALL = "*"  # in the pending marker: every shard (what an empty marker means too)

# Runs Pagefind; ``None`` when the job was cancelled (serve: a newer build is coming).
Runner = Callable[[list[str]], "subprocess.CompletedProcess[str] | None"]


@dataclass(frozen=True)
class SearchIndex:
    """What an indexing did: languages with their page counts, the shards made again and those reused."""

    languages: dict[str, int]
    made: tuple[str, ...]
    reused: tuple[str, ...]
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


def index_site(staging: Path, previous: Path, changed: frozenset[str] | None = None) -> SearchIndex:
    """Put the search index of the pages in ``staging`` at ``staging/pagefind/``.

    ``previous`` is the site being replaced; each shard of its index is reused when it
    describes exactly the same pages.  ``changed`` is what the build knows: every output
    file written anew or removed rather than hard-linked from ``previous`` (``None``: not
    known, the pages of each shard are compared).  Raises :class:`BuildError` when
    Pagefind is missing or fails.
    """
    started = time.perf_counter()
    where = str(previous)
    pagefind_executable(where)  # missing: said before anything is read
    stale = pending_shards(previous)
    pages_changed = None if changed is None else {rel for rel in changed if rel.endswith(".html")}

    def due(shard: Shard) -> bool:
        if ALL in stale or shard.name in stale:
            return True
        if pages_changed is None:
            return not _same_files(staging, previous, shard.pages)
        return not pages_changed.isdisjoint(shard.pages)

    run: Runner = lambda argv: _run(argv, where)  # noqa: E731
    made = make_index(staging, previous / INDEX_DIR, staging / INDEX_DIR, due, run, where)
    if made is None:  # pragma: no cover - _run never cancels
        raise BuildError([Problem("search_failed", where, None, {"detail": "cancelled"})])
    return SearchIndex(made.languages, made.made, made.reused, time.perf_counter() - started)


def make_index(
    site: Path, old_index: Path, new_index: Path, due: Callable[[Shard], bool], run: Runner, where: str
) -> SearchIndex | None:
    """Make ``new_index`` the index of the pages of ``site``: each shard hard-linked from
    ``old_index`` when it describes the same pages and is not ``due``, else made by Pagefind.

    ``new_index`` may hold links to old files already (a reused spare, or serve's copy of
    the live index): they are replaced, never written through.  Shards are made one after
    another.  Returns ``None`` when ``run`` was cancelled.  ``where`` names the output in messages.
    """
    executable = pagefind_executable(where)
    version = pagefind_version(executable, where)
    shards = group(assign(site))
    old = _old_manifest(old_index, version)
    if not (old_index / SCRIPT).is_file():
        old.pop(PRIMARY, None)  # the script comes with the primary shard
    new_index.mkdir(exist_ok=True)
    for name in set(os.listdir(new_index)) - {SCRIPT, MANIFEST_FILE, MARKER, *shards}:
        remove(str(new_index / name))
    made: list[str] = []
    reused: list[str] = []
    for shard in shards.values():
        old_folder, folder = old_index / shard.name, new_index / shard.name
        if old.get(shard.name) == shard.digest and old_folder.is_dir() and not due(shard):
            sync_links(str(old_folder), str(folder))
            reused.append(shard.name)
            continue
        remove(str(folder))
        if not _make_shard(site, shard, folder, run, (executable, where)):
            return None
        keep_unchanged(str(folder), str(old_folder))
        made.append(shard.name)
    _put_script(new_index, old_index, primary_made=PRIMARY in made)
    data = manifest(shards.values(), version)
    write_file(str(new_index / MANIFEST_FILE), data, str(old_index / MANIFEST_FILE))
    return SearchIndex(_languages(new_index, shards, where), tuple(made), tuple(reused), 0.0)


def assign(site: Path) -> dict[str, str]:
    """Every indexed page of ``site`` (relative path) with its shard (:func:`sitegen.search_shards.shard_of`)."""
    found: dict[str, str] = {}
    for rel in html_pages(site):
        name = shard_of((site / rel).read_bytes())
        if name is not None:
            found[rel] = name
    return found


def _make_shard(site: Path, shard: Shard, folder: Path, run: Runner, pagefind: tuple[Path, str]) -> bool:
    """Pagefind on a copy of the shard's pages made for it (:mod:`sitegen.search_text`)."""
    executable, where = pagefind
    with tempfile.TemporaryDirectory(prefix="sitegen-search-text-") as copy:
        index_copy(site, Path(copy), set(shard.pages))
        result = run([str(executable), "--site", copy, "--output-path", str(folder), "--silent"])
    if result is None:
        return False
    _check(result, folder, where)
    normalise(folder, where, primary=shard.name == PRIMARY)
    return True


def _put_script(new_index: Path, old_index: Path, primary_made: bool) -> None:
    """``pagefind/pagefind.js``: the primary shard's, moved up (or the old one, linked)."""
    script, old_script = str(new_index / SCRIPT), str(old_index / SCRIPT)
    made = new_index / PRIMARY / SCRIPT
    if primary_made and made.is_file():
        os.replace(made, script)
        link_if_same(script, old_script)
    elif os.path.isfile(old_script) and not (os.path.isfile(script) and os.path.samefile(script, old_script)):
        os.link(old_script, script + ".link")
        os.replace(script + ".link", script)


def _old_manifest(old_index: Path, version: str) -> dict[str, str]:
    try:
        return read_manifest((old_index / MANIFEST_FILE).read_bytes(), version)
    except OSError:
        return {}


def _same_files(site: Path, previous: Path, pages: tuple[str, ...]) -> bool:
    try:
        return all(os.path.samefile(site / rel, previous / rel) for rel in pages)
    except OSError:
        return False


def carry_index(staging: Path, previous: Path, changed: frozenset[str] | None) -> bool:
    """``serve``: give ``staging`` the index of ``previous`` as it is, without running Pagefind.

    Returns whether that index describes the new pages; when it does not, the shards it
    no longer describes are named in the pending marker (before the new pages go live) and
    :func:`reindex_live` is due.  A missing Pagefind is still an error, as in a normal build.
    """
    where = str(previous)
    executable = pagefind_executable(where)
    old_index = previous / INDEX_DIR
    if old_index.is_dir():
        sync_links(str(old_index), str(staging / INDEX_DIR))
    else:
        remove(str(staging / INDEX_DIR))
    if changed is None or not _old_manifest(old_index, pagefind_version(executable, where)):
        touched = {ALL}
    else:
        touched = _touched(staging, previous, {rel for rel in changed if rel.endswith(".html")})
    if touched:
        add_pending(previous, touched)
    return not index_pending(previous)


def _touched(staging: Path, previous: Path, pages: set[str]) -> set[str]:
    """The shards that ``pages`` (changed) were in, or are in now."""
    names: set[str | None] = set()
    for rel in pages:
        for site in (staging, previous):
            try:
                names.add(shard_of((site / rel).read_bytes()))
            except FileNotFoundError:
                continue  # a new page, or a removed one
    return {name for name in names if name is not None}


def reindex_live(output: Path, run: Runner) -> bool:
    """``serve``, in the background: make the pending shards of the live site and swap the new ``pagefind/`` in.

    The new index is put together in a sibling folder (links to the live shards that are
    up to date, Pagefind's output for the others); it then replaces the old one in a
    single exchange, so the live folder always holds a whole index.  ``run`` runs Pagefind
    and returns ``None`` when the job was cancelled (a newer build is coming): then nothing
    changes.  The caller holds the build lock.  Raises :class:`BuildError` when Pagefind fails.
    """
    where = str(output)
    pagefind_executable(where)  # missing: said before anything is made
    stale = pending_shards(output)
    fresh = sibling(output, FRESH)
    refuse_unless_ours(fresh, output)  # never a folder of the user's that happens to have this name
    remove_ours(fresh)
    fresh.mkdir()
    mark(fresh)  # while Pagefind writes: a job killed now leaves a folder the next build may remove
    try:
        due: Callable[[Shard], bool] = lambda shard: ALL in stale or shard.name in stale  # noqa: E731
        if make_index(output, output / INDEX_DIR, fresh, due, run, where) is None:
            return False
        (fresh / MARKER).unlink()  # the index goes live without it
        swap(fresh, output / INDEX_DIR)  # fresh now holds the old index, if there was one
        shutil.rmtree(fresh, ignore_errors=True)  # the old index, made by this generator
    finally:
        remove_ours(fresh)
    clear_pending(output)
    return True


def pending_shards(output: Path) -> frozenset[str]:
    """The shards of the index in ``output`` that are behind its pages (``*``: all of them)."""
    try:
        names = sibling(output, PENDING).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError):
        return frozenset({ALL})
    return frozenset(names or [ALL])  # an empty marker (an older generator's): every shard


def add_pending(output: Path, names: set[str]) -> None:
    marker = sibling(output, PENDING)
    listed = pending_shards(output) | names
    marker.write_text("".join(f"{name}\n" for name in sorted(listed)), encoding="utf-8")


def mark_pending(output: Path) -> None:
    add_pending(output, {ALL})


def clear_pending(output: Path) -> None:
    sibling(output, PENDING).unlink(missing_ok=True)


def index_pending(output: Path) -> bool:
    """Whether the index in ``output`` is behind its pages (a ``serve`` build has not caught up)."""
    return sibling(output, PENDING).exists()


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


def _languages(index: Path, shards: dict[str, Shard], where: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in shards:
        for lang, info in read_entry(index / name, where).get("languages", {}).items():
            counts[lang] = counts.get(lang, 0) + info.get("page_count", 0)
    return dict(sorted(counts.items()))


def html_pages(root: Path) -> set[str]:
    """Every ``.html`` file below ``root`` (what Pagefind reads), by relative path."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d != INDEX_DIR]
        rel_folder = os.path.relpath(folder, root)
        found.update(os.path.normpath(os.path.join(rel_folder, name)) for name in files if name.endswith(".html"))
    return found
