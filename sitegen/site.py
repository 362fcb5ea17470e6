"""Assemble the site: decide what is live, link translations, order the news.

:func:`publication_state` is the single "is it live" rule; every output (pages,
listings, tags, feeds, sitemap, prev/next, search) is made from :class:`Site`, which only
ever holds live documents, so a hidden item leaves no trace anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from .config import Config
from .content import Document
from .errors import WARNING, Problem, display_path
from .messages import messages_language
from .tags_site import index_tags, unknown_tags

LIVE, DRAFT, SCHEDULED, EXPIRED = "live", "draft", "scheduled", "expired"


@dataclass(frozen=True)
class Skipped:
    """A document left out of this build, and why (for the build log)."""

    document: Document
    reason: str  # DRAFT, SCHEDULED or EXPIRED
    goes_live: datetime | None = None


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, computed once.  Holds only live documents."""

    config: Config
    documents: tuple[Document, ...]  # live, in a stable order
    news: Mapping[str, tuple[Document, ...]]  # lang → newest first
    translations: Mapping[tuple[str, str], Document]  # (translation_key, lang) → document
    tags: Mapping[str, Mapping[str, tuple[Document, ...]]]  # lang → tag slug → news newest first
    tag_names: Mapping[tuple[str, str], str]  # (lang, slug) → display name (the label in the vocabulary)
    menus: Mapping[str, tuple[Document, ...]]  # lang → pages with a menu position, in order
    footers: Mapping[str, tuple[Document, ...]]  # lang → privacy and accessibility pages, by source path
    skipped: tuple[Skipped, ...]
    drafts_shown: bool
    # source path → go-live moment of each scheduled item shown before its time (serve's preview,
    # which marks them with a banner); empty in a build.
    previewed: Mapping[str, datetime] = field(default_factory=dict)
    # id(news item) → its position in its language's list: prev/next in O(1), not a scan per item
    # (which made planning quadratic in the number of news items).
    news_position: Mapping[int, int] = field(default_factory=dict)
    # (lang, slug) → the tag's key in the vocabulary (sitegen.tags_vocab): pairs tag pages across languages
    tag_keys: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def by_url(self) -> dict[str, Document]:
        return {doc.url: doc for doc in self.documents}

    def counterparts(self, doc: Document) -> dict[str, Document]:
        """The document in every language that has it (itself included), by language."""
        key = doc.meta.translation_key
        if not key:
            return {doc.lang: doc}
        return {
            lang: self.translations[(key, lang)] for lang in self.config.languages if (key, lang) in self.translations
        }

    def neighbours(self, doc: Document) -> tuple[Document | None, Document | None]:
        """(older, newer) news item next to ``doc`` in its language."""
        items = self.news[doc.lang]
        index = self.news_position.get(id(doc))
        if index is None or items[index] is not doc:
            index = next(i for i, item in enumerate(items) if item is doc)
        older = items[index + 1] if index + 1 < len(items) else None
        newer = items[index - 1] if index > 0 else None
        return older, newer


def publication_state(
    doc: Document, now: datetime, include_drafts: bool, include_scheduled: bool = False
) -> tuple[str, datetime | None]:
    """Whether ``doc`` is live at ``now``: (state, moment it goes live if scheduled).

    ``include_scheduled`` (serve's preview): a scheduled item is live, with its moment.
    """
    meta = doc.meta
    if meta.draft and not include_drafts:
        return DRAFT, None
    start = go_live_moment(doc)
    if start is not None and start > now:
        return (LIVE if include_scheduled else SCHEDULED), start
    if meta.expires_at is not None and meta.expires_at <= now:
        return EXPIRED, None
    return LIVE, None


def go_live_moment(doc: Document) -> datetime | None:
    """When ``doc`` goes live: ``publish_at``, else a news item's ``date`` (``None``: always live)."""
    return doc.meta.publish_at or (doc.meta.date if doc.kind == "news" else None)


def news_order(doc: Document) -> tuple[float, str]:
    """Newest first; equal dates by URL so that the order never depends on the file system."""
    # Every news item has a date: parse_document refuses one without.
    return (-(doc.meta.date.timestamp() if doc.meta.date else 0.0), doc.url)


def assemble_site(
    documents: list[Document], config: Config, now: datetime, include_drafts: bool, include_scheduled: bool = False
) -> tuple[Site, list[Problem]]:
    """Keep what is live at ``now`` and index it; problems for URL clashes and lone translations.

    ``include_drafts`` / ``include_scheduled``: drafts / scheduled items count as live.
    """
    problems: list[Problem] = []
    live, skipped, previewed = _split_live(documents, now, include_drafts, include_scheduled)
    # Among live pages only: a draft's or scheduled item's clash is its own problem (sitegen.unpublished).
    problems += _url_conflicts(live)
    if not live:
        # A missing or emptied content folder made an empty site that replaced the published one.
        problems.append(Problem("site_empty", display_path(config.content_dir, config.root)))
    translations, found = _index_translations(live, config)
    problems += found
    news = {
        lang: tuple(sorted((d for d in live if d.kind == "news" and d.lang == lang), key=news_order))
        for lang in config.languages
    }
    tag_index = index_tags(news, config.tags)
    # every document, drafts and scheduled ones too: a tag must not fail the build that publishes it
    problems += unknown_tags(documents, config.tags, messages_language(config.messages_language))
    menus, footers = _menus_and_footers(live, config.languages)
    site = Site(
        config=config,
        documents=tuple(live),
        news=MappingProxyType(news),
        translations=MappingProxyType(translations),
        tags=MappingProxyType(
            {
                lang: MappingProxyType({slug: tuple(docs) for slug, docs in sorted(t.items())})
                for lang, t in tag_index.items.items()
            }
        ),
        tag_names=MappingProxyType(tag_index.labels),
        menus=MappingProxyType(menus),
        footers=MappingProxyType(footers),
        skipped=tuple(skipped),
        drafts_shown=include_drafts,
        previewed=MappingProxyType(previewed),
        news_position=MappingProxyType({id(doc): i for items in news.values() for i, doc in enumerate(items)}),
        tag_keys=MappingProxyType(tag_index.keys),
    )
    return site, problems


def _split_live(
    documents: list[Document], now: datetime, include_drafts: bool, include_scheduled: bool
) -> tuple[list[Document], list[Skipped], dict[str, datetime]]:
    """The live documents (by source path, so that no order depends on the file system), the
    skipped ones with why, and when each live one that is only previewed goes live."""
    live, skipped = [], []
    previewed: dict[str, datetime] = {}
    for doc in sorted(documents, key=lambda d: d.source.rel):
        state, goes_live = publication_state(doc, now, include_drafts, include_scheduled)
        if state == LIVE:
            live.append(doc)
            if goes_live is not None:
                previewed[doc.source.rel] = goes_live
        else:
            skipped.append(Skipped(doc, state, goes_live))
    return live, skipped, previewed


def _menus_and_footers(
    live: list[Document], languages: tuple[str, ...]
) -> tuple[dict[str, tuple[Document, ...]], dict[str, tuple[Document, ...]]]:
    """Per language: the pages in the menu (by their ``menu`` rank, then URL), and the footer's
    legal pages (privacy and accessibility layouts)."""
    menus = {
        lang: tuple(
            sorted((d for d in live if d.lang == lang and d.meta.menu is not None), key=lambda d: (d.meta.menu, d.url))
        )
        for lang in languages
    }
    footers = {
        lang: tuple(d for d in live if d.lang == lang and d.meta.layout in ("privacy", "accessibility"))
        for lang in languages
    }
    return menus, footers


def _index_translations(live: list[Document], config: Config) -> tuple[dict[tuple[str, str], Document], list[Problem]]:
    """(translation_key, lang) → document; problems for a key used twice in a language or missing one."""
    problems: list[Problem] = []
    translations: dict[tuple[str, str], Document] = {}
    for doc in live:
        key = doc.meta.translation_key
        if not key:
            continue
        other = translations.get((key, doc.lang))
        if other is not None:
            problems.append(
                Problem(
                    "translation_duplicate",
                    doc.source.shown,
                    doc.line_of("translation_key"),
                    {"key": key, "other": other.source.shown},
                )
            )
        else:
            translations[(key, doc.lang)] = doc
    lone = [
        (key, lang, doc, [code for code in config.languages if (key, code) not in translations])
        for (key, lang), doc in sorted(translations.items())
    ]
    lone = [entry for entry in lone if entry[3]]
    near = _near_keys(lone, translations)
    for key, lang, doc, missing in lone:
        params: dict[str, object] = {"key": key, "missing": ", ".join(missing)}
        if (key, lang) in near:
            params["near"] = near[(key, lang)]
        code = "translation_missing_near" if "near" in params else "translation_missing"
        problems.append(Problem(code, doc.source.shown, doc.line_of("translation_key"), params, WARNING))
    return translations, problems


# Pairs of keys compared at most when looking for near keys: a typo leaves a few keys
# without their pair; a site with hundreds untranslated would only pay for no suggestion.
NEAR_KEY_BUDGET = 5000


def _near_keys(
    lone: list[tuple[str, str, Document, list[str]]], translations: Mapping[tuple[str, str], Document]
) -> dict[tuple[str, str], str]:
    """(key, lang) → a key of the one language it lacks, itself without a page in ``lang``,
    that looks like it (a typo in one of the two files)."""
    from .near import closest

    pairs = [(key, lang, missing[0]) for key, lang, _doc, missing in lone if len(missing) == 1]
    asked = Counter((other, lang) for _key, lang, other in pairs)  # (language of the keys, language they lack)
    unpaired = {  # → its keys, in the index's order (one comprehension per pair of languages)
        (has, lacks): [key for key, code in translations if code == has and (key, lacks) not in translations]
        for has, lacks in asked
    }
    if sum(len(unpaired[group]) * count for group, count in asked.items()) > NEAR_KEY_BUDGET:
        return {}
    found = {(key, lang): closest(key, unpaired[(other, lang)]) for key, lang, other in pairs}
    return {where: key for where, key in found.items() if key is not None}


def _url_conflicts(documents: list[Document]) -> list[Problem]:
    """Two sources that would write the same page: both are named."""
    seen: dict[str, Document] = {}
    problems = []
    for doc in sorted(documents, key=lambda d: d.source.rel):
        first = seen.setdefault(doc.url, doc)
        if first is not doc:
            for one, other in ((doc, first), (first, doc)):
                problems.append(
                    Problem(
                        "url_conflict",
                        one.source.shown,
                        one.line_of("slug", "title"),
                        {"other": other.source.shown, "url": doc.url},
                    )
                )
    return problems


def next_go_live(site: Site) -> datetime | None:
    """The earliest moment a scheduled item becomes live (for the build log and CI schedules)."""
    moments = [s.goes_live for s in site.skipped if s.goes_live is not None]
    return min(moments) if moments else None


def unpublished_items(site: Site) -> dict[str, Skipped]:
    """The drafts and scheduled items left out of ``site``, by their shown path (expired ones need no check).

    Here, not in :mod:`sitegen.unpublished`, which checks them: a build without any imports none of that."""
    return {s.document.source.shown: s for s in site.skipped if s.reason in (DRAFT, SCHEDULED)}
