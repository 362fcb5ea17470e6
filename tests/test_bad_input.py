"""Bad input never breaks the published site: one fixture folder per case, exact messages.

``tests/fixtures/invalid/<case>/`` holds:

* ``site/``: files laid over a copy of the ``basic`` fixture site (a broken Markdown file,
  a broken template, a whole ``config.yaml``...); symlinks and non-UTF-8 bytes are data too;
* ``expected.txt``: the exact standard error, line by line (``{site}`` is the site's
  folder, ``{parent}`` the folder holding it, ``{repo}`` this repository);
* optional ``args.txt`` (extra command-line arguments, one per line), ``lang.txt`` (the
  messages' language, English when absent), ``remove.txt`` (files to delete from the
  site), ``make.txt`` (``path size``: a generated file too big to keep in git).

Before the broken input is laid over, the good site is built into ``public/``; after the
failed build, ``public/`` must be byte-for-byte and mtime-for-mtime what it was, with no
staging folder left next to it.

``tests/fixtures/valid/<case>/`` are inputs that look odd but must simply build; their
``expected.txt`` lists ``output file<TAB>text it must contain``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitetest import FIXTURES, NOW_ARG, REPO, copy_site

from sitegen.cli import main

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
FILLER = "Testo di riempimento della fixture, ripetuto per fare volume. " * 15 + "\n\n"


@pytest.fixture(scope="session")
def built_basic(tmp_path_factory) -> Path:
    """The basic fixture site with its good build in public/ (built once, copied per case)."""
    site = copy_site("basic", tmp_path_factory.mktemp("good") / "site")
    previous = Path.cwd()
    os.chdir(site)
    try:
        assert main(["build", "--now", NOW_ARG]) == 0
    finally:
        os.chdir(previous)
    return site


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry below ``folder``: (kind, bytes or link target, mtime in ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = ("link", os.readlink(path), st.st_mtime_ns)
        elif path.is_dir():
            found[path.relative_to(folder).as_posix()] = ("dir", None, st.st_mtime_ns)
        else:
            found[path.relative_to(folder).as_posix()] = ("file", path.read_bytes(), st.st_mtime_ns)
    return found


def lay_over(case: Path, site: Path) -> None:
    """Apply a case's files, removals and generated files to the site copy."""
    overlay = case / "site"
    if (overlay / "templates").is_dir():  # a template case: the site gets its own templates
        shutil.copytree(REPO / "templates", site / "templates")
        config = site / "config.yaml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(f'"{REPO / "templates"}"', '"templates"'), encoding="utf-8"
        )
    if overlay.is_dir():  # git keeps no empty folder: a case made only by make.txt has none
        shutil.copytree(overlay, site, symlinks=True, dirs_exist_ok=True)
    config = site / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("@TEMPLATES@", str(REPO / "templates"))
        .replace("@STATIC@", str(REPO / "static")),
        encoding="utf-8",
    )
    for line in _lines(case / "remove.txt"):
        (site / line).unlink()
    for line in _lines(case / "make.txt"):
        rel, size = line.rsplit(" ", 1)
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = '---\ntitle: "Enorme"\ndate: 2026-11-20\n---\n\n' + FILLER * (int(size) // len(FILLER) + 1)
        target.write_text(text[: int(size)], encoding="utf-8")


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line] if path.exists() else []


def _fill(text: str, site: Path) -> str:
    return text.replace("{site}", str(site)).replace("{parent}", str(site.parent)).replace("{repo}", str(REPO))


def run_case(case: Path, site: Path, monkeypatch, capsys) -> tuple[int, list[str], str]:
    lay_over(case, site)
    monkeypatch.chdir(site)
    lang = (_lines(case / "lang.txt") or ["en"])[0]
    monkeypatch.setenv("SITEGEN_LANG", lang)
    args = [_fill(a, site) for a in _lines(case / "args.txt")]
    code = main(["build", "--now", NOW_ARG, *args])
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out


INVALID_CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", INVALID_CASES)
def test_bad_input_gives_the_exact_error_and_leaves_public_untouched(name, built_basic, tmp_path, monkeypatch, capsys):
    case = INVALID / name
    site = tmp_path / "site"
    shutil.copytree(built_basic, site, symlinks=True)
    before = snapshot(site / "public")
    assert before, "the good build must have produced a site to protect"
    code, err, out = run_case(case, site, monkeypatch, capsys)
    expected = [_fill(line, site) for line in _lines(case / "expected.txt")]
    assert err == expected
    assert code == 1
    assert "Traceback" not in out
    assert snapshot(site / "public") == before
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public") and p.name != ".public.spare") == [
        ".public.lock"
    ]


def test_every_invalid_case_states_what_it_expects():
    """A case without an expected message would pass vacuously: none may be empty."""
    empty = [name for name in INVALID_CASES if not _lines(INVALID / name / "expected.txt")]
    assert empty == []
    languages = {(_lines(INVALID / name / "lang.txt") or ["en"])[0] for name in INVALID_CASES}
    assert languages == {"it", "en"}


VALID_CASES = sorted(p.name for p in VALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", VALID_CASES)
def test_odd_but_valid_input_simply_builds(name, fixture_site, monkeypatch, capsys):
    case = VALID / name
    site = fixture_site("basic")
    code, err, out = run_case(case, site, monkeypatch, capsys)
    assert err == []
    assert code == 0
    expectations = [line.split("\t") for line in _lines(case / "expected.txt")]
    assert expectations, "a valid case must say what the build produces"
    for rel, needle in expectations:
        page = site / "public" / rel
        assert page.is_file(), rel
        assert needle in page.read_text(encoding="utf-8"), (rel, needle)
    everything = b"".join(
        p.read_bytes()
        for p in (site / "public").rglob("*")
        if p.is_file()
        and "pagefind" not in p.relative_to(site / "public").parts  # binary index
        and p.suffix not in (".png", ".jpg", ".ico", ".woff2")  # social cards, icons, fonts
    )
    assert b"\xef\xbb\xbf" not in everything and b"\r" not in everything
