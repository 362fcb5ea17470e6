"""``check`` prints a table of missing translations and of translations older than their original."""

from __future__ import annotations

import pytest
from editor_site import NOW, make_site, run

FILES = {
    # Fixture data: an original updated after its translation, and an item never translated.
    "content/it/notizie/primo-annuncio.md": (
        '---\ntitle: "Primo annuncio di prova"\ndate: 2026-11-20\n'
        "updated: 2026-11-28 18:00\ntranslation_key: primo\n---\n\nTesto.\n"
    ),
    "content/it/notizie/solo-italiano.md": '---\ntitle: "Solo in italiano"\ndate: 2026-11-21\n---\n\nTesto.\n',
    "content/en/news/english-only.md": (
        '---\ntitle: "English only"\ndate: 2026-11-21\ntranslation_key: eng\n---\n\nText.\n'
    ),
}

EXPECTED = {
    "it": [
        "Traduzioni da fare (3):",
        "  Originale                             Lingua  Traduzione                             Stato",
        "  content/en/news/english-only.md       it      —                                      manca",
        "  content/it/notizie/primo-annuncio.md  en      content/en/news/first-announcement.md  "
        "da aggiornare: originale modificato il 2026-11-28 (updated), traduzione del 2026-11-20 (date)",
        "  content/it/notizie/solo-italiano.md   en      —                                      manca",
        "Nessun errore, 1 avviso.",
    ],
    "en": [
        "Translations to do (3):",
        "  Original                              Language  Translation                            Status",
        "  content/en/news/english-only.md       it        —                                      missing",
        "  content/it/notizie/primo-annuncio.md  en        content/en/news/first-announcement.md  "
        "to update: original changed on 2026-11-28 (updated), translation of 2026-11-20 (date)",
        "  content/it/notizie/solo-italiano.md   en        —                                      missing",
        "No errors, 1 warning.",
    ],
}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_check_prints_the_translations_table(lang, tmp_path, monkeypatch, capsys):
    make_site(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, out, _err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 0
    assert out.splitlines() == EXPECTED[lang]
    assert not (tmp_path / "public").exists()


def test_translation_updated_later_is_not_reported(tmp_path, monkeypatch, capsys):
    files = dict(FILES)
    files["content/en/news/first-announcement.md"] = (
        '---\ntitle: "First test announcement"\ndate: 2026-11-20\nupdated: 2026-11-29\ntranslation_key: primo\n---\n\nText.\n'
    )
    make_site(tmp_path, files, drop=())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, _err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 0
    assert "primo-annuncio" not in out and out.splitlines()[0] == "Translations to do (2):"


def test_complete_translations(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, _err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 0
    assert out.splitlines() == ["Traduzioni: tutte presenti e aggiornate.", "Nessun errore."]


def test_an_original_edited_on_the_day_of_its_translation_shows_the_times(tmp_path, monkeypatch, capsys):
    """Never "original of 2026-11-20, translation of 2026-11-20": the same day shows the hours."""
    files = dict(FILES)
    files["content/it/notizie/primo-annuncio.md"] = (
        '---\ntitle: "Primo annuncio di prova"\ndate: 2026-11-20 09:00\n'
        "updated: 2026-11-20 18:30\ntranslation_key: primo\n---\n\nTesto.\n"
    )
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, _err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 0
    assert out.splitlines()[3].endswith(
        "da aggiornare: originale modificato il 2026-11-20 18:30 (updated), traduzione del 2026-11-20 00:00 (date)"
    )
