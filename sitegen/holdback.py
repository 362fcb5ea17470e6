"""Content files that only drafts and scheduled items use wait for them: held back until one goes live.

Every allowed file under ``content/`` is published (:mod:`sitegen.attachments`), linked or
not.  A picture placed next to a scheduled item, though, would announce it: a visitor or a
crawler could fetch ``/notizie/foto-futura.jpg`` days before the news it illustrates.  So a
content file that at least one draft or scheduled item references (a link, an image, its
front-matter ``image:``) and no live page references is left out of the output, with
everything made from it; once an item that references it is live (its time came, or
``draft: false``), the file is published like any other.  A file nobody references is
published as before; one that a live page references too is published.  The preview
(``--drafts``) shows every item, so nothing is held back there.

Where the references come from, cheaply: the live pages' links are the ones the plan has
resolved already (:attr:`sitegen.stage_plan.Plan.links`); the items' are found here by
resolving only their own bodies' links, a handful of documents.  A site with no draft and no
scheduled item does none of this.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from .config import Config
from .content import Document, asset_site_path
from .links import Link, make_resolver
from .pages import resolve_body_links
from .site import Site, unpublished_items
from .stage_plan import Plan


def hold_back(config: Config, site: Site, asset_files: Mapping[str, Path], planned: Plan) -> Plan:
    """``planned`` without the content files that only drafts and scheduled items reference."""
    items = [skipped.document for skipped in unpublished_items(site).values()]
    if not items:
        return planned
    wanted = referenced_files(config, items, [*site.documents, *items], asset_files)
    if not wanted:
        return planned
    live = {site_path for _doc, links in planned.links for _attr, _url, site_path, _fragment in links}
    live |= {path for doc in site.documents if (path := picture_site_path(config, doc)) is not None}
    held = wanted - live
    if not held:
        return planned
    others = {rel: value for rel, value in planned.others.items() if "/" + rel not in held}
    return replace(planned, others=others)


def referenced_files(
    config: Config, documents: Iterable[Document], every: Iterable[Document], asset_files: Mapping[str, Path]
) -> frozenset[str]:
    """The site paths of the content files that ``documents`` link to, show, or name as ``image:``.

    ``every``: the documents a link may lead to (only a link's target file matters here: its
    problems are the check's, :mod:`sitegen.unpublished`)."""
    by_rel = {doc.source.rel: doc for doc in every}
    found: list[Link] = []
    resolve = make_resolver(config, by_rel, asset_files, [], found)
    paths: set[str] = set()
    for doc in documents:
        resolve_body_links(doc, resolve)
        picture = picture_site_path(config, doc)
        if picture is not None:
            paths.add(picture)
    paths.update(link.site_path for link in found)
    return frozenset(path for path in paths if path in asset_files)


def picture_site_path(config: Config, doc: Document) -> str | None:
    """Where the file named by ``doc``'s ``image:`` is published, or ``None`` (no ``image:``, or
    one that leads out of the content folder: the card's check reports it, :func:`sitegen.cards.picture_file`)."""
    image = (doc.meta.image or "").strip()
    if not image:
        return None
    rel = image.lstrip("/") if image.startswith("/") else posixpath.join(posixpath.dirname(doc.source.rel), image)
    rel = posixpath.normpath(rel)
    if rel.startswith("../") or rel in ("..", "."):
        return None
    return asset_site_path(rel, config)
