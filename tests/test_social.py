"""The real site's social cards, icons and feeds as a visitor's browser or a social network sees them."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from sitecheck import html_pages, json_ld, parse_page
from sitetest import REPO, tree

from sitegen.cli import main

BASE = "https://example.org/ilsh/"  # under a subpath: every URL must keep it
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def copy_real_site(destination: Path) -> Path:
    """The real site's sources in a folder of their own (its own .cache, nothing shared)."""
    destination.mkdir(parents=True)
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, destination / name)
    shutil.copy(REPO / "config.yaml", destination / "config.yaml")
    return destination


def build(site: Path, out: Path) -> Path:
    config = str(site / "config.yaml")
    assert main(["build", "--config", config, "--output", str(out), "--base-url", BASE, "--no-cache"]) == 0
    return out


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The real site built twice from scratch, the card cache deleted in between."""
    site = copy_real_site(tmp_path_factory.mktemp("social") / "site")
    first = build(site, site.parent / "first")
    shutil.rmtree(site / ".cache")
    return first, build(site, site.parent / "second")


def local(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return out / url.removeprefix(BASE)


def test_every_page_has_a_large_card_with_its_size_type_and_alt_text(two_builds):
    out = two_builds[0]
    pages = html_pages(out)
    assert len(pages) > 20
    for page in pages:
        meta = parse_page(page).meta
        where = page.relative_to(out).as_posix()
        assert meta.get("twitter:card") == "summary_large_image", where
        url = meta.get("og:image", "")
        assert re.fullmatch(re.escape(BASE) + r"static/cards/[0-9a-f]{24}\.png", url), (where, url)
        assert meta.get("twitter:image") == url, where
        assert (meta.get("og:image:width"), meta.get("og:image:height")) == ("1200", "630"), where
        assert meta.get("og:image:type") == "image/png", where
        alt = meta.get("og:image:alt", "")
        assert alt and meta.get("twitter:image:alt") == alt, where
        assert "Istituto Oncologico del Mediterraneo" in alt, where
        with Image.open(local(out, url)) as card:
            assert (card.format, card.size) == ("PNG", (1200, 630)), where


def test_each_page_has_its_own_card_and_the_title_is_in_its_alt(two_builds):
    out = two_builds[0]
    cards: dict[str, str] = {}
    for page in html_pages(out):
        info = parse_page(page)
        title = info.meta["og:title"]
        assert title in info.meta["og:image:alt"], page
        cards.setdefault(info.meta["og:image"], title)
    assert len(cards) == len(html_pages(out))  # every title differs on this site, so does every card


def test_two_clean_builds_are_byte_identical_cards_and_icons_included(two_builds):
    first, second = (
        {rel: data for rel, data in tree(out).items() if not rel.startswith("pagefind/")} for out in two_builds
    )
    assert sorted(first) == sorted(second)
    different = [rel for rel in first if first[rel] != second[rel]]
    assert different == []
    assert any(rel.startswith("static/cards/") for rel in first)


def test_icons_are_linked_under_the_prefix_and_exist(two_builds):
    out = two_builds[0]
    home = parse_page(out / "index.html")
    rels = {(link.get("rel"), link.get("href")) for link in home.link_rels}
    assert ("icon", "/ilsh/favicon.svg") in rels
    assert ("apple-touch-icon", "/ilsh/apple-touch-icon.png") in rels
    assert "data:," not in (out / "index.html").read_text(encoding="utf-8")
    ET.fromstring((out / "favicon.svg").read_bytes())
    with Image.open(out / "apple-touch-icon.png") as icon:
        assert icon.size == (180, 180)
    assert (out / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"


def test_the_news_article_image_is_the_card(two_builds):
    out = two_builds[0]
    articles = 0
    for page in html_pages(out):
        info = parse_page(page)
        for node in json_ld(info)[0]["@graph"]:
            if node["@type"] == "NewsArticle":
                articles += 1
                assert node["image"] == [info.meta["og:image"]], page
    assert articles == 2  # the item, in Italian and in English


@pytest.mark.parametrize(
    ("feed", "lang", "heading"), [("feed.xml", "it", "Questo è"), ("en/feed.xml", "en", "This is")]
)
def test_the_feed_explains_itself_in_its_language_and_stays_atom(two_builds, feed, lang, heading):
    out = two_builds[0]
    data = (out / feed).read_bytes()
    stylesheet = re.search(rb'<\?xml-stylesheet type="text/css" href="([^"]+)"\?>', data)
    assert stylesheet is not None and stylesheet.group(1).startswith(b"/ilsh/static/feed.")
    assert (out / stylesheet.group(1).decode().removeprefix("/ilsh/")).is_file()
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    foreign = [child for child in root if not child.tag.startswith(ATOM)]
    assert [child.tag for child in foreign] == [f"{XHTML}div"]  # one extension element (RFC 4287 §6.4)
    page = foreign[0]
    assert page.get("lang") == lang
    assert (page.findtext(f"{XHTML}h1") or "").startswith(heading)
    entries = root.findall(f"{ATOM}entry")
    links = [a.get("href") for a in page.iter(f"{XHTML}a")]
    for entry in entries:  # each item is a link on the page too
        alternate = entry.find(f"{ATOM}link").get("href")
        assert alternate in links
    assert all(link.startswith(BASE) for link in links)
