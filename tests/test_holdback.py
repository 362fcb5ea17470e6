"""A content file that only drafts and scheduled items use is held back until one of them is live.

A picture placed next to a scheduled item would announce it if it were published before the
item: it is left out of the output (with its variants, and anything else made from it) until
the item goes live.  Files nobody links to, or that a live page uses, are published as ever.
Fixture data: invented filler.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from editor_site import NOW, build_args, jpeg_bytes, make_site, run

from sitegen.build import BuildOptions, build

FUTURE = "content/it/notizie/futura.md"
LATER = "2026-12-05T10:00:00+01:00"  # an hour after the item's time
SCHEDULED_FILES: dict[str, str | bytes] = {
    FUTURE: (
        '---\ntitle: "Annuncio futuro"\ndate: 2026-11-20\npublish_at: 2026-12-05 09:00\nimage: copertina-futura.jpg\n'
        'image_alt: "Una copertina"\n---\n\n'
        "Il [programma](programma-futuro.pdf) e la [mappa](/notizie/mappa-futura.pdf).\n\n"
        "![Una foto di prova](foto-futura.jpg)\n"
    ),
    "content/it/notizie/foto-futura.jpg": jpeg_bytes(1200, 800),
    "content/it/notizie/copertina-futura.jpg": jpeg_bytes(600, 400),
    "content/it/notizie/programma-futuro.pdf": b"%PDF-1.4 programma di prova\n",
    "content/it/notizie/mappa-futura.pdf": b"%PDF-1.4 mappa di prova\n",
    "content/it/notizie/nessuno.pdf": b"%PDF-1.4 un file che nessuno cita\n",
}
HELD = ("foto-futura", "copertina-futura", "programma-futuro", "mappa-futura")


def every_output_byte(folder: Path) -> bytes:
    return b"\n".join(
        p.relative_to(folder).as_posix().encode() + b"\n" + p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )


def names(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_scheduled_items_files_wait_for_it_and_appear_when_it_goes_live(tmp_path, monkeypatch, capsys):
    make_site(tmp_path, SCHEDULED_FILES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert (code, err) == (0, "")  # (the item's links to its own files are not broken: they will be there)
    public = tmp_path / "public"
    site = every_output_byte(public)
    for trace in (*HELD, "futur"):
        assert trace.encode() not in site, trace
    assert [name for name in names(public) if "futur" in name] == []
    assert "notizie/nessuno.pdf" in names(public)  # a file nobody cites is published as before

    code, _out, err = run(capsys, *build_args()[:-1], LATER)  # the same output folder and cache: incremental
    assert (code, err) == (0, "")
    published = names(public)
    for name in ("foto-futura.jpg", "copertina-futura.jpg", "programma-futuro.pdf", "mappa-futura.pdf"):
        assert f"notizie/{name}" in published, name
    assert any(name.startswith("static/images/foto-futura-") for name in published)  # and its variants
    page = (public / "notizie/futura/index.html").read_text(encoding="utf-8")
    assert "foto-futura" in page


def test_a_drafts_file_appears_when_the_draft_is_published(tmp_path, monkeypatch, capsys):
    draft = '---\ntitle: "Bozza"\ndate: 2026-11-21\ndraft: true\n---\n\n![Una foto di prova](foto-bozza.jpg)\n'
    make_site(tmp_path, {"content/it/notizie/bozza.md": draft, "content/it/notizie/foto-bozza.jpg": jpeg_bytes(40, 30)})
    monkeypatch.chdir(tmp_path)
    assert run(capsys, *build_args())[0] == 0
    assert [name for name in names(tmp_path / "public") if "bozza" in name] == []
    make_site(tmp_path, {"content/it/notizie/bozza.md": draft.replace("draft: true", "draft: false")})
    assert run(capsys, *build_args())[0] == 0
    assert "notizie/foto-bozza.jpg" in names(tmp_path / "public")


def test_a_file_a_live_page_uses_too_is_published(tmp_path, monkeypatch, capsys):
    files: dict[str, str | bytes] = {
        "content/it/notizie/bozza.md": (
            '---\ntitle: "Bozza"\ndate: 2026-11-21\ndraft: true\nimage: copertina.jpg\nimage_alt: "Una copertina"\n---\n\n'
            "![Una foto di prova](condivisa.jpg)\n"
        ),
        "content/it/notizie/condivisa.jpg": jpeg_bytes(40, 30),
        "content/it/notizie/copertina.jpg": jpeg_bytes(600, 400),
        "content/it/notizie/altro.md": (
            '---\ntitle: "Altro"\ndate: 2026-11-19\nimage: copertina.jpg\nimage_alt: "Una copertina"\n---\n\n'
            "La [foto](condivisa.jpg).\n"
        ),
    }
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert (code, err) == (0, "")
    published = names(tmp_path / "public")
    assert "notizie/condivisa.jpg" in published  # linked by a live page
    assert "notizie/copertina.jpg" in published  # the image: of a live page


def test_the_preview_publishes_the_items_files(tmp_path, monkeypatch):
    make_site(tmp_path, SCHEDULED_FILES)
    monkeypatch.chdir(tmp_path)
    options = BuildOptions(now=datetime.fromisoformat(NOW), drafts=True, output=tmp_path / "preview")
    build(options)
    published = names(tmp_path / "preview")
    for name in ("foto-futura.jpg", "copertina-futura.jpg", "programma-futuro.pdf", "mappa-futura.pdf"):
        assert f"notizie/{name}" in published, name
