"""7. Atom feeds and the sitemap: well-formed, complete, absolute URLs, RFC 3339 dates; the sitemap's
URLs exist; hreflang alternates (sitemap and pages) are reciprocal with an x-default."""

from __future__ import annotations

import checks
import pytest

FEEDS = ["feed.xml", "en/feed.xml"]


@pytest.mark.parametrize("feed", FEEDS)
def test_atom_feed(site, feed, no_problems):
    file = site.output / feed
    assert file.is_file(), f"{feed}: feed rule 'exists' failed"
    no_problems(checks.atom_problems(feed, file.read_bytes()), f"in {feed}")


@pytest.mark.parametrize("feed", FEEDS)
def test_atom_feed_is_linked_from_its_home(site, feed):
    home = checks.page_file(site.output, "/" + feed.removesuffix("feed.xml"))
    links = [
        e.attrs.get("href")
        for e in checks.parse_file(home).find("link")
        if e.attrs.get("type") == "application/atom+xml"
    ]
    assert any(h and h.endswith(feed) for h in links), f"{home}: feed rule 'home links its feed {feed}' failed: {links}"


def test_sitemap(site, no_problems):
    no_problems(checks.sitemap_problems(site.output, site.base_url))


def test_sitemap_under_a_subpath(sub_site, no_problems):
    no_problems(checks.sitemap_problems(sub_site.output, sub_site.base_url))


def test_sitemap_lists_every_indexable_page(site):
    import xml.etree.ElementTree as ET

    tree = ET.parse(site.output / "sitemap.xml")
    listed = {(u.text or "").strip() for u in tree.iter(f"{{{checks.SITEMAP}}}loc")}
    pages = set(checks.page_alternates(site.output, site.base_url))
    missing = sorted(pages - listed)
    assert not missing, f"sitemap.xml: sitemap rule 'lists every page with a canonical URL' failed for {missing}"


def test_page_hreflang_alternates_are_reciprocal(site, no_problems):
    no_problems(
        checks.reciprocity_problems(checks.page_alternates(site.output, site.base_url)),
        "with <link rel=alternate hreflang> in pages",
    )


def test_robots_txt_points_to_the_sitemap(site):
    text = (site.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {site.base_url}sitemap.xml" in text, f"robots.txt: rule 'Sitemap line' failed:\n{text}"


# ---- the checks can fail -------------------------------------------------------------------

BROKEN_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>News</title>
  <updated>2026-11-26 10:00</updated>
  <link rel="self" href="/feed.xml"/>
  <entry>
    <id>https://example.org/a/</id>
    <title>A</title>
    <updated>2026-11-26T10:00:00</updated>
    <link href="/a/"/>
    <content type="html">&lt;a href="/b/"&gt;b&lt;/a&gt;</content>
  </entry>
</feed>"""


def test_feed_checker_reports_a_broken_feed():
    text = "\n".join(checks.atom_problems("feed.xml", BROKEN_FEED))
    for rule in (
        "feed has id",
        "RFC 3339 date with offset' failed: <updated>2026-11-26 10:00",
        "RFC 3339 date with offset' failed: <updated>2026-11-26T10:00:00<",
        "absolute URLs' failed: <link rel='self' href='/feed.xml'>",
        "absolute URLs' failed: <link rel=None href='/a/'>",
        "absolute URLs' failed in entry content: href='/b/'",
        "author on the feed or on every entry' failed for https://example.org/a/",
    ):
        assert rule in text, f"missing {rule!r} in:\n{text}"
    assert checks.atom_problems("x.xml", b"<feed><unclosed></feed>")[0].startswith("x.xml: feed rule 'well-formed XML'")
    assert "root is atom:feed" in checks.atom_problems("x.xml", b"<feed/>")[0]


def test_sitemap_checker_reports_missing_files_and_one_way_alternates(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html>")
    (tmp_path / "sitemap.xml").write_text("""<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>https://example.org/</loc>
    <xhtml:link rel="alternate" hreflang="it" href="https://example.org/"/>
    <xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/"/>
    <xhtml:link rel="alternate" hreflang="x-default" href="https://example.org/"/></url>
  <url><loc>https://example.org/en/</loc>
    <xhtml:link rel="alternate" hreflang="en" href="https://example.org/en/"/></url>
  <url><loc>https://elsewhere.example/</loc></url>
</urlset>""")
    text = "\n".join(checks.sitemap_problems(tmp_path, "https://example.org/"))
    assert "URL maps to a file' failed: https://example.org/en/" in text, text
    assert "URLs under the base URL https://example.org/' failed: https://elsewhere.example/" in text, text
    assert "https://example.org/en/: hreflang rule 'x-default present' failed" in text, text
    assert "https://example.org/: hreflang rule 'reciprocal' failed: lists https://example.org/en/ as en" in text, text


def test_reciprocity_checker_accepts_a_good_pair():
    it = {"it": "https://e.org/", "en": "https://e.org/en/", "x-default": "https://e.org/"}
    assert checks.reciprocity_problems({"https://e.org/": it, "https://e.org/en/": dict(it)}) == []
