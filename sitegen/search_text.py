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
from pathlib import Path

# A typographic apostrophe (or a modifier letter apostrophe) between two letters.
# (The character comes first and the letter before it is checked by a lookbehind after it:
# the engine then scans for the rare character instead of trying a lookbehind at every
# position, seven times faster on a page.)
_ELISION = re.compile(r"[\u2019\u02bc](?<=[^\W\d_][\u2019\u02bc])(?=[^\W\d_])")
# A Unicode hyphen or dash (U+2010 to U+2014) between two letters.
_JOINING_DASH = re.compile(r"[\u2010-\u2014](?<=[^\W\d_][\u2010-\u2014])(?=[^\W\d_])")
_PAGE_LANG = re.compile(r"<html\b[^>]*?\blang=\"([A-Za-z-]+)\"")
# A start tag with a lang attribute (our templates and Markdown always quote with ").
_LANG_TAG = re.compile(r"<(?!html\b)([A-Za-z][A-Za-z0-9]*)(\s[^>]*?\blang=\"([A-Za-z-]+)\"[^>]*?)(/?)>")


def for_index(html: str) -> str:
    """The text of a page as Pagefind should read it (see the module docstring)."""
    page_lang = _PAGE_LANG.search(html)
    text = _JOINING_DASH.sub("-", _ELISION.sub("'", html))
    if page_lang is None or text.count(' lang="') < 2:  # no element in a language of its own
        return text
    primary = _primary(page_lang.group(1))

    def ignore_other_language(tag: re.Match[str]) -> str:
        name, attributes, lang, closing = tag.groups()
        if _primary(lang) == primary or "data-pagefind-ignore" in attributes:
            return tag.group(0)
        return f"<{name}{attributes} data-pagefind-ignore{closing}>"

    return _LANG_TAG.sub(ignore_other_language, text)


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
