"""The no-change fast path: when no input changed since the last build, say so and stop.

Before anything is read, a build takes a *fingerprint*: a hash of the stat of every file
and folder under content/, templates/ and static/ and of the config file, with the newest
time seen, the generator's code and the command-line options.  After a successful build
it is saved with what the output folder then holds (its inode, each page's size and
mtime) in a small record of its own, ``.cache/fast-<output>.bin``: the next build reads
that record, not the whole page manifest.  If a fresh fingerprint is equal, no time is
too recent to trust (see :data:`sitegen.sources.RACY_NS`), no item went live or expired
in between, and every page of the output folder is still the file the last build wrote,
the site would come out identical, so nothing is done.  A build that does work first
removes the record, so a record never outlives the output it describes.

This module imports neither Jinja nor Markdown: the whole answer takes a few stats.
"""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .cache import generator_digest, load_blob, save_blob
from .config import Config
from .options import BuildOptions, load
from .output import build_lock

RACY_NS = 3_000_000_000  # same rule as sitegen.sources
FAST_MAGIC = b"SGFAST"
_UNTRUSTED = 1 << 62  # "newest" of a fingerprint with an input that could not be read


@dataclass(frozen=True)
class Fingerprint:
    """Everything a build reads, as stats (see the module docstring)."""

    taken_ns: int  # when it was taken (before the build read anything)
    inputs: str  # sha256 of every input's path and stat
    newest_ns: int  # the latest mtime or ctime among the inputs
    chosen: tuple  # command-line options, output folder, generator code


@dataclass(frozen=True)
class FastRecord:
    """What the last successful build left: its fingerprint and the output folder it wrote."""

    fingerprint: Fingerprint
    output_ino: int
    valid_until: datetime | None  # next go-live or expiry: the site changes by itself then
    pages: tuple[str, ...]  # every page of the output folder, relative to it
    page_stats: bytes  # array("q") of (size, mtime_ns) per page, in ``pages`` order
    summary: Any  # the build's summary and warnings, replayed by the fast path
    warnings: tuple


def record_path(config: Config) -> Path:
    """One record per output folder (``--output`` may differ between runs)."""
    name = hashlib.sha256(str(config.output_dir).encode()).hexdigest()[:16]
    return config.cache_dir / f"fast-{name}.bin"


def _walk(folder: str, names: list[str], times: array, others: array) -> bool:
    """Add the path, (mtime, ctime) and (size, inode) of everything below ``folder``.

    False if something could not be read.  Symbolic links are followed for their stat, not
    walked into (as the content walk does).  Entries come in directory order: the same for
    a folder nobody touched, and a changed order only costs a build, never a stale site."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        names.append(folder + "\0?")
        return False
    readable = True
    for entry in entries:
        try:
            st = entry.stat()
        except OSError:
            names.append(entry.path + "\0?")
            readable = False
            continue
        names.append(entry.path)
        times.append(st.st_mtime_ns)
        times.append(st.st_ctime_ns)
        others.append(st.st_size)
        others.append(st.st_ino)
        if entry.is_dir(follow_symlinks=False):
            readable = _walk(entry.path, names, times, others) and readable
    return readable


def fingerprint(config: Config, options: BuildOptions) -> Fingerprint:
    """The fingerprint of the inputs as they are now."""
    taken = time.time_ns()
    names: list[str] = []
    times, others = array("q"), array("q")
    readable = True
    for root in (config.content_dir, config.templates_dir, config.static_dir):
        readable = _walk(str(root), names, times, others) and readable
    for path in (config.source, config.content_dir, config.templates_dir, config.static_dir):
        try:
            st = os.stat(path)
        except OSError:
            names.append(f"{path}\0?")
            readable = False
            continue
        names.append(str(path))
        times.extend((st.st_mtime_ns, st.st_ctime_ns))
        others.extend((st.st_size, st.st_ino))
    digest = hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    digest.update(times.tobytes())
    digest.update(others.tobytes())
    newest = max(times, default=0) if readable else _UNTRUSTED
    chosen = (
        options.drafts,
        options.strict,
        options.base_url,
        options.now.isoformat() if options.now else None,
        str(config.output_dir),
        generator_digest(),
    )
    return Fingerprint(taken, digest.hexdigest(), newest, chosen)


def _page_stats(output: str, pages: tuple[str, ...]) -> bytes | None:
    """(size, mtime_ns) of each page as :func:`save_record` stores them; ``None`` if one is missing."""
    values = array("q")
    prefix = output + os.sep
    try:
        for rel in pages:
            st = os.stat(prefix + rel)
            values.append(st.st_size)
            values.append(st.st_mtime_ns)
    except OSError:
        return None
    return values.tobytes()


def forget(config: Config) -> None:
    """Remove the record: called before a build changes the output folder."""
    try:
        os.unlink(record_path(config))
    except FileNotFoundError:
        pass


def save_record(config: Config, taken: Fingerprint, manifest) -> None:
    """Remember a successful build (``manifest``: :class:`sitegen.incremental.Manifest`)."""
    pages = tuple(manifest.pages)
    values = array("q")
    for rel in pages:
        record = manifest.pages[rel]
        values.append(record.size)
        values.append(record.mtime_ns)
    save_blob(
        record_path(config),
        FAST_MAGIC,
        FastRecord(
            taken,
            manifest.output_ino,
            manifest.valid_until,
            pages,
            values.tobytes(),
            manifest.summary,
            manifest.warnings,
        ),
    )


def unchanged_since_last_build(config: Config, options: BuildOptions) -> FastRecord | None:
    """The last build's record if building again would change nothing, else ``None``."""
    record = load_blob(record_path(config), FAST_MAGIC)
    if not isinstance(record, FastRecord):
        return None
    try:
        if os.stat(config.output_dir).st_ino != record.output_ino:
            return None
    except OSError:
        return None
    last = record.fingerprint
    if last.newest_ns >= last.taken_ns - RACY_NS:
        return None  # an input changed too close to the last build for its stat to be trusted
    now = fingerprint(config, options)
    if now.inputs != last.inputs or now.chosen != last.chosen:
        return None
    moment = options.now or datetime.now(UTC)
    if record.valid_until is not None and moment >= record.valid_until:
        return None
    if _page_stats(str(config.output_dir), record.pages) != record.page_stats:
        return None
    return record


def try_fast(options: BuildOptions):
    """(summary, warnings) of a build that had nothing to do, or ``None`` when a build is needed."""
    if not options.cache:
        return None
    started = time.perf_counter()
    config = load(options)
    with build_lock(config.output_dir):
        record = unchanged_since_last_build(config, options)
    if record is None:
        return None
    return record.summary.replayed(time.perf_counter() - started), record.warnings
