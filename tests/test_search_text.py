"""What Pagefind reads (sitegen/search_text.py) and its filter files in a fixed order (sitegen/search_order.py)."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import search_order
from sitegen.search_text import for_index, index_copy


@pytest.mark.parametrize(
    ("written", "indexed"),
    [
        ("<p>dell’UPMC e l’Università</p>", "<p>dell'UPMC e l'Università</p>"),
        ("<p>un’altra, d’Italia, IOM’s</p>", "<p>un'altra, d'Italia, IOM's</p>"),
        ("<p>dell'UPMC</p>", "<p>dell'UPMC</p>"),  # an ASCII apostrophe is split by Pagefind already
        ("<p>“Rete”’ e ’90 e l’ 2</p>", "<p>“Rete”’ e ’90 e l’ 2</p>"),  # not between two letters
        ("<p>public–private, a—b, co‐operate</p>", "<p>public-private, a-b, co-operate</p>"),  # dashes
        ("<p>2020–2026, rete – IOM</p>", "<p>2020–2026, rete – IOM</p>"),  # not between two letters
    ],
)
def test_an_elision_between_two_letters_becomes_an_ascii_apostrophe(written, indexed):
    assert for_index(f'<html lang="it"><body>{written}</body></html>') == (
        f'<html lang="it"><body>{indexed}</body></html>'
    )


def test_text_in_another_language_is_left_out_of_the_index():
    page = (
        '<html lang="en"><body><blockquote lang="it"><p>Testo</p></blockquote>'
        '<p lang="en-GB">Text</p><span lang="it" data-pagefind-ignore>x</span><br lang="it"/></body></html>'
    )
    assert for_index(page) == (
        '<html lang="en"><body><blockquote lang="it" data-pagefind-ignore><p>Testo</p></blockquote>'
        '<p lang="en-GB">Text</p><span lang="it" data-pagefind-ignore>x</span><br lang="it" data-pagefind-ignore/>'
        "</body></html>"
    )


def test_the_copy_holds_every_page_and_the_site_is_untouched(tmp_path):
    site, copy = tmp_path / "site", tmp_path / "copy"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<html lang="it"><p>l’IOM</p></html>', encoding="utf-8")
    before = (site / "a" / "index.html").stat()
    index_copy(site, copy, {"a/index.html"})
    assert (copy / "a" / "index.html").read_text(encoding="utf-8") == '<html lang="it"><p>l\'IOM</p></html>'
    after = (site / "a" / "index.html").stat()
    assert (after.st_nlink, after.st_mtime_ns, after.st_ctime_ns) == (
        before.st_nlink,
        before.st_mtime_ns,
        before.st_ctime_ns,
    )


@pytest.mark.parametrize(
    "value", [0, 23, 24, 255, 256, 70000, 2**33, "", "sanità", None, True, [1, ["a", [2]]], {"k": 1}]
)
def test_cbor_values_come_back_as_they_were_written(value):
    raw = search_order.encode(value)
    assert search_order._decode(raw, 0) == (value, len(raw))


def _index(tmp_path, values: list[list], filters: list[str]):
    """A Pagefind-like index: one meta file listing ``filters``, each a filter file of ``values``."""
    index = tmp_path / "index"
    (index / "filter").mkdir(parents=True)
    listed = []
    for n, name in enumerate(filters):
        (index / "filter" / f"it_{n}.pf_filter").write_bytes(
            gzip.compress(search_order.SIGNATURE + search_order.encode([name, values]))
        )
        listed.append([name, f"it_{n}"])
    meta = ["1.5.2", [["page", 10]], [["a", "z", "it_w"]], listed, [["date", [1, 0]]], ["title"]]
    (index / "pagefind.it_m.pf_meta").write_bytes(search_order.SIGNATURE + search_order.encode(meta))
    return index


def test_filters_and_their_values_are_written_in_one_order_whatever_order_pagefind_chose(tmp_path):
    results = []
    for n, (values, filters) in enumerate(
        [
            ([["ricerca", [0]], ["innovazione", [1, 2]]], ["tag", "kind"]),
            ([["innovazione", [1, 2]], ["ricerca", [0]]], ["kind", "tag"]),
        ]
    ):
        entry = {"languages": {"it": {"hash": "it_m", "page_count": 3}}}
        index = _index(tmp_path / str(n), values, filters)
        search_order.sort_filters(index, entry)
        files = {p.relative_to(index).as_posix(): p.read_bytes() for p in index.rglob("*") if p.is_file()}
        results.append((entry, files))
        meta = search_order.read(index / f"pagefind.{entry['languages']['it']['hash']}.pf_meta")
        assert [name for name, _ in meta[3]] == ["kind", "tag"]
        assert meta[:3] + meta[4:] == ["1.5.2", [["page", 10]], [["a", "z", "it_w"]], [["date", [1, 0]]], ["title"]]
        for _, chunk in meta[3]:
            assert [v[0] for v in search_order.read(index / "filter" / f"{chunk}.pf_filter")[1]] == [
                "innovazione",
                "ricerca",
            ]
    assert results[0] == results[1]
    assert len(results[0][1]) == 3  # the old files are gone


def for_index_by_plain_substitution(html: str) -> str:
    """What :func:`for_index` gives, written as three plain substitutions over the whole text
    (the fast path runs the same patterns only where they can match)."""
    from sitegen import search_text

    page_lang = search_text._PAGE_LANG.search(html)
    text = search_text._JOINING_DASH.sub("-", search_text._ELISION.sub("'", html))
    if page_lang is None or text.count(' lang="') < 2:
        return text
    primary = search_text._primary(page_lang.group(1))

    def ignore(tag):
        name, attributes, lang, closing = tag.groups()
        if search_text._primary(lang) == primary or "data-pagefind-ignore" in attributes:
            return tag.group(0)
        return f"<{name}{attributes} data-pagefind-ignore{closing}>"

    return search_text._LANG_TAG.sub(ignore, text)


_PIECES = [
    "<",
    ">",
    "/",
    " ",
    "\n",
    '"',
    "=",
    'lang="',
    'lang="it"',
    'lang="en"',
    'lang="en-GB"',
    'hreflang="it"',
    "xml:lang=",
    "<html",
    "<html ",
    "<htmlx ",
    "<p",
    "<p ",
    "<br",
    "<a-b ",
    " data-pagefind-ignore",
    "a",
    "Z",
    "è",
    "1",
    "_",
    "²",
    "\u2019",
    "\u02bc",
    "'",
    "\u2010",
    "\u2013",
    "\u2014",
    "\u2015",
    "-",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_fast_path_gives_what_the_plain_substitutions_give(pieces):
    html = "".join(pieces)
    assert for_index(html) == for_index_by_plain_substitution(html)
    page = f'<html lang="it"><body>{html}</body></html>'
    assert for_index(page) == for_index_by_plain_substitution(page)
