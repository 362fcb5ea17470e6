"""The search page's filters (kind, tag, order) in Chromium, on the real site: styled like the
site (its font, border, radius, surface; not the browser's default lists), AA contrast in the
light and the dark scheme, targets of at least 24×24 px, no sideways scrolling at 320 px, and
the keyboard as before (Tab from the field reaches the lists, the focus is visible, a choice
made with the arrows filters the results)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sitetest import NOW_ARG, REPO

from sitegen.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import checks  # noqa: E402  (the browser harness: server, Chromium flags, axe)

pytestmark = pytest.mark.browser

SELECTS = ("search-kind", "search-tag", "search-sort")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("filters") / "public"
    argv = ["build", "--config", str(REPO / "config.yaml"), "--output", str(out), "--now", NOW_ARG]
    assert main([*argv, "--base-url", "https://example.org/"]) == 0
    with checks.Server(out) as srv:
        yield srv


def _open(browser, server, scheme: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.add_init_script(checks.CSP_LISTENER_JS)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(server.url("/cerca/?q=rete"))
    page.wait_for_selector("#search-filters:not([hidden])")
    page.wait_for_selector("#search-results > li")
    checks.wait_for_fonts(page)
    return context, page


def _rgb(text: str) -> tuple[float, ...]:
    return tuple(float(part) for part in text[text.index("(") + 1 : text.index(")")].split(",")[:3])


def _contrast(one: str, two: str) -> float:
    def luminance(rgb: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(_rgb(one)), luminance(_rgb(two))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_STYLE_JS = """(ids) => ids.map((id) => {
  const e = document.getElementById(id), s = getComputedStyle(e), box = e.getBoundingClientRect();
  const panel = getComputedStyle(document.getElementById('search-filters'));
  return {id, appearance: s.appearance, font: s.fontFamily, radius: s.borderTopLeftRadius,
          color: s.color, background: s.backgroundColor, border: s.borderTopColor,
          panel: panel.backgroundColor, width: box.width, height: box.height,
          label: getComputedStyle(document.querySelector(`label[for=${id}]`)).color};
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_filters_look_like_the_site_in_both_schemes(scheme, width, browser, server):
    context, page = _open(browser, server, scheme, width)
    try:
        url = page.url
        problems = [checks.overflow_problem(page, url, width), *checks.target_size_problems(page, url)]
        assert [p for p in problems if p] == []
        for found in page.evaluate(_STYLE_JS, list(SELECTS)):
            assert found["appearance"] == "none" and "Titillium Web" in found["font"], found
            assert found["radius"] == "4px" and found["height"] >= 44, found
            assert _contrast(found["color"], found["background"]) >= 4.5, found  # the chosen option
            assert _contrast(found["label"], found["panel"]) >= 4.5, found
            assert _contrast(found["border"], found["panel"]) >= 3, found  # the field's edge (1.4.11)
            assert found["background"] != found["panel"], found  # a field on a panel, not flat
        if width == 320:  # one under the other, each the panel's width
            boxes = [page.locator(f"#{name}").bounding_box() for name in SELECTS]
            assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
        else:  # side by side
            tops = {round(page.locator(f"#{name}").bounding_box()["y"]) for name in SELECTS}
            assert len(tops) == 1, tops
        assert checks.axe_violations(page, label=f"filters {scheme} {width}") == []
        page.screenshot(path=str(REPO / "test-artifacts" / f"search-filters-{scheme}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_filters_work_with_the_keyboard_as_before(browser, server):
    context, page = _open(browser, server, "light", 1280)
    try:
        page.focus("#search-q")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "search-kind"
        outline = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
        assert outline >= 2
        page.keyboard.press("ArrowDown")  # Chromium changes a closed list's choice with the arrows
        page.wait_for_url("**kind=news**")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#search-results > li h2 a')]"
            ".every((a) => a.getAttribute('href').startsWith('/notizie/'))"
        )
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "search-tag"
    finally:
        context.close()
