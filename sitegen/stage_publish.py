"""Stage 8: publish: the new site goes live in one step; then what the build did, for the log and the next build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .incremental import Manifest
from .pages import PageJob
from .progress import BuildSummary
from .search_pending import clear_pending
from .site import Site, next_go_live
from .stage_check import Checked
from .stage_render import Rendered
from .target import Committed, OutputTarget


def publish(target: OutputTarget, rendered: Rendered, spare: bool, search_pending: bool) -> Committed:
    """Make the new site the output (on disk: the atomic swap; with ``spare`` the old site is
    kept for the next build).  ``search_pending``: the index went live behind its pages."""
    on_disk = target.staging is not None
    committed = target.commit(rendered.files, spare)
    if on_disk and not search_pending:
        clear_pending(target.live)  # a serve build had left the index behind: it is whole again
    return committed


@dataclass(frozen=True)
class Outcome:
    """What a build did: the summary, and the manifest the next build starts from (``None`` in memory)."""

    summary: BuildSummary
    manifest: Manifest | None


def summarise(
    site: Site,
    jobs: tuple[PageJob, ...],
    rendered: Rendered,
    checked: Checked,
    committed: Committed,
    facts: tuple[str, int, datetime, dict[str, float]],
    on_disk: bool,
) -> Outcome:
    """The build's summary and, on disk, its manifest.  ``facts``: (output folder, sources
    converted, the build's "now", time per stage)."""
    output, converted, now, timings = facts
    upcoming = next_go_live(site)
    summary = BuildSummary(
        output=output,
        pages_by_kind=_pages_by_kind(jobs),
        files=len(rendered.files),
        written=len(rendered.new),
        unchanged=rendered.unchanged,
        rendered=rendered.rendered,
        converted=converted,
        skipped=tuple(
            (s.document.source.shown, s.reason, s.goes_live.isoformat() if s.goes_live else "") for s in site.skipped
        ),
        next_go_live=upcoming.isoformat() if upcoming else "",
        timings=dict(timings),
    )
    if not on_disk:
        return Outcome(summary, None)
    manifest = Manifest(
        output_ino=committed.output_ino,
        pages=dict(checked.records),
        valid_until=_valid_until(site, now),
        summary=summary,
        warnings=checked.warnings,
        files=rendered.files,
        spare_id=committed.spare_id,
        spare_files=committed.spare_files,
    )
    return Outcome(summary, manifest)


def _pages_by_kind(jobs: tuple[PageJob, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in jobs:
        kind = _page_kind(job)
        counts[kind] = counts.get(kind, 0) + 1
    return counts


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
