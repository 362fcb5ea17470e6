"""The Atom feeds opened in Chromium: a page that says what a feed is and how to subscribe, in
the feed's language, styled by the site's own stylesheet under the site's CSP, accessible
(axe-core, light and dark), at the root and under a subpath.

Not XSLT: Chromium 156 still runs it but lays a banner over the page announcing its removal
(see sitegen/feed_page.py); the feed carries an XHTML explanation and a CSS stylesheet.
"""

from __future__ import annotations

from pathlib import Path

import checks
import pytest
import yaml

pytestmark = pytest.mark.browser

FEEDS = [
    ("/feed.xml", "it", "Questo è il feed delle notizie", "Come iscriversi"),
    ("/en/feed.xml", "en", "This is the news feed", "How to subscribe"),
]

STRINGS = yaml.safe_load((Path(__file__).resolve().parents[2] / "templates" / "strings.yaml").read_text("utf-8"))


def with_site_headers(context, output) -> None:
    """Serve every response with the CSP the host sends from ``_headers`` (the test server sends none)."""
    csp = next(
        line.split(":", 1)[1].strip()
        for line in (output / "_headers").read_text(encoding="utf-8").splitlines()
        if line.strip().lower().startswith("content-security-policy:")
    )

    def add_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": csp})

    context.route("**/*", add_csp)


def open_feed(new_context, server, output, path):
    context = new_context(viewport={"width": checks.NARROW_WIDTH, "height": 800})
    with_site_headers(context, output)
    page = context.new_page()
    return page, checks.load_and_watch(page, server.url(path))


@pytest.mark.parametrize(("path", "lang", "heading", "subheading"), FEEDS)
def test_the_feed_renders_as_a_page_that_explains_it(
    path, lang, heading, subheading, site, server, new_context, screenshots_dir, no_problems
):
    page, load = open_feed(new_context, server, site.output, path)
    no_problems(checks.runtime_problems(load, expect_status=200))  # no 404 (favicon), no CSP violation
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert subheading in page.get_by_role("heading", level=2).all_inner_texts()
    assert page.locator("h1").is_visible()
    assert page.title().startswith(STRINGS[lang]["feed"])  # the interface's own name of the feed
    assert page.evaluate("document.documentElement.getAttribute('xml:lang')") == lang
    # the stylesheet applied: the Atom elements are hidden, the address is shown to copy
    assert page.evaluate("getComputedStyle(document.querySelector('entry') || document.body).display") == "none"
    assert page.locator("code").inner_text() == site.base_url + path.lstrip("/")
    links = page.get_by_role("link").all()
    assert len(links) >= 3 and all(link.is_visible() for link in links)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshots_dir / f"feed-{lang}-{checks.NARROW_WIDTH}.png"), full_page=False)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        no_problems(checks.axe_violations(page, label=scheme), "found by axe-core")


def test_the_feed_under_a_subpath_loads_its_stylesheet(sub_site, sub_server, new_context, no_problems):
    page, load = open_feed(new_context, sub_server, sub_site.output, "/feed.xml")
    no_problems(checks.runtime_problems(load, expect_status=200))
    stylesheets = [url for url in load.requests if url.endswith(".css")]
    assert stylesheets and all("/sub/static/feed." in url for url in stylesheets), load.requests
    assert page.evaluate("getComputedStyle(document.querySelector('entry')).display") == "none"


def test_an_unstyled_feed_would_fail_the_check(tmp_path, new_context, no_problems):
    """The check can fail: raw Atom, with no stylesheet, has no heading for the test to find."""
    (tmp_path / "_headers").write_text("/*\n  Content-Security-Policy: default-src 'none'\n", encoding="utf-8")
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>\n',
        encoding="utf-8",
    )
    with checks.Server(tmp_path) as srv:
        page, _load = open_feed(new_context, srv, tmp_path, "/feed.xml")
        assert page.get_by_role("heading", level=1).count() == 0
