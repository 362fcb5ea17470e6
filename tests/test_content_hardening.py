"""Issue 15 (content's share): one owner per address, raw content published only as intended,
drafts never published by accident, every bad configuration a message, bounded images."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sitetest import NOW_ARG, tree

from sitegen.cli import main


def build(site: Path, out: Path, *extra: str) -> int:
    previous = Path.cwd()
    os.chdir(site)
    try:
        return main(["build", "--output", str(out), "--now", NOW_ARG, *extra])
    finally:
        os.chdir(previous)


# --- 15.8: a full disk while Pagefind runs ----------------------------------------------


def _pagefind_on_a_full_disk(tmp_path: Path) -> Path:
    """Pagefind that ran out of space half-way: its entry file cut short, and still exit 0."""
    script = tmp_path / "pagefind-full-disk"
    script.write_text(
        '#!/bin/sh\nmkdir -p "$2/pagefind"\nprintf \'{"version":"1.\' > "$2/pagefind/pagefind-entry.json"\nexit 0\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_full_disk_while_pagefind_runs_is_a_message_and_the_old_site_stays(
    fixture_site, tmp_path, monkeypatch, capsys
):
    site = fixture_site("basic")
    out = tmp_path / "out"
    monkeypatch.setenv("SITEGEN_LANG", "it")
    assert build(site, out) == 0
    published = tree(out)
    item = site / "content" / "it" / "notizie" / "terza.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nAltro testo.\n", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_pagefind_on_a_full_disk(tmp_path)))
    capsys.readouterr()
    assert build(site, out) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out}: Pagefind non è riuscito a indicizzare le pagine (pagefind-entry.json: Unterminated string"
        " starting at: line 1 column 12 (char 11)) — correggi il problema indicato e rilancia la build;"
        " il sito precedente è rimasto com'era",
        "1 errore.",
    ]
    assert tree(out) == published
