"""The pull request's job summary, from two built fixture sites and the proposed tree's sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from editor_site import NOW, make_site

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("pr_summary", REPO / "scripts" / "pr_summary.py")
assert _spec and _spec.loader
prs = importlib.util.module_from_spec(_spec)
sys.modules["pr_summary"] = prs
_spec.loader.exec_module(prs)


def _site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_pages_new_changed_and_removed_with_their_addresses(tmp_path: Path) -> None:
    base = _site(
        tmp_path / "base",
        {"index.html": "a", "notizie/vecchia/index.html": "v", "rete/index.html": "r", "static/x.css": "1"},
    )
    head = _site(
        tmp_path / "head",
        {
            "index.html": "b",
            "notizie/nuova/index.html": "n",
            "rete/index.html": "r",
            "static/x.css": "2",
            "pagefind/index.pf": "ignored",
        },
    )
    changes = prs.compare_sites(base, head)
    assert changes == prs.PageChanges(
        new=("/notizie/nuova/",), changed=("/",), removed=("/notizie/vecchia/",), other_files=1
    )


def test_the_summary_of_a_fixture_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {
        # Fixture data: a scheduled item, a draft and an Italian item never translated.
        "content/it/notizie/futura.md": '---\ntitle: "Futura"\ndate: 2026-12-24 10:00\n---\n\nTesto.\n',
        "content/it/notizie/bozza.md": '---\ntitle: "Bozza"\ndate: 2026-11-22\ndraft: true\n---\n\nTesto.\n',
        "content/it/notizie/sola.md": '---\ntitle: "Sola"\ndate: 2026-11-22\ntranslation_key: sola\n---\n\nT.\n',
    }
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    held = prs.held_back(Path("config.yaml"), prs.datetime.fromisoformat(NOW), "it")
    changes = prs.PageChanges(new=("/notizie/sola/",), changed=("/",), removed=(), other_files=2)
    text = prs.summary_markdown(changes, held, "https://example.org/ilsh/", "it")
    assert text == (
        "## Cosa pubblica questa modifica\n\n"
        "### Pagine nuove (1)\n\n- [/notizie/sola/](https://example.org/ilsh/notizie/sola/)\n\n"
        "### Pagine modificate (1)\n\n- [/](https://example.org/ilsh/)\n\n"
        "Altri file cambiati (immagini, allegati, stili, feed): 2.\n\n"
        "### Programmate (1): andranno online da sole all'ora indicata\n\n"
        "- `content/it/notizie/futura.md`: 2026-12-24T10:00:00+01:00\n\n"
        "### Bozze, non pubblicate (1)\n\n- `content/it/notizie/bozza.md`\n\n"
        "### Traduzioni da fare (1)\n\n- `content/it/notizie/sola.md` → en: manca\n"
    )


def test_nothing_to_publish(tmp_path: Path) -> None:
    text = prs.summary_markdown(prs.PageChanges(), prs.HeldBack(), "", "en")
    assert text == "## What this change publishes\n\nNo page added, changed or removed.\n"
