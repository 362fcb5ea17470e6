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
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import markdown
import nh3

from .inline_prefilter import prefilter
from .sanitize import Removal, sanitise
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


def extension_configs(lang: str) -> dict:
    return {
        "toc": {"slugify": heading_id, "toc_depth": "2-3"},
        "smarty": {"smart_angled_quotes": True},
        "footnotes": {"BACKLINK_TITLE": BACKLINK_TITLES.get(lang, BACKLINK_TITLES["en"])},
    }


# Part of every cache key: a change here must invalidate converted Markdown.
MARKDOWN_SETTINGS = json.dumps(
    {
        "extensions": EXTENSIONS,
        "configs": {"toc": "heading_id/2-3", "smarty": "angled"},
        "backlinks": BACKLINK_TITLES,
        "markdown": markdown.__version__,
        "nh3": nh3.__version__,
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
    converter = _converters.get(lang)
    if converter is None:
        converter = _converters[lang] = markdown.Markdown(extensions=_extensions(lang), output_format="html")
        prefilter(converter)
    converter.reset()
    body, removed = sanitise(converter.convert(text))
    toc = tuple(_flatten_toc(getattr(converter, "toc_tokens", [])))
    return Converted(body, toc, removed)


def _extensions(lang: str) -> list:
    """:data:`EXTENSIONS` as objects, made as Python-Markdown makes them from their names,
    without its look-up of every installed package's entry points (a tenth of a one-edit rebuild)."""
    configs = extension_configs(lang)
    return [
        importlib.import_module(f"markdown.extensions.{name}").makeExtension(**configs.get(name, {}))
        for name in EXTENSIONS
    ]


def _flatten_toc(tokens):
    for token in tokens:
        yield token["level"], token["id"], html.unescape(re.sub(r"<[^>]+>", "", token["name"]))
        yield from _flatten_toc(token.get("children", []))


# --- references ---------------------------------------------------------------------

_REF_ATTR = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')


class Reference(NamedTuple):
    """A link or image in a page body, as written by the editor (a tuple: every build makes
    one per link of every body, replayed from the cache)."""

    attr: str  # "href" or "src"
    url: str


def find_references(body_html: str) -> list[Reference]:
    """Every ``href``/``src`` in converted HTML, in document order."""
    return [Reference(m.group("attr"), html.unescape(m.group("url"))) for m in _REF_ATTR.finditer(body_html)]


def resolve_references(body_html: str, resolve: Callable[[Reference], str | None]) -> str:
    """Rewrite each ``href``/``src`` through ``resolve`` (``None`` keeps it as written)."""

    def replace(match: re.Match) -> str:
        ref = Reference(match.group("attr"), html.unescape(match.group("url")))
        new = resolve(ref)
        if new is None:
            return match.group(0)
        return f'{ref.attr}="{html.escape(new, quote=True)}"'

    return _REF_ATTR.sub(replace, body_html)


def source_line(body: str, body_line: int, needle: str) -> int:
    """File line on which ``needle`` first appears in a Markdown body (the body's first line if not found)."""
    index = body.find(needle)
    if index < 0:
        return body_line
    return body_line + body.count("\n", 0, index)
