"""Command line: ``build`` (default), ``check``, ``serve``, ``new``.

Exit codes: 0 success, 1 a content, config or template error, 2 bad usage.  The problems
themselves are printed by :mod:`sitegen.report` (the one place that prints them), in the
``--format`` asked for; every word, ``--help`` and usage errors included, comes from the
message catalogue in the messages' language.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .collector import collect_again
from .config import Config, load_config
from .errors import BuildError, Problem, display_path
from .messages import messages_language, render_message
from .options import BuildOptions, load
from .report import (
    FORMATS,
    TEXT,
    Tally,
    empty_fields_line,
    finish,
    next_go_live_text,
    report,
    say,
    skipped_lines,
    skipped_of,
    summary_text,
)
from .usage import make_parser

# The build modules (Jinja, Markdown, Babel) are imported only when there is work to do:
# a build with nothing to do answers from a few stats (sitegen.fastpath).

__all__ = ["FORMATS", "main", "make_parser", "python_command"]


def python_command() -> str:
    """How the editor runs this Python, as hints should print it.

    ``python`` inside an activated virtual environment; otherwise the interpreter's path,
    relative when it lies below the current folder (``.venv/bin/python``,
    ``.venv\\Scripts\\python.exe``), so that the hint works as written.
    """
    executable = Path(sys.executable)
    active = os.environ.get("VIRTUAL_ENV")
    if active and Path(sys.prefix).resolve() == Path(active).resolve():
        return "python"
    return display_path(executable, Path.cwd())


def _startup_config(argv: list[str]) -> Config | None:
    """The config as read before the arguments are (for the messages' language), if it is valid."""
    config = Path("config.yaml")
    if "--config" in argv[:-1]:
        config = Path(argv[argv.index("--config") + 1])
    try:
        return load_config(config)
    except (BuildError, OSError):
        return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    startup = _startup_config(argv)
    language = messages_language(startup.messages_language if startup is not None else None)
    args = make_parser(language, python_command(), only=argv[0]).parse_args(argv)
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
    fmt: str = getattr(args, "format", TEXT)
    if args.command != "build":
        collect_again()  # build.py turned the collector off for a build: a preview runs for hours
    try:
        if args.command == "serve":
            from .serve import serve

            return serve(options, host=args.host, port=args.port)
        if args.command == "check":
            return run_check(options, fmt)
        return run_build(options, fmt, startup)
    except BuildError as error:
        lang = _language(options)
        finish(report(error.problems, lang, fmt), lang, fmt, failed=True)
        return 1


def _language(options: BuildOptions) -> str:
    try:
        return messages_language(load(options).messages_language)
    except BuildError:
        return messages_language(None)


def run_new(args: argparse.Namespace) -> int:
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
        finish(report(error.problems, lang), lang, TEXT, failed=True)
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
    print(render_message("new_created_hint", lang, {"python": python_command()}))
    return 0


def run_build(options: BuildOptions, fmt: str = TEXT, startup: Config | None = None) -> int:
    """``build``.  ``startup``: the config :func:`main` read for the messages' language, used
    again (with the options' overrides) by the no-change check when it is the same file.
    Both were read before the check's fingerprint (which decides alone whether anything
    changed); the build reads the config again after it (see :func:`sitegen.build.build`)."""
    from .fastpath import check_fast

    if startup is not None and startup.source == Path(options.config_path).resolve():
        config = startup.with_overrides(base_url=options.base_url, output_dir=options.output)
    else:
        config = load(options)
    lang = messages_language(config.messages_language)
    fast, fingerprint = check_fast(options, config)
    if fast is not None:
        summary, warnings = fast
    else:
        from .build import build

        result = build(options, fingerprint=fingerprint)
        summary, warnings = result.summary, result.warnings
    tally = report(warnings, lang, fmt)
    text, details = summary_text(summary, lang)
    if options.stats or sys.stderr.isatty():
        print(details, file=sys.stderr)
    say(text, fmt)
    say(empty_fields_line(display_path(config.source, Path.cwd()), config.empty_fields, lang), fmt)
    finish(tally, lang, fmt, failed=False)
    return 0


def run_check(options: BuildOptions, fmt: str = TEXT) -> int:
    from .build import build_in_memory
    from .config import config_notices
    from .tags_site import one_language_tags
    from .translations import translation_rows, translations_table

    config = load(options)
    lang = messages_language(config.messages_language)
    built = build_in_memory(config, options)
    problems: list[Problem] = [*built.warnings, *one_language_tags(config, built.site.tags, built.site.tag_keys)]
    problems += config_notices(config)
    tally: Tally = report(problems, lang, fmt)
    say(translations_table(translation_rows(built.site), lang), fmt)
    say(skipped_lines(skipped_of(built.site), next_go_live_text(built.site), lang), fmt)
    finish(tally, lang, fmt, failed=False)
    return 0
