"""Where a build puts its files: one interface, two places.

Every stage writes through an :class:`OutputTarget`: ``put`` a file, ``reuse`` a page the
last build made (its key is unchanged), ``commit`` when the whole site is there (or
``abort``).  :class:`DiskTarget` builds the new site in a staging folder next to the output
(:mod:`sitegen.output`) and swaps it in atomically, keeping the old one as the next build's
spare (:mod:`sitegen.output_swap`); :class:`MemoryTarget` keeps every file's bytes (``check``,
tests) and writes nothing.  ``put`` may run in a forked worker: what it returns (:class:`Written`)
is handed to ``keep`` in the build's own process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .incremental import Manifest, PageRecord
from .output import CacheFile, abort_staging, begin_staging, link_unchanged, put_file, remove_stale
from .output_linked import linked_in_place
from .output_swap import commit_staging, twin_spare


@dataclass(frozen=True)
class Written:
    """One file put: its size and time, whether its bytes are new, and the bytes when the target keeps them."""

    size: int
    mtime_ns: int
    new: bool  # False: the old site's file, linked in unchanged
    data: bytes | None = None
    ino: int = 0  # its inode (0: not on disk), recorded for the next build's reuse check


@dataclass(frozen=True)
class Committed:
    """What the target is after ``commit``: the live folder's identity and its spare (disk), or every file (memory)."""

    output_ino: int = -1
    spare_id: tuple[int, int] | None = None
    spare_files: frozenset[str] = frozenset()
    files: Mapping[str, bytes | Path] = field(default_factory=dict)


class OutputTarget(Protocol):
    """The one way a build writes its output (see the module docstring)."""

    @property
    def staging(self) -> Path | None:
        """The folder the new site is built in (Pagefind indexes it), or ``None`` in memory."""

    @property
    def live(self) -> Path:
        """The output folder the new site replaces."""

    def begin(self) -> None: ...

    def reuse(self, rel: str, record: PageRecord) -> bool:
        """Take the last build's file ``rel`` as it is, if it is still what ``record`` says."""

    def linked(self, files: Mapping[str, CacheFile]) -> frozenset[str]:
        """The output files of ``files`` already in place as those very cache files, and not
        new (nothing to put: see :mod:`sitegen.output_linked`)."""

    def put(self, rel: str, content: bytes | Path) -> Written: ...

    def keep(self, rel: str, written: Written) -> None:
        """In the build's process: remember what ``put`` returned (possibly in a worker)."""

    def read(self, rel: str) -> bytes | None: ...

    def drop_others(self, keep: frozenset[str]) -> None:
        """Remove every file a reused folder holds that is not in ``keep``."""

    def commit(self, files: frozenset[str], spare: bool) -> Committed: ...

    def abort(self) -> None: ...


class DiskTarget:
    """The output folder, replaced atomically (see :mod:`sitegen.output`)."""

    def __init__(self, output: Path, previous: Manifest) -> None:
        self._output = output
        self._previous = previous
        self._staging: Path | None = None
        self._reused = False  # the staging folder is the last build's spare
        self._live = True  # the output folder holds the last site

    @property
    def staging(self) -> Path | None:
        return self._staging

    @property
    def live(self) -> Path:
        return self._output

    @property
    def reused(self) -> bool:
        return self._reused

    def begin(self) -> None:
        self._staging, self._reused = begin_staging(self._output, self._previous.spare_id)
        self._live = self._output.is_dir()  # no old site (a first build): no file of it to look for

    def _folder(self) -> Path:
        if self._staging is None:
            raise RuntimeError("DiskTarget used before begin()")
        return self._staging

    def reuse(self, rel: str, record: PageRecord) -> bool:
        return link_unchanged(self._folder(), self._output, rel, record.size, record.mtime_ns, record.ino)

    def linked(self, files: Mapping[str, CacheFile]) -> frozenset[str]:
        return linked_in_place(self._folder(), self._output, files) if self._reused else frozenset()

    def put(self, rel: str, content: bytes | Path) -> Written:
        size, mtime_ns, ino, new = put_file(self._folder(), self._output if self._live else None, rel, content)
        return Written(size, mtime_ns, new, ino=ino)

    def keep(self, rel: str, written: Written) -> None:
        pass  # on disk already

    def read(self, rel: str) -> bytes | None:
        return (self._folder() / rel).read_bytes()

    def drop_others(self, keep: frozenset[str]) -> None:
        if self._reused:
            remove_stale(self._folder(), self._previous.spare_files - keep)

    def commit(self, files: frozenset[str], spare: bool) -> Committed:
        """Swap the new site in.  With ``spare`` the old site is kept for the next build: as it
        is when the last manifest knows its files, else as a twin of hard links to the new one."""
        spare_id = commit_staging(self._folder(), self._output, keep_spare=spare and bool(self._previous.files))
        spare_files = self._previous.files if spare_id is not None else frozenset()
        if spare_id is None and spare:
            spare_id = twin_spare(self._output, files)
            spare_files = files if spare_id is not None else frozenset()
        self._staging = None
        return Committed(os.stat(self._output).st_ino, spare_id, spare_files)

    def abort(self) -> None:
        if self._staging is not None:
            abort_staging(self._staging)
            self._staging = None


class MemoryTarget:
    """Every file kept in memory (``check`` and tests): nothing is written."""

    def __init__(self, output: Path) -> None:
        self._output = output
        self._files: dict[str, bytes | Path] = {}

    @property
    def staging(self) -> Path | None:
        return None

    @property
    def live(self) -> Path:
        return self._output

    def begin(self) -> None:
        self._files = {}

    def reuse(self, rel: str, record: PageRecord) -> bool:
        return False  # no previous site in memory: every page is rendered

    def linked(self, files: Mapping[str, CacheFile]) -> frozenset[str]:
        return frozenset()  # every file is put, so that the target holds it

    def put(self, rel: str, content: bytes | Path) -> Written:
        self._files[rel] = content  # lost when put in a worker: keep() then stores the returned bytes
        if isinstance(content, Path):
            return Written(content.stat().st_size, 0, True)
        return Written(len(content), 0, True, content)

    def keep(self, rel: str, written: Written) -> None:
        if written.data is not None:
            self._files[rel] = written.data

    def read(self, rel: str) -> bytes | None:
        data = self._files.get(rel)
        return data if isinstance(data, bytes) else None

    def drop_others(self, keep: frozenset[str]) -> None:
        for rel in [rel for rel in self._files if rel not in keep]:
            del self._files[rel]

    def commit(self, files: frozenset[str], spare: bool) -> Committed:
        return Committed(files=dict(self._files))

    def abort(self) -> None:
        self._files = {}


def put_all(
    target: OutputTarget, files: Mapping[str, bytes | Path], skip: frozenset[str] = frozenset()
) -> dict[str, Written]:
    """Put each file in ``files`` but those in ``skip`` (in a stable order) and keep what was put."""
    done = {}
    for rel in sorted(files.keys() - skip):
        done[rel] = written = target.put(rel, files[rel])
        target.keep(rel, written)
    return done
