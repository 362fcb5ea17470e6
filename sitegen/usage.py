"""The command line's arguments, with ``--help`` and usage errors in the messages' language.

argparse writes its own words ("usage:", "options", "the following arguments are
required") in English; :class:`LocalizedParser` takes them from the message catalogue
instead, so an Italian editor reads Italian from ``--help`` to the last error.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from .messages import render_message
from .ports import port_type
from .report import FORMATS, TEXT

# argparse's English error texts (Python 3.11–3.13) and the catalogue entry for each: patterns
# compiled (and cached by re) at their first use, by a usage error, not by every build.
_ARGPARSE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<names>.*)", "cli_required"),
    (r"unrecognized arguments: (?P<names>.*)", "cli_unrecognized"),
    (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", "cli_bad_choice"),
    (r"argument (?P<name>[^:]+): expected one argument", "cli_needs_value"),
)
# What `new` makes (the kinds sitegen.scaffold writes): named here, so that reading the
# command line does not import the scaffolding (every build reads it).
KINDS = ("news", "page")
_ARGUMENT = r"argument (?P<name>[^:]+): (?P<detail>.*)"  # matched with re.S: a detail may span lines


def translate_error(message: str, lang: str) -> str:
    """argparse's English ``message`` in ``lang`` (unknown texts pass through unchanged)."""
    wrapped = re.fullmatch(_ARGUMENT, message, re.S)
    detail = wrapped.group("detail") if wrapped else message
    for pattern, code in _ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message) or re.fullmatch(pattern, detail)
        if found:
            text = render_message(code, lang, found.groupdict())
            if wrapped and code != "cli_needs_value" and found.re.fullmatch(detail):
                return render_message("cli_argument", lang, {"name": wrapped.group("name"), "detail": text})
            return text
    if wrapped:
        return render_message("cli_argument", lang, {"name": wrapped.group("name"), "detail": detail})
    return message


class LocalizedFormatter(argparse.RawDescriptionHelpFormatter):
    """Help text with argparse's own words ("usage:") in the parser's language."""

    lang = "it"

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],  # argparse's own annotation
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, render_message("cli_usage", self.lang, {}) if prefix is None else prefix
        )


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser whose headings, ``-h`` help and errors come from the catalogue."""

    def __init__(self, *args: Any, lang: str = "it", **kwargs: Any) -> None:
        formatter = type(f"Formatter_{lang}", (LocalizedFormatter,), {"lang": lang})
        kwargs.setdefault("formatter_class", formatter)
        kwargs["add_help"] = False  # our own -h, with its help in the parser's language
        super().__init__(*args, **kwargs)
        self.lang = lang
        # argparse names its two default groups in English; these titles are what --help shows.
        self._positionals.title = render_message("cli_positionals", lang, {})
        self._optionals.title = render_message("cli_options", lang, {})
        self.add_argument("-h", "--help", action="help", help=render_message("cli_help", lang, {}))

    def error(self, message: str) -> NoReturn:
        """Usage and the error in the messages' language, exit code 2 (as argparse does)."""
        self.print_usage(sys.stderr)
        detail = translate_error(message, self.lang)
        self.exit(2, render_message("cli_error", self.lang, {"prog": self.prog, "detail": detail}) + "\n")


def _typed(code: str, lang: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type=`` that raises the catalogue's ``code`` message for a bad value."""

    def parse(value: str) -> Any:
        try:
            return convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(render_message(code, lang, {"value": repr(value)})) from None

    parse.__name__ = code  # argparse names the type in its fallback message
    return parse


def _now(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no offset")
    return moment


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("not positive")
    return number


def _add_common(parser: argparse.ArgumentParser, lang: str) -> None:
    def text(code: str) -> str:
        return render_message(code, lang, {})

    parser.add_argument("--config", default="config.yaml", type=Path, metavar="FILE", help=text("cli_opt_config"))
    parser.add_argument("--base-url", metavar="URL", help=text("cli_opt_base_url"))
    parser.add_argument("--drafts", action="store_true", help=text("cli_opt_drafts"))
    parser.add_argument("--strict", action="store_true", help=text("cli_opt_strict"))
    parser.add_argument("--now", type=_typed("cli_bad_now", lang, _now), metavar="ISO-TIME", help=argparse.SUPPRESS)
    parser.add_argument(
        "--jobs", "-j", type=_typed("cli_bad_jobs", lang, _positive), default=0, metavar="N", help=text("cli_opt_jobs")
    )
    parser.add_argument("--no-cache", dest="cache", action="store_false", help=text("cli_opt_no_cache"))
    parser.add_argument("--stats", action="store_true", help=text("cli_opt_stats"))


def _add_format(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--format", choices=FORMATS, default=TEXT, help=render_message("cli_opt_format", lang, {}))


def make_parser(lang: str = "it", python: str = "python", only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line in ``lang``; ``python`` is how the description spells the interpreter.

    ``only``: the command the arguments name first, when it is one of :data:`COMMANDS`: then
    only its parser is made (a command's arguments, ``--help`` and errors are its parser's
    alone), and the other three, each a dozen argparse objects and help texts, are not
    (0.7 ms of every build, measured)."""

    def text(code: str) -> str:
        return render_message(code, lang, {})

    parser = LocalizedParser(
        prog="build.py", description=render_message("cli_description", lang, {"python": python}), lang=lang
    )
    sub = parser.add_subparsers(dest="command", metavar=text("cli_commands"), parser_class=LocalizedParser)
    for command, (help_code, description_code, add_arguments) in COMMANDS.items():
        if only in COMMANDS and command != only:
            continue
        made = sub.add_parser(command, help=text(help_code), description=text(description_code), lang=lang)
        add_arguments(made, lang)
    return parser


def _build_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    _add_common(parser, lang)
    _add_format(parser, lang)
    parser.add_argument("--output", type=Path, metavar="DIR", help=render_message("cli_opt_output", lang, {}))


def _check_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    _add_common(parser, lang)
    _add_format(parser, lang)


def _serve_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    def text(code: str) -> str:
        return render_message(code, lang, {})

    _add_common(parser, lang)
    parser.add_argument("--output", type=Path, metavar="DIR", help=text("cli_opt_output"))
    parser.add_argument("--host", default="127.0.0.1", help=text("cli_opt_host"))
    parser.add_argument("--port", type=port_type(lang), default=8000, help=text("cli_opt_port"))
    parser.add_argument("--no-drafts", dest="drafts", action="store_false", help=text("cli_opt_no_drafts"))
    parser.set_defaults(drafts=True)


def _new_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    def text(code: str) -> str:
        return render_message(code, lang, {})

    parser.add_argument("kind", choices=KINDS, help=text("cli_opt_kind"))
    parser.add_argument("title", help=text("cli_opt_title"))
    parser.add_argument("--lang", help=text("cli_opt_lang"))
    parser.add_argument(
        "--date", type=_typed("cli_bad_date", lang, date.fromisoformat), metavar="YYYY-MM-DD", help=text("cli_opt_date")
    )
    parser.add_argument("--translation-of", type=Path, metavar="PATH", help=text("cli_opt_translation_of"))
    parser.add_argument("--config", default="config.yaml", type=Path, metavar="FILE", help=text("cli_opt_config"))


# Each command: its help line, its description and its arguments, in the order --help lists them.
COMMANDS: dict[str, tuple[str, str, Callable[[argparse.ArgumentParser, str], None]]] = {
    "build": ("cli_build", "cli_build_description", _build_arguments),
    "check": ("cli_check", "cli_check_description", _check_arguments),
    "serve": ("cli_serve", "cli_serve_description", _serve_arguments),
    "new": ("cli_new", "cli_new_description", _new_arguments),
}
