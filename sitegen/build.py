"""The build pipeline: gather, parse, assemble, plan, render, check, write.

Each stage is a function that returns a value (like MkDocs' ``build``); only
:func:`build` touches the output folder.  Problems are collected per stage and raised
together, so an editor sees every mistake of a run at once.

Builds are incremental and never stale: sources are parsed again only when their bytes
changed (:mod:`sitegen.sources`), and a page is rendered again only when its key, a
hash of exactly what its template sees, changed (:mod:`sitegen.incremental`); the
others are hard-linked from the previous site into the new one before the atomic swap.
Parsing and rendering run on every core (``--jobs``) with the same output as one process.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import posixpath
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .addresses import ownership_problems
from .assets import collect_static
from .bodies import BodyCache, body_maker, link_digest
from .cache.files import CacheFolder
from .cards import card_files
from .config import Config
from .content import Document, asset_site_path, gather_sources
from .errors import WARNING, BuildError, Problem, raise_if_errors
from .feed_page import style_file
from .feeds import atom_feed, feed_path, headers_file, robots_txt, sitemap
from .icons import icon_files
from .incremental import (
    Manifest,
    PageRecord,
    load_manifest,
    page_depends_digest,
    page_digest,
    save_manifest,
    shell_digest,
    site_digest,
)
from .markdown_render import Reference, source_line
from .media import Media
from .options import BuildOptions, load
from .output import (
    abort_staging,
    begin_staging,
    build_lock,
    commit_staging,
    link_unchanged,
    put_file,
    remove_stale,
    twin_spare,
    write_failed,
)
from .output_claims import plan_claims
from .parallel import default_jobs, parallel_map
from .progress import BuildSummary, Progress
from .render import PageJob, load_strings, make_environment, plan_pages, render_job, resolve_body_links
from .search import INDEX_DIR, carry_index, clear_pending, index_site
from .site import Site, assemble_site, next_go_live
from .sources import SourceParser
from .urls import href, is_external, normalise_site_path, output_file

__all__ = ["BuildOptions", "BuildResult", "BuiltSite", "build", "build_in_memory", "load"]

# A link found in a body, to check once the site is written: (attribute, URL as written,
# site path it leads to, #fragment).
Link = tuple[str, str, str, str]
_ID_RE = re.compile(r'\bid="([^"]+)"')
_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)


@dataclass(frozen=True)
class BuiltSite:
    """A rendered site: its pages, and what happened on the way.

    ``files`` holds every output file's bytes only for :func:`build_in_memory` (``check``);
    :func:`build` streams pages to disk instead of keeping 10 000 of them in memory.
    """

    config: Config
    site: Site
    files: dict[str, bytes | Path]
    pages: tuple[PageJob, ...]
    warnings: tuple[Problem, ...]
    timings: dict[str, float] = field(default_factory=dict)
    # Output files written (new bytes) or removed by this build; None when not known (no manifest).
    changed: frozenset[str] | None = None
    search_pending: bool = False  # serve: the index went live behind the pages (sitegen.search_job)


@dataclass(frozen=True)
class BuildResult:
    built: BuiltSite | None  # None when nothing changed and the fast path answered
    written: int
    unchanged: int
    summary: BuildSummary = field(default_factory=BuildSummary)
    warnings: tuple[Problem, ...] = ()


class Session:
    """What ``serve`` keeps in memory between rebuilds (the parsed sources and their index).

    With ``defer_search`` the pages go live without waiting for Pagefind (see
    :func:`sitegen.search.carry_index`).
    """

    def __init__(self, defer_search: bool = False) -> None:
        self.parser: SourceParser | None = None
        self.defer_search = defer_search
        # serve: the caches are written after the browser was told to reload (save_deferred)
        self._unsaved: tuple | None = None
        self._config: tuple | None = None
        self._environment: tuple | None = None

    def load(self, options: BuildOptions) -> Config:
        """The config, read and validated again only when its file changed (same bytes, same Config)."""
        try:
            st = os.stat(options.config_path)
            key = (options, os.path.abspath(options.config_path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            key = None
        if key is None or self._config is None or self._config[0] != key:
            self._config = (key, load(options))
        return self._config[1]

    def environment(self, config: Config, bytecode_dir: Path | None):
        """The Jinja environment, kept between rebuilds: Jinja loads a template again when its file
        changed.  A new one compiles every template at once, so the first edit does not wait."""
        key = (config.templates_dir, bytecode_dir)
        if self._environment is None or self._environment[0] != key:
            env = make_environment(config, bytecode_dir)
            _warm_templates(env, {name for name in env.list_templates() if name.endswith(".html")})
            self._environment = (key, env)
        return self._environment[1]

    def save_deferred(self) -> None:
        """Write what the last build left to save (manifest, parse and body caches), under the lock.

        ``serve`` calls it once the tabs were told to reload, and the next build calls it
        first: it reads the manifest back from disk.
        """
        if self._unsaved is None:
            return
        config, manifest, parser = self._unsaved
        self._unsaved = None
        with build_lock(config.output_dir):
            _save_caches(config, manifest, parser)

    def defer_save(self, config: Config, manifest: Manifest, parser: SourceParser) -> None:
        self._unsaved = (config, manifest, parser)

    def parser_for(self, config: Config, use_cache: bool) -> SourceParser:
        fresh = SourceParser(config, use_cache) if self.parser is None else None
        if fresh is None and self.parser.config != config:
            fresh = SourceParser(config, use_cache)
        if fresh is not None:
            self.parser = fresh
        return self.parser


def parse_all(
    config: Config, parser: SourceParser | None = None, jobs: int = 1, progress: Progress | None = None
) -> tuple[list[Document], dict[str, Path], list[Problem]]:
    """Stage 1: every Markdown source parsed; content assets by their site path."""
    sources, assets, problems = gather_sources(config)
    parser = parser or SourceParser(config, use_cache=False)
    if progress:
        progress.stage("parse", len(sources))
    documents, found = parser.parse(sources, jobs, progress)
    asset_files = {asset_site_path(a.rel, config): a.path for a in assets}
    return documents, asset_files, problems + found


@dataclass
class _Plan:
    """Stage 3's result: every page with its key, the other files, and the links to check."""

    jobs: list[PageJob]
    keys: list[str | None]  # None: made when the page is rendered
    signatures: list[str | None]
    digest: str
    others: dict[str, bytes | Path]
    links: list
    problems: list[Problem]


def plan_site(
    config: Config,
    site: Site,
    asset_files: dict[str, Path],
    parse_digest: str,
    drafts: bool,
    bodies: BodyCache | None = None,
    previous: dict[str, PageRecord] | None = None,
    cache: CacheFolder | None = None,
) -> _Plan:
    """Stage 3: every output file: pages as jobs with their keys; feeds, sitemap and assets as bytes or paths.

    ``bodies`` remembers resolved bodies between builds (see :mod:`sitegen.bodies`).
    ``previous`` is the last build's record of each page: a page whose depends digest is the
    one recorded there keeps the recorded page digest, and its values are not even made.
    ``cache``: where image variants are cached (``None``: encoded in memory).
    """
    strings = load_strings(config)
    asset_urls, others = collect_static(config)
    for site_path, path in asset_files.items():
        others[site_path.lstrip("/")] = path
    problems: list[Problem] = []
    links: list[tuple[Document, tuple[Link, ...]]] = []  # each body's links, by document
    pending: list[Link] = []
    by_rel = {doc.source.rel: doc for doc in site.documents}
    resolver = _make_resolver(config, by_rel, asset_files, problems, pending)
    media = Media(config, asset_files, cache)

    def resolve_full(doc: Document) -> tuple[str, bool]:
        media_problems, media_files = len(media.problems), len(media.files)
        resolved = resolve_body_links(doc, resolver)
        found = tuple(pending)
        pending.clear()
        links.append((doc, found))
        enhanced = media.enhance(doc, resolved)
        media_free = (
            enhanced == resolved
            and len(media.problems) == media_problems
            and len(media.files) == media_files
            and _IMG_TAG.search(doc.converted.html) is None
            and not any(link[2] in asset_files for link in found)
        )
        return enhanced, media_free

    def resolve_again(doc: Document) -> str:  # a known, media-free body: its links and problems are known
        return resolve_body_links(doc, _make_resolver(config, by_rel, asset_files, [], []))

    links_digest = link_digest(config, parse_digest, site.documents, asset_files)
    body = body_maker(bodies or BodyCache(None), links_digest, resolve_full, resolve_again, links, problems)
    jobs = plan_pages(site, strings, asset_urls, body)
    others.update(media.files)
    problems += media.problems
    digest = site_digest(config, parse_digest, asset_urls, drafts)
    depends_base = hashlib.sha256(f"{digest}\0{shell_digest(site)}".encode()).hexdigest()
    memo: dict[int, str] = {}
    keys, signatures = [], []
    previous = previous or {}
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
    for lang in config.languages:
        others[feed_path(site, lang).lstrip("/")] = atom_feed(site, lang, strings)
    sitemap_pages = [
        (job.site_path, list(job.alternates), _lastmod(job)) for job in jobs if not job.site_path.endswith("404.html")
    ]
    others["sitemap.xml"] = sitemap(site, sitemap_pages)
    others["robots.txt"] = robots_txt(site)
    others["_headers"] = headers_file(site)
    # --- one owner per address (sitegen.addresses, issue 15.2): a clash is an error, never a silent winner
    owners = ownership_problems(plan_claims(config, site, jobs, asset_urls, asset_files, media.files))
    if owners:  # before anything is written: a file where a folder goes would fail the write
        raise BuildError(problems + owners)
    return _Plan(jobs, keys, signatures, digest, others, links, problems)


def _lastmod(job: PageJob) -> datetime | None:
    doc = job.document
    if doc is None:
        return None
    return doc.meta.updated or doc.meta.date


def _make_resolver(config: Config, by_rel: dict, asset_files: dict, problems: list, links: list):
    """How links written in Markdown become site links (and what is remembered for checking)."""

    def resolve(doc: Document, ref: Reference) -> str | None:
        url = ref.url.strip()
        if not url or url.startswith("#") or is_external(url):
            if url.startswith("#") and len(url) > 1:
                links.append((ref.attr, ref.url, doc.url, url[1:]))
            return None
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        if path.startswith("/"):
            site_path = normalise_site_path(path)
        else:
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.source.rel), path))
            if rel.startswith("../") or rel == "..":
                problems.append(_problem(doc, ref, "path_outside", {"target": url}))
                return url
            if rel.endswith(".md"):
                target = by_rel.get(rel)
                site_path = target.url if target else None
            else:
                site_path = asset_site_path(rel, config)
                if site_path not in asset_files:
                    site_path = None
            if site_path is None:
                code = "image_missing" if ref.attr == "src" else "link_missing"
                problems.append(_problem(doc, ref, code, {"target": url}))
                return url
        if site_path is None:
            problems.append(_problem(doc, ref, "path_outside", {"target": url}))
            return url
        links.append((ref.attr, ref.url, site_path, fragment))
        return href(site_path, config.base_path) + (f"#{fragment}" if fragment else "")

    return resolve


def _problem(doc: Document, ref: Reference, code: str, params: dict) -> Problem:
    return Problem(code, doc.source.shown, source_line(doc.markdown, doc.body_line, ref.url), params)


def check_links(links: list[tuple[Document, tuple[Link, ...]]], ids_of, existing: set[str]) -> list[Problem]:
    """Every link written in Markdown leads to an output file, and every ``#anchor`` to an id there.

    ``ids_of(file)`` gives the ids of an output page; it is only asked about link targets.
    """
    problems = []
    targets: dict[str, str | None] = {}  # many links lead to the same pages
    for doc, found in links:
        for attr, url, site_path, fragment in found:
            target = targets.get(site_path, False)
            if target is False:
                target = targets[site_path] = _target_file(existing, site_path)
            if target is None:
                code = "image_missing" if attr == "src" else "link_missing"
                problems.append(_problem(doc, Reference(attr, url), code, {"target": url}))
            elif fragment and target.endswith(".html") and fragment not in ids_of(target):
                problems.append(
                    _problem(doc, Reference(attr, url), "anchor_missing", {"target": url, "anchor": fragment})
                )
    return problems


def _target_file(existing: set[str], site_path: str) -> str | None:
    candidates = [output_file(site_path)]
    if not site_path.endswith("/"):
        candidates.append(site_path.lstrip("/") + "/index.html")
    return next((c for c in candidates if c in existing), None)


def page_ids(data: bytes) -> frozenset[str]:
    """The ``id`` attributes of a rendered page (targets of ``#anchor`` links)."""
    return frozenset(html_lib.unescape(i) for i in _ID_RE.findall(data.decode("utf-8")))


# --- rendering, in this process or in forked workers ------------------------------------

_render_state: tuple | None = None


def _render_one(index: int):
    """Render page ``index`` of the plan; write it to staging (build) or return its bytes (check)."""
    env, jobs, keys, digest, staging, output = _render_state  # type: ignore[misc]
    job = jobs[index]
    key = keys[index]
    try:
        if key is None:  # values made for this page only and dropped after it (memory at 10 000 pages)
            context = job.make_context()
            key = page_digest(job.site_path, job.template, context, digest, {})
            data = render_job(env, job, context)
        else:
            data = render_job(env, job)
    except BuildError as error:  # returned, not raised: BuildError does not survive pickling
        return error.problems
    if staging is None:
        return len(data), 0, key, True, data
    size, mtime_ns, written = put_file(staging, output, output_file(job.site_path), data)
    return size, mtime_ns, key, written, None


def _page_kind(job: PageJob) -> str:
    if job.document is not None:
        return job.document.kind
    return {"news_list.html": "listing", "tags.html": "tags", "tag.html": "tag", "404.html": "404"}.get(
        job.template, job.template
    )


def _valid_until(site: Site, now: datetime) -> datetime | None:
    """The next moment the set of live documents changes by itself (a go-live or an expiry)."""
    moments = [m for m in [next_go_live(site)] if m is not None]
    moments += [d.meta.expires_at for d in site.documents if d.meta.expires_at is not None and d.meta.expires_at > now]
    return min(moments) if moments else None


def _produce(
    config: Config, options: BuildOptions, parser: SourceParser, write: bool, session: Session | None = None
) -> tuple[BuiltSite, BuildSummary, Manifest | None]:
    """Stages 1-5.  With ``write`` the new site is swapped in; otherwise every page is kept in memory."""
    timings: dict[str, float] = {}
    jobs_count = options.jobs or default_jobs()
    progress = Progress(enabled=options.progress)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - clock
        clock = time.perf_counter()

    documents, asset_files, problems = parse_all(config, parser, jobs_count, progress)
    lap("parse")
    now = options.now or datetime.now(UTC)
    site, site_problems = assemble_site(documents, config, now, options.drafts)
    problems += site_problems
    raise_if_errors(problems)
    lap("assemble")
    output = config.output_dir
    manifest = load_manifest(config, parser.cache.notices) if (write and options.cache) else Manifest()
    plan = plan_site(
        config, site, asset_files, parser.parse_digest, options.drafts, parser.bodies, manifest.pages, parser.cache
    )
    problems += plan.problems
    # cards: every page's social card, drawn into <cache_dir>/cards/ when missing (sitegen.cards)
    cards, card_problems = card_files(config, plan.jobs, options.cache, jobs_count)
    plan.others.update(cards)
    plan.others.update(icon_files(config))  # cards: favicon.svg, apple-touch-icon.png (sitegen.icons)
    plan.others.update([style_file()])  # cards: the feeds' stylesheet (sitegen.feed_page)
    problems += card_problems
    lap("plan")

    staging, reused = begin_staging(output, manifest.spare_id) if write else (None, False)
    summary = BuildSummary(output=str(output), converted=parser.converted)
    records: dict[str, PageRecord] = {}
    files: dict[str, bytes | Path] = {}
    written_files: list[str] = []
    search_pending = False
    try:
        todo = []
        for index, job in enumerate(plan.jobs):
            rel = output_file(job.site_path)
            old = manifest.pages.get(rel)
            if (
                staging is not None
                and old is not None
                and old.digest == plan.keys[index]
                and link_unchanged(staging, output, rel, old.size, old.mtime_ns)
            ):
                signature = plan.signatures[index]
                records[rel] = old if old.depends_digest == signature else replace(old, depends_digest=signature)
                summary.unchanged += 1
            else:
                todo.append(index)
        # Compiled templates are code: never kept in the cache (see sitegen.cache), compiled each build.
        env = (session.environment if session else make_environment)(config, None)
        _warm_templates(env, {plan.jobs[i].template for i in todo})
        global _render_state
        _render_state = (env, plan.jobs, plan.keys, plan.digest, staging, output)
        progress.stage("render", len(todo))
        try:
            results = parallel_map(_render_one, todo, jobs_count, progress.advance)
        finally:
            _render_state = None
        render_problems: list[Problem] = []
        for index, result in zip(todo, results, strict=False):
            if isinstance(result, tuple) and len(result) == 5:
                size, mtime_ns, key, written, data = result
                rel = output_file(plan.jobs[index].site_path)
                records[rel] = PageRecord(key, size, mtime_ns, None, plan.signatures[index])
                if written:
                    written_files.append(rel)
                summary.written += written
                summary.unchanged += not written
                if data is not None:
                    files[rel] = data
            else:
                render_problems += result
        summary.rendered = len(todo)
        if render_problems:
            raise BuildError(one_per_template_line(render_problems))
        lap("render")
        for rel in sorted(plan.others):
            if staging is not None:
                written = put_file(staging, output, rel, plan.others[rel])[2]
                if written:
                    written_files.append(rel)
                summary.written += written
                summary.unchanged += not written
            else:
                files[rel] = plan.others[rel]
        existing = set(records) | set(plan.others)
        changed = (frozenset(written_files) | (manifest.files - existing)) if manifest.files else None
        if reused:
            remove_stale(staging, manifest.spare_files - existing)
        lap("write")
        problems += check_links(plan.links, _ids_reader(records, files, staging), existing)
        raise_if_errors(problems)
        warnings = tuple(p for p in problems if p.severity == WARNING)
        if options.strict and warnings:
            raise BuildError(warnings)
        lap("links")
        if staging is not None:
            deferred = config.search and session is not None and session.defer_search
            if reused and (staging / INDEX_DIR).exists() and not deferred:
                # The spare's index files are hard links into the live site's: Pagefind must
                # write into a fresh folder, never through them (and none is kept without search).
                shutil.rmtree(staging / INDEX_DIR)
            if config.search:
                pages_changed = None if changed is None else any(rel.endswith(".html") for rel in changed)
                if deferred:  # links only, never written through: the spare's index is brought up to date
                    search_pending = not carry_index(staging, output, pages_changed)
                else:  # in the staging folder: the index goes live with exactly these pages
                    index_site(staging, output, pages_changed)
                lap("search")
            # The old site is kept as the next build's spare only when this manifest knows its
            # files (and a manifest will be saved to remember them).
            spare_id = commit_staging(staging, output, keep_spare=bool(options.cache and manifest.files))
            spare_files = manifest.files if spare_id is not None else frozenset()
            if spare_id is None and options.cache:
                spare_id = twin_spare(output, existing)
                spare_files = frozenset(existing) if spare_id is not None else frozenset()
            if not search_pending:
                clear_pending(output)  # a serve build had left the index behind: it is whole again
            lap("swap")
    except OSError as exc:
        if staging is not None:
            abort_staging(staging)
        raise write_failed(output, exc) from None
    except BaseException:
        if staging is not None:
            abort_staging(staging)
        raise
    finally:
        progress.close()
    for job in plan.jobs:
        kind = _page_kind(job)
        summary.pages_by_kind[kind] = summary.pages_by_kind.get(kind, 0) + 1
    summary.files = len(existing)
    summary.skipped = [
        (s.document.source.shown, s.reason, s.goes_live.isoformat() if s.goes_live else "") for s in site.skipped
    ]
    upcoming = next_go_live(site)
    summary.next_go_live = upcoming.isoformat() if upcoming else ""
    summary.timings = timings
    built = BuiltSite(config, site, files, tuple(plan.jobs), warnings, timings, changed, search_pending)
    new_manifest = None
    if staging is not None:
        new_manifest = Manifest(
            output_ino=os.stat(output).st_ino,
            pages=records,
            valid_until=_valid_until(site, now),
            summary=summary,
            warnings=warnings,
            files=frozenset(existing),
            spare_id=spare_id,
            spare_files=spare_files,
        )
    return built, summary, new_manifest


def _ids_reader(records: dict[str, PageRecord], files: dict, staging: Path | None):
    """``ids_of(file)``: from the manifest when known, else read once from the new page and remembered."""

    def ids_of(rel: str) -> frozenset[str]:
        record = records.get(rel)
        if record is not None and record.ids is not None:
            return record.ids
        data = files.get(rel)
        if data is None and staging is not None:
            data = (staging / rel).read_bytes()
        ids = page_ids(data) if isinstance(data, bytes) else frozenset()
        if record is not None:
            records[rel] = replace(record, ids=ids)
        return ids

    return ids_of


def _warm_templates(env, names: set[str]) -> None:
    """Compile the templates once here, before forking, instead of once per worker."""
    for name in sorted(names):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - render_job reports template errors with file and line
            pass


def build_in_memory(config: Config, options: BuildOptions) -> BuiltSite:
    """Stages 1-4 without writing anything; raises :class:`BuildError` with every problem."""
    built, _summary, _manifest = _produce(config, options, SourceParser(config, use_cache=False), write=False)
    return built


def one_per_template_line(problems: list[Problem]) -> list[Problem]:
    """A broken template fails every page that uses it: report each template line once.

    Pages come back from the workers in plan order, so the page named is always the same.
    """
    seen: dict[tuple, Problem] = {}
    for problem in problems:
        seen.setdefault((problem.code, problem.path, problem.line), problem)
    return list(seen.values())


def _save_caches(config: Config, manifest: Manifest, parser: SourceParser) -> list[Problem]:
    """What the next build reads back: the output's manifest, the parse and body caches; the
    notices about the cache (entries ignored, files not saved)."""
    save_manifest(config, manifest, parser.cache.notices)
    return parser.save()


def build(options: BuildOptions, session: Session | None = None) -> BuildResult:
    """Build the site and replace the output folder atomically (only what changed is rendered)."""
    from . import fastpath

    config = session.load(options) if session else load(options)
    if session is not None:
        session.save_deferred()
    with build_lock(config.output_dir):
        started = time.perf_counter()
        # (serve never asks the no-change fast path, which is the CLI's: no stat walk per rebuild)
        fingerprint = fastpath.fingerprint(config, options) if options.cache and session is None else None
        fastpath.forget(config)  # the output is about to change: the last record no longer describes it
        parser = session.parser_for(config, options.cache) if session else SourceParser(config, options.cache)
        built, summary, manifest = _produce(config, options, parser, write=True, session=session)
        notices: list[Problem] = []
        if options.cache and manifest is not None:
            if session is not None and session.defer_search:
                session.defer_save(config, manifest, parser)
            else:
                notices = _save_caches(config, manifest, parser)
                if fingerprint is not None:
                    fastpath.save_record(config, fingerprint, manifest)
        summary.timings["total"] = time.perf_counter() - started
    return BuildResult(built, summary.written, summary.unchanged, summary, built.warnings + tuple(notices))
