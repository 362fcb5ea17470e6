"""The cache is data, never code, and never trusted (issue 15 §3).

A poisoned, damaged or wrong-kind entry under ``.cache/`` cannot run code, cannot make the
build read or write a file outside the project, is ignored with a notice and rebuilt; the
output is then the clean build's.  ``--no-cache`` reads nothing from the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest
from editor_site import build_args, clean_output, jpeg_bytes, make_site, output_tree, run

from sitegen.cache import files
from sitegen.cache.codec import Invalid, decode, encode
from sitegen.incremental import Manifest, PageRecord

ITEM = "content/it/notizie/con-foto.md"
FILES = {
    ITEM: '---\ntitle: "Notizia con foto"\ndate: 2026-11-22\n---\n\n![Una sala di prova](foto.jpg)\n',
    "content/it/notizie/foto.jpg": jpeg_bytes(600, 400),
}


class _Planted:
    """Unpickling this creates ``path``: proof that a cache read ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return open, (str(self.path), "w")


def _site(tmp_path, monkeypatch, capsys) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, FILES)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    return root


def _records(root: Path) -> list[Path]:
    found = sorted(p for p in (root / ".cache").rglob("*.json") if p.is_file())
    assert found
    return found


def _with_header(path: Path, kind: str, payload: bytes) -> None:
    """``payload`` behind a header whose checksum matches: only the contents can refuse it."""
    path.write_bytes(
        b"sitegen-cache %d %s %s\n" % (files.VERSION, kind.encode(), hashlib.sha256(payload).hexdigest().encode())
        + payload
    )


def _field(cls: type, name: str) -> int:
    """Where a dataclass field is in its stored list (see sitegen.cache.codec)."""
    return [f.name for f in dataclasses.fields(cls)].index(name)


def _kind_of(path: Path) -> str:
    return path.read_bytes().split(b"\n", 1)[0].split(b" ")[2].decode()


def test_a_pickle_payload_in_any_cache_file_runs_nothing(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(_Planted(marker))
    assert not marker.exists()
    for path in _records(root):
        _with_header(path, _kind_of(path), payload)
    # and the old pickle files an earlier version read, raw and behind its old header
    for name in ("stat-index.bin", "parsed-00.bin", "bodies.bin"):
        (root / ".cache" / name).write_bytes(payload)
    (root / "content/it/notizie/con-foto.md").write_text(FILES[ITEM] + "\nAltro.\n", encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert not marker.exists()
    assert "cache entry ignored (not JSON)" in err
    assert not list((root / ".cache").glob("*.bin"))  # earlier formats are pruned
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_an_image_record_cannot_lead_outside_the_project(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing", encoding="utf-8")
    (record,) = (root / ".cache/media").glob("*.json")
    # the shape of the old records, with paths pointing out of the project
    escaping = {
        "width": 600,
        "height": 400,
        "variants": [{"width": 480, "format": "JPEG", "site_path": "/../../OUTSIDE.txt", "file": str(secret)}],
    }
    _with_header(record, "image", json.dumps(escaping).encode())
    # an edit, so that the build runs (the output is still the last build's: no-change fast path)
    (root / "content/it/notizie/con-foto.md").write_text(FILES[ITEM] + "\nAltro.\n", encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert "cache entry ignored" in err
    assert not (tmp_path / "OUTSIDE.txt").exists()
    assert not any(b"not for publishing" in data for data in output_tree(root / "public").values())
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_a_variant_that_is_a_link_is_not_published(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing", encoding="utf-8")
    for variant in (root / ".cache/media").glob("*.jpg"):
        variant.unlink()
        variant.symlink_to(secret)
    shutil.rmtree(root / "public")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert not any(b"not for publishing" in data for data in output_tree(root / "public").values())
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_a_manifest_cannot_name_files_outside_the_output(tmp_path, monkeypatch, capsys):
    """The manifest names files the next build links from the old site and removes from the spare."""
    root = _site(tmp_path, monkeypatch, capsys)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (manifest_path,) = (root / ".cache").glob("manifest-*.json")
    data = json.loads(manifest_path.read_bytes().split(b"\n", 1)[1])
    data[_field(Manifest, "spare_files")].append("../../victim.txt")
    data[_field(Manifest, "files")].append("../../victim.txt")
    _with_header(manifest_path, "manifest", json.dumps(data).encode())
    for _ in range(2):  # the second build would reuse the spare and remove its stale files
        code, _out, err = run(capsys, *build_args())
        assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert output_tree(root / "public") == clean_output(root, capsys)


@pytest.mark.parametrize("wrong", ["folder", "truncated", "empty", "other kind", "flipped"])
def test_a_cache_entry_of_the_wrong_kind_is_rebuilt_with_a_notice(tmp_path, monkeypatch, capsys, wrong):
    root = _site(tmp_path, monkeypatch, capsys)
    for path in _records(root):
        data = path.read_bytes()
        if wrong == "folder":
            path.unlink()
            (path / "inside").mkdir(parents=True)
        elif wrong == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif wrong == "empty":
            path.write_bytes(b"")
        elif wrong == "other kind":
            _with_header(path, "manifest" if _kind_of(path) != "manifest" else "body", data.split(b"\n", 1)[1])
        else:
            path.write_bytes(data[:-3] + bytes([data[-3] ^ 0x01]) + data[-2:])
    (root / "content/it/notizie/con-foto.md").write_text(FILES[ITEM] + "\nAltro.\n", encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert "Traceback" not in err
    assert "note: cache entry ignored" in err
    if wrong == "folder":
        assert "note: cannot save the cache" in err
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_an_unwritable_cache_is_only_slower(tmp_path, monkeypatch, capsys):
    """A read-only cache folder (simulated: the tests may run as root, whom modes do not stop)."""
    root = _site(tmp_path, monkeypatch, capsys)
    shutil.rmtree(root / ".cache")

    create = files._create

    def refuse(path: str, flags: int, mode: int) -> int:
        if mode != 0o600:  # a card or icon: drawn in the cache and linked from it, they need it writable
            return create(path, flags, mode)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files, "_create", refuse)
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert "note: cannot save the cache (Permission denied)" in err
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_no_cache_reads_and_writes_nothing_in_the_cache(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(_Planted(marker))
    for path in _records(root):
        _with_header(path, _kind_of(path), payload)
    for variant in (root / ".cache/media").glob("*.*g"):
        variant.write_bytes(b"poisoned variant")
    before = output_tree(root / ".cache")
    code, _out, err = run(capsys, *build_args("--no-cache"))
    assert code == 0, err
    assert "cache entry ignored" not in err  # not even looked at
    assert not marker.exists()
    # only the fast path's record goes: it described the output this build replaced
    assert output_tree(root / ".cache") == {name: data for name, data in before.items() if not name.startswith("fast-")}
    assert not any(b"poisoned variant" in data for data in output_tree(root / "public").values())
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_compiled_templates_are_not_kept_and_old_ones_are_pruned(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    old = root / ".cache/templates-0123456789abcdef"
    old.mkdir()
    (old / "__jinja2_x.cache").write_bytes(b"compiled code")
    (root / "content/it/notizie/con-foto.md").write_text(FILES[ITEM] + "\nAltro.\n", encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert not list((root / ".cache").glob("templates-*"))


def test_unused_image_records_are_pruned(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    assert list((root / ".cache/media").iterdir())
    (root / "content/it/notizie/foto.jpg").unlink()
    (root / ITEM).write_text('---\ntitle: "Notizia con foto"\ndate: 2026-11-22\n---\n\nSenza foto.\n', encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert list((root / ".cache/media").iterdir()) == []


def test_the_codec_checks_every_type():
    record = PageRecord("a" * 64, 10, 20, frozenset({"x"}), None)
    manifest = Manifest(pages={"index.html": record}, files=frozenset({"index.html"}))
    stored = encode(Manifest, manifest)
    assert decode(Manifest, json.loads(json.dumps(stored))) == manifest
    assert isinstance(stored, list)

    def changed(name: str, value: object) -> list[object]:
        copy = list(stored)
        copy[_field(Manifest, name)] = value
        return copy

    bad_page = list(stored[_field(Manifest, "pages")]["index.html"])
    bad_page[_field(PageRecord, "size")] = "10"
    for value in [
        changed("output_ino", "1"),
        changed("output_ino", True),
        changed("files", "index.html"),
        changed("files", ["index.html", 3]),
        changed("spare_id", [1]),
        changed("valid_until", ["2026-01-01T00:00:00", None]),  # a time without its zone
        changed("pages", {"index.html": bad_page}),
        [*stored, 1],  # a field too many
        stored[:-1],
        {"output_ino": 1},
    ]:
        with pytest.raises(Invalid):
            decode(Manifest, value)
    with pytest.raises(Invalid):  # well typed, but the path climbs out of the output folder
        decode(Manifest, changed("files", ["../../etc/passwd"])).check()
