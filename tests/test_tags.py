"""Tags defined once, in both languages (issue 13): the vocabulary in config.yaml, the items'
tags, renamed slugs, ``new`` and ``check``.  Fixture data: the basic fixture site's invented
filler, with a vocabulary (Ricerca/Research, Sanità digitale/Digital health)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sitecheck import html_pages, parse_page
from sitetest import NOW_ARG, copy_site, tree

from sitegen.cli import main
from sitegen.frontmatter import key_lines
from sitegen.tags_vocab import ItemTag, Tag, TagTerm, Vocabulary, resolve

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# A vocabulary for the basic fixture site's tags: "Sanità digitale" has news in Italian only
# (its switcher leads to the English tag index, and check warns about it).
VOCABULARY = """tags:
  ricerca:
    it: {label: "Ricerca", slug: ricerca}
    en: {label: "Research", slug: research}
  sanita-digitale:
    it: {label: "Sanità digitale", slug: sanita-digitale}
    en: {label: "Digital health", slug: digital-health}
"""
# the basic fixture's vocabulary with former addresses: ricerca was "ricerche"/"studies";
# digital health (no English item) was "e-health"
RENAMED = {
    '    it: {label: "Ricerca", slug: ricerca}': '    it: {label: "Ricerca", slug: ricerca, former_slugs: [ricerche]}',
    '    en: {label: "Research", slug: research}': '    en: {label: "Research", slug: research, former_slugs: [studies]}',
    '    en: {label: "Digital health", slug: digital-health}': (
        '    en: {label: "Digital health", slug: digital-health, former_slugs: [e-health]}'
    ),
}


def tagged_site(destination: Path) -> Path:
    """A copy of the basic fixture site with :data:`VOCABULARY` in its config."""
    site = copy_site("basic", destination)
    with (site / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(VOCABULARY)
    return site


def _edit(path: Path, changes: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _build(site: Path, monkeypatch, *extra: str) -> Path:
    monkeypatch.chdir(site)
    assert main(["build", "--now", NOW_ARG, *extra]) == 0
    return site / "public"


@pytest.fixture(scope="module")
def renamed(tmp_path_factory) -> Path:
    site = tagged_site(tmp_path_factory.mktemp("renamed") / "site")
    _edit(site / "config.yaml", RENAMED)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _build(site, monkeypatch)


def test_a_former_slug_redirects_to_the_new_address(renamed):
    for old, new in [("tag/ricerche", "/tag/ricerca/"), ("en/tags/studies", "/en/tags/research/")]:
        html = (renamed / old / "index.html").read_text(encoding="utf-8")
        info = parse_page(renamed / old / "index.html")
        assert f'<meta http-equiv="refresh" content="0; url={new}">' in html, old
        canonical = [link["href"] for link in info.link_rels if link.get("rel") == "canonical"]
        assert canonical == [f"https://example.org{new}"], old
        assert info.meta["robots"] == "noindex", old
        assert f'<a href="{new}">' in html, old  # for a browser that does not follow the refresh
        assert "data-pagefind-body" not in html, old


def test_a_former_slug_of_a_tag_without_items_leads_to_the_tag_index(renamed):
    html = (renamed / "en/tags/e-health/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/en/tags/">' in html
    assert not (renamed / "en/tags/digital-health").exists()


def test_redirects_are_listed_nowhere(renamed):
    old = ("/tag/ricerche/", "/en/tags/studies/", "/en/tags/e-health/")
    sitemap = (renamed / "sitemap.xml").read_text(encoding="utf-8")
    assert not [path for path in old if path in sitemap]
    for page in html_pages(renamed):
        own = "/" + page.relative_to(renamed).parent.as_posix() + "/"
        links = [path for path in old if path in parse_page(page).links and path != own]
        assert links == [], page
    for feed in ("feed.xml", "en/feed.xml"):
        assert not [path for path in old if path in (renamed / feed).read_text(encoding="utf-8")]


def test_redirects_are_not_in_the_search_index(renamed):
    """Pagefind indexes the pages with data-pagefind-body: as many per language as it counts."""
    counts = json.loads((renamed / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    indexed = {"it": 0, "en": 0}
    for page in html_pages(renamed):
        if "data-pagefind-body" in page.read_text(encoding="utf-8"):
            indexed[parse_page(page).html_lang] += 1
    assert {lang: counts[lang]["page_count"] for lang in indexed} == indexed


def test_tag_pages_pair_across_languages_in_pages_and_sitemap(renamed):
    it_page = parse_page(renamed / "tag/ricerca/index.html")
    alternates = {ln["hreflang"]: ln["href"] for ln in it_page.link_rels if ln.get("hreflang")}
    assert alternates == {
        "it": "https://example.org/tag/ricerca/",
        "en": "https://example.org/en/tags/research/",
        "x-default": "https://example.org/tag/ricerca/",
    }
    en_page = parse_page(renamed / "en/tags/research/index.html")
    assert {ln["hreflang"]: ln["href"] for ln in en_page.link_rels if ln.get("hreflang")} == alternates
    switch = [a["href"] for tag, a in en_page.tags if tag == "a" and a.get("hreflang") == "it"]
    assert switch and set(switch) == {"/tag/ricerca/"}
    root = ET.parse(renamed / "sitemap.xml").getroot()
    entry = next(u for u in root if u.find(f"{SITEMAP}loc").text == "https://example.org/en/tags/research/")
    listed = {ln.get("hreflang"): ln.get("href") for ln in entry if ln.tag.endswith("link")}
    assert listed == alternates


def test_a_tag_without_items_in_the_other_language_leads_to_its_tag_index_and_says_so(renamed):
    page = renamed / "tag/sanita-digitale/index.html"
    info = parse_page(page)
    assert not [ln for ln in info.link_rels if ln.get("hreflang")]
    switch = [a["href"] for tag, a in info.tags if tag == "a" and a.get("hreflang") == "en"]
    assert switch and set(switch) == {"/en/tags/"}
    html = page.read_text(encoding="utf-8")
    note = "No news in English about “Digital health”: list of topics in English"
    assert html.count(f'<span class="visually-hidden"> — {note}</span></a>') == 2  # header and footer
    links = [a for tag, a in info.tags if tag == "a" and a.get("hreflang") == "en"]
    assert not [a for a in links if "title" in a]  # the note is said once, not again as a title
    assert '<p class="tag-note">Questo argomento non ha ancora notizie nell’altra lingua' in html


def test_item_tags_show_the_vocabulary_label_in_the_item_language(tmp_path, monkeypatch):
    site = tagged_site(tmp_path / "site")
    _edit(site / "content/en/news/first.md", {"tags: [Research]": "tags: [ricerca, Research]"})
    public = _build(site, monkeypatch)
    html = (public / "en/news/first/index.html").read_text(encoding="utf-8")
    assert html.count('href="/en/tags/research/" data-pagefind-filter="tag">Research</a>') == 1


def test_vocabulary_changes_rebuild_every_page_that_shows_tags(tmp_path, monkeypatch):
    """An incremental build after a vocabulary edit is the clean build of the edited site."""
    site = tagged_site(tmp_path / "site")
    _edit(site / "content/it/notizie/prima.md", {"Ricerca,": "ricerca,"})  # the key: stays valid
    _edit(site / "content/it/notizie/seconda.md", {"[Ricerca]": "[ricerca]"})
    _edit(site / "content/en/news/first.md", {"[Research]": "[ricerca]"})
    _build(site, monkeypatch)
    # only the vocabulary changes: labels, and former addresses
    _edit(site / "config.yaml", {'label: "Ricerca", slug: ricerca}': 'label: "Ricerca clinica", slug: ricerca}'})
    _edit(site / "config.yaml", {'label: "Research", slug: research}': 'label: "Clinical research", slug: research}'})
    _build(site, monkeypatch)
    _edit(site / "config.yaml", {old: new for old, new in RENAMED.items() if "Digital" in old})
    incremental = tree(_build(site, monkeypatch))
    clean = tree(_build(site, monkeypatch, "--no-cache", "--output", str(tmp_path / "clean")))
    assert "Ricerca clinica" in incremental["notizie/seconda/index.html"].decode()
    assert "Clinical research" in incremental["en/news/first/index.html"].decode()
    assert "en/tags/e-health/index.html" in incremental
    assert sorted(incremental) == sorted(clean)
    assert [rel for rel in incremental if incremental[rel] != clean[rel]] == []


def test_new_lists_the_vocabulary_in_the_item_language(tmp_path, monkeypatch):
    site = tagged_site(tmp_path / "site")
    monkeypatch.chdir(site)
    assert main(["new", "news", "Prova dei tag", "--date", "2026-11-20"]) == 0
    assert main(["new", "news", "Tag test", "--lang", "en", "--date", "2026-11-20"]) == 0
    italian = (site / "content/it/notizie/prova-dei-tag.md").read_text(encoding="utf-8")
    english = (site / "content/en/news/tag-test.md").read_text(encoding="utf-8")
    # the fixture's messages are English: the comment is, the labels are the item's language's
    expected = (
        "# Topics, as a list in square brackets, chosen among those defined in config.yaml\n# (tags): {}\ntags: []\n"
    )
    assert expected.format("Ricerca, Sanità digitale") in italian
    assert expected.format("Research, Digital health") in english


def test_check_warns_about_a_tag_used_in_one_language_only(tmp_path, monkeypatch, capsys):
    site = tagged_site(tmp_path / "site")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    capsys.readouterr()
    assert main(["check", "--now", NOW_ARG]) == 0
    err = capsys.readouterr().err.splitlines()
    warnings = [line for line in err if "tag '" in line]
    assert warnings == [
        "content/it/notizie/prima.md:6: warning: the tag 'Sanità digitale' is used by news items in it only "
        "(1 in all, this one first), none in en: its page has no version in en — add it to a news item in en, "
        "the translation of this one for example"
    ]
    _edit(site / "content/en/news/first.md", {"tags: [Research]": "tags: [Research, Digital health]"})
    capsys.readouterr()
    assert main(["check", "--now", NOW_ARG]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if "tag '" in line]


def test_an_item_may_write_the_key_or_the_label_in_its_language():
    term = TagTerm
    tag = Tag(
        "sanita-digitale", (("it", term("sanità digitale", "sanita-digitale")), ("en", term("digital health", "dh")))
    )
    vocabulary = Vocabulary((tag,), True)
    expected = ItemTag("sanita-digitale", "digital health", "dh")
    assert resolve(vocabulary, ["sanita-digitale", "digital health"], "en") == (expected,)
    assert resolve(vocabulary, ["sanità digitale"], "en") == ()  # the Italian label in an English item
    assert resolve(vocabulary, ["Digital Health"], "en") == ()  # no second spelling of a tag
    free = resolve(Vocabulary(), ["Sanità Digitale"], "it")  # no vocabulary: the word is the tag
    assert free == (ItemTag(None, "Sanità Digitale", "sanita-digitale"),)


@pytest.mark.parametrize(
    "front_matter",
    [
        'title: "x"\ntags: [ricerca, "sanita digitale"]\n',
        'title: "x"\ntags:\n  - ricerca\n  - "sanita digitale"  # a comment\n',
        "title: \"x\"\ntags: [ricerca,\n  'sanita digitale']\n",
    ],
)
def test_each_tag_has_its_own_line_for_messages(front_matter):
    lines = key_lines(front_matter)
    last = len(front_matter.rstrip("\n").split("\n")) + 1  # file lines: the opening --- is line 1
    assert lines["tags[sanita digitale]"] == last
    assert re.fullmatch(r"\d+", str(lines["tags[ricerca]"]))


def test_the_guide_shows_the_tag_messages_as_the_build_prints_them():
    """The guide's unknown-tag example is the fixture tests/fixtures/invalid/tag_unknown (same
    file, same message); its check warning is the catalogue's text."""
    from sitetest import FIXTURES, REPO

    from sitegen.messages import render_message

    guide = (REPO / "docs/guida-redazione.md").read_text(encoding="utf-8")
    case = FIXTURES / "invalid/tag_unknown"
    source = (case / "site/content/it/notizie/prova.md").read_text(encoding="utf-8")
    assert f"```markdown\n{source}```" in guide
    assert f"```text\n{(case / 'expected.txt').read_text(encoding='utf-8').splitlines()[0]}\n```" in guide
    params = {"tag": "telemedicina", "used": "it", "missing": "en", "count": 1}
    warning = render_message("tag_one_language", "it", params)
    assert f"```text\ncontent/it/notizie/prova.md:6: avviso: {warning}\n```" in guide


def test_a_former_slug_may_not_be_another_tags_address():
    from sitegen.tags_vocab import read_vocabulary

    def term(label: str, slug: str, *former: str) -> dict:
        return {"label": label, "slug": slug, "former_slugs": list(former)}

    value = {
        "a": {"it": term("a", "a"), "en": term("a", "a")},
        "b": {"it": term("b", "b", "a"), "en": term("b", "b", "old-b")},
    }
    problems: list = []
    vocabulary = read_vocabulary(value, ["it", "en"], {"tags.b.it.slug": 9}, "config.yaml", problems, "en")
    assert [p.format("en") for p in problems] == [
        "config.yaml:9: the address 'a' of 'tags.b.it.slug' is already used by tags.a (as slug or in former_slugs)"
        " — each tag has its own addresses in each language: change one"
    ]
    assert vocabulary.by_key("b").term("en").former_slugs == ("old-b",)


@pytest.mark.browser
def test_chromium_follows_a_former_address_to_the_tag_page(renamed):
    """The refresh is followed (no Content-Security-Policy or script stands in the way)."""
    import sys

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
    import checks  # the browser harness: server, Chromium flags

    with sync_playwright() as p, checks.Server(renamed) as server:
        browser = p.chromium.launch(executable_path=checks.CHROMIUM, headless=True, args=checks.CHROMIUM_ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(server.url("/en/tags/studies/"))
            page.wait_for_url(server.url("/en/tags/research/"), timeout=15_000)
            assert page.title().startswith("Topic: Research")
            page.wait_for_load_state("load")
        finally:
            browser.close()
