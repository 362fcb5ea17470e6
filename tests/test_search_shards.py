"""The sharded search index: never stale, and an edit re-indexes only the shards whose pages changed.

After any sequence of edits (an item's text, a new item, a deleted item, a date that moves
an item to another quarter or year, a year whose count of items crosses the threshold
above which it is split into quarters, either way; in either language), made by a build
or by a preview (``serve``'s build, then its background job), the index equals a clean
build's, file for file (``pagefind/shards.json`` and every shard's folder); Pagefind ran
only for shards that hold, or held, a page whose HTML changed, or whose page list changed,
and only in a year (of a language) where a page changed.  The shard rule itself is
checked on its own.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from test_incremental import NOW, make_site, run, tree

from sitegen import search_shards
from sitegen.build import BuildOptions, build
from sitegen.search import reindex_live
from sitegen.search_shards import PRIMARY, Shard, group, place_of
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


def shards(site_pages: dict[str, bytes]) -> dict[str, Shard]:
    placed = {rel: place_of(data) for rel, data in site_pages.items()}
    return group({rel: place for rel, place in placed.items() if place is not None})


def touched_shards(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[set[str], set[str]]:
    """The shards that held, or hold, a page whose HTML changed (was added or removed), or
    whose page list changed; and the years (``news-it-2025``) or primary of the changed pages."""
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    old, new = shards(before), shards(after)
    names = {name for layout in (old, new) for name, shard in layout.items() if not changed.isdisjoint(shard.pages)} | {
        name for name, shard in new.items() if name not in old or old[name].pages != shard.pages
    }
    places = {place_of(side[rel]) for rel in changed for side in (before, after) if rel in side}
    return names, {place.partition("q")[0] for place in places if place is not None}


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


# Items of a year (of one language) above which it is split into quarters, in these tests:
# the sites here have 1-5 items a year, so years cross it both ways.
SPLIT_ABOVE = 2

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
# Each kind of edit at least once: a date moving an item to another year, a delete, a new item;
# Italian 2024 (2 items) split by a new item and joined again by a delete; English 2026 (1
# item, make_site's) split by two items dated into it.
@example(edits=[("date", "it", 0, 0), ("delete", "en", 0, 0), ("add", "it", 1, 3), ("text", "en", 2, 1)], preview=False)
@example(edits=[("date", "en", 1, 4), ("add", "it", 0, 0), ("delete", "it", 0, 0), ("text", "it", 1, 1)], preview=True)
@example(edits=[("add", "it", 0, 1), ("text", "it", 2, 0), ("delete", "it", 1, 0), ("date", "en", 0, 4)], preview=False)
@example(edits=[("date", "en", 0, 4), ("date", "en", 1, 5), ("text", "en", 0, 2), ("add", "it", 0, 2)], preview=True)
def test_the_sharded_index_is_never_stale_and_only_changed_shards_are_made(
    tmp_path_factory, monkeypatch, edits, preview
):
    monkeypatch.setattr(search_shards, "SPLIT_ABOVE", SPLIT_ABOVE)
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
        touched, years = touched_shards(before, pages(out))
        made = made_shards(root)
        assert made <= touched, f"{edit}: shards made without a changed page: {sorted(made - touched)}"
        # An edit never moves the pages of another year: only the shards of a changed page's year are made.
        assert {name.partition("q")[0] for name in made} <= years, f"{edit}: {sorted(made)} outside {sorted(years)}"
        shutil.rmtree(clean, ignore_errors=True)
        run(site, clean, cache=False, jobs=1)
        made_shards(root)
        incremental, expected = tree(out / "pagefind"), tree(clean / "pagefind")
        assert sorted(incremental) == sorted(expected), edit
        assert [rel for rel in expected if incremental[rel] != expected[rel]] == [], edit
        assert tree(out) == tree(clean)


def test_a_page_s_place_comes_from_its_own_bytes():
    news = b'<html lang="en-GB"><body><article data-pagefind-body><p data-pagefind-sort="date:2025-08-31">'
    assert place_of(news) == "news-en-2025q3"
    assert place_of(news.replace(b"2025-08", b"2026-01")) == "news-en-2026q1"
    assert place_of(b'<html lang="it"><main data-pagefind-body>Chi siamo</main>') == PRIMARY
    # The attributes as text of the page (escaped markup, an article about Pagefind) do not count.
    assert place_of(b'<html lang="it"><p>data-pagefind-body</p>') is None
    text = b'<html lang="it"><main data-pagefind-body><p>data-pagefind-sort="date:2020-01-01"</p>'
    assert place_of(text) == PRIMARY
    assert place_of(b'<html lang="it"><ul class="news-list">listing</ul>') is None


def test_a_year_is_one_shard_until_it_holds_more_items_of_its_language_than_the_threshold(monkeypatch):
    monkeypatch.setattr(search_shards, "SPLIT_ABOVE", 3)
    placed = {
        "index.html": PRIMARY,
        **{f"it/a{n}.html": f"news-it-2025q{1 + n % 4}" for n in range(3)},  # 3 items: one shard
        **{f"en/a{n}.html": f"news-en-2025q{1 + n % 2}" for n in range(4)},  # 4: by quarter
        "it/old.html": "news-it-2024q4",
    }
    assert {name: shard.pages for name, shard in group(placed).items()} == {
        "news-en-2025q1": ("en/a0.html", "en/a2.html"),
        "news-en-2025q2": ("en/a1.html", "en/a3.html"),
        "news-it-2024": ("it/old.html",),
        "news-it-2025": ("it/a0.html", "it/a1.html", "it/a2.html"),
        "pages": ("index.html",),
    }
    # One more Italian item of 2025 splits that year, and only that year.
    split = group({**placed, "it/a3.html": "news-it-2025q1"})
    assert sorted(split) == [
        "news-en-2025q1", "news-en-2025q2", "news-it-2024", "news-it-2025q1", "news-it-2025q2", "news-it-2025q3", "pages"
    ]  # fmt: skip
    assert {name: split[name] for name in ("news-en-2025q1", "news-it-2024", "pages")} == {
        name: group(placed)[name] for name in ("news-en-2025q1", "news-it-2024", "pages")
    }


def test_shards_json_lists_each_shard_with_its_language_and_the_browser_merges_those_of_its_own(tmp_path):
    site = make_site(tmp_path / "site", news=0)
    for lang in FOLDERS:
        for number, date in enumerate(DATES[:3]):
            text = ITEM.format(title=f"{lang} s{number}", date=date, word=WORDS[number])
            (site / FOLDERS[lang] / f"s{number}.md").write_text(text, encoding="utf-8")
    run(site, tmp_path / "out")
    listing = json.loads((tmp_path / "out/pagefind/shards.json").read_text(encoding="utf-8"))
    assert [(s["name"], s["lang"]) for s in listing["shards"]] == [
        ("news-en-2023", "en"),
        ("news-en-2024", "en"),
        ("news-en-2026", "en"),  # make_site's English item
        ("news-it-2023", "it"),
        ("news-it-2024", "it"),
        ("pages", None),
    ]
    for shard in listing["shards"]:
        entry = json.loads((tmp_path / "out/pagefind" / shard["name"] / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ([shard["lang"]] if shard["lang"] else ["en", "it"])


@pytest.mark.parametrize("pending", ["", "news-it-2024\n"])
def test_a_build_after_a_preview_left_shards_behind_makes_them_again(tmp_path, pending):
    site = make_site(tmp_path / "site", news=0)
    for number, date in enumerate(DATES[:3]):
        text = ITEM.format(title=f"s{number}", date=date, word=WORDS[number])
        (site / FOLDERS["it"] / f"s{number}.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run(site, out)
    before = tree(out / "pagefind")
    # A shard damaged meanwhile and named in the marker (empty: an older generator's, every shard).
    meta = next((out / "pagefind/news-it-2024").glob("*.pf_meta"))
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
    assert "news-it-2025" in {p.name for p in (out / "pagefind").iterdir()}


def test_a_year_crossing_the_threshold_moves_its_pages_once_and_no_other_year_s(tmp_path, monkeypatch):
    monkeypatch.setattr(search_shards, "SPLIT_ABOVE", SPLIT_ABOVE)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging_pagefind(tmp_path)))
    site = _site_with_news(tmp_path)  # Italian items of 2023-12-31, 2024-03-01, 2024-04-01
    out, clean = tmp_path / "out", tmp_path / "clean"
    run(site, out)
    made_shards(tmp_path)

    def step(change: Callable[[Path], None]) -> tuple[set[str], list[str]]:
        change(site / FOLDERS["it"])
        run(site, out)
        made = made_shards(tmp_path)
        shutil.rmtree(clean, ignore_errors=True)
        run(site, clean, cache=False, jobs=1)
        made_shards(tmp_path)
        assert tree(out / "pagefind") == tree(clean / "pagefind")
        listing = json.loads((out / "pagefind/shards.json").read_text(encoding="utf-8"))
        return made, [shard["name"] for shard in listing["shards"] if shard["lang"] == "it"]

    new_item = ITEM.format(title="s9", date="2024-05-05", word="tapiro")
    # (A new or deleted item changes the home page too, which lists the latest news: "pages".)
    # A third item of 2024: the year is split, its pages move to their quarters (made once).
    made, names = step(lambda folder: (folder / "s9.md").write_text(new_item, encoding="utf-8"))
    assert (made - {PRIMARY}, names) == (
        {"news-it-2024q1", "news-it-2024q2"},
        ["news-it-2023", "news-it-2024q1", "news-it-2024q2"],
    )
    # An edit of 2023 leaves 2024's shards as they are, and the other way round.
    made, _ = step(lambda folder: apply(site, ("text", "it", 0, 1), [400]))
    assert made == {"news-it-2023"}
    made, _ = step(lambda folder: apply(site, ("text", "it", 1, 1), [401]))
    assert made == {"news-it-2024q1"}
    # Back to two items: one shard for the year again.
    made, names = step(lambda folder: (folder / "s9.md").unlink())
    assert (made - {PRIMARY}, names) == ({"news-it-2024"}, ["news-it-2023", "news-it-2024"])


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


def test_shards_made_two_at_a_time_are_the_index_made_one_at_a_time(tmp_path, monkeypatch):
    from sitegen import search

    site = make_site(tmp_path / "site", news=0)
    for lang in FOLDERS:
        for number, date in enumerate(DATES[:3]):
            text = ITEM.format(title=f"{lang} s{number}", date=date, word=WORDS[number])
            (site / FOLDERS[lang] / f"s{number}.md").write_text(text, encoding="utf-8")
    at_once: list[int] = []
    made = search._make_shard

    def counted(*args: object) -> bool:
        at_once.append(1)
        try:
            return made(*args)  # type: ignore[arg-type]
        finally:
            at_once.append(-1)

    monkeypatch.setattr(search, "_make_shard", counted)
    monkeypatch.setattr(search, "PAGEFIND_JOBS", 2)
    run(site, tmp_path / "two", cache=False)
    running = [sum(at_once[: i + 1]) for i in range(len(at_once))]
    assert max(running) == 2  # (six shards: two Pagefinds did run at once)
    monkeypatch.setattr(search, "PAGEFIND_JOBS", 1)
    run(site, tmp_path / "one", cache=False)
    assert tree(tmp_path / "two" / "pagefind") == tree(tmp_path / "one" / "pagefind")


def test_a_pagefind_failing_beside_another_fails_the_build_once_both_are_done(tmp_path, monkeypatch):
    from sitegen import search
    from sitegen.errors import BuildError

    names: list[str] = []

    def make(name: str) -> bool:
        names.append(name)
        if name == "b":
            raise BuildError([])
        time.sleep(0.3)  # (a Pagefind at work: the failure is seen before the last shards' turn)
        return True

    with pytest.raises(BuildError):
        search._each(make, ["a", "b", "c", "d", "e", "f"], 2)
    assert "f" not in names  # no Pagefind started once one failed (those under way were waited for)
