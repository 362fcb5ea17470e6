"""Problems found in the sources, and the one exception type that carries them.

Every stage of the pipeline collects :class:`Problem` values instead of raising at the
first one, so that an editor sees all the mistakes of a run at once.  A stage that found
errors raises :class:`BuildError` with all of them; :mod:`sitegen.report` is the only place
that prints them, and the command line (:mod:`sitegen.cli`) the only one that turns them into an exit code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from .messages import render_message

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about one source file.

    ``code`` names an entry of :data:`sitegen.messages.CATALOGUE`; ``params`` fill its
    placeholders.  ``path`` is relative to the project root where possible, ``line`` is
    1-based (``None`` when the problem concerns the whole file).
    """

    code: str
    path: str
    line: int | None = None
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    severity: str = ERROR

    def format(self, lang: str) -> str:
        """``path:line: message — fix``, in the editor's language ``lang``."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = render_message(self.code, lang, self.params)
        if self.severity == WARNING:
            text = render_message("_warning_prefix", lang, {}) + text
        elif self.severity == NOTICE:
            text = render_message("_notice_prefix", lang, {}) + text
        return f"{where}: {text}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class BuildError(Exception):
    """The build cannot go on; carries every problem found so far (errors and warnings)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{sum(p.is_error for p in self.problems)} error(s)")


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise :class:`BuildError` when ``problems`` holds at least one error."""
    collected = tuple(problems)
    if any(p.is_error for p in collected):
        raise BuildError(collected)


def display_path(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """``path`` relative to ``root`` when it lies below it, else as given (for messages)."""
    try:
        return os.path.relpath(os.fspath(path), os.fspath(root)) if _is_below(path, root) else os.fspath(path)
    except ValueError:
        return os.fspath(path)


def _is_below(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    absolute, folder = os.path.abspath(path), os.path.abspath(root)
    return absolute == folder or absolute.startswith(folder.rstrip(os.sep) + os.sep)
