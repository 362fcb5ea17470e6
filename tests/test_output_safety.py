"""A build never destroys anything it did not make (issue 15 §1).

The output must be a folder that does not exist, is empty, or holds the generator's marker;
the folders next to it whose names the build uses (``.public.new``, ``.public.old``, the
spare, the trash) are removed only when they hold the marker; the cache folder is checked
the same way and may not lie among the sources or in the output.  Each case asserts the
exact message, the exit code, and that the user's file or folder survived untouched.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pytest
from sitetest import NOW_ARG

from sitegen.cli import main
from sitegen.output_guard import CACHE_TAG, MARKER


def snapshot(path: Path) -> dict[str, bytes | str]:
    """Every entry at and below ``path``: file bytes, or "dir", or the link target."""
    if path.is_symlink():
        return {".": "link:" + os.readlink(path)}
    if path.is_file():
        return {".": path.read_bytes()}
    return {p.relative_to(path).as_posix(): ("dir" if p.is_dir() else p.read_bytes()) for p in sorted(path.rglob("*"))}


def run(site: Path, monkeypatch, capsys, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    capsys.readouterr()
    code = main(["build", "--now", NOW_ARG, *args])
    return code, capsys.readouterr().err.splitlines()


def set_config(site: Path, line: str) -> int:
    """Append ``line`` to the config; returns its line number."""
    config = site / "config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_an_existing_file_given_as_output_is_refused_and_kept(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    notes = site / "some-file.txt"
    notes.write_text("appunti importanti\n", encoding="utf-8")
    code, err = run(site, monkeypatch, capsys, "--output", "some-file.txt")
    assert err == [
        f"{notes}: {notes} exists and is not a folder — the build would replace it: name a folder that is new,"
        " empty or made by this generator (with --output or output_dir)",
        "1 error.",
    ]
    assert code == 1
    assert notes.read_text(encoding="utf-8") == "appunti importanti\n"
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".some-file")) == []  # no .trash-*, no lock


def test_the_config_file_as_output_dir_is_refused_and_kept(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    set_config(site, "output_dir: config.yaml")
    before = (site / "config.yaml").read_bytes()
    code, err = run(site, monkeypatch, capsys)
    config = site / "config.yaml"
    assert err == [
        f"{config}: {config} exists and is not a folder — the build would replace it: name a folder that is new,"
        " empty or made by this generator (with --output or output_dir)",
        "1 error.",
    ]
    assert code == 1
    assert (site / "config.yaml").read_bytes() == before
    assert [p.name for p in site.iterdir() if "trash" in p.name] == []


def test_a_symlink_given_as_output_is_refused_and_its_target_kept(fixture_site, monkeypatch, capsys, tmp_path):
    site = fixture_site("basic")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("x", encoding="utf-8")
    (site / "link").symlink_to(elsewhere)
    code, err = run(site, monkeypatch, capsys, "--output", "link")
    # --output is resolved: the folder it names is the one the link leads to, and it is not ours
    assert code == 1 and err[0].startswith(f"{elsewhere}: the output folder {elsewhere} already exists, is not empty")
    assert (site / "link").is_symlink() and snapshot(elsewhere) == {"keep.txt": b"x"}


def test_a_full_folder_of_the_user_is_refused_and_kept(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    documents = site / "documenti"
    (documents / "lettere").mkdir(parents=True)
    (documents / "lettere" / "a.txt").write_text("cara Anna\n", encoding="utf-8")
    before = snapshot(documents)
    code, err = run(site, monkeypatch, capsys, "--output", "documenti")
    assert err == [
        f"{documents}: the output folder {documents} already exists, is not empty and was not made by this"
        " generator — the build would replace it: choose a new or empty folder",
        "1 error.",
    ]
    assert code == 1 and snapshot(documents) == before


def _edit(path):
    path.write_text(path.read_text(encoding="utf-8") + "\nUna riga in più.\n", encoding="utf-8")


@pytest.mark.parametrize(
    "name", [".public.old", ".public.new", ".public.spare", ".public.search-new", ".public.trash-1-2"]
)
def test_a_folder_of_the_user_with_a_staging_name_is_never_deleted(name, fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    assert run(site, monkeypatch, capsys)[0] == 0
    public = snapshot(site / "public")
    if name == ".public.spare":  # the build keeps a spare of its own: the user's folder replaces it
        os.rename(site / name, site / "spare-made-by-the-build")
    folder = site / name
    folder.mkdir()
    (folder / "mio.txt").write_text("mio\n", encoding="utf-8")
    _edit(site / "content/it/chi-siamo.md")  # a build that runs (not the no-change fast path)
    code, err = run(site, monkeypatch, capsys)
    assert err == [
        f"{folder}: {folder} exists but was not made by this generator, which uses that name for its work next to"
        f" {site / 'public'} — move or rename it, or choose another output folder",
        "1 error.",
    ]
    assert code == 1
    assert snapshot(folder) == {"mio.txt": b"mio\n"}
    assert snapshot(site / "public") == public


def test_an_empty_folder_with_a_staging_name_is_simply_used(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    (site / ".public.new").mkdir()
    assert run(site, monkeypatch, capsys)[0] == 0
    assert (site / "public" / MARKER).is_file()
    assert not (site / ".public.new").exists()


def test_a_trash_folder_whose_removal_is_under_way_is_left_to_it(fixture_site, monkeypatch, capsys):
    """A build leaves alone a trash folder whose background removal holds its lock
    (sitegen.output_trash), even one whose marker that removal has deleted already: it used to
    be deleted a second time in the foreground, or refused as a user's folder (exit 1)."""
    site = fixture_site("basic")
    assert run(site, monkeypatch, capsys)[0] == 0
    trash = site / ".public.trash-1-2"
    trash.mkdir()
    (trash / "pagina.html").write_text("x", encoding="utf-8")  # no marker: the removal is past it
    fd = os.open(trash, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as remove_in_background's grandchild holds it
    try:
        _edit(site / "content/it/chi-siamo.md")  # a build that runs (not the no-change fast path)
        assert run(site, monkeypatch, capsys) == (0, [])
        assert (trash / "pagina.html").read_text(encoding="utf-8") == "x"
    finally:
        os.close(fd)


def test_the_background_removal_never_holds_the_build_lock(fixture_site, monkeypatch, capsys):
    """The process that deletes a replaced site must not inherit the build lock: a build started
    right after would be refused as locked for as long as that process kept it open (a slow
    start of the process is simulated here; it used to make builds under load fail with exit 1)."""
    from sitegen import output

    real = output.close_inherited_locks

    def slowly() -> None:
        time.sleep(1)  # a child that is slow to get going
        real()

    monkeypatch.setattr(output, "close_inherited_locks", slowly)
    site = fixture_site("basic")
    for _ in range(3):  # from the second on, the site replaced goes to the trash, removed in the background
        assert run(site, monkeypatch, capsys, "--no-cache", "--jobs", "1") == (0, [])


def test_every_output_and_spare_carries_the_marker_and_no_trash_stays(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    for _ in range(2):
        assert run(site, monkeypatch, capsys, "--no-cache")[0] == 0  # the old site goes to the trash each time
    assert (site / "public" / MARKER).is_file()
    deadline = time.monotonic() + 30
    while [p for p in site.iterdir() if ".trash-" in p.name] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.name for p in site.iterdir() if ".trash-" in p.name] == []
    assert run(site, monkeypatch, capsys)[0] == 0
    assert run(site, monkeypatch, capsys)[0] == 0
    assert (site / ".public.spare" / MARKER).is_file()


def test_a_file_as_cache_dir_is_refused_and_kept(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    set_config(site, "cache_dir: config.yaml")
    before = (site / "config.yaml").read_bytes()
    code, err = run(site, monkeypatch, capsys)
    config = site / "config.yaml"
    assert err == [
        f"{config}: the cache folder {config} exists and is not a folder — set cache_dir to a folder that is new,"
        " empty or made by this generator",
        "1 error.",
    ]
    assert code == 1 and (site / "config.yaml").read_bytes() == before


def test_a_full_folder_of_the_user_as_cache_dir_is_refused_and_kept(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    set_config(site, "cache_dir: archivio")
    (site / "archivio").mkdir()
    (site / "archivio" / "foto.jpg").write_bytes(b"\xff\xd8")
    code, err = run(site, monkeypatch, capsys)
    assert err == [
        f"{site / 'archivio'}: the cache folder {site / 'archivio'} is not empty and was not made by this generator"
        " — set cache_dir to a new or empty folder",
        "1 error.",
    ]
    assert code == 1 and snapshot(site / "archivio") == {"foto.jpg": b"\xff\xd8"}
    assert not (site / "public").exists()


def test_the_cache_folder_is_tagged(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    assert run(site, monkeypatch, capsys)[0] == 0
    assert (site / ".cache" / CACHE_TAG).read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize(
    "value, other", [("content/cache", "content"), ("public/cache", "public"), ("templates", "templates")]
)
def test_a_cache_dir_among_the_sources_or_in_the_output_is_refused(value, other, fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    if other == "templates":
        (site / "templates").mkdir()
        set_config(site, "templates_dir: templates")
    line = set_config(site, f"cache_dir: {value}")
    code, err = run(site, monkeypatch, capsys)
    assert err == [
        f"config.yaml:{line}: the cache folder {site / value} is, contains or lies inside {site / other} — choose a"
        " separate folder (e.g. .cache/): the cache must not end up in the site or among the sources",
        "1 error.",
    ]
    assert code == 1
    assert snapshot(site / value) == {} if other == "templates" else not (site / value).exists()


def test_an_output_inside_the_cache_is_refused(fixture_site, monkeypatch, capsys):
    site = fixture_site("basic")
    code, err = run(site, monkeypatch, capsys, "--output", ".cache/sito")
    assert err == [
        f"--output: the output folder {site / '.cache' / 'sito'} lies inside the cache folder {site / '.cache'}"
        " — choose a folder outside the cache (e.g. public/)",
        "1 error.",
    ]
    assert code == 1 and not (site / ".cache").exists()
