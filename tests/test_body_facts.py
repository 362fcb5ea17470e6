"""What a parse notes of its body's media (sitegen.body_facts) decides exactly as the HTML did.

The plan used to ask each body's HTML whether it surely involves no media (no ``<img``, no
``href``/``src`` whose file name is a content file's), reading every body back from the body
store in the main process.  It now asks the facts the parse noted: the decision must be the
old one for every body and every set of content files, and a cold plan must read no body of
a page whose body is resolved where the page is rendered.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sitetest import FIXED_NOW
from test_body_store import bodies_read
from test_incremental import make_site

from sitegen.bodies import BodyCache
from sitegen.body_facts import MediaFacts, media_facts, media_free
from sitegen.cache.packs import StoredBody
from sitegen.markdown_render import convert
from sitegen.options import BuildOptions, load
from sitegen.progress import Progress
from sitegen.sources import SourceParser
from sitegen.stage_parse import assemble, gather, parse
from sitegen.stage_plan import plan
from tests.test_sanitize_fast_path import PROPERTY

# The plan's question as it was asked of the HTML (sitegen.stage_plan before the facts).
_OLD_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)
_OLD_REFERENCE = re.compile(r'\b(?:href|src)="([^"]*)"')


def old_media_free(body_html: str, asset_names: set[str]) -> bool:
    if _OLD_IMG_TAG.search(body_html) is not None:
        return False
    return not asset_names or not any(
        posixpath.basename(unquote(html.unescape(value).split("#", 1)[0].split("?", 1)[0])) in asset_names
        for value in _OLD_REFERENCE.findall(body_html)
    )


ASSET_NAME_SETS = [
    set(),
    {"foto.jpg"},
    {"documento.pdf", "relazione 2026.pdf"},
    {"a&b.pdf", "è.pdf", "x.txt"},
    {"foto.jpg", "mappa.png", "scheda.pdf", "café.jpg", "q.pdf"},
]

MARKDOWN = [
    "Solo testo, niente link.",
    "[Il documento](../media/documento.pdf) e [la foto](foto.jpg).",
    "[Scheda](/media/scheda.pdf?download=1#pagina-2) e [mappa](mappa.png#x)",
    "[Relazione](relazione%202026.pdf) e [altra](<relazione 2026.pdf>)",
    "[e](a&b.pdf) [f](a&amp;b.pdf) [g](%C3%A8.pdf) [h](caf%C3%A9.jpg)",
    "![Una foto](foto.jpg)",
    "![Una foto](https://example.org/foto.jpg)",
    '`<img src="foto.jpg">` nel codice, e `href="scheda.pdf"`',
    '```\n<img src="x.png">\n<a href="scheda.pdf">\n```',
    "Testo con &lt;img src=&quot;foto.jpg&quot;&gt; scritto, non un tag.",
    '<IMG SRC="foto.jpg" alt="">',
    '<img srcset="foto.jpg 1x, mappa.png 2x" alt="">',
    '<a href="scheda.pdf?a=1&amp;b=2#sez">s</a> <a href="/notizie/">n</a>',
    "[q](?q.pdf) [frammento](#foto.jpg) [cartella](foto.jpg/) [vuoto]()",
    "[Chi siamo](chi-siamo.md#storia) e [fuori](https://example.org/scheda.pdf)",
    "<https://example.org/media/scheda.pdf> e <mailto:info@example.org>",
    "[mail](mailto:x@example.org?subject=foto.jpg) [tel](tel:+39091)",
    '<div data-href="foto.jpg">x</div> <span title=\'src="foto.jpg"\'>y</span>',
    '<a href="scheda.pdf" title="href=&quot;foto.jpg&quot;">t</a>',
]

RAW_HTML = [
    "",
    '<p><a href="foto.jpg">x</a></p>',
    '<p><a href="Foto.JPG">x</a></p>',
    '<p><a href="fo%74o.jpg">x</a> <a href="foto%2Ejpg">y</a></p>',
    '<p><a href="&#102;oto.jpg">x</a> <a href="a&amp;b.pdf">y</a> <a href="a&b.pdf">z</a></p>',
    '<p><a href="x/caf&eacute;.jpg">x</a></p>',
    '<p><a href="scheda.pdf#p?q">x</a> <a href="q.pdf?x#y">y</a> <a href="?q.pdf">z</a></p>',
    '<p><a xhref="foto.jpg">x</a> <a data-src="foto.jpg">y</a></p>',
    "<p><a href='foto.jpg'>single quotes</a></p>",
    "<pre><code>&lt;img src=&quot;foto.jpg&quot;&gt;</code></pre>",
    "<pre><code><img></code></pre>",
    "<p>an <imgur> tag, <image>, <img/>, <img\n src=x></p>",
    '<p><source srcset="foto.jpg"><a href="">e</a><a href="/">r</a></p>',
    '<p><a href="%">bad escape</a> <a href="%zz.pdf">b</a> <a href="x.pdf%">c</a></p>',
]


def _bodies() -> list[str]:
    return [convert(text, "it").html for text in MARKDOWN] + RAW_HTML


@pytest.mark.parametrize("body", _bodies())
def test_the_facts_decide_as_the_html_did(body: str) -> None:
    facts = media_facts(body)
    for names in ASSET_NAME_SETS:
        assert media_free(facts, names) == old_media_free(body, names), (body, names)
    # every name the facts hold, alone, decides as the HTML did (a name missed would show here)
    for name in facts.names:
        assert not media_free(facts, {name}) and not old_media_free(body, {name})


def test_the_examples_cover_both_answers() -> None:
    """(The comparison above could not fail if every body gave the same answer.)"""
    answers = {media_free(media_facts(body), names) for body in _bodies() for names in ASSET_NAME_SETS[1:]}
    assert answers == {True, False}
    assert media_facts('<p><IMG src="x"></p>').image and not media_facts("<p>&lt;img&gt;</p>").image


PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<img",
        "<IMG",
        "<imgx",
        " src=",
        " href=",
        " srcset=",
        ' href="',
        ' src="',
        '"',
        "'",
        ">",
        "foto.jpg",
        "Foto.jpg",
        "scheda.pdf",
        "a&amp;b.pdf",
        "&amp;",
        "&quot;",
        "&#102;",
        "%20",
        "%C3%A8",
        "%",
        "?",
        "#",
        "/",
        "../",
        "relazione",
        " ",
        "\n",
        ".pdf",
        "è",
        "x",
    ]
)
HTML_ISH = st.lists(PIECES, max_size=24).map("".join)
NAMES = st.sets(
    st.sampled_from(["foto.jpg", "scheda.pdf", "a&b.pdf", "relazione .pdf", "è.pdf", "x", "", "Foto.jpg"]), max_size=4
)


@PROPERTY
@given(HTML_ISH, NAMES)
@example('<a href="foto.jpg?x#y">', {"foto.jpg"})
@example(' href="&#102;oto.jpg"', {"foto.jpg"})
@example(' src="a&amp;b.pdf" <imgx', {"a&b.pdf"})
def test_the_facts_decide_as_the_html_did_on_any_text(body: str, names: set[str]) -> None:
    assert media_free(media_facts(body), names) == old_media_free(body, names)


def _cold_plan(site, monkeypatch):
    """A cold build's parse (bodies in the store) and plan; the documents whose body the plan read."""
    config = load(BuildOptions(config_path=site / "config.yaml"))
    parsed = parse(config, gather(config), SourceParser(config), 1, Progress(enabled=False), None)
    live = assemble(config, parsed, FIXED_NOW, drafts=False).site
    read = bodies_read(monkeypatch)
    planned = plan(config, live, parsed.asset_files, "settings", False, BodyCache(None), {})
    return live, planned, read


def test_a_cold_plan_reads_only_the_bodies_that_involve_media(tmp_path, monkeypatch) -> None:
    site = make_site(tmp_path / "site")
    (site / "content/media").mkdir()
    (site / "content/media/scheda.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    page = site / "content/it/chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[La scheda](/media/scheda.pdf?v=2)\n", encoding="utf-8")
    live, planned, read = _cold_plan(site, monkeypatch)
    assert all(isinstance(doc.parsed_body, StoredBody) for doc in live.documents)
    deferred = {item.doc.source.rel for item in planned.deferred}
    assert "it/chi-siamo.md" not in deferred and len(deferred) == len(live.documents) - 1
    assert set(read) == {"it/chi-siamo.md"}  # resolved in full here: it links to a content file


def test_a_cached_parse_keeps_its_facts(tmp_path) -> None:
    site = make_site(tmp_path / "site")
    page = site / "content/it/chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<img src="foto.jpg" alt="">\n', encoding="utf-8")
    config = load(BuildOptions(config_path=site / "config.yaml"))
    sources = gather(config).sources
    first = SourceParser(config)
    fresh, _ = first.parse(list(sources), 1)
    first.save()
    again = SourceParser(config)
    cached, _ = again.parse(list(sources), 1)
    assert again.converted == 0 and again.reused == len(sources)
    assert [doc.media for doc in cached] == [doc.media for doc in fresh]
    assert [doc.media for doc in fresh] == [media_facts(doc.converted.html) for doc in fresh]
    assert next(doc.media for doc in cached if doc.source.rel == "it/chi-siamo.md").image
    assert isinstance(fresh[0].media, MediaFacts)
