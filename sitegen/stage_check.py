"""Stage 6: check the written site: every link and ``#anchor`` leads somewhere; ``--strict``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .errors import WARNING, BuildError, Problem, raise_if_errors
from .incremental import PageRecord
from .links import check_links, page_ids
from .near import heading_ids
from .stage_plan import Plan
from .stage_render import Rendered
from .target import OutputTarget


@dataclass(frozen=True)
class Checked:
    """Stage 6's result: the warnings to report, and each page's record with the ids read for the check."""

    warnings: tuple[Problem, ...]
    records: Mapping[str, PageRecord]


def check(plan: Plan, rendered: Rendered, target: OutputTarget, problems: tuple[Problem, ...], strict: bool) -> Checked:
    """Raise :class:`BuildError` with every error found so far and by the link check (with
    ``strict``, warnings too); else the warnings."""
    ids_read: dict[str, frozenset[str]] = {}
    ids_of = _ids_reader(rendered.records, target, ids_read)
    found = problems + tuple(check_links(plan.links, ids_of, rendered.files, headings_reader(target)))
    raise_if_errors(found)
    warnings = tuple(p for p in found if p.severity == WARNING)
    if strict and warnings:
        raise BuildError(warnings)
    records = dict(rendered.records)
    for rel, ids in ids_read.items():
        if rel in records:  # remembered: the next build reads a page's ids from its record
            records[rel] = replace(records[rel], ids=ids)
    return Checked(warnings, records)


def _ids_reader(
    records: Mapping[str, PageRecord], target: OutputTarget, read: dict[str, frozenset[str]]
) -> Callable[[str], frozenset[str]]:
    """``ids_of(file)``: from the page's record when known, else read once from the new page (into ``read``)."""

    def ids_of(rel: str) -> frozenset[str]:
        record = records.get(rel)
        if record is not None and record.ids is not None:
            return record.ids
        if rel not in read:
            data = target.read(rel)
            read[rel] = page_ids(data) if data is not None else frozenset()
        return read[rel]

    return ids_of


def headings_reader(target: OutputTarget) -> Callable[[str], list[str]]:
    """``headings_of(file)``: the heading ids of a written page (asked only for a missing anchor's message)."""

    def headings_of(rel: str) -> list[str]:
        data = target.read(rel)
        return heading_ids(data) if data is not None else []

    return headings_of
