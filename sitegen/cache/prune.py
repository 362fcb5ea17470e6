"""Removing what the current generator, templates and config no longer use.

Called after a successful build has saved its records (a failed build prunes nothing):

* files of earlier cache formats (``*.bin`` pickles, ``parsed/*.bin``, the one
  ``bodies.json`` now in shards) and the folders
  of compiled templates (``templates-<digest>``) that earlier versions kept: compiled
  templates are code, and the cache holds data only;
* image records and encoded variants in ``media/`` that this build's images did not use
  (an image removed from the content, or encoded with other settings);
* social cards in ``cards/`` that no page of this build shows (a changed title or drawing
  code gives a new card; the old one goes) — after the command line's builds only.

Parse shards and body packs are pruned by :class:`sitegen.cache.parses.ParseCache` and
:class:`sitegen.cache.packs.BodyStore`; resolved-body records by
:class:`sitegen.bodies.BodyCache`.  Temporary files (``.name.*.tmp``) are left alone:
another build may be writing them.
"""

from __future__ import annotations

import os
from pathlib import Path

from .files import remove_quietly


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except OSError:
        return []


def prune_legacy(folder: Path) -> None:
    """Remove the files and folders earlier versions of the generator left in the cache.

    (``parsed/`` holds a few packs: the body store's sweep removes the rest of what is there,
    the one-file-per-body ``<digest>.json`` of earlier versions included, when shards change.)"""
    for entry in _entries(folder):
        name = entry.name
        legacy = name.startswith("templates-") or name == "bodies.json"  # (now in shards, see sitegen.bodies)
        if legacy or (name.endswith(".bin") and not name.startswith(".")):
            remove_quietly(entry.path)
    for entry in _entries(folder / "parsed"):
        if entry.name.endswith(".bin") and not entry.name.startswith("."):
            remove_quietly(entry.path)


def prune_media(folder: Path, used: set[str]) -> None:
    """Remove the image records and variants in ``folder`` not named in ``used``."""
    for entry in _entries(folder):
        if not entry.name.startswith(".") and entry.name not in used:
            remove_quietly(entry.path)
