"""Faults: a build killed at any moment, two builds at once, a full disk, an unwritable output.

The promise: ``public/`` is always either entirely the previous site or entirely the new
one, and the next build puts things right by itself.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitetest import NOW_ARG, REPO, copy_site

from sitegen import output as output_module
from sitegen.cli import main
from sitegen.output_guard import MARKER, MARKER_TEXT

ITEMS = 40  # per language: enough for a build to take a noticeable time, small enough to stay quick
KILLS_ANYWHERE = 8
KILLS_WHILE_WRITING = 8


def add_items(site: Path, version: str) -> None:
    """Many news items in both languages (fixture filler text); ``version`` changes every one."""
    for number in range(ITEMS):
        for lang, folder in (("it", "notizie"), ("en", "news")):
            text = (
                f'---\ntitle: "Item {number} {version}"\ndate: 2026-{1 + number % 9:02d}-{1 + number % 28:02d}\n'
                f"tags: [tema-{number % 5}]\n---\n\n## Sezione\n\n"
                + (f"Testo di riempimento {version} della fixture. " * 30 + "\n\n")
                * 4
            )
            (site / "content" / lang / folder / f"item-{number:03d}.md").write_text(text, encoding="utf-8")


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_in_process(site: Path, out: Path) -> float:
    previous = Path.cwd()
    os.chdir(site)
    started = time.monotonic()
    try:
        assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    finally:
        os.chdir(previous)
    return time.monotonic() - started


def start_build(site: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--output", str(out), "--now", NOW_ARG],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SITEGEN_LANG": "en"},
    )


def set_version(site: Path, version: int) -> None:
    """Content of version 1 or 2: every item differs, and version 2 has one more page."""
    add_items(site, f"v{version}")
    extra = site / "content" / "it" / "notizie" / "nuova.md"
    if version == 2:
        extra.write_text('---\ntitle: "Nuova"\ndate: 2026-11-01\n---\n\nSolo nella versione 2.\n', encoding="utf-8")
    elif extra.exists():
        extra.unlink()


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """A big site, and the file → hash maps of its version-1 and version-2 builds."""
    root = tmp_path_factory.mktemp("faults")
    site = copy_site("basic", root / "site")
    set_version(site, 1)
    old_ref = root / "ref-old"
    build_in_process(site, old_ref)
    set_version(site, 2)
    new_ref = root / "ref-new"
    started = time.monotonic()
    process = start_build(site, new_ref)  # timed as the killed builds will run: a whole process
    assert process.wait(timeout=300) == 0, process.stderr.read()
    seconds = time.monotonic() - started
    old, new = hashes(old_ref), hashes(new_ref)
    assert old != new and set(old) != set(new)
    return site, old_ref, old, new, seconds


def reset_to_old(out: Path, old_ref: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(old_ref, out)
    (out.parent / f".{out.name}.lock").touch()  # as a real earlier build would have left


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_and_the_next_build_recovers(
    two_versions, tmp_path
):
    """Each build goes from one version to the other and is killed; the next one starts from what it left."""
    site, old_ref, old, new, seconds = two_versions
    sites = {1: old, 2: new}
    out = tmp_path / "public"
    staging = tmp_path / ".public.new"
    seed = int(os.environ.get("SITEGEN_FAULT_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    reset_to_old(out, old_ref)
    current, outcomes = 1, []
    try:
        kill_repeatedly(site, out, staging, sites, seconds, rng, seed, current, outcomes)
    finally:
        set_version(site, 2)  # the other tests of this module expect version 2


def kill_repeatedly(site, out, staging, sites, seconds, rng, seed, current, outcomes):
    for attempt in range(KILLS_ANYWHERE + KILLS_WHILE_WRITING):
        target = 3 - current
        set_version(site, target)
        leftover = _identity(staging)  # a staging folder a killed build left (the new build removes it)
        process = start_build(site, out)
        if attempt % 2 == 0:
            # Anywhere from start-up to just after the end of a whole build (render, write, swap).
            time.sleep(rng.uniform(0.0, 1.2 * seconds + 0.3))
        else:
            # Once this build's staging folder exists it is writing: kill it a moment later.
            deadline = time.monotonic() + 120
            while _identity(staging) in (None, leftover) and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.4 * seconds))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        found = hashes(out)
        state = next((version for version, files in sites.items() if found == files), None)
        assert state is not None, f"seed {seed}, attempt {attempt}: public/ is a mix of the two sites"
        assert state in (current, target)
        outcomes.append((state, process.returncode))
        current = state
    build_in_process(site, out)  # the next build recovers by itself
    assert hashes(out) == sites[target], f"seed {seed}"
    # The replaced site is deleted in the background: wait for it, bounded.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(p.name.startswith(".public.trash-") for p in out.parent.iterdir()):
        time.sleep(0.1)
    # No staging folder is left; the site before the live one may be kept as the next build's spare.
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".public")) in (
        [".public.lock"],
        [".public.lock", ".public.spare"],
    )
    print("seed", seed, "(version left, exit code) after each kill:", outcomes)
    killed = [state for state, code in outcomes if code == -signal.SIGKILL]
    assert len(killed) >= KILLS_WHILE_WRITING // 2, (seed, outcomes)  # the kills did land mid-build


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_ctime_ns


def hold_lock(out: Path):
    handle = open(out.parent / f".{out.name}.lock", "a+")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def test_a_second_build_while_one_is_writing_is_refused_with_a_clear_message(
    two_versions, tmp_path, monkeypatch, capsys
):
    site, old_ref, old, _new, _seconds = two_versions
    out = tmp_path / "public"
    reset_to_old(out, old_ref)
    holder = hold_lock(out)  # stands for a build in progress (another process's lock)
    try:
        monkeypatch.chdir(site)
        monkeypatch.setenv("SITEGEN_LANG", "it")
        assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 1
    finally:
        holder.close()
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: un'altra build sta già scrivendo in {out} — aspetta che finisca e riprova",
        "1 errore.",
    ]
    assert hashes(out) == old


def _flocked(path: Path) -> bool:
    """Whether a process holds an flock on ``path``, read from /proc/locks: never by taking it,
    which, as this test once did, could make the build that tries at that moment give up."""
    try:
        info = os.stat(path)
        # "maj:min:inode", the device in hex (an inode number alone can be another device's file)
        wanted = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
        with open("/proc/locks", encoding="ascii") as locks:
            return any("FLOCK" in line and wanted in line.split() for line in locks)
    except FileNotFoundError:  # no lock file yet
        return False


@pytest.mark.slow
def test_two_real_builds_at_once_one_waits_its_turn_and_the_output_is_whole(two_versions, tmp_path):
    site, old_ref, _old, new, _seconds = two_versions
    out = tmp_path / "public"
    reset_to_old(out, old_ref)
    first = start_build(site, out)
    lock, staging = out.parent / f".{out.name}.lock", out.parent / f".{out.name}.new"
    deadline = time.monotonic() + 60
    # until the first build holds the lock and writes (its staging folder, made under the lock)
    while time.monotonic() < deadline and not (_flocked(lock) and staging.is_dir()):
        time.sleep(0.005)
    second = start_build(site, out)
    second_err = second.communicate(timeout=120)[1]
    first_err = first.communicate(timeout=120)[1]
    assert first.returncode == 0, first_err
    assert second.returncode == 1
    assert second_err.splitlines() == [
        f"{out}: another build is already writing to {out} — wait for it to finish and try again",
        "1 error.",
    ]
    assert hashes(out) == new


def _fail_writes_after(count: int, error: int):
    """An ``open`` for sitegen.output whose ``count``-th file opened for writing fails with ``error``."""
    opened = {"n": 0}

    def fake_open(path, mode="r", *args, **kwargs):
        if "w" in mode or "x" in mode:
            opened["n"] += 1
            if opened["n"] >= count:
                raise OSError(error, os.strerror(error), str(path))
        return open(path, mode, *args, **kwargs)

    return fake_open


def test_a_full_disk_gives_a_clear_error_and_the_old_site_stays(fixture_site, tmp_path, monkeypatch, capsys):
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    page = site / "content" / "it" / "chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Una frase", "Una frase nuova"), encoding="utf-8")
    monkeypatch.setattr(output_module, "open", _fail_writes_after(1, errno.ENOSPC), raising=False)
    monkeypatch.setattr(output_module.shutil, "copyfile", _raise(errno.ENOSPC))
    capsys.readouterr()
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[1] == "1 error."
    assert err[0].startswith(f"{out}: cannot write the site (No space left on device ({tmp_path}/.out.new/"), err
    assert err[0].endswith(") — check disk space and permissions; the previous site is untouched")
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out") and p.name != ".out.spare") == [
        ".out.lock"
    ]


def _raise(error: int):
    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error), str(args[-1]) if args else None)

    return fail


def test_an_output_folder_that_cannot_be_written_gives_a_clear_error(fixture_site, tmp_path, monkeypatch, capsys):
    """Tests run as root in CI, where chmod does not stop writes: the refusal is simulated."""
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    real_mkdir = os.mkdir

    def refusing_mkdir(path, *args, **kwargs):
        if os.fspath(path).endswith(".out.new"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_mkdir(path, *args, **kwargs)

    real_rename = os.rename

    def refusing_rename(source, target, *args, **kwargs):
        # The build after a cold one reuses the spare: it renames it to .out.new, which a
        # folder that cannot be written refuses as it refuses the mkdir.
        if os.fspath(target).endswith(".out.new"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(target))
        return real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refusing_mkdir)
    monkeypatch.setattr(os, "rename", refusing_rename)
    page = site / "content/it/chi-siamo.md"  # an edit: a build that runs, not the no-change fast path
    page.write_text(page.read_text(encoding="utf-8") + "\nUna riga in più.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: cannot write the site (Permission denied ({tmp_path}/.out.new)) — check disk space and permissions;"
        " the previous site is untouched",
        "1 error.",
    ]
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == before


def test_recovery_after_a_kill_between_the_two_fallback_renames(fixture_site, tmp_path, monkeypatch):
    """Where renameat2 is missing the swap is two renames; killed between them, the old site comes back."""
    site = fixture_site("basic")
    monkeypatch.chdir(site)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    before = hashes(out)
    os.rename(out, tmp_path / ".out.old")  # the first rename happened, the second did not
    (tmp_path / ".out.new").mkdir()
    (tmp_path / ".out.new" / MARKER).write_bytes(MARKER_TEXT)  # a build marks its staging folder first
    (tmp_path / ".out.new" / "half.html").write_text("half")
    output_module.recover(out)
    assert hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out") and p.name != ".out.spare") == [
        ".out.lock"
    ]
