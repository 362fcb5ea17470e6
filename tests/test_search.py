"""The search index Pagefind writes into the build: what is in it, byte-identical builds,
reuse when nothing changed, and what happens when Pagefind fails.  (The search itself, in a
browser, is tested in test_search_browser.py.)"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
from pathlib import Path

import pytest
from sitetest import NOW_ARG, tree

from sitegen.cli import main
from sitegen.search_pagefind import ENTRY_FILE, UNUSED_FILES, normalise

FRAGMENT_SIGNATURE = b"pagefind_dcd"


def build(site: Path, out: Path, *extra: str) -> int:
    return main(["build", "--config", str(site / "config.yaml"), "--output", str(out), "--now", NOW_ARG, *extra])


def read_index(out: Path) -> dict[str, dict[str, dict]]:
    """Every indexed page, by language and URL, as Pagefind stored it (content and meta), from every shard."""
    found: dict[str, dict[str, dict]] = {}
    for path in sorted((out / "pagefind").glob("*/fragment/*")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_SIGNATURE)
        fragment = json.loads(data[len(FRAGMENT_SIGNATURE) :])
        found.setdefault(path.name.split("_")[0], {})[fragment["url"]] = fragment
    return found


def pages_with_body(out: Path) -> dict[str, set[str]]:
    """URL of every written page marked data-pagefind-body, by its <html lang>."""
    found: dict[str, set[str]] = {}
    for page in out.rglob("*.html"):
        if page.is_relative_to(out / "pagefind"):
            continue
        text = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            lang = re.search(r'<html lang="([^"]+)"', text).group(1)
            url = "/" + page.relative_to(out).parent.as_posix() + "/"
            found.setdefault(lang, set()).add(url.replace("/./", "/"))
    return found


def all_text(index: dict) -> str:
    return " ".join(f["content"] for pages in index.values() for f in pages.values()).lower()


def test_one_index_per_language_with_only_the_main_content_of_content_pages(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    index = read_index(out)
    assert sorted(index) == ["en", "it"]
    assert {lang: set(pages) for lang, pages in index.items()} == pages_with_body(out)
    assert set(index["it"]) == {
        "/",
        "/chi-siamo/",
        "/privacy/",
        "/notizie/prima/",
        "/notizie/seconda/",
        "/notizie/terza/",
    }
    assert set(index["en"]) == {"/en/", "/en/about/", "/en/privacy/", "/en/news/first/"}
    counts: dict[str, int] = {}
    for entry_path in (out / "pagefind").glob("*/" + ENTRY_FILE):
        for lang, info in json.loads(entry_path.read_text())["languages"].items():
            counts[lang] = counts.get(lang, 0) + info["page_count"]
    assert counts == {"en": 4, "it": 6}
    # The shards: the pages of both languages, and the news of each language by year, one language each.
    listing = json.loads((out / "pagefind" / "shards.json").read_text())
    shards = {shard["name"]: shard["lang"] for shard in listing["shards"]}
    assert shards == {"pages": None, "news-en-2026": "en", **{name: "it" for name in shards if "-it-" in name}}
    assert len(shards) >= 3
    text = all_text(index)
    for chrome in (
        "vai al contenuto",
        "skip to content",
        "sito di prova",
        "menu principale",
        "feed atom",
        "pubblicato il",
        "published on",
        "in questa pagina",
    ):
        assert chrome not in text, f"{chrome!r} (menus, header, footer, dates, table of contents) was indexed"
    assert "storia" in index["it"]["/chi-siamo/"]["content"].lower()  # the body itself is there
    first = index["en"]["/en/news/first/"]
    assert first["meta"] == {
        "title": "First item: the beginning",
        "date": "2026-01-10T00:00:00+01:00",
        "date_label": "10 January 2026",
    }
    assert "date" not in index["it"]["/chi-siamo/"]["meta"]


def test_drafts_scheduled_and_expired_items_are_not_indexed_but_a_drafts_preview_indexes_what_it_shows(
    fixture_site, tmp_path
):
    site = fixture_site("basic")
    assert build(site, tmp_path / "out") == 0
    text = all_text(read_index(tmp_path / "out"))
    for word in ("segreta", "bozza", "futur", "scadut"):  # bozza.md, futura.md, scaduta.md
        assert word not in text
    assert build(site, tmp_path / "preview", "--drafts") == 0
    preview = read_index(tmp_path / "preview")
    assert preview["it"]["/notizie/bozza/"]["meta"]["title"] == "Bozza segreta"


def test_two_builds_are_byte_identical_with_the_search_index(fixture_site, tmp_path):
    site = fixture_site("basic")
    assert build(site, tmp_path / "a") == 0
    assert build(site, tmp_path / "b") == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert [rel for rel in first if first[rel] != second[rel]] == []
    entry = json.loads(first["pagefind/pages/" + ENTRY_FILE])
    assert list(entry["languages"]) == ["en", "it"]
    assert [rel for rel in first if rel.rpartition("/")[2] in UNUSED_FILES] == []
    assert {
        "pagefind/pagefind.js",
        "pagefind/shards.json",
        "pagefind/pages/pagefind-worker.js",
        "pagefind/pages/wasm.it.pagefind",
        "pagefind/pages/wasm.en.pagefind",
    } <= set(first)
    # A merged shard keeps only its index: the browser runs the primary's script and WebAssembly.
    news = [rel for rel in first if rel.startswith("pagefind/news-")]
    assert news and not [rel for rel in news if rel.endswith((".js", ".pagefind"))]


def test_normalise_sorts_the_language_list_and_drops_the_default_ui(tmp_path):
    entry = {
        "version": "1.5.2",
        "languages": {"it": {"hash": "it_1", "page_count": 2}, "en": {"hash": "en_1", "page_count": 2}},
        "include_characters": ["_", "‿"],
    }
    (tmp_path / ENTRY_FILE).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    for name in UNUSED_FILES + ("pagefind.js",):
        (tmp_path / name).write_text("x")
    normalise(tmp_path)
    assert (tmp_path / ENTRY_FILE).read_text(encoding="utf-8") == (
        '{"version":"1.5.2","languages":{"en":{"hash":"en_1","page_count":2},'
        '"it":{"hash":"it_1","page_count":2}},"include_characters":["_","‿"]}'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [ENTRY_FILE, "pagefind.js"]


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_without_changed_pages_reuses_the_index_and_a_change_reindexes(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    before = _inodes(out / "pagefind")
    assert build(site, out) == 0
    assert _inodes(out / "pagefind") == before, "the unchanged index was made again instead of reused"

    item = site / "content" / "it" / "notizie" / "terza.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nUn ornitorinco nel testo.\n", encoding="utf-8")
    assert build(site, out) == 0
    index = read_index(out)
    assert "ornitorinco" in index["it"]["/notizie/terza/"]["content"]
    assert _inodes(out / "pagefind") != before
    # and the result is the same as building from scratch
    assert build(site, tmp_path / "fresh") == 0
    assert tree(out / "pagefind") == tree(tmp_path / "fresh" / "pagefind")


def test_a_new_page_is_indexed_even_though_every_old_page_is_unchanged(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    (site / "content" / "en" / "extra.md").write_text('---\ntitle: "Extra"\n---\n\nA wombat page.\n')
    assert build(site, out) == 0
    assert "wombat" in read_index(out)["en"]["/en/extra/"]["content"]


def _failing_pagefind(tmp_path: Path) -> Path:
    script = tmp_path / "pagefind-broken"
    script.write_text("#!/bin/sh\necho 'Error: boom' >&2\nexit 3\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_when_pagefind_fails_nothing_is_published(fixture_site, tmp_path, monkeypatch, capsys):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    published = tree(out)
    item = site / "content" / "it" / "notizie" / "terza.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nAltro testo.\n", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_failing_pagefind(tmp_path)))
    capsys.readouterr()
    assert build(site, out) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: Pagefind could not index the pages (Error: boom) — fix the problem it names and build again; "
        "the previous site is untouched",
        "1 error.",
    ]
    assert tree(out) == published
    # (.out.spare: the double buffer a successful build keeps, see sitegen.output_swap.twin_spare)
    assert sorted(set(os.listdir(tmp_path)) - {".out.spare"}) == sorted(
        ["basic", "out", ".out.lock", "pagefind-broken"]
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "it",
            "{out}: Pagefind non è installato, la ricerca del sito non si può generare — installa le dipendenze "
            "del progetto (pip install -e .), che comprendono pagefind[bin]",
        ),
        (
            "en",
            "{out}: Pagefind is not installed, so the site search cannot be built — install the project's "
            "dependencies (pip install -e .), which include pagefind[bin]",
        ),
    ],
)
def test_a_missing_pagefind_is_named_in_both_languages(fixture_site, tmp_path, monkeypatch, capsys, lang, expected):
    site = fixture_site("basic")
    out = tmp_path / "out"
    monkeypatch.setenv("SITEGEN_LANG", lang)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    assert build(site, out) == 1
    assert capsys.readouterr().err.splitlines()[0] == expected.format(out=out)
    assert not out.exists()


def test_search_pages_are_in_the_sitemap_as_a_translated_pair(fixture_site, tmp_path):
    site = fixture_site("basic")
    assert build(site, tmp_path / "out") == 0
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text()
    block = re.search(r"<url>\s*<loc>https://example.org/cerca/</loc>.*?</url>", sitemap, re.S).group(0)
    assert 'hreflang="en" href="https://example.org/en/search/"' in block
    assert 'hreflang="x-default" href="https://example.org/cerca/"' in block
    assert "<loc>https://example.org/en/search/</loc>" in sitemap


def test_under_a_subpath_the_search_page_and_header_box_use_the_prefix(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out, "--base-url", "https://example.org/sub/") == 0
    search_page = (out / "en" / "search" / "index.html").read_text()
    assert 'data-pagefind="/sub/pagefind/pagefind.js" data-base-url="/sub/"' in search_page
    assert re.search(r'<script type="module" src="/sub/static/search\.[0-9a-f]{8}\.js"></script>', search_page)
    assert (
        '<form class="site-search" role="search" action="/sub/en/search/" method="get">'
        in (out / "en" / "index.html").read_text()
    )
    # Pagefind stores site paths; the page's baseUrl adds the prefix in the browser.
    assert "/en/news/first/" in read_index(out)["en"]


def test_only_the_search_page_loads_a_script(fixture_site, tmp_path):
    """The search script only on the search pages; every page has only the deferred print helper besides."""
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    with_script = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*.html")
        if re.search(
            r"<script(?![^>]*application/ld\+json)(?![^>]*/static/print\.[0-9a-f]{8}\.js\" defer>)", p.read_text()
        )
    )
    assert with_script == ["cerca/index.html", "en/search/index.html"]


def test_after_a_change_the_unchanged_index_files_stay_the_old_files(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    before_inodes, before_bytes = _inodes(out / "pagefind"), tree(out / "pagefind")
    item = site / "content" / "en" / "news" / "first.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nA numbat too.\n", encoding="utf-8")
    assert build(site, out) == 0
    after_inodes, after_bytes = _inodes(out / "pagefind"), tree(out / "pagefind")
    same = {rel for rel in after_bytes if before_bytes.get(rel) == after_bytes[rel]}
    assert {"pagefind.js", "pages/wasm.it.pagefind"} <= same
    assert any(rel.startswith("pages/fragment/it_") for rel in same)  # Italian pages did not change
    assert {rel for rel in same if after_inodes[rel] != before_inodes[rel]} == set()
    changed = set(after_bytes) - same
    assert any(rel.startswith("news-en-") and "/fragment/en_" in rel for rel in changed)
    # Only the English news shard of that item's year was made again (the list of shards is the same).
    assert {rel.partition("/")[0] for rel in changed} == {_shard_of(out, "en/news/first/index.html")}


def _shard_of(out: Path, rel: str) -> str:
    from sitegen.search_shards import place_of, shards_of_place

    place = place_of((out / rel).read_bytes())
    assert place is not None and place.startswith("news-en-")
    (name,) = shards_of_place(place) & set(os.listdir(out / "pagefind"))  # its year's or its quarter's
    return name


def _without_search(site: Path) -> None:
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch: false\n", encoding="utf-8")


def test_search_false_leaves_out_the_index_the_search_pages_and_every_search_box(fixture_site, tmp_path):
    site = fixture_site("basic")
    with_search = tmp_path / "with"
    assert build(site, with_search) == 0
    _without_search(site)
    out = tmp_path / "out"
    assert build(site, out) == 0
    assert not (out / "pagefind").exists()
    assert not (out / "cerca").exists() and not (out / "en" / "search").exists()
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert 'role="search"' not in text and "/cerca/" not in text and "/en/search/" not in text, page
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/cerca/" not in sitemap and "/en/search/" not in sitemap
    # The same site with search has all three (so the checks above can fail).
    assert (with_search / "pagefind").is_dir() and (with_search / "cerca" / "index.html").is_file()
    assert 'role="search"' in (with_search / "index.html").read_text(encoding="utf-8")


def test_turning_search_off_and_on_again_matches_clean_builds(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    on = tree(out)
    _without_search(site)
    assert build(site, out) == 0
    assert build(site, tmp_path / "clean-off", "--no-cache") == 0
    assert tree(out) == tree(tmp_path / "clean-off")
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("search: false", "search: true"), encoding="utf-8")
    assert build(site, out) == 0
    assert tree(out) == on
