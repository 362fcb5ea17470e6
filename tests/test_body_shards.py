"""Resolved-body records are saved in shards, and only the shards that changed are written.

An edit changes one record (the edited document's); the other shards must stay the files
they were, and whatever happens to a shard (missing, damaged), the pages are a clean build's.
"""

from __future__ import annotations

from pathlib import Path

from editor_site import build_args, clean_output, make_site, output_tree, run

ITEMS = {
    f"content/it/notizie/voce-{n:02d}.md": (
        f'---\ntitle: "Voce di prova {n}"\ndate: 2026-11-{n + 1:02d}\n---\n\n'
        f"Testo di prova con [un collegamento](/notizie/voce-{(n + 1) % 12:02d}/).\n"
    )
    for n in range(12)
}
EDITED = "content/it/notizie/voce-03.md"


def _shards(root: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (root / ".cache").glob("bodies-*.json")}


def _site(tmp_path, monkeypatch, capsys) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, ITEMS)
    monkeypatch.chdir(root)
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    return root


def test_an_edit_writes_only_the_shards_of_its_records(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    assert not (root / ".cache" / "bodies.json").exists()
    before = _shards(root)
    assert len(before) == 16
    path = root / EDITED
    path.write_text(path.read_text(encoding="utf-8") + "\nUna frase in più con [un altro](/notizie/voce-07/).\n")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    after = _shards(root)
    assert set(after) == set(before)
    rewritten = {name for name in after if after[name] != before[name]}
    assert 1 <= len(rewritten) <= 2  # the shard of the old record (dropped) and of the new one
    assert output_tree(root / "public") == clean_output(root, capsys)
    # and the next build reads the shards back: nothing to do, nothing rewritten
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert _shards(root) == after


def test_a_missing_or_damaged_shard_costs_work_never_a_wrong_page(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    shards = sorted((root / ".cache").glob("bodies-*.json"))
    full = [p for p in shards if len(p.read_bytes()) > 120]  # shards holding records
    assert len(full) >= 2
    full[0].unlink()
    full[1].write_bytes(full[1].read_bytes()[:-5])  # truncated: its checksum fails
    # a legacy single file of an earlier version is removed
    (root / ".cache" / "bodies.json").write_bytes(b"old")
    path = root / EDITED
    path.write_text(path.read_text(encoding="utf-8") + "\nAltro testo.\n")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert "bodies-" in err  # the damaged shard is noted
    assert full[0].exists() and len(full[0].read_bytes()) > 120  # both written again, whole
    assert b"bodies" in full[1].read_bytes().split(b"\n", 1)[0]
    assert not (root / ".cache" / "bodies.json").exists()
    assert output_tree(root / "public") == clean_output(root, capsys)


def test_old_pickled_bodies_are_removed_whether_or_not_the_shards_change(tmp_path, monkeypatch, capsys):
    root = _site(tmp_path, monkeypatch, capsys)
    store = root / ".cache" / "parsed"
    (store / "old.bin").write_bytes(b"pickle")
    path = root / EDITED
    path.write_text(path.read_text(encoding="utf-8") + "\nAltro testo.\n")
    code, _out, err = run(capsys, *build_args())  # a shard changes: the store is swept
    assert code == 0, err
    assert not (store / "old.bin").exists()
    (store / "older.bin").write_bytes(b"pickle")
    code, _out, err = run(capsys, *build_args()[:-1], "2026-12-02T12:00:00+01:00")  # nothing parsed again
    assert code == 0, err
    assert not (store / "older.bin").exists()
