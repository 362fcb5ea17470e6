"""Site search in a real browser (Debian Chromium via Playwright), on the real site.

The real content is copied into a temporary project together with a draft news item in
each language (fixture data: its made-up word appears nowhere else), built at the fixed
test moment at the root and under a subpath, and served on 127.0.0.1.  A third build with
``--drafts`` (what the preview does) shows that the draft's word *is* findable once the
draft is in the output, so the "finds nothing" test cannot pass by accident.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sitetest import NOW_ARG, REPO

from sitegen.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import checks  # noqa: E402  (the browser harness: server, Chromium flags, axe)

pytestmark = pytest.mark.browser

DRAFT_WORD = "zibaldonequark"  # fixture word, only in the drafts below
DRAFTS = {
    "it/notizie/bozza-ricerca.md": f'---\ntitle: "Bozza di prova"\ndate: 2026-11-20\ndraft: true\n---\n\n'
    f"Testo di prova della bozza: {DRAFT_WORD}.\n",
    "en/news/draft-search.md": f'---\ntitle: "Test draft"\ndate: 2026-11-20\ndraft: true\n---\n\n'
    f"Test text of the draft: {DRAFT_WORD}.\n",
}
NEWS = {
    "it": "/notizie/iom-entra-nel-network-innovation-life-sciences-hubs/",
    "en": "/en/news/iom-joins-the-innovation-life-sciences-hubs-network/",
}
SEARCH_PAGE = {"it": "/cerca/", "en": "/en/search/"}
# Words of the press release: "telemedicina" is in the Italian quote, "telemedicine" in its translation;
# "pervenire"/"order" appear in no other page of their language (stemming included).
PRESS_WORDS = {"it": ["telemedicina", "pervenire"], "en": ["telemedicine", "order"]}
STATUS = {"it": "risultat", "en": "result"}
NONE = {"it": f"Nessun risultato per «{DRAFT_WORD}».", "en": f"No results for “{DRAFT_WORD}”."}


def _project(root: Path) -> Path:
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    for rel, text in DRAFTS.items():
        (root / "content" / rel).write_text(text, encoding="utf-8")
    return root


def _build(project: Path, out: Path, base_url: str, *extra: str) -> Path:
    argv = [
        "build",
        "--config",
        str(project / "config.yaml"),
        "--output",
        str(out),
        "--base-url",
        base_url,
        "--now",
        NOW_ARG,
        *extra,
    ]
    assert main(argv) == 0
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("out")
    return {
        "root": _build(project, out / "root", "https://example.org/"),
        "sub": _build(project, out / "sub", "https://example.org/sub/"),
        "drafts": _build(project, out / "drafts", "https://example.org/", "--drafts"),
    }


@pytest.fixture(scope="module")
def server(builds):
    with checks.Server(builds["root"]) as srv:
        yield srv


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(checks.CSP_LISTENER_JS)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def search(page, query: str) -> dict:
    """Type ``query`` in the search page's field; wait for the announced outcome; return what is shown."""
    field = page.get_by_role("searchbox")
    field.fill("")
    field.press_sequentially(query, delay=20)
    page.wait_for_function(
        "q => { const s = document.getElementById('search-status').textContent;"
        " return s.includes(q) && !s.endsWith('…'); }",
        arg=query,
    )
    return page.evaluate("""() => ({
      status: document.getElementById('search-status').textContent,
      results: [...document.querySelectorAll('#search-results > li')].map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        title: li.querySelector('h2 a').textContent,
        date: li.querySelector('time') ? li.querySelector('time').textContent : null,
        datetime: li.querySelector('time') ? li.querySelector('time').dateTime : null,
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()),
        excerpt: li.querySelector('p:last-child').innerHTML,
      })),
    })""")


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_press_release_word_finds_the_news_item_in_its_language(lang, server, page):
    page.goto(server.url(SEARCH_PAGE[lang]))
    for word in PRESS_WORDS[lang]:
        shown = search(page, word)
        hrefs = [r["href"] for r in shown["results"]]
        assert NEWS[lang] in hrefs, (word, shown)
        assert all(h.startswith("/en/") == (lang == "en") for h in hrefs), f"other language in results: {hrefs}"
        count = len(hrefs)
        assert shown["status"].startswith("1 " if count == 1 else f"{count} "), shown["status"]
        news = shown["results"][hrefs.index(NEWS[lang])]
        assert news["date"] == {"it": "26 novembre 2026", "en": "26 November 2026"}[lang]
        assert news["datetime"].startswith("2026-11-26")
        assert news["title"].startswith({"it": "L’Istituto Oncologico", "en": "The Istituto Oncologico"}[lang])
        assert any(word[:6] in m for m in news["marks"]), news["excerpt"]
    assert len(search(page, PRESS_WORDS[lang][1])["results"]) == 1  # only the press release has it


@pytest.mark.parametrize("lang", ["it", "en"])
def test_results_link_to_pages_that_exist_and_open_them(lang, server, page, builds):
    page.goto(server.url(SEARCH_PAGE[lang]))
    shown = search(page, "Innovation Life Sciences Hubs")
    assert len(shown["results"]) >= 3
    for result in shown["results"]:
        rel = unquote(result["href"]).lstrip("/")
        assert (builds["root"] / rel / "index.html").is_file(), result["href"]
        assert page.request.get(server.url(result["href"])).status == 200
    page.locator("#search-results a").first.click()
    page.wait_for_url(server.url(shown["results"][0]["href"]))


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_word_only_in_a_draft_finds_nothing(lang, server, page, builds):
    page.goto(server.url(SEARCH_PAGE[lang]))
    shown = search(page, DRAFT_WORD)
    assert shown == {"status": NONE[lang], "results": []}
    assert DRAFT_WORD not in "".join(p.read_text() for p in builds["root"].rglob("*.html"))


def test_a_drafts_preview_indexes_what_it_shows(builds, page):
    with checks.Server(builds["drafts"]) as srv:
        page.goto(srv.url("/cerca/"))
        shown = search(page, DRAFT_WORD)
    assert [r["href"] for r in shown["results"]] == ["/notizie/bozza-ricerca/"]


def test_search_works_under_a_subpath(builds, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    with checks.Server(builds["sub"], prefix="/sub/") as srv:
        page.goto(srv.url("/en/search/"))
        shown = search(page, "telemedicine")
        assert "/sub" + NEWS["en"] in [r["href"] for r in shown["results"]]
        for result in shown["results"]:
            assert result["href"].startswith("/sub/en/"), result["href"]
            assert page.request.get(srv.origin + result["href"]).status == 200
        page.locator("#search-results a").first.click()
        page.wait_for_url(srv.origin + shown["results"][0]["href"])
        assert [u for u in requests if not urlsplit(u).path.startswith("/sub/")] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_search_page_with_results(scheme, server, page):
    page.emulate_media(color_scheme=scheme)
    page.goto(server.url("/cerca/?q=telemedicina"))
    page.wait_for_selector("#search-results mark")
    assert checks.axe_violations(page) == []


def test_searching_raises_no_console_error_csp_violation_or_foreign_request(server, page):
    loaded = checks.PageLoad(server.url("/cerca/"))
    page.on("request", lambda r: loaded.requests.append(r.url))
    page.on("console", lambda m: loaded.console_errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: loaded.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: loaded.failed.append(f"{r.url}: {r.failure}"))
    loaded.status = page.goto(loaded.url).status
    search(page, "telemedicina")
    search(page, "Big Data")
    page.wait_for_timeout(50)
    loaded.csp_violations = page.evaluate("window.__cspViolations")
    assert checks.runtime_problems(loaded) == []
    assert loaded.console_errors == []
    assert [u for u in loaded.requests if not u.startswith(server.origin + "/")] == []


def test_keyboard_only_tab_to_the_field_type_tab_to_a_result_enter(server, page):
    page.goto(server.url("/cerca/"))
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type("telemedicina", delay=20)
    page.wait_for_selector("#search-results a")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('telemedicina')")
    order = []
    for _ in range(4):  # the filters (kind, tag, order), then the first result
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert order == ["search-kind", "search-tag", "search-sort", "A"]
    first = page.evaluate("document.querySelector('#search-results a').getAttribute('href')")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    page.keyboard.press("Enter")
    page.wait_for_url(server.url(first))


def test_the_header_box_leads_to_the_search_page_with_results(server, page):
    page.goto(server.url("/en/"))
    box = page.get_by_role("searchbox", name="Search this site")
    box.fill("telemedicine")
    box.press("Enter")
    page.wait_for_url(server.url("/en/search/?q=telemedicine"))
    page.wait_for_selector("#search-results a")
    assert page.get_by_role("searchbox", name="Search this site").input_value() == "telemedicine"
    assert NEWS["en"] in page.evaluate(
        "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))"
    )


def test_pages_other_than_search_load_no_search_script(server, page):
    """Only the search page loads the search (search.js, Pagefind); other pages have only the
    deferred print helper."""
    responses: list[tuple[str, int]] = []
    page.on("response", lambda r: responses.append((r.url, len(r.body()))))
    page.goto(server.url("/"))
    page.wait_for_load_state("networkidle")
    page.get_by_role("searchbox").focus()  # interacting with the header box loads nothing either
    page.wait_for_timeout(100)
    scripts = [u for u, _ in responses if u.endswith(".js") or "pagefind" in u]
    assert [u for u in scripts if "/static/print." not in u] == []
    assert len(responses) <= checks.HOME_MAX_REQUESTS
    assert sum(size for _, size in responses) <= checks.HOME_MAX_BYTES


def test_without_javascript_the_search_page_says_what_to_do(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("/"))
        page.get_by_role("searchbox").fill("telemedicina")
        page.get_by_role("button", name="Cerca").click()
        page.wait_for_url(server.url("/cerca/?q=telemedicina"))
        message = page.locator("#search-nojs")
        assert message.is_visible()
        assert "JavaScript" in message.inner_text()
        assert page.get_by_role("link", name="Tutte le notizie").is_visible()
    finally:
        context.close()


def test_with_javascript_the_no_script_message_is_gone(server, page):
    page.goto(server.url("/cerca/"))
    page.wait_for_function("() => document.getElementById('search-nojs').hidden")


def test_markup_in_the_text_is_shown_as_text_never_run(browser, tmp_path):
    from sitetest import copy_site

    site = copy_site("basic", tmp_path / "site")
    (site / "content" / "en" / "code.md").write_text(  # fixture page: text that looks like HTML
        '---\ntitle: "Code <i>page</i>"\n---\n\nThe wombat says `<img src=x onerror=alert(1)>` and 5 < 6.\n'
    )
    out = _build(site, tmp_path / "out", "https://example.org/")
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        with checks.Server(out) as srv:
            page.goto(srv.url("/en/search/"))
            shown = search(page, "wombat")
        assert [r["title"] for r in shown["results"]] == ["Code <i>page</i>"]
        assert page.locator("#search-results img, #search-results i").count() == 0
        text = page.locator("#search-results p").last.inner_text()
        assert "says <img src=x onerror=alert(1)> and 5 < 6." in text
        assert page.locator("#search-results mark").all_inner_texts() == ["wombat"]
        assert dialogs == []
    finally:
        context.close()


def shown_after(page, url: str) -> dict:
    """Open the search page at ``url`` (query and choices in the address) and return what it shows."""
    page.goto(url)
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status').textContent; return s && !s.endsWith('…'); }"
    )
    return page.evaluate("""() => ({
      status: document.getElementById('search-status').textContent,
      hint: document.getElementById('search-none').hidden ? null : document.getElementById('search-none').innerText,
      news: document.querySelector('#search-none a').getAttribute('href'),
      filters: !document.getElementById('search-filters').hidden,
      tags: [...document.getElementById('search-tag').options].map(o => o.value),
      results: [...document.querySelectorAll('#search-results > li')].map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        date: li.querySelector('time') ? li.querySelector('time').dateTime : null,
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()),
        excerpt: li.querySelector('p:last-child').textContent,
      })),
    })""")


def test_results_filter_by_kind_and_tag_and_sort_by_date(server, page):
    everything = shown_after(page, server.url("/cerca/?q=rete"))
    assert everything["filters"] and everything["tags"] == ["", "innovazione", "ricerca", "sanità digitale"]
    hrefs = [r["href"] for r in everything["results"]]
    assert NEWS["it"] in hrefs and hrefs[0] != NEWS["it"]  # by relevance, a page comes first
    news = shown_after(page, server.url("/cerca/?q=rete&kind=news"))["results"]
    assert [r["href"] for r in news] == [NEWS["it"]] and news[0]["date"].startswith("2026-11-26")
    pages = [r["href"] for r in shown_after(page, server.url("/cerca/?q=rete&kind=page"))["results"]]
    assert sorted(pages) == sorted(h for h in hrefs if h != NEWS["it"])
    tagged = shown_after(page, server.url("/cerca/?q=rete&tag=sanit%C3%A0+digitale"))["results"]
    assert [r["href"] for r in tagged] == [NEWS["it"]]
    by_date = [r["href"] for r in shown_after(page, server.url("/cerca/?q=rete&sort=date"))["results"]]
    assert by_date[0] == NEWS["it"] and sorted(by_date) == sorted(hrefs)  # dated first, then the others
    # A choice made with the keyboard searches again and goes into the address.
    shown_after(page, server.url("/cerca/?q=rete"))
    page.focus("#search-kind")
    page.keyboard.press("ArrowDown")  # Tutto -> Notizie
    page.wait_for_function("() => document.querySelectorAll('#search-results > li').length === 1")
    assert "kind=news" in page.url


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_results_suggests_the_spelling_and_links_to_the_news(lang, server, page):
    shown = shown_after(page, server.url(SEARCH_PAGE[lang] + "?q=telemedicinna"))
    assert shown["results"] == []
    assert shown["hint"].startswith({"it": "Controlla come è scritta", "en": "Check the spelling"}[lang])
    assert shown["news"] == {"it": "/notizie/", "en": "/en/news/"}[lang]
    assert shown_after(page, server.url(SEARCH_PAGE[lang] + "?q=" + PRESS_WORDS[lang][0]))["hint"] is None


def test_english_results_and_excerpts_come_from_the_english_text(server, page):
    # The Italian original of the quote on English pages is left out of the index.
    assert shown_after(page, server.url("/en/search/?q=telemedicina"))["results"] == []
    shown = shown_after(page, server.url("/en/search/?q=telemedicine"))
    assert shown["results"] and all("telemedicina" not in r["excerpt"] for r in shown["results"])
    assert all(any(m.startswith("telemedicine") for m in r["marks"]) for r in shown["results"])
