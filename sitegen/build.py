"""The build pipeline: gather → parse → assemble → plan → render → check → index → publish.

Each stage is a function that returns a value (like MkDocs' ``build``), called in order by
:func:`_pipeline`; only the output target (:mod:`sitegen.target`) writes.  Problems are
collected per stage and raised together, so an editor sees every mistake of a run at once.

Builds are incremental and never stale: sources are parsed again only when their bytes
changed (:mod:`sitegen.sources`), and a page is rendered again only when its key, a
hash of exactly what its template sees, changed (:mod:`sitegen.incremental`); the
others are hard-linked from the previous site into the new one before the atomic swap.
Parsing and rendering run on every core (``--jobs``) with the same output as one process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path

import jinja2

from . import fastpath, template_cache
from .cache.prune import prune_media
from .cards import CARDS_FOLDER
from .collector import fewer_collections
from .config import Config
from .errors import Problem
from .holdback import hold_back
from .incremental import Manifest, load_manifest
from .options import BuildOptions, load
from .output import build_lock, write_failed
from .output_guard import check_cache, tag_cache
from .pages import PageJob
from .parallel import default_jobs
from .progress import BuildSummary, Progress, StageClock
from .render import make_environment
from .session import Session, save_caches
from .site import Site, unpublished_items
from .sources import SourceParser
from .stage_check import check
from .stage_index import index
from .stage_parse import assemble, gather, parse
from .stage_plan import plan, with_bodies, with_cards
from .stage_publish import Outcome, publish, summarise
from .stage_render import put_files, render_pages
from .target import DiskTarget, MemoryTarget, OutputTarget

__all__ = ["BuildOptions", "BuildResult", "BuiltSite", "Session", "build", "build_in_memory", "load"]


@dataclass(frozen=True)
class BuiltSite:
    """A rendered site: its pages, and what happened on the way.

    ``files`` holds every output file's bytes only for :func:`build_in_memory` (``check``);
    :func:`build` streams pages to disk instead of keeping 10 000 of them in memory.
    """

    config: Config
    site: Site
    files: Mapping[str, bytes | Path]
    pages: tuple[PageJob, ...]
    warnings: tuple[Problem, ...]
    timings: Mapping[str, float] = field(default_factory=dict)
    # Output files written (new bytes) or removed by this build; None when not known (no manifest).
    changed: frozenset[str] | None = None
    search_pending: bool = False  # serve: the index went live behind the pages (sitegen.search_job)


@dataclass(frozen=True)
class BuildResult:
    built: BuiltSite
    written: int
    unchanged: int
    summary: BuildSummary = field(default_factory=BuildSummary)
    warnings: tuple[Problem, ...] = ()


def build(
    options: BuildOptions, session: Session | None = None, fingerprint: fastpath.Fingerprint | None = None
) -> BuildResult:
    """Build the site and replace the output folder atomically (only what changed is rendered).

    ``fingerprint``: the inputs' fingerprint taken by the no-change check just before (the CLI's
    :func:`sitegen.fastpath.check_fast`), recorded instead of a new one: it was taken before this
    build read anything, which is all the record needs.
    """
    config = session.load(options) if session else load(options)
    if session is not None:
        session.save_deferred()
    # Before the lock, which serve's preview keeps inside the cache folder.  Checked with
    # --no-cache too: image variants are made there all the same (sitegen.media).
    check_cache(config.cache_dir)  # never a folder the user made (sitegen.output_guard)
    tag_cache(config.cache_dir)  # even with --no-cache: the social cards are drawn there (sitegen.cards)
    with build_lock(config.output_dir), fewer_collections():
        started = time.perf_counter()
        # (serve never asks the no-change fast path, which is the CLI's: no stat walk per rebuild)
        if not options.cache or session is not None:
            fingerprint = None
        elif fingerprint is None:
            fingerprint = fastpath.fingerprint(config, options)
        fastpath.forget(config)  # the output is about to change: the last record no longer describes it
        parser = (
            session.parser_for(config, options.cache) if session else SourceParser(config, options.cache, fingerprint)
        )
        if not options.cache:
            previous = Manifest()
        elif session is not None:
            previous = session.manifest(config, parser.cache.notices)  # serve: kept in memory
        else:
            previous = load_manifest(config, parser.cache.notices)
        defer = session is not None and session.defer_search
        target = DiskTarget(config.output_dir, previous)
        # Compiled templates are code: kept only by the CLI's builds, each verified (sitegen.template_cache).
        compiled = config.cache_dir / template_cache.FOLDER if options.cache and session is None else None
        environment = partial(session.environment if session else make_environment, config, compiled)
        built, outcome = _pipeline(config, options, parser, target, previous, environment, defer)
        notices: list[Problem] = []  # about the cache: entries ignored, files not saved
        if outcome.manifest is not None and options.cache:
            if defer and session is not None:
                session.defer_save(config, outcome.manifest, parser)
            else:
                notices = save_caches(config, outcome.manifest, parser)
                if session is not None:
                    session.remember(config, outcome.manifest)
                if fingerprint is not None:
                    fastpath.save_record(config, fingerprint, outcome.manifest)
                    # the CLI's builds only: a preview may be drawing cards in the same cache
                    cards = {job.card.file.rpartition("/")[2] for job in built.pages if job.card}  # (no Path per card)
                    prune_media(config.cache_dir / CARDS_FOLDER, cards)
                    template_cache.prune_compiled(config.cache_dir / template_cache.FOLDER, config.templates_dir)
        summary = outcome.summary.with_total(time.perf_counter() - started)
    return BuildResult(built, summary.written, summary.unchanged, summary, built.warnings + tuple(notices))


def build_in_memory(config: Config, options: BuildOptions) -> BuiltSite:
    """Every stage, the output kept in memory (``check``); raises :class:`BuildError` with every problem.

    Nothing of the site is written; image variants are still made in the cache (:mod:`sitegen.media`).
    """
    check_cache(config.cache_dir)  # image variants and social cards are made there (sitegen.media, sitegen.cards)
    tag_cache(config.cache_dir)  # so that the next check or build recognises it as the generator's
    parser = SourceParser(config, use_cache=False)
    environment = partial(make_environment, config, None)
    target = MemoryTarget(config.output_dir)
    with fewer_collections():
        built, _outcome = _pipeline(
            config, options, parser, target, Manifest(), environment, defer=False, checking=True
        )
    return built


def _pipeline(
    config: Config,
    options: BuildOptions,
    parser: SourceParser,
    target: OutputTarget,
    previous: Manifest,
    environment: Callable[[], jinja2.Environment],
    defer: bool,
    checking: bool = False,
) -> tuple[BuiltSite, Outcome]:
    """The stages in order, each timed; the output target is aborted if any of them fails.

    ``checking`` (``check``): the problems of drafts are errors, not warnings (:mod:`sitegen.unpublished`).
    """
    jobs = options.jobs or default_jobs()
    environment = cache(environment)  # one per build: the check of unpublished items reuses the compiled templates
    clock, progress = StageClock(), Progress(enabled=options.progress)
    now = options.now or datetime.now(UTC)
    with _closing(progress):
        gathered = gather(config)
        parsed = clock.lap("parse", parse(config, gathered, parser, jobs, progress, options.time_limit))
        # --drafts (serve's default) is the preview: drafts and scheduled items shown, each with its banner
        assembled = clock.lap("assemble", assemble(config, parsed, now, options.drafts, options.drafts))
        site = assembled.site
        planned = plan(
            config,
            site,
            parsed.asset_files,
            parser.parse_digest,
            options.drafts,
            parser.bodies,
            previous.pages,
            parser.cache,
        )
        planned = hold_back(config, site, parsed.asset_files, planned)  # what only drafts and scheduled items use
        planned = clock.lap("plan", with_cards(config, planned, options.cache, jobs))
        with _writing(target, config.output_dir):
            pages = clock.lap("render", render_pages(planned, target, environment, jobs, progress, previous.pages))
            # the links and problems of the bodies resolved for the first time by the render workers
            planned = with_bodies(planned, pages.bodies, parser.bodies)
            rendered = clock.lap("write", put_files(planned, target, pages, previous.pages))
            problems = assembled.problems + planned.problems
            if unpublished_items(site):  # drafts and scheduled items, checked as if live; nothing written
                from .unpublished import Pending, check_unpublished  # (a build without any imports none of it)

                inputs = Pending(parsed, parser, environment, jobs, now, checking, rendered.files)
                problems += clock.lap("unpublished", check_unpublished(config, site, inputs))
            checked = clock.lap("links", check(planned, rendered, target, problems, options.strict))
            changed = (rendered.new | (previous.files - rendered.files)) if previous.files else None
            pending = clock.lap("search", index(config, target, changed, defer, options.cache))
            on_disk = target.staging is not None
            committed = clock.lap("swap", publish(target, rendered, options.cache, pending))
    facts = (str(config.output_dir), parser.converted, now, clock.timings)
    outcome = summarise(site, planned.jobs, rendered, checked, committed, facts, on_disk)
    built = BuiltSite(config, site, committed.files, planned.jobs, checked.warnings, clock.timings, changed, pending)
    return built, outcome


@contextmanager
def _closing(progress: Progress) -> Iterator[None]:
    try:
        yield
    finally:
        progress.close()


@contextmanager
def _writing(target: OutputTarget, output: Path) -> Iterator[None]:
    """Begin the target; abort it if a stage fails (the old site stays), an OS error named as a write failure."""
    target.begin()
    try:
        yield
    except OSError as exc:
        target.abort()
        raise write_failed(output, exc) from None
    except BaseException:
        target.abort()
        raise
