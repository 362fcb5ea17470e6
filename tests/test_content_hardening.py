"""Issue 15 (content's share): one owner per address, raw content published only as intended,
drafts never published by accident, every bad configuration a message, bounded images."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sitetest import NOW_ARG, REPO, tree

from sitegen.addresses import Claim, ownership_problems
from sitegen.cli import main
from sitegen.markdown_render import LAYOUT_IDS, Reference, convert, resolve_references


def find_references(body_html: str) -> list[Reference]:
    """The references resolve_references sees, in document order (it calls back once for each)."""
    found: list[Reference] = []
    resolve_references(body_html, lambda ref: found.append(ref))
    return found


def build(site: Path, out: Path, *extra: str) -> int:
    previous = Path.cwd()
    os.chdir(site)
    try:
        return main(["build", "--output", str(out), "--now", NOW_ARG, *extra])
    finally:
        os.chdir(previous)


# --- 15.8: a full disk while Pagefind runs ----------------------------------------------


def _pagefind_on_a_full_disk(tmp_path: Path) -> Path:
    """Pagefind that ran out of space half-way: its entry file cut short, and still exit 0
    (called as ``pagefind --site COPY --output-path INDEX --silent``: ``$4`` is the index)."""
    script = tmp_path / "pagefind-full-disk"
    script.write_text('#!/bin/sh\nmkdir -p "$4"\nprintf \'{"version":"1.\' > "$4/pagefind-entry.json"\nexit 0\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_full_disk_while_pagefind_runs_is_a_message_and_the_old_site_stays(
    fixture_site, tmp_path, monkeypatch, capsys
):
    site = fixture_site("basic")
    out = tmp_path / "out"
    monkeypatch.setenv("SITEGEN_LANG", "it")
    assert build(site, out) == 0
    published = tree(out)
    item = site / "content" / "it" / "notizie" / "terza.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nAltro testo.\n", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_pagefind_on_a_full_disk(tmp_path)))
    capsys.readouterr()
    assert build(site, out) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: Pagefind non è riuscito a indicizzare le pagine (pagefind-entry.json: Unterminated string"
        " starting at: line 1 column 12 (char 11)) — correggi il problema indicato e rilancia la build;"
        " il sito precedente è rimasto com'era",
        "1 errore.",
    ]
    assert tree(out) == published


# --- 15.2: one owner per address ----------------------------------------------------------

KINDS = ("claim_page", "claim_file", "claim_static", "claim_listing", "claim_feed", "claim_search_index")


def _name(claim: Claim) -> str:
    return claim.output.rstrip("/")


def clash(a: Claim, b: Claim) -> bool:
    """The rule, stated plainly: same path, or one is (inside) a folder the other needs."""
    x, y = _name(a), _name(b)
    return x == y or x.startswith(y + "/") or y.startswith(x + "/")


segments = st.sampled_from(["a", "b", "en", "index.html", "pagefind", "x.txt"])
outputs = st.builds(
    lambda parts, whole: "/".join(parts) + ("/" if whole else ""),
    st.lists(segments, min_size=1, max_size=3),
    st.booleans(),
)


@st.composite
def claim_lists(draw):
    chosen = draw(st.lists(st.tuples(outputs, st.sampled_from(KINDS)), max_size=12))
    return [Claim(output, f"src{i}.md", i + 1, kind) for i, (output, kind) in enumerate(chosen)]


@settings(max_examples=400, deadline=None)
@given(claim_lists(), st.randoms())
def test_random_address_collisions_are_always_reported(claims, rng):
    problems = ownership_problems(claims)
    by_where = {c.where: c for c in claims}
    reported = {p.path for p in problems}
    kept = [c for c in claims if c.where not in reported]
    # What is kept has one owner per address...
    assert not any(clash(a, b) for i, a in enumerate(kept) for b in kept[i + 1 :])
    # ...and every claim left out clashes with the one the message names.
    for problem in problems:
        other = by_where[problem.params["other"].rsplit(":", 1)[0]]
        assert clash(by_where[problem.path], other) and other.where not in reported
    # So: a clash anywhere is reported, no clash is never reported; the order does not matter.
    assert bool(problems) == any(clash(a, b) for i, a in enumerate(claims) for b in claims[i + 1 :])
    shuffled = list(claims)
    rng.shuffle(shuffled)
    assert ownership_problems(shuffled) == problems


def test_a_static_file_and_a_content_file_at_one_address_are_both_named():
    claims = [
        Claim("static/style.css", "static/style.css", None, "claim_static"),
        Claim("static/style.css", "content/static/style.css", None, "claim_file"),
    ]
    (problem,) = ownership_problems(claims)
    assert problem.format("it") == (
        "content/static/style.css: il file e il file statico di static/style.css producono lo stesso indirizzo"
        " /static/style.css — rinomina o sposta uno dei due: ogni indirizzo del sito ha un solo proprietario"
    )


def test_a_page_folder_under_a_whole_folder_claim_is_reported():
    claims = [
        Claim("pagefind/", "config.yaml", 30, "claim_search_index"),
        Claim("pagefind/index.html", "content/it/pagefind.md", None, "claim_page"),
    ]
    (problem,) = ownership_problems(claims)
    assert (problem.path, problem.params["other"]) == ("content/it/pagefind.md", "config.yaml:30")


# --- 15.5: links rewritten on the parsed HTML -----------------------------------------------

BODY = (
    'Testo `<a href="contatti.html">` e `src="x.png` poi [uno](/a/?q=1&b=2 "t>i\'tolo") e\n\n'
    '![foto](f.jpg)\n\n<a href="/b/" title="x &quot;y&quot;">due</a>\n\n    <img src="codice.png">\n'
)


def test_only_the_elements_links_are_references():
    html = convert(BODY, "it").html
    assert find_references(html) == [("href", "/a/?q=1&b=2"), ("src", "f.jpg"), ("href", "/b/")]


def test_a_body_whose_links_all_stay_keeps_its_bytes():
    html = convert(BODY, "it").html
    assert resolve_references(html, lambda ref: None) == html


def test_rewriting_changes_only_the_reference_values():
    html = convert(BODY, "it").html
    rewritten = resolve_references(html, lambda ref: "/ilsh" + ref.url if ref.url.startswith("/") else None)
    assert rewritten == html.replace('href="/a/', 'href="/ilsh/a/').replace('href="/b/"', 'href="/ilsh/b/"')
    assert '<code>&lt;a href="contatti.html"&gt;</code>' in rewritten


FRAGMENTS = [
    "[a](/x/)",
    "[b](y.md 'ti\"t>le')",
    "![c](z.png)",
    '`href="/q?`',
    '`<a href="k.html">`',
    '<a href="/r/" title="&amp;&lt;">r</a>',
    '<img src="i.png" alt="x\u00a0y">',
    "&nbsp;<b>\u00a0</b>",
    "\n\n    code <a href='u'>\n\n",
    "*",
    " ",
    "\n",
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12))
def test_any_body_whose_links_stay_keeps_its_bytes(parts):
    html = convert("".join(parts), "en").html
    assert resolve_references(html, lambda ref: None) == html
    marked = resolve_references(html, lambda ref: "#" + ref.url)
    assert [r.url for r in find_references(marked)] == ["#" + r.url for r in find_references(html)]


# --- 15.4 / 15.5: only regular files, never waited on ---------------------------------------


def _build_in_a_subprocess(site: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """A build that waited on a FIFO would hang: it runs apart, and hanging fails the test."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--output", str(out), "--now", NOW_ARG],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SITEGEN_LANG": "it"},
    )


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("content/it/notizie/coda.md", "content/it/notizie/coda.md"),
        ("content/media/coda.pdf", "content/media/coda.pdf"),
    ],
)
def test_a_fifo_named_like_a_source_is_refused_never_waited_on(fixture_site, tmp_path, rel, expected):
    site = fixture_site("basic")
    os.mkfifo(site / rel)
    result = _build_in_a_subprocess(site, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{expected}: non è un file normale (una FIFO, un socket o un dispositivo) e non viene letto"
        " — mettici un file vero o toglilo",
        "1 errore.",
    ]


def test_a_fifo_in_static_is_refused_never_waited_on(fixture_site, tmp_path):
    site = fixture_site("basic")
    static = site / "static"
    shutil.copytree(REPO / "static", static)
    config = site / "config.yaml"
    config.write_text(
        re.sub(r'static_dir: ".*"', 'static_dir: "static"', config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    os.mkfifo(static / "extra.css")
    result = _build_in_a_subprocess(site, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "static/extra.css: non è un file normale (una FIFO, un socket o un dispositivo) e non viene letto"
        " — mettici un file vero o toglilo"
    )


def test_a_plain_svg_is_published_as_it_is(fixture_site, tmp_path):
    site = fixture_site("basic")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><style>rect{fill:#123}</style>'
    svg += b'<defs><linearGradient id="g"/></defs><rect width="2" height="2" fill="url(#g)"/></svg>\n'
    (site / "content" / "media" / "logo.svg").write_bytes(svg)
    assert build(site, tmp_path / "out") == 0
    assert (tmp_path / "out" / "media" / "logo.svg").read_bytes() == svg


# --- 15.5: ids from content never collide with the layout's ---------------------------------


def test_every_id_the_templates_write_is_reserved():
    """A template gaining an id makes this fail until LAYOUT_IDS lists it."""
    written = {
        match
        for path in (REPO / "templates").rglob("*.html")
        for match in re.findall(r'\bid="([^"{}]+)"', path.read_text(encoding="utf-8"))
    }
    assert written <= LAYOUT_IDS


def test_content_ids_equal_to_layout_ids_are_renamed(fixture_site, tmp_path):
    site = fixture_site("basic")
    item = site / "content" / "it" / "notizie" / "id-doppi.md"
    item.write_text(
        '---\ntitle: "Id doppi"\ndate: 2026-11-20\n---\n\n## Main\n\nTesto\n{: #site-search-q }\n\n'
        '<p id="search-q">grezzo</p>\n\n[Torna su](#main)\n',
        encoding="utf-8",
    )
    assert build(site, tmp_path / "out") == 0
    page = (tmp_path / "out" / "notizie" / "id-doppi" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), ids
    assert {"main", "main-1", "site-search-q", "site-search-q-1", "search-q-1"} <= set(ids)
    assert '<h2 id="main-1">Main</h2>' in page and '<a href="#main-1">Torna su</a>' in page


# --- 15.4: images bounded before they are decoded ------------------------------------------


def test_an_image_with_too_many_pixels_is_refused_before_decoding(fixture_site, tmp_path, monkeypatch, capsys):
    from PIL import Image

    from sitegen import media

    site = fixture_site("basic")
    out = tmp_path / "out"
    assert build(site, out) == 0
    published = tree(out)
    Image.new("1", (5001, 5000)).save(site / "content" / "media" / "enorme.png")  # 25 Mpx, 3 KB on disk
    item = site / "content" / "it" / "notizie" / "terza.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n![Una foto enorme](../../media/enorme.png)\n", "utf-8")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self.size))
    monkeypatch.setenv("SITEGEN_LANG", "it")
    capsys.readouterr()
    assert build(site, out, "--no-cache") == 1
    line = len(item.read_text(encoding="utf-8").splitlines())
    assert capsys.readouterr().err.splitlines() == [
        f"content/it/notizie/terza.md:{line}: l'immagine '../../media/enorme.png' è troppo grande"
        f" (5001×5000 px, al massimo {media.MAX_IMAGE_PIXELS // 1_000_000} Mpx) — riducila (per esempio a 3000"
        " pixel di larghezza) e salvala di nuovo: il sito ne mostra al massimo 1600",
        "1 errore.",
    ]
    # refused from the header alone (the social cards, 1200×630, are drawn as usual)
    assert (5001, 5000) not in decoded
    assert tree(out) == published


# --- 15.8: the command line's base URL is checked like the file's ----------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://example.org/\nDisallow: /",
            "--base-url: '--base-url' contiene un carattere che un indirizzo web non può contenere (U+000A: uno"
            " spazio, un a capo, virgolette...) — scrivi l'indirizzo senza spazi, per esempio https://example.org/ilsh/",
        ),
        (
            "http://[::1/",
            "--base-url: '--base-url' = 'http://[::1/' non è un indirizzo completo — scrivilo con lo schema,"
            " per esempio https://example.org/ o https://example.org/ilsh/",
        ),
    ],
)
def test_a_bad_base_url_option_is_a_message(fixture_site, tmp_path, monkeypatch, capsys, url, expected):
    site = fixture_site("basic")
    monkeypatch.setenv("SITEGEN_LANG", "it")
    capsys.readouterr()
    assert build(site, tmp_path / "out", "--base-url", url) in (1, 2)
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert not (tmp_path / "out").exists()
