"""Markdown → HTML with the extensions an editor expects, and link resolution after it.

Conversion depends only on the Markdown text and :data:`MARKDOWN_SETTINGS`, so its
result can be cached by content hash.  Links are resolved afterwards by
:func:`resolve_references`, which needs to know the site's pages and files.
"""

from __future__ import annotations

import html
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from types import ModuleType
from typing import Any, NamedTuple

import markdown
import nh3
from markdown.extensions import Extension

from .markdown_fast import speed_up
from .sanitize import ALLOWED_TAGS, SIMPLE_ATTRIBUTE, SIMPLE_TAG, Removal, sanitise
from .urls import heading_id

# "extra" spelled out, so that each extension takes its own settings.
EXTENSIONS = [
    "abbr",
    "attr_list",
    "def_list",
    "fenced_code",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "smarty",
    "sane_lists",
]
# The footnote back-link's tooltip is the only text Python-Markdown writes itself.
BACKLINK_TITLES = {"it": "Torna al richiamo %d nel testo", "en": "Back to reference %d in the text"}


def extension_configs(lang: str) -> dict[str, dict[str, Any]]:
    return {
        "toc": {"slugify": heading_id, "toc_depth": "2-3"},
        "smarty": {"smart_angled_quotes": True},
        "footnotes": {"BACKLINK_TITLE": BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])},
    }


# The ids the templates give their own elements (the skip link's target, the search boxes,
# headings of the layouts): an id from content that equals one of them would be a duplicate
# (invalid HTML; the skip link or the search box would reach the wrong element).  A test
# reads templates/ and fails when a template gains an id that is not listed here.
LAYOUT_IDS = frozenset(
    {
        "main",
        "print-date",
        "site-search-q",
        "search-q",
        "search-nojs",
        "search-status",
        "search-results",
        "search-none",
        "search-filters",
        "search-kind",
        "search-tag",
        "search-sort",
        "latest-news",
        "segnalazioni",
        "titolare",
        "toc-title",
    }
)


def _version(module: object, name: str) -> str:
    """The installed version of ``module``: its ``__version__`` (the string its package
    metadata gives), read without importing :mod:`importlib.metadata` and scanning every
    installed package's metadata at each start-up (about 5 ms of a one-edit rebuild)."""
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    import importlib.metadata

    return importlib.metadata.version(name)


# Part of every cache key: a change here must invalidate converted Markdown.
MARKDOWN_SETTINGS = json.dumps(
    {
        "extensions": EXTENSIONS,
        "configs": {"toc": "heading_id/2-3", "smarty": "angled"},
        "backlinks": BACKLINK_TITLES,
        "markdown": _version(markdown, "markdown"),
        "nh3": _version(nh3, "nh3"),
        "layout_ids": sorted(LAYOUT_IDS),
    },
    sort_keys=True,
)

_converters: dict[str, markdown.Markdown] = {}


@dataclass(frozen=True)
class Converted:
    """The sanitised HTML of a Markdown body, its table of contents (level-2/3 headings),
    and the raw HTML the sanitiser removed (for the editor's warnings)."""

    html: str
    toc: tuple[tuple[int, str, str], ...]  # (level, id, text)
    removed: tuple[Removal, ...] = ()


def convert(text: str, lang: str) -> Converted:
    """Convert one Markdown body of a page in ``lang``.

    Reuses one converter per language and process (``reset`` between uses): building a
    converter costs more than converting a short page.  Its inline passes skip the
    patterns that cannot match (:mod:`sitegen.inline_prefilter`: same output, 2.5x faster).
    """
    converter = _converter(lang)
    converter.reset()
    body, removed = sanitise(converter.convert(text))
    body, toc = rename_layout_ids(body, tuple(_flatten_toc(getattr(converter, "toc_tokens", []))))
    return Converted(body, toc, removed)


def prepare(languages: Iterable[str]) -> None:
    """Make the converters of ``languages`` now, before workers are forked: each worker then
    inherits them instead of making its own (importing the extensions included), which was
    most of the time a worker took for the one document an edit changed (``serve`` keeps them
    from one rebuild to the next)."""
    for lang in languages:
        _converter(lang)


def discard_converters() -> None:
    """Forget this process's converters: one interrupted mid-conversion (a time limit in this
    process, see :mod:`sitegen.alarm`) may hold a half-done parser state; new ones are made."""
    _converters.clear()


def _converter(lang: str) -> markdown.Markdown:
    """This process's converter for pages in ``lang`` (made at its first use)."""
    converter = _converters.get(lang)
    if converter is None:
        converter = _converters[lang] = markdown.Markdown(extensions=_extensions(lang), output_format="html")
        speed_up(converter)
    return converter


def _extensions(lang: str) -> list[Extension]:
    """:data:`EXTENSIONS` as objects, made as Python-Markdown makes them from their names,
    without its look-up of every installed package's entry points (a tenth of a one-edit rebuild)."""
    configs = extension_configs(lang)
    return [_extension_module(name).makeExtension(**configs.get(name, {})) for name in EXTENSIONS]


def _extension_module(name: str) -> ModuleType:
    """``markdown.extensions.<name>``, imported without Pygments.

    fenced_code imports codehilite, which imports Pygments when it is installed (the tests'
    dependencies install it) to colour code blocks when the codehilite extension is on; it
    is not, and fenced code comes out the same without Pygments (a test compares).  Its
    import was about 2.5 ms of a one-edit rebuild, so it is hidden while an extension is
    imported (a None entry in sys.modules makes an import fail), unless already imported."""
    module = f"markdown.extensions.{name}"
    if module in sys.modules or "pygments" in sys.modules:
        return importlib.import_module(module)
    sys.modules["pygments"] = None  # type: ignore[assignment]  # "not installed", for this import only
    try:
        return importlib.import_module(module)
    finally:
        del sys.modules["pygments"]


def _flatten_toc(tokens: list[dict[str, Any]]) -> Iterator[tuple[int, str, str]]:
    for token in tokens:
        yield token["level"], token["id"], html.unescape(re.sub(r"<[^>]+>", "", token["name"]))
        yield from _flatten_toc(token.get("children", []))


# --- references ---------------------------------------------------------------------

REFERENCE_ATTRIBUTES = ("href", "src")


class Reference(NamedTuple):
    """A link or image in a page body, as written by the editor (a tuple: every build makes
    one per link of every body, replayed from the cache)."""

    attr: str  # "href" or "src"
    url: str


class _StartTag(NamedTuple):
    """A start tag of interest: where it is in the HTML, and what it says."""

    start: int  # offset of its "<"
    end: int  # offset just past its ">"
    tag: str
    attrs: list[tuple[str, str | None]]


class _StartTags(HTMLParser):
    """The start tags that hold one of ``attributes``, read by :mod:`html.parser`.

    A parse, not a pattern: ``href="`` written in a code sample is text (``&lt;a href=...``
    once sanitised) and is never taken for a link, and a code span holding ``href="/x?`` can
    no longer swallow the next real link's tag.
    """

    def __init__(self, body_html: str, attributes: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[_StartTag] = []
        self._attributes = attributes
        self._line_starts = _line_starts(body_html)
        self.feed(body_html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(name in self._attributes for name, _value in attrs):
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            text = self.get_starttag_text() or ""
            self.tags.append(_StartTag(start, start + len(text), tag, attrs))

    handle_startendtag = handle_starttag


def _start_tags(body_html: str, attributes: tuple[str, ...]) -> list[_StartTag]:
    """The start tags of ``body_html`` that hold one of ``attributes``, in order.

    Read with :func:`_simple_start_tags` when the HTML is in the sanitiser's simple shape
    (always so for a converted body), else with :class:`_StartTags`.  html.parser costs a
    tenth of a millisecond per tag, and every build resolves the links of every body.
    """
    simple = _simple_start_tags(body_html, attributes)
    return simple if simple is not None else _StartTags(body_html, attributes).tags


# A "<" that does not open a tag of SIMPLE_TAG's shape, or that opens a start tag whose name
# is not an allowed one (maybe a raw-text element, whose content html.parser does not read as
# tags).  One search instead of reading each of a body's two hundred tags: a tag holds no
# other "<", so a name is followed by white space, "/" or ">" (never by more of a longer name).
_NOT_SIMPLE = re.compile(
    "<(?!"
    + SIMPLE_TAG.pattern.removeprefix("<")
    + ")|<(?!/|(?:"
    + "|".join(map(re.escape, sorted(ALLOWED_TAGS)))
    + r")[ \t\n\r\f/>])"
)


def _simple_start_tags(body_html: str, attributes: tuple[str, ...]) -> list[_StartTag] | None:
    """What :class:`_StartTags` reads, or ``None`` when the HTML is not that simple.

    Simple as :func:`sitegen.sanitize._simple_tags` defines it (every ``<`` opens a tag of
    :data:`~sitegen.sanitize.SIMPLE_TAG`'s shape, every start tag an allowed one), for which
    html.parser reads each tag as the expressions do: same name, same attributes, values
    unescaped, ``None`` for an attribute written without a value.
    """
    if _NOT_SIMPLE.search(body_html) is not None:
        return None
    tags: list[_StartTag] = []
    for start in _starts_holding(body_html, attributes):
        match = SIMPLE_TAG.match(body_html, start)
        assert match is not None  # every "<" opens such a tag (counted above)
        name, written = match.group(1), match.group(2)
        if not name or not any(wanted in written for wanted in attributes):
            continue  # an end tag, or a name only in an attribute's value
        attrs = [
            (attr.group(1), None if attr.group(2) is None else _unescaped(attr.group(2)))
            for attr in SIMPLE_ATTRIBUTE.finditer(written)
        ]
        if any(attr_name in attributes for attr_name, _value in attrs):
            tags.append(_StartTag(match.start(), match.end(), name, attrs))
    return tags


def _starts_holding(body_html: str, words: tuple[str, ...]) -> list[int]:
    """The offsets of the tags, in order, whose text holds one of ``words``, in simple HTML
    (every ``<`` opens a tag, and none holds another ``<`` or a ``>`` before its end).

    Found from the words rather than by reading every tag: a body has some two hundred tags
    (``<p>``, ``<em>``, ``<li>``...) and a dozen links, and every build reads every body.
    """
    starts: set[int] = set()
    for word in words:
        at = body_html.find(word)
        while at >= 0:
            start = body_html.rfind("<", 0, at)
            if start >= 0 and body_html.find(">", start) > at:  # inside that tag, not in the text after it
                starts.add(start)
            at = body_html.find(word, at + 1)
    return sorted(starts)


def _unescaped(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def _line_starts(text: str) -> list[int]:
    """Offset of each line's first character (html.parser gives positions as line and column)."""
    starts = [0]
    found = text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts


def resolve_references(body_html: str, resolve: Callable[[Reference], str | None]) -> str:
    """Rewrite each element's ``href``/``src`` through ``resolve`` (``None`` keeps it as written).

    Only the start tags holding a reference are written again (in the sanitiser's own
    serialisation, so that an unchanged tag keeps its bytes); the rest of the HTML is
    copied as it is.
    """
    if "href" not in body_html and "src" not in body_html:
        return body_html

    def new_value(name: str, value: str) -> str | None:
        return resolve(Reference(name, value)) if name in REFERENCE_ATTRIBUTES else None

    return _rewrite_tags(body_html, REFERENCE_ATTRIBUTES, new_value)


def _rewrite_tags(body_html: str, attributes: tuple[str, ...], new_value: Callable[[str, str], str | None]) -> str:
    """``body_html`` with the start tags holding one of ``attributes`` written again, each
    attribute value through ``new_value(name, value)`` (``None``: unchanged)."""
    parts: list[str] = []
    done = 0
    for tag in _start_tags(body_html, attributes):
        written = []
        for name, value in tag.attrs:
            new = new_value(name, value or "")
            shown = _attribute_value(value or "") if new is None else html.escape(new, quote=True)
            written.append(f' {name}="{shown}"')
        parts += [body_html[done : tag.start], f"<{tag.tag}{''.join(written)}>"]
        done = tag.end
    parts.append(body_html[done:])
    return "".join(parts)


# --- ids: the layout's are reserved ---------------------------------------------------


def rename_layout_ids(
    body_html: str, toc: tuple[tuple[int, str, str], ...]
) -> tuple[str, tuple[tuple[int, str, str], ...]]:
    """Content ids that equal a layout id get a suffix (``main`` → ``main-1``), in the HTML and the TOC.

    Headings (``## Main``), ``{: #site-search-q }`` and raw HTML all end up here, after the
    sanitiser, so no way of writing an id escapes the rule.
    """
    if not any(f'id="{name}"' in body_html for name in LAYOUT_IDS):  # the usual case: no parse
        return body_html, toc
    taken = {value for tag in _start_tags(body_html, ("id",)) for name, value in tag.attrs if name == "id" and value}
    renamed: dict[str, str] = {}
    for old in sorted(taken & LAYOUT_IDS):
        number = 1
        while f"{old}-{number}" in taken or f"{old}-{number}" in LAYOUT_IDS:
            number += 1
        renamed[old] = f"{old}-{number}"
        taken.add(renamed[old])

    def new_value(name: str, value: str) -> str | None:
        if name == "id":
            return renamed.get(value)
        if name == "href" and value.startswith("#") and value[1:] in renamed:  # the body's own links follow
            return "#" + renamed[value[1:]]
        return None

    body_html = _rewrite_tags(body_html, ("id", "href"), new_value)
    return body_html, tuple((level, renamed.get(anchor, anchor), text) for level, anchor, text in toc)


def _attribute_value(value: str) -> str:
    """An attribute value escaped as nh3 writes it: ``&``, no-break space, ``"``, ``<`` and ``>``."""
    return (
        value.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def source_line(body: str, body_line: int, needle: str) -> int:
    """File line on which ``needle`` first appears in a Markdown body (the body's first line if not found)."""
    index = body.find(needle)
    if index < 0:
        return body_line
    return body_line + body.count("\n", 0, index)
