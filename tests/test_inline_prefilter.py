"""The prefiltered inline passes write exactly what stock Python-Markdown writes.

``sitegen.inline_prefilter`` leaves out the inline patterns whose required characters a
text lacks.  These tests check that both inline passes get the shortcut and the character
sets it reads from regular expressions on hand-made cases; the comparison with a stock
converter, on generated Markdown full of the characters the patterns look for and on every
Markdown file of the repository, is tests/test_markdown_fast.py's (the site's converter has
this shortcut and the others).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.inline_prefilter import PrefilteredInlineProcessor, prefilter, required_characters
from sitegen.markdown_render import _extensions

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("SITEGEN_FUZZ_EXAMPLES", "200")) * 3
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_both_inline_passes_are_prefiltered():
    fast = markdown.Markdown(extensions=_extensions("it"), output_format="html")
    prefilter(fast)
    kinds = [type(processor) for processor in fast.treeprocessors]
    assert kinds.count(PrefilteredInlineProcessor) == 2  # the main pass and smarty's


# Pieces that trigger (or nearly trigger) every inline pattern: quotes in all positions,
# dashes, ellipses, angled quotes, emphasis, code, escapes, links, images, references,
# footnotes, abbreviations, autolinks, raw HTML, entities, hard line breaks.
PIECES = [
    "'",
    '"',
    "'80s",
    "l'IOM",
    "dell'istituto",
    '"citazione"',
    "'singola'",
    "--",
    "---",
    "----",
    "...",
    "....",
    "<<",
    ">>",
    "*",
    "**",
    "_",
    "__",
    "***x***",
    "`",
    "``",
    "`code`",
    "\\",
    "\\*",
    "\\'",
    "[",
    "]",
    "(",
    ")",
    "[link](https://example.org/a?b=1&c=2)",
    "![img](a.png)",
    "[ref][r]",
    "[r]",
    "![ref][r]",
    "[^1]",
    "[^note]",
    "IOM",
    "ILSH",
    "<https://example.org>",
    "<mail@example.org>",
    "<span>x</span>",
    "<b>",
    "&amp;",
    "&rsquo;",
    "&",
    "&nbsp;",
    "&#8211;",
    "  \n",
    "\n",
    "\n\n",
    " ",
    "parola",
    "1999",
    "s ",
    "–",
    "—",
    "{: .c }",
    "#",
    "- ",
    "1. ",
    "> ",
    "| a | b |",
    "\x02",
    ":",
]
TAIL = (
    "\n\n[r]: https://example.org/r\n*[IOM]: Istituto Oncologico del Mediterraneo\n"
    "*[ILSH]: Innovation Life Sciences Hubs\n[^1]: Nota.\n[^note]: Altra nota.\n"
)


# The property tests (generated Markdown full of these pieces, and any text) compare the
# converter the site uses, with this shortcut and the others, against a stock one:
# tests/test_markdown_fast.py.


def repository_markdown() -> list[Path]:
    return sorted(
        path for pattern in ("content/**/*.md", "docs/**/*.md", "tests/**/*.md", "*.md") for path in REPO.glob(pattern)
    )


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"&(?:\#[0-9]+|[a-z]+);", [{"&"}, {";"}]),
        (r"(?<!\w)'(?=\d{2}s)", [{"'"}]),  # lookarounds are not part of the match
        (r"(\s|&nbsp;|--)'(?=\w)", [{"'"}]),  # \s in a branch: the branch requires nothing
        (r"(?:a|bc)d", [{"a", "b"}, {"d"}]),
        (r"(?>ab|c)", [{"a", "c"}]),
        (r"x?y*z{0,3}", []),  # optional parts require nothing
        (r"x+", [{"x"}]),
        (r"[ab]c", [{"a", "b"}, {"c"}]),
        (r"[a-z]c", [{"c"}]),  # a range is not listed
        (r"[^a]", []),
        (r"(?i)ab", []),  # case-insensitive: a literal stands for two characters
        (r"(?i:a)b", [{"b"}]),
        (r"\\(.)", [{"\\"}]),
    ],
)
def test_required_characters(pattern, expected):
    assert [set(need) for need in required_characters(re.compile(pattern))] == expected


@PROPERTY
@given(st.from_regex(re.compile(r"(?:&(?:\#[0-9]+|[a-z]+);|(?:a|bc)d|x?y*z{0,3}|[ab]c|\\.)"), fullmatch=True))
def test_every_match_contains_the_required_characters(text):
    for pattern in (r"&(?:\#[0-9]+|[a-z]+);", r"(?:a|bc)d", r"x?y*z{0,3}", r"[ab]c", r"\\(.)"):
        compiled = re.compile(pattern)
        for match in compiled.finditer(text):
            for need in required_characters(compiled):
                assert need & set(match.group(0)), (pattern, text)
