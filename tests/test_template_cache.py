"""Compiled templates in the cache are used only when verified by a key outside the project
(issue 16; issue 15 §3: "either verify them or do not persist them").

Every test builds a small site in tmp_path with the command line (in this process, so that
Jinja's compiles can be counted); the key lives under the test session's XDG_STATE_HOME
(tests/conftest.py) or a folder of the test itself.
"""

from __future__ import annotations

import errno
import hashlib
import marshal
import os
from pathlib import Path

import jinja2
import pytest
from editor_site import build_args, clean_output, make_site, output_tree, run

from sitegen import template_cache

ITEM = "content/it/notizie/primo-annuncio.md"


@pytest.fixture
def state(tmp_path, monkeypatch) -> Path:
    """A fresh XDG_STATE_HOME for this test (the key folder is made by the first build)."""
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder / template_cache.KEY_FOLDER


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def _site(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, copy_templates=True)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    return root


def _build(capsys, *extra: str) -> None:
    code, _out, err = run(capsys, *build_args("--jobs", "1", *extra))
    assert code == 0, err


def _edit(root: Path) -> None:
    """A content edit: the next build renders that page again (no fast path)."""
    with open(root / ITEM, "a", encoding="utf-8") as handle:
        handle.write("\nUna riga in più.\n")


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".cache" / template_cache.FOLDER).glob("*.jinja"))


def _retag(cache: template_cache.VerifiedBytecodeCache, entry: Path, code: bytes) -> bytes:
    """The bytes of ``entry`` with ``code``, tagged by ``cache``'s key over the genuine inputs."""
    name, source = _template_of(entry)
    env = _environment(entry)
    bucket = cache.get_bucket(env, name, _filename(entry, name), source)
    return b"sitegen-compiled 1 " + cache._tag(bucket, code) + b"\n" + code


def _planted_code(entry: Path, marker: Path) -> bytes:
    """The genuine template's code plus a line that creates ``marker`` (marshalled)."""
    name, source = _template_of(entry)
    python = _environment(entry).compile(source, name, _filename(entry, name), raw=True)
    return marshal.dumps(compile(f"{python}\nopen({str(marker)!r}, 'w').close()\n", name, "exec"))


def _template_of(entry: Path) -> tuple[str, str]:
    templates = entry.parents[2] / "templates"
    for name in jinja2.FileSystemLoader(str(templates)).list_templates():
        if template_cache.template_digest(name, _filename(entry, name)) + ".jinja" == entry.name:
            return name, (templates / name).read_text(encoding="utf-8")
    raise AssertionError(f"no template for {entry.name}")


def _filename(entry: Path, name: str) -> str:
    return os.path.normpath(os.path.join(str(entry.parents[2] / "templates"), name))


def _environment(entry: Path) -> jinja2.Environment:
    from sitegen.options import BuildOptions, load

    config = load(BuildOptions(config_path=entry.parents[2] / "config.yaml"))
    from sitegen.render import make_environment

    return make_environment(config)


def test_second_build_compiles_nothing_and_output_is_identical(tmp_path, monkeypatch, capsys, state, compiles):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    assert compiles, "the first build compiles the templates"
    assert len(_entries(root)) == len(set(compiles))
    compiles.clear()
    _edit(root)
    _build(capsys)
    assert compiles == []  # every template came from the verified cache
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_key_is_made_once_private_and_outside_the_project(tmp_path, monkeypatch, capsys, state):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    key = state / template_cache.KEY_FILE
    info = os.lstat(key)
    assert info.st_mode & 0o777 == 0o600 and info.st_size == template_cache.KEY_SIZE
    assert key.read_bytes() not in b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())
    first = key.read_bytes()
    assert template_cache.secret_key() == first  # read again, never replaced
    assert [p.name for p in state.iterdir()] == [template_cache.KEY_FILE]  # no temporary left


def test_flipped_byte_is_ignored_and_rewritten(tmp_path, monkeypatch, capsys, state, compiles):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    entries = _entries(root)
    for entry in entries:
        data = bytearray(entry.read_bytes())
        data[-5] ^= 0x01  # in the marshalled code
        entry.write_bytes(bytes(data))
    compiles.clear()
    _edit(root)
    _build(capsys)
    assert compiles, "damaged entries are compiled afresh"
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")
    compiles.clear()
    _edit(root)
    _build(capsys)
    assert compiles == []  # and were written again, verified


@pytest.mark.parametrize("genuine_key", [False, True])
def test_entry_of_another_key_runs_no_code(tmp_path, monkeypatch, capsys, state, compiles, genuine_key):
    """An attacker's entry (a CI cache written by a pull request) is tagged with another key:
    it is ignored and its code never runs.  With the real key (the control case) the same
    entry does run, which shows that the test would see code run."""
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    key = (state / template_cache.KEY_FILE).read_bytes() if genuine_key else os.urandom(32)
    marker = tmp_path / "ran.txt"
    for entry in _entries(root):
        cache = template_cache.VerifiedBytecodeCache(entry.parent, key)
        entry.write_bytes(_retag(cache, entry, _planted_code(entry, marker)))
    _edit(root)
    _build(capsys)
    if genuine_key:
        assert marker.exists()
        return
    assert not marker.exists()
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_entry_with_an_unkeyed_checksum_is_ignored(tmp_path, monkeypatch, capsys, state):
    """Jinja's own format (and any unkeyed hash) is not accepted: only the HMAC tag is."""
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    marker = tmp_path / "ran.txt"
    code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "crafted", "exec"))
    for entry in _entries(root):
        entry.write_bytes(b"sitegen-compiled 1 " + hashlib.sha256(code).hexdigest().encode() + b"\n" + code)
    _edit(root)
    _build(capsys)
    assert not marker.exists()
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_fifo_or_link_in_place_of_an_entry_is_ignored(tmp_path, monkeypatch, capsys, state, compiles):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    for number, entry in enumerate(_entries(root)):
        if number % 2:
            entry.unlink()
            os.mkfifo(entry)  # never waited on
        else:
            genuine = tmp_path / entry.name
            entry.rename(genuine)
            entry.symlink_to(genuine)  # even a genuine entry behind a link is not followed
    compiles.clear()
    _edit(root)
    _build(capsys)
    assert compiles
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def _symlink(key: Path) -> None:
    real = key.parent / "real-key"
    real.write_bytes(os.urandom(32))
    real.chmod(0o600)
    key.symlink_to(real)


def _mode(mode: int):
    def make(key: Path) -> None:
        key.write_bytes(os.urandom(32))
        key.chmod(mode)

    return make


def _folder(key: Path) -> None:
    key.mkdir()


def _short(key: Path) -> None:
    key.write_bytes(b"short")
    key.chmod(0o600)


def _other_owner(key: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the key file to another user")
    key.write_bytes(os.urandom(32))
    key.chmod(0o600)
    os.chown(key, 65534, 65534)


def _unreadable(key: Path) -> None:
    key.write_bytes(os.urandom(32))
    key.chmod(0o000)


def _refusing(real_open, key: Path):
    """os.open that refuses ``key`` as the kernel does for a user who may not read it (root may)."""

    def opener(path, *args, **kwargs):
        if Path(path) == key:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    return opener


@pytest.mark.parametrize(
    "spoil",
    [_symlink, _mode(0o620), _mode(0o640), _mode(0o604), _folder, _short, _other_owner, _unreadable],
    ids=["symlink", "group-writable", "group-readable", "world-readable", "folder", "short", "owner", "unreadable"],
)
def test_untrustworthy_key_means_no_cache(tmp_path, monkeypatch, capsys, state, compiles, spoil):
    root = _site(tmp_path, monkeypatch)
    state.mkdir(parents=True, mode=0o700)
    spoil(state / template_cache.KEY_FILE)
    if spoil is _unreadable and os.geteuid() == 0:  # root reads a file of mode 000: refuse it as for a user
        monkeypatch.setattr(os, "open", _refusing(os.open, state / template_cache.KEY_FILE))
    assert template_cache.secret_key() is None
    _build(capsys)
    assert not (root / ".cache" / template_cache.FOLDER).exists()
    compiles.clear()
    _edit(root)
    _build(capsys)
    assert compiles  # compiled as without a cache
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_key_folder_writable_by_others_means_no_cache(tmp_path, monkeypatch, capsys, state):
    state.mkdir(parents=True)
    state.chmod(0o777)
    assert template_cache.secret_key() is None
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    assert not (root / ".cache" / template_cache.FOLDER).exists()


def test_key_that_cannot_be_created_means_no_cache(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    assert not (root / ".cache" / template_cache.FOLDER).exists()
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_relative_state_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert template_cache.state_folder() == tmp_path / ".local" / "state" / template_cache.KEY_FOLDER


def test_no_home_means_no_cache(monkeypatch):
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no user entry either
    assert template_cache.state_folder() is None
    assert template_cache.secret_key() is None


def test_edited_template_gives_new_code(tmp_path, monkeypatch, capsys, state, compiles):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- modello cambiato -->\n</body>"))
    compiles.clear()
    _build(capsys)
    assert compiles == ["base.html"]
    assert "modello cambiato" in (root / "public" / "index.html").read_text(encoding="utf-8")
    assert output_tree(root / "public") == clean_output(root, capsys, "--jobs", "1", "--no-cache")


def test_no_cache_neither_reads_nor_writes_compiled_templates(tmp_path, monkeypatch, capsys, state, compiles):
    root = _site(tmp_path, monkeypatch)
    _build(capsys, "--no-cache")
    assert not (root / ".cache" / template_cache.FOLDER).exists()
    _build(capsys)
    compiles.clear()
    _build(capsys, "--no-cache")
    assert compiles  # the entries written meanwhile were not read


def test_entries_of_removed_templates_are_pruned(tmp_path, monkeypatch, capsys, state):
    root = _site(tmp_path, monkeypatch)
    _build(capsys)
    kept = _entries(root)
    stale = kept[0].parent / (template_cache.template_digest("gone.html", "/nowhere/gone.html") + ".jinja")
    stale.write_bytes(kept[0].read_bytes())
    _edit(root)
    _build(capsys)
    assert not stale.exists()
    assert _entries(root) == kept


def test_tag_covers_the_compile_settings(tmp_path):
    """Another Jinja setting that changes the code (here trim_blocks) gives another tag."""
    loader = jinja2.DictLoader({"a.html": "{% if x %}\nA\n{% endif %}"})
    cache = template_cache.VerifiedBytecodeCache(tmp_path, os.urandom(32))
    first = jinja2.Environment(loader=loader, bytecode_cache=cache, trim_blocks=True)
    second = jinja2.Environment(loader=loader, bytecode_cache=cache, trim_blocks=False)
    assert first.get_template("a.html").render(x=True) == "A\n"
    assert cache.compiled == 1
    assert second.get_template("a.html").render(x=True) == "\nA\n"  # not the first one's code
    assert cache.compiled == 2
