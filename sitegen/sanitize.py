"""Raw HTML in Markdown, cleaned to a safe allow-list with nh3 (Rust's ammonia).

Python-Markdown passes raw HTML through untouched, so a pasted ``<script>``, an
``onerror=`` attribute or a ``javascript:`` link would reach the page.  Every converted
body goes through :func:`sanitise`: what Python-Markdown itself produces (headings with
ids, tables, footnotes, abbreviations, definition lists, code, attr_list classes/ids/lang)
is kept; scripts, styles, event handlers, frames, forms, embedded objects and URLs with
other schemes than http(s)/mailto/tel are removed.

nh3 re-serialises the HTML (entities such as ``&rsquo;`` become the characters they name),
so "was something removed?" is answered by comparing the start tags and attributes of the
two versions, read with :mod:`html.parser`; comments are dropped silently (editors' notes
must not be published, and that is no loss).  Most bodies are plain Python-Markdown
output, whose tags a regular expression reads exactly as :mod:`html.parser` does: those
skip the parser (two of its passes cost as much as a tenth of a conversion).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import nh3

# (kind, tag[, attribute, value]): a start tag or one of its attributes, counted by removals().
Item = tuple[str, ...]

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
# Removed together with everything inside them (their text is code or a fallback, not prose).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "textarea", "select", "svg", "math"}
)
GENERIC_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title"})
TAG_ATTRIBUTES = {
    "a": {"href", "hreflang", "type"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
    "abbr": set(),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite"})
# Python-Markdown's tables write alignment as inline styles, which the site's CSP would
# block anyway: dropped without a warning, since the editor did not write them.
_TABLE_ALIGN = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")
_SHOWN_VALUE = 60
# html5ever's tree builder is quadratic in nesting depth (20 000 nested <div> take seconds,
# 100 000 take minutes): deeper HTML than any page needs is refused before nh3 sees it.
MAX_DEPTH = 1000
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>")


class TooDeep(ValueError):
    """The HTML nests deeper than :data:`MAX_DEPTH` elements."""


@dataclass(frozen=True)
class Removal:
    """One kind of thing the sanitiser took out: how to show it, and what to look for in the source."""

    what: str  # e.g. "<script>", 'onerror="alert(1)" (<img>)'
    needles: tuple[str, ...]  # text to find in the Markdown for the line number, best first


def sanitise(body_html: str) -> tuple[str, tuple[Removal, ...]]:
    """``body_html`` cleaned to the allow-list, and what was removed (empty when nothing was)."""
    # No deeper than its number of tags: only a fragment with more "<" than the limit is scanned
    # (a scan of every body was 3 % of a cold build's conversions).
    if body_html.count("<") > MAX_DEPTH and nesting_depth(body_html) > MAX_DEPTH:
        raise TooDeep(MAX_DEPTH)
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GENERIC_ATTRIBUTES)
    clean = nh3.clean(
        body_html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    if "<" not in body_html:
        return clean, ()
    return clean, removals(body_html, clean)


def removals(original: str, clean: str) -> tuple[Removal, ...]:
    """What ``original`` has and ``clean`` lacks: start tags, and attributes (name and value)."""
    before, after = _simple_tags(original), _simple_tags(clean)
    if before is None or after is None:
        return precise_removals(original, clean)
    if before == after:
        return ()
    return _described(_simple_inventory(before) - _simple_inventory(after))


def precise_removals(original: str, clean: str) -> tuple[Removal, ...]:
    """:func:`removals` with both versions read by :mod:`html.parser`, whatever their shape."""
    return _described(_inventory(original) - _inventory(clean))


def _described(missing: Counter[Item]) -> tuple[Removal, ...]:
    found: dict[str, Removal] = {}
    for item in sorted(missing, key=lambda i: _INVENTORY_ORDER.get(i[0], 9)):
        removal = _describe(item)
        if removal is not None:
            found.setdefault(removal.what, removal)
    return tuple(found.values())


_INVENTORY_ORDER = {"tag": 0, "attr": 1}


def _describe(item: Item) -> Removal | None:
    if item[0] == "tag":
        tag = item[1]
        return Removal(f"<{tag}>", (f"<{tag}",))
    _, tag, name, value = item
    if name == "style" and tag in ("th", "td") and _TABLE_ALIGN.match(value or ""):
        return None
    if tag in DROPPED_WITH_CONTENT or tag not in ALLOWED_TAGS:
        return None  # reported with its tag
    value = value or ""
    shown = value if len(value) <= _SHOWN_VALUE else value[: _SHOWN_VALUE - 1] + "…"
    needles = (value, f"{name}=", name) if name in URL_ATTRIBUTES and value else (f"{name}=", name)
    return Removal(f'{name}="{shown}" (<{tag}>)', tuple(n for n in needles if n))


def nesting_depth(fragment: str) -> int:
    """An upper bound of how deep elements nest (start tags minus end tags, void ones skipped)."""
    depth = deepest = 0
    for match in _TAG.finditer(fragment):
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID_TAGS or match.group(0).endswith("/>"):
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class _Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: Counter[Item] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items[("tag", tag)] += 1
        for name, value in attrs:
            self.items[("attr", tag, name, value or "")] += 1

    handle_startendtag = handle_starttag


def _inventory(fragment: str) -> Counter[Item]:
    parser = _Inventory()
    parser.feed(fragment)
    parser.close()
    return parser.items


# A start or end tag in the one shape Python-Markdown and nh3 write: lower-case names,
# attribute values in double quotes without < or >, ASCII white space.  html.parser reads
# such a tag as this expression does (same name, same attributes, values unescaped).
_SPACE = "[ \t\n\r\f]"
SIMPLE_TAG = re.compile(
    rf'<(?:/[a-z][a-z0-9]*{_SPACE}*|([a-z][a-z0-9]*)((?:{_SPACE}+[a-z][a-z0-9_.:-]*(?:="[^"<>]*")?)*){_SPACE}*/?)>'
)
SIMPLE_ATTRIBUTE = re.compile(rf'{_SPACE}+([a-z][a-z0-9_.:-]*)(?:="([^"<>]*)")?')


def _simple_tags(fragment: str) -> list[tuple[str, str]] | None:
    """The start tags of ``fragment`` as (name, attributes), or ``None`` when it is not that simple.

    Simple means: every ``<`` opens a tag of :data:`SIMPLE_TAG`'s shape (a tag holds no
    other ``<``, so counting them proves it: no comment, no stray ``<``), and every start
    tag is an allowed one (so none of the parser's raw-text elements such as ``<script>``,
    whose content it does not read as tags).  The property tests compare both readings.
    """
    tags = SIMPLE_TAG.findall(fragment)
    if len(tags) != fragment.count("<"):
        return None
    starts = [tag for tag in tags if tag[0]]
    if not ALLOWED_TAGS.issuperset([name for name, _ in starts]):
        return None
    return starts


def _simple_inventory(tags: list[tuple[str, str]]) -> Counter[Item]:
    """:func:`_inventory` of a fragment whose start tags :func:`_simple_tags` read."""
    items: Counter[Item] = Counter()
    for tag, attributes in tags:
        items[("tag", tag)] += 1
        if attributes:
            for name, value in SIMPLE_ATTRIBUTE.findall(attributes):
                items[("attr", tag, name, unescape(value) if "&" in value else value)] += 1
    return items
