"""Cache files that a reused staging folder already holds, found from folder listings.

The social cards (one per page, all in ``static/cards/``) are hard links to files in the
cache (:class:`sitegen.output.CacheFile`).  When the staging folder is the last build's
spare (:func:`sitegen.output.begin_staging`), a card that the spare, the live site and the
cache all hold as one inode is already in place, with the bytes the plan asks for: nothing
to put, and not new.  A listing gives each entry's inode without a ``stat``, so three
listings per folder replace three system calls and two paths per card (11 000 cards at
10 000 items: a tenth of a one-edit rebuild).  Anything else is put as before
(:func:`sitegen.output.put_file`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def linked_in_place(staging: Path, output: Path, sources: Mapping[str, Path]) -> frozenset[str]:
    """The output files of ``sources`` (output file → cache file) that ``staging`` and
    ``output`` both hold as that very cache file."""
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for rel, source in sources.items():
        folder, _, name = rel.rpartition("/")  # (str methods: this runs for every card)
        source_folder, _, source_name = os.fspath(source).rpartition(os.sep)
        groups.setdefault((folder, source_folder), []).append((rel, name, source_name))
    found: list[str] = []
    for (folder, source_folder), members in groups.items():
        here, live, cache = _inodes(f"{staging}/{folder}"), _inodes(f"{output}/{folder}"), _inodes(source_folder)
        if here is None or live is None or cache is None or not here[0] == live[0] == cache[0]:
            continue  # a folder missing, or not all on one device: inodes do not compare
        here_of, live_of, cache_of = here[1].get, live[1].get, cache[1].get
        for rel, name, source_name in members:
            inode = cache_of(source_name)
            if inode is not None and here_of(name) == inode == live_of(name):
                found.append(rel)
    return frozenset(found)


def _inodes(folder: str) -> tuple[int, dict[str, int]] | None:
    """The folder's device and the inode of each entry in it, or ``None`` when it cannot be listed.

    (Not only files: an inode number names one object of the device, so a folder never has a
    cache file's.)"""
    try:
        device = os.stat(folder).st_dev
        with os.scandir(folder) as entries:
            return device, {entry.name: entry.inode() for entry in entries}
    except OSError:
        return None
