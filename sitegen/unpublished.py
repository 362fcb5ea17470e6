"""Drafts and scheduled items are checked at every build, as if they were live, and leave no trace.

A scheduled item goes live unattended, when nobody is watching the build: whatever would
break it then (a link, an anchor, an image, its alt text, a translation, a template) must
fail the build now, while its author is there.  A draft is checked too, as a warning in a
build (a draft never blocks the rest) and as an error in ``check``.

How: the site is assembled again *as if* every draft and scheduled item were live and
its pages planned (only those items' bodies resolved; nothing drawn or written); the pages
of those items are rendered into memory (:class:`~sitegen.target.MemoryTarget`) and their links
checked against that site.  Only the problems of those items are kept, each saying the
item's state ("programmata per il 5 dicembre 2026 alle 09:00: …"); a clash the item causes
(a translation_key or an address already taken) is said of the item even when the check
names the other file first.  The real output target is never touched, so nothing of them
reaches the output, nor do the content files only they use (:mod:`sitegen.holdback`).  A
site with no draft and no scheduled item does none of this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import jinja2

from .addresses import Claim, ownership_problems
from .assets import collect_static
from .bodies import LazyBody
from .card_files import card_problems
from .config import Config
from .content import Document
from .errors import ERROR, WARNING, Problem
from .links import DocumentLinks, Link, check_links, make_resolver, page_ids
from .media import Media
from .messages import LANGUAGES, render_message
from .moments import moment_text
from .near import heading_ids
from .output_claims import plan_claims
from .pages import PageJob, plan_pages, resolve_body_links
from .parallel import parallel_map
from .render import load_strings
from .site import SCHEDULED, Site, Skipped, assemble_site, unpublished_items
from .sources import SourceParser
from .stage_parse import Parsed
from .stage_render import RenderContext, render_one
from .target import MemoryTarget
from .urls import output_file


@dataclass(frozen=True)
class Pending:
    """What the check of unpublished items needs besides the live site."""

    parsed: Parsed
    parser: SourceParser
    environment: Callable[[], jinja2.Environment]
    jobs: int
    now: datetime
    drafts_are_errors: bool  # ``check``: a draft's problems are errors; ``build``: warnings
    live_files: frozenset[str]  # every file of the live site (with what is drawn, which is not drawn again here)


def check_unpublished(config: Config, site: Site, pending: Pending) -> tuple[Problem, ...]:
    """The problems the drafts and scheduled items of ``site`` would have if they were live,
    each marked with the item's state (see the module docstring)."""
    items = unpublished_items(site)
    if not items:
        return ()
    documents = list(pending.parsed.documents)
    preview, found = assemble_site(documents, config, pending.now, include_drafts=True, include_scheduled=True)
    problems = [p for p in found if p.path in items] + _duplicate_keys(found, items)
    planned = _preview_plan(config, preview, items, pending)
    problems += [p for p in planned.problems if p.path in items]
    problems += card_problems(config, [item.document for item in items.values()])  # image: of the social card
    problems += _render_and_check(config, planned, items, pending)
    return _marked(problems, items, config, pending.drafts_are_errors)


@dataclass(frozen=True)
class _PreviewPlan:
    """The pages of the site as if every item were live; the items' links, problems and image files."""

    jobs: tuple[PageJob, ...]
    links: tuple[DocumentLinks, ...]
    problems: tuple[Problem, ...]
    files: frozenset[str]  # the image variants the items' bodies would publish


def _preview_plan(config: Config, preview: Site, items: Mapping[str, Skipped], pending: Pending) -> _PreviewPlan:
    """Every page of ``preview``; only the items' bodies are resolved in full (links, images,
    alt text), the others only if a link's ``#anchor`` makes their page needed.

    Less than :func:`sitegen.stage_plan.plan`: no feeds, sitemap or keys, which the check
    does not read (the live plan made them); every address's owner is checked again, for the
    clashes only the items cause (a reserved address, a tag page)."""
    asset_files = pending.parsed.asset_files
    by_rel = {doc.source.rel: doc for doc in preview.documents}
    problems: list[Problem] = []
    found: list[Link] = []
    links: list[DocumentLinks] = []
    resolve = make_resolver(config, by_rel, asset_files, problems, found)
    media = Media(config, asset_files, pending.parser.cache)

    def body(doc: Document) -> str | LazyBody:
        if doc.source.shown not in items:  # (not an item: its ids are all a link can ask of its page)
            return LazyBody("", lambda: resolve_body_links(doc, make_resolver(config, by_rel, asset_files, [], [])))
        html = resolve_body_links(doc, resolve)
        links.append((doc, tuple(found)))
        found.clear()
        return media.enhance(doc, html)

    asset_urls, _static = collect_static(config)
    jobs = plan_pages(preview, load_strings(config), asset_urls, body)
    # Addresses: the live plan checked its own; only the items can clash now (a reserved address, a file).
    claims = plan_claims(config, preview, jobs, asset_urls, asset_files, media.files)
    problems += _address_clashes(claims, items)
    return _PreviewPlan(tuple(jobs), tuple(links), (*problems, *media.problems), frozenset(media.files))


def _duplicate_keys(found: list[Problem], items: Mapping[str, Skipped]) -> list[Problem]:
    """A translation_key used twice in a language, reported on the live page when the item sorts
    first: said of the item instead, whose key makes the clash."""
    moved = []
    for problem in found:
        item = items.get(str(problem.params.get("other", "")))
        if problem.code == "translation_duplicate" and problem.path not in items and item is not None:
            doc = item.document
            params = {**problem.params, "other": problem.path}
            moved.append(Problem(problem.code, doc.source.shown, doc.line_of("translation_key"), params))
    return moved


def _address_clashes(claims: list[Claim], items: Mapping[str, Skipped]) -> list[Problem]:
    """The address clashes an item causes, each said of the item (when the other claimant is
    the one reported, the two are swapped)."""
    shown = {claim.shown: claim for claim in claims}
    own = {claim.shown: claim for claim in claims if claim.where in items}
    clashes = []
    for problem in ownership_problems(claims):
        item = own.get(str(problem.params["other"]))
        mine = shown.get(problem.path if problem.line is None else f"{problem.path}:{problem.line}")
        if mine is not None and mine.kind == "claim_page" == shown[str(problem.params["other"])].kind:
            continue  # two pages at one address: the assembly's url_conflict says so, naming both
        if item is not None and problem.path not in items:
            other = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
            params = {**problem.params, "what": problem.params["other_what"], "other_what": problem.params["what"]}
            problem = Problem(problem.code, item.where, item.line, params | {"other": other})
        if problem.path in items and problem.line is None:  # the item's page: named by its slug or title line
            problem = replace(problem, line=items[problem.path].document.line_of("slug", "title"))
        clashes.append(problem)  # (one that is not an item's is dropped by the caller: the live plan had none)
    return clashes


def _render_and_check(
    config: Config, planned: _PreviewPlan, items: Mapping[str, Skipped], pending: Pending
) -> list[Problem]:
    """Render the items' pages into memory; their template problems and broken links or anchors."""
    target = MemoryTarget(config.output_dir)
    target.begin()
    env = pending.environment()
    context = RenderContext(env, planned.jobs, (None,) * len(planned.jobs), "", target)
    by_file = {output_file(job.site_path): index for index, job in enumerate(planned.jobs)}
    own = [i for i, job in enumerate(planned.jobs) if job.document is not None and job.document.source.shown in items]
    problems: list[Problem] = []
    for index, result in zip(own, parallel_map(render_one, own, context, pending.jobs), strict=True):
        doc = planned.jobs[index].document
        assert doc is not None  # chosen for their document
        # A template problem names the template: the item it broke is named by the mark.
        problems += [replace(p, params={**p.params, "_item": doc.source.shown}) for p in result.problems]
        if result.written is not None:
            target.keep(output_file(planned.jobs[index].site_path), result.written)

    def page_of(rel: str) -> bytes | None:
        data = target.read(rel)
        if data is None and rel in by_file:  # a page the items link to with an #anchor: made only for that
            made = render_one(context, by_file[rel])
            if made.written is not None:
                target.keep(rel, made.written)
                data = made.written.data
        return data

    def ids_of(rel: str) -> frozenset[str]:
        data = page_of(rel)
        return page_ids(data) if data is not None else frozenset()

    def headings_of(rel: str) -> list[str]:
        data = page_of(rel)
        return heading_ids(data) if data is not None else []

    # Every content file too: those only the items use are held back from the live site (sitegen.holdback).
    content_files = frozenset(path.lstrip("/") for path in pending.parsed.asset_files)
    existing = frozenset(by_file) | planned.files | pending.live_files | content_files
    return problems + check_links(planned.links, ids_of, existing, headings_of)


def _marked(
    problems: list[Problem], items: Mapping[str, Skipped], config: Config, drafts_are_errors: bool
) -> tuple[Problem, ...]:
    """Each problem as one of its item: "programmata per il …: <problem>" or "bozza, non pubblicata: <problem>"."""
    marked = []
    for problem in problems:
        shown = str(problem.params.get("_item", problem.path))
        item = items[shown]
        params: dict[str, object] = {f"problem_{lang}": _inner_text(problem, shown, lang) for lang in LANGUAGES}
        if item.reason == SCHEDULED and item.goes_live is not None:
            params |= {f"when_{lang}": moment_text(item.goes_live, lang, config.zone) for lang in LANGUAGES}
            code, severity = "unpublished_scheduled", problem.severity
        else:
            code = "unpublished_draft"
            severity = problem.severity if drafts_are_errors or problem.severity != ERROR else WARNING
        line = problem.line if problem.path == shown else None
        marked.append(Problem(code, shown, line, params, severity))
    return tuple(marked)


def _inner_text(problem: Problem, shown: str, lang: str) -> str:
    """The problem's words; with its own ``path:line`` when it lies in another file (a template)."""
    params = {key: value for key, value in problem.params.items() if key != "_item"}
    if problem.path == shown:
        return render_message(problem.code, lang, params)
    return Problem(problem.code, problem.path, problem.line, params).format(lang)
