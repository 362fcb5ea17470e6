"""Python-Markdown's block parser and table of contents, without the work that cannot change a page.

Both through Python-Markdown's public extension interface (processors are classes whose
``test``, ``run`` and ``build_toc_div`` methods an extension may override), on the
converters :mod:`sitegen.markdown_render` makes; the output is the stock converter's, byte
for byte (``tests/test_markdown_fast.py`` compares the two on generated Markdown and on every
Markdown file of the repository).

* **Block tests.**  The block parser asks every processor, in order, whether it takes the
  next block: fifteen questions for each paragraph of a page, most of them a regular
  expression searched over the whole block (a heading, a quotation, a definition...).  A
  processor whose expression cannot match without some character (``#`` for a heading,
  ``>`` for a quotation: read from the expression by
  :func:`sitegen.inline_prefilter.required_characters`) is not asked about a block that
  lacks it; the answer would have been no.  The footnote, abbreviation and reference
  processors always answer yes and look for their definition in ``run``, which gives the
  block back when there is none: they too are skipped for a block without their characters.
* **Table of contents.**  ``toc`` lays out every page's contents as HTML (``md.toc``) and
  looks through the whole page for a ``[TOC]`` marker to replace with it; the site reads
  only the headings (``md.toc_tokens``), and only a page whose text holds the marker can
  have one.  Elsewhere the layout is an empty ``<div>`` and the search is not made.

With the inline passes' shortcuts (:mod:`sitegen.inline_prefilter`), the 1 098 Markdown files of
the N=1000 corpus and the repository convert in 1.69 s, against 2.18 s with the inline prefilter
alone and 5.1 s for stock Python-Markdown (one process, this machine, session 8).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.toc import TocTreeprocessor

from .inline_prefilter import prefilter, required_characters

# The block processors (by their registry name) asked only when the block holds the characters
# their expression needs (the attribute that holds it); "hr" and "table" have none to read.
_BLOCK_EXPRESSIONS = {
    "hashheader": "RE",
    "setextheader": "RE",
    "quote": "RE",
    "deflist": "RE",
    "footnote": "RE",
    "abbr": "RE",
    "reference": "RE",
}
# A rule is three or more "-", "_" or "*" (its expression is a look-ahead with a back-reference,
# which required_characters does not read); a table's first two rows are split at "|".
_BLOCK_NEEDS = {"hr": (frozenset("-_*"),), "table": (frozenset("|"),)}


def speed_up(converter: markdown.Markdown) -> None:
    """Every shortcut that leaves ``converter``'s output as it is: the inline passes'
    (:func:`sitegen.inline_prefilter.prefilter`), the block tests' and the table of contents'."""
    prefilter(converter)
    speed_up_blocks(converter)
    speed_up_toc(converter)


_prechecked_classes: dict[type[BlockProcessor], type[BlockProcessor]] = {}


def speed_up_blocks(converter: markdown.Markdown) -> None:
    """Make ``converter``'s block processors skip the blocks they cannot take (see the module docstring)."""
    registry = converter.parser.blockprocessors
    for name, needs in block_needs(converter).items():
        processor = registry[name]
        processor.__class__ = _prechecked(type(processor))
        processor.needs = tuple("".join(sorted(need)) for need in needs)  # type: ignore[attr-defined]


def block_needs(converter: markdown.Markdown) -> dict[str, tuple[frozenset[str], ...]]:
    """For each processor that gets a precheck: the sets of characters a block must hold one of each of."""
    registry = converter.parser.blockprocessors
    found: dict[str, tuple[frozenset[str], ...]] = {}
    for name, attribute in _BLOCK_EXPRESSIONS.items():
        expression = getattr(registry[name], attribute, None) if name in registry else None
        needs = required_characters(expression) if expression is not None else ()
        if needs:
            found[name] = needs
    found.update((name, needs) for name, needs in _BLOCK_NEEDS.items() if name in registry)
    return found


def _prechecked(base: type[BlockProcessor]) -> type[BlockProcessor]:
    """``base`` with a ``test`` that says no at once to a block lacking one of its ``needs``."""
    made = _prechecked_classes.get(base)
    if made is None:

        def test(self: Any, parent: etree.Element, block: str) -> bool:
            for need in self.needs:  # (loops, not any(): this runs a dozen times for every block)
                for character in need:
                    if character in block:
                        break
                else:
                    return False
            return bool(base.test(self, parent, block))

        made = _prechecked_classes[base] = type(f"Prechecked{base.__name__}", (base,), {"test": test})
    return made


class HeadingsOnlyToc(TocTreeprocessor):
    """``toc`` that lays out the contents as HTML only for a page holding its marker (the site
    reads the headings from ``toc_tokens``; ``md.toc`` is an empty ``<div>`` elsewhere)."""

    _marked = True

    def run(self, doc: etree.Element) -> None:
        # The marker replaced is a whole text equal to it: a page with no text holding it has none.
        self._marked = bool(self.marker) and _holds(doc.iter(), self.marker)
        super().run(doc)

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        return super().build_toc_div(toc_list) if self._marked else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._marked:
            super().replace_marker(root, elem)


def _holds(elements: Iterable[etree.Element], marker: str) -> bool:
    return any(element.text and marker in element.text for element in elements)


def speed_up_toc(converter: markdown.Markdown) -> None:
    """Make ``converter``'s ``toc`` a :class:`HeadingsOnlyToc` (same settings, same headings)."""
    if "toc" in converter.treeprocessors:
        processor = converter.treeprocessors["toc"]
        if type(processor) is TocTreeprocessor:
            processor.__class__ = HeadingsOnlyToc
