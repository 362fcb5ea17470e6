"""One publishing rule: drafts, scheduled and expired items leave no trace in the output.

Dates without an offset are local time of the configured ``timezone`` (Europe/Rome), so
the moment an item goes live does not depend on the zone of the machine that builds.
"""

from __future__ import annotations

import pytest
from editor_site import NOW, build_args, make_site, run

HIDDEN = {
    "draft": (
        'title: "Zafferano bozza segreta"\ndate: 2026-11-21\ndraft: true\ntags: [zafferano-draft]\n',
        "zafferano-bozza",
    ),
    "scheduled": (
        'title: "Zafferano programmata segreta"\ndate: 2026-12-24 10:00\ntags: [zafferano-futuro]\n',
        "zafferano-futura",
    ),
    "publish_at": (
        'title: "Zafferano publish_at segreta"\ndate: 2026-11-10\npublish_at: 2026-12-02 08:00\ntags: [zafferano-pa]\n',
        "zafferano-pa",
    ),
    "expired": (
        'title: "Zafferano scaduta segreta"\ndate: 2026-11-01\nexpires_at: 2026-11-30\ntags: [zafferano-scaduta]\n',
        "zafferano-scaduta",
    ),
}


def _hidden_file(kind: str) -> dict[str, str]:
    front, slug = HIDDEN[kind]
    return {f"content/it/notizie/{slug}.md": f"---\n{front}---\n\nTesto segreto di prova.\n"}


@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_hidden_item_leaves_no_trace_anywhere(kind, tmp_path, monkeypatch, capsys):
    """Pages, listings, tags, feeds, sitemap, prev/next, home: grep every output file."""
    make_site(tmp_path, _hidden_file(kind))
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    slug = HIDDEN[kind][1]
    outputs = [p for p in (tmp_path / "public").rglob("*") if p.is_file()]
    assert len(outputs) > 10
    for path in outputs:
        text = path.read_bytes().decode("utf-8", "replace")
        for needle in ("Zafferano", "zafferano", slug, "segret"):
            assert needle not in text, f"{needle!r} found in {path.relative_to(tmp_path)}"
    assert "primo-annuncio" in (tmp_path / "public/feed.xml").read_text()  # the live item is there


@pytest.mark.parametrize("kind", sorted(HIDDEN))
def test_same_item_is_everywhere_once_live(kind, tmp_path, monkeypatch, capsys):
    """The control for the test above: with a later --now (or --drafts) the item shows up in every output."""
    make_site(tmp_path, _hidden_file(kind))
    monkeypatch.chdir(tmp_path)
    now = {
        "draft": NOW,
        "scheduled": "2026-12-24T10:00:00+01:00",
        "publish_at": "2026-12-02T08:00:00+01:00",
        "expired": "2026-11-29T23:59:00+01:00",
    }[kind]
    extra = ["--drafts"] if kind == "draft" else []
    code, _out, err = run(capsys, "build", "--config", "config.yaml", "--output", "public", "--now", now, *extra)
    assert code == 0, err
    slug = HIDDEN[kind][1]
    public = tmp_path / "public"
    assert (public / "notizie" / slug / "index.html").is_file()
    for listing in ("notizie/index.html", "index.html", "feed.xml", "sitemap.xml"):
        assert slug in (public / listing).read_text(encoding="utf-8"), listing
    assert "zafferano" in (public / "tag/index.html").read_text(encoding="utf-8")
    assert "Zafferano" in (public / "notizie/primo-annuncio/index.html").read_text(encoding="utf-8")  # prev/next
    banner = "Bozza: questa pagina non è pubblicata"
    assert (banner in (public / "notizie" / slug / "index.html").read_text(encoding="utf-8")) == (kind == "draft")


@pytest.mark.parametrize(
    "zone, now, live",
    [
        ("Europe/Rome", "2026-12-01T08:29:00+00:00", False),  # 09:29 in Rome
        ("Europe/Rome", "2026-12-01T08:30:00+00:00", True),  # 09:30 in Rome
        ("UTC", "2026-12-01T09:29:00+00:00", False),
        ("UTC", "2026-12-01T09:30:00+00:00", True),
        ("Europe/Rome", "2026-07-01T07:30:00+00:00", True),  # summer time: 09:30 CEST
    ],
)
def test_date_without_offset_is_site_local_time(zone, now, live, tmp_path, monkeypatch, capsys):
    date = "2026-07-01 09:30" if now.startswith("2026-07") else "2026-12-01 09:30"
    make_site(
        tmp_path, {"content/it/notizie/alle-nove.md": f'---\ntitle: "Alle nove e mezza"\ndate: {date}\n---\n\nTesto.\n'}
    )
    config = tmp_path / "config.yaml"
    config.write_text(config.read_text().replace("timezone: Europe/Rome", f"timezone: {zone}"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "America/Los_Angeles")  # the machine's zone must not matter
    code, _out, err = run(capsys, "build", "--config", "config.yaml", "--output", "public", "--now", now)
    assert code == 0, err
    assert (tmp_path / "public/notizie/alle-nove/index.html").is_file() == live


def test_explicit_offset_wins_over_the_site_zone(tmp_path, monkeypatch, capsys):
    make_site(
        tmp_path, {"content/it/notizie/utc.md": '---\ntitle: "Ora UTC"\ndate: 2026-12-01T09:30:00Z\n---\n\nTesto.\n'}
    )
    monkeypatch.chdir(tmp_path)
    code, _out, _err = run(
        capsys, "build", "--config", "config.yaml", "--output", "public", "--now", "2026-12-01T10:29:00+01:00"
    )
    assert code == 0 and not (tmp_path / "public/notizie/utc/index.html").exists()
    code, _out, _err = run(
        capsys, "build", "--config", "config.yaml", "--output", "public", "--now", "2026-12-01T10:30:00+01:00"
    )
    assert code == 0 and (tmp_path / "public/notizie/utc/index.html").is_file()


def test_build_log_lists_what_was_skipped_and_the_next_go_live(tmp_path, monkeypatch, capsys):
    files = {}
    for kind in HIDDEN:
        files.update(_hidden_file(kind))
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, _err = run(capsys, *build_args())
    assert code == 0
    assert out.splitlines()[-1] == "Nessun errore."  # after the empty config fields' one line
    assert out.splitlines()[1:-2] == [
        "Esclusi dalla build:",
        "  content/it/notizie/zafferano-bozza.md: bozza",
        "  content/it/notizie/zafferano-futura.md: programmata per 2026-12-24T10:00:00+01:00",
        "  content/it/notizie/zafferano-pa.md: programmata per 2026-12-02T08:00:00+01:00",
        "  content/it/notizie/zafferano-scaduta.md: scaduta",
        "Prossima pubblicazione programmata: 2026-12-02T08:00:00+01:00",
    ]
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, out, _err = run(capsys, *build_args())
    assert out.splitlines()[-1] == "No errors."
    assert out.splitlines()[1:-2] == [
        "Left out of the build:",
        "  content/it/notizie/zafferano-bozza.md: draft",
        "  content/it/notizie/zafferano-futura.md: scheduled for 2026-12-24T10:00:00+01:00",
        "  content/it/notizie/zafferano-pa.md: scheduled for 2026-12-02T08:00:00+01:00",
        "  content/it/notizie/zafferano-scaduta.md: expired",
        "Next scheduled go-live: 2026-12-02T08:00:00+01:00",
    ]


def test_hidden_translation_is_not_a_counterpart(tmp_path, monkeypatch, capsys):
    """A draft translation: the live original gets no hreflang to it, and a warning says it is missing."""
    files = {
        "content/it/notizie/originale.md": '---\ntitle: "Originale"\ndate: 2026-11-22\ntranslation_key: orig\n---\n\nTesto.\n',
        "content/en/news/original.md": '---\ntitle: "Original"\ndate: 2026-11-22\ntranslation_key: orig\ndraft: true\n---\n\nText.\n',
    }
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    code, _out, err = run(capsys, *build_args())
    assert code == 0
    assert err.splitlines() == [
        "content/it/notizie/originale.md:4: warning: translation 'orig' has no page in en — "
        "create the translation or remove translation_key"
    ]
    html = (tmp_path / "public/notizie/originale/index.html").read_text(encoding="utf-8")
    assert "/en/news/original/" not in html
