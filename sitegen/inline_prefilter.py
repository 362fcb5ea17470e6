"""Python-Markdown's inline passes, without trying patterns that cannot match.

Python-Markdown tries every inline pattern on every run of text: the main pass has 15,
``smarty`` runs a second pass with 20 more, and each try is a regular-expression search
over the whole text plus a few Python calls.  On news prose almost none of them match
(no quote to educate, no backtick, no ``&``), yet those tries were two thirds of the time
spent converting a page.

Most patterns cannot match unless the text holds some character: ``&`` for an entity,
``'`` or ``"`` for smarty's quotes, ``[`` for a link.  :func:`required_characters` reads
those from each pattern's compiled expression, and :func:`prefilter` makes a converter's
inline passes skip a pattern when its text lacks one of them.  A skipped pattern is one
whose search would have found nothing, so the output is the same byte for byte (the
tests compare with stock converters on generated Markdown and on every fixture).
"""

from __future__ import annotations

import bisect
import importlib
import inspect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, cast

import markdown
from markdown import inlinepatterns, util
from markdown.treeprocessors import InlineProcessor

# The private loop this module replaces, as Python-Markdown 3.11 writes it (pyproject.toml
# pins that minor version).  Checked at import: any other shape, and the stock loop runs.
_HANDLE_NAME = "_InlineProcessor__handleInline"
_APPLY_NAME = "_InlineProcessor__applyPattern"
_PLACE_NAME = "_InlineProcessor__processPlaceholders"
_ANCESTORS_NAME = "_InlineProcessor__build_ancestors"
_EXPECTED_PARAMETERS = {
    _HANDLE_NAME: ("self", "data", "patternIndex"),
    _APPLY_NAME: ("self", "pattern", "data", "patternIndex", "startIndex"),
    _PLACE_NAME: ("self", "data", "parent", "isText"),
    _ANCESTORS_NAME: ("self", "parent", "parents"),
    "run": ("self", "tree", "ancestors"),
}


def _regex_internals() -> tuple[ModuleType, ModuleType] | None:
    """Python's private regular-expression parser and its constants, or ``None`` where they moved."""
    try:
        return importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:
        return None


def stock_loop_matches() -> bool:
    """Whether :class:`InlineProcessor`'s private loop has the names and parameters the fast path overrides."""
    for name, expected in _EXPECTED_PARAMETERS.items():
        method = getattr(InlineProcessor, name, None)
        try:
            parameters = tuple(inspect.signature(method).parameters) if callable(method) else ()
        except (TypeError, ValueError):
            return False
        if parameters != expected:
            return False
    return True


# What this pass's placeholders start with: a text holding one is never left as it is.
_PLACEHOLDER = util.INLINE_PLACEHOLDER_PREFIX
_SRE = _regex_internals()
# Whether :func:`prefilter` does anything: both private pieces are what it was written for.
FAST_PATH = _SRE is not None and stock_loop_matches()
_STOCK_APPLY: Callable[..., tuple[str, bool, int]] | None = getattr(InlineProcessor, _APPLY_NAME, None)

if _SRE is not None:
    sre_parser, sre_constants = _SRE
    _REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
    _ATOMIC_GROUP = getattr(sre_constants, "ATOMIC_GROUP", object())
# Sets this large are searched for no gain (and a range might be huge).
_MAX_SET = 8


def required_characters(compiled: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """Sets of characters such that every match of ``compiled`` contains one of each set.

    Empty when nothing is known (the pattern must always be tried).
    """
    if compiled.flags & re.IGNORECASE or _SRE is None:
        return ()
    try:
        parsed = sre_parser.parse(compiled.pattern, compiled.flags)
    except Exception:  # noqa: BLE001 - an expression this reading does not know: no shortcut
        return ()
    return tuple(_sequence(list(parsed)))


def _sequence(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every item of a sequence is matched, so each one's requirement holds for the whole."""
    found = []
    for op, value in items:
        need = _item(op, value)
        if need is not None:
            found.append(need)
    return found


def _item(op: Any, value: Any) -> frozenset[str] | None:
    """One character set that any match of this item contains, or ``None`` when there is none."""
    if op is sre_constants.LITERAL:
        return frozenset(chr(value))
    if op is sre_constants.IN:
        chars: set[str] = set()
        for kind, member in value:
            if kind is not sre_constants.LITERAL:
                return None  # a negation, a range or a category: too wide to be worth it
            chars.add(chr(member))
        return frozenset(chars) if chars and len(chars) <= _MAX_SET else None
    if op is sre_constants.SUBPATTERN:  # (group, add_flags, del_flags, pattern)
        if value[1] or value[2]:
            return None  # scoped flags (e.g. (?i:...)) change what a literal matches
        return _narrowest(_sequence(list(value[3])))
    if op is _ATOMIC_GROUP:  # (?>...): the pattern itself
        return _narrowest(_sequence(list(value)))
    if op in _REPEATS:
        low, _high, body = value
        return _narrowest(_sequence(list(body))) if low >= 1 else None
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for alternative in value[1]:
            need = _narrowest(_sequence(list(alternative)))
            if need is None:
                return None
            union |= need
        return frozenset(union) if len(union) <= _MAX_SET else None
    return None  # lookarounds, anchors, any character, categories, back-references


def _narrowest(needs: list[frozenset[str]]) -> frozenset[str] | None:
    return min(needs, key=len) if needs else None


class PrefilteredInlineProcessor(InlineProcessor):
    """:class:`InlineProcessor` that only tries the patterns whose required characters are present.

    Overrides the private loop that walks the patterns (unchanged since Python-Markdown
    3.0; its shape is checked at import, see :data:`FAST_PATH`).  The loop tried each
    pattern in turn, stayed on a pattern while it matched and moved on when its search
    found nothing; here the patterns whose search cannot find anything are left out of
    the walk, and the list is worked out again after each match (a match changes the text).
    """

    _patterns: tuple[inlinepatterns.Pattern, ...] = ()
    _needs: tuple[tuple[frozenset[str], ...], ...] = ()
    _triggers: tuple[str, ...] = ()
    _walks: dict[frozenset[str], tuple[int, ...]]
    _last_text: str | None = None
    _last_walk: tuple[int, ...] = ()

    def _prepare(self, patterns: tuple[inlinepatterns.Pattern, ...]) -> None:
        """Read each pattern's required characters (once per converter)."""
        self._patterns = patterns
        self._needs = tuple(required_characters(pattern.compiled_re) for pattern in patterns)
        self._triggers = tuple(sorted({char for sets in self._needs for need in sets for char in need}))
        self._walks = {}

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 (its name)
        if isinstance(data, util.AtomicString) or _STOCK_APPLY is None:
            return data
        startIndex = 0
        walk = self._walk(data)
        position = bisect.bisect_left(walk, patternIndex)
        while position < len(walk):
            index = walk[position]
            data, matched, startIndex = _STOCK_APPLY(self, self._patterns[index], data, index, startIndex)
            if matched:  # try the same pattern again, further on, if it still can match
                walk = self._walk(data)
                position = bisect.bisect_left(walk, index)
                if position < len(walk) and walk[position] != index:
                    startIndex = 0  # as a failed try of this pattern would have left it
            else:
                position += 1
        return data

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """:meth:`InlineProcessor.run` as Python-Markdown 3.11 writes it (BSD licence), except
        that a text or tail in which no pattern can match (:meth:`_walk`) and no placeholder
        of this pass stands is left where it is.  The stock loop takes such a text out, tries
        no pattern on it, finds no placeholder in it and puts the same string back: most of
        smarty's pass over news prose, which rarely holds a straight quote or a dash."""
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = parent_map = {c: p for p in tree.iter() for c in p}
        stack = [(tree, tree_parents)]
        getattr(self, _ANCESTORS_NAME)(tree, tree_parents)
        handle, place, walk = getattr(self, _HANDLE_NAME), getattr(self, _PLACE_NAME), self._walk
        while stack:
            current, parents = stack.pop(0)
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            inserts = []
            for child in current:
                text = child.text
                if text and not isinstance(text, util.AtomicString) and (_PLACEHOLDER in text or walk(text)):
                    self.ancestors.append(child.tag.lower())
                    child.text = None
                    found = place(handle(text), child)
                    for item in found:
                        parent_map[item[0]] = child
                    stack += found
                    inserts.append((child, found))
                    self.ancestors.pop()
                tail = child.tail
                if tail and (_PLACEHOLDER in tail or walk(tail)):
                    tail = handle(tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    tail_result = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    position = list(current).index(child) + 1
                    tail_result.reverse()
                    for new_child in tail_result:
                        parent_map[new_child[0]] = current
                        current.insert(position, new_child[0])
                if len(child):
                    parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in inserts:
                for index, item in enumerate(found):
                    element.insert(index, item[0])
        return tree

    def _walk(self, data: str) -> tuple[int, ...]:
        """The indexes of the patterns that could match somewhere in ``data``.

        The last text's answer is kept: :meth:`run` asks about a text, then the loop it hands
        the text to asks again about the same string object."""
        if data is self._last_text:
            return self._last_walk
        present = frozenset([char for char in self._triggers if char in data])
        walk = self._walks.get(present)
        if walk is None:
            walk = self._walks[present] = tuple(
                index for index, needs in enumerate(self._needs) if all(not need.isdisjoint(present) for need in needs)
            )
        self._last_text, self._last_walk = data, walk
        return walk


def prefilter(converter: markdown.Markdown) -> None:
    """Make ``converter``'s inline passes (the main one, smarty's) skip hopeless patterns.

    Called once, after the extensions registered their patterns.  Does nothing unless
    :data:`FAST_PATH`: with another Python-Markdown or Python the stock loop runs, which
    writes the same output, only slower.
    """
    if not FAST_PATH:
        return
    for processor in converter.treeprocessors:
        if type(processor) is InlineProcessor:
            # The stubs type the registry's items as the tree processor; they are inline patterns.
            patterns = tuple(cast(Iterable[inlinepatterns.Pattern], processor.inlinePatterns))
            processor.__class__ = PrefilteredInlineProcessor
            cast(PrefilteredInlineProcessor, processor)._prepare(patterns)
