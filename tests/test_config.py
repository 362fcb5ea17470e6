"""config.yaml: validated once, every problem reported by key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import BuildError

MINIMAL = 'base_url: "https://example.org/"\nsite_name: {it: Sito, en: Site}\n'


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working folder
    (tmp_path / "content").mkdir()  # a config naming no content or templates folder is refused (15.8)
    (tmp_path / "templates").mkdir()


def problems_of(tmp_path: Path, text: str, lang: str = "en"):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_config(path)
    return [p.format(lang) for p in caught.value.problems]


def test_minimal_config_gets_defaults(tmp_path):
    (tmp_path / "config.yaml").write_text(MINIMAL, encoding="utf-8")
    config = load_config(tmp_path / "config.yaml")
    assert config.languages == ("it", "en") and config.timezone == "Europe/Rome" and config.paginate == 10
    assert config.output_dir == tmp_path / "public" and config.base_path == "/"
    assert "organization.email" in config.empty_fields


def test_every_bad_or_unknown_key_is_reported_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_LANG", "en")
    lines = problems_of(tmp_path, MINIMAL + "paginate: many\nbase_urll: x\norganization:\n  emial: a@b\n")
    assert lines == [
        "config.yaml:3: the key 'paginate' must be a whole number, not a text — fix the value after 'paginate:'",
        "config.yaml:4: unknown key 'base_urll' (did you mean 'base_url'?) — the allowed keys are: "
        "accessibility, base_url, cache_dir, content_dir, home_news, languages, messages_language, network, "
        "news_dir, organization, output_dir, paginate, privacy, search, search_dir, site_name, static_dir, tags, tags_dir, templates_dir, timezone",
        "config.yaml:6: unknown key 'organization.emial' (did you mean 'email'?) — the allowed keys are: "
        "address, email, legal_name, name, pec, phone, short_name, url, vat_number",
    ]


def test_base_url_needs_a_scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_LANG", "it")
    lines = problems_of(tmp_path, 'base_url: "example.org"\nsite_name: {it: Sito, en: Site}\n', "it")
    assert lines == [
        "config.yaml:1: 'base_url' = 'example.org' non è un indirizzo completo — scrivilo con lo schema, "
        "per esempio https://example.org/ o https://example.org/ilsh/"
    ]


@pytest.mark.parametrize("output", [".", "content", "templates/..", "static"])
def test_output_folder_may_not_be_or_hold_a_source(tmp_path, output):
    lines = problems_of(tmp_path, MINIMAL + f"output_dir: {output!r}\n")
    assert lines and all("the output folder" in line for line in lines)


def test_invalid_yaml_names_the_line(tmp_path):
    lines = problems_of(tmp_path, MINIMAL + "timezone: [Europe/Rome\n")
    assert lines[0].startswith("config.yaml:4: config.yaml is not valid YAML")
