"""The no-change fast path: when no input changed since the last build, say so and stop.

Before anything is read, a build takes a *fingerprint*: a hash of the stat of every file
and folder under content/, templates/ and static/ and of the config file, with the newest
time seen, the generator's code and the command-line options.  After a successful build
it is saved with what the output folder then holds (its inode, each page's size and
mtime) in a small record of its own, ``.cache/fast-<output digest>.json``: the next build
reads that record (checked: its pages are relative files of the output folder), not the
whole page manifest.  If a fresh fingerprint is equal, the files changed too
shortly before the last fingerprint for their stat to vouch for them (see
:data:`sitegen.cache.files.RACY_NS`; their bytes were hashed then) still have the same
bytes, no item went live or expired in between, and every page of the output folder is
still the file the last build wrote, the site would come out identical, so nothing is
done.  A build that does work first removes the record, so a record never outlives the
output it describes.  The CLI's build records the fingerprint its no-change check took
(:func:`check_fast`), and that check reads the record whole only when its first bytes hold
the fresh inputs digest (:func:`_may_match`).

This module imports neither Jinja nor Markdown: the whole answer takes a few stats.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import checks
from .cache.codec import NOT_STORED, Invalid, decoder, encoder
from .cache.digests import generator_digest, output_digest
from .cache.files import RACY_NS, Notices, Stat, load_checked, remove_quietly, save_quietly, stat_tuple
from .collector import fewer_collections
from .config import Config
from .errors import Problem
from .options import BuildOptions, load
from .output import build_lock
from .progress import BuildSummary

if TYPE_CHECKING:
    from .incremental import Manifest

FAST = "fast"
_UNTRUSTED = 1 << 62  # "newest" of a fingerprint with an input that could not be read
# The record's header and its fingerprint (the first field) fit well within this: see _may_match.
_HEAD_BYTES = 512
# The command-line options and the output folder a build was made with, and the generator's code.
Chosen = tuple[bool, bool, str | None, str | None, str, str]


@dataclass(frozen=True)
class Fingerprint:
    """Everything a build reads, as stats (see the module docstring)."""

    taken_ns: int  # when it was taken (before the build read anything)
    inputs_digest: str  # digest of every input's path and stat
    newest_ns: int  # the latest mtime or ctime among the inputs
    chosen: Chosen
    # (path, SHA-256 of its bytes) of each file changed less than RACY_NS before ``taken_ns``:
    # its stat alone cannot tell a later write in the same clock tick (see _trusted).
    racy: tuple[tuple[str, str], ...] = ()
    # The stat of each file under content/ as this fingerprint saw it, by path: the build that
    # records this fingerprint takes its sources' stats from here (sitegen.sources) instead of
    # asking for each a second time.  Never stored: the next build takes a fingerprint of its own.
    seen: Mapping[str, Stat] = field(default_factory=dict, compare=False, repr=False, metadata=NOT_STORED)


@dataclass(frozen=True)
class FastRecord:
    """What the last successful build left: its fingerprint and the output folder it wrote."""

    fingerprint: Fingerprint
    output_ino: int
    valid_until: datetime | None  # next go-live or expiry: the site changes by itself then
    pages: tuple[str, ...]  # every page of the output folder, relative to it
    page_stats: tuple[int, ...]  # (size, mtime_ns) per page, in ``pages`` order
    summary: BuildSummary  # the build's summary and warnings, replayed by the fast path
    warnings: tuple[Problem, ...]

    def check(self) -> FastRecord:
        if len(self.page_stats) != 2 * len(self.pages):
            raise Invalid("page stats do not match the pages")
        checks.relative_files(self.pages)
        checks.problems(self.warnings)
        return self


_decode = decoder(FastRecord)
_encode = encoder(FastRecord)


def record_path(config: Config) -> Path:
    """One record per output folder (``--output`` may differ between runs)."""
    return config.cache_dir / f"fast-{output_digest(config)}.json"


def read_record(path: Path, notices: Notices | None = None) -> FastRecord | None:
    """The checked record at ``path``, or ``None``."""
    record: FastRecord | None = load_checked(path, FAST, lambda value: _decode(value).check(), notices)
    return record


def write_record(path: Path, record: FastRecord, notices: Notices | None = None) -> None:
    try:
        data = _encode(record)
    except Invalid:
        return  # a value the cache cannot hold: the next build is a full one
    save_quietly(path, FAST, data, notices)


def _walk(
    folder: str, names: list[str], times: array[int], others: array[int], recent: Recent, seen: dict[str, Stat] | None
) -> bool:
    """Add the path, (mtime, ctime) and (size, inode) of everything below ``folder``, the path
    of each file changed since ``recent.since`` to ``recent.paths``, and each file's stat to
    ``seen`` (when given).

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
            readable = _walk(entry.path, names, times, others, recent, seen) and readable
            continue
        if seen is not None:
            seen[entry.path] = stat_tuple(st)
        if max(st.st_mtime_ns, st.st_ctime_ns) >= recent.since:
            recent.paths.append(entry.path)
    return readable


@dataclass
class Recent:
    """The files of a fingerprint whose stat is too recent to vouch for their bytes."""

    since: int  # the fingerprint's time less RACY_NS
    paths: list[str] = field(default_factory=list)


def _contents(paths: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    """The SHA-256 of each file's bytes, in order; ``None`` if one is not a regular file that
    can be read (opened without blocking: a FIFO must not stop the build; the build reports it)."""
    digests: list[str] = []
    for path in paths:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return None
            with os.fdopen(handle, "rb", closefd=False) as stream:
                digests.append(hashlib.file_digest(stream, "sha256").hexdigest())
        except OSError:
            return None
        finally:
            os.close(handle)
    return tuple(digests)


def fingerprint(config: Config, options: BuildOptions) -> Fingerprint:
    """The fingerprint of the inputs as they are now."""
    taken = time.time_ns()
    names: list[str] = []
    times, others = array("q"), array("q")
    recent = Recent(taken - RACY_NS)
    seen: dict[str, Stat] = {}  # (the sources' stats: only content/ is parsed)
    readable = True
    for root in (config.content_dir, config.templates_dir, config.static_dir):
        readable = (
            _walk(str(root), names, times, others, recent, seen if root == config.content_dir else None) and readable
        )
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
        if path == config.source and max(st.st_mtime_ns, st.st_ctime_ns) >= recent.since:
            recent.paths.append(str(path))
    digest = hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    digest.update(times.tobytes())
    digest.update(others.tobytes())
    contents = _contents(recent.paths)
    newest = max(times, default=0) if readable and contents is not None else _UNTRUSTED
    chosen: Chosen = (
        options.drafts,
        options.strict,
        options.base_url,
        options.now.isoformat() if options.now else None,
        str(config.output_dir),
        generator_digest(),
    )
    racy = tuple(zip(recent.paths, contents or (), strict=False))
    return Fingerprint(taken, digest.hexdigest(), newest, chosen, racy, seen)


def _page_stats(output: str, pages: tuple[str, ...]) -> list[int] | None:
    """(size, mtime_ns) of each page as :func:`save_record` stores them; ``None`` if one is missing."""
    values: list[int] = []
    prefix = output + os.sep
    try:
        for rel in pages:
            st = os.stat(prefix + rel)
            values.append(st.st_size)
            values.append(st.st_mtime_ns)
    except OSError:
        return None
    return values


def forget(config: Config) -> None:
    """Remove the record (a folder in its place too): called before a build changes the output
    folder.  One that cannot be removed is still checked against the output's pages."""
    remove_quietly(record_path(config))


def save_record(config: Config, taken: Fingerprint, manifest: Manifest, notices: Notices | None = None) -> None:
    """Remember a successful build."""
    pages = tuple(manifest.pages)
    values: list[int] = []
    for rel in pages:
        page = manifest.pages[rel]
        values.append(page.size)
        values.append(page.mtime_ns)
    if manifest.summary is None:
        return
    record = FastRecord(
        taken, manifest.output_ino, manifest.valid_until, pages, tuple(values), manifest.summary, manifest.warnings
    )
    write_record(record_path(config), record, notices)


def unchanged_since_last_build(
    config: Config, options: BuildOptions, now: Fingerprint | None = None
) -> FastRecord | None:
    """The last build's record if building again would change nothing, else ``None``.

    ``now`` is the fingerprint of the inputs as they are (taken here when not given)."""
    now = fingerprint(config, options) if now is None else now
    path = record_path(config)
    if not _may_match(path, now.inputs_digest):
        return None
    record = read_record(path)
    if record is None:
        return None
    try:
        if os.stat(config.output_dir).st_ino != record.output_ino:
            return None
    except OSError:
        return None
    last = record.fingerprint
    if now.inputs_digest != last.inputs_digest or now.chosen != last.chosen or not _trusted(last, config):
        return None
    moment = options.now or datetime.now(UTC)
    if record.valid_until is not None and moment >= record.valid_until:
        return None
    if _page_stats(str(config.output_dir), record.pages) != list(record.page_stats):
        return None
    return record


def _trusted(last: Fingerprint, config: Config) -> bool:
    """Whether equal stats mean equal inputs since ``last`` was taken.

    A file written less than :data:`~sitegen.cache.files.RACY_NS` before the fingerprint may
    be written again in the same clock tick of the file system, keeping its size and times
    (git's "racily clean" files): for those the stat is not enough, and their bytes must
    still be the ones hashed then.  (A folder's entries are each in the fingerprint by name
    and stat, so a recent folder needs nothing more.)  An input that could not be read is
    never trusted."""
    if last.newest_ns >= _UNTRUSTED:
        return False
    if last.newest_ns < last.taken_ns - RACY_NS:
        return True
    paths = tuple(path for path, _digest in last.racy)
    if not all(_is_input(path, config) for path in paths):
        return False  # a record names only inputs: this one was not written by a build
    return _contents(paths) == tuple(digest for _path, digest in last.racy)


def _is_input(path: str, config: Config) -> bool:
    """Whether ``path`` is one a fingerprint walks: the config file, or below content/,
    templates/ or static/ (a path read from the cache is never opened elsewhere)."""
    if path == str(config.source):
        return True
    roots = (config.content_dir, config.templates_dir, config.static_dir)
    return any(path.startswith(str(root) + os.sep) for root in roots) and os.sep + ".." + os.sep not in path


def _may_match(path: Path, inputs_digest: str) -> bool:
    """False when the record at ``path`` surely is not of these inputs: its first bytes (where
    the fingerprint is) do not hold their digest.  Only a "no" is taken from these unchecked
    bytes (a damaged record costs a build, never a stale site); a "maybe" reads the record
    whole and checked.  After an edit, the build then neither reads nor decodes the pages
    and warnings of the last build (at 10 000 items, megabytes)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return inputs_digest.encode("ascii") in head


def try_fast(options: BuildOptions) -> tuple[BuildSummary, tuple[Problem, ...]] | None:
    """(summary, warnings) of a build that had nothing to do, or ``None`` when a build is needed."""
    return check_fast(options)[0]


def check_fast(
    options: BuildOptions, config: Config | None = None
) -> tuple[tuple[BuildSummary, tuple[Problem, ...]] | None, Fingerprint | None]:
    """:func:`try_fast`, and the fingerprint taken for it: a build that follows can record it
    (taken before the build reads anything, as :func:`sitegen.build.build` requires) rather
    than walk the inputs a second time.  ``(None, None)`` with ``--no-cache``.

    ``config``: the options' config if the caller has just loaded it (else it is loaded here)."""
    if not options.cache:
        return None, None
    started = time.perf_counter()
    if config is None:
        config = load(options)
    with build_lock(config.output_dir), fewer_collections():
        taken = fingerprint(config, options)
        record = unchanged_since_last_build(config, options, taken)
    if record is None:
        return None, taken
    return (record.summary.replayed(time.perf_counter() - started), record.warnings), None
