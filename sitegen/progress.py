"""Progress bar for long builds (only on a terminal), the time per stage, and the end-of-build summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TextIO, TypeVar

T = TypeVar("T")


class Progress:
    """A one-line bar on stderr, redrawn at most ten times a second; silent when not a TTY."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label, self.total, self.done, self._drawn = "", 0, 0, 0.0

    def stage(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._draw(force=self.done >= self.total)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled or self.total < 200:
            return
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        width = 30
        filled = width * self.done // max(1, self.total)
        self.stream.write(f"\r{self.label:<10} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


class StageClock:
    """Time per stage: ``clock.lap(name, value)`` books the time since the last lap to ``name``."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str, value: T) -> T:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self._last
        self._last = now
        return value


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, for the closing lines (and replayed when nothing changed)."""

    output: str = ""
    pages_by_kind: Mapping[str, int] = field(default_factory=dict)
    files: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: int = 0
    converted: int = 0
    skipped: tuple[tuple[str, str, str], ...] = ()  # (source, reason, goes live)
    next_go_live: str = ""
    timings: Mapping[str, float] = field(default_factory=dict)
    nothing_changed: bool = False

    def replayed(self, seconds: float) -> BuildSummary:
        """This summary told again by a build that found nothing to do in ``seconds``."""
        return replace(
            self,
            written=0,
            unchanged=self.files,
            rendered=0,
            converted=0,
            nothing_changed=True,
            timings={"total": seconds},
        )

    def with_total(self, seconds: float) -> BuildSummary:
        return replace(self, timings={**self.timings, "total": seconds})
