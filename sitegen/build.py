"""The build pipeline: gather, parse, assemble, render, check, write.

Each stage is a function that returns a value (like MkDocs' ``build``); only
:func:`build` touches the output folder.  Problems are collected per stage and raised
together, so an editor sees every mistake of a run at once.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .assets import collect_static
from .config import Config, load_config
from .content import Document, asset_site_path, gather_sources, parse_document
from .errors import WARNING, BuildError, Problem, raise_if_errors
from .feeds import atom_feed, feed_path, headers_file, robots_txt, sitemap
from .markdown_render import Reference, source_line
from .media import Media
from .output import build_lock, write_site
from .render import PageJob, load_strings, make_environment, plan_pages, render_job, resolve_body_links
from .site import Site, assemble_site
from .urls import href, is_external, normalise_site_path, output_file

_ID_RE = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asks for."""

    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    now: datetime | None = None


@dataclass(frozen=True)
class BuiltSite:
    """A rendered site in memory: every output file, and what happened on the way."""

    config: Config
    site: Site
    files: dict[str, bytes | Path]
    pages: tuple[PageJob, ...]
    warnings: tuple[Problem, ...]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    built: BuiltSite
    written: int
    unchanged: int


def load(options: BuildOptions) -> Config:
    """Stage 0: the validated config with command-line overrides applied."""
    config = load_config(options.config_path)
    return config.with_overrides(base_url=options.base_url, output_dir=options.output)


def parse_all(config: Config) -> tuple[list[Document], dict[str, Path], list[Problem]]:
    """Stage 1: every Markdown source parsed; content assets by their site path."""
    sources, assets, problems = gather_sources(config)
    documents = []
    for source in sources:
        doc, found = parse_document(source, config)
        problems += found
        if doc is not None:
            documents.append(doc)
    asset_files = {asset_site_path(a.rel, config): a.path for a in assets}
    return documents, asset_files, problems


def render_site(config: Config, site: Site, asset_files: dict[str, Path]) -> tuple[dict, list[PageJob], list[Problem]]:
    """Stage 3: every output file in memory (pages, feeds, sitemap, assets)."""
    strings = load_strings(config)
    asset_urls, files = collect_static(config)
    for site_path, path in asset_files.items():
        files[site_path.lstrip("/")] = path
    problems: list[Problem] = []
    links: list[tuple[Document, Reference, str, str]] = []
    by_rel = {doc.source.rel: doc for doc in site.documents}
    resolver = _make_resolver(config, by_rel, asset_files, problems, links)
    media = Media(config, asset_files)
    jobs = plan_pages(site, strings, asset_urls, lambda doc: media.enhance(doc, resolve_body_links(doc, resolver)))
    files.update(media.files)
    problems += media.problems
    env = make_environment(config)
    for job in jobs:
        files[output_file(job.site_path)] = render_job(env, job)
    for lang in config.languages:
        files[feed_path(site, lang).lstrip("/")] = atom_feed(site, lang, strings)
    sitemap_pages = [(job.site_path, list(job.alternates), _lastmod(job)) for job in jobs
                     if not job.site_path.endswith("404.html")]
    files["sitemap.xml"] = sitemap(site, sitemap_pages)
    files["robots.txt"] = robots_txt(site)
    files["_headers"] = headers_file(site)
    problems += check_links(files, links)
    return files, jobs, problems


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
                links.append((doc, ref, doc.url, url[1:]))
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
        links.append((doc, ref, site_path, fragment))
        return href(site_path, config.base_path) + (f"#{fragment}" if fragment else "")

    return resolve


def _problem(doc: Document, ref: Reference, code: str, params: dict) -> Problem:
    return Problem(code, doc.source.shown, source_line(doc.markdown, doc.body_line, ref.url), params)


def check_links(files: dict, links: list[tuple[Document, Reference, str, str]]) -> list[Problem]:
    """Every link written in Markdown leads to an output file, and every ``#anchor`` to an id there."""
    problems = []
    ids_cache: dict[str, set[str]] = {}
    for doc, ref, site_path, fragment in links:
        target = _target_file(files, site_path)
        if target is None:
            code = "image_missing" if ref.attr == "src" else "link_missing"
            problems.append(_problem(doc, ref, code, {"target": ref.url}))
            continue
        if fragment and target.endswith(".html"):
            if target not in ids_cache:
                ids_cache[target] = {html_lib.unescape(i) for i in _ID_RE.findall(files[target].decode("utf-8"))}
            if fragment not in ids_cache[target]:
                problems.append(_problem(doc, ref, "anchor_missing", {"target": ref.url, "anchor": fragment}))
    return problems


def _target_file(files: dict, site_path: str) -> str | None:
    candidates = [output_file(site_path)]
    if not site_path.endswith("/"):
        candidates.append(site_path.lstrip("/") + "/index.html")
    return next((c for c in candidates if c in files), None)


def build_in_memory(config: Config, options: BuildOptions) -> BuiltSite:
    """Stages 1-3 without writing anything; raises :class:`BuildError` with every problem."""
    timings = {}
    started = time.perf_counter()
    documents, asset_files, problems = parse_all(config)
    timings["parse"] = time.perf_counter() - started
    now = options.now or datetime.now(timezone.utc)
    site, site_problems = assemble_site(documents, config, now, options.drafts)
    problems += site_problems
    raise_if_errors(problems)
    started = time.perf_counter()
    files, jobs, render_problems = render_site(config, site, asset_files)
    timings["render"] = time.perf_counter() - started
    problems += render_problems
    raise_if_errors(problems)
    warnings = tuple(p for p in problems if p.severity == WARNING)
    if options.strict and warnings:
        raise BuildError(warnings)
    return BuiltSite(config, site, files, tuple(jobs), warnings, timings)


def build(options: BuildOptions) -> BuildResult:
    """Build the site and replace the output folder atomically."""
    config = load(options)
    with build_lock(config.output_dir):
        built = build_in_memory(config, options)
        started = time.perf_counter()
        written, unchanged = write_site(config.output_dir, built.files)
        built.timings["write"] = time.perf_counter() - started
    return BuildResult(built, written, unchanged)
