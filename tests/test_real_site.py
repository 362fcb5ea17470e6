"""The real site (content/, templates/, static/, config.yaml) built and checked without a browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from sitecheck import broken_links, html_pages, json_ld, parse_page
from sitetest import REPO, tree

from sitegen.cli import main

# The press release the content comes from, kept in the repository with its editorial fixes.
SOURCE = REPO / "docs" / "press-release" / "comunicato-stampa-iom-ilsh.txt"
FIXES_DOC = REPO / "docs" / "press-release" / "editorial-fixes.md"
# (as in the press release, as on the site, as editorial-fixes.md shows the former): the
# documented editorial fixes, in order.
EDITORIAL_FIXES = [
    ("Quatar", "Qatar", "`Quatar`"),
    ("Emilia Romagna", "Emilia-Romagna", "`Emilia Romagna`"),
    ("dell’UPMC noto gruppo", "dell’UPMC, noto gruppo", "`dell’UPMC noto gruppo`"),
    ("rappresenta\u00a0 una", "rappresenta una", "`rappresenta` + no-break space + space + `una`"),
    ("glia ltri", "gli altri", "`glia ltri`"),
]
NEWS_IT = REPO / "content" / "it" / "notizie" / "iom-entra-nel-network-innovation-life-sciences-hubs.md"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def build(out: Path, *extra: str) -> Path:
    assert main(["build", "--config", str(REPO / "config.yaml"), "--output", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("real") / "public", "--base-url", "https://example.org/")


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("sub") / "public", "--base-url", "https://example.org/ilsh/")


def content_pages(site: Path) -> list[Path]:
    return [p for p in html_pages(site) if not p.name == "404.html"]


def test_every_internal_link_asset_and_anchor_resolves(site):
    assert broken_links(site, "/") == []


def test_subpath_build_keeps_every_link_under_the_prefix(subpath_site):
    assert broken_links(subpath_site, "/ilsh/") == []
    for page in html_pages(subpath_site):
        info = parse_page(page)
        stray = [link for link in info.links if link.startswith("/") and not link.startswith("/ilsh/")]
        assert stray == [], f"{page}: links outside /ilsh/: {stray}"
        assert info.meta.get("og:url", "https://example.org/ilsh/").startswith("https://example.org/ilsh/")


def test_every_page_has_the_head_elements(site):
    titles, descriptions = Counter(), Counter()
    for page in html_pages(site):
        info = parse_page(page)
        rel = page.relative_to(site).as_posix()
        expected_lang = "en" if rel.startswith("en/") else "it"
        assert info.html_lang == expected_lang, rel
        assert info.title.strip() and info.meta.get("description"), rel
        titles[info.title] += 1
        descriptions[info.meta["description"]] += 1
        canonical = [ln for ln in info.link_rels if ln.get("rel") == "canonical"]
        if page.name == "404.html":
            assert canonical == [] and info.meta.get("robots") == "noindex", rel
        else:
            assert len(canonical) == 1 and canonical[0]["href"].startswith("https://example.org/"), rel
        assert info.meta["og:locale"] == {"it": "it_IT", "en": "en_GB"}[expected_lang], rel
        assert "'unsafe-inline'" not in info.meta["Content-Security-Policy"], rel
        assert info.meta.get("referrer"), rel
        feeds = [ln for ln in info.link_rels if ln.get("type") == "application/atom+xml"]
        assert feeds and feeds[0]["href"] == ("/en/feed.xml" if expected_lang == "en" else "/feed.xml"), rel
        assert info.first_link_class == "skip-link", rel
        tags = {tag for tag, _ in info.tags}
        assert {"header", "main", "nav", "footer"} <= tags, rel
        assert any(tag == "a" and "hreflang" in attrs for tag, attrs in info.tags), f"{rel}: no language switcher"
        graph = json_ld(info)[0]["@graph"]
        org = next(node for node in graph if node["@type"] == "MedicalOrganization")
        assert org["name"] == "Istituto Oncologico del Mediterraneo"
        assert org["memberOf"]["name"] == "Innovation Life Sciences Hubs"
        if re.match(r"(en/news|notizie)/[^/]+/index.html", rel):
            types = {node["@type"] for node in graph}
            assert {"NewsArticle", "BreadcrumbList"} <= types, rel
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1 and d] == []


def test_every_content_page_has_its_translation_with_reciprocal_hreflang(site):
    pairs = {}
    for page in content_pages(site):
        info = parse_page(page)
        alternates = {ln["hreflang"]: ln["href"] for ln in info.link_rels if ln.get("hreflang")}
        if not alternates:
            continue
        own = [ln["href"] for ln in info.link_rels if ln.get("rel") == "canonical"][0]
        assert alternates[info.html_lang] == own
        assert "x-default" in alternates
        pairs[own] = alternates
    for own, alternates in pairs.items():
        for lang, other in alternates.items():
            if lang != "x-default":
                assert pairs[other][lang] == other and own in pairs[other].values()
    translated = {p.relative_to(site).as_posix() for p in content_pages(site)}
    for it_path, en_path in [
        ("index.html", "en/index.html"),
        ("rete/index.html", "en/network/index.html"),
        ("partner-e-territori/index.html", "en/partners-and-territories/index.html"),
        ("iom-nella-rete/index.html", "en/iom-in-the-network/index.html"),
        ("privacy/index.html", "en/privacy/index.html"),
        ("accessibilita/index.html", "en/accessibility/index.html"),
        ("notizie/index.html", "en/news/index.html"),
    ]:
        assert it_path in translated and en_path in translated
        assert pairs[f"https://example.org/{it_path[:-10]}"]["en"] == f"https://example.org/{en_path[:-10]}"


def test_every_sitemap_page_has_reciprocal_hreflang_and_a_switcher_to_its_counterpart(site):
    """Every page of the sitemap, tag pages and the tag index included: hreflang it, en and
    x-default, the same set on both versions and in the sitemap, and every language link of
    the page (header and footer switcher, a news item's translation link) on its counterpart."""
    root = ET.parse(site / "sitemap.xml").getroot()
    listed = {}
    for url in root.findall(f"{SITEMAP}url"):
        links = {ln.get("hreflang"): ln.get("href") for ln in url.findall(f"{XHTML}link")}
        listed[url.find(f"{SITEMAP}loc").text] = links
    assert any("/tag/" in loc for loc in listed) and any("/en/tags/" in loc for loc in listed)
    for loc, in_sitemap in listed.items():
        info = parse_page(site / loc.removeprefix("https://example.org/") / "index.html")
        alternates = {ln["hreflang"]: ln["href"] for ln in info.link_rels if ln.get("hreflang")}
        assert set(alternates) == {"it", "en", "x-default"}, loc
        assert alternates == in_sitemap and alternates[info.html_lang] == loc, loc
        assert alternates["x-default"] == alternates["it"], loc
        assert listed[alternates["en" if info.html_lang == "it" else "it"]] == alternates, loc
        for code in ("it", "en"):
            if code != info.html_lang:
                switch = {a["href"] for tag, a in info.tags if tag == "a" and a.get("hreflang") == code}
                assert switch == {alternates[code].removeprefix("https://example.org")}, loc


def test_language_switcher_lands_on_the_counterpart(site):
    info = parse_page(site / "rete" / "index.html")
    switch = [attrs for tag, attrs in info.tags if tag == "a" and attrs.get("hreflang") == "en"]
    assert switch[0]["href"] == "/en/network/"


def test_feeds_and_sitemap_parse_and_point_at_real_pages(site):
    for feed in ("feed.xml", "en/feed.xml"):
        root = ET.parse(site / feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 1
        link = entries[0].find(f"{ATOM}link").get("href")
        assert link.startswith("https://example.org/")
        assert (site / link.removeprefix("https://example.org/") / "index.html").is_file()
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")]
    assert len(locs) == len(content_pages(site))
    for loc in locs:
        assert (site / loc.removeprefix("https://example.org/") / "index.html").is_file(), loc
    assert (site / "robots.txt").read_text().endswith("Sitemap: https://example.org/sitemap.xml\n")
    assert len(list(root.iter(f"{XHTML}link"))) > 0


def test_each_language_has_a_404_page(site):
    assert parse_page(site / "404.html").html_lang == "it"
    assert parse_page(site / "en" / "404.html").html_lang == "en"


def test_assets_are_fingerprinted(site):
    css = list((site / "static").glob("style.*.css"))
    assert len(css) == 1 and re.fullmatch(r"style\.[0-9a-f]{8}\.css", css[0].name)
    assert f'href="/static/{css[0].name}"' in (site / "index.html").read_text()


def test_fonts_are_published_as_committed_and_the_css_names_them(site):
    fonts = sorted((REPO / "static" / "fonts").glob("*.woff2"))
    assert fonts and (site / "static" / "fonts" / "OFL.txt").is_file()  # the licence goes with them
    for font in fonts:
        assert (site / "static" / "fonts" / font.name).read_bytes() == font.read_bytes(), font.name
    css = next((site / "static").glob("style.*.css")).read_text(encoding="utf-8")
    named = re.findall(r'url\("(fonts/[^"]+)"\)', css)
    assert sorted(named) == sorted(f"fonts/{font.name}" for font in fonts)
    assert css.count("font-display: swap") == len(fonts)


def test_two_builds_are_byte_identical(site, tmp_path):
    again = build(tmp_path / "again", "--base-url", "https://example.org/")
    assert tree(again) == tree(site)


def test_no_request_to_a_third_party_is_written_into_any_page(site):
    for page in html_pages(site):
        for link in parse_page(page).links:
            assert not re.match(r"^(https?:)?//", link), f"{page}: {link}"


# --- content faithful to the press release ------------------------------------------


def visible_text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_content_spells_qatar_and_never_quatar(site):
    texts = " ".join(visible_text(p) for p in html_pages(site))
    assert "Quatar" not in texts and "Qatar" in texts
    for path in (REPO / "content").rglob("*.md"):
        assert "Quatar" not in path.read_text(encoding="utf-8"), path


def test_the_statement_is_quoted_verbatim_in_italian_on_both_languages(site):
    source = SOURCE.read_text(encoding="utf-8")
    quote = (
        "Per il nostro Istituto la partecipazione a questo progetto rappresenta una grande opportunità "
        "ed un grosso stimolo"
    )
    assert quote in re.sub(r"[ \u00a0]+", " ", source)  # the source's words, with its double space folded
    for page in (
        "iom-nella-rete/index.html",
        "en/iom-in-the-network/index.html",
        "notizie/iom-entra-nel-network-innovation-life-sciences-hubs/index.html",
        "en/news/iom-joins-the-innovation-life-sciences-hubs-network/index.html",
    ):
        text = visible_text(site / page)
        assert quote in text, page
        assert "Luca Giaimi" in text
    english = (site / "en" / "iom-in-the-network" / "index.html").read_text(encoding="utf-8")
    assert 'lang="it"' in english and "translation" in english.lower()


def test_the_italian_news_item_reproduces_the_press_release_with_only_the_documented_fixes():
    source = SOURCE.read_text(encoding="utf-8")
    for before, after, _ in EDITORIAL_FIXES:
        assert source.count(before) == 1, before
        source = source.replace(before, after)
    body = NEWS_IT.read_text(encoding="utf-8").split("---", 2)[2]
    paragraphs = [block.removeprefix("> ") for block in body.strip().split("\n\n")]
    for line in source.split("\n"):
        assert line in paragraphs, line[:80]
    documented = FIXES_DOC.read_text(encoding="utf-8")
    for _, after, shown in EDITORIAL_FIXES:
        assert f"| {shown} | `{after}` |" in documented, after


def test_copy_uses_typographic_apostrophes():
    for path in [*(REPO / "content").rglob("*.md"), REPO / "templates" / "strings.yaml"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("#", "{:")):
                continue  # comments and Markdown attribute lists are not copy
            assert not re.search(r"\w'\w", line), f"{path}:{number}: straight apostrophe: {line.strip()[:80]}"


def test_the_news_item_is_dated_on_its_publication_day_here(site):
    assert (
        '<time datetime="2026-11-26T00:00:00+01:00">26 novembre 2026</time>'
        in (site / "notizie" / "iom-entra-nel-network-innovation-life-sciences-hubs" / "index.html").read_text()
    )
    assert (
        "26 November 2026"
        in (site / "en" / "news" / "iom-joins-the-innovation-life-sciences-hubs-network" / "index.html").read_text()
    )


def test_empty_contact_fields_leave_no_trace(site):
    privacy = (site / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "Titolare e contatti" not in privacy and "<dl" not in privacy


# --- page structure the templates promise --------------------------------------------


def test_home_title_and_h1_name_the_institute_and_the_network_once(site):
    for page in ("index.html", "en/index.html"):
        info = parse_page(site / page)
        h1 = re.search(r"<h1>(.*?)</h1>", (site / page).read_text(encoding="utf-8")).group(1)
        assert info.title == h1, page
        for name in ("Istituto Oncologico del Mediterraneo", "Innovation Life Sciences Hubs"):
            assert info.title.count(name) == 1, (page, info.title)


def test_breadcrumb_ends_with_the_current_page_as_text(site):
    for page in site.glob("**/index.html"):
        html = page.read_text(encoding="utf-8")
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
        if crumbs is None:
            continue
        last = re.findall(r"<li>(.*?)</li>", crumbs.group(0))[-1]
        assert last.startswith('<span aria-current="page">') and "<a " not in last, (page, last)


def test_contents_list_follows_one_rule_three_or_more_h2(site):
    """ "In questa pagina" on every page whose body has three or more h2, and on no other."""
    seen = set()
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        body = re.search(r"<main.*?</main>", html, re.S).group(0)
        toc = re.search(r'<nav class="toc".*?</nav>', body, re.S)
        outside = body.replace(toc.group(0), "") if toc else body
        h2s = len(re.findall(r"<h2 id=", re.sub(r'<section class="latest".*?</section>', "", outside, flags=re.S)))
        assert bool(toc) == (h2s >= 3), (page.relative_to(site).as_posix(), h2s)
        seen.add(bool(toc))
    assert seen == {True, False}  # the real site has pages of both kinds


def test_share_links_are_plain_links_on_news_items_only(site):
    for page in html_pages(site):
        info = parse_page(page)
        rel = page.relative_to(site).as_posix()
        is_item = re.match(r"(en/news|notizie)/[^/]+/index.html", rel) is not None
        assert bool(info.external_links) == is_item, rel
        for link in info.external_links:
            assert link.startswith("https://"), (rel, link)
        if is_item:  # no widget: the page embeds nothing and runs no script but its own print helper
            sources = [dict(attrs).get("src", "") for tag, attrs in info.tags if tag in ("script", "iframe")]
            assert all(re.fullmatch(r"/static/print\.[0-9a-f]{8}\.js", src or "") for src in sources if src), rel


def test_what_the_search_index_reads_is_what_the_plain_substitutions_give(site):
    """The fast path of :func:`sitegen.search_text.for_index` on every page of the real site."""
    from test_search_text import for_index_by_plain_substitution

    from sitegen.search_text import for_index

    pages = html_pages(site)
    assert len(pages) > 20
    changed = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        indexed = for_index(html)
        assert indexed == for_index_by_plain_substitution(html), page
        changed += indexed != html
    assert changed > 5  # elisions and quotations in the other language: the paths that change something
