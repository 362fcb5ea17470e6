"""Machine-readable outputs: Atom feeds, the sitemap, robots.txt and the ``_headers`` file.

Written with :mod:`xml.sax.saxutils`' escaping rules from data alone: no build timestamp, so two
builds of the same content are byte-identical.

The feeds and the sitemap are made again only when what they are made of changed: each has a
*key* (:func:`feed_key`, :func:`sitemap_key`), the digest of exactly the values it reads, and a
build whose key for one of them is the one the last build recorded takes the last build's file
as it is (:func:`sitegen.stage_render.put_files`).  Making them at every build was a sixth of
the plan stage of a one-edit rebuild (Babel's dates of the feeds' 100 items, 4 000 URLs of the
sitemap at 1 000 items).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from .content import Document
from .dates import LONG, date_locale, date_words
from .feed_page import explanation, style_file, stylesheet_pi
from .site import Site
from .urls import absolute, join, language_prefix

FEED_ENTRIES = 50

# The policy every page satisfies: no inline script or style, nothing from elsewhere.
# 'wasm-unsafe-eval' lets the search page run Pagefind's WebAssembly; it allows no JS eval.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'"
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


# As xml.sax.saxutils' escape and quoteattr, whose import pulls in urllib.request, http.client,
# email and ssl (a tenth of the start-up of a one-edit rebuild).
def escape(data: str) -> str:
    """Escape ``&``, ``<`` and ``>``."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """Escape and quote an attribute value (with the quote character it does not contain)."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        return '"{}"'.format(data.replace('"', "&quot;")) if "'" in data else f"'{data}'"
    return f'"{data}"'


def feed_path(site: Site, lang: str) -> str:
    return join(language_prefix(lang, site.config.default_language)) + "feed.xml"


def atom_feed(site: Site, lang: str, strings: dict[str, dict[str, str]]) -> bytes:
    """The Atom feed of a language's news (RFC 4287), newest first."""
    config = site.config
    items = site.news[lang][:FEED_ENTRIES]
    home = language_prefix(lang, config.default_language)
    self_url = absolute(feed_path(site, lang), config.base_url)
    updated = max((_updated(doc) for doc in items), default=datetime(2000, 1, 1, tzinfo=UTC))
    author = config.organization["name"] or config.site_name[lang]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        stylesheet_pi(site),  # cards: shown as a page in a browser (sitegen.feed_page)
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <id>{escape(self_url)}</id>",
        f"  <title>{escape(config.site_name[lang])} · {escape(strings[lang]['news'])}</title>",
        f"  <subtitle>{escape(strings[lang]['news_description'])}</subtitle>",
        f"  <updated>{_rfc3339(updated)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(home, config.base_url))}/>',
        f"  <author><name>{escape(author)}</name></author>",
        *explanation(site, lang, strings[lang], self_url, items),  # cards: what a browser shows
    ]
    for doc in items:
        url = absolute(doc.url, config.base_url)
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(doc.meta.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <published>{_rfc3339(_published(doc))}</published>",
            f"    <updated>{_rfc3339(_updated(doc))}</updated>",
        ]
        summary = doc.meta.summary or doc.meta.description
        if summary:
            lines.append(f"    <summary>{escape(summary)}</summary>")
        lines += [f"    <category term={quoteattr(tag)}/>" for tag in doc.meta.tags]
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_key(site: Site, lang: str, site_digest: str) -> str:
    """Digest of everything :func:`atom_feed` reads for ``lang``: equal keys, equal feeds.

    ``site_digest`` (:func:`sitegen.incremental.site_digest`) covers the generator's code, every
    config value (base URL, site name, organisation, news folders), the UI strings and the
    drafts flag; added here: the language, the stylesheet's fingerprinted name and every value
    the feed shows of its items, in their order (their days in words too, as Babel writes them:
    :mod:`sitegen.dates`).  Stale if :func:`atom_feed` or :func:`sitegen.feed_page.explanation`
    ever reads anything else.
    """
    locale = date_locale(lang)
    items = [
        (
            doc.url,
            date_words(doc.meta.date.date(), LONG, locale) if doc.meta.date else "",
            doc.meta.title,
            doc.meta.date,
            doc.meta.updated,
            doc.meta.summary,
            doc.meta.description,
            doc.meta.tags,
        )
        for doc in site.news[lang][:FEED_ENTRIES]
    ]
    text = repr(("atom", site_digest, lang, style_file()[0], items))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _published(doc: Document) -> datetime:
    """When a news item was published: it always has a date (the front matter's check)."""
    assert doc.meta.date is not None, doc.source.shown
    return doc.meta.date


def _updated(doc: Document) -> datetime:
    """When a news item last changed."""
    return doc.meta.updated or _published(doc)


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sitemap(site: Site, pages: list[tuple[str, list[tuple[str, str]], datetime | None]]) -> bytes:
    """``sitemap.xml`` with hreflang alternates.  ``pages``: (site path, [(lang, site path)], lastmod)."""
    config = site.config
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for path, alternates, lastmod in sorted(pages, key=lambda p: p[0]):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(absolute(path, config.base_url))}</loc>")
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod.date().isoformat()}</lastmod>")
        if len(alternates) > 1:
            for lang, alt in alternates:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(absolute(alt, config.base_url))}/>'
                )
            default = dict(alternates).get(config.default_language)
            if default:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(absolute(default, config.base_url))}/>'
                )
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_key(pages: list[tuple[str, list[tuple[str, str]], datetime | None]], site_digest: str) -> str:
    """Digest of everything :func:`sitemap` reads: equal keys, equal sitemaps.

    ``pages`` as :func:`sitemap` takes them; of each page's last change only its day counts (as
    written).  ``site_digest`` covers the generator's code and every config value (the base URL,
    the default language).  Stale if :func:`sitemap` ever reads anything else.
    """
    days = [(path, alternates, lastmod.date().toordinal() if lastmod else None) for path, alternates, lastmod in pages]
    text = repr(("sitemap", site_digest, days))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def robots_txt(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute('/sitemap.xml', site.config.base_url)}\n".encode()


def headers_file(site: Site) -> bytes:
    """``_headers`` for hosts that read one (Netlify, Cloudflare Pages): the same policy as the pages."""
    base = site.config.base_path
    return (
        f"{base}*\n"
        f"  Content-Security-Policy: {CONTENT_SECURITY_POLICY}; frame-ancestors 'none'\n"
        f"  Referrer-Policy: {REFERRER_POLICY}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
        f"{base}static/*\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
    ).encode()
