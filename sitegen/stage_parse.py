"""Stages 1-3: gather the sources, parse them, assemble the site.

Each returns a frozen value; problems travel with it (errors stop the build at
:func:`assemble`, warnings are reported at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .config import Config
from .content import Document, SourceFile, asset_site_path, gather_sources
from .errors import Problem, raise_if_errors
from .progress import Progress
from .site import Site, assemble_site
from .sources import SourceParser


@dataclass(frozen=True)
class Gathered:
    """Stage 1: the Markdown sources and the other content files, by path."""

    sources: tuple[SourceFile, ...]
    assets: tuple[SourceFile, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Parsed:
    """Stage 2: every source parsed; content assets by their site path."""

    documents: tuple[Document, ...]
    asset_files: dict[str, Path]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Assembled:
    """Stage 3: the live site, and the warnings found so far (errors were raised)."""

    site: Site
    problems: tuple[Problem, ...]


def gather(config: Config) -> Gathered:
    """Stage 1: the files under ``content/``."""
    sources, assets, problems = gather_sources(config)
    return Gathered(tuple(sources), tuple(assets), tuple(problems))


def parse(
    config: Config,
    gathered: Gathered,
    parser: SourceParser,
    jobs: int,
    progress: Progress,
    time_limit: float | None,
) -> Parsed:
    """Stage 2: every Markdown source parsed (only what changed, see :mod:`sitegen.sources`),
    each conversion within ``time_limit`` seconds."""
    progress.stage("parse", len(gathered.sources))
    documents, found = parser.parse(list(gathered.sources), jobs, progress, time_limit)
    asset_files = {asset_site_path(a.rel, config): a.path for a in gathered.assets}
    return Parsed(tuple(documents), asset_files, gathered.problems + tuple(found))


def assemble(config: Config, parsed: Parsed, now: datetime, drafts: bool, scheduled: bool = False) -> Assembled:
    """Stage 3: what is live at ``now`` (with ``drafts`` / ``scheduled``: those too), indexed;
    raises :class:`BuildError` with every error so far."""
    site, problems = assemble_site(list(parsed.documents), config, now, drafts, scheduled)
    found = parsed.problems + tuple(problems)
    raise_if_errors(found)
    return Assembled(site, found)
