"""``build.py serve`` reloads only the browser tabs whose page changed (as ``hugo server`` does);
a stylesheet change or an error reloads them all.  Tabs are livereload clients (tests/livereload_tab.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from livereload_tab import Tab
from sitetest import NOW_ARG, REPO
from test_serve import fetch, free_port, wait_for

from sitegen.serve import reloads_every_tab, tab_shows_change


@pytest.fixture
def served(fixture_site):
    """The basic fixture site with its own copy of the stylesheet (so a test may change it), served."""
    site = fixture_site("basic")
    shutil.copytree(REPO / "static", site / "static")
    config = site / "config.yaml"
    config.write_text(
        "\n".join(
            f'static_dir: "{site / "static"}"' if line.startswith("static_dir:") else line
            for line in config.read_text(encoding="utf-8").splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--now", NOW_ARG],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    tabs: list[Tab] = []
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, body: status == 200)
        yield site, port, tabs
    finally:
        for tab in tabs:
            tab.close()
        process.kill()
        process.wait(timeout=10)


def test_only_the_tabs_showing_a_changed_page_reload(served):
    site, port, tabs = served
    base = f"http://127.0.0.1:{port}"
    about, privacy, missing = Tab(port, "/chi-siamo/"), Tab(port, "/privacy/"), Tab(port, "/nuova/")
    tabs += [about, privacy, missing]
    assert fetch(base + "/nuova/")[0] == 404

    # 1. A page's text changes: its tab reloads, the others do not.
    page = site / "content" / "it" / "chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUn capibara.\n", encoding="utf-8")
    about.wait(lambda: len(about.reloads) == 1)
    assert about.reloads[0]["path"] == "/chi-siamo/" and about.reloads[0]["liveCSS"] is False
    assert "capibara" in fetch(base + "/chi-siamo/")[1]
    assert privacy.barrier() == 0 and missing.barrier() == 0

    # 2. A page appears where a tab showed "not found": that tab reloads.
    (site / "content" / "it" / "nuova.md").write_text('---\ntitle: "Nuova"\n---\n\nUn tapiro.\n', encoding="utf-8")
    missing.wait(lambda: len(missing.reloads) == 1)
    assert fetch(base + "/nuova/")[0] == 200
    assert privacy.barrier() == 0

    # 3. The stylesheet changes: every page uses it, every tab reloads.
    style = site / "static" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n.capibara { color: inherit; }\n", encoding="utf-8")
    for tab in tabs:
        tab.wait(lambda tab=tab: len(tab.reloads) == 2 if tab is not privacy else len(tab.reloads) == 1)
    assert [tab.barrier() for tab in tabs] == [2, 1, 2]

    # 4. An error shows in every page: every tab reloads, and again when it is fixed.
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace('title: "Chi siamo"', "title: Chi siamo: oggi"), encoding="utf-8")
    privacy.wait(lambda: len(privacy.reloads) == 2)
    page.write_text(good, encoding="utf-8")
    privacy.wait(lambda: len(privacy.reloads) == 3)
    assert [tab.barrier() for tab in tabs] == [4, 3, 4]


def test_which_tabs_a_change_reloads(tmp_path):
    root = tmp_path / "preview"
    for rel in ("index.html", "404.html", "en/404.html", "a/index.html", "b/index.html", "en/c/index.html"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    root = str(root)
    changed = frozenset({"a/index.html"})
    assert tab_shows_change(root, "/a/", changed)
    assert not tab_shows_change(root, "/b/", changed)
    assert not tab_shows_change(root, "/", changed)
    # a tab on a missing page shows the (language's) 404 page
    assert tab_shows_change(root, "/en/nowhere/", frozenset({"en/404.html"}))
    assert not tab_shows_change(root, "/nowhere/", frozenset({"en/404.html"}))
    # a page that went away, or that appeared
    assert tab_shows_change(root, "/gone/", frozenset({"gone/index.html"}))
    assert tab_shows_change(root, "/en/c/", frozenset({"en/c/index.html"}))
    assert tab_shows_change(root, "/", frozenset({"index.html"}))
    # files that pages use reload every tab; feeds, sitemap and headers only their own
    assert reloads_every_tab(None)
    assert reloads_every_tab(frozenset({"static/style.0123abcd.css"}))
    assert reloads_every_tab(frozenset({"notizie/prima/foto.jpg"}))
    assert not reloads_every_tab(frozenset({"a/index.html", "sitemap.xml", "it/atom.xml", "_headers", "robots.txt"}))
    assert not reloads_every_tab(frozenset({"a/index.html", "static/cards/0123abcd.png"}))  # only a's tab


def test_the_build_reports_what_it_wrote_and_removed(fixture_site, tmp_path):
    from sitegen.build import BuildOptions, build

    site = fixture_site("basic")
    options = BuildOptions(config_path=site / "config.yaml", output=tmp_path / "out", now=None)
    assert build(options).built.changed is None  # no previous build known: everything may have changed
    assert build(options).built.changed == frozenset()
    page = site / "content" / "it" / "chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUn capibara.\n", encoding="utf-8")
    assert build(options).built.changed == {"chi-siamo/index.html"}
    extra = site / "content" / "it" / "extra.md"
    extra.write_text('---\ntitle: "Extra"\n---\n\nUn tapiro.\n', encoding="utf-8")
    assert "extra/index.html" in build(options).built.changed
    extra.unlink()
    assert "extra/index.html" in build(options).built.changed
    assert not (tmp_path / "out" / "extra").exists()
