"""The invalidation rule of sitegen.cache, digest by digest: every input a docstring names is in
the digest (a change of it changes the digest), and what is left out is left out on purpose."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_incremental import make_site

from sitegen.cache import digests
from sitegen.content import SourceFile
from sitegen.incremental import site_digest
from sitegen.options import BuildOptions, load
from sitegen.sources import parse_digest, source_digest


class _Other:
    """A value unlike any config value (config_digest reads values through repr)."""

    def __repr__(self) -> str:
        return "<another value>"


@pytest.fixture
def config(tmp_path):
    return load(BuildOptions(config_path=make_site(tmp_path / "site") / "config.yaml"))


def test_every_config_value_is_in_the_config_digest_but_those_skipped(config):
    skip = frozenset({"output_dir", "cache_dir"})
    base = digests.config_digest(config, skip)
    for item in dataclasses.fields(config):
        changed = dataclasses.replace(config, **{item.name: _Other()})
        if item.name in skip:
            assert digests.config_digest(changed, skip) == base, item.name
        else:
            assert digests.config_digest(changed, skip) != base, item.name


def test_a_parse_depends_on_the_config_values_parsing_reads(config, monkeypatch):
    monkeypatch.delenv("SITEGEN_LANG", raising=False)
    other_language = "it" if config.messages_language == "en" else "en"
    base = parse_digest(config)
    for name, value in [("timezone", "Europe/London"), ("languages", ("it",)), ("messages_language", other_language)]:
        assert parse_digest(dataclasses.replace(config, **{name: value})) != base, name
    assert parse_digest(dataclasses.replace(config, paginate=config.paginate + 1)) == base  # read after parsing


def test_a_source_digest_covers_bytes_place_and_parse(config):
    source = SourceFile(Path("/x/content/it/a.md"), "content/it/a.md", "it/a.md", "it")
    base = source_digest("p" * 64, source, "b" * 40)
    assert source_digest("q" * 64, source, "b" * 40) != base
    assert source_digest("p" * 64, source, "c" * 40) != base
    assert source_digest("p" * 64, dataclasses.replace(source, rel="it/b.md"), "b" * 40) != base
    assert source_digest("p" * 64, dataclasses.replace(source, shown="elsewhere/it/a.md"), "b" * 40) != base
    # the absolute path is not in it: a project can move without losing its cache
    assert source_digest("p" * 64, dataclasses.replace(source, path=Path("/y/content/it/a.md")), "b" * 40) == base


def test_every_template_file_is_in_the_site_digest(config):
    base = site_digest(config, "p" * 64, {}, False)
    assert site_digest(config, "p" * 64, {}, True) != base
    assert site_digest(config, "p" * 64, {"/static/style.css": "/static/style.1.css"}, False) != base
    for template in sorted(config.templates_dir.rglob("*")):
        if template.is_file():
            original = template.read_bytes()
            template.write_bytes(original + b" ")
            assert site_digest(config, "p" * 64, {}, False) != base, template
            template.write_bytes(original)
    assert site_digest(config, "p" * 64, {}, False) == base


def test_the_generator_digest_covers_the_whole_package():
    """Every module of the package, the cache's own included (a code change invalidates the cache)."""
    package = Path(digests.__file__).resolve().parent.parent
    modules = digests._modules(str(package), "")
    assert {"build.py", "cache/codec.py", "cache/parses.py"} <= set(modules)
    assert sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")) == sorted(modules)
    assert len(digests.generator_digest()) == 64


def test_the_tag_vocabulary_is_in_the_site_digest(config):
    """tags: a page shows its tags' labels and addresses from the vocabulary in config.yaml, so a
    change of it changes every page digest (tests/test_tags.py builds it incrementally)."""
    from sitegen.tags_vocab import Tag, TagTerm, Vocabulary

    base = site_digest(config, "p" * 64, {}, False)
    tag = Tag("alfa", (("it", TagTerm("alfa", "alfa")), ("en", TagTerm("alpha", "alpha"))))
    for vocabulary in (Vocabulary((tag,), True), Vocabulary((), True)):
        assert site_digest(dataclasses.replace(config, tags=vocabulary), "p" * 64, {}, False) != base
    renamed = Tag("alfa", (("it", TagTerm("alfa", "alfa", ("a",))), ("en", TagTerm("alpha", "alpha"))))
    one = site_digest(dataclasses.replace(config, tags=Vocabulary((tag,), True)), "p" * 64, {}, False)
    assert site_digest(dataclasses.replace(config, tags=Vocabulary((renamed,), True)), "p" * 64, {}, False) != one
