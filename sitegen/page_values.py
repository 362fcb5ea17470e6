"""The values every page shows (menus, language switch, addresses, structured data), and list items."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from markupsafe import Markup

from .cards import PageCard
from .config import LANGUAGE_NAMES, Config
from .content import Document
from .feeds import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from .moments import scheduled_banner
from .site import Site
from .structured_data import json_ld_for
from .tags_site import item_tags, tags_root
from .urls import absolute, href, join, language_prefix

Values = dict[str, Any]  # what a template sees (a page's context, a list item)
Strings = dict[str, dict[str, str]]  # interface strings by language (templates/strings.yaml)
AssetUrls = dict[str, str]  # logical name of a static file → its site path


def page_values(
    site: Site,
    strings: Strings,
    asset_urls: AssetUrls,
    site_path: str,
    lang: str,
    doc: Document | None,
    title: str,
    description: str,
    alternates: tuple[tuple[str, str], ...],
    make_extra: Callable[[], Values],
    card: PageCard,
) -> Values:
    """A page's context: what every page has, then its own values (``make_extra()``)."""
    config = site.config
    t = strings[lang]
    extra = make_extra()
    default_alt = dict(alternates).get(config.default_language)
    home = language_prefix(lang, config.default_language)
    site_name = config.site_name[lang]
    context: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "config": config,
        "site_name": site_name,
        "page_url": site_path,
        "doc": doc,
        "title": title,
        "description": description or t["site_description"],
        "head_title": title if title == site_name else f"{title} · {site_name}",
        "canonical": absolute(site_path, config.base_url),
        # A 404 page answers for addresses that do not exist: not to be indexed, no canonical.
        "noindex": site_path.endswith("404.html"),
        "alternates": [(code, absolute(path, config.base_url)) for code, path in alternates],
        "x_default": absolute(default_alt, config.base_url) if default_alt and len(alternates) > 1 else None,
        "switch": language_switch(site, strings, alternates, lang, extra.get("switch_missing", {})),
    }
    context.update(_navigation(site, t, site_path, lang, home))
    context |= {
        "home_url": home,
        "feed_url": join(home, "feed.xml").rstrip("/"),
        "search_url": search_root(config, lang) if config.search else None,
        "url": partial(href, base_path=config.base_path),
        "abs_url": partial(absolute, base_url=config.base_url),
        "asset": lambda name: href(asset_urls[name], config.base_path),
        "og_locale": t["og_locale"],
        "og_type": "article" if doc is not None and doc.kind == "news" else "website",
        "json_ld": Markup(
            json_ld_for(site, doc, site_path, lang, title, description, extra.get("breadcrumbs"), card.file)
        ),  # cards: a NewsArticle's image is its card
        "is_draft": bool(doc is not None and doc.meta.draft),
        "scheduled_banner": scheduled_banner(site, doc, t, lang),  # serve's preview of a scheduled item
        "language_names": LANGUAGE_NAMES,
        "strings_for": strings.__getitem__,
        "csp": CONTENT_SECURITY_POLICY,
        "referrer_policy": REFERRER_POLICY,
        "card": card.head(config.base_url),  # cards: og:image and twitter:image (partials/social.html)
    }
    context.update(extra)
    return context


def _navigation(site: Site, t: dict[str, str], site_path: str, lang: str, home: str) -> Values:
    """The menu (the current entry marked), the news entry and the footer links of a page."""
    config = site.config
    return {
        "menu": [
            {
                "title": d.meta.menu_title or d.meta.title,
                "url": d.url,
                "current": d.url == site_path or (d.url != home and site_path.startswith(d.url)),
            }
            for d in site.menus[lang]
        ],
        "news_menu": {
            "title": t["news"],
            "url": news_root(config, lang),
            "current": site_path.startswith(news_root(config, lang)),
        },
        "footer_links": [{"title": d.meta.menu_title or d.meta.title, "url": d.url} for d in site.footers[lang]],
    }


def alternates_of(site: Site, doc: Document | None, site_path: str, lang: str) -> list[tuple[str, str]]:
    """(language, site path) of every version of this page, for hreflang."""
    config = site.config
    if doc is not None:
        return [(code, d.url) for code, d in site.counterparts(doc).items()]
    for kind_path in (news_root, tags_root, search_root) if config.search else (news_root, tags_root):
        root = kind_path(config, lang)
        if site_path == root:
            return [(code, kind_path(config, code)) for code in config.languages]
    return [(lang, site_path)]


def language_switch(
    site: Site,
    strings: Strings,
    alternates: tuple[tuple[str, str], ...],
    lang: str,
    missing: Mapping[str, tuple[str, str]] | None = None,
) -> list[Values]:
    """Language switcher: the counterpart page; else, from a tag page, the other language's tag
    index with a note saying why (``missing``: language → (address, note)); else its home."""
    config = site.config
    found = dict(alternates)
    instead = missing or {}
    return [
        {
            "lang": code,
            "name": LANGUAGE_NAMES[code],
            "label": strings[code]["switch_label"],  # its title; a link with a note has none (said once)
            "note": instead[code][1] if code in instead else None,
            "url": found.get(
                code, instead[code][0] if code in instead else language_prefix(code, config.default_language)
            ),
        }
        for code in config.languages
        if code != lang
    ]


def news_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.news_dir[lang])


def search_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.search_dir[lang])


def not_found_path(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language)) + "404.html"


class ItemMemo:
    """:func:`_item` and :func:`_tag_links` once per document per plan: an item shows up on its
    neighbours, its listing page, the home page and each of its tags' pages, all alike."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._items: dict[int, Values] = {}
        self._tags: dict[int, list[Values]] = {}

    def __call__(self, doc: Document) -> Values:
        found = self._items.get(id(doc))
        if found is None:
            found = self._items[id(doc)] = list_item(self.site, doc, self.tags(doc))
        return found

    def tags(self, doc: Document) -> list[Values]:
        found = self._tags.get(id(doc))
        if found is None:
            found = self._tags[id(doc)] = tag_links(self.site, doc)
        return found


def list_item(site: Site, doc: Document, tags: list[Values] | None = None) -> Values:
    """What a listing shows of a news item."""
    return {
        "title": doc.meta.title,
        "url": doc.url,
        "date": doc.meta.date,
        "summary": doc.meta.summary or doc.meta.description,
        "tags": tag_links(site, doc) if tags is None else tags,
        "is_draft": doc.meta.draft,
    }


def tag_links(site: Site, doc: Document) -> list[Values]:
    """The item's tags as the vocabulary names them in its language (sitegen.tags_vocab)."""
    root = tags_root(site.config, doc.lang)
    return [{"name": tag.label, "url": join(root, tag.slug)} for tag in item_tags(site.config.tags, doc)]


def breadcrumbs(site: Site, doc: Document, t: dict[str, str]) -> list[Values]:
    """Home › News › this item (shown on the page and as JSON-LD)."""
    config = site.config
    return [
        {"title": t["home"], "url": language_prefix(doc.lang, config.default_language)},
        {"title": t["news"], "url": news_root(config, doc.lang)},
        {"title": doc.meta.title, "url": doc.url},
    ]
