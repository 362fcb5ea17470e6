"""1. Accessibility: axe-core (WCAG 2.0/2.1 A and AA, best practices) finds nothing on any page,
in the light colour scheme and, for colour contrast, in the dark one too."""

from __future__ import annotations

import checks
import pytest
import tiny

pytestmark = pytest.mark.browser


DARK_RULES = ["color-contrast", "color-contrast-enhanced", "link-in-text-block"]


def test_axe(page_path, server, page, no_problems):
    """Every axe rule in the light scheme, then the colour rules again in the dark scheme."""
    page.emulate_media(color_scheme="light")
    page.goto(server.url(page_path))
    problems = checks.axe_violations(page, label="light")
    page.emulate_media(color_scheme="dark")
    problems += checks.axe_violations(page, rules=DARK_RULES, label="dark")
    no_problems(problems, "found by axe-core")


def test_axe_reports_a_broken_page(tmp_path, page):
    broken = tiny.page(body='<img src="data:,"><p class="faint">faint</p><a href="/x"></a>')
    broken = broken.replace('<html lang="it">', "<html>")
    root = tiny.write_site(tmp_path, {"index.html": broken}, css=tiny.CSS + ".faint { color: #bbb; }\n")
    with checks.Server(root) as srv:
        page.goto(srv.url("/"))
        problems = checks.axe_violations(page)
    text = "\n".join(problems)
    for rule in ("image-alt", "html-has-lang", "link-name", "color-contrast"):
        assert f"axe rule {rule} " in text, f"axe did not report {rule}: {text}"
    assert srv.url("/") in text


def test_axe_dark_reports_poor_contrast(tmp_path, page):
    css = tiny.CSS + "@media (prefers-color-scheme: dark) { p { color: #222; } }\n"
    root = tiny.write_site(tmp_path, {"index.html": tiny.page()}, css=css)
    with checks.Server(root) as srv:
        page.emulate_media(color_scheme="light")
        page.goto(srv.url("/"))
        assert checks.axe_violations(page, rules=["color-contrast"]) == []
        page.emulate_media(color_scheme="dark")
        assert any("color-contrast" in p for p in checks.axe_violations(page, rules=["color-contrast"]))
