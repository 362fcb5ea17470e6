"""The sharded search index: never stale, and an edit re-indexes only the shards whose pages changed.

After any sequence of edits (an item's text, a new item, a deleted item, a date that moves
an item to another quarter or year, in either language), made by a build or by a preview
(``serve``'s build, then its background job), the index equals a clean build's, file for
file (``pagefind/shards.json`` and every shard's folder); Pagefind ran only for shards that
hold, or held, a page whose HTML changed.  The shard rule itself is checked on its own.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from test_incremental import NOW, make_site, run, tree

from sitegen.build import BuildOptions, build
from sitegen.search import reindex_live
from sitegen.search_shards import PRIMARY, shard_of
from sitegen.session import Session

# Dates up to the tests' "now" (2026-11-26): four years, several quarters of one year.
DATES = ["2023-12-31", "2024-03-01", "2024-04-01", "2025-07-15", "2026-01-20", "2026-02-05", "2026-10-01"]
ITEM = """---
title: "{title}"
date: {date}
tags: [alfa]
---

Testo {word} della notizia {title}.
"""
WORDS = ["ornitorinco", "formichiere", "pangolino", "armadillo", "tapiro"]
FOLDERS = {"it": "content/it/notizie", "en": "content/en/news"}


def logging_pagefind(folder: Path) -> Path:
    """Pagefind, logging the folder of each shard it makes (``--output-path``, its fourth argument)."""
    from sitegen.search_pagefind import pagefind_executable

    real = pagefind_executable()
    script = folder / "pagefind-logged"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" != "--version" ]; then echo "$4" >> "{folder / "made"}"; fi\nexec "{real}" "$@"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def made_shards(folder: Path) -> set[str]:
    log = folder / "made"
    names = {Path(line).name for line in log.read_text().split()} if log.exists() else set()
    log.unlink(missing_ok=True)
    return names


def pages(out: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in tree(out).items() if rel.endswith(".html") and not rel.startswith("pagefind/")}


def touched_shards(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The shards that held, or hold, a page whose HTML changed (was added or removed)."""
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    names = {shard_of(side[rel]) for rel in changed for side in (before, after) if rel in side}
    return {name for name in names if name is not None}


def apply(site: Path, edit: tuple[str, str, int, int], counter: list[int]) -> None:
    kind, lang, pick, value = edit
    folder = site / FOLDERS[lang]
    items = sorted(folder.glob("s*.md"))
    counter[0] += 1
    if kind == "add" or not items:
        name = f"s{counter[0]}"
        text = ITEM.format(title=f"{lang} {name}", date=DATES[value % len(DATES)], word=WORDS[pick % len(WORDS)])
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
        return
    target = items[pick % len(items)]
    if kind == "delete":
        target.unlink()
        return
    title, date = target.stem, DATES[value % len(DATES)]
    text = target.read_text(encoding="utf-8")
    old_date = text.split("date: ")[1].split("\n")[0]
    if kind == "date":
        text = text.replace(f"date: {old_date}", f"date: {date}")
    else:  # the text
        text += f"\nAncora {WORDS[value % len(WORDS)]} {counter[0]} in {title}.\n"
    target.write_text(text, encoding="utf-8")


def _preview_build(site: Path, out: Path, session: Session) -> None:
    """What ``serve`` does: the pages go live with the old index, then the background job catches up."""
    options = BuildOptions(config_path=site / "config.yaml", output=out, now=NOW)
    build(options, session)

    def pagefind(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, capture_output=True, text=True, check=False)

    reindex_live(out, pagefind)


EDITS = st.tuples(
    st.sampled_from(["add", "text", "delete", "date"]),
    st.sampled_from(["it", "en"]),
    st.integers(0, 10),
    st.integers(0, 10),
)


# (No shrinking: each step builds twice; a failure prints its edits, which are short.)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=4), preview=st.booleans())
# Each kind of edit at least once: a date moving an item to another year, a delete, a new item.
@example(edits=[("date", "it", 0, 0), ("delete", "en", 0, 0), ("add", "it", 1, 3), ("text", "en", 2, 1)], preview=False)
@example(edits=[("date", "en", 1, 4), ("add", "it", 0, 0), ("delete", "it", 0, 0), ("text", "it", 1, 1)], preview=True)
def test_the_sharded_index_is_never_stale_and_only_changed_shards_are_made(
    tmp_path_factory, monkeypatch, edits, preview
):
    root = tmp_path_factory.mktemp("shards")
    site = make_site(root / "site", news=0)
    for lang in FOLDERS:
        for number, date in enumerate(DATES[:3]):
            name = f"s{number}"
            text = ITEM.format(title=f"{lang} {name}", date=date, word=WORDS[number])
            (site / FOLDERS[lang] / f"{name}.md").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(root)))
    out, clean = root / "out", root / "clean"
    session = Session(defer_search=True)  # one preview server's, kept between its builds
    build_it = (lambda: _preview_build(site, out, session)) if preview else (lambda: run(site, out))
    build_it()
    made_shards(root)
    counter = [100]
    for edit in edits:
        before = pages(out)
        apply(site, edit, counter)
        build_it()
        touched = touched_shards(before, pages(out))
        made = made_shards(root)
        assert made <= touched, f"{edit}: shards made without a changed page: {sorted(made - touched)}"
        shutil.rmtree(clean, ignore_errors=True)
        run(site, clean, cache=False, jobs=1)
        made_shards(root)
        incremental, expected = tree(out / "pagefind"), tree(clean / "pagefind")
        assert sorted(incremental) == sorted(expected), edit
        assert [rel for rel in expected if incremental[rel] != expected[rel]] == [], edit
        assert tree(out) == tree(clean)


def test_a_page_s_shard_comes_from_its_own_bytes():
    news = b'<html lang="en-GB"><body><article data-pagefind-body><p data-pagefind-sort="date:2025-08-31">'
    assert shard_of(news) == "news-en-2025q3"
    assert shard_of(news.replace(b"2025-08", b"2026-01")) == "news-en-2026q1"
    assert shard_of(b'<html lang="it"><main data-pagefind-body>Chi siamo</main>') == PRIMARY
    # The attributes as text of the page (escaped markup, an article about Pagefind) do not count.
    assert shard_of(b'<html lang="it"><p>data-pagefind-body</p>') is None
    text = b'<html lang="it"><main data-pagefind-body><p>data-pagefind-sort="date:2020-01-01"</p>'
    assert shard_of(text) == PRIMARY
    assert shard_of(b'<html lang="it"><ul class="news-list">listing</ul>') is None


def test_shards_json_lists_each_shard_with_its_language_and_the_browser_merges_those_of_its_own(tmp_path):
    site = make_site(tmp_path / "site", news=0)
    for lang in FOLDERS:
        for number, date in enumerate(DATES[:3]):
            text = ITEM.format(title=f"{lang} s{number}", date=date, word=WORDS[number])
            (site / FOLDERS[lang] / f"s{number}.md").write_text(text, encoding="utf-8")
    run(site, tmp_path / "out")
    listing = json.loads((tmp_path / "out/pagefind/shards.json").read_text(encoding="utf-8"))
    assert [(s["name"], s["lang"]) for s in listing["shards"]] == [
        ("news-en-2023q4", "en"),
        ("news-en-2024q1", "en"),
        ("news-en-2024q2", "en"),
        ("news-en-2026q1", "en"),  # make_site's English item
        ("news-it-2023q4", "it"),
        ("news-it-2024q1", "it"),
        ("news-it-2024q2", "it"),
        ("pages", None),
    ]
    for shard in listing["shards"]:
        entry = json.loads((tmp_path / "out/pagefind" / shard["name"] / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ([shard["lang"]] if shard["lang"] else ["en", "it"])


@pytest.mark.parametrize("pending", ["", "news-it-2024q1\n"])
def test_a_build_after_a_preview_left_shards_behind_makes_them_again(tmp_path, pending):
    site = make_site(tmp_path / "site", news=0)
    for number, date in enumerate(DATES[:3]):
        text = ITEM.format(title=f"s{number}", date=date, word=WORDS[number])
        (site / FOLDERS["it"] / f"s{number}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run(site, out)
    before = tree(out / "pagefind")
    # A shard damaged meanwhile and named in the marker (empty: an older generator's, every shard).
    meta = next((out / "pagefind/news-it-2024q1").glob("*.pf_meta"))
    meta.unlink()
    meta.write_bytes(b"damaged")
    (tmp_path / ".out.search-pending").write_text(pending)
    run(site, out)
    assert tree(out / "pagefind") == before
    assert not (tmp_path / ".out.search-pending").exists()


def _site_with_news(root: Path) -> Path:
    site = make_site(root / "site", news=0)
    for number, date in enumerate(DATES[:3]):
        text = ITEM.format(title=f"s{number}", date=date, word=WORDS[number])
        (site / FOLDERS["it"] / f"s{number}.md").write_text(text, encoding="utf-8")
    return site


def test_a_build_that_knows_what_changed_reads_only_the_changed_pages(tmp_path, monkeypatch):
    from sitegen import search_shards

    site = _site_with_news(tmp_path)
    out = tmp_path / "out"
    run(site, out)
    records = list((site / ".cache").glob("search-shards-*.json"))
    assert len(records) == 1
    apply(site, ("date", "it", 0, 3), [200])  # an item moves to 2025's third quarter

    def no_scan(*_args: object) -> set[str]:
        raise AssertionError("every page was read")

    monkeypatch.setattr(search_shards, "html_pages", no_scan)
    run(site, out)
    monkeypatch.undo()
    run(site, tmp_path / "clean", cache=False)
    assert tree(out / "pagefind") == tree(tmp_path / "clean" / "pagefind")
    assert "news-it-2025q3" in {p.name for p in (out / "pagefind").iterdir()}


@pytest.mark.parametrize("damage", ["other index", "not a record", "deleted"])
def test_a_record_of_another_index_or_none_means_every_page_is_read(tmp_path, damage):
    from sitegen.cache.files import save_record
    from sitegen.search_shards import RECORD_KIND

    site = _site_with_news(tmp_path)
    out = tmp_path / "out"
    run(site, out)
    (record,) = (site / ".cache").glob("search-shards-*.json")
    if damage == "other index":  # well formed, but of another index: every page in one wrong shard
        pages = [rel for rel in pages_of(out) if rel.startswith("notizie/")]
        save_record(record, RECORD_KIND, {"index": "0" * 64, "pages": {"news-it-1999q1": pages}})
    elif damage == "not a record":
        record.write_bytes(b"{}")
    else:
        record.unlink()
    apply(site, ("text", "it", 1, 1), [300])
    run(site, out)
    run(site, tmp_path / "clean", cache=False)
    assert tree(out / "pagefind") == tree(tmp_path / "clean" / "pagefind")


def pages_of(out: Path) -> list[str]:
    return sorted(pages(out))
