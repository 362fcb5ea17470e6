"""Links are found by the fast reading of tags exactly where html.parser finds them.

``sitegen.markdown_render`` reads the start tags of a converted body with the sanitiser's
regular expressions when the HTML is plain (always so after conversion) and falls back to
:mod:`html.parser` otherwise: the property checks that the fast reading never finds other
tags, offsets or attribute values than the parser, and the example that a converted body
does take the fast reading (else the rewrite would be as slow as before).
"""

from __future__ import annotations

from hypothesis import example, given

from sitegen.markdown_render import _simple_start_tags, _StartTags, convert
from sitegen.sanitize import ALLOWED_TAGS, SIMPLE_TAG
from tests.test_sanitize_fast_path import FRAGMENTS, PROPERTY

ATTRIBUTE_SETS = [("href", "src"), ("id",), ("id", "href")]


@PROPERTY
@given(FRAGMENTS)
@example('<p class="a">x</p><script><a href="y"></script>')
@example('<a href="/x?a=1&amp;b=2" title="&rsquo;">x</a><img src="a.png" alt="" />')
@example('<details open><a href="#n" id="main">x</a></details>')
@example('<a href="x"><!-- <a href="y"> --></a>')
def test_the_fast_reading_finds_the_parsers_tags(fragment: str) -> None:
    for attributes in ATTRIBUTE_SETS:
        fast = _simple_start_tags(fragment, attributes)
        if fast is not None:
            assert fast == _StartTags(fragment, attributes).tags


def _simple_by_every_tag(fragment: str) -> bool:
    """The definition of simple HTML, read tag by tag: every "<" opens a tag of SIMPLE_TAG's
    shape, and every start tag is an allowed one."""
    tags = SIMPLE_TAG.findall(fragment)
    return len(tags) == fragment.count("<") and all(name in ALLOWED_TAGS for name, _attrs in tags if name)


@PROPERTY
@given(FRAGMENTS)
@example('<p class="a">x</p><script><a href="y"></script>')
@example('<b><bdi><blockquote href="x"><bx href="y">')
@example('<a href="x">a href="y" <a\nhref="z">')
def test_the_fast_reading_answers_exactly_for_simple_html(fragment: str) -> None:
    """It takes the HTML that is simple tag by tag, and only that: found from the words
    ``href``/``src``/``id``, it still finds each tag that holds one (in order, once)."""
    for attributes in ATTRIBUTE_SETS:
        fast = _simple_start_tags(fragment, attributes)
        assert (fast is not None) == _simple_by_every_tag(fragment)
        if fast is not None:
            assert fast == _StartTags(fragment, attributes).tags


def test_a_converted_body_takes_the_fast_reading() -> None:
    text = (
        '# Titolo {#main}\n\n[Un link](../altra/) e ![figura](img.png "t")[^1].\n\n'
        "| a | b |\n|:--|--:|\n| [x](https://example.org/?a=1&b=2) | 2 |\n\n"
        '```\n<a href="no">codice</a>\n```\n\n[^1]: La nota.\n'
    )
    body = convert(text, "it").html
    fast = _simple_start_tags(body, ("href", "src"))
    assert fast is not None
    assert fast == _StartTags(body, ("href", "src")).tags
    assert [value for tag in fast for name, value in tag.attrs if name in ("href", "src")][:3] == [
        "../altra/",
        "img.png",
        "#fn:1",
    ]
