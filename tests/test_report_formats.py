"""``--format text|github|json``: one line per problem, paths relative to the repository, the
right line, the same exit codes; and the one count line that ends every ``build`` and ``check``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from editor_site import build_args, make_site, run

from sitegen.errors import ERROR, NOTICE, WARNING, Problem
from sitegen.report import (
    Tally,
    count_line,
    escape_data,
    escape_property,
    github_command,
    json_record,
    repository_path,
)

BROKEN: dict[str, str | bytes] = {
    # Fixture data: a broken link on line 8 and an image without alt text on line 10.
    "content/it/notizie/rotta.md": (
        '---\ntitle: "Notizia rotta"\ndate: 2026-11-22\n---\n\nTesto.\n\n'
        "Vedi [i partner](/partner/).\n\n![](foto.jpg)\n"
    ),
}
LONE: dict[str, str | bytes] = {
    # Fixture data: a translation_key with no English page (a warning on line 4).
    "content/it/notizie/sola.md": '---\ntitle: "Sola"\ndate: 2026-11-22\ntranslation_key: sola\n---\n\nTesto.\n',
}


def _repo(tmp_path: Path) -> Path:
    """A git work tree whose site lives in ``sito/``: paths must be given from the repository's root."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "sito").mkdir()
    return tmp_path / "sito"


def test_github_format_annotates_each_problem_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(_repo(tmp_path), BROKEN)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = run(capsys, *build_args("--format", "github"))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("::error file=sito/content/it/notizie/rotta.md,line=8,title=il collegamento '/partner/'")
    assert lines[0].endswith("correggi l'indirizzo (es. /rete/) o il nome del file .md")
    assert all(line.startswith("::error ") for line in lines[:-1]), lines
    assert any(",line=10," in line and "testo alternativo" in line for line in lines), lines
    assert lines[-1] == f"{len(lines) - 1} errori."
    assert err == ""


def test_json_format_is_one_object_per_problem_and_nothing_else_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(_repo(tmp_path), LONE)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, err = run(capsys, *build_args("--format", "json"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records == [
        {
            "file": "sito/content/it/notizie/sola.md",
            "line": 4,
            "severity": "warning",
            "code": "translation_missing",
            "message": "translation 'sola' has no page in en",
            "hint": "create the translation or remove translation_key",
        }
    ]
    assert err.splitlines()[0].startswith("Site built in ")
    assert err.splitlines()[-1] == "No errors, 1 warning."


def test_check_lists_every_empty_config_field_and_build_summarises_them_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, err = run(capsys, "check", "--config", "config.yaml", "--now", "2026-12-01T12:00:00+01:00")
    assert code == 0
    notices = [line for line in err.splitlines() if line.startswith("config.yaml: note: the field '")]
    assert len(notices) > 1
    assert out.splitlines()[-1] == "No errors."
    code, out, err = run(capsys, *build_args())
    summary = [line for line in out.splitlines() if line.startswith("config.yaml: note: ")]
    assert summary == [
        f"config.yaml: note: {len(notices)} fields are empty and left out of the site ("
        + ", ".join(line.split("'")[1] for line in notices)
        + ") — fill them in, or run check for the details"
    ]
    assert out.splitlines()[-1] == "No errors."


def test_check_in_github_format_marks_the_config_fields_as_notices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    monkeypatch.chdir(site)
    code, out, _err = run(capsys, "check", "--format", "github", "--now", "2026-12-01T12:00:00+01:00")
    assert code == 0
    assert out.splitlines()[0].startswith("::notice file=config.yaml,title=il campo 'organization.")
    assert out.splitlines()[-1] == "Nessun errore."


@pytest.mark.parametrize(
    ("tally", "failed", "it", "en"),
    [
        (Tally(), False, "Nessun errore.", "No errors."),
        (Tally(1, 0), True, "1 errore.", "1 error."),
        (Tally(2, 1), True, "2 errori, 1 avviso.", "2 errors, 1 warning."),
        (Tally(0, 3), False, "Nessun errore, 3 avvisi.", "No errors, 3 warnings."),
        (Tally(0, 2), True, "2 avvisi, trattati come errori (--strict).", "2 warnings, treated as errors (--strict)."),
    ],
)
def test_count_line(tally: Tally, failed: bool, it: str, en: str) -> None:
    assert (count_line(tally, "it", failed), count_line(tally, "en", failed)) == (it, en)


def test_workflow_command_escaping_follows_githubs_toolkit() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"


def test_a_problem_without_line_and_with_commas_in_its_path(tmp_path: Path) -> None:
    problem = Problem("file_binary", "content/it/a, b: c.md", None, {}, ERROR)
    line = github_command(problem, "en", Path.cwd())
    assert line == (
        "::error file=content/it/a%2C b%3A c.md,title=the file holds binary data%2C not text::"
        "the file holds binary data, not text — a .md file must be Markdown text"
    )
    warning = Problem("translation_missing", "x.md", 2, {"key": "k", "missing": "en"}, WARNING)
    assert github_command(warning, "en", Path.cwd()).startswith("::warning file=x.md,line=2,title=")
    notice = Problem("config_empty_field", "config.yaml", None, {"key": "a", "what": "a"}, NOTICE)
    assert json.loads(json_record(notice, "it", Path.cwd()))["severity"] == "notice"


def test_paths_outside_the_repository_stay_as_they_are(tmp_path: Path) -> None:
    assert repository_path(str(tmp_path / "x.md"), tmp_path / "repo") == str(tmp_path / "x.md")
    assert repository_path(str(tmp_path / "repo" / "x.md"), tmp_path / "repo") == "x.md"


def test_a_failed_json_run_keeps_stdout_pure_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, BROKEN)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = run(capsys, *build_args("--format", "json"))
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert {(r["line"], r["code"]) for r in records} >= {(8, "link_missing"), (10, "image_no_alt")}
    assert err.splitlines() == [f"{len(records)} errori."]
