"""``--help`` and usage errors speak the messages' language; usage errors still exit 2."""

from __future__ import annotations

import argparse

import pytest

from sitegen.cli import main
from sitegen.usage import make_parser, translate_error


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("it", ("uso: build.py build", "opzioni:", "mostra questo aiuto ed esci", "tratta gli avvisi come errori")),
        ("en", ("usage: build.py build", "options:", "show this help message and exit", "treat warnings as errors")),
    ],
)
def test_help_in_the_messages_language(
    lang: str, words: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, out, _err = _run(capsys, "build", "--help")
    assert code == 0
    for word in words:
        assert word in out, word
    assert "--format {text,github,json}" in out


@pytest.mark.parametrize(
    ("args", "it"),
    [
        (("build", "--nope"), "build.py: errore: argomenti sconosciuti: --nope — vedi build.py --help"),
        (("new",), "build.py new: errore: mancano gli argomenti: kind, title — vedi build.py new --help"),
        (
            ("check", "--format", "xml"),
            "build.py check: errore: argomento --format: scelta non valida: 'xml' (scegli tra 'text', 'github', "
            "'json') — vedi build.py check --help",
        ),
        (
            ("build", "-j", "0"),
            "build.py build: errore: argomento --jobs/-j: '0' non è un numero intero ≥ 1 — vedi build.py build --help",
        ),
        (("serve", "--port"), "build.py serve: errore: --port vuole un valore — vedi build.py serve --help"),
    ],
)
def test_usage_errors_in_italian_exit_2(
    args: tuple[str, ...], it: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, _out, err = _run(capsys, *args)
    assert code == 2
    assert err.splitlines()[-1] == it
    assert err.startswith("uso: build.py")


def test_an_unknown_argparse_text_passes_through() -> None:
    assert translate_error("something new in Python 3.14", "it") == "something new in Python 3.14"


ONE_COMMAND_CASES = [
    ("build",),
    ("build", "--config", "other.yaml", "--output", "out", "--no-cache", "--stats", "-j", "2", "--format", "json"),
    ("build", "--now", "2026-01-02T03:04:05+01:00", "--drafts", "--strict", "--base-url", "https://x.example/"),
    ("check", "--format", "github"),
    ("serve", "--port", "8100", "--no-drafts", "--host", "0.0.0.0"),
    ("new", "news", "Un titolo", "--lang", "en", "--date", "2026-01-02", "--translation-of", "a.md"),
    ("build", "--help"),
    ("new", "--help"),
    ("build", "--nope"),
    ("build", "-j", "0"),
    ("check", "--format", "xml"),
    ("serve", "--port"),
    ("new",),
    ("new", "poem", "x"),
]


def _parse(
    parser: argparse.ArgumentParser, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    """(the arguments read, or the exit code), what was printed on stdout and on stderr."""
    try:
        return (vars(parser.parse_args(list(args))), *capsys.readouterr())
    except SystemExit as stopped:
        return (stopped.code, *capsys.readouterr())


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("args", ONE_COMMAND_CASES)
def test_the_parser_of_one_command_reads_it_as_the_whole_command_line_does(
    lang: str, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _parse(make_parser(lang), args, capsys)
    one = _parse(make_parser(lang, only=args[0]), args, capsys)
    assert one == whole
    commands = next(a for a in make_parser(lang, only=args[0])._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {args[0]}  # the others were not made


def test_the_whole_command_line_is_made_when_no_command_comes_first(capsys: pytest.CaptureFixture[str]) -> None:
    for first in ("--help", "bulid"):
        assert _parse(make_parser("it", only=first), (first,), capsys) == _parse(make_parser("it"), (first,), capsys)
    _code, out, _err = _parse(make_parser("it", only="--help"), ("--help",), capsys)
    assert all(command in out for command in ("build", "check", "serve", "new"))
