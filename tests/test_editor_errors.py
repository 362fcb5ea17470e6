"""Every named error an editor can meet: the exact line, in Italian and in English, exit code 1.

Each case is a tiny fixture site (``tests/editor_site.py``) plus the broken file(s); the
expected text is written out in full here, so that a change of wording fails the test.
"""

from __future__ import annotations

import pytest
from editor_site import CONFIG, PROJECT, build_args, jpeg_bytes, make_site, run

N = "content/it/notizie/prova.md"
FIELDS = (
    "title, description, summary, date, updated, publish_at, expires_at, tags, slug, "
    "translation_key, draft, lang, menu, menu_title, layout, image, image_alt"
)


def news(front: str, body: str = "Testo di prova.\n") -> str:
    return "---\n" + front + "---\n\n" + body


CASES = {
    "yaml_unquoted_colon": (
        {N: news("title: Ricerca: nuovi fondi\ndate: 2026-11-20\n")},
        [
            f"{N}:2: il valore di 'title' contiene ':' e il front matter non si legge più — mettilo tra virgolette: "
            'title: "Ricerca: nuovi fondi"'
        ],
        [
            f"{N}:2: the value of 'title' contains ':' and the front matter can no longer be read — put it in quotes: "
            'title: "Ricerca: nuovi fondi"'
        ],
    ),
    "yaml_unclosed_list": (
        {N: news('title: "Prova"\ndate: 2026-11-20\ntags: [ricerca, innovazione\n')},
        [
            f"{N}:5: il front matter non è YAML valido: leggendo un elenco tra [ ], manca una ',' o la ']' che chiude l'elenco "
            "— controlla la riga; se un valore contiene ':' o '#', mettilo tra virgolette (title: \"Titolo: sottotitolo\")"
        ],
        [
            f"{N}:5: the front matter is not valid YAML: while parsing a flow sequence, did not find expected ',' or ']' "
            "— check the line; if a value contains ':' or '#', put it in quotes (title: \"Title: subtitle\")"
        ],
    ),
    "no_opening_dashes": (
        {N: 'title: "Prova"\ndate: 2026-11-20\n---\n\nTesto.\n'},
        [
            f"{N}:1: manca il front matter — la prima riga deve essere '---', poi i campi (title: ...), poi di nuovo '---'"
        ],
        [
            f"{N}:1: the front matter is missing — the first line must be '---', then the fields (title: ...), then '---' again"
        ],
    ),
    "no_closing_dashes": (
        {N: '---\ntitle: "Prova"\ndate: 2026-11-20\n\nTesto.\n'},
        [f"{N}:1: il front matter aperto alla riga 1 non è mai chiuso — aggiungi una riga '---' dopo l'ultimo campo"],
        [f"{N}:1: the front matter opened on line 1 is never closed — add a '---' line after the last field"],
    ),
    "missing_title": (
        {N: news("date: 2026-11-20\n")},
        [f'{N}:1: manca il titolo — aggiungi una riga title: "Titolo della pagina" nel front matter'],
        [f'{N}:1: the title is missing — add a line title: "Page title" to the front matter'],
    ),
    "date_not_a_date": (
        {N: news('title: "Prova"\ndate: 2026-11-31\n')},
        [
            f"{N}:3: '2026-11-31' nel campo 'date' non è una data valida — scrivi AAAA-MM-GG (2026-11-26) "
            "o AAAA-MM-GG HH:MM (2026-11-26 09:30)"
        ],
        [
            f"{N}:3: '2026-11-31' in the field 'date' is not a valid date — write YYYY-MM-DD (2026-11-26) "
            "or YYYY-MM-DD HH:MM (2026-11-26 09:30)"
        ],
    ),
    "unknown_field_did_you_mean": (
        {N: news('title: "Prova"\ndate: 2026-11-20\ntag: [ricerca]\n')},
        [f"{N}:4: campo sconosciuto 'tag' (forse intendevi 'tags'?) — i campi ammessi sono: {FIELDS}"],
        [f"{N}:4: unknown field 'tag' (did you mean 'tags'?) — the allowed fields are: {FIELDS}"],
    ),
    "tags_not_a_list": (
        {N: news('title: "Prova"\ndate: 2026-11-20\ntags: ricerca\n')},
        [f"{N}:4: il campo 'tags' deve essere un elenco, non un testo — per esempio: tags: [ricerca, innovazione]"],
        [f"{N}:4: the field 'tags' must be a list, not a text — for example: tags: [ricerca, innovazione]"],
    ),
    "unknown_language": (
        {N: news('title: "Prova"\ndate: 2026-11-20\nlang: fr\n')},
        [f"{N}:4: lingua sconosciuta 'fr' — le lingue del sito sono: it, en"],
        [f"{N}:4: unknown language 'fr' — the site's languages are: it, en"],
    ),
    "two_items_same_url": (
        {
            N: news('title: "Prova"\ndate: 2026-11-20\n'),
            "content/it/notizie/altra.md": news('title: "Altra"\ndate: 2026-11-21\nslug: prova\n'),
        },
        [
            "content/it/notizie/altra.md:4: questo file e content/it/notizie/prova.md producono lo stesso indirizzo "
            "/notizie/prova/ — cambia lo slug o il nome di uno dei due",
            "content/it/notizie/prova.md:2: questo file e content/it/notizie/altra.md producono lo stesso indirizzo "
            "/notizie/prova/ — cambia lo slug o il nome di uno dei due",
        ],
        [
            "content/it/notizie/altra.md:4: this file and content/it/notizie/prova.md produce the same address "
            "/notizie/prova/ — change the slug or the name of one of them",
            "content/it/notizie/prova.md:2: this file and content/it/notizie/altra.md produce the same address "
            "/notizie/prova/ — change the slug or the name of one of them",
        ],
    ),
    "link_to_missing_page": (
        {N: news('title: "Prova"\ndate: 2026-11-20\n', "Testo.\n\nVedi [la rete](/rete-sbagliata/).\n")},
        [
            f"{N}:8: il collegamento '/rete-sbagliata/' porta a una pagina che non esiste — correggi l'indirizzo "
            "(es. /rete/) o il nome del file .md"
        ],
        [
            f"{N}:8: the link '/rete-sbagliata/' leads to a page that does not exist — fix the address "
            "(e.g. /en/network/) or the .md file name"
        ],
    ),
    "link_to_missing_anchor": (
        {N: news('title: "Prova"\ndate: 2026-11-20\n', "Vedi [i dettagli](primo-annuncio.md#nessuna).\n")},
        [
            f"{N}:6: il collegamento 'primo-annuncio.md#nessuna' punta a un'ancora '#nessuna' che non esiste in quella "
            "pagina — usa l'id di un titolo esistente: #dettagli"
        ],
        [
            f"{N}:6: the link 'primo-annuncio.md#nessuna' points to an anchor '#nessuna' that does not exist on that "
            "page — use the id of an existing heading: #dettagli"
        ],
    ),
    "image_missing": (
        {N: news('title: "Prova"\ndate: 2026-11-20\n', "![Una foto](manca.jpg)\n")},
        [
            f"{N}:6: l'immagine 'manca.jpg' non esiste — controlla il nome del file e mettilo accanto alla notizia "
            "o in content/media/"
        ],
        [
            f"{N}:6: the image 'manca.jpg' does not exist — check the file name and put it next to the item "
            "or in content/media/"
        ],
    ),
    "image_without_alt": (
        {
            N: news('title: "Prova"\ndate: 2026-11-20\n', "![Foto con testo](foto.jpg)\n\nTesto.\n\n![](foto.jpg)\n"),
            "content/it/notizie/foto.jpg": "JPEG",
        },
        [
            f"{N}:10: l'immagine 'foto.jpg' non ha il testo alternativo — scrivi tra le parentesi quadre cosa mostra, "
            "per chi non la vede: ![Il direttore alla firma dell'accordo](foto.jpg)"
        ],
        [
            f"{N}:10: the image 'foto.jpg' has no alternative text — write what it shows between the square brackets, "
            "for readers who cannot see it: ![The director signing the agreement](foto.jpg)"
        ],
    ),
    "image_not_an_image": (
        {
            N: news('title: "Prova"\ndate: 2026-11-20\n', "![Una foto](rotta.jpg)\n"),
            "content/it/notizie/rotta.jpg": b"this is not a JPEG",
        },
        [f"{N}:6: il file 'rotta.jpg' non è un'immagine leggibile — salvalo di nuovo come JPEG o PNG"],
        [f"{N}:6: the file 'rotta.jpg' is not a readable image — save it again as JPEG or PNG"],
    ),
}


def _files(files: dict) -> dict:
    return {path: jpeg_bytes(40, 30) if content == "JPEG" else content for path, content in files.items()}


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_named_error_exact_wording(case, lang, tmp_path, monkeypatch, capsys):
    files, expected_it, expected_en = CASES[case]
    make_site(tmp_path, _files(files))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    expected = expected_it if lang == "it" else expected_en
    count = len(expected)
    word = {("it", 1): "errore", ("it", 2): "errori", ("en", 1): "error", ("en", 2): "errors"}[(lang, min(count, 2))]
    assert code == 1
    assert err.splitlines() == [*expected, f"{count} {word}."]
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_reports_the_same_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    """``check`` validates exactly like ``build`` (Italian by default) and publishes nothing."""
    files, expected_it, _ = CASES[case]
    make_site(tmp_path, _files(files))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    code, _out, err = run(capsys, "check", "--config", "config.yaml", "--now", "2026-12-01T12:00:00+01:00")
    assert code == 1
    assert err.splitlines()[:-1] == expected_it
    assert not (tmp_path / "public").exists()


def test_all_problems_of_a_run_are_reported(tmp_path, monkeypatch, capsys):
    make_site(
        tmp_path,
        {
            "content/it/notizie/a.md": news('title: "A"\ndate: 2026-11-20\ntag: [x]\n'),
            "content/it/notizie/b.md": news("date: 2026-13-01\n"),
            "content/en/news/c.md": news("title: C: bad\ndate: 2026-11-20\n"),
            "content/it/notizie/d.md": news('title: "D"\ndate: 2026-11-20\n', "[rotto](/non-esiste/)\n"),
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [
        "content/en/news/c.md:2: the value of 'title' contains ':' and the front matter can no longer be read — "
        'put it in quotes: title: "C: bad"',
        f"content/it/notizie/a.md:4: unknown field 'tag' (did you mean 'tags'?) — the allowed fields are: {FIELDS}",
        'content/it/notizie/b.md:1: the title is missing — add a line title: "Page title" to the front matter',
        "content/it/notizie/b.md:2: '2026-13-01' in the field 'date' is not a valid date — write YYYY-MM-DD "
        "(2026-11-26) or YYYY-MM-DD HH:MM (2026-11-26 09:30)",
        "4 errors.",
    ]


def test_link_errors_are_all_reported_once_the_files_parse(tmp_path, monkeypatch, capsys):
    """Link, anchor and image problems of several files come out together."""
    make_site(
        tmp_path,
        {
            "content/it/notizie/d.md": news(
                'title: "D"\ndate: 2026-11-20\n', "[rotto](/non-esiste/)\n\n![Foto](no.png)\n"
            ),
            "content/en/news/e.md": news('title: "E"\ndate: 2026-11-20\n', "[anchor](/en/#nowhere)\n"),
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [
        "content/en/news/e.md:6: the link '/en/#nowhere' points to an anchor '#nowhere' that does not exist on "
        "that page — use the id of an existing heading: #latest-news",
        "content/it/notizie/d.md:6: the link '/non-esiste/' leads to a page that does not exist — fix the address "
        "(e.g. /en/network/) or the .md file name",
        "content/it/notizie/d.md:8: the image 'no.png' does not exist — check the file name and put it next to the "
        "item or in content/media/",
        "3 errors.",
    ]


LONE = {N: news('title: "Prova"\ndate: 2026-11-20\ntranslation_key: sola\n')}


@pytest.mark.parametrize(
    "lang, line",
    [
        (
            "it",
            f"{N}:4: avviso: la traduzione 'sola' non ha la pagina in en — crea la traduzione o togli translation_key",
        ),
        (
            "en",
            f"{N}:4: warning: translation 'sola' has no page in en — create the translation or remove translation_key",
        ),
    ],
)
def test_translation_key_without_counterpart_is_a_warning(lang, line, tmp_path, monkeypatch, capsys):
    make_site(tmp_path, LONE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    assert code == 0 and err.splitlines() == [line]
    assert (tmp_path / "public/notizie/prova/index.html").is_file()
    code, _out, err = run(capsys, *build_args("--strict"))
    strict = {"it": "1 avviso, trattato come errore (--strict).", "en": "1 warning, treated as an error (--strict)."}
    assert code == 1 and err.splitlines() == [line, strict[lang]]


TEMPLATE_CASES = {
    "syntax": (
        "<h1>{{ title }</h1>",
        "templates/news_item.html:12: errore di sintassi nel template: unexpected '}' — controlla i tag "
        "{% %} e {{ }} di questa riga",
        "templates/news_item.html:12: template syntax error: unexpected '}' — check the {% %} and {{ }} "
        "tags on this line",
    ),
    "undefined": (
        "<h1>{{ titolo }}</h1>",
        "templates/news_item.html:12: il template usa un valore che non esiste: 'titolo' is undefined "
        "(pagina /en/news/first-announcement/) — correggi il nome della variabile",
        "templates/news_item.html:12: the template uses a value that does not exist: 'titolo' is undefined "
        "(page /en/news/first-announcement/) — fix the variable name",
    ),
}


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
def test_template_error_names_template_and_line(case, lang, tmp_path, monkeypatch, capsys):
    broken, expected_it, expected_en = TEMPLATE_CASES[case]
    make_site(tmp_path, copy_templates=True)
    template = tmp_path / "templates/news_item.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    assert lines[11] == "<h1>{{ title }}</h1>"  # line 12 of the real template
    lines[11] = broken
    template.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines()[0] == (expected_it if lang == "it" else expected_en)


KEYS = (
    "accessibility, base_url, cache_dir, content_dir, home_news, languages, messages_language, network, "
    "news_dir, organization, output_dir, paginate, privacy, search, search_dir, site_name, static_dir, tags, tags_dir, templates_dir, timezone"
)


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "it",
            [
                f"config.yaml:6: chiave sconosciuta 'paginat' (forse intendevi 'paginate'?) — le chiavi ammesse sono: {KEYS}",
                "config.yaml:7: la chiave 'home_news' deve essere un numero intero, non un testo — correggi il valore "
                "dopo 'home_news:'",
                "2 errori.",
            ],
        ),
        (
            "en",
            [
                f"config.yaml:6: unknown key 'paginat' (did you mean 'paginate'?) — the allowed keys are: {KEYS}",
                "config.yaml:7: the key 'home_news' must be a whole number, not a text — fix the value after 'home_news:'",
                "2 errors.",
            ],
        ),
    ],
)
def test_config_key_errors_with_line(lang, expected, tmp_path, monkeypatch, capsys):
    config = CONFIG.format(templates=PROJECT / "templates", static=PROJECT / "static")
    config = config.replace(
        "languages: [it, en]\ntimezone: Europe/Rome\n",
        "timezone: Europe/Rome\npaginat: 5\nhome_news: tre\nlanguages: [it, en]\n",
    )
    make_site(tmp_path, config=config)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "it",
            [
                "config.yaml:5: valore non valido per 'languages': ['it', 'it']: it, en — correggi il valore dopo 'languages:'",
                "config.yaml:6: valore non valido per 'timezone': 'Europa/Roma' (Europe/Rome, UTC, ...) — correggi il "
                "valore dopo 'timezone:'",
                "2 errori.",
            ],
        ),
        (
            "en",
            [
                "config.yaml:5: invalid value for 'languages': ['it', 'it']: it, en — fix the value after 'languages:'",
                "config.yaml:6: invalid value for 'timezone': 'Europa/Roma' (Europe/Rome, UTC, ...) — fix the value "
                "after 'timezone:'",
                "2 errors.",
            ],
        ),
    ],
)
def test_config_value_errors_with_line(lang, expected, tmp_path, monkeypatch, capsys):
    config = CONFIG.format(templates=PROJECT / "templates", static=PROJECT / "static")
    config = config.replace(
        "languages: [it, en]\ntimezone: Europe/Rome\n", "languages: [it, it]\ntimezone: Europa/Roma\n"
    )
    make_site(tmp_path, config=config)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", lang)
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == expected


def test_messages_are_italian_by_default_and_follow_the_config(tmp_path, monkeypatch, capsys):
    files = {N: news("date: 2026-11-20\n")}
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    _code, _out, err = run(capsys, *build_args())
    assert err.splitlines()[0].startswith(f"{N}:1: manca il titolo")
    config = (tmp_path / "config.yaml").read_text().replace("messages_language: it", "messages_language: en")
    (tmp_path / "config.yaml").write_text(config)
    _code, _out, err = run(capsys, *build_args())
    assert err.splitlines()[0].startswith(f"{N}:1: the title is missing")
    monkeypatch.setenv("SITEGEN_LANG", "it")
    _code, _out, err = run(capsys, *build_args())
    assert err.splitlines()[0].startswith(f"{N}:1: manca il titolo")
