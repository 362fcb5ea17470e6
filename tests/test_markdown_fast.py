"""The converters the site uses write exactly what stock Python-Markdown writes.

``sitegen.markdown_fast.speed_up`` gives a converter every shortcut: the inline passes skip
hopeless patterns and leave hopeless texts alone (``sitegen.inline_prefilter``), the block
processors are not asked about blocks lacking their characters, and the table of contents
is laid out as HTML only for a page holding its marker.  These tests compare such a
converter with a stock one (same extensions, same settings) on generated Markdown full of
what the block and inline processors look for, on any text, and on every Markdown file of
the repository, and check that each shortcut is in place and rests on what it claims.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocTreeprocessor
from test_inline_prefilter import PIECES, TAIL, repository_markdown

from sitegen import markdown_fast
from sitegen.markdown_render import _converter, _extensions

EXAMPLES = int(os.environ.get("SITEGEN_FUZZ_EXAMPLES", "200")) * 3
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def converters(lang: str = "it") -> tuple[markdown.Markdown, markdown.Markdown]:
    stock = markdown.Markdown(extensions=_extensions(lang), output_format="html")
    fast = markdown.Markdown(extensions=_extensions(lang), output_format="html")
    markdown_fast.speed_up(fast)
    return stock, fast


STOCK, FAST = converters()


def both(text: str) -> tuple[tuple[str, object], tuple[str, object]]:
    """Each converter's HTML and headings (the table of contents the site reads)."""
    results = []
    for converter in (STOCK, FAST):
        converter.reset()
        results.append((converter.convert(text), getattr(converter, "toc_tokens", None)))
    return results[0], results[1]


# Block-level pieces: what each block processor looks for, at the start of a line and not.
BLOCK_PIECES = [
    "# ",
    "## Titolo",
    "### Sotto #",
    "#",
    "Testo\n===",
    "Testo\n---",
    "\n---\n",
    "\n***\n",
    "\n___\n",
    "\n- - -\n",
    "> ",
    ">",
    "\n> citazione\n> > dentro",
    "Termine\n: definizione",
    ": ",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "|",
    "a | b\n--|--",
    "[^1]: Nota.",
    "[^n]:",
    "*[IOM]: Istituto",
    "*[",
    "[r]: https://example.org/r",
    "[x]:",
    "]:",
    "[TOC]",
    "\n[TOC]\n",
    "    codice",
    "\t",
    "1. uno\n2. due",
    "- a\n- b",
    '<div markdown="1">\n*x*\n</div>',
    "```\n# non titolo\n```",
    "{: #id .classe }",
    # inline elements three deep: the innermost text holds a placeholder of the pass and no pattern
    "***a _b_ [c *d*](e)***",
    "**a _b_ [c *d*](e)**",
    "[a ![b *c*](d)](e)",
    "_a *b [c](d)*_",
]


@PROPERTY
@given(st.lists(st.sampled_from(BLOCK_PIECES + PIECES), max_size=30), st.booleans())
@example(["## Titolo", "\n\n", "[TOC]", "\n\n", "### Sotto #"], False)
@example(["Termine\n: definizione", "\n\n", "> ", "[^1]: Nota."], True)
@example(["| a | b |\n|---|---|\n| 1 | 2 |", "\n\n", "\n***\n", "*[IOM]: Istituto", "\n", "IOM"], True)
@example(["l'IOM", " ", '"citazione"', " ", "--", " ", "..."], True)  # the inline passes' prefilter
@example(["'", "'80s", " ", "dell'istituto"], False)
@example(["***x***", "`", "\\'", "[", "[^1]", "]"], True)
def test_the_sped_up_conversion_equals_stock(pieces, with_references):
    text = "".join(pieces) + (TAIL if with_references else "")
    stock, fast = both(text)
    assert fast == stock


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200))
def test_the_sped_up_conversion_equals_stock_on_any_text(text):
    stock, fast = both(text)
    assert fast == stock


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_markdown_file_of_the_repository_converts_as_stock(lang):
    stock, fast = converters(lang)
    files = repository_markdown()
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        stock.reset()
        fast.reset()
        assert fast.convert(text) == stock.convert(text), path
        assert fast.toc_tokens == stock.toc_tokens, path


def test_the_site_converters_have_every_shortcut():
    converter = _converter("it")
    assert type(converter.treeprocessors["toc"]) is markdown_fast.HeadingsOnlyToc
    prechecked = {
        name
        for name in markdown_fast.block_needs(converter)
        if "Prechecked" in type(converter.parser.blockprocessors[name]).__name__
    }
    assert prechecked == {
        "hashheader",
        "setextheader",
        "hr",
        "quote",
        "deflist",
        "footnote",
        "abbr",
        "reference",
        "table",
    }


def test_a_text_holding_a_placeholder_of_the_inline_pass_is_never_left_as_it_is():
    """A link's text inside emphasis inside strong emphasis: when the pass reaches it, it holds
    no character a pattern needs, only the placeholder of the emphasis inside it."""
    stock, fast = both("***a _b_ [c *d*](e)***")
    assert fast == stock
    assert fast[0] == '<p><strong><em>a <em>b</em> <a href="e">c <em>d</em></a></em></strong></p>'


def test_the_characters_each_block_processor_needs_are_read_from_its_expression():
    """What the pinned Python-Markdown's expressions need (a new release that changes one changes
    these; the prechecks then follow the new expression, read at start-up)."""
    needs = markdown_fast.block_needs(FAST)
    assert needs["hashheader"] == (frozenset("#"),)
    assert needs["setextheader"] == (frozenset("\n"), frozenset("=-"))
    assert needs["quote"] == (frozenset(">"),)
    assert needs["deflist"][0] == frozenset(":")
    assert needs["footnote"] == (frozenset("["), frozenset("^"), frozenset("]"), frozenset(":"))
    assert needs["abbr"] == (frozenset("*"), frozenset("["), frozenset("]"), frozenset(":"))
    assert needs["reference"] == (frozenset("["), frozenset("]"), frozenset(":"))


RULE_AND_TABLE_PIECES = ["-", "_", "*", " ", "  ", "\n", "|", ":", "a", "1", "`", "\\", "=", "#"]


@PROPERTY
@given(st.lists(st.sampled_from(RULE_AND_TABLE_PIECES), min_size=1, max_size=40))
@example(list("---"))
@example(list("a|b\n-|-"))
@example(list("|a\n|-"))
def test_a_block_the_rule_or_table_processor_takes_holds_the_characters_they_are_said_to_need(pieces):
    """The two needs that are not read from an expression: a rule has "-", "_" or "*", a table "|"."""
    block = "".join(pieces)
    parent = etree.Element("div")
    for name, (need,) in [("hr", (frozenset("-_*"),)), ("table", (frozenset("|"),))]:
        processor = STOCK.parser.blockprocessors[name]
        if processor.test(parent, block):
            assert any(character in block for character in need), (name, block)


def test_a_page_with_a_toc_marker_gets_the_contents_laid_out_as_stock_does():
    text = "## Uno\n\n[TOC]\n\n### Due\n\nTesto.\n"
    stock, fast = both(text)
    assert fast == stock
    assert '<div class="toc">' in fast[0]
    assert FAST.toc == STOCK.toc


def test_without_a_marker_the_contents_are_not_laid_out_and_the_headings_are_the_same():
    text = "## Uno\n\nTesto [TOC] nel mezzo.\n\n### Due &amp; tre\n"
    stock, fast = both(text)
    assert fast == stock  # (the marker inside a paragraph's text is not replaced, by either)
    text = "## Uno\n\nTesto.\n\n### Due &amp; tre\n"
    stock, fast = both(text)
    assert fast == stock and fast[1]
    assert FAST.toc == "<div></div>"  # not laid out: nothing reads it
    assert type(FAST.treeprocessors["toc"]).__mro__[1] is TocTreeprocessor


def test_the_shortcuts_go_where_the_site_makes_its_converters(tmp_path: Path):
    """convert() (the parse of every page) uses them: its HTML is the stock converter's, sanitised."""
    from sitegen.markdown_render import convert
    from sitegen.sanitize import sanitise

    text = "# Titolo\n\n> citazione\n\nTermine\n: definizione\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    STOCK.reset()
    assert convert(text, "it").html == sanitise(STOCK.convert(text))[0]
