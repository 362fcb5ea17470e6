"""Site search against a ground truth, in Chromium, through the search page as a visitor uses it.

The real site is built (at the fixed test moment) and served; for every word of a sample of
the site's words in each language (and every elided form on the site, "dell’UPMC"), the
search page must list exactly the pages whose indexed text holds the word or a word with
the same stem (``tests/search_truth.py``).  One browser page per language runs all the
queries through the page's own form and script, reading the whole result list ("show
more" included).  The same check on builds with each half of the fix turned off shows
that it fails: elided words not split (``sitegen/search_text.py`` made a no-op), and
Pagefind's prefix fallback let through (the result filter of ``static/search.js`` made a
no-op).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from search_truth import SiteText
from sitetest import NOW_ARG, REPO

from sitegen import search_text
from sitegen.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import checks  # noqa: E402  (the browser harness: server, Chromium flags)

pytestmark = pytest.mark.browser

SEARCH_PAGE = {"it": "/cerca/", "en": "/en/search/"}
NEWS = {
    "it": "/notizie/iom-entra-nel-network-innovation-life-sciences-hubs/",
    "en": "/en/news/iom-joins-the-innovation-life-sciences-hubs-network/",
}
SAMPLE_SIZE = 220  # words per language, besides the elided forms
NEAR_MISSES = 25  # sampled words made into non-words: longer ("…qz") and shorter (two letters less)
# The cases of issue 13, each with the language it was seen in.
KNOWN = {
    "it": ["UPMC", "dell’UPMC", "Università", "ambizioso", "adesione", "emergenza", "telemedicina"],
    "en": ["UPMC", "IOM’s", "IOM", "ambitious", "emergency", "telemedicine", "Italian"],
}
# The filter of search.js, and what turns it off (the test checks that the text is there).
FILTER_ON = "sets.every((ids) => ids.has(result.id))"
FILTER_OFF = "true"

# Runs each query through the page's own form and collects every result it lists.
RUN_QUERIES = """async (queries) => {
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const until = (test) => new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (test()) resolve();
      else if (Date.now() - started > 10000) reject(new Error('timed out: ' + status.textContent));
      else setTimeout(check, 2);
    };
    check();
  });
  const found = {};
  for (const query of queries) {
    status.textContent = '';
    input.value = query;
    input.form.requestSubmit();
    await until(() => status.textContent.includes(query) && !status.textContent.endsWith('…'));
    const count = parseInt(status.textContent, 10) || 0;  // "Nessun risultato…", "No results…": 0
    while (list.children.length < count) {
      const more = document.querySelector('.search-more');
      const shown = list.children.length;
      if (!more) break;
      more.click();
      await until(() => list.children.length > shown);
    }
    found[query] = [...list.querySelectorAll('h2 a')].map((a) => a.getAttribute('href'));
  }
  return found;
}"""


def _build(out: Path) -> Path:
    argv = ["build", "--config", str(REPO / "config.yaml"), "--output", str(out), "--now", NOW_ARG]
    argv += ["--base-url", "https://example.org/"]
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("site") / "out")


def search_results(browser, root: Path, lang: str, queries: list[str]) -> dict[str, set[str]]:
    """What the search page of ``lang`` lists for each query: the first through the address
    (as the header form sends it), the others through the page's form."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        with checks.Server(root) as srv:
            first = queries[0]
            page.goto(srv.url(SEARCH_PAGE[lang]) + "?q=" + first)
            page.wait_for_function(
                "q => { const s = document.getElementById('search-status').textContent;"
                " return s.includes(q) && !s.endsWith('…'); }",
                arg=first,
            )
            found = page.evaluate(RUN_QUERIES, queries)
    finally:
        context.close()
    return {query: set(hrefs) for query, hrefs in found.items()}


def mismatches(truth: SiteText, lang: str, shown: dict[str, set[str]]) -> dict[str, dict[str, list[str]]]:
    """For each query whose results differ from the ground truth: the pages in excess and missing."""
    wrong = {}
    for query, urls in sorted(shown.items()):
        expected = truth.expected(query, lang)
        if urls != expected:
            wrong[query] = {"extra": sorted(urls - expected), "missing": sorted(expected - urls)}
    return wrong


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_sampled_word_finds_exactly_the_pages_that_hold_it(lang, site, browser):
    truth = SiteText(site)
    sample = truth.sample(lang, SAMPLE_SIZE)
    assert len(sample) >= 200
    queries = sorted(set(sample) | set(KNOWN[lang]) | set(truth.near_misses(lang, NEAR_MISSES)))
    assert any("’" in q or "'" in q for q in queries), "no elided form in the sample"
    shown = search_results(browser, site, lang, queries)
    assert mismatches(truth, lang, shown) == {}
    assert NEWS[lang] in shown["UPMC"]  # "dell’UPMC" on the Italian page


def test_with_elisions_left_as_they_are_the_check_fails(tmp_path, browser, monkeypatch):
    monkeypatch.setattr(search_text, "_ELISION", search_text.re.compile(r"(?!)"))
    root = _build(tmp_path / "out")
    truth = SiteText(root)
    wrong = mismatches(truth, "it", search_results(browser, root, "it", KNOWN["it"]))
    assert "/notizie/iom-entra-nel-network-innovation-life-sciences-hubs/" in wrong["UPMC"]["missing"]
    assert "/partner-e-territori/" in wrong["Università"]["missing"]


def test_with_pagefind_results_unfiltered_the_check_fails(tmp_path, browser):
    root = _build(tmp_path / "out")
    scripts = [p for p in root.rglob("search*.js") if "pagefind" not in p.parts]
    assert len(scripts) == 1, scripts
    code = scripts[0].read_text(encoding="utf-8")
    assert FILTER_ON in code
    scripts[0].write_text(code.replace(FILTER_ON, FILTER_OFF), encoding="utf-8")
    truth = SiteText(root)
    queries = ["ambiziosoqz", "emergenzaqz", "ricer", "telemedic"]
    wrong = mismatches(truth, "it", search_results(browser, root, "it", queries))
    assert set(wrong) == set(queries), wrong
    assert all(w["extra"] and not w["missing"] for w in wrong.values()), wrong
