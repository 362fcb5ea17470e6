"""Unit tests of the pure functions of each stage."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen import urls
from sitegen.frontmatter import load_yaml, normalise_text, parse_when, split_front_matter, validate_meta
from sitegen.markdown_render import Reference, convert, resolve_references
from sitegen.structured_data import dumps_for_script

ROME = ZoneInfo("Europe/Rome")


def find_references(body_html: str) -> list[Reference]:
    """The references resolve_references sees, in document order (it calls back once for each)."""
    found: list[Reference] = []
    resolve_references(body_html, lambda ref: found.append(ref))
    return found


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Perché l'IOM è qui", "perche-l-iom-e-qui"),
        ("  Sanità digitale  ", "sanita-digitale"),
        ("Big & Open Data", "big-open-data"),
        ("ÀÉÎÕÜ çñ", "aeiou-cn"),
        ("!!!", ""),
    ],
)
def test_slugify_folds_accents_and_punctuation(text, slug):
    assert urls.slugify(text) == slug


def test_links_get_the_deploy_prefix_and_absolute_urls_the_host():
    assert urls.href("/rete/", "/") == "/rete/"
    assert urls.href("/rete/", "/ilsh/") == "/ilsh/rete/"
    assert urls.absolute("/en/news/", "https://example.org/ilsh/") == "https://example.org/ilsh/en/news/"
    assert urls.output_file("/") == "index.html"
    assert urls.output_file("/en/404.html") == "en/404.html"
    assert urls.normalise_site_path("/a/../b/./c/") == "/b/c/"
    assert urls.normalise_site_path("/../etc/passwd") is None


def test_dates_without_offset_are_rome_time_and_offsets_are_kept():
    assert parse_when("2026-11-26", ROME) == datetime(2026, 11, 26, tzinfo=ROME)
    assert parse_when("2026-07-01 09:30", ROME).utcoffset() == timedelta(hours=2)
    assert parse_when("2026-11-26T09:30:00Z", ROME).utcoffset() == timedelta(0)
    assert parse_when("2026-11-26T09:30:00+05:00", ROME).utcoffset() == timedelta(hours=5)
    for bad in ("2026-02-30", "26/11/2026", "domani", 20261126, None, "2026-13-01"):
        assert parse_when(bad, ROME) is None


def test_front_matter_split_reports_missing_and_unclosed_delimiters():
    split, problems = split_front_matter("---\ntitle: x\n---\nbody\n", "a.md")
    assert split.front_matter == "title: x" and split.body == "body\n" and split.body_line == 4 and not problems
    assert split_front_matter("title: x\n", "a.md")[1][0].code == "fm_missing"
    assert split_front_matter("---\ntitle: x\n", "a.md")[1][0].code == "fm_not_closed"
    assert split_front_matter("  \n", "a.md")[1][0].code == "file_empty"


def test_bom_and_old_line_endings_are_normalised():
    assert normalise_text("\ufeff---\r\ntitle: x\r---\n") == "---\ntitle: x\n---\n"


def test_yaml_refuses_tags_and_aliases_and_names_the_line():
    data, problems = load_yaml("title: ok\nx: !!python/object:os.system ls", "a.md")
    assert data is None and problems[0].code == "fm_yaml_tag" and problems[0].line == 3
    data, problems = load_yaml("a: &x [1]\nb: [*x, *x]", "a.md")
    assert data is None and problems[0].code == "fm_yaml_alias" and problems[0].line == 2
    data, problems = load_yaml("title: Titolo: sottotitolo", "a.md")
    assert data is None and problems[0].code == "fm_yaml_colon" and problems[0].line == 2
    assert problems[0].params == {"key": "title", "value": "Titolo: sottotitolo"}
    data, problems = load_yaml("title: ok\ntags: [a, b\n", "a.md")
    assert data is None and problems[0].code == "fm_yaml"


def _validate(front: str):
    data, problems = load_yaml(front, "a.md")
    assert not problems
    return validate_meta(data, front, "a.md", ROME, ("it", "en"), "en")


def test_validation_reports_every_field_problem_with_its_line():
    meta, problems = _validate('title: ""\ndata: 2026-01-01\ntags: ricerca\ndate: 26/11/2026\nslug: "a/b"\nlang: fr')
    assert meta is None
    found = {(p.code, p.line) for p in problems}
    assert found == {
        ("fm_empty_title", 2),
        ("fm_unknown_key", 3),
        ("fm_wrong_type", 4),
        ("fm_bad_date", 5),
        ("fm_bad_slug", 6),
        ("fm_bad_language", 7),
    }
    unknown = next(p for p in problems if p.code == "fm_unknown_key")
    assert "did you mean 'date'" in unknown.format("en")


def test_valid_front_matter_becomes_meta():
    meta, problems = _validate("title: Ciao\ndate: 2026-11-26\ntags: [a, b, a]\ndraft: true\nmenu: 2")
    assert not problems
    assert meta.title == "Ciao" and meta.tags == ("a", "b") and meta.draft and meta.menu == 2
    assert meta.date == datetime(2026, 11, 26, tzinfo=ROME)


def test_markdown_has_the_extensions_an_editor_expects():
    out = convert(
        '## Perché sì\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNota[^1] "citata" {: .x }\n\n[^1]: testo', "it"
    ).html
    assert '<h2 id="perche-si">' in out and "<table>" in out and 'class="footnote"' in out
    assert "“citata”" in out and "Torna al richiamo 1 nel testo" in out


def test_references_are_found_and_rewritten():
    body = '<p><a href="/rete/">x</a> <img alt="a" src="foto.jpg"></p>'
    assert [r.url for r in find_references(body)] == ["/rete/", "foto.jpg"]
    rewritten = resolve_references(body, lambda ref: "/ilsh" + ref.url if ref.url.startswith("/") else None)
    assert '<a href="/ilsh/rete/">' in rewritten and 'src="foto.jpg"' in rewritten


def test_json_for_script_cannot_close_the_script_element():
    text = dumps_for_script({"headline": "</script><script>alert(1)</script> & more"})
    assert "</script>" not in text and "<" not in text and "&" not in text
    assert '"\\u003c/script\\u003e' in text


def test_yaml_errors_read_in_italian_in_italian_messages():
    data, problems = load_yaml('title: "aperto\ndate: 2026-01-01', "a.md")
    assert data is None
    italian = problems[0].format("it")
    assert "leggendo un testo tra virgolette" in italian and "while scanning" not in italian
    assert "while scanning a quoted scalar" in problems[0].format("en")


def test_guided_chunks_keep_order_and_shrink_towards_the_end():
    from sitegen.parallel import guided_chunks

    items = list(range(1001))
    chunks = guided_chunks(items, 2)
    assert [item for chunk in chunks for item in chunk] == items
    sizes = [len(chunk) for chunk in chunks]
    assert sizes[0] == 64 and max(sizes) == 64
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-2] == 4  # the last ones are small (the very last holds what is left)
    assert guided_chunks([], 2) == [] and guided_chunks([1, 2, 3], 4) == [[1, 2, 3]]
