"""6. Weight and layout: the home pages stay under 30 000 B in at most 5 requests, no script blocks
rendering, no page scrolls sideways at 360 px; full-page screenshots at 360 and 1280 px go to
test-artifacts/screenshots/."""

from __future__ import annotations

import checks
import pytest
import tiny

HOMES = ["/", "/en/"]


@pytest.mark.browser
@pytest.mark.parametrize("home", HOMES)
def test_home_page_weight(home, server, page, no_problems):
    responses = checks.measure_load(page, server.url(home))
    total = sum(s for _, s in responses)
    print(f"{home}: {len(responses)} request(s), {total} B: " + ", ".join(f"{u} {s} B" for u, s in responses))
    no_problems(checks.weight_problems(server.url(home), responses))


def test_no_render_blocking_script(site, page_path, no_problems):
    parsed = checks.parse_file(checks.page_file(site.output, page_path))
    no_problems(checks.render_blocking_scripts(site.base_url.rstrip("/") + page_path, parsed))


@pytest.mark.browser
def test_layout_and_screenshots(page_path, server, page, screenshots_dir, no_problems):
    url = server.url(page_path)
    page.set_viewport_size({"width": checks.NARROW_WIDTH, "height": 800})
    page.goto(url, wait_until="load")
    problems = [p for p in [checks.overflow_problem(page, url, checks.NARROW_WIDTH)] if p]
    page.screenshot(path=str(screenshots_dir / checks.screenshot_name(page_path, checks.NARROW_WIDTH)), full_page=True)
    page.set_viewport_size({"width": checks.WIDE_WIDTH, "height": 800})
    page.screenshot(path=str(screenshots_dir / checks.screenshot_name(page_path, checks.WIDE_WIDTH)), full_page=True)
    no_problems(problems)


# ---- the checks can fail -------------------------------------------------------------------


def test_weight_checker_reports_heavy_pages():
    responses = [
        ("http://x/", 12_000),
        ("http://x/a.css", 9_000),
        ("http://x/b.js", 8_000),
        ("http://x/c.woff2", 2_000),
        ("http://x/d.png", 500),
        ("http://x/e.png", 500),
    ]
    text = "\n".join(checks.weight_problems("http://x/", responses))
    assert "at most 30000 B' failed: 32000 B" in text, text
    assert "at most 5 requests' failed: 6" in text, text
    assert checks.weight_problems("http://x/", responses[:3]) == []


def test_render_blocking_checker():
    html = tiny.page(
        head='<script src="/a.js"></script><script src="/b.js" defer></script>'
        '<script src="/c.js" async></script><script type="module" src="/d.js"></script>'
    )
    problems = checks.render_blocking_scripts("u", checks.parse_html(html))
    assert len(problems) == 1 and "'/a.js'" in problems[0], problems


@pytest.mark.browser
def test_weight_and_overflow_checkers_in_the_browser(tmp_path, new_context):
    css = tiny.CSS + ".wide { width: 500px; }\n"
    html = tiny.page(body='<div class="wide">wide</div>' + "<p>" + "x " * 20_000 + "</p>")
    root = tiny.write_site(tmp_path, {"index.html": html}, css=css)
    with checks.Server(root) as srv:
        page = new_context(viewport={"width": 360, "height": 800}).new_page()
        responses = checks.measure_load(page, srv.url("/"))
        overflow = checks.overflow_problem(page, srv.url("/"))
    assert {u for u, _ in responses} == {srv.url("/"), srv.url("/style.css")}, responses
    assert "at most 30000 B' failed" in "\n".join(checks.weight_problems(srv.url("/"), responses))
    assert overflow and "no horizontal scroll at 360 px' failed: scrollWidth=5" in overflow and "div.wide" in overflow
