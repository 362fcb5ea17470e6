"""``build.py new``: the new file, its path, no overwriting, translations linked by key."""

from __future__ import annotations

import pytest
from editor_site import build_args, make_site, run

from sitegen.cli import python_command
from sitegen.frontmatter import load_yaml, split_front_matter


def hint_it() -> str:
    """The hint printed by ``new``: the interpreter as the editor runs it here (so it works as written)."""
    return (
        f'Creata come bozza (draft: true): scrivi il testo, guarda l\'anteprima con "{python_command()} build.py serve" '
        "e togli la riga draft quando è pronta."
    )


def front(path):
    split, problems = split_front_matter(path.read_text(encoding="utf-8"), str(path))
    assert not problems
    data, problems = load_yaml(split.front_matter, str(path))
    assert not problems
    return data


def new(capsys, *args):
    return run(capsys, "new", *args, "--config", "config.yaml")


def test_new_news_item_from_an_accented_title(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = new(capsys, "news", "Perché l'IOM è qui", "--date", "2026-11-30")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["content/it/notizie/perche-l-iom-e-qui.md", hint_it()]
    path = tmp_path / "content/it/notizie/perche-l-iom-e-qui.md"
    data = front(path)
    assert data == {"title": "Perché l'IOM è qui", "date": "2026-11-30", "description": "", "tags": [], "draft": True}
    text = path.read_text(encoding="utf-8")
    for field in ("slug", "updated", "publish_at", "expires_at", "translation_key"):
        assert f"# {field}: " in text  # every optional field is there, commented, with its explanation


def test_new_item_is_a_draft_until_the_line_is_removed(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    new(capsys, "news", "Una notizia nuova", "--date", "2026-11-30")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert not (tmp_path / "public/notizie/una-notizia-nuova").exists()
    code, _out, err = run(capsys, *build_args("--drafts"))
    assert code == 0, err
    assert "draft-banner" in (tmp_path / "public/notizie/una-notizia-nuova/index.html").read_text(encoding="utf-8")
    path = tmp_path / "content/it/notizie/una-notizia-nuova.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    page = (tmp_path / "public/notizie/una-notizia-nuova/index.html").read_text(encoding="utf-8")
    assert "Una notizia nuova" in page and "draft-banner" not in page


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "it",
            "content/it/notizie/primo-annuncio.md: il file esiste già — non lo sovrascrivo: scegli un altro titolo "
            "o modifica il file esistente",
        ),
        (
            "en",
            "content/it/notizie/primo-annuncio.md: the file already exists — it is not overwritten: choose another "
            "title or edit the existing file",
        ),
    ],
)
def test_new_refuses_to_overwrite(lang, expected, tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    path = tmp_path / "content/it/notizie/primo-annuncio.md"
    before = path.read_bytes()
    code, out, err = new(capsys, "news", "Primo annuncio")
    assert code == 1 and out == ""
    assert err.splitlines() == [expected, "1 errore." if lang == "it" else "1 error."]
    assert path.read_bytes() == before


def test_new_in_english(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _err = new(capsys, "news", "New offices: a test", "--lang", "en", "--date", "2026-12-02")
    assert code == 0
    assert out.splitlines()[0] == "content/en/news/new-offices-a-test.md"
    assert front(tmp_path / "content/en/news/new-offices-a-test.md")["title"] == "New offices: a test"


def test_translation_of_an_item_without_key_adds_the_key_to_both(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    new(capsys, "news", "Perché l'IOM è qui", "--date", "2026-11-25")
    code, out, err = new(
        capsys, "news", "Why IOM is here", "--translation-of", "content/it/notizie/perche-l-iom-e-qui.md"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "content/en/news/why-iom-is-here.md",
        "Aggiunto translation_key: perche-l-iom-e-qui a content/it/notizie/perche-l-iom-e-qui.md, per collegare "
        "le due versioni.",
        hint_it(),
    ]
    original = front(tmp_path / "content/it/notizie/perche-l-iom-e-qui.md")
    translation = front(tmp_path / "content/en/news/why-iom-is-here.md")
    assert original["translation_key"] == translation["translation_key"] == "perche-l-iom-e-qui"
    assert translation["date"] == "2026-11-25"  # the original's date, not today
    # Published, the two are linked to each other.
    for path in (
        tmp_path / "content/it/notizie/perche-l-iom-e-qui.md",
        tmp_path / "content/en/news/why-iom-is-here.md",
    ):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    code, _out, err = run(capsys, *build_args())
    assert code == 0 and err == ""
    page = (tmp_path / "public/en/news/why-iom-is-here/index.html").read_text(encoding="utf-8")
    assert 'hreflang="it" href="https://example.org/notizie/perche-l-iom-e-qui/"' in page


def test_translation_of_an_item_with_a_key_leaves_the_original_alone(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, drop=("content/en/news/first-announcement.md",))
    monkeypatch.chdir(tmp_path)
    original = tmp_path / "content/it/notizie/primo-annuncio.md"
    before = original.read_bytes()
    code, out, _err = new(capsys, "news", "First announcement", "--translation-of", str(original))
    assert code == 0 and len(out.splitlines()) == 2
    assert original.read_bytes() == before
    assert front(tmp_path / "content/en/news/first-announcement.md")["translation_key"] == "primo"


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            ["news", "Titolo", "--translation-of", "content/it/notizie/manca.md"],
            "content/it/notizie/manca.md: non trovo la pagina da tradurre — indica un file .md dentro content/<lingua>/, "
            "per esempio content/it/notizie/titolo.md",
        ),
        (
            ["news", "Titolo", "--lang", "it", "--translation-of", "content/it/notizie/primo-annuncio.md"],
            "content/it/notizie/primo-annuncio.md: la traduzione deve essere in un'altra lingua, non in 'it' — togli "
            "--lang o scegli l'altra lingua",
        ),
        (
            ["news", "???"],
            "new: il titolo '???' non contiene lettere o cifre — scrivi un titolo, per esempio \"Nuova sede a Catania\"",
        ),
        (["news", "Titolo", "--lang", "fr"], "new: lingua sconosciuta 'fr' — le lingue del sito sono: it, en"),
    ],
)
def test_new_usage_errors(args, expected, tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, _out, err = new(capsys, *args)
    assert code == 1
    assert err.splitlines() == [expected, "1 errore."]


def test_bad_date_is_a_usage_error(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        new(capsys, "news", "Titolo", "--date", "2026-13-01")
    assert exit_info.value.code == 2


def test_new_page(tmp_path, monkeypatch, capsys):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _err = new(capsys, "page", "Contatti di prova")
    assert code == 0 and out.splitlines()[0] == "content/it/contatti-di-prova.md"
    data = front(tmp_path / "content/it/contatti-di-prova.md")
    assert "date" not in data and data["draft"] is True


# --- issue 15.6: copied values are quoted and validated ---------------------------------


def test_translation_key_with_a_newline_cannot_inject_a_field(tmp_path, monkeypatch, capsys):
    """A key "x\\ndraft: false" would have become a second line of the translation's front matter."""
    make_site(tmp_path, drop=("content/en/news/first-announcement.md",))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    original = tmp_path / "content/it/notizie/primo-annuncio.md"
    text = original.read_text(encoding="utf-8").replace("translation_key: primo", 'translation_key: "x\\ndraft: false"')
    original.write_text(text, encoding="utf-8")
    code, out, err = new(capsys, "news", "First announcement", "--translation-of", str(original))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        "content/it/notizie/primo-annuncio.md:4: il campo 'translation_key' contiene un a capo o una tabulazione"
        " — scrivilo su una sola riga, per esempio translation_key: nuovo-accordo"
    )
    assert not (tmp_path / "content/en/news/first-announcement.md").exists()


def test_every_copied_value_is_written_quoted(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, drop=("content/en/news/first-announcement.md",))
    monkeypatch.chdir(tmp_path)
    original = tmp_path / "content/it/notizie/primo-annuncio.md"
    text = original.read_text(encoding="utf-8").replace("translation_key: primo", "translation_key: 'a: b # c'")
    original.write_text(text, encoding="utf-8")
    code, _out, err = new(capsys, "news", 'First "announcement": \\ part', "--translation-of", str(original))
    assert code == 0, err
    created = tmp_path / "content/en/news/first-announcement-part.md"
    assert 'translation_key: "a: b # c"\n' in created.read_text(encoding="utf-8")
    data = front(created)
    assert data["translation_key"] == "a: b # c"
    assert data["title"] == 'First "announcement": \\ part'


def test_a_slug_added_to_the_original_is_quoted(tmp_path, monkeypatch, capsys):
    """The original without a key gets its slug as key: written quoted, read back equal."""
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    new(capsys, "news", "Perché l'IOM è qui", "--date", "2026-11-25")
    code, _out, err = new(capsys, "news", "Why", "--translation-of", "content/it/notizie/perche-l-iom-e-qui.md")
    assert code == 0, err
    original = tmp_path / "content/it/notizie/perche-l-iom-e-qui.md"
    assert 'translation_key: "perche-l-iom-e-qui"\n' in original.read_text(encoding="utf-8")


def test_an_invalid_original_is_not_copied(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, drop=("content/en/news/first-announcement.md",))
    monkeypatch.chdir(tmp_path)
    original = tmp_path / "content/it/notizie/primo-annuncio.md"
    original.write_text(original.read_text(encoding="utf-8").replace("---\n\n", "draft: si\n---\n\n", 1), "utf-8")
    code, out, err = new(capsys, "news", "First announcement", "--translation-of", str(original))
    assert code == 1 and out == "" and "draft" in err
    assert not (tmp_path / "content/en/news/first-announcement.md").exists()
