"""The feeds and the sitemap are made again only when what they are made of changed (sitegen.feeds).

Each has a key, the digest of exactly the values it reads; a build whose key is the recorded one
takes the last build's file as it is.  These edits change a feed's or the sitemap's input and
little else: a key that left that input out would publish the old file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_incremental import apply_edit, assert_same_as_clean_build, make_site, run

FEEDS = ("feed.xml", "en/feed.xml", "sitemap.xml")


def _inodes(output: Path) -> dict[str, int]:
    return {rel: (output / rel).stat().st_ino for rel in FEEDS}


def _edit_front_matter(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_the_feeds_and_sitemap_do_not_show_keeps_their_files(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    before = _inodes(output)
    apply_edit(site, ("body", 1, 5), [0])  # a body: no feed shows it, no sitemap date moves
    run(site, output)
    assert _inodes(output) == before  # the last build's very files, not made again
    assert_same_as_clean_build(site, output, tmp_path / "clean")


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        # only the feed shows an item's summary (the listing shows it too, but not the sitemap)
        ("tags: [alfa]\n", 'tags: [alfa]\nsummary: "Un riassunto."\n', "feed.xml"),
        # the feed's updated date and the sitemap's lastmod
        ("tags: [alfa]\n", "tags: [alfa]\nupdated: 2026-03-05\n", "sitemap.xml"),
        # a tag of the feed's entry (its category)
        ("tags: [alfa]\n", "tags: [alfa, delta]\n", "feed.xml"),
    ],
)
def test_an_edit_of_what_a_feed_or_the_sitemap_shows_makes_it_again(tmp_path, old, new, changed):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    before = (output / changed).read_bytes()
    _edit_front_matter(site / "content/it/notizie/n1.md", old, new)
    run(site, output)
    assert (output / changed).read_bytes() != before
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_the_base_url_reaches_the_feeds_and_the_sitemap(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    _edit_front_matter(site / "config.yaml", 'base_url: "https://example.org/"', 'base_url: "https://example.net/"')
    run(site, output)
    for rel in FEEDS:
        assert b"https://example.net/" in (output / rel).read_bytes()
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_a_translation_that_appears_reaches_the_sitemap(tmp_path):
    """The sitemap lists each page's hreflang alternates: a new pair changes them and nothing the
    sitemap dates."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    apply_edit(site, ("counterpart", 0, 0), [0])  # contacts: no pair
    run(site, output)
    apply_edit(site, ("counterpart", 0, 1), [0])  # the pair again
    run(site, output)
    assert b'hreflang="en" href="https://example.org/en/contacts/"' in (output / "sitemap.xml").read_bytes()
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_a_feed_changed_in_the_output_is_made_again(tmp_path):
    """A file of the last build is taken only while it is as recorded (like a page)."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    feed = output / "feed.xml"
    feed.write_bytes(feed.read_bytes().replace(b"Notizia", b"Notiziola"))
    apply_edit(site, ("body", 1, 5), [0])
    run(site, output)
    assert_same_as_clean_build(site, output, tmp_path / "clean")
