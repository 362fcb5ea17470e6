"""Render the site's HTML pages with Jinja2 (``StrictUndefined``, autoescape).

:func:`plan_pages` lists every HTML page to write as a :class:`PageJob` (site path,
template, context); :func:`render_job` turns one job into bytes.  Template errors become
problems that name the template file and line.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel.dates import format_date
from markupsafe import Markup

from .bodies import LazyBody
from .cards import PageCard, page_card
from .config import LANGUAGE_NAMES, Config, fast_yaml
from .content import Document
from .errors import BuildError, Problem
from .feeds import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from .incremental import VOLATILE
from .markdown_render import resolve_references
from .site import Site
from .structured_data import json_ld_for
from .urls import absolute, href, join, language_prefix, slugify

STRINGS_FILE = "strings.yaml"
# Babel locales for dates: never the machine's OS locale ("26 novembre 2026", "26 November 2026").
DATE_LOCALES = {"it": "it_IT", "en": "en_GB"}


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
    depends: tuple
    make_context: Callable[[], dict] = field(repr=False, compare=False)
    card: PageCard | None = field(default=None, repr=False, compare=False)  # cards: its og:image (sitegen.cards)

    @cached_property
    def context(self) -> dict:
        return self.make_context()


def make_environment(config: Config, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment: strict about undefined names, escaping by default.

    With ``bytecode_dir``, compiled templates are kept there (Jinja checks each template's
    source checksum before using one): compiling them was a fifth of a one-edit rebuild.
    The folder's name must change with the generator's code (it sets the Jinja options).
    """
    bytecode_cache = None
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:
            bytecode_cache = None  # a cache we cannot write is only slower, never wrong
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.templates_dir)),
        bytecode_cache=bytecode_cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = lambda value, lang, fmt="long": _format_date(value.date(), fmt, DATE_LOCALES.get(lang, lang))
    env.filters["isodate"] = lambda value: value.isoformat()
    return env


@lru_cache(maxsize=16384)  # Babel takes ~0.3 ms a call; a site has a few thousand distinct dates
def _format_date(day, fmt: str, locale: str) -> str:
    return format_date(day, format=fmt, locale=locale)


def load_strings(config: Config) -> dict[str, dict[str, str]]:
    """The interface strings of every language (``templates/strings.yaml``)."""
    path = config.templates_dir / STRINGS_FILE
    shown = os.path.relpath(path, config.root)
    try:
        data = fast_yaml(path.read_text(encoding="utf-8"))[1]
    except FileNotFoundError:
        raise BuildError([Problem("template_missing", shown, None, {"name": STRINGS_FILE})]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BuildError(
            [Problem("config_yaml", shown, mark.line + 1 if mark else None, {"detail": exc.problem})]
        ) from None
    missing = [lang for lang in config.languages if not isinstance(data, dict) or not isinstance(data.get(lang), dict)]
    if missing:
        raise BuildError([Problem("config_missing_key", shown, None, {"key": ", ".join(missing)})])
    return data


# --- the plan: every page, with its values ------------------------------------------


def plan_pages(
    site: Site, strings: dict, asset_urls: dict[str, str], resolve_body: Callable[[Document], str | LazyBody]
) -> list[PageJob]:
    """Every HTML page of the site, in a stable order (values made on demand).

    ``resolve_body`` is called for every document here, not lazily: it also records the
    body's links for checking and its problems, which every build reports.
    """
    config = site.config
    jobs: list[PageJob] = []
    item = _ItemMemo(site)
    for doc in site.documents:
        template = {"news": "news_item.html", "home": "home.html"}.get(doc.kind, f"{doc.meta.layout}.html")
        if doc.kind != "home" and doc.meta.layout == "home":
            template = "home.html"
        body = resolve_body(doc)
        depends: list = [doc, *site.counterparts(doc).values(), body.digest if isinstance(body, LazyBody) else VOLATILE]
        latest = site.news[doc.lang][: config.home_news] if template == "home.html" else ()
        neighbours = site.neighbours(doc) if doc.kind == "news" else ()
        depends += [*latest, "|", *neighbours]
        jobs.append(
            _job(
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
            )
        )
    for lang in config.languages:
        jobs += _news_list_jobs(site, strings, asset_urls, lang, item)
        jobs += _tag_jobs(site, strings, asset_urls, lang, item)
        if config.search:
            jobs.append(
                _job(
                    site,
                    strings,
                    asset_urls,
                    _search_root(config, lang),
                    "search.html",
                    lang,
                    None,
                    strings[lang]["search"],
                    strings[lang]["search_description"],
                    (),
                    partial(dict, tags_url=_tags_root(config, lang)),
                )
            )
        jobs.append(
            _job(
                site,
                strings,
                asset_urls,
                _not_found_path(config, lang),
                "404.html",
                lang,
                None,
                strings[lang]["not_found_title"],
                strings[lang]["not_found_description"],
                (),
                dict,
            )
        )
    return jobs


def _document_values(
    site: Site, strings: dict, item: _ItemMemo, doc: Document, body, template: str, latest: tuple, neighbours: tuple
) -> dict:
    """The values of a document's page besides the ones every page has."""
    values: dict[str, Any] = {"body": body if isinstance(body, LazyBody) else Markup(body), "toc": doc.toc}
    if template == "home.html":
        values["latest"] = [item(d) for d in latest]
        values["news_url"] = _news_root(site.config, doc.lang)
    if doc.kind == "news":
        older, newer = neighbours
        values.update(
            older=item(older) if older else None,
            newer=item(newer) if newer else None,
            tags=item.tags(doc),
            breadcrumbs=_breadcrumbs(site, doc, strings[doc.lang]),
        )
    return values


def render_job(env: jinja2.Environment, job: PageJob, context: dict | None = None) -> bytes:
    """Render one page (with ``context``, or the job's own); template errors become a
    :class:`BuildError` naming template and line."""
    try:
        context = job.context if context is None else context
        if isinstance(context.get("body"), LazyBody):  # made now, only for the pages rendered again
            context = {**context, "body": context["body"].markup()}
        return env.get_template(job.template).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        name = exc.filename or exc.name or job.template
        raise BuildError(
            [Problem("template_syntax", _shown_template(env, name), exc.lineno, {"detail": exc.message})]
        ) from None
    except jinja2.TemplateNotFound as exc:
        name, line = _template_frame(exc, env)  # an {% include %} or {% extends %} names it
        raise BuildError(
            [Problem("template_missing", name or _shown_template(env, job.template), line, {"name": exc.name})]
        ) from None
    except jinja2.UndefinedError as exc:
        name, line = _template_frame(exc, env)
        raise BuildError(
            [
                Problem(
                    "template_undefined",
                    name or _shown_template(env, job.template),
                    line,
                    {"detail": exc.message, "page": job.site_path},
                )
            ]
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        name, line = _template_frame(exc, env)
        if name is None:
            raise  # not a template's fault: let the traceback through
        raise BuildError(
            [Problem("template_error", name, line, {"detail": f"{type(exc).__name__}: {exc}", "page": job.site_path})]
        ) from None


def _shown_template(env: jinja2.Environment, name: str) -> str:
    root = env.loader.searchpath[0]  # type: ignore[union-attr]
    path = name if os.path.isabs(name) else os.path.join(root, name)
    return os.path.relpath(path)


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    root = os.path.abspath(env.loader.searchpath[0])  # type: ignore[union-attr]
    found = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(root + os.sep):
            found = (os.path.relpath(frame.filename), frame.lineno)
    return found


# --- values shared by every page ----------------------------------------------------


def _job(
    site: Site,
    strings: dict,
    asset_urls: dict,
    site_path: str,
    template: str,
    lang: str,
    doc: Document | None,
    title: str,
    description: str,
    depends: tuple,
    make_extra: Callable[[], dict],
) -> PageJob:
    alternates = tuple(_alternates(site, doc, site_path, lang))
    # cards: the page's social card (sitegen.cards); its key joins depends, so a new card (the
    # item's picture changed, which its token does not cover) makes the page's values again
    card = page_card(site, strings[lang], template, doc, title)
    depends = (*depends, card.key)
    return PageJob(
        site_path,
        template,
        lang,
        doc,
        alternates,
        depends,
        partial(
            _values, site, strings, asset_urls, site_path, lang, doc, title, description, alternates, make_extra, card
        ),
        card,
    )


def _values(
    site: Site,
    strings: dict,
    asset_urls: dict,
    site_path: str,
    lang: str,
    doc: Document | None,
    title: str,
    description: str,
    alternates: tuple,
    make_extra: Callable[[], dict],
    card: PageCard,
) -> dict:
    """A page's context: what every page has, then its own values (``make_extra()``)."""
    config = site.config
    t = strings[lang]
    extra = make_extra()
    default_alt = dict(alternates).get(config.default_language)
    home = language_prefix(lang, config.default_language)
    site_name = config.site_name[lang]
    context = {
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
        "switch": _switch(site, strings, alternates, lang),
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
            "url": _news_root(config, lang),
            "current": site_path.startswith(_news_root(config, lang)),
        },
        "footer_links": [{"title": d.meta.menu_title or d.meta.title, "url": d.url} for d in site.footers[lang]],
        "home_url": home,
        "feed_url": join(home, "feed.xml").rstrip("/"),
        "search_url": _search_root(config, lang) if config.search else None,
        "url": partial(href, base_path=config.base_path),
        "abs_url": partial(absolute, base_url=config.base_url),
        "asset": lambda name: href(asset_urls[name], config.base_path),
        "og_locale": t["og_locale"],
        "og_type": "article" if doc is not None and doc.kind == "news" else "website",
        "json_ld": Markup(
            json_ld_for(site, doc, site_path, lang, title, description, extra.get("breadcrumbs"), card.file)
        ),  # cards: a NewsArticle's image is its card
        "is_draft": bool(doc is not None and doc.meta.draft),
        "language_names": LANGUAGE_NAMES,
        "strings_for": strings.__getitem__,
        "csp": CONTENT_SECURITY_POLICY,
        "referrer_policy": REFERRER_POLICY,
        "card": card.head(config.base_url),  # cards: og:image and twitter:image (partials/social.html)
    }
    context.update(extra)
    return context


def _alternates(site: Site, doc: Document | None, site_path: str, lang: str) -> list[tuple[str, str]]:
    """(language, site path) of every version of this page, for hreflang."""
    config = site.config
    if doc is not None:
        return [(code, d.url) for code, d in site.counterparts(doc).items()]
    for kind_path in (_news_root, _tags_root, _search_root) if config.search else (_news_root, _tags_root):
        root = kind_path(config, lang)
        if site_path == root:
            return [(code, kind_path(config, code)) for code in config.languages]
    return [(lang, site_path)]


def _switch(site: Site, strings: dict, alternates, lang: str) -> list[dict]:
    """Language switcher: the counterpart page, or the other language's home when there is none."""
    config = site.config
    found = dict(alternates)
    return [
        {
            "lang": code,
            "name": LANGUAGE_NAMES[code],
            "label": strings[code]["switch_label"],
            "url": found.get(code, language_prefix(code, config.default_language)),
        }
        for code in config.languages
        if code != lang
    ]


def _news_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.news_dir[lang])


def _tags_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.tags_dir[lang])


def _search_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.search_dir[lang])


def _not_found_path(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language)) + "404.html"


class _ItemMemo:
    """:func:`_item` and :func:`_tag_links` once per document per plan: an item shows up on its
    neighbours, its listing page, the home page and each of its tags' pages, all alike."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._items: dict[int, dict] = {}
        self._tags: dict[int, list[dict]] = {}

    def __call__(self, doc: Document) -> dict:
        found = self._items.get(id(doc))
        if found is None:
            found = self._items[id(doc)] = _item(self.site, doc, self.tags(doc))
        return found

    def tags(self, doc: Document) -> list[dict]:
        found = self._tags.get(id(doc))
        if found is None:
            found = self._tags[id(doc)] = _tag_links(self.site, doc)
        return found


def _item(site: Site, doc: Document, tags: list[dict] | None = None) -> dict:
    """What a listing shows of a news item."""
    return {
        "title": doc.meta.title,
        "url": doc.url,
        "date": doc.meta.date,
        "summary": doc.meta.summary or doc.meta.description,
        "tags": _tag_links(site, doc) if tags is None else tags,
        "is_draft": doc.meta.draft,
    }


def _tag_links(site: Site, doc: Document) -> list[dict]:
    root = _tags_root(site.config, doc.lang)
    return [{"name": tag, "url": join(root, slugify(tag) or "tag")} for tag in doc.meta.tags]


def _breadcrumbs(site: Site, doc: Document, t: dict) -> list[dict]:
    """Home › News › this item (shown on the page and as JSON-LD)."""
    config = site.config
    return [
        {"title": t["home"], "url": language_prefix(doc.lang, config.default_language)},
        {"title": t["news"], "url": _news_root(config, doc.lang)},
        {"title": doc.meta.title, "url": doc.url},
    ]


def page_path(root: str, number: int, word: str) -> str:
    """``/notizie/`` for page 1, ``/notizie/pagina/2/`` after it."""
    return root if number == 1 else join(root, word, str(number))


def _news_list_jobs(site: Site, strings: dict, asset_urls: dict, lang: str, item: _ItemMemo) -> list[PageJob]:
    config, t = site.config, strings[lang]
    items = site.news[lang]
    root = _news_root(config, lang)
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


def _listing_values(item: _ItemMemo, members: tuple, pagination: dict) -> dict:
    return {"items": [item(d) for d in members], "pagination": pagination}


def _tag_jobs(site: Site, strings: dict, asset_urls: dict, lang: str, item: _ItemMemo) -> list[PageJob]:
    config, t = site.config, strings[lang]
    root = _tags_root(config, lang)
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
                (name, *docs),
                partial(_tag_values, item, name, docs),
            )
        )
    return jobs


def _tags_index_values(listing: tuple) -> dict:
    return {"tags_list": [{"name": name, "url": url, "count": count} for name, url, count in listing]}


def _tag_values(item: _ItemMemo, name: str, docs: tuple) -> dict:
    return {"tag_name": name, "items": [item(d) for d in docs]}


def resolve_body_links(doc: Document, resolver) -> str:
    """The document's HTML with every reference rewritten by ``resolver(doc, ref)``."""
    return resolve_references(doc.converted.html, lambda ref: resolver(doc, ref))
