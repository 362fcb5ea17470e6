"""Command line: ``build`` (default), ``check``, ``serve``.

This is the one place where problems become text and exit codes: 0 success, 1 a content,
config or template error (each printed as ``path:line: message``), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from .errors import BuildError, display_path
from .messages import messages_language, render_message
from .options import BuildOptions, load
from .report import next_go_live_text, report, skipped_lines, skipped_of, summary_text

# The build modules (Jinja, Markdown, Babel) are imported only when there is work to do:
# a build with nothing to do answers from a few stats (sitegen.fastpath).

DESCRIPTION = """Build the IOM × Innovation Life Sciences Hubs site from Markdown.

commands:
  build   build the site into public/ (the default when no command is given)
  check   validate content, config and templates without writing anything
  serve   build, serve on http://127.0.0.1:8000/ and rebuild + reload on every change
  new     create a news item: build.py new news "Titolo della notizia" [--lang en] [--date 2026-12-01]
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", default="config.yaml", type=Path, metavar="FILE", help="configuration file (default: config.yaml)"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="public address of the site, e.g. https://example.org/ilsh/ (overrides base_url)",
    )
    parser.add_argument("--drafts", action="store_true", help="include items marked draft: true (with a banner)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--now", type=_parse_now, metavar="ISO-TIME", help=argparse.SUPPRESS)
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=0,
        metavar="N",
        help="processes for parsing and rendering (default: one per core)",
    )
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="ignore and do not update the build cache (.cache/): a clean build",
    )
    parser.add_argument(
        "--stats", action="store_true", help="print pages by kind and time per stage (always on a terminal)"
    )


def _parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("--now needs an offset, e.g. 2026-11-26T09:00:00+01:00")
    return moment


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number ≥ 1: {value!r}")
    return number


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_build = sub.add_parser("build", help="build the site (default)", description="Build the site.")
    _add_common(p_build)
    p_build.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: public/)")
    p_check = sub.add_parser(
        "check",
        help="validate everything without publishing",
        description="Validate content, config and templates; write nothing.",
    )
    _add_common(p_check)
    p_serve = sub.add_parser(
        "serve",
        help="preview with live reload",
        description="Build with drafts, serve on 127.0.0.1 and rebuild on every change.",
    )
    _add_common(p_serve)
    p_serve.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: public/)")
    p_serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p_serve.add_argument(
        "--no-drafts", dest="drafts", action="store_false", help="hide drafts in the preview, as in the published site"
    )
    p_serve.set_defaults(drafts=True)
    from .scaffold import KINDS

    p_new = sub.add_parser(
        "new",
        help="create a news item or page (as a draft)",
        description="Create a news item or page with a complete, commented front matter.",
    )
    p_new.add_argument("kind", choices=KINDS, help="news (a news item) or page")
    p_new.add_argument("title", help='the title, in quotes: "Titolo della notizia"')
    p_new.add_argument(
        "--lang", help="language (default: the site's first language, or the other one with --translation-of)"
    )
    p_new.add_argument("--date", type=_parse_date, metavar="YYYY-MM-DD", help="publication date (default: today)")
    p_new.add_argument(
        "--translation-of",
        type=Path,
        metavar="PATH",
        help="the .md file this is a translation of (same translation_key)",
    )
    p_new.add_argument(
        "--config", default="config.yaml", type=Path, metavar="FILE", help="configuration file (default: config.yaml)"
    )
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
    options = BuildOptions(
        config_path=args.config,
        output=getattr(args, "output", None),
        base_url=args.base_url,
        drafts=args.drafts,
        strict=args.strict,
        now=args.now,
        jobs=args.jobs,
        cache=args.cache,
        stats=getattr(args, "stats", False),
    )
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


def run_new(args) -> int:
    """``new``: create the file, print its path (and what else was touched)."""
    from .config import load_config
    from .scaffold import new_item

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
        print(
            render_message(
                "new_key_added",
                lang,
                {"key": created.key, "path": display_path(created.original_updated, Path.cwd())},
            )
        )
    print(render_message("new_created_hint", lang, {}))
    return 0


def run_build(options: BuildOptions) -> int:
    from .fastpath import try_fast

    fast = try_fast(options)
    if fast is not None:
        summary, warnings = fast
    else:
        from .build import build

        result = build(options)
        summary, warnings = result.summary, result.warnings
    lang = (
        messages_language(load(options).messages_language)
        if fast
        else messages_language(result.built.config.messages_language)
    )
    report(warnings, lang)
    text, details = summary_text(summary, lang)
    if options.stats or sys.stderr.isatty():
        print(details, file=sys.stderr)
    print(text)
    return 0


def run_check(options: BuildOptions) -> int:
    from .build import build_in_memory
    from .config import config_notices

    config = load(options)
    lang = messages_language(config.messages_language)
    built = build_in_memory(config, options)
    report([*built.warnings, *config_notices(config)], lang)
    from .translations import translation_rows, translations_table

    print(translations_table(translation_rows(built.site), lang))
    print(
        skipped_lines(skipped_of(built.site), next_go_live_text(built.site), lang)
        or ("Nessun errore." if lang == "it" else "No errors.")
    )
    return 0
