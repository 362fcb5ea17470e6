"""Files of the search index: hard links to the previous index's files, never written through.

The index of the live site and that of the staging folder share their unchanged files as
hard links (so a deploy by modification time uploads only what a change touched, and a
reused shard costs no copy).  Every function here replaces a directory entry (a new link,
``os.replace``) and never opens a linked file for writing, so the live site is never touched.
"""

from __future__ import annotations

import os
import re
import shutil

# Index files Pagefind names by a hash of their content (fragments, word and filter chunks,
# the meta index): the same name means the same bytes, which is what lets browsers cache
# them for ever; other files (pagefind.js, the wasm, the entry) are compared byte by byte.
_HASH_NAMED = re.compile(r"_[0-9a-f]{7,64}\.pf_(?:fragment|index|filter|meta)$")


def keep_unchanged(index: str, old_index: str) -> None:
    """Replace each new index file that is the same as the old one by a hard link to it.

    Pagefind rewrites every file; the unchanged ones keep their identity and time, so a
    deploy by modification time (rsync) uploads only what a change touched.  Files named by
    the hash of their content (nearly all of them) are the same when name and size are; the
    few others are compared byte by byte.
    """
    if not os.path.isdir(old_index):
        return
    for folder, _dirs, files in os.walk(index):
        old_folder = os.path.join(old_index, os.path.relpath(folder, index))
        for name in files:
            link_if_same(os.path.join(folder, name), os.path.join(old_folder, name), _HASH_NAMED.search(name) is None)


def link_if_same(new: str, old: str, compare_bytes: bool = True) -> None:
    """Make ``new`` a hard link to ``old`` when both hold the same bytes (else leave it)."""
    try:
        if os.stat(old).st_size != os.stat(new).st_size:
            return
        if compare_bytes and not same_bytes(old, new):
            return
        linked = new + ".link"
        os.link(old, linked)
        os.replace(linked, new)
    except OSError:
        return  # keep the new copy


def same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        return first.read() == second.read()


def write_file(path: str, data: bytes, old: str) -> None:
    """Put ``data`` at ``path`` through a new directory entry: a link to ``old`` when it holds
    the same bytes, else a new file (never written through a link that ``path`` may be)."""
    try:
        with open(old, "rb") as file:
            same = file.read() == data
    except OSError:
        same = False
    if same and os.path.isfile(path) and os.path.samefile(path, old):
        return  # already that file (a rename between two links of one file would do nothing)
    fresh = path + ".new"
    if same:
        os.link(old, fresh)
    else:
        with open(fresh, "wb") as file:
            file.write(data)
    os.replace(fresh, path)


def sync_links(source: str, target: str) -> None:
    """Make ``target`` hold hard links to exactly the files below ``source``.

    A reused spare folder already holds an index, mostly links to the same files (Pagefind's
    unchanged files are links to the previous ones): entries that are already the right file
    (same inode, read from the directory without a ``stat``) stay, so bringing 1 000 index
    files up to date costs two directory walks and a few links instead of 2 000 unlinks and links.
    """
    try:
        if not os.path.isdir(target) or os.path.islink(target):
            remove(target)
            os.mkdir(target)
        have = {entry.name: entry for entry in os.scandir(target)}
    except FileNotFoundError:
        os.mkdir(target)
        have = {}
    for entry in os.scandir(source):
        there = have.pop(entry.name, None)
        destination = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            sync_links(entry.path, destination)
        elif there is None or there.inode() != entry.inode() or not there.is_file(follow_symlinks=False):
            if there is not None:
                remove(destination)
            os.link(entry.path, destination)
    for name in have:
        remove(os.path.join(target, name))


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)
