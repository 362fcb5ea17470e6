"""4. Links: every internal href/src/srcset and every #anchor resolves to a file of the build, at
the root and under a subpath, and no link escapes the subpath."""

from __future__ import annotations

import checks
import tiny


def test_links_resolve_in_the_root_build(site, no_problems):
    no_problems(checks.link_problems(site.output, site.base_url), "with links (root build)")


def test_links_resolve_in_the_subpath_build(sub_site, no_problems):
    no_problems(checks.link_problems(sub_site.output, sub_site.base_url), "with links (build under /sub/)")


def test_subpath_build_has_the_same_pages(site, sub_site):
    assert checks.site_pages(site.output) == checks.site_pages(sub_site.output)


def test_link_checker_reports_broken_links(tmp_path):
    body = (
        '<p><a href="/missing/">missing</a> <a href="#nowhere">anchor</a> <a href="/en/#main">ok</a>'
        '<a href="/en/#nope">bad anchor elsewhere</a> <a href="https://other.example/">external</a>'
        '<img src="/img/none.png" srcset="/img/a.png 1x, /img/b.png 2x" alt="x"></p>'
    )
    root = tiny.write_site(tmp_path, {"index.html": tiny.page(body=body)})
    problems = checks.link_problems(root, "https://example.org/")
    text = "\n".join(problems)
    assert "-> /missing/" in text, text
    assert "no id 'nowhere'" in text, text
    assert "no id 'nope' on /en/" in text, text
    for img in ("/img/none.png", "/img/a.png", "/img/b.png"):
        assert f"-> {img}" in text, text
    assert "other.example" not in text and "'/en/#main'" not in text, text
    assert all(p.startswith("https://example.org/: link rule") for p in problems), text


def test_link_checker_reports_links_escaping_the_subpath(tmp_path):
    body = '<p><a href="/sub/en/">ok</a> <a href="/en/">escapes</a> <a href="https://example.org/other/">escapes too</a></p>'
    page = tiny.page(body=body).replace('href="/style.css"', 'href="/sub/style.css"')
    page = page.replace('<a href="/">Home</a>', '<a href="/sub/">Home</a>').replace(
        '<li><a href="/en/">English</a></li>', ""
    )
    page = page.replace('href="/en/" hreflang', 'href="/sub/en/" hreflang')
    root = tiny.write_site(tmp_path, {"index.html": page})
    problems = checks.link_problems(root, "https://example.org/sub/")
    escapes = [
        p for p in problems if "stays under the base path /sub/" in p and p.startswith("https://example.org/sub/:")
    ]
    assert len(escapes) == 2, "\n".join(problems)
    assert "'/en/'" in escapes[0] and "https://example.org/other/" in escapes[1]
