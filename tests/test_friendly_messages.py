"""Messages that say what the editor probably meant (issue 11): exact wording, both languages.

Each case is the tiny fixture site of ``editor_site`` plus one file with the mistake.
Fixture data: invented filler.
"""

from __future__ import annotations

import pytest
from editor_site import build_args, jpeg_bytes, make_site, run

from sitegen.markdown_render import convert
from sitegen.near import by_likeness, document_elsewhere, same_file_but_case_or_extension
from sitegen.urls import heading_id, slugify

N = "content/it/notizie/prova.md"
PARTNERS = "content/it/partner-e-territori.md"


def news(body: str, front: str = "") -> str:
    return f'---\ntitle: "Prova"\ndate: 2026-11-20\n{front}---\n\n{body}'


CASES = {
    "closest_page": (
        {N: news("Vedi i [partner](/partner/).\n"), PARTNERS: '---\ntitle: "Partner"\n---\n\nTesto.\n'},
        f"{N}:6: il collegamento '/partner/' porta a una pagina che non esiste — forse intendevi /partner-e-territori/?",
        f"{N}:6: the link '/partner/' leads to a page that does not exist — did you mean /partner-e-territori/?",
    ),
    "closest_md_file": (
        {N: news("Vedi il [primo annuncio](primo-anuncio.md).\n")},
        f"{N}:6: il collegamento 'primo-anuncio.md' porta a una pagina che non esiste — forse intendevi primo-annuncio.md?",
        f"{N}:6: the link 'primo-anuncio.md' leads to a page that does not exist — did you mean primo-annuncio.md?",
    ),
    "file_in_another_folder": (
        {N: news("Vedi i [partner](partner-e-territori.md).\n"), PARTNERS: '---\ntitle: "Partner"\n---\n\nTesto.\n'},
        f"{N}:6: il collegamento 'partner-e-territori.md' cerca il file nella cartella di questa pagina, ma il file è "
        "in un'altra cartella — scrivi il percorso da qui: ../partner-e-territori.md",
        f"{N}:6: the link 'partner-e-territori.md' looks for the file in this page's folder, but the file is in "
        "another folder — write the path from here: ../partner-e-territori.md",
    ),
    "anchor_lists_heading_ids_closest_first": (
        {
            N: news("Vedi i [dati](../chi-siamo.md#dati-cifre).\n"),
            "content/it/chi-siamo.md": '---\ntitle: "Chi siamo"\n---\n\n## Storia\n\n## Dati e cifre\n\n## Contatti\n',
        },
        f"{N}:6: il collegamento '../chi-siamo.md#dati-cifre' punta a un'ancora '#dati-cifre' che non esiste in quella "
        "pagina — usa l'id di un titolo esistente: #dati-e-cifre, #contatti, #storia",
        f"{N}:6: the link '../chi-siamo.md#dati-cifre' points to an anchor '#dati-cifre' that does not exist on that "
        "page — use the id of an existing heading: #dati-e-cifre, #contatti, #storia",
    ),
    "image_letter_case": (
        {N: news("![Una foto di prova](Foto-Prova.JPG)\n"), "content/it/notizie/foto-prova.jpg": jpeg_bytes(40, 30)},
        f"{N}:6: il file 'Foto-Prova.JPG' non esiste, ma c'è 'foto-prova.jpg', che cambia solo per maiuscole o "
        "estensione — scrivi il nome esatto: foto-prova.jpg",
        f"{N}:6: the file 'Foto-Prova.JPG' does not exist, but 'foto-prova.jpg' does, which differs only in letter "
        "case or extension — write the exact name: foto-prova.jpg",
    ),
    "attachment_extension": (
        {N: news("Il [comunicato](/media/comunicato.pdf).\n"), "content/media/comunicato.PDF": b"%PDF-1.4\n%%EOF\n"},
        f"{N}:6: il file '/media/comunicato.pdf' non esiste, ma c'è '/media/comunicato.PDF', che cambia solo per "
        "maiuscole o estensione — scrivi il nome esatto: /media/comunicato.PDF",
        f"{N}:6: the file '/media/comunicato.pdf' does not exist, but '/media/comunicato.PDF' does, which differs only "
        "in letter case or extension — write the exact name: /media/comunicato.PDF",
    ),
}


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_wrong_reference_names_what_exists(case, lang, tmp_path, monkeypatch, capsys):
    files, expected_it, expected_en = CASES[case]
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [
        expected_it if lang == "it" else expected_en,
        "1 errore." if lang == "it" else "1 error.",
    ]


def test_a_translation_key_without_its_pair_names_a_near_key(tmp_path, monkeypatch, capsys):
    make_site(
        tmp_path,
        {
            N: news("Testo.\n", "translation_key: accordo-quadro\n"),
            "content/en/news/test.md": news("Text.\n", "translation_key: accordo-qaudro\n"),
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = run(capsys, *build_args())
    assert code == 0
    assert err.splitlines() == [
        "content/en/news/test.md:4: avviso: la traduzione 'accordo-qaudro' non ha la pagina in it, dove c'è invece la "
        "chiave 'accordo-quadro' — se è la stessa pagina, usa la stessa translation_key nei due file",
        f"{N}:4: avviso: la traduzione 'accordo-quadro' non ha la pagina in en, dove c'è invece la chiave "
        "'accordo-qaudro' — se è la stessa pagina, usa la stessa translation_key nei due file",
    ]


def test_near_names_are_worked_out_by_small_pure_functions():
    assert (
        same_file_but_case_or_extension("/media/Foto.JPG", ["/media/foto.jpg", "/altro/Foto.JPG"]) == "/media/foto.jpg"
    )
    assert same_file_but_case_or_extension("/media/foto.jpg", ["/media/foto.jpeg"]) == "/media/foto.jpeg"
    assert same_file_but_case_or_extension("/media/foto.jpg", ["/media/altra.jpg"]) is None
    assert document_elsewhere("it/notizie/rete.md", "it/notizie", ["it/rete.md", "en/network.md"]) == "../rete.md"
    assert document_elsewhere("it/rete-nuova.md", "it", ["it/rete.md"]) is None
    assert by_likeness("dati", ["storia", "dati-e-cifre", "contatti"])[0] == "dati-e-cifre"


@pytest.mark.parametrize("title", ["L'hub di Catania", "L’hub di Catania", "Lʼhub di Catania"])
def test_heading_ids_and_file_names_fold_apostrophes_alike(title):
    assert heading_id(title) == slugify(title) == "l-hub-di-catania"
    assert '<h2 id="l-hub-di-catania">' in convert(f"## {title}\n", "it").html
