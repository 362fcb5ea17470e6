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
from .near import MAX_IDS, by_likeness, closest, document_elsewhere, page_addresses, same_file_but_case_or_extension
from .urls import href, is_external, normalise_site_path, output_file

_ID_RE = re.compile(r'\bid="([^"]+)"')


class Link(NamedTuple):
    """A link found in a body, to check once the site is written (a tuple: the body cache keeps them)."""

    attr: str  # "href" or "src"
    url: str  # as written
    site_path: str  # where it leads
    fragment: str  # the #anchor, without "#"


# A link's fields, as a Link or as the plain tuple a body's record keeps (sitegen.bodies): the
# replayed records' links are checked as they are read back, not named first (11 000 named
# tuples a one-edit build at 1 000 items, some 2 ms).
LinkFields = tuple[str, str, str, str]
# Each body's links, by document, in plan order.
DocumentLinks = tuple[Document, tuple[LinkFields, ...]]
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
            problems.append(_problem(doc, ref, site_path.code(ref), {"target": url, "near": site_path.near}))
            return url
        links.append(Link(ref.attr, ref.url, site_path, fragment))
        return href(site_path, config.base_path) + (f"#{fragment}" if fragment else "")

    return resolve


@dataclass(frozen=True)
class _Unresolved:
    """Why a link leads nowhere: out of the content folder, or to a missing file; and what it
    probably meant (``near``, as the link would be written; ``how``: which message says it)."""

    outside: bool
    near: str = ""
    how: str = ""  # "elsewhere": in another folder; "name": differs in case or extension; "near": a like name

    def code(self, ref: Reference) -> str:
        if self.outside:
            return "path_outside"
        if self.how == "elsewhere":
            return "link_other_folder"
        if self.how == "name":
            return "file_name_differs"
        if self.how == "near":
            return "link_missing_near"
        return "image_missing" if ref.attr == "src" else "link_missing"


def _site_path(
    config: Config, by_rel: Mapping[str, Document], asset_files: Mapping[str, Path], doc: Document, path: str
) -> str | _Unresolved:
    if path.startswith("/"):
        found = normalise_site_path(path)
        return _Unresolved(True) if found is None else found
    folder = posixpath.dirname(doc.source.rel)
    rel = posixpath.normpath(posixpath.join(folder, path))
    if rel.startswith("../") or rel == "..":
        return _Unresolved(True)
    if rel.endswith(".md"):
        target = by_rel.get(rel)
        if target is not None:
            return target.url
        elsewhere = document_elsewhere(rel, folder, by_rel)
        if elsewhere is not None:
            return _Unresolved(False, elsewhere, "elsewhere")
        # compared as written from here: the folders all names share would make any two look alike
        near = closest(posixpath.relpath(rel, folder or "."), [posixpath.relpath(r, folder or ".") for r in by_rel])
        return _Unresolved(False, near, "near") if near else _Unresolved(False)
    site_path = asset_site_path(rel, config)
    if site_path in asset_files:
        return site_path
    other = same_file_but_case_or_extension(site_path, asset_files)
    if other is None:
        return _Unresolved(False)
    return _Unresolved(False, posixpath.join(posixpath.dirname(path), posixpath.basename(other)), "name")


def _problem(doc: Document, ref: Reference, code: str, params: dict[str, object]) -> Problem:
    return Problem(code, doc.source.shown, source_line(doc.markdown, doc.body_line, ref.url), params)


def check_links(
    links: Iterable[DocumentLinks],
    ids_of: Callable[[str], frozenset[str]],
    existing: frozenset[str],
    headings_of: Callable[[str], list[str]] | None = None,
) -> list[Problem]:
    """Every link written in Markdown leads to an output file, and every ``#anchor`` to an id there.

    ``ids_of(file)`` gives the ids of an output page; it is only asked about link targets.
    ``headings_of(file)``: the ids of its headings, listed by a missing anchor's message.
    """
    problems = []
    targets: dict[str, str | None] = {}  # many links lead to the same pages
    for doc, found in links:
        for link in found:
            attr, url, site_path, fragment = link  # (unpacked once: 100 000 links at 10 000 items)
            target = targets.get(site_path, _UNSEEN)
            if target is _UNSEEN:
                target = targets[site_path] = _target_file(existing, site_path)
            if target is None:
                problems.append(_problem(doc, Reference(attr, url), *_missing(Link._make(link), existing)))
            elif fragment and target.endswith(".html") and fragment not in ids_of(target):
                ref = Reference(attr, url)  # (made only for a problem)
                ids = headings_of(target) if headings_of is not None else sorted(ids_of(target))
                params: dict[str, object] = {"target": url, "anchor": fragment}
                if not ids:
                    problems.append(_problem(doc, ref, "anchor_missing", params))
                    continue
                params["ids"] = ", ".join("#" + i for i in by_likeness(fragment, ids)[:MAX_IDS])
                problems.append(_problem(doc, ref, "anchor_missing_ids", params))
    return problems


_UNSEEN = "\0unseen"  # a target not looked up yet (None is a target the site lacks)


def _missing(link: Link, existing: frozenset[str]) -> tuple[str, dict[str, object]]:
    """The message code and parameters of a link to a file the site does not have, with what it
    probably meant (only worked out here, when a link is already wrong)."""
    params: dict[str, object] = {"target": link.url}
    wanted = link.site_path.lstrip("/")
    other = same_file_but_case_or_extension(wanted, existing)
    if other is not None and not other.endswith(".html"):
        return "file_name_differs", params | {"near": "/" + other}
    if link.attr == "src":
        return "image_missing", params
    near = closest(link.site_path, page_addresses(existing))
    return ("link_missing_near", params | {"near": near}) if near else ("link_missing", params)


def _target_file(existing: frozenset[str], site_path: str) -> str | None:
    candidates = [output_file(site_path)]
    if not site_path.endswith("/"):
        candidates.append(site_path.lstrip("/") + "/index.html")
    return next((c for c in candidates if c in existing), None)


def page_ids(data: bytes) -> frozenset[str]:
    """The ``id`` attributes of a rendered page (targets of ``#anchor`` links)."""
    return frozenset(html_lib.unescape(i) for i in _ID_RE.findall(data.decode("utf-8")))
