"""9. Layout, as a visitor sees it: no page scrolls sideways at 320, 360, 768 or 1280 px; the
header is at most 140 px tall on a 360 px phone; the reading column is centred at 1280 px;
every control is at least 24×24 px; a news item's h1 starts in the first 300 px of a 360×640
phone; the phone menu opens and closes with the keyboard; print shows the content, its address
and date, without header, search or menus. Screenshots of every kind of page at 360, 768 and
1280 px, light and dark, go to test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import date

import checks
import pytest
import tiny

pytestmark = pytest.mark.browser

NEWS_ITEMS = [
    "/notizie/iom-entra-nel-network-innovation-life-sciences-hubs/",
    "/en/news/iom-joins-the-innovation-life-sciences-hubs-network/",
]
# One page of each kind (both languages where the layout differs by text length).
KINDS = [
    "/",
    "/en/",
    "/rete/",
    "/partner-e-territori/",
    "/privacy/",
    "/notizie/",
    *NEWS_ITEMS,
    "/tag/",
    "/tag/ricerca/",
    "/cerca/",
    "/404.html",
    "/en/404.html",
]
SCREENSHOT_WIDTHS = (360, 768, 1280)


def test_layout(page_path, server, page, no_problems):
    url = server.url(page_path)
    page.goto(url, wait_until="load")
    checks.wait_for_fonts(page)
    problems = []
    for width in checks.LAYOUT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems.append(checks.overflow_problem(page, url, width))
        if width == checks.NARROW_WIDTH:
            problems.append(checks.header_height_problem(page, url))
        if width in (checks.NARROW_WIDTH, checks.WIDE_WIDTH):
            problems += checks.target_size_problems(page, url)
        if width == checks.WIDE_WIDTH:
            problems.append(checks.centred_column_problem(page, url))
    no_problems([p for p in problems if p])


@pytest.mark.parametrize("path", KINDS)
def test_screenshots(path, server, new_context, screenshots_dir):
    for scheme in ("light", "dark"):
        page = new_context(color_scheme=scheme).new_page()
        page.goto(server.url(path), wait_until="load")
        checks.wait_for_fonts(page)
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=str(screenshots_dir / checks.screenshot_name(path, width, scheme)), full_page=True)


@pytest.mark.parametrize("path", NEWS_ITEMS)
def test_news_item_title_in_the_first_screen_of_a_phone(path, server, new_context, no_problems):
    page = new_context(viewport={"width": 360, "height": 640}).new_page()
    page.goto(server.url(path))
    checks.wait_for_fonts(page)
    no_problems([p for p in [checks.h1_top_problem(page, server.url(path))] if p])


@pytest.mark.parametrize("path", ["/", "/en/", NEWS_ITEMS[0]])
def test_phone_menu_opens_and_closes_with_the_keyboard(path, server, new_context, no_problems):
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    no_problems(checks.menu_keyboard_problems(page, server.url(path)))


@pytest.mark.parametrize("path", ["/", "/en/", "/rete/", "/cerca/", *NEWS_ITEMS])
def test_print_shows_content_address_and_date(path, site, server, page, no_problems):
    parsed = checks.parse_file(checks.page_file(site.output, path))
    dates = [e.attrs["datetime"] for e in parsed.find("time")]
    page.goto(server.url(path))
    expect: tuple[str, ...] = (printed_on(path),)  # the day of printing, on every page
    if path in NEWS_ITEMS:
        expect += (page.locator("article time").first.inner_text(),)
        assert dates, path
    no_problems(checks.print_problems(page, server.url(path), expect))


MONTHS = {
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "en": "January February March April May June July August September October November December",
}


def printed_on(path: str) -> str:
    """What print.js writes under the address: today's date in the page's language."""
    lang = "en" if path.startswith("/en/") else "it"
    today = date.today()
    day = f"{today.day} {MONTHS[lang].split()[today.month - 1]} {today.year}"
    return f"Printed on {day}" if lang == "en" else f"Stampata il {day}"


# ---- the checks can fail -------------------------------------------------------------------

BROKEN_CSS = (
    tiny.CSS
    + """
header { min-height: 320px; }
main { max-width: 30rem; }
.tiny { font-size: 8px; padding: 0; border: 0; }
"""
)
BROKEN_BODY = '<p>Text with <a href="/en/">an inline link</a>.</p><p><button class="tiny">x</button></p>'


def test_layout_checkers_report_a_broken_page(tmp_path, new_context):
    root = tiny.write_site(tmp_path, {"index.html": tiny.page(body=BROKEN_BODY)}, css=BROKEN_CSS)
    with checks.Server(root) as srv:
        url = srv.url("/")
        page = new_context(viewport={"width": 360, "height": 640}).new_page()
        page.goto(url)
        header = checks.header_height_problem(page, url)
        h1 = checks.h1_top_problem(page, url)
        targets = checks.target_size_problems(page, url)
        page.set_viewport_size({"width": 1280, "height": 800})
        centred = checks.centred_column_problem(page, url)
    assert header and "header at most 140 px tall at 360 px' failed: 320 px" in header, header
    assert h1 and "h1 starts within the first 300 px' failed" in h1, h1
    assert any('button.tiny "x" 5×9' in t for t in targets), targets
    assert not any("inline link" in t for t in targets), targets  # a link in a sentence is exempt
    assert centred and "reading column centred at 1280 px' failed" in centred, centred


def test_layout_checkers_accept_the_tiny_good_page(tmp_path, new_context):
    css = tiny.CSS + "main { max-width: 30rem; margin: 0 auto; } a { display: inline-block; min-height: 24px; }\n"
    root = tiny.write_site(tmp_path, {"index.html": tiny.page()}, css=css)
    with checks.Server(root) as srv:
        page = new_context(viewport={"width": 360, "height": 640}).new_page()
        page.goto(srv.url("/"))
        assert checks.header_height_problem(page, srv.url("/")) is None
        assert checks.h1_top_problem(page, srv.url("/")) is None
        assert checks.target_size_problems(page, srv.url("/")) == []
        page.set_viewport_size({"width": 1280, "height": 800})
        assert checks.centred_column_problem(page, srv.url("/")) is None


MENU = '<nav aria-label="Menu"><details><summary>Menu</summary><ul><li><a href="/en/">One</a></li></ul></details></nav>'


def test_menu_checker_reports_a_menu_without_disclosure_or_that_does_not_open(tmp_path, new_context):
    no_menu = tiny.page()
    stuck = tiny.page(body=MENU)
    root = tiny.write_site(
        tmp_path, {"index.html": no_menu, "stuck.html": stuck}, css=tiny.CSS + "details ul { display: none; }\n"
    )
    with checks.Server(root) as srv:
        page = new_context(viewport={"width": 360, "height": 800}).new_page()
        missing = checks.menu_keyboard_problems(page, srv.url("/"))
        broken = checks.menu_keyboard_problems(page, srv.url("/stuck.html"))
    assert len(missing) == 1 and "a disclosure (details/summary) reached with Tab' failed" in missing[0], missing
    assert any("Enter opens the menu and shows its links' failed" in p for p in broken), broken
    root2 = tiny.write_site(tmp_path / "good", {"index.html": stuck})
    with checks.Server(root2) as srv:
        page = new_context(viewport={"width": 360, "height": 800}).new_page()
        assert checks.menu_keyboard_problems(page, srv.url("/")) == []


def test_print_checker_reports_a_printed_header_and_a_missing_address(tmp_path, page):
    head = '<meta property="og:url" content="https://example.org/prova/">'
    body = '<form role="search" action="/"><label>Cerca <input type="search" name="q"></label></form>'
    root = tiny.write_site(tmp_path, {"index.html": tiny.page(head=head, body=body)})
    with checks.Server(root) as srv:
        page.goto(srv.url("/"))
        problems = checks.print_problems(page, srv.url("/"), expect=("26 novembre 2026",))
    text = "\n".join(problems)
    assert "header is printed" in text and "[role=search] is printed" in text, text
    assert "'https://example.org/prova/' is not printed" in text and "'26 novembre 2026' is not printed" in text, text
