"""The pages of the site: every HTML page to write as a :class:`PageJob` with its values.

:func:`plan_pages` lists them (site path, template, values made on demand);
:func:`sitegen.render.render_job` renders one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

from markupsafe import Markup

from .bodies import LazyBody
from .cards import PageCard, page_card
from .content import Document
from .incremental import VOLATILE
from .markdown_render import Reference, resolve_references
from .page_values import (
    AssetUrls,
    ItemMemo,
    Strings,
    Values,
    alternates_of,
    breadcrumbs,
    news_root,
    not_found_path,
    page_values,
    search_root,
)
from .site import Site
from .tags_site import Redirect, tag_alternates, tag_redirects, tags_root
from .urls import absolute, join

REDIRECT_TEMPLATE = "redirect.html"  # a tag's former address (sitegen.tags_site.Redirect)
UNLISTED_TEMPLATES = ("404.html", REDIRECT_TEMPLATE)  # pages no sitemap lists


@dataclass(frozen=True)
class PageJob:
    """One HTML page to render: where it goes, with which template and values.

    The values (``context``) are made on first use: a rebuild asks only for those of the
    pages whose ``depends`` changed (see :func:`sitegen.incremental.page_depends_digest`).
    ``depends`` lists everything the page shows besides what every page of its language
    shows (config, templates, strings, assets, menus, footers): the documents whose values
    it shows (``None`` for an absent neighbour), plain values (page numbers, a tag's
    listing), and the body digest, or :data:`VOLATILE` when the page must always be made
    again (a body with media: its image variants are files the body digest does not cover).
    """

    site_path: str
    template: str
    lang: str
    document: Document | None
    alternates: tuple[tuple[str, str], ...]  # (language, site path) of every version
    depends: tuple[object, ...]
    make_context: Callable[[], Values] = field(repr=False, compare=False)
    card: PageCard | None = field(default=None, repr=False, compare=False)  # cards: its og:image (sitegen.cards)

    @property
    def in_sitemap(self) -> bool:
        """Whether the sitemap lists the page: not a 404 page nor a redirect of a tag's former address."""
        return self.template not in UNLISTED_TEMPLATES

    @cached_property
    def context(self) -> Values:
        return self.make_context()


# --- the plan: every page, with its values ------------------------------------------


def plan_pages(
    site: Site, strings: Strings, asset_urls: AssetUrls, resolve_body: Callable[[Document], str | LazyBody]
) -> list[PageJob]:
    """Every HTML page of the site, in a stable order (values made on demand).

    ``resolve_body`` is called for every document here, not lazily: it also records the
    body's links for checking and its problems, which every build reports.
    """
    item = ItemMemo(site)
    jobs = [_document_job(site, strings, asset_urls, item, doc, resolve_body(doc)) for doc in site.documents]
    for lang in site.config.languages:
        jobs += _language_jobs(site, strings, asset_urls, lang, item)
    return jobs


_KIND_TEMPLATES = {"news": "news_item.html", "home": "home.html"}


def _document_job(
    site: Site, strings: Strings, asset_urls: AssetUrls, item: ItemMemo, doc: Document, body: str | LazyBody
) -> PageJob:
    """The page of one document."""
    template = _KIND_TEMPLATES.get(doc.kind) or f"{doc.meta.layout}.html"
    if doc.kind != "home" and doc.meta.layout == "home":
        template = "home.html"
    counterparts = site.counterparts(doc)
    depends: list[object] = [
        doc,
        *counterparts.values(),
        body.digest if isinstance(body, LazyBody) else VOLATILE,
    ]
    latest = site.news[doc.lang][: site.config.home_news] if template == "home.html" else ()
    neighbours = site.neighbours(doc) if doc.kind == "news" else ()
    depends += [*latest, "|", *neighbours]
    return _job(
        site,
        strings,
        asset_urls,
        doc.url,
        template,
        doc.lang,
        doc,
        doc.meta.title,
        doc.meta.description or doc.meta.summary,
        tuple(depends),
        partial(_document_values, site, strings, item, doc, body, template, latest, neighbours),
        tuple((code, other.url) for code, other in counterparts.items()),  # as alternates_of says
    )


def _language_jobs(site: Site, strings: Strings, asset_urls: AssetUrls, lang: str, item: ItemMemo) -> list[PageJob]:
    """The pages of one language that no document makes: news lists, tags, search, 404."""
    config, t = site.config, strings[lang]
    jobs = _news_list_jobs(site, strings, asset_urls, lang, item) + _tag_jobs(site, strings, asset_urls, lang, item)
    if config.search:
        search_values: Callable[[], Values] = partial(dict, tags_url=tags_root(config, lang))
        path = search_root(config, lang)
        jobs.append(
            _job(
                site,
                strings,
                asset_urls,
                path,
                "search.html",
                lang,
                None,
                t["search"],
                t["search_description"],
                (),
                search_values,
            )
        )
    path = not_found_path(config, lang)
    jobs.append(
        _job(
            site,
            strings,
            asset_urls,
            path,
            "404.html",
            lang,
            None,
            t["not_found_title"],
            t["not_found_description"],
            (),
            dict,
        )
    )
    return jobs


def _document_values(
    site: Site,
    strings: Strings,
    item: ItemMemo,
    doc: Document,
    body: str | LazyBody,
    template: str,
    latest: tuple[Document, ...],
    neighbours: tuple[Document | None, ...],
) -> Values:
    """The values of a document's page besides the ones every page has."""
    values: dict[str, Any] = {"body": body if isinstance(body, LazyBody) else Markup(body), "toc": doc.toc}
    if template == "home.html":
        values["latest"] = [item(d) for d in latest]
        values["news_url"] = news_root(site.config, doc.lang)
    if doc.kind == "news":
        older, newer = neighbours
        values.update(
            older=item(older) if older else None,
            newer=item(newer) if newer else None,
            tags=item.tags(doc),
            breadcrumbs=breadcrumbs(site, doc, strings[doc.lang]),
        )
    return values


# --- values shared by every page ----------------------------------------------------


def _job(
    site: Site,
    strings: Strings,
    asset_urls: AssetUrls,
    site_path: str,
    template: str,
    lang: str,
    doc: Document | None,
    title: str,
    description: str,
    depends: tuple[object, ...],
    make_extra: Callable[[], Values],
    alternates: tuple[tuple[str, str], ...] | None = None,
    card_template: str | None = None,
) -> PageJob:
    """A page with the values every page has; ``alternates`` when not those of :func:`alternates_of`,
    ``card_template`` when the social card is another page's (a redirect draws no card of its own)."""
    if alternates is None:
        alternates = tuple(alternates_of(site, doc, site_path, lang))
    # cards: the page's social card (sitegen.cards); its key joins depends, so a new card (the
    # item's picture changed, which its token does not cover) makes the page's values again
    card = page_card(site, strings[lang], card_template or template, doc, title)
    depends = (*depends, card.key)
    return PageJob(
        site_path,
        template,
        lang,
        doc,
        alternates,
        depends,
        partial(
            page_values,
            site,
            strings,
            asset_urls,
            site_path,
            lang,
            doc,
            title,
            description,
            alternates,
            make_extra,
            card,
        ),
        card,
    )


def page_path(root: str, number: int, word: str) -> str:
    """``/notizie/`` for page 1, ``/notizie/pagina/2/`` after it."""
    return root if number == 1 else join(root, word, str(number))


def _news_list_jobs(site: Site, strings: Strings, asset_urls: AssetUrls, lang: str, item: ItemMemo) -> list[PageJob]:
    config, t = site.config, strings[lang]
    items = site.news[lang]
    root = news_root(config, lang)
    size = config.paginate
    total = max(1, -(-len(items) // size))
    jobs = []
    for number in range(1, total + 1):
        path = page_path(root, number, t["page_word"])
        pagination = {
            "number": number,
            "total": total,
            "prev": page_path(root, number - 1, t["page_word"]) if number > 1 else None,
            "next": page_path(root, number + 1, t["page_word"]) if number < total else None,
        }
        title = t["news"] if number == 1 else t["news_page_title"].format(number=number, total=total)
        members = items[(number - 1) * size : number * size]
        jobs.append(
            _job(
                site,
                strings,
                asset_urls,
                path,
                "news_list.html",
                lang,
                None,
                title,
                t["news_description"] if number == 1 else f"{t['news_description']} ({number}/{total})",
                (number, total, *members),
                partial(_listing_values, item, members, pagination),
            )
        )
    return jobs


def _listing_values(item: ItemMemo, members: tuple[Document, ...], pagination: Values) -> Values:
    return {"items": [item(d) for d in members], "pagination": pagination}


def _tag_jobs(site: Site, strings: Strings, asset_urls: AssetUrls, lang: str, item: ItemMemo) -> list[PageJob]:
    config, t = site.config, strings[lang]
    root = tags_root(config, lang)
    tags = site.tags[lang]
    listing = tuple((site.tag_names[(lang, slug)], join(root, slug), len(docs)) for slug, docs in tags.items())
    jobs = [
        _job(
            site,
            strings,
            asset_urls,
            root,
            "tags.html",
            lang,
            None,
            t["tags"],
            t["tags_description"],
            listing,
            partial(_tags_index_values, listing),
        )
    ]
    for slug, docs in tags.items():
        name = site.tag_names[(lang, slug)]
        alternates = tuple(tag_alternates(config, site.tags, site.tag_keys, lang, slug))
        missing = _switch_missing(site, strings, lang, slug, alternates)
        jobs.append(
            _job(
                site,
                strings,
                asset_urls,
                join(root, slug),
                "tag.html",
                lang,
                None,
                t["tag_title"].format(tag=name),
                t["tag_description"].format(tag=name),
                (name, *docs, *alternates, *missing.items()),  # tags: its counterparts, or the note instead
                partial(_tag_values, item, name, docs, missing),
                alternates,
            )
        )
    return jobs + [
        _redirect_job(site, strings, asset_urls, redirect) for redirect in tag_redirects(config, site.tags, lang)
    ]


def _switch_missing(
    site: Site, strings: Strings, lang: str, slug: str, alternates: tuple[tuple[str, str], ...]
) -> dict[str, tuple[str, str]]:
    """language → (its tag index, what the switcher says) for each language without this tag's page."""
    key = site.tag_keys.get((lang, slug))
    if key is None:
        return {}
    tag, found = site.config.tags.by_key(key), dict(alternates)
    return {
        code: (tags_root(site.config, code), strings[code]["tag_switch_missing"].format(tag=tag.term(code).label))
        for code in site.config.languages
        if code not in found
    }


def _redirect_job(site: Site, strings: Strings, asset_urls: AssetUrls, redirect: Redirect) -> PageJob:
    """A tag's former address: a page that sends the visitor (and search engines) to the new one."""
    t = strings[redirect.lang]
    to_tag = redirect.target != tags_root(site.config, redirect.lang)
    title = t["tag_title"].format(tag=redirect.label) if to_tag else t["tags"]
    return _job(
        site,
        strings,
        asset_urls,
        redirect.path,
        REDIRECT_TEMPLATE,
        redirect.lang,
        None,
        title,
        t["tag_moved"],
        (redirect.target, redirect.key),
        partial(
            dict,
            redirect_to=redirect.target,
            noindex=True,  # base.html then writes no canonical of its own: redirect.html names the new address
            canonical=absolute(redirect.target, site.config.base_url),
        ),
        ((redirect.lang, redirect.path),),
        "tag.html" if to_tag else "tags.html",
    )


def _tags_index_values(listing: tuple[tuple[str, str, int], ...]) -> Values:
    return {"tags_list": [{"name": name, "url": url, "count": count} for name, url, count in listing]}


def _tag_values(item: ItemMemo, name: str, docs: tuple[Document, ...], missing: dict[str, tuple[str, str]]) -> Values:
    return {"tag_name": name, "items": [item(d) for d in docs], "switch_missing": missing}


def resolve_body_links(doc: Document, resolver: Callable[[Document, Reference], str | None]) -> str:
    """The document's HTML with every reference rewritten by ``resolver(doc, ref)``."""
    return resolve_references(doc.converted.html, lambda ref: resolver(doc, ref))
