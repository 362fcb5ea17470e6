"""The search ground truth: which pages of a built site hold a word, computed from the pages.

A page's *indexed text* is what Pagefind reads of it: the content of its
``data-pagefind-body`` elements, without the elements Pagefind drops (``nav``, ``form``,
``script``…), those marked ``data-pagefind-ignore``, and those in another language than
the page's ``<html lang>`` (``sitegen/search_text.py`` leaves them out of the index).  Its
*words* are, for each whitespace-separated token, its letters and digits run together
("dell’UPMC" → ``dellupmc``, the elided form) and, when punctuation splits it, each part of
two characters or more (``dell``, ``upmc``).  A word matches a page when its stem is the
stem of one of the page's words: lower case, diacritics folded, then the Snowball stemmer
of the page's language — what Pagefind does on both sides (``snowballstemmer`` is the
same Snowball algorithms as Pagefind's Rust stemmers).
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import snowballstemmer

STEMMERS = {"it": "italian", "en": "english"}
# Pagefind 1.5.2, pagefind/src/fossick/parser.rs: elements it never indexes, and the inline
# ones (no word boundary around them; every other element is one).
REMOVED = {"head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe", "template"}
INLINE = {
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "code", "dfn", "em", "i", "img", "input",
    "kbd", "label", "map", "object", "output", "q", "samp", "script", "select", "small", "span", "strong",
    "sub", "sup", "textarea", "time", "tt", "var",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RUN = re.compile(r"[^\W_]+")
_ELIDED = re.compile(r"[^\W\d_]+[’'][^\W_]+")


class _IndexedText(HTMLParser):
    """Collects a page's language and indexed text (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.has_body = False
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, inside the body, left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = (attributes.get("lang") or "").split("-")[0]
            return
        in_body, out = self._stack[-1][1:] if self._stack else (False, False)
        if "data-pagefind-body" in attributes:
            in_body, self.has_body = True, True
        lang = attributes.get("lang")
        out = out or tag in REMOVED or "data-pagefind-ignore" in attributes
        out = out or (lang is not None and lang.split("-")[0] != self.lang)
        if tag not in INLINE:
            self.parts.append(" ")
        if tag not in VOID:
            self._stack.append((tag, in_body, out))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][1] and not self._stack[-1][2]:
            self.parts.append(data)


def indexed_text(html: str) -> tuple[str, str | None]:
    """The page's language and its indexed text (``None``: Pagefind does not index the page)."""
    parser = _IndexedText()
    parser.feed(html)
    return parser.lang, "".join(parser.parts) if parser.has_body else None


def words(text: str) -> set[str]:
    """The words of ``text`` (see the module docstring), lower case."""
    found = set()
    for token in text.split():
        runs = _RUN.findall(token.lower())
        if runs:
            found.add("".join(runs))
        if len(runs) > 1:
            found.update(run for run in runs if len(run) > 1)
    return found


def elided_forms(text: str) -> set[str]:
    """The elided forms written in ``text`` ("dell’UPMC", "l'Istituto"), as written."""
    return set(_ELIDED.findall(text))


@cache
def stem(word: str, lang: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    return str(snowballstemmer.stemmer(STEMMERS[lang]).stemWord(folded))


class SiteText:
    """The indexed words of every indexed page of a built site, by language and URL."""

    def __init__(self, root: Path) -> None:
        self.pages: dict[str, dict[str, str]] = {lang: {} for lang in STEMMERS}
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("pagefind/"):
                continue
            lang, text = indexed_text(path.read_text(encoding="utf-8"))
            if text is None or lang not in self.pages:
                continue
            url = "/" + rel.removesuffix("index.html")
            self.pages[lang][url] = text
        self._stems = {
            lang: {url: {stem(w, lang) for w in words(text)} for url, text in pages.items()}
            for lang, pages in self.pages.items()
        }

    def expected(self, query: str, lang: str) -> set[str]:
        """The URLs of the pages of ``lang`` holding every word of ``query`` (or one of its stem)."""
        wanted = [{stem("".join(_RUN.findall(w.lower())), lang)} for w in query.split() if _RUN.search(w)]
        return {url for url, stems in self._stems[lang].items() if all(w <= stems for w in wanted)}

    def sample(self, lang: str, size: int, seed: int = 13) -> list[str]:
        """``size`` words of the site in ``lang`` (fixed seed) and every elided form, sorted."""
        runs = sorted({run for text in self.pages[lang].values() for run in _RUN.findall(text.lower())})
        chosen = set(random.Random(seed).sample(runs, min(size, len(runs))))
        elided = {form for text in self.pages[lang].values() for form in elided_forms(text)}
        return sorted(chosen | elided)

    def near_misses(self, lang: str, size: int, seed: int = 13) -> list[str]:
        """Queries that are *not* words of the site but start like one or are its start:
        ``size`` sampled words of six letters or more with "qz" added, and cut by two letters.
        Pagefind's ranked search answers these with pages of the longer or shorter word."""
        runs = sorted({r for text in self.pages[lang].values() for r in _RUN.findall(text.lower()) if len(r) >= 6})
        chosen = random.Random(seed).sample(runs, min(size, len(runs)))
        return sorted({word + "qz" for word in chosen} | {word[:-2] for word in chosen})
