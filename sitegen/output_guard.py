"""A build never destroys anything it did not make.

Every folder the generator makes for the output (the site itself, its staging folder
``.public.new``, the spare ``.public.spare``, the old site ``.public.old`` during a swap,
the trash of a background removal) holds a marker file, :data:`MARKER`.  The output must
be a folder that does not exist, is empty, or holds the marker; a sibling folder with one
of the build's own names is removed only when it holds the marker (or is empty).  The
cache folder is tagged the same way with ``CACHEDIR.TAG`` (the Cache Directory Tagging
convention, which backup tools also understand).  Anything else is refused before the
first write, with a message naming the path.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .errors import BuildError, Problem
from .messages import CATALOGUE

MARKER = ".sitegen-output"
MARKER_TEXT = f"{CATALOGUE['output_marker']['it']}\n{CATALOGUE['output_marker']['en']}\n".encode()
CACHE_TAG = "CACHEDIR.TAG"
CACHE_TAG_TEXT = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by sitegen (the site generator).\n"
    b"# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# A cache made before the tag existed: every cached build wrote this file.
_LEGACY_CACHE_FILE = "stat-index.bin"


def sibling(output: Path, suffix: str) -> Path:
    """``public`` → ``.public.<suffix>`` in the same parent folder (so renames stay atomic)."""
    return output.parent / f".{output.name}.{suffix}"


def _kind(path: Path) -> str:
    """``missing``, ``folder`` (a real one, not a symlink) or ``other``."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except NotADirectoryError:
        return "missing"  # a parent is a file: making the folder fails later with its own message
    return "folder" if stat.S_ISDIR(mode) else "other"


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def is_ours(folder: Path, marker: str = MARKER) -> bool:
    """Whether the generator may replace or delete ``folder``: missing, empty or marked."""
    kind = _kind(folder)
    if kind != "folder":
        return kind == "missing"
    try:
        return _empty(folder) or os.path.isfile(folder / marker)
    except FileNotFoundError:
        return True  # removed meanwhile (a background removal finishing)
    except OSError:
        return False


def check_output(output: Path) -> None:
    """Refuse an output that is not a folder, or a full folder this generator did not make.

    A folder from before the marker existed is recognised by the lock file every build
    left next to it.
    """
    kind = _kind(output)
    if kind == "other":
        raise BuildError([Problem("output_not_folder", str(output), None, {"output": str(output)})])
    if kind == "folder" and not is_ours(output) and not sibling(output, "lock").exists():
        raise BuildError([Problem("output_not_ours", str(output), None, {"output": str(output)})])


def refuse_unless_ours(folder: Path, output: Path) -> None:
    """Raise unless the build may delete ``folder``, one of its own sibling names."""
    if not is_ours(folder):
        raise BuildError(
            [Problem("output_staging_not_ours", str(folder), None, {"path": str(folder), "output": str(output)})]
        )


def mark(folder: Path, like: Path | None = None) -> None:
    """Put the marker in a folder the build made (or reuses): a hard link to the one in
    ``like`` when it has it (an unchanged file keeps its time, as every other file does)."""
    target = folder / MARKER
    if target.is_file():
        return
    try:
        if like is not None and (like / MARKER).read_bytes() == MARKER_TEXT:
            os.link(like / MARKER, target)
            return
    except OSError:
        pass  # not there (a first build) or not linkable: a new one is written
    with open(target, "wb") as handle:
        handle.write(MARKER_TEXT)


def remove_ours(folder: Path) -> None:
    """Delete a marked folder, the marker last: a removal cut short leaves a folder still marked."""
    if _kind(folder) != "folder" or not is_ours(folder):
        return
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries if entry.name != MARKER]
    for name in names:
        path = folder / name
        if _kind(path) == "folder":
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:
                pass
    try:
        (folder / MARKER).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        pass  # something could not go: the folder stays marked, the next build tries again


def check_cache(cache: Path) -> None:
    """Refuse a cache folder that is a file, or a full folder this generator did not make."""
    kind = _kind(cache)
    if kind == "other":
        raise BuildError([Problem("cache_not_folder", str(cache), None, {"cache": str(cache)})])
    if kind == "folder" and not is_ours(cache, CACHE_TAG) and not (cache / _LEGACY_CACHE_FILE).is_file():
        raise BuildError([Problem("cache_not_ours", str(cache), None, {"cache": str(cache)})])


def tag_cache(cache: Path, create: bool = True) -> None:
    """Tag the cache folder as the generator's (made if missing and ``create``); a cache that
    cannot be written is only slower."""
    try:
        if create:
            cache.mkdir(parents=True, exist_ok=True)
        if cache.is_dir() and not (cache / CACHE_TAG).is_file():
            (cache / CACHE_TAG).write_bytes(CACHE_TAG_TEXT)
    except OSError:
        pass
