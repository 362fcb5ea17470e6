"""Site search: a sharded Pagefind index of the written pages, made inside the atomic write.

The index is split into shards (:mod:`sitegen.search_shards`: the pages, and the news of
each language by year, or by quarter in a year of many items), each a whole Pagefind
bundle in its own folder of ``pagefind/``, merged in the browser by ``static/search.js``
with Pagefind's ``mergeIndex``.  A build runs Pagefind only for the shards whose pages
changed (:func:`index_site`), two shards at a time (so Pagefind's memory is that of two
shards, not of the site), and hard-links the other shards from the previous index,
byte for byte: every shard is what a clean build makes of the same pages.

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
Pagefind's output is made byte-identical from build to build and the files the site does
not use are dropped (:mod:`sitegen.search_pagefind`).  Within a shard made again, each file
that is the same as the old one becomes a hard link to it
(:func:`sitegen.search_files.keep_unchanged`).  A build that knows what changed reads only
the changed pages to place them, and takes the others' places from the record the last
index left in the cache (:mod:`sitegen.search_shards`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache.files import load_record, save_quietly
from .errors import BuildError, Problem
from .output_guard import MARKER, mark, refuse_unless_ours, remove_ours, sibling
from .output_swap import swap
from .search_files import keep_unchanged, link_if_same, remove, sync_links, write_file
from .search_pagefind import (
    check_output,
    normalise,
    pagefind_executable,
    pagefind_version,
    read_entry,
    run_pagefind,
)
from .search_pending import ALL, INDEX_DIR, add_pending, clear_pending, index_pending, pending_shards
from .search_shards import (
    MANIFEST_FILE,
    PRIMARY,
    RECORD_KIND,
    Shard,
    assign,
    decode_record,
    encode_record,
    group,
    index_key,
    manifest,
    place_of,
    read_manifest,
    shards_of_place,
)
from .search_text import index_copy

SCRIPT = "pagefind.js"  # the module the search page imports (templates/search.html), at the top of pagefind/
FRESH = "search-new"  # sibling folder where serve's background Pagefind writes
# Shards a build's Pagefind makes at once: a cold build makes every shard (6 at the bench's
# 1 000 items, 21 at 10 000), and one Pagefind at a time left a core idle while each started
# and read its pages.  (serve's background index keeps one: it runs beside the editor's preview.)
PAGEFIND_JOBS = max(1, min(2, os.cpu_count() or 1))

# Runs Pagefind; ``None`` when the job was cancelled (serve: a newer build is coming).
Runner = Callable[[list[str]], "subprocess.CompletedProcess[str] | None"]


@dataclass(frozen=True)
class SearchIndex:
    """What an indexing did: languages with their page counts, the shards made again and those reused."""

    languages: dict[str, int]
    made: tuple[str, ...]
    reused: tuple[str, ...]
    seconds: float


def index_site(
    staging: Path,
    previous: Path,
    changed: frozenset[str] | None = None,
    record: Path | None = None,
    jobs: int | None = None,
) -> SearchIndex:
    """Put the search index of the pages in ``staging`` at ``staging/pagefind/``.

    ``previous`` is the site being replaced; each shard of its index is reused when it
    describes exactly the same pages.  ``changed`` is what the build knows: every output
    file written anew or removed rather than hard-linked from ``previous`` (``None``: not
    known, the pages of each shard are compared).  ``record`` is where the place of each
    page is kept between builds (:mod:`sitegen.search_shards`; ``None``: every page is
    read).  ``jobs``: how many shards Pagefind makes at once (default :data:`PAGEFIND_JOBS`).  Raises :class:`BuildError`
    when Pagefind is missing or fails.
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

    run: Runner = lambda argv: run_pagefind(argv, where)  # noqa: E731
    known = None if stale or pages_changed is None else _known(record, previous / INDEX_DIR, staging, pages_changed)
    jobs = PAGEFIND_JOBS if jobs is None else jobs
    made = make_index(staging, previous / INDEX_DIR, staging / INDEX_DIR, due, run, where, known, record, jobs)
    if made is None:  # pragma: no cover - _run never cancels
        raise BuildError([Problem("search_failed", where, None, {"detail": "cancelled"})])
    return SearchIndex(made.languages, made.made, made.reused, time.perf_counter() - started)


def make_index(  # noqa: PLR0913  (the two folders, the rule, the runner, and what is known already)
    site: Path,
    old_index: Path,
    new_index: Path,
    due: Callable[[Shard], bool],
    run: Runner,
    where: str,
    known: dict[str, str] | None = None,
    record: Path | None = None,
    jobs: int = 1,
) -> SearchIndex | None:
    """Make ``new_index`` the index of the pages of ``site``: each shard hard-linked from
    ``old_index`` when it describes the same pages and is not ``due``, else made by Pagefind.

    ``new_index`` may hold links to old files already (a reused spare, or serve's copy of
    the live index): they are replaced, never written through.  Shards are made ``jobs`` at a
    time (each on its own folders: the result does not depend on the order).  Returns ``None``
    when ``run`` was cancelled.  ``where`` names the output in
    messages; ``known`` is the place of every indexed page when the caller knows it (else
    every page is read); ``record`` is where to keep it for the next build.
    """
    executable = pagefind_executable(where)
    version = pagefind_version(executable, where)
    placed = assign(site, INDEX_DIR) if known is None else known
    shards = group(placed)
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
        made.append(shard.name)

    def make(name: str) -> bool:
        folder = new_index / name
        if not _make_shard(site, shards[name], folder, run, (executable, where)):
            return False
        keep_unchanged(str(folder), str(old_index / name))
        return True

    if not all(_each(make, made, jobs)):
        return None
    _put_script(new_index, old_index, primary_made=PRIMARY in made)
    data = manifest(shards.values(), version)
    write_file(str(new_index / MANIFEST_FILE), data, str(old_index / MANIFEST_FILE))
    if record is not None:
        save_quietly(record, RECORD_KIND, encode_record(index_key(data), placed), None)  # else: slower next time
    return SearchIndex(_languages(new_index, shards, where), tuple(made), tuple(reused), 0.0)


def _each(make: Callable[[str], bool], names: list[str], jobs: int) -> list[bool]:
    """``make`` of each name, ``jobs`` at a time (threads: each waits on its own Pagefind process).
    An exception (Pagefind failed) is raised once those under way are done; no other one is started."""
    if jobs <= 1 or len(names) <= 1:
        return [make(name) for name in names]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(make, names))


def _make_shard(site: Path, shard: Shard, folder: Path, run: Runner, pagefind: tuple[Path, str]) -> bool:
    """Pagefind on a copy of the shard's pages made for it (:mod:`sitegen.search_text`)."""
    executable, where = pagefind
    with tempfile.TemporaryDirectory(prefix="sitegen-search-text-") as copy:
        index_copy(site, Path(copy), set(shard.pages))
        result = run([str(executable), "--site", copy, "--output-path", str(folder), "--silent"])
    if result is None:
        return False
    check_output(result, folder, where)
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


def _known(record: Path | None, old_index: Path, site: Path, changed: set[str]) -> dict[str, str] | None:
    """The place of every indexed page of ``site``: the record of the old index, with the
    ``changed`` pages read again; ``None`` when there is no record of that index."""
    try:
        key = index_key((old_index / MANIFEST_FILE).read_bytes())
    except OSError:
        return None
    known = None if record is None else decode_record(load_record(record, RECORD_KIND, None), key)
    if known is None:
        return None
    for rel in changed:
        known.pop(rel, None)
        try:
            place = place_of((site / rel).read_bytes())
        except FileNotFoundError:
            continue  # removed
        if place is not None:
            known[rel] = place
    return known


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
    """The shards that ``pages`` (changed) were in, or are in now: for a news page both its
    year's and its quarter's, one of which exists (which one depends on the year's other
    pages; a year that crossed the threshold has new shards, which are made anyway)."""
    names: set[str] = set()
    for rel in pages:
        for site in (staging, previous):
            try:
                place = place_of((site / rel).read_bytes())
            except FileNotFoundError:
                continue  # a new page, or a removed one
            if place is not None:
                names |= shards_of_place(place)
    return names


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


def _languages(index: Path, shards: dict[str, Shard], where: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in shards:
        for lang, info in read_entry(index / name, where).get("languages", {}).items():
            counts[lang] = counts.get(lang, 0) + info.get("page_count", 0)
    return dict(sorted(counts.items()))
