"""Build reports: problems (as text, GitHub workflow commands or JSON), the closing summary, what was left out.

This module is the one place that prints problems.  The command line and ``serve`` both
print through it, so the two say the same thing the same way (and ``serve`` need not
import the command line).  Every word comes from :mod:`sitegen.messages`.

Where each kind of output goes, by ``--format``:

* ``text``: problems on stderr; summaries, tables and what was left out on stdout;
* ``github``: one workflow command per problem on stdout (the runner reads them there and
  annotates the pull request); the rest as with ``text``;
* ``json``: one JSON object per problem on stdout, nothing else there; every other line on
  stderr, so that stdout can be piped into a JSON reader.

The closing count line ("Nessun errore." / "2 errori, 1 avviso.") ends every run: on the
summary's stream when the run succeeded, after the problems when it failed (with ``json``,
always on stderr).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import ERROR, NOTICE, WARNING, Problem
from .messages import render_message

if TYPE_CHECKING:
    from .progress import BuildSummary
    from .site import Site

TEXT, GITHUB, JSON = "text", "github", "json"
FORMATS = (TEXT, GITHUB, JSON)

# The catalogue's "what is wrong — how to fix it": the hint of a JSON problem is what follows.
HINT_SEPARATOR = " — "


@dataclass(frozen=True)
class Tally:
    """How many errors and warnings a run reported (notices are not counted: nothing to fix)."""

    errors: int = 0
    warnings: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.errors + other.errors, self.warnings + other.warnings)


@dataclass(frozen=True)
class Streams:
    """Where problems go, and where every other line goes, for one ``--format``."""

    problems: TextIO
    text: TextIO


def streams_for(fmt: str) -> Streams:
    """The streams of ``fmt`` (see the module docstring), looked up at call time (tests capture them)."""
    if fmt == TEXT:
        return Streams(problems=sys.stderr, text=sys.stdout)
    if fmt == GITHUB:
        return Streams(problems=sys.stdout, text=sys.stdout)
    return Streams(problems=sys.stdout, text=sys.stderr)


def unique_problems(problems: Iterable[Problem], lang: str) -> list[Problem]:
    """Errors first, then warnings and notices, by path and line; the same problem found twice
    (a broken template used by the pages of both languages) once."""
    return list(_unique(problems, lang).values())


def _unique(problems: Iterable[Problem], lang: str) -> dict[tuple[str, str], Problem]:
    """:func:`unique_problems` by (text in ``lang``, severity): the text is made once per problem."""
    ordered = sorted(problems, key=lambda p: (not p.is_error, p.severity == NOTICE, p.path, p.line or 0))
    unique: dict[tuple[str, str], Problem] = {}
    for problem in ordered:
        unique.setdefault((problem.format(lang), problem.severity), problem)
    return unique


def tally_of(problems: Iterable[Problem]) -> Tally:
    counted = list(problems)
    return Tally(errors=sum(p.severity == ERROR for p in counted), warnings=sum(p.severity == WARNING for p in counted))


def report(problems: Iterable[Problem], lang: str, fmt: str = TEXT, stream: TextIO | None = None) -> Tally:
    """Print ``problems`` once each in ``fmt`` (errors first) and return how many there were."""
    unique = _unique(problems, lang)
    out = stream or streams_for(fmt).problems
    root = repository_root(Path.cwd())
    lines: list[str] = []
    for (text, _severity), problem in unique.items():
        if fmt == GITHUB:
            lines.append(github_command(problem, lang, root))
        elif fmt == JSON:
            lines.append(json_record(problem, lang, root))
        else:
            lines.append(text)
    if lines:
        print("\n".join(lines), file=out)  # (one write: a thousand warnings were a thousand)
    return tally_of(unique.values())


def count_line(tally: Tally, lang: str, failed: bool = False) -> str:
    """``Nessun errore.``, ``1 errore.``, ``2 errori, 1 avviso.``: the last line of every run.

    A run that failed on warnings alone (``--strict``) says so rather than "no errors".
    """
    values = {"errors": tally.errors, "warnings": tally.warnings}
    if failed and not tally.errors and tally.warnings:
        return render_message("count_strict_one" if tally.warnings == 1 else "count_strict", lang, values) + "."
    errors = "count_no_errors" if not tally.errors else "count_errors_one" if tally.errors == 1 else "count_errors"
    parts = [render_message(errors, lang, values)]
    if tally.warnings:
        parts.append(render_message("count_warnings_one" if tally.warnings == 1 else "count_warnings", lang, values))
    return ", ".join(parts) + "."


def finish(tally: Tally, lang: str, fmt: str, failed: bool) -> None:
    """Print the count line where the run's last word belongs (see the module docstring)."""
    chosen = streams_for(fmt)
    # JSON's stdout holds only problems; with text, a failure's count follows its problems on stderr.
    stream = chosen.problems if failed and fmt != JSON else chosen.text
    print(count_line(tally, lang, failed), file=stream)


def say(text: str, fmt: str) -> None:
    """Print a line of the human summary (never mixed into JSON's stdout)."""
    if text:
        print(text, file=streams_for(fmt).text)


# --- machine-readable problems ---------------------------------------------------------


def repository_root(start: Path) -> Path:
    """The git work tree holding ``start`` (``.git`` folder or file), else ``start`` itself.

    GitHub places annotations by paths relative to the repository; problems carry paths
    relative to the folder the command ran in, which may be below it.
    """
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def repository_path(path: str, root: Path) -> str:
    """``path`` (relative to the current folder, or absolute) relative to ``root``, with ``/``."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return path  # outside the repository: GitHub cannot place it anyway; say where it is


def split_message(problem: Problem, lang: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) of ``problem``'s message in ``lang``."""
    text = render_message(problem.code, lang, problem.params)
    what, _sep, hint = text.partition(HINT_SEPARATOR)
    return what, hint


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``escapeProperty``): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {ERROR: "error", WARNING: "warning", NOTICE: "notice"}


def github_command(problem: Problem, lang: str, root: Path) -> str:
    """``::error file=…,line=…,title=…::message``: an annotation on the problem's line."""
    what, _hint = split_message(problem, lang)
    properties = [f"file={escape_property(repository_path(problem.path, root))}"]
    if problem.line is not None:
        properties.append(f"line={problem.line}")
    properties.append(f"title={escape_property(what)}")
    message = render_message(problem.code, lang, problem.params)
    return f"::{GITHUB_LEVELS[problem.severity]} {','.join(properties)}::{escape_data(message)}"


def json_record(problem: Problem, lang: str, root: Path) -> str:
    """One problem as one line of JSON: file, line, severity, code, message, hint."""
    what, hint = split_message(problem, lang)
    record = {
        "file": repository_path(problem.path, root),
        "line": problem.line,
        "severity": problem.severity,
        "code": problem.code,
        "message": what,
        "hint": hint,
    }
    return json.dumps(record, ensure_ascii=False)


# --- what the build left out -------------------------------------------------------------


def skipped_of(site: Site) -> list[tuple[str, str, str]]:
    return [(s.document.source.shown, s.reason, s.goes_live.isoformat() if s.goes_live else "") for s in site.skipped]


def next_go_live_text(site: Site) -> str:
    from .site import next_go_live

    upcoming = next_go_live(site)
    return upcoming.isoformat() if upcoming else ""


def skipped_lines(skipped: Sequence[tuple[str, str, str]], upcoming: str, lang: str) -> str:
    """What the build left out and why, and when the next scheduled item goes live."""
    lines = [
        f"  {shown}: {render_message('skipped_' + reason, lang, {})}{' ' + when if when else ''}"
        for shown, reason, when in skipped
    ]
    if lines:
        lines.insert(0, render_message("skipped_heading", lang, {}))
    if upcoming:
        lines.append(render_message("skipped_next_go_live", lang, {"when": upcoming}))
    return "\n".join(lines)


def empty_fields_line(config_path: str, keys: Sequence[str], lang: str) -> str:
    """``build``'s one line about the empty fields of config.yaml (``check`` lists each)."""
    if not keys:
        return ""
    code = "config_empty_fields_one" if len(keys) == 1 else "config_empty_fields"
    text = render_message(code, lang, {"count": len(keys), "keys": ", ".join(keys)})
    return f"{config_path}: {render_message('_notice_prefix', lang, {})}{text}"


# --- the closing summary of a build ----------------------------------------------------


def summary_text(summary: BuildSummary, lang: str) -> tuple[str, str]:
    """The closing lines of a build: (what was produced, written and left out; pages by kind and time per stage).

    The second part goes to stderr with the progress bar: it changes from run to run.
    """
    values: dict[str, object] = {
        "output": summary.output,
        "pages": sum(summary.pages_by_kind.values()),
        "seconds": f"{summary.timings.get('total', 0.0):.2f}",
        "written": summary.written,
        "unchanged": summary.unchanged,
        "converted": summary.converted,
        "rendered": summary.rendered,
        "kinds": ", ".join(
            f"{count} {render_message('kind_' + kind, lang, {}) if 'kind_' + kind in _KINDS else kind}"
            for kind, count in sorted(summary.pages_by_kind.items())
        ),
    }
    text = render_message("summary_unchanged" if summary.nothing_changed else "summary_built", lang, values)
    lines = [render_message("summary_detail", lang, values)]
    stages = [
        f"{render_message('stage_' + name, lang, {}) if 'stage_' + name in _STAGES else name} {value:.2f} s"
        for name, value in summary.timings.items()
        if name != "total"
    ]
    if stages:
        lines.append(render_message("summary_times", lang, {"stages": ", ".join(stages)}))
    extra = skipped_lines(summary.skipped, summary.next_go_live, lang)
    return text + ("\n" + extra if extra else ""), "\n".join(lines)


def _codes(prefix: str) -> frozenset[str]:
    from .messages import CATALOGUE

    return frozenset(code for code in CATALOGUE if code.startswith(prefix))


_KINDS = _codes("kind_")
_STAGES = _codes("stage_")
