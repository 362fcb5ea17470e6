"""Links written in Markdown: rewritten to site links when planned, checked once the site is written."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .config import Config
from .content import Document, asset_site_path
from .errors import Problem
from .markdown_render import Reference, source_line
from .urls import href, is_external, normalise_site_path, output_file

_ID_RE = re.compile(r'\bid="([^"]+)"')


class Link(NamedTuple):
    """A link found in a body, to check once the site is written (a tuple: the body cache keeps them)."""

    attr: str  # "href" or "src"
    url: str  # as written
    site_path: str  # where it leads
    fragment: str  # the #anchor, without "#"


# Each body's links, by document, in plan order.
DocumentLinks = tuple[Document, tuple[Link, ...]]
Resolver = Callable[[Document, Reference], "str | None"]


def make_resolver(
    config: Config,
    by_rel: Mapping[str, Document],
    asset_files: Mapping[str, Path],
    problems: list[Problem],
    links: list[Link],
) -> Resolver:
    """How links written in Markdown become site links (and what is remembered for checking).

    The problems found are appended to ``problems``, the links to check to ``links``.
    """

    def resolve(doc: Document, ref: Reference) -> str | None:
        url = ref.url.strip()
        if not url or url.startswith("#") or is_external(url):
            if url.startswith("#") and len(url) > 1:
                links.append(Link(ref.attr, ref.url, doc.url, url[1:]))
            return None
        path, _, fragment = url.partition("#")
        site_path = _site_path(config, by_rel, asset_files, doc, path.split("?", 1)[0])
        if not isinstance(site_path, str):
            problems.append(_problem(doc, ref, site_path.code(ref), {"target": url}))
            return url
        links.append(Link(ref.attr, ref.url, site_path, fragment))
        return href(site_path, config.base_path) + (f"#{fragment}" if fragment else "")

    return resolve


@dataclass(frozen=True)
class _Unresolved:
    """Why a link leads nowhere: out of the content folder, or to a missing file."""

    outside: bool

    def code(self, ref: Reference) -> str:
        if self.outside:
            return "path_outside"
        return "image_missing" if ref.attr == "src" else "link_missing"


def _site_path(
    config: Config, by_rel: Mapping[str, Document], asset_files: Mapping[str, Path], doc: Document, path: str
) -> str | _Unresolved:
    if path.startswith("/"):
        found = normalise_site_path(path)
        return _Unresolved(True) if found is None else found
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.source.rel), path))
    if rel.startswith("../") or rel == "..":
        return _Unresolved(True)
    if rel.endswith(".md"):
        target = by_rel.get(rel)
        return target.url if target else _Unresolved(False)
    site_path = asset_site_path(rel, config)
    return site_path if site_path in asset_files else _Unresolved(False)


def _problem(doc: Document, ref: Reference, code: str, params: dict[str, object]) -> Problem:
    return Problem(code, doc.source.shown, source_line(doc.markdown, doc.body_line, ref.url), params)


def check_links(
    links: Iterable[DocumentLinks], ids_of: Callable[[str], frozenset[str]], existing: frozenset[str]
) -> list[Problem]:
    """Every link written in Markdown leads to an output file, and every ``#anchor`` to an id there.

    ``ids_of(file)`` gives the ids of an output page; it is only asked about link targets.
    """
    problems = []
    targets: dict[str, str | None] = {}  # many links lead to the same pages
    for doc, found in links:
        for link in found:
            if link.site_path not in targets:
                targets[link.site_path] = _target_file(existing, link.site_path)
            target = targets[link.site_path]
            ref = Reference(link.attr, link.url)
            if target is None:
                code = "image_missing" if link.attr == "src" else "link_missing"
                problems.append(_problem(doc, ref, code, {"target": link.url}))
            elif link.fragment and target.endswith(".html") and link.fragment not in ids_of(target):
                problems.append(_problem(doc, ref, "anchor_missing", {"target": link.url, "anchor": link.fragment}))
    return problems


def _target_file(existing: frozenset[str], site_path: str) -> str | None:
    candidates = [output_file(site_path)]
    if not site_path.endswith("/"):
        candidates.append(site_path.lstrip("/") + "/index.html")
    return next((c for c in candidates if c in existing), None)


def page_ids(data: bytes) -> frozenset[str]:
    """The ``id`` attributes of a rendered page (targets of ``#anchor`` links)."""
    return frozenset(html_lib.unescape(i) for i in _ID_RE.findall(data.decode("utf-8")))
