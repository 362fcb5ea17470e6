"""The no-change fast path: when no input changed since the last build, say so and stop.

Before anything is read, a build records a *fingerprint*: the stat of every file under
content/, templates/ and static/, of the config file, the generator's code and the
command-line options.  The next build compares a fresh fingerprint with it; if they are
equal, no mtime is too recent to trust (see :data:`sitegen.sources.RACY_NS`), no item
went live or expired in between, and every page of the output folder is still the file
the last build wrote, the site would come out identical, so nothing is done.  This
module imports neither Jinja nor Markdown: the whole answer takes a few stats.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

from .cache import generator_digest
from .config import Config
from .incremental import load_manifest
from .options import BuildOptions, load
from .output import build_lock

RACY_NS = 3_000_000_000  # same rule as sitegen.sources


def _walk(root, found: list) -> None:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files) + dirs:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                found.append((path, None))
                continue
            found.append((path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))


def fingerprint(config: Config, options: BuildOptions) -> tuple:
    """(moment taken, everything the build reads, as stats) — see the module docstring."""
    taken = time.time_ns()
    found: list = []
    _walk(config.content_dir, found)
    _walk(config.templates_dir, found)
    _walk(config.static_dir, found)
    for path in (config.source, config.content_dir, config.templates_dir, config.static_dir):
        try:
            st = os.stat(path)
            found.append((str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            found.append((str(path), None))
    chosen = (options.drafts, options.strict, options.base_url, options.now.isoformat() if options.now else None,
              str(config.output_dir), generator_digest())
    return taken, tuple(found), chosen


def _trusted(entries, taken: int) -> bool:
    limit = taken - RACY_NS
    return all(entry[1] is not None and entry[2] < limit and entry[3] < limit for entry in entries)


def unchanged_since_last_build(config: Config, options: BuildOptions):
    """The last build's manifest if building again would change nothing, else ``None``."""
    manifest = load_manifest(config)
    if manifest.fast is None or manifest.summary is None:
        return None
    taken, entries, chosen = manifest.fast
    _now_taken, new_entries, new_chosen = fingerprint(config, options)
    if new_chosen != chosen or new_entries != entries or not _trusted(entries, taken):
        return None
    now = options.now or datetime.now(timezone.utc)
    if manifest.valid_until is not None and now >= manifest.valid_until:
        return None
    for rel, record in manifest.pages.items():
        try:
            st = os.stat(config.output_dir / rel)
        except OSError:
            return None
        if st.st_size != record.size or st.st_mtime_ns != record.mtime_ns:
            return None
    return manifest


def try_fast(options: BuildOptions):
    """(summary, warnings) of a build that had nothing to do, or ``None`` when a build is needed."""
    if not options.cache:
        return None
    started = time.perf_counter()
    config = load(options)
    with build_lock(config.output_dir):
        manifest = unchanged_since_last_build(config, options)
    if manifest is None:
        return None
    summary = manifest.summary
    summary.written, summary.unchanged = 0, summary.files
    summary.rendered = summary.converted = 0
    summary.nothing_changed = True
    summary.timings = {"total": time.perf_counter() - started}
    return summary, manifest.warnings
