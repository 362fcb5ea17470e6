"""Where the search index goes, and the marker of the shards that are behind their pages.

What every build needs of :mod:`sitegen.search` (a build without search as well: a serve
build's marker is cleared when the pages and the index go live together), kept apart so
that such a build does not import the indexing (Pagefind's runner, the shards, the text
copies): a few milliseconds of a one-edit rebuild.
"""

from __future__ import annotations

from pathlib import Path

from .output_guard import sibling

INDEX_DIR = "pagefind"  # the index's folder in the output
PENDING = "search-pending"  # sibling marker: the shards of the output's index that are behind its pages
ALL = "*"  # in the pending marker: every shard (what an empty marker means too)


def pending_shards(output: Path) -> frozenset[str]:
    """The shards of the index in ``output`` that are behind its pages (``*``: all of them)."""
    try:
        names = sibling(output, PENDING).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError):
        return frozenset({ALL})
    return frozenset(names or [ALL])  # an empty marker (an older generator's): every shard


def add_pending(output: Path, names: set[str]) -> None:
    marker = sibling(output, PENDING)
    listed = pending_shards(output) | names
    marker.write_text("".join(f"{name}\n" for name in sorted(listed)), encoding="utf-8")


def mark_pending(output: Path) -> None:
    add_pending(output, {ALL})


def clear_pending(output: Path) -> None:
    sibling(output, PENDING).unlink(missing_ok=True)


def index_pending(output: Path) -> bool:
    """Whether the index in ``output`` is behind its pages (a ``serve`` build has not caught up)."""
    return sibling(output, PENDING).exists()
