"""The command line: exit codes, help, one line per problem, atomic output."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sitetest import NOW_ARG, REPO, tree

from sitegen.cli import main


def run(*args: str, cwd=REPO):
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_help_documents_every_command_and_option():
    result = run("--help")
    assert result.returncode == 0
    for word in ("build", "check", "serve"):
        assert word in result.stdout
    result = run("build", "--help")
    for option in ("--output", "--base-url", "--config", "--drafts", "--strict"):
        assert option in result.stdout


def test_bad_usage_exits_2():
    assert run("build", "--no-such-option").returncode == 2
    assert run("frobnicate").returncode == 2


def test_plain_invocation_builds_into_the_output(tmp_path):
    result = run("--output", str(tmp_path / "out"), "--base-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "index.html").is_file()


def test_content_errors_are_listed_one_per_line_and_exit_1(fixture_site, tmp_path, capsys, monkeypatch):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    (site / "content" / "it" / "notizie" / "rotta.md").write_text(
        "---\ntitle: Rotta: davvero\ndate: 2026-01-01\n---\nTesto\n", encoding="utf-8"
    )
    (site / "content" / "it" / "notizie" / "senza-data.md").write_text(
        "---\ntitle: Senza data\ndate: domani\ntagz: [x]\n---\nTesto [link](/non-esiste/)\n", encoding="utf-8"
    )
    monkeypatch.setenv("SITEGEN_LANG", "en")
    assert main(["build", "--output", str(tmp_path / "out"), "--now", NOW_ARG]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "content/it/notizie/rotta.md:2: the value of 'title' contains ':' and the front matter can no longer be read"
        ' — put it in quotes: title: "Rotta: davvero"',
        "content/it/notizie/senza-data.md:3: 'domani' in the field 'date' is not a valid date — write YYYY-MM-DD"
        " (2026-11-26) or YYYY-MM-DD HH:MM (2026-11-26 09:30)",
        "content/it/notizie/senza-data.md:4: unknown field 'tagz' (did you mean 'tags'?) — the allowed fields are:"
        " title, description, summary, date, updated, publish_at, expires_at, tags, slug, translation_key, draft,"
        " lang, menu, menu_title, layout, image, image_alt",
        "3 errors.",
    ]


def test_a_failed_build_leaves_the_previous_site_untouched(fixture_site, tmp_path, monkeypatch):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    before = tree(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    (site / "content" / "it" / "rete.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 1
    assert tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".out") and p.name != ".out.spare") == [
        ".out.lock"
    ]


def test_unchanged_files_keep_their_mtime_on_rebuild(fixture_site, tmp_path, monkeypatch):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    page = out / "chi-siamo" / "index.html"
    before = page.stat().st_mtime_ns
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    assert page.stat().st_mtime_ns == before


def test_strict_turns_warnings_into_errors(fixture_site, tmp_path, monkeypatch, capsys):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    (site / "content" / "it" / "notizie" / "sola.md").write_text(
        "---\ntitle: Sola\ndate: 2026-01-02\ntranslation_key: alone\n---\nTesto\n", encoding="utf-8"
    )
    assert main(["build", "--output", str(tmp_path / "a"), "--now", NOW_ARG]) == 0
    assert "warning: translation 'alone' has no page in en" in capsys.readouterr().err
    assert main(["build", "--strict", "--output", str(tmp_path / "b"), "--now", NOW_ARG]) == 1
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("drafts", [False, True])
def test_drafts_only_with_the_flag_and_with_a_banner(fixture_site, tmp_path, monkeypatch, drafts):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG, *(["--drafts"] if drafts else [])]) == 0
    everything = b"".join(tree(out).values()).decode("utf-8", "replace")
    assert ("Bozza segreta" in everything) is drafts
    page = out / "notizie" / "bozza" / "index.html"
    assert page.exists() is drafts
    if drafts:
        assert 'class="draft-banner"' in page.read_text()
    # --drafts is the preview (serve's default): scheduled items too, with their banner; expired ones never
    assert ("Notizia futura" in everything) is drafts
    if drafts:
        assert "Programmata per il 1 gennaio 2027 alle 00:00" in (out / "notizie/futura/index.html").read_text()
    for hidden in ("Notizia scaduta", "/notizie/scaduta/"):
        assert hidden not in everything
