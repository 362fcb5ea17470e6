"""``--help`` and usage errors speak the messages' language; usage errors still exit 2."""

from __future__ import annotations

import pytest

from sitegen.cli import main
from sitegen.usage import translate_error


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
