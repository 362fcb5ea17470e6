"""2. Keyboard: skip link first, Enter on it moves to <main>, menu and language switcher reachable
with Tab, focus visible, the switcher leads to the counterpart page in the other language."""

from __future__ import annotations

import checks
import pytest
import tiny

pytestmark = pytest.mark.browser


def test_keyboard(page_path, site, server, served, page, no_problems):
    parsed = checks.parse_file(checks.page_file(site.output, page_path))
    alternates = checks.hreflang_alternates(parsed)

    def counterpart(hreflang: str):
        href = alternates.get(hreflang)
        return served(href) if href else None

    no_problems(checks.keyboard_problems(page, server.url(page_path), counterpart), "with the keyboard")


def test_keyboard_reports_a_broken_page(tmp_path, page):
    css = tiny.CSS + "a:focus, a:focus-visible { outline: none; box-shadow: none; }\n"
    broken = tiny.page().replace('<a class="skip-link" href="#main">Skip to content</a>\n', "")
    broken = broken.replace('hreflang="en" lang="en"', 'hreflang="en" lang="en" tabindex="-1"')
    root = tiny.write_site(tmp_path, {"index.html": broken}, css=css)
    with checks.Server(root) as srv:
        problems = checks.keyboard_problems(page, srv.url("/"))
    text = "\n".join(problems)
    assert "first Tab focuses the skip link" in text, text
    assert "language switcher reachable with Tab" in text, text
    assert "focus not visible on menu link" in text, text


def test_keyboard_reports_a_wrong_counterpart_and_invisible_skip_focus(tmp_path, page):
    css = tiny.CSS + ".skip-link:focus { outline: none; }\na:focus-visible { outline: none; }\n"
    root = tiny.write_site(tmp_path, {"index.html": tiny.page(other_href="/")}, css=css)
    with checks.Server(root) as srv:
        problems = checks.keyboard_problems(page, srv.url("/"), lambda lang: srv.url("/en/"))
    text = "\n".join(problems)
    assert "focus not visible on skip link" in text, text
    assert "opens the counterpart page" in text, text
    assert "leads to a page in its hreflang" in text, text


def test_keyboard_accepts_the_tiny_good_page(tmp_path, page):
    root = tiny.write_site(tmp_path, {"index.html": tiny.page()})
    with checks.Server(root) as srv:
        assert checks.keyboard_problems(page, srv.url("/"), lambda lang: srv.url("/en/")) == []
