"""What the search index reads: a copy of each page, made for Pagefind, never published.

Visitors get the pages as written; Pagefind reads a copy of them (:func:`index_copy`) in
which two things differ, both about which words a search finds:

* **Elided words.**  Pagefind splits a word into parts only at ASCII punctuation, so
  ``dell’UPMC`` (typographic apostrophe, U+2019, as the site writes it) was one word,
  ``dellupmc``, and a search for "UPMC" found nothing.  The copy writes an ASCII apostrophe
  between two letters; Pagefind then indexes the whole form (``dellupmc``: a search for
  "dell’UPMC" still finds it) *and* its parts of two letters or more (``dell``, ``upmc``), at
  the same word position.  ``static/search.js`` shows ’ again in titles and excerpts.
* **Words joined by a typographic dash.**  For the same reason ``public–private`` (en dash,
  U+2013, as the English pages write it) was one word, and "private" missed three pages: the
  copy writes an ASCII hyphen for a hyphen or dash between two letters (U+2010–U+2014), which
  Pagefind splits like ``dell'UPMC``.  Excerpts then show ``public-private``.
* **Text in another language.**  An element whose ``lang`` differs from the page's (the
  Italian original of a quotation on an English page) is left out of the index
  (``data-pagefind-ignore``): Pagefind stems a page with one language's stemmer, so Italian
  words on an English page would be mis-stemmed, and excerpts would show the Italian where
  the page has its own English text right after it.  Its words are still on the page,
  and the Italian page, which has the same quotation, finds them in Italian.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

# A typographic apostrophe (or a modifier letter apostrophe) between two letters, matched at one
# of those characters (:func:`_between_letters` finds them with ``str.find``, which is ten times
# faster than the regular-expression engine's scan for a set of characters).
_ELISION = re.compile(r"[\u2019\u02bc](?<=[^\W\d_][\u2019\u02bc])(?=[^\W\d_])")
_ELISION_CHARS = "\u2019\u02bc"
# A Unicode hyphen or dash (U+2010 to U+2014) between two letters.
_JOINING_DASH = re.compile(r"[\u2010-\u2014](?<=[^\W\d_][\u2010-\u2014])(?=[^\W\d_])")
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014"
_PAGE_LANG = re.compile(r"<html\b[^>]*?\blang=\"([A-Za-z-]+)\"")
# A start tag with a lang attribute (our templates and Markdown always quote with ").
_LANG_TAG = re.compile(r"<(?!html\b)([A-Za-z][A-Za-z0-9]*)(\s[^>]*?\blang=\"([A-Za-z-]+)\"[^>]*?)(/?)>")


def for_index(html: str) -> str:
    """The text of a page as Pagefind should read it (see the module docstring)."""
    page_lang = _PAGE_LANG.search(html)
    text = _between_letters(_between_letters(html, _ELISION, _ELISION_CHARS, "'"), _JOINING_DASH, _DASH_CHARS, "-")
    if page_lang is None or text.count(' lang="') < 2:  # no element in a language of its own
        return text
    primary = _primary(page_lang.group(1))

    def ignore_other_language(tag: re.Match[str]) -> str:
        name, attributes, lang, closing = tag.groups()
        if _primary(lang) == primary or "data-pagefind-ignore" in attributes:
            return tag.group(0)
        return f"<{name}{attributes} data-pagefind-ignore{closing}>"

    return _in_lang_tags(text, ignore_other_language)


def _between_letters(text: str, pattern: re.Pattern[str], characters: str, replacement: str) -> str:
    """``pattern.sub(replacement, text)`` for a ``pattern`` that matches one of ``characters``,
    alone: only the places of those characters are tried (the same matches, since the pattern's
    lookbehind and lookahead see ``text`` around the place either way)."""
    places: list[int] = []
    for character in characters:
        at = text.find(character)
        while at != -1:
            if pattern.match(text, at):
                places.append(at)
            at = text.find(character, at + 1)
    if not places:
        return text
    places.sort()
    parts: list[str] = []
    done = 0
    for at in places:
        parts += (text[done:at], replacement)
        done = at + 1
    parts.append(text[done:])
    return "".join(parts)


def _in_lang_tags(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``_LANG_TAG.sub(replace, text)``, the pattern run only around each ``lang="``: from the
    end of the tag before it to the end of its own tag.  A match holds a ``lang="`` and no
    ``>`` but its last character, so it lies within one of those stretches, and the pattern
    finds the same matches there as in the whole text (it looks neither before its ``<`` nor
    after its ``>``); a page has a few such attributes and hundreds of tags."""
    parts: list[str] = []
    done = 0
    at = text.find('lang="')
    while at != -1:
        start = text.rfind(">", done, at) + 1 or done
        end = text.find(">", at) + 1 or len(text)
        parts += (text[done:start], _LANG_TAG.sub(replace, text[start:end]))
        done = end
        at = text.find('lang="', done)
    parts.append(text[done:])
    return "".join(parts)


def _primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def index_copy(site: Path, copy: Path, pages: set[str]) -> None:
    """Put in ``copy`` what Pagefind reads of ``site``: each page of ``pages`` (relative paths).

    Every page is written, none hard-linked: the published files are never touched, not
    even in their link count or status time.
    """
    for rel in sorted(pages):
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(for_index((site / rel).read_text(encoding="utf-8")), encoding="utf-8")
