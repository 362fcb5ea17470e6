"""Slugs and URLs: pure string functions.

A *site path* is a URL path without the deploy prefix, always starting with ``/``
(``/rete/``, ``/en/news/``).  :func:`href` adds the prefix of ``base_url`` to it
(``/ilsh/rete/``) for links inside pages; :func:`absolute` makes the full URL where a
standard needs one (canonical, hreflang, feeds, sitemap, JSON-LD).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, urljoin

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# A relative path urljoin would only append: no scheme-like ":", no "." or ".." segment, no "//".
_PLAIN_RELATIVE = re.compile(r"(?:[A-Za-z0-9_~%!$&'()*+,;=@-][A-Za-z0-9_~%!$&'()*+,;=@.-]*/?)*")


# Typographic apostrophes (the ’ that smart quotes make of a typed ', ʼ, ‘) part words as the
# typed ' does: "l’hub" → "l-hub", like "l'hub".  NFKD has no ASCII form for them, so they
# were dropped and joined the words ("lhub"): a heading's id then differed from a file name.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u201b\u02bc\u2032", "'"))


@lru_cache(maxsize=65536)  # pure, and asked the same few thousand times on every page
def slugify(text: str) -> str:
    """``"Perché l'IOM è qui"`` (or ``l’IOM``) → ``"perche-l-iom-e-qui"``: accents folded, ASCII, hyphens."""
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")


def heading_id(value: str, separator: str = "-") -> str:
    """Slugify for Python-Markdown's ``toc`` extension (ids of headings)."""
    return slugify(value).replace("-", separator) or "sezione"


def language_prefix(lang: str, default_language: str) -> str:
    """``/`` for the default language, ``/en/`` for the others."""
    return "/" if lang == default_language else f"/{lang}/"


@lru_cache(maxsize=65536)  # pure, and asked the same few thousand times on every page
def join(*parts: str) -> str:
    """Join URL path segments into a site path that ends with ``/``."""
    segments = [segment.strip("/") for segment in parts if segment and segment.strip("/")]
    return "/" + "/".join(segments) + "/" if segments else "/"


@lru_cache(maxsize=65536)  # pure, and asked the same few thousand times on every page
def output_file(site_path: str) -> str:
    """The file a site path is written to: ``/rete/`` → ``rete/index.html``."""
    path = site_path.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


@lru_cache(maxsize=65536)  # quote is slow, and the pages of a site link to the same few thousand paths
def href(site_path: str, base_path: str) -> str:
    """Root-relative link for a site path under the deploy prefix: ``/rete/`` → ``/ilsh/rete/``."""
    return base_path.rstrip("/") + quote(site_path, safe="/#%:@&=+$,;~!*'()?")


@lru_cache(maxsize=65536)  # urljoin is slow and every page asks for the same few dozen URLs
def absolute(site_path: str, base_url: str) -> str:
    """Absolute URL for a site path: ``/rete/`` → ``https://example.org/ilsh/rete/``."""
    relative = quote(site_path.lstrip("/"), safe="/#%:@&=+$,;~!*'()?")
    if base_url.endswith("/") and "?" not in base_url and "#" not in base_url and _PLAIN_RELATIVE.fullmatch(relative):
        return base_url + relative  # what urljoin returns here, without its parsing (slow, per page)
    return urljoin(base_url, relative)


def is_external(url: str) -> bool:
    """True for ``https://…``, ``mailto:…``, ``//host/…`` and other links that leave the site."""
    return url.startswith("//") or bool(_SCHEME.match(url))


def normalise_site_path(path: str) -> str | None:
    """Collapse ``.``/``..`` in a root-relative path; ``None`` if it climbs above the root."""
    trailing = path.endswith("/")
    parts: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    result = "/" + "/".join(parts)
    return result + "/" if trailing and parts else result


# "?" starts a query and "#" a fragment: a folder named so gives links like /?/pagina/ that
# lead elsewhere; "%" would be read as an escape; "\\" is a folder separator on Windows.
UNADDRESSABLE = frozenset("?#%\\")


_UNADDRESSABLE_RE = re.compile("[?#%\\\\\x00-\x1f\x7f]")  # UNADDRESSABLE and the control characters


def unaddressable_char(rel: str) -> str | None:
    """The first character of ``rel`` (a path below content/) that no address may hold, or ``None``.

    (One regular expression: called for every file of content/ at every build.)"""
    found = _UNADDRESSABLE_RE.search(rel)
    return found.group() if found else None
