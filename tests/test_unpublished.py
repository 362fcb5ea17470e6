"""Drafts and scheduled items are checked at every build and check, and leave no trace (issue 11).

A scheduled item goes live unattended: its problems fail the build now, marked with the
moment it goes live.  A draft's problems are warnings in a build (errors with ``--strict``
and in ``check``).  Neither appears in any output file.  Fixture data: invented filler.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from editor_site import NOW, build_args, jpeg_bytes, make_site, run

from sitegen.build import BuildOptions, build
from sitegen.moments import moment_text
from sitegen.site import SCHEDULED

SCHEDULED_ITEM = "content/it/notizie/in-arrivo.md"
DRAFT = "content/it/notizie/in-lavorazione.md"
BROKEN = {
    SCHEDULED_ITEM: (
        '---\ntitle: "Annuncio in arrivo"\ndate: 2026-11-20\npublish_at: 2026-12-05 09:00\n---\n\n'
        "Vedi i [partner](/partner/).\n\n![](foto-arrivo.jpg)\n"
    ),
    "content/it/notizie/foto-arrivo.jpg": jpeg_bytes(40, 30),
    DRAFT: (
        '---\ntitle: "Testo in lavorazione"\ndate: 2026-11-21\ndraft: true\n---\n\n'
        "Vedi i [dettagli](primo-annuncio.md#dettagli-tecnici).\n\n![](foto-bozza.jpg)\n"
    ),
    "content/it/notizie/foto-bozza.jpg": jpeg_bytes(40, 30),
}
ALT_HINT = "scrivi tra le parentesi quadre cosa mostra, per chi non la vede: ![Il direttore alla firma dell'accordo]"
SCHEDULED_LINES = [
    f"{SCHEDULED_ITEM}:7: programmata per il 5 dicembre 2026 alle 09:00: il collegamento '/partner/' porta a una "
    "pagina che non esiste — correggi l'indirizzo (es. /rete/) o il nome del file .md",
    f"{SCHEDULED_ITEM}:9: programmata per il 5 dicembre 2026 alle 09:00: l'immagine 'foto-arrivo.jpg' non ha il "
    f"testo alternativo — {ALT_HINT}(foto-arrivo.jpg)",
]


def draft_lines(prefix: str) -> list[str]:
    return [
        f"{DRAFT}:7: {prefix}bozza, non pubblicata: il collegamento 'primo-annuncio.md#dettagli-tecnici' punta a "
        "un'ancora '#dettagli-tecnici' che non esiste in quella pagina — usa l'id di un titolo esistente: #dettagli",
        f"{DRAFT}:9: {prefix}bozza, non pubblicata: l'immagine 'foto-bozza.jpg' non ha il testo alternativo — "
        f"{ALT_HINT}(foto-bozza.jpg)",
    ]


def every_output_byte(folder: Path) -> bytes:
    return b"\n".join(
        p.relative_to(folder).as_posix().encode() + b"\n" + p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def test_build_fails_on_a_scheduled_item_and_warns_for_a_draft_leaving_the_site_as_it_was(
    tmp_path, monkeypatch, capsys
):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    assert run(capsys, *build_args())[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()}
    make_site(tmp_path, BROKEN)
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [*SCHEDULED_LINES, *draft_lines("avviso: "), "2 errori, 2 avvisi."]
    assert {p: p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file()} == before


def test_check_reports_both_as_errors_and_writes_nothing(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, BROKEN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    code, _out, err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 1
    assert err.splitlines() == [*SCHEDULED_LINES, *draft_lines(""), "4 errori."]
    assert not (tmp_path / "public").exists()


def test_a_draft_never_blocks_the_build_unless_strict_and_leaves_no_trace(tmp_path, monkeypatch, capsys):
    files = {k: v for k, v in BROKEN.items() if "arrivo" not in k}
    files[SCHEDULED_ITEM] = '---\ntitle: "Annuncio in arrivo"\ndate: 2026-12-05 09:00\ntags: [segreto]\n---\n\nTesto.\n'
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    code, out, err = run(capsys, *build_args())
    assert code == 0
    assert err.splitlines() == draft_lines("avviso: ")
    assert out.splitlines()[-1] == "Nessun errore, 2 avvisi."
    public = tmp_path / "public"
    # (the draft's picture too: a file only drafts and scheduled items use is held back, sitegen.holdback)
    site = every_output_byte(public)
    for trace in (
        b"in-arrivo",
        b"Annuncio in arrivo",
        b"in-lavorazione",
        b"Testo in lavorazione",
        b"segreto",
        b"foto-",
    ):
        assert trace not in site, trace
    assert sorted(p.name for p in public.rglob("foto-*")) == []  # neither the picture nor a variant of it
    code, _out, err = run(capsys, *build_args("--strict"))
    assert code == 1
    assert err.splitlines() == [*draft_lines("avviso: "), "2 avvisi, trattati come errori (--strict)."]


def test_a_scheduled_item_is_checked_against_the_site_as_it_will_be(tmp_path, monkeypatch, capsys):
    """Links between unpublished items, and to their headings, are not errors: they will all be live."""
    files = {
        SCHEDULED_ITEM: '---\ntitle: "Annuncio in arrivo"\ndate: 2026-12-05 09:00\n---\n\n'
        "Vedi la [bozza](in-lavorazione.md#un-titolo) e [qui](#un-paragrafo).\n\n## Un paragrafo\n",
        DRAFT: '---\ntitle: "Testo in lavorazione"\ndate: 2026-11-21\ndraft: true\n---\n\n## Un titolo\n',
    }
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, "check", "--config", "config.yaml", "--now", NOW)
    assert code == 0
    assert [line for line in err.splitlines() if not line.startswith("config.yaml: nota: ")] == []


def test_a_scheduled_item_with_a_template_problem_fails_the_build(tmp_path, monkeypatch, capsys):
    """Its page is rendered too (here the template breaks on it alone), and the problem names the template."""
    make_site(
        tmp_path,
        {"content/it/in-arrivo.md": '---\ntitle: "Pagina in arrivo"\npublish_at: 2026-12-05 09:00\n---\n\nTesto.\n'},
        copy_templates=True,
    )
    page = tmp_path / "templates/page.html"
    broken = '{% block content %}{% if title == "Pagina in arrivo" %}{{ manca_questo }}{% endif %}'
    page.write_text(page.read_text(encoding="utf-8").replace("{% block content %}", broken, 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(
        "content/it/in-arrivo.md: scheduled for 5 December 2026 at 09:00: templates/page.html:3: "
    ), lines
    assert "manca_questo" in lines[0]
    assert lines[-1] == "1 error."


def test_a_site_without_drafts_or_scheduled_items_does_no_extra_work(tmp_path, monkeypatch):
    make_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    options = BuildOptions(now=datetime.fromisoformat(NOW), cache=False, jobs=1)
    result = build(options)
    assert result.built.site.skipped == ()
    assert "unpublished" not in result.summary.timings
    make_site(tmp_path, {DRAFT: '---\ntitle: "Testo in lavorazione"\ndate: 2026-11-21\ndraft: true\n---\n\nTesto.\n'})
    assert "unpublished" in build(options).summary.timings  # (the test could fail)


def test_the_preview_shows_a_scheduled_item_with_its_banner(tmp_path, monkeypatch):
    """``serve`` builds with drafts and scheduled items; a scheduled page says when it goes live, in words."""
    make_site(tmp_path, {SCHEDULED_ITEM: BROKEN[SCHEDULED_ITEM].replace("/partner/", "/").replace("![]", "![Foto]")})
    make_site(tmp_path, {"content/it/notizie/foto-arrivo.jpg": jpeg_bytes(40, 30)})
    monkeypatch.chdir(tmp_path)
    options = BuildOptions(now=datetime.fromisoformat(NOW), drafts=True, output=tmp_path / "preview")
    build(options)
    page = (tmp_path / "preview/notizie/in-arrivo/index.html").read_text(encoding="utf-8")
    assert (
        '<p class="draft-banner" role="status">Programmata per il 5 dicembre 2026 alle 09:00: questa pagina non è '
        "ancora pubblicata e fino ad allora compare solo nell’anteprima.</p>"
    ) in page
    listing = (tmp_path / "preview/notizie/index.html").read_text(encoding="utf-8")
    assert "Annuncio in arrivo" in listing  # as it will be listed
    home = (tmp_path / "preview/index.html").read_text(encoding="utf-8")
    assert "draft-banner" not in home


def test_moments_read_as_people_say_them():
    when = datetime.fromisoformat("2026-12-05T08:00:00+00:00")
    from zoneinfo import ZoneInfo

    rome = ZoneInfo("Europe/Rome")
    assert moment_text(when, "it", rome) == "5 dicembre 2026 alle 09:00"
    assert moment_text(when, "en", rome) == "5 December 2026 at 09:00"
    assert SCHEDULED == "scheduled"


def test_serve_previews_a_scheduled_item_with_its_banner(tmp_path):
    """The real ``serve``: the scheduled page answers (not 404) and says when it goes live."""
    import subprocess
    import sys

    from sitetest import REPO
    from test_serve import fetch, free_port, wait_for

    make_site(tmp_path, {SCHEDULED_ITEM: '---\ntitle: "Annuncio in arrivo"\ndate: 2026-12-05 09:00\n---\n\nTesto.\n'})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--now", NOW],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", lambda status, body: status == 200)
        status, body = fetch(base + "/notizie/in-arrivo/")
        assert status == 200
        assert "Programmata per il 5 dicembre 2026 alle 09:00: questa pagina non è ancora pubblicata" in body
    finally:
        process.kill()
        process.wait(timeout=10)
    assert not (tmp_path / "public").exists()


def test_a_scheduled_item_whose_card_picture_is_missing_fails_the_build(tmp_path, monkeypatch, capsys):
    make_site(
        tmp_path,
        {
            SCHEDULED_ITEM: '---\ntitle: "Annuncio in arrivo"\ndate: 2026-12-05 09:00\nimage: manca.jpg\n'
            'image_alt: "Una foto"\n---\n\nTesto.\n'
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [
        f"{SCHEDULED_ITEM}:4: scheduled for 5 December 2026 at 09:00: the picture 'manca.jpg' named by image: does "
        "not exist — check the file name, written from this .md file (photo.jpg) or from content/ (/media/photo.jpg)",
        "1 error.",
    ]


def test_json_and_github_formats_name_the_item_its_line_and_its_state(tmp_path, monkeypatch, capsys):
    import json

    make_site(tmp_path, {SCHEDULED_ITEM: BROKEN[SCHEDULED_ITEM].replace("![](foto-arrivo.jpg)", "")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, _err = run(capsys, *build_args("--format", "json"))
    assert code == 1
    assert [json.loads(line) for line in out.splitlines()] == [
        {
            "file": SCHEDULED_ITEM,
            "line": 7,
            "severity": "error",
            "code": "unpublished_scheduled",
            "message": "scheduled for 5 December 2026 at 09:00: the link '/partner/' leads to a page that does not exist",
            "hint": "fix the address (e.g. /en/network/) or the .md file name",
        }
    ]
    code, out, _err = run(capsys, *build_args("--format", "github"))
    assert code == 1
    assert out.splitlines()[0].startswith(f"::error file={SCHEDULED_ITEM},line=7,")


def test_an_expired_item_is_not_checked(tmp_path, monkeypatch, capsys):
    """It will never be live again: its broken link is nobody's problem."""
    make_site(
        tmp_path,
        {
            "content/it/notizie/scaduta.md": '---\ntitle: "Scaduta"\ndate: 2026-11-01\nexpires_at: 2026-11-30\n---\n\n'
            "Vedi i [partner](/partner/).\n"
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, err = run(capsys, *build_args())
    assert (code, err) == (0, "")
    assert "content/it/notizie/scaduta.md: expired" in out


def test_an_address_clash_only_an_item_would_cause_is_that_items_problem(tmp_path, monkeypatch, capsys):
    """A translation_key used twice, a reserved address, a live page's address: said of the item, with its line."""
    make_site(
        tmp_path,
        {
            "content/it/notizie/bozza.md": '---\ntitle: "Bozza"\ndate: 2026-11-21\ndraft: true\ntranslation_key: primo\n'
            "---\n\nTesto.\n",
            "content/it/notizie/copia.md": '---\ntitle: "Copia"\ndate: 2026-11-21\ndraft: true\n'
            "slug: primo-annuncio\n---\n\nTesto.\n",
            "content/it/cerca.md": '---\ntitle: "Cerca"\npublish_at: 2026-12-05 09:00\n---\n\nTesto.\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 1
    assert err.splitlines() == [
        "content/it/cerca.md:2: scheduled for 5 December 2026 at 09:00: the page and the search page (search_dir) "
        "of config.yaml make the same address /cerca/ — rename or move one of them: every address of the site has "
        "one owner",
        "content/it/notizie/bozza.md:5: warning: draft, not published: translation_key 'primo' is also used by "
        "content/it/notizie/primo-annuncio.md in the same language — each language has one page per key",
        "content/it/notizie/copia.md:5: warning: draft, not published: this file and "
        "content/it/notizie/primo-annuncio.md produce the same address /notizie/primo-annuncio/ — change the slug "
        "or the name of one of them",
        "1 error, 2 warnings.",
    ]
    make_site(tmp_path, {"content/it/cerca.md": '---\ntitle: "Cerca"\ndraft: true\nslug: cerca-qui\n---\n\nT.\n'})
    code, _out, err = run(capsys, *build_args())
    assert code == 0  # a draft never blocks the rest of the site
    assert len(err.splitlines()) == 2
