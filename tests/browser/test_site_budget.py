"""6. Weight: the home pages stay under 60 000 B (HTML, CSS, fonts, images) in at most 6
requests, every other page under 100 000 B before images, and no script blocks rendering.
(Layout and screenshots: test_site_layout.py.)"""

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


@pytest.mark.browser
def test_page_weight_before_images(page_path, server, page, no_problems):
    responses = checks.without_images(checks.measure_load(page, server.url(page_path)))
    total = sum(s for _, s in responses)
    print(f"{page_path}: {len(responses)} request(s) besides images, {total} B")
    no_problems(checks.weight_problems(server.url(page_path), responses, checks.PAGE_MAX_BYTES, max_requests=99))


def test_no_render_blocking_script(site, page_path, no_problems):
    parsed = checks.parse_file(checks.page_file(site.output, page_path))
    no_problems(checks.render_blocking_scripts(site.base_url.rstrip("/") + page_path, parsed))


# ---- the checks can fail -------------------------------------------------------------------


def test_weight_checker_reports_heavy_pages():
    responses = [
        ("http://x/", 22_000),
        ("http://x/a.css", 19_000),
        ("http://x/b.js", 18_000),
        ("http://x/c.woff2", 2_000),
        ("http://x/d.png", 500),
        ("http://x/e.png", 500),
        ("http://x/f.png", 500),
    ]
    text = "\n".join(checks.weight_problems("http://x/", responses))
    assert "at most 60000 B' failed: 62500 B" in text, text
    assert "at most 6 requests' failed: 7" in text, text
    assert checks.weight_problems("http://x/", responses[:3]) == []
    assert [u for u, _ in checks.without_images(responses)] == [
        "http://x/",
        "http://x/a.css",
        "http://x/b.js",
        "http://x/c.woff2",
    ]


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
    html = tiny.page(body='<div class="wide">wide</div>' + "<p>" + "x " * 35_000 + "</p>")
    root = tiny.write_site(tmp_path, {"index.html": html}, css=css)
    with checks.Server(root) as srv:
        page = new_context(viewport={"width": 360, "height": 800}).new_page()
        responses = checks.measure_load(page, srv.url("/"))
        overflow = checks.overflow_problem(page, srv.url("/"))
    assert {u for u, _ in responses} == {srv.url("/"), srv.url("/style.css")}, responses
    assert "at most 60000 B' failed" in "\n".join(checks.weight_problems(srv.url("/"), responses))
    assert overflow and "no horizontal scroll at 360 px' failed: scrollWidth=5" in overflow and "div.wide" in overflow
