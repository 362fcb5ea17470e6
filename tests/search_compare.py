"""The sharded search index against one index of the same pages, through the search page in Chromium.

Both are built from the same site: the sharded index as the generator makes it, and one
index of every page (the same build with every indexed page in the primary shard, which
``static/search.js`` then searches alone).  The same queries run through each search page
(its own form and script, every result read, "show more" included); compared per query:
the set of results, the excerpt of each, the filter lists, and the order (Kendall's tau,
the overlap of the first ten, whether the first result is the same).  The requests the
page makes to ``pagefind/`` are counted (at load and first query, then per query).

Used by ``tests/test_search_shards_browser.py``, and on its own to measure a bigger site::

    .venv/bin/python tests/search_compare.py --config SITE/config.yaml --work DIR [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "browser"))
import checks  # noqa: E402  (the browser harness: server, Chromium flags)
from search_truth import SiteText  # noqa: E402

from sitegen import search, search_shards  # noqa: E402
from sitegen.cli import main  # noqa: E402
from sitegen.search_shards import PRIMARY, place_of  # noqa: E402

SEARCH_PAGE = {"it": "/cerca/", "en": "/en/search/"}

# Runs each query through the page's form; every result: address, excerpt, date.
RUN = """async ({queries, choices}) => {
  const form = document.querySelector('form[data-search]');
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const until = (test) => new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (test()) resolve();
      else if (Date.now() - started > 30000) reject(new Error('timed out: ' + status.textContent));
      else setTimeout(check, 2);
    };
    check();
  });
  for (const [name, value] of Object.entries(choices)) {
    const select = form.elements[name];
    if (![...select.options].some((o) => o.value === value)) select.append(new Option(value, value));
    select.value = value;
  }
  const found = {};
  for (const query of queries) {
    status.textContent = '';
    input.value = query;
    form.requestSubmit();
    await until(() => status.textContent.includes(query) && !status.textContent.endsWith('…'));
    const count = parseInt(status.textContent, 10) || 0;
    while (list.children.length < count) {
      const more = document.querySelector('.search-more');
      const shown = list.children.length;
      if (!more) break;
      more.click();
      await until(() => list.children.length > shown);
    }
    found[query] = [...list.children].map((li) => [
      li.querySelector('h2 a').getAttribute('href'),
      li.querySelector('p:last-child').textContent,
      li.querySelector('time') ? li.querySelector('time').dateTime : null,
    ]);
  }
  const tags = [...form.elements.tag.options].map((o) => o.value);
  return {found, tags};
}"""


def one_index(html: bytes) -> str | None:
    """Every indexed page in the primary shard: one index of the whole site."""
    return PRIMARY if place_of(html) is not None else None


@contextmanager
def single_index() -> Iterator[None]:
    # Both names: search_shards.assign reads every page (a build without a record), search's
    # own import places the changed ones.
    with mock.patch.object(search_shards, "place_of", one_index), mock.patch.object(search, "place_of", one_index):
        yield


def build(config: Path, out: Path, *extra: str) -> None:
    assert main(["build", "--config", str(config), "--output", str(out), "--no-cache", *extra]) == 0


def run_queries(browser, root: Path, lang: str, queries: list[str], choices: dict[str, str] | None = None) -> dict:
    """What the search page of ``lang`` shows for each query, and the requests it made to ``pagefind/``."""
    context = browser.new_context()
    context.set_default_timeout(120_000)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        with checks.Server(root) as srv:
            page.goto(srv.url(SEARCH_PAGE[lang]))
            first = page.evaluate(RUN, {"queries": queries[:1], "choices": choices or {}})
            at_first = len([url for url in requests if "/pagefind/" in url])
            rest = page.evaluate(RUN, {"queries": queries[1:], "choices": choices or {}}) if queries[1:] else first
    finally:
        context.close()
    index_requests = [url for url in requests if "/pagefind/" in url]
    return {
        "found": {**first["found"], **rest["found"]},
        "tags": rest["tags"],
        "requests_first": at_first,
        "requests_rest": len(index_requests) - at_first,
    }


def kendall_tau(a: list[str], b: list[str]) -> float:
    """Kendall's tau of the common items' order in ``a`` and ``b`` (1: the same order)."""
    common = [x for x in a if x in set(b)]
    where = {x: i for i, x in enumerate(b)}
    pairs = concordant = 0
    for i, x in enumerate(common):
        for y in common[i + 1 :]:
            pairs += 1
            concordant += where[x] < where[y]
    return 1.0 if pairs == 0 else (2 * concordant - pairs) / pairs


def compare(one: dict, sharded: dict) -> dict:
    """How the sharded results differ from one index's, over every query."""
    sets, excerpts, dates, taus, top10, first, orders = [], [], [], [], [], [], []
    for query, expected in one["found"].items():
        got = sharded["found"][query]
        a, b = [r[0] for r in expected], [r[0] for r in got]
        sets.append(set(a) == set(b))
        by_page = {r[0]: r for r in got}
        excerpts.extend(r[1] == by_page[r[0]][1] for r in expected if r[0] in by_page)
        dates.extend(r[2] == by_page[r[0]][2] for r in expected if r[0] in by_page)
        orders.append(a == b)
        if len(a) >= 2:
            taus.append(kendall_tau(a, b))
            top10.append(len(set(a[:10]) & set(b[:10])) / min(10, len(a)))
            first.append(bool(b) and a[0] == b[0])
    return {
        "queries": len(sets),
        "same_set": sum(sets),
        "same_excerpts": f"{sum(excerpts)}/{len(excerpts)}",
        "same_dates": f"{sum(dates)}/{len(dates)}",
        "same_tags": one["tags"] == sharded["tags"],
        "same_order": sum(orders),
        "ranked_queries": len(taus),
        "kendall_tau_mean": round(statistics.fmean(taus), 4) if taus else None,
        "kendall_tau_min": round(min(taus), 4) if taus else None,
        "top10_overlap_mean": round(statistics.fmean(top10), 4) if top10 else None,
        "same_first_result": f"{sum(first)}/{len(first)}",
        "requests": {"one index": _requests(one), "sharded": _requests(sharded)},
    }


def _requests(run: dict) -> str:
    return f"{run['requests_first']} at load and first query, {run['requests_rest']} for the other queries"


def sample(root: Path, lang: str, size: int) -> list[str]:
    """Words of the site (every indexed word is equally likely), and pairs of them."""
    words = SiteText(root).sample(lang, size)
    return words + [f"{a} {b}" for a, b in zip(words[: size // 10], words[size // 10 : size // 5], strict=False)]


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="folder for the two builds")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--lang", default="it")
    args = parser.parse_args()
    sharded, one = args.work / "sharded", args.work / "one"
    build(args.config, sharded)
    with single_index():
        build(args.config, one)
    from playwright.sync_api import sync_playwright

    queries = sample(sharded, args.lang, args.queries)
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=checks.CHROMIUM, headless=True, args=checks.CHROMIUM_ARGS)
        for label, choices in (("relevance", {}), ("by date", {"sort": "date"}), ("news only", {"kind": "news"})):
            runs = [run_queries(browser, root, args.lang, queries, choices) for root in (one, sharded)]
            report[label] = compare(*runs)
        browser.close()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    cli()
