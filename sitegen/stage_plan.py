"""Stage 4: the plan: every output file, pages as jobs with their keys, the rest as bytes or paths.

Every output address has one owner (:mod:`sitegen.addresses`): a clash fails the plan
before anything is written.  :func:`with_cards` adds the social cards, icons and feed
stylesheet, drawn in the cache.

Page bodies are resolved here (links rewritten, images completed with their variants by
:class:`sitegen.media.Media`), because a page's key depends on its body; each body's
links are kept to be checked once the site is written (:mod:`sitegen.links`).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path

from . import body_facts
from .addresses import ownership_problems
from .assets import collect_static
from .bodies import BodyCache, BodyRecord, Deferral, Deferred, SentRecord, body_maker, link_digest
from .cache.files import CacheFolder
from .card_files import card_files
from .config import Config
from .content import Document
from .dates import remember_days
from .errors import BuildError, Problem
from .feed_page import style_file
from .feeds import atom_feed, feed_key, feed_path, headers_file, robots_txt, sitemap, sitemap_key
from .icons import icon_files
from .incremental import PageRecord, page_depends_digest, page_digest, shell_digest, site_digest
from .links import DocumentLinks, Link, make_resolver
from .media import Media
from .output import CacheFile
from .output_claims import plan_claims
from .pages import PageJob, plan_pages, resolve_body_links
from .render import load_strings
from .site import Site
from .urls import output_file


@dataclass(frozen=True)
class Generated:
    """A file made from the whole site (a feed, the sitemap), made only when its key changed.

    ``key`` is the digest of exactly what its bytes are made of (:func:`sitegen.feeds.feed_key`,
    :func:`sitegen.feeds.sitemap_key`): a build whose key is the one the last build recorded for
    the file takes the last build's file as it is, and never calls ``make``.
    """

    key: str
    make: Callable[[], bytes] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Plan:
    """Stage 4's result: every page with its key, the other files, and the links to check."""

    jobs: tuple[PageJob, ...]
    keys: tuple[str | None, ...]  # None: made where the page is rendered
    signatures: tuple[str | None, ...]
    digest: str
    others: Mapping[str, bytes | Path | Generated]  # a Generated: a feed or the sitemap, made if needed
    links: tuple[DocumentLinks, ...]
    problems: tuple[Problem, ...]
    deferred: tuple[Deferred, ...] = ()  # bodies resolved where their pages are rendered (with_bodies)


def plan(
    config: Config,
    site: Site,
    asset_files: dict[str, Path],
    parse_digest: str,
    drafts: bool,
    bodies: BodyCache,
    previous: Mapping[str, PageRecord],
    cache: CacheFolder | None = None,
) -> Plan:
    """Every output file: pages as jobs with their keys; assets as bytes or paths, feeds and sitemap
    as :class:`Generated`.

    ``bodies`` remembers resolved bodies between builds (see :mod:`sitegen.bodies`).
    ``previous`` is the last build's record of each page: a page whose depends digest is the
    one recorded there keeps the recorded page digest, and its values are not even made.
    ``cache``: where image variants are cached (``None``: encoded in memory).
    """
    strings = load_strings(config)
    # the days the pages and feeds show, in words: Babel is asked only for new ones (sitegen.dates)
    remember_days(cache, _days(site))
    asset_urls, static = collect_static(config)
    others: dict[str, bytes | Path | Generated] = dict(static)
    for site_path, path in asset_files.items():
        others[site_path.lstrip("/")] = path
    resolver = _Bodies(config, site, asset_files, cache)
    links_digest = link_digest(config, parse_digest, site.documents, asset_files)
    deferral = Deferral(resolver.media_free, resolver.recorded)
    deferred: list[Deferred] = []
    body = body_maker(
        bodies, links_digest, resolver.full, resolver.again, resolver.links, resolver.problems, deferral, deferred
    )
    jobs = plan_pages(site, strings, asset_urls, body)
    others.update(resolver.media.files)
    digest = site_digest(config, parse_digest, asset_urls, drafts)
    keys, signatures = _keys(jobs, site, digest, previous)
    others.update(_site_files(config, site, strings, jobs, digest))
    problems = tuple(resolver.problems) + tuple(resolver.media.problems)
    # --- one owner per address (sitegen.addresses, issue 15.2): a clash is an error, never a silent winner
    owners = ownership_problems(plan_claims(config, site, jobs, asset_urls, asset_files, resolver.media.files))
    if owners:  # before anything is written: a file where a folder goes would fail the write
        raise BuildError([*problems, *owners])
    return Plan(tuple(jobs), keys, signatures, digest, others, tuple(resolver.links), problems, tuple(deferred))


class _Bodies:
    """Resolves page bodies: links rewritten and remembered, images completed (:class:`Media`)."""

    def __init__(self, config: Config, site: Site, asset_files: dict[str, Path], cache: CacheFolder | None) -> None:
        self.config, self.asset_files = config, asset_files
        self.by_rel = {doc.source.rel: doc for doc in site.documents}
        self.links: list[DocumentLinks] = []  # each body's links, by document
        self.problems: list[Problem] = []
        self._pending: list[Link] = []
        self._resolve = make_resolver(config, self.by_rel, asset_files, self.problems, self._pending)
        self.media = Media(config, asset_files, cache)
        self.asset_names = {posixpath.basename(site_path) for site_path in asset_files}

    def full(self, doc: Document) -> tuple[str, bool]:
        """The body, and whether it is media-free (no image, no link to a content file)."""
        media_problems, media_files = len(self.media.problems), len(self.media.files)
        resolved = resolve_body_links(doc, self._resolve)
        found = tuple(self._pending)
        self._pending.clear()
        self.links.append((doc, found))
        enhanced = self.media.enhance(doc, resolved)
        media_free = (
            enhanced == resolved
            and len(self.media.problems) == media_problems
            and len(self.media.files) == media_files
            and not doc.media.image
            and not any(link.site_path in self.asset_files for link in found)
        )
        return enhanced, media_free

    def media_free(self, doc: Document) -> bool:
        """Whether the body surely involves no media: no image, no link whose file name is a content
        file's; asked of what its parse noted (:mod:`sitegen.body_facts`), the body not read."""
        return body_facts.media_free(doc.media, self.asset_names)

    def recorded(self, doc: Document) -> tuple[str, BodyRecord]:
        """A media-free body resolved (where its page is rendered), with its links and problems."""
        problems: list[Problem] = []
        found: list[Link] = []
        body = resolve_body_links(doc, make_resolver(self.config, self.by_rel, self.asset_files, problems, found))
        return body, BodyRecord(tuple(found), tuple(problems))

    def again(self, doc: Document) -> str:
        """A known, media-free body: its links and problems are known already."""
        return resolve_body_links(doc, make_resolver(self.config, self.by_rel, self.asset_files, [], []))


def with_cards(config: Config, planned: Plan, use_cache: bool, jobs: int) -> Plan:
    """The plan with every page's social card (drawn into ``<cache_dir>/cards/`` when missing,
    on ``jobs`` processes), the icons and the feeds' stylesheet (:mod:`sitegen.cards`)."""
    cards, problems = card_files(config, planned.jobs, use_cache, jobs)
    # hard-linked into the output, not copied (card_files makes them CacheFiles: 11 000 paths less)
    linked = {rel: path if isinstance(path, CacheFile) else CacheFile(path) for rel, path in cards.items()}
    others = {**planned.others, **linked, **icon_files(config, use_cache)}
    others.update([style_file()])
    return replace(planned, others=others, problems=(*planned.problems, *problems))


def with_bodies(planned: Plan, found: Mapping[str, SentRecord], bodies: BodyCache) -> Plan:
    """The plan with the links and problems of its deferred bodies (``found``: by body digest, as
    their pages' workers sent them back), in the places resolving them here would have put them;
    each one remembered in ``bodies``."""
    if not planned.deferred:
        return planned
    links, problems = list(planned.links), list(planned.problems)
    strings: dict[str, str] = {}  # the links' site paths and URLs, shared between pages
    for item in reversed(planned.deferred):  # from the last: the earlier slots stay where they were
        sent = found.get(item.body.digest)
        record = sent.record(strings) if sent is not None else item.body.take_record()  # (page not rendered)
        links[item.index] = (item.doc, record.links)  # (plain tuples, as a replayed record's: sitegen.links)
        problems[item.problem_slot : item.problem_slot] = record.problems
        bodies.put(item.body.digest, record)
    return replace(planned, links=tuple(links), problems=tuple(problems), deferred=())


def _keys(
    jobs: list[PageJob], site: Site, digest: str, previous: Mapping[str, PageRecord]
) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Each page's digest and depends digest: a page whose depends digest is unchanged keeps its
    recorded page digest."""
    depends_base = hashlib.sha256(f"{digest}\0{shell_digest(site)}".encode()).hexdigest()
    memo: dict[int, str] = {}
    keys: list[str | None] = []
    signatures: list[str | None] = []
    identities: dict[int, str] = {}  # alive as long as the documents: ids are not reused meanwhile
    for job in jobs:
        signature = page_depends_digest(job, depends_base, identities)
        old = previous.get(output_file(job.site_path))
        if signature is not None and old is not None and old.depends_digest == signature:
            keys.append(old.digest)
        elif old is None:
            # A page the last build did not make (every page of a cold build): it is rendered
            # anyway, so its key is made where it is rendered, from values that are not kept.
            keys.append(None)
        else:
            keys.append(page_digest(job.site_path, job.template, job.context, digest, memo))
        signatures.append(signature)
    return tuple(keys), tuple(signatures)


def _site_files(
    config: Config, site: Site, strings: dict[str, dict[str, str]], jobs: list[PageJob], digest: str
) -> dict[str, bytes | Path | Generated]:
    """The feeds and the sitemap, each with its key (their bytes made only if needed: :class:`Generated`);
    ``robots.txt`` and ``_headers`` (a line or two of the config each)."""
    files: dict[str, bytes | Path | Generated] = {}
    for lang in config.languages:
        files[feed_path(site, lang).lstrip("/")] = Generated(
            feed_key(site, lang, digest), partial(atom_feed, site, lang, strings)
        )
    pages = [(job.site_path, list(job.alternates), _lastmod(job)) for job in jobs if job.in_sitemap]
    files["sitemap.xml"] = Generated(sitemap_key(pages, digest), partial(sitemap, site, pages))
    files["robots.txt"] = robots_txt(site)
    files["_headers"] = headers_file(site)
    return files


def _days(site: Site) -> Iterator[tuple[date, str]]:
    """(day, language) of every date a live document shows: its date and its last update."""
    for doc in site.documents:
        for moment in (doc.meta.date, doc.meta.updated):
            if moment is not None:
                yield moment.date(), doc.lang


def _lastmod(job: PageJob) -> datetime | None:
    doc = job.document
    if doc is None:
        return None
    return doc.meta.updated or doc.meta.date
