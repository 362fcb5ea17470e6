"""The Atom feed as a page a browser shows: what a feed is and how to subscribe.

Why not XSLT: Debian's Chromium 156 still applies an ``xml-stylesheet type="text/xsl"``, but
over the page it lays a red banner saying that XSLT "is being removed from this browser very
soon" (Chrome announced its removal), so a visitor would read a warning, and soon raw XML.

Instead the feed carries, as Atom allows (RFC 4287 §6.4, foreign markup in ``atom:feed``), one
XHTML ``div``: a heading, two short paragraphs, the feed's address and links to the latest
items; a same-origin CSS stylesheet (``xml-stylesheet type="text/css"``) shows that ``div``
and hides the Atom elements.  Browsers render XHTML elements of an XML document as HTML
(headings and links keep their meaning for screen readers); feed readers skip unknown
namespaces, so the feed stays valid Atom.  The CSS is a file of the site: the Content
Security Policy (``style-src 'self'``) allows it, with no inline style.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import LONG, date_locale, date_words
from .urls import absolute, href, join, language_prefix

if TYPE_CHECKING:  # pragma: no cover
    from .content import Document
    from .site import Site

XHTML = "http://www.w3.org/1999/xhtml"
STYLE_SOURCE = Path(__file__).resolve().parent / "resources" / "feed.css"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def style_file() -> tuple[str, bytes]:
    """The stylesheet's output file (fingerprinted: ``/static/`` is cached for a year) and bytes."""
    data = STYLE_SOURCE.read_bytes()
    return f"static/feed.{hashlib.sha256(data).hexdigest()[:8]}.css", data


def stylesheet_pi(site: Site) -> str:
    """The processing instruction that gives the feed its stylesheet, under the site's prefix."""
    return f'<?xml-stylesheet type="text/css" href="{_escape(href("/" + style_file()[0], site.config.base_path))}"?>'


def explanation(site: Site, lang: str, t: dict[str, str], self_url: str, items: tuple[Document, ...]) -> list[str]:
    """The XHTML ``div`` a browser shows (lines for :func:`sitegen.feeds.atom_feed`)."""
    config = site.config
    prefix = language_prefix(lang, config.default_language)
    home = absolute(prefix, config.base_url)
    news_url = absolute(join(prefix, config.news_dir[lang]), config.base_url)
    lines = [
        f'  <div xmlns="{XHTML}" class="feed-page" lang="{lang}">',
        f"    <title>{_escape(t['feed'])} · {_escape(config.site_name[lang])}</title>",
        f'    <p class="site"><a href="{_escape(home)}">{_escape(config.site_name[lang])}</a></p>',
        f"    <h1>{_escape(t['feed_page_heading'])}</h1>",
        f"    <p>{_escape(t['feed_page_what'])}</p>",
        f"    <h2>{_escape(t['feed_page_how_heading'])}</h2>",
        f"    <p>{_escape(t['feed_page_how'])}</p>",
        f'    <p class="address"><span>{_escape(t["feed_page_address"])}:</span> <code>{_escape(self_url)}</code></p>',
        f"    <h2>{_escape(t['feed_page_latest'])}</h2>",
        "    <ul>",
    ]
    locale = date_locale(lang)  # as the pages' dates
    for doc in items:
        day = date_words(doc.meta.date.date(), LONG, locale) if doc.meta.date else ""
        url = absolute(doc.url, config.base_url)
        lines.append(
            f'      <li><a href="{_escape(url)}">{_escape(doc.meta.title)}</a> <span>{_escape(day)}</span></li>'
        )
    lines += [
        "    </ul>",
        f'    <p><a href="{_escape(news_url)}">{_escape(t["feed_page_back"])}</a></p>',
        "  </div>",
    ]
    return lines
