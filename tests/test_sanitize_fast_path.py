"""The sanitiser's fast reading of tags agrees with html.parser's wherever it is used.

``sitegen.sanitize.removals`` reads plain Python-Markdown/nh3 output with a regular
expression and falls back to :mod:`html.parser` for anything else: these properties
check, on generated HTML that is often plain and often not, that the fast reading never
reports another inventory than the parser's, so no removal can go unreported.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.markdown_render import convert
from sitegen.sanitize import _inventory, _simple_inventory, _simple_tags, precise_removals, removals, sanitise

EXAMPLES = int(os.environ.get("SITEGEN_FUZZ_EXAMPLES", "200")) * 3
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAG_NAMES = [
    "p",
    "a",
    "img",
    "em",
    "h2",
    "td",
    "th",
    "table",
    "div",
    "span",
    "br",
    "details",
    "ol",  # allowed
    "script",
    "style",
    "textarea",
    "title",
    "iframe",
    "svg",
    "form",
    "xmp",
    "plaintext",  # not
    "P",
    "A",
    "Script",
    "custom-el",
    "x:y",
]
ATTRIBUTE_NAMES = [
    "id",
    "class",
    "href",
    "src",
    "title",
    "alt",
    "style",
    "onerror",
    "onclick",
    "open",
    "data-x",
    "lang",
    "ID",
    "xlink:href",
    "a_b",
    "start",
]
VALUES = [
    "x",
    "",
    "javascript:alert(1)",
    "https://example.org/a?b=1&amp;c=2",
    "a &amp; b",
    "&rsquo;",
    "&quot;q&quot;",
    "text-align: left;",
    "a > b",
    "a < b",
    "#fn:1",
    "multi\nline",
    "&#106;avascript:x",
    "&notanentity",
    "\u00a0",
    "a'b",
]
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\f", "\u00a0", "\u2003", ""]


@st.composite
def attributes(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTE_NAMES))
    value = draw(st.sampled_from(VALUES))
    quoting = draw(st.sampled_from(['"', '"', '"', "'", "", "none"]))
    space = draw(st.sampled_from(SPACES))
    if quoting == "none":
        return f"{space}{name}"
    return f"{space}{name}={quoting}{value}{quoting}"


@st.composite
def start_tags(draw) -> str:
    name = draw(st.sampled_from(TAG_NAMES))
    attrs = "".join(draw(st.lists(attributes(), max_size=3)))
    end = draw(st.sampled_from([">", ">", "/>", " />", " >", "\n>"]))
    return f"<{name}{attrs}{end}"


PIECES = st.one_of(
    start_tags(),
    start_tags(),
    st.sampled_from(TAG_NAMES).map(lambda name: f"</{name}>"),
    st.sampled_from(
        [
            "text",
            "a &amp; b",
            "&rsquo;",
            " ",
            "\n",
            "<",
            ">",
            "a < b",
            "<!-- note <p> -->",
            "<!DOCTYPE html>",
            "<![CDATA[x]]>",
            "<?php ?>",
            "</",
            "&",
            "<p",
            '"',
            "'",
        ]
    ),
    st.text(alphabet="<>/=\"' apx&;-\n", max_size=8),
)
FRAGMENTS = st.lists(PIECES, max_size=14).map("".join)


@PROPERTY
@given(FRAGMENTS)
@example('<p class="a">x</p><script><p id="y"></script>')
@example('<table><tr><th style="text-align: left;">a</th></tr></table>')
@example('<a href="javascript:alert(1)">x</a>')
@example('<p title="&rsquo;">x</p>')
def test_the_fast_reading_is_the_parsers_wherever_it_answers(fragment):
    tags = _simple_tags(fragment)
    if tags is not None:
        assert _simple_inventory(tags) == _inventory(fragment)


@PROPERTY
@given(FRAGMENTS)
@example('<p onclick="x">a</p>')
@example('<img src="a.png" onerror="alert(1)">')
@example('<p>a</p><style><p class="x"></style>')
def test_removals_are_exactly_the_precise_ones(fragment):
    try:
        clean, reported = sanitise(fragment)
    except ValueError:  # too deep: nothing is compared
        return
    assert reported == (precise_removals(fragment, clean) if "<" in fragment else ())
    assert removals(fragment, clean) == precise_removals(fragment, clean)


@PROPERTY
@given(
    st.lists(
        st.sampled_from(
            [
                "# Titolo {#t .c lang=it}",
                "Testo *enfasi* e **forte**, con [un link](https://example.org/?a=1&b=2).",
                "| a | b |\n|:--|--:|\n| 1 | 2 |",
                "Nota[^1].\n\n[^1]: La nota.",
                "```\n<script>x</script>\n```",
                '<div markdown="1">\n*dentro*\n</div>',
                "<img src=x onerror=alert(1)>",
                '<p onclick="x">y</p>',
                "*[IOM]: Istituto",
                "IOM qui.",
                "- uno\n- due",
                "1. uno\n2. due",
                "<!-- nota -->",
                "a < b > c & d",
                "Termine\n:   Definizione",
                '<iframe src="https://example.org"></iframe>',
                "[x](javascript:alert(1))",
                '![alt](a.png){: onerror="x" }',
                "<details open><summary>s</summary>d</details>",
            ]
        ),
        max_size=8,
    )
)
def test_markdown_bodies_report_what_the_parser_would(parts):
    body = "\n\n".join(parts)
    converted = convert(body, "it")
    from sitegen.markdown_render import _converters

    converter = _converters["it"]
    converter.reset()
    original = converter.convert(body)
    assert converted.removed == (precise_removals(original, converted.html) if "<" in original else ())
