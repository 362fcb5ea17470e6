"""Stage 5: render the pages that changed (on every core), reuse the others, put every other file.

Workers are forked with a :class:`RenderContext` (see :mod:`sitegen.parallel`); each page
comes back as a :class:`RenderResult`.  Pages are put into the output target by the
worker that rendered them, so a cold build never gathers 10 000 pages in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import jinja2

from .bodies import DeferredBody, SentRecord
from .errors import BuildError, Problem
from .incremental import PageRecord, page_digest
from .output import CacheFile
from .pages import PageJob
from .parallel import parallel_map
from .progress import Progress
from .render import render_job
from .stage_plan import Generated, Plan
from .target import OutputTarget, Written, put_all
from .urls import output_file


@dataclass(frozen=True)
class RenderContext:
    """What a render worker needs (inherited by the fork, never pickled)."""

    env: jinja2.Environment
    jobs: tuple[PageJob, ...]
    keys: tuple[str | None, ...]
    digest: str
    target: OutputTarget
    deferred: Mapping[int, DeferredBody] = field(default_factory=dict)  # by page: bodies first resolved here
    # A worker's page digests: the reprs of the dicts its pages share (the UI strings, listing
    # items), each dict kept alive while remembered; forgotten past MEMO_LIMIT (memory).
    memo: dict[int, str] = field(default_factory=dict)
    alive: list[object] = field(default_factory=list)


MEMO_LIMIT = 4096


@dataclass(frozen=True)
class RenderResult:
    """One page: its key and what was put, or the problems that stopped it; for a deferred
    body, its digest and record (see :mod:`sitegen.bodies`)."""

    key: str = ""
    written: Written | None = None
    problems: tuple[Problem, ...] = ()
    body: tuple[str, SentRecord] | None = None


@dataclass(frozen=True)
class Rendered:
    """Stage 5's result: every output file, and what was written anew."""

    records: Mapping[str, PageRecord]  # every page, with its key
    files: frozenset[str]  # every output file
    new: frozenset[str]  # files written with new bytes (the others are the old site's)
    rendered: int  # pages rendered (the others were reused)
    unchanged: int  # files the same as the old site's


def render_one(context: RenderContext, index: int) -> RenderResult:
    """Render page ``index`` of the plan and put it into the target."""
    job, key = context.jobs[index], context.keys[index]
    try:
        if key is None:  # values made for this page only and dropped after it (memory at 10 000 pages)
            values = job.make_context()
            if len(context.memo) > MEMO_LIMIT:
                context.memo.clear()
                context.alive.clear()
            key = page_digest(job.site_path, job.template, values, context.digest, context.memo, context.alive)
            data = render_job(context.env, job, values)
        else:
            data = render_job(context.env, job)
    except BuildError as error:  # returned, not raised: the other pages are still rendered
        return RenderResult(problems=error.problems)
    late = context.deferred.get(index)
    body = (late.digest, SentRecord.of(late.take_record())) if late is not None else None
    return RenderResult(key, context.target.put(output_file(job.site_path), data), body=body)


@dataclass(frozen=True)
class RenderedPages:
    """The pages: each one's record, the ones written with new bytes, how many were rendered and reused."""

    records: Mapping[str, PageRecord]
    new: frozenset[str]
    rendered: int
    reused: int
    bodies: Mapping[str, SentRecord]  # the deferred bodies' records, by body digest (stage_plan.with_bodies)


def render_pages(
    plan: Plan,
    target: OutputTarget,
    environment: Callable[[], jinja2.Environment],
    jobs: int,
    progress: Progress,
    previous: Mapping[str, PageRecord],
) -> RenderedPages:
    """Stage 5a: pages whose key is the recorded one are reused from the last build, the others
    rendered.  Raises :class:`BuildError` with every template problem (once per template line)."""
    records, todo = _reuse(plan, target, previous)
    reused = len(records)
    env = environment()
    progress.stage("render", len(todo))
    deferred = {item.index: item.body for item in plan.deferred}
    context = RenderContext(env, plan.jobs, plan.keys, plan.digest, target, deferred)
    with templates_held(env, {plan.jobs[i].template for i in todo}):
        results = parallel_map(render_one, todo, context, jobs, progress.advance)
    problems = [problem for result in results for problem in result.problems]
    if problems:
        raise BuildError(one_per_template_line(problems))
    new: set[str] = set()
    bodies = dict(result.body for result in results if result.body is not None)
    for index, result in zip(todo, results, strict=True):
        assert result.written is not None  # a result without problems has its file
        rel = output_file(plan.jobs[index].site_path)
        target.keep(rel, result.written)
        written = result.written
        records[rel] = PageRecord(result.key, written.size, written.mtime_ns, None, plan.signatures[index], written.ino)
        if result.written.new:
            new.add(rel)
    return RenderedPages(records, frozenset(new), len(todo), reused, bodies)


def put_files(plan: Plan, target: OutputTarget, pages: RenderedPages, previous: Mapping[str, PageRecord]) -> Rendered:
    """Stage 5b: every other file (assets, feeds, sitemap) put; what a reused folder holds besides is removed.

    A feed or the sitemap whose key is the one ``previous`` records for it is the last build's
    file, linked in as it is (:class:`sitegen.stage_plan.Generated`); its record joins the pages'.
    """
    linked = target.linked({rel: file for rel, file in plan.others.items() if isinstance(file, CacheFile)})
    generated = {rel: file for rel, file in plan.others.items() if isinstance(file, Generated)}
    plain = {rel: file for rel, file in plan.others.items() if not isinstance(file, Generated)}
    others = put_all(target, plain, linked)
    records = dict(pages.records)
    for rel, made in sorted(generated.items()):
        others[rel], records[rel] = _put_generated(target, rel, made, previous.get(rel))
    new = pages.new | {rel for rel, written in others.items() if written.new}
    files = frozenset(records) | frozenset(plan.others)
    target.drop_others(files)
    unchanged = pages.reused + pages.rendered + len(linked) + len(others) - len(new)
    return Rendered(records, files, frozenset(new), pages.rendered, unchanged)


def _put_generated(
    target: OutputTarget, rel: str, generated: Generated, old: PageRecord | None
) -> tuple[Written, PageRecord]:
    """A feed or the sitemap: the last build's file if its key is the recorded one and the file is
    still as recorded, else made and put."""
    if old is not None and old.digest == generated.key and target.reuse(rel, old):
        return Written(old.size, old.mtime_ns, False), old
    written = target.put(rel, generated.make())
    target.keep(rel, written)
    return written, PageRecord(generated.key, written.size, written.mtime_ns, None, None, written.ino)


def _reuse(
    plan: Plan, target: OutputTarget, previous: Mapping[str, PageRecord]
) -> tuple[dict[str, PageRecord], list[int]]:
    """The records of the pages taken from the last build as they are, and the numbers of the others."""
    records: dict[str, PageRecord] = {}
    todo: list[int] = []
    for index, job in enumerate(plan.jobs):
        rel = output_file(job.site_path)
        old = previous.get(rel)
        if old is not None and old.digest == plan.keys[index] and target.reuse(rel, old):
            signature = plan.signatures[index]
            records[rel] = old if old.depends_digest == signature else replace(old, depends_digest=signature)
        else:
            todo.append(index)
    return records, todo


@contextmanager
def templates_held(env: jinja2.Environment, names: set[str]) -> Iterator[None]:
    """The templates as they are now, for the whole stage: ``names`` compiled here (:func:`warm_templates`).

    Jinja looks at a template's file again each time it is asked for it (``auto_reload``): a
    stat per template per page (its own, base, the macros twice, a partial: 5 700 at 1 000
    items).  Each template the environment holds (``serve`` keeps it between builds) is
    brought up to date here, once, and the files are not looked at again until the stage
    ends; a template it does not hold is read when first used.
    """
    cache = env.cache
    for key in list(cache.keys()) if cache is not None else []:
        try:
            env.get_template(key[1])  # loaded again if its file changed
        except Exception:  # noqa: BLE001 - gone or broken: dropped, render_job reports it when used
            if cache is not None and key in cache:
                del cache[key]
    warm_templates(env, names)
    auto_reload, env.auto_reload = env.auto_reload, False
    try:
        yield
    finally:
        env.auto_reload = auto_reload


def warm_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile the templates once here, before forking, instead of once per worker."""
    for name in sorted(names):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - render_job reports template errors with file and line
            pass


def one_per_template_line(problems: list[Problem]) -> list[Problem]:
    """A broken template fails every page that uses it: report each template line once.

    Pages come back from the workers in plan order, so the page named is always the same.
    """
    seen: dict[tuple[str, str, int | None], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.code, problem.path, problem.line), problem)
    return list(seen.values())
