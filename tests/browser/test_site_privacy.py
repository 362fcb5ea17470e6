"""5. Privacy: pages only ever request the site's own origin (Chromium runs behind a dead proxy,
so any third-party request would fail at once), and no page sets a cookie."""

from __future__ import annotations

import checks
import pytest
import tiny

pytestmark = pytest.mark.browser


def test_only_first_party_requests(page_path, server, page_loads, no_problems):
    load = page_loads(server, page_path)
    problems = checks.foreign_requests(load.url, load.requests, server.origin)
    problems += checks.cookie_problems(load.cookies, load.url)
    no_problems(problems)


def test_only_first_party_requests_under_a_subpath(sub_page_path, sub_server, page_loads, no_problems):
    load = page_loads(sub_server, sub_page_path)
    outside = [
        u for u in load.requests if checks.origin_of(u) == sub_server.origin and not u.startswith(sub_server.url("/"))
    ]
    problems = checks.foreign_requests(load.url, load.requests, sub_server.origin)
    problems += [
        f"{load.url}: privacy rule 'requests stay under the subpath {sub_server.prefix}' failed: {u}" for u in outside
    ]
    no_problems(problems)


def test_no_cookies_after_visiting_every_page(site, server, new_context, no_problems):
    context = new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    for path in checks.site_pages(site.output):
        page.goto(server.url(path), wait_until="load")
        checks.settle(page, 50)
    checks.settle(page)
    problems = checks.foreign_requests("every page", requested, server.origin)
    problems += checks.cookie_problems(context.cookies(), "after visiting every page")
    storage = page.evaluate("localStorage.length + sessionStorage.length")
    if storage:
        problems.append(f"{page.url}: privacy rule 'no web storage' failed: {storage} item(s)")
    no_problems(problems)


# ---- the checks can fail -------------------------------------------------------------------


def test_privacy_checks_report_third_parties_and_cookies(tmp_path, new_context):
    (tmp_path / "track.js").write_text("document.cookie = 'uid=42; path=/';\n")
    html = tiny.page(
        head='<script src="/track.js" defer></script>'
        '<link rel="preconnect" href="https://fonts.example">'
        '<link rel="stylesheet" href="https://fonts.example/css">',
        body='<img src="https://tracker.example/pixel.gif" alt="">',
    )
    html = html.replace("default-src 'none'", "default-src *")
    html = html.replace("img-src 'self' data:", "img-src *").replace("style-src 'self'", "style-src *")
    root = tiny.write_site(tmp_path, {"index.html": html})
    with checks.Server(root) as srv:
        context = new_context()
        page = context.new_page()
        load = checks.load_and_watch(page, srv.url("/"))
        problems = checks.foreign_requests(load.url, load.requests, srv.origin)
        problems += checks.cookie_problems(load.cookies, load.url)
    text = "\n".join(problems)
    assert "only requests to the site's own origin' failed: https://tracker.example/pixel.gif" in text, text
    assert "https://fonts.example/css" in text, text
    assert "no cookies' failed: uid=42 for 127.0.0.1" in text, text
    assert all(p.startswith(srv.url("/")) for p in problems)
