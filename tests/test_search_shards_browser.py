"""The sharded index finds what one index finds, in Chromium, through the search page.

A site whose news spread over several years and quarters (so over several shards, in
both languages: year shards, and one year of more items than the (lowered) threshold in
quarter shards) is built twice: with the sharded index, and with one index of every page
(:mod:`search_compare`).  For a sample of the site's words the search page must list the
same pages with the same excerpts and dates, offer the same tags, give the same results
with the kind filter, and the same dates in the same order when sorted by date; the order
by relevance may differ (each shard scores with its own statistics) but stays close.
With the shards not merged the comparison fails.
"""

from __future__ import annotations

import random
from pathlib import Path
from unittest import mock

import pytest
from search_compare import build, compare, run_queries, single_index
from search_truth import SiteText
from test_incremental import NOW, make_site

from sitegen import search_shards

pytestmark = pytest.mark.browser

VOCABULARY = (
    "ricerca innovazione salute territorio paziente cura rete ospedale medicina genoma "
    "dati clinica studio progetto formazione impresa futuro persone tecnologia sviluppo"
).split()
DATES = ["2023-03-10", "2023-11-02", "2024-02-14", "2024-06-30", "2024-09-09", "2025-01-20", "2025-12-01", "2026-04-04"]
ITEM = """---
title: "{title}"
date: {date}
tags: [{tags}]
---

{text}
"""


def news_site(root: Path) -> Path:
    site = make_site(root, news=0)
    pick = random.Random(7)
    for lang, folder in (("it", "content/it/notizie"), ("en", "content/en/news")):
        for number in range(24):
            words = " ".join(pick.choices(VOCABULARY, k=pick.randint(20, 90)))
            tags = ", ".join(sorted(set(pick.choices(["alfa", "beta", "gamma"], k=2))))
            date = f"{DATES[number % len(DATES)]} {9 + number % 9:02d}:00"
            text = ITEM.format(title=f"{lang} {number} {pick.choice(VOCABULARY)}", date=date, tags=tags, text=words)
            (root / folder / f"x{number}.md").write_text(text, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    site = news_site(root / "site")
    now = ["--now", NOW.isoformat()]
    # Each language: 6 items in 2023, 9 in 2024 (split into three quarters), 6 in 2025, 3 in 2026.
    with mock.patch.object(search_shards, "SPLIT_ABOVE", 6):
        build(site / "config.yaml", root / "sharded", *now)
    names = {p.name for p in (root / "sharded/pagefind").iterdir()}
    assert {"news-it-2023", "news-it-2024q1", "news-it-2024q3", "news-en-2025"} <= names, names
    assert "news-it-2024" not in names, names
    with single_index():
        build(site / "config.yaml", root / "one", *now)
    assert {p.name for p in (root / "one/pagefind").iterdir()} == {"pages", "pagefind.js", "shards.json"}
    return root / "one", root / "sharded"


def queries(root: Path, lang: str) -> list[str]:
    words = SiteText(root).sample(lang, 30)
    return words + ["ricerca salute", "dati futuro", "genoma"]


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("choices", [{}, {"kind": "news"}, {"tag": "beta"}, {"sort": "date"}])
def test_the_shards_find_what_one_index_finds(builds, browser, lang, choices):
    one, sharded = builds
    asked = queries(sharded, lang)
    runs = [run_queries(browser, root, lang, asked, choices) for root in (one, sharded)]
    result = compare(*runs)
    assert result["same_set"] == result["queries"], result
    assert result["same_excerpts"].split("/")[0] == result["same_excerpts"].split("/")[1], result
    assert result["same_dates"].split("/")[0] == result["same_dates"].split("/")[1], result
    assert result["same_tags"], result
    # Results from several shards (quarters) at once.
    assert any(len({date[:7] for _h, _e, date in found if date}) >= 3 for found in runs[1]["found"].values())
    if choices.get("sort") == "date":
        for query, found in runs[1]["found"].items():
            dates = [date for _href, _excerpt, date in found if date]
            assert dates == sorted(dates, reverse=True), query  # newest first, across shards
            assert dates == [date for _h, _e, date in runs[0]["found"][query] if date], query
    else:
        # Scores come from each shard's own statistics: here shards of three to nine items of
        # random words, the worst case (measured: tau 0.53-0.66 and top-ten overlap 0.75-0.79
        # with the kind or tag filter, more without; the real site's tau is 0.91).
        assert result["kendall_tau_mean"] >= 0.45 and result["top10_overlap_mean"] >= 0.7, result


def test_with_the_shards_not_merged_the_comparison_fails(builds, browser, tmp_path):
    import shutil

    one, sharded = builds
    broken = tmp_path / "broken"
    shutil.copytree(sharded, broken)
    scripts = [p for p in broken.rglob("search*.js") if "pagefind" not in p.parts]
    assert len(scripts) == 1, scripts
    code = scripts[0].read_text(encoding="utf-8")
    assert "module.mergeIndex(" in code
    scripts[0].write_text(code.replace("module.mergeIndex(", "(() => null)("), encoding="utf-8")
    asked = queries(sharded, "it")
    result = compare(*[run_queries(browser, root, "it", asked) for root in (one, broken)])
    assert result["same_set"] < result["queries"], result
