"""Command line: ``build`` (default), ``check``, ``serve``.

This is the one place where problems become text and exit codes: 0 success, 1 a content,
config or template error (each printed as ``path:line: message``), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

from .build import BuildOptions, build, build_in_memory, load
from .config import config_notices, load_config
from .errors import BuildError, Problem, display_path
from .messages import messages_language, render_message
from .scaffold import KINDS, new_item
from .site import next_go_live
from .translations import translation_rows, translations_table

DESCRIPTION = """Build the IOM × Innovation Life Sciences Hubs site from Markdown.

commands:
  build   build the site into public/ (the default when no command is given)
  check   validate content, config and templates without writing anything
  serve   build, serve on http://127.0.0.1:8000/ and rebuild + reload on every change
  new     create a news item: build.py new news "Titolo della notizia" [--lang en] [--date 2026-12-01]
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="config.yaml", type=Path, metavar="FILE",
                        help="configuration file (default: config.yaml)")
    parser.add_argument("--base-url", metavar="URL",
                        help="public address of the site, e.g. https://example.org/ilsh/ (overrides base_url)")
    parser.add_argument("--drafts", action="store_true", help="include items marked draft: true (with a banner)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--now", type=_parse_now, metavar="ISO-TIME", help=argparse.SUPPRESS)


def _parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("--now needs an offset, e.g. 2026-11-26T09:00:00+01:00")
    return moment


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_build = sub.add_parser("build", help="build the site (default)", description="Build the site.")
    _add_common(p_build)
    p_build.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: public/)")
    p_check = sub.add_parser("check", help="validate everything without publishing",
                             description="Validate content, config and templates; write nothing.")
    _add_common(p_check)
    p_serve = sub.add_parser("serve", help="preview with live reload",
                             description="Build with drafts, serve on 127.0.0.1 and rebuild on every change.")
    _add_common(p_serve)
    p_serve.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: public/)")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p_serve.add_argument("--no-drafts", dest="drafts", action="store_false",
                         help="hide drafts in the preview, as in the published site")
    p_serve.set_defaults(drafts=True)
    p_new = sub.add_parser("new", help="create a news item or page (as a draft)",
                           description="Create a news item or page with a complete, commented front matter.")
    p_new.add_argument("kind", choices=KINDS, help="news (a news item) or page")
    p_new.add_argument("title", help='the title, in quotes: "Titolo della notizia"')
    p_new.add_argument("--lang", help="language (default: the site's first language, or the other one with --translation-of)")
    p_new.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="publication date (default: today)")
    p_new.add_argument("--translation-of", type=Path, metavar="PATH",
                       help="the .md file this is a translation of (same translation_key)")
    p_new.add_argument("--config", default="config.yaml", type=Path, metavar="FILE",
                       help="configuration file (default: config.yaml)")
    return parser


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    if args.command == "new":
        return run_new(args)
    options = BuildOptions(config_path=args.config, output=getattr(args, "output", None), base_url=args.base_url,
                           drafts=args.drafts, strict=args.strict, now=args.now)
    try:
        if args.command == "serve":
            from .serve import serve

            return serve(options, host=args.host, port=args.port)
        if args.command == "check":
            return run_check(options)
        return run_build(options)
    except BuildError as error:
        report(error.problems, _language(options))
        return 1


def _language(options: BuildOptions) -> str:
    try:
        return messages_language(load(options).messages_language)
    except BuildError:
        return messages_language(None)


def report(problems, lang: str, stream=None) -> None:
    """Print problems, one ``path:line: message`` line each, errors first."""
    stream = stream or sys.stderr
    ordered = sorted(problems, key=lambda p: (not p.is_error, p.path, p.line or 0))
    for problem in ordered:
        print(problem.format(lang), file=stream)
    errors = sum(p.is_error for p in problems)
    if errors:
        word = ("errore" if errors == 1 else "errori") if lang == "it" else ("error" if errors == 1 else "errors")
        print(f"{errors} {word}.", file=stream)


def run_new(args) -> int:
    """``new``: create the file, print its path (and what else was touched)."""
    try:
        config = load_config(args.config)
        created = new_item(config, args.kind, args.title, args.lang, args.date, args.translation_of)
    except BuildError as error:
        lang = messages_language(None)
        try:
            lang = messages_language(load_config(args.config).messages_language)
        except BuildError:
            pass
        report(error.problems, lang)
        return 1
    lang = messages_language(config.messages_language)
    print(display_path(created.path, Path.cwd()))
    if created.original_updated is not None:
        print(render_message("new_key_added", lang, {"key": _key_of(created.path),
                                                     "path": display_path(created.original_updated, Path.cwd())}))
    print(render_message("new_created_hint", lang, {}))
    return 0


def _key_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("translation_key:"):
            return line.split(":", 1)[1].strip()
    return ""


def run_build(options: BuildOptions) -> int:
    started = time.perf_counter()
    result = build(options)
    built = result.built
    lang = messages_language(built.config.messages_language)
    report(built.warnings, lang)
    print(summary(built, result.written, result.unchanged, time.perf_counter() - started, lang))
    return 0


def run_check(options: BuildOptions) -> int:
    config = load(options)
    lang = messages_language(config.messages_language)
    built = build_in_memory(config, options)
    report([*built.warnings, *config_notices(config)], lang)
    print(translations_table(translation_rows(built.site), lang))
    print(skipped_lines(built, lang) or ("Nessun errore." if lang == "it" else "No errors."))
    return 0


def skipped_lines(built, lang: str) -> str:
    """What the build left out and why, and when the next scheduled item goes live."""
    reasons = {"it": {"draft": "bozza", "scheduled": "programmata per", "expired": "scaduta"},
               "en": {"draft": "draft", "scheduled": "scheduled for", "expired": "expired"}}[lang]
    lines = []
    for skipped in built.site.skipped:
        when = f" {skipped.goes_live.isoformat()}" if skipped.goes_live else ""
        lines.append(f"  {skipped.document.source.shown}: {reasons[skipped.reason]}{when}")
    upcoming = next_go_live(built.site)
    if lines:
        head = "Esclusi dalla build:" if lang == "it" else "Left out of the build:"
        lines.insert(0, head)
    if upcoming:
        lines.append(("Prossima pubblicazione programmata: " if lang == "it" else "Next scheduled go-live: ")
                     + upcoming.isoformat())
    return "\n".join(lines)


def summary(built, written: int, unchanged: int, seconds: float, lang: str) -> str:
    pages = len(built.pages)
    out = built.config.output_dir
    if lang == "it":
        text = f"Sito generato in {out}: {pages} pagine, {written} file scritti, {unchanged} invariati, in {seconds:.2f} s."
    else:
        text = f"Site built in {out}: {pages} pages, {written} files written, {unchanged} unchanged, in {seconds:.2f} s."
    extra = skipped_lines(built, lang)
    return text + ("\n" + extra if extra else "")


def problems_text(problems: list[Problem], lang: str) -> list[str]:
    return [p.format(lang) for p in problems]
