"""The body store: cached documents carry no body; bodies are read on demand from a few pack
files, checked, rebuilt when damaged, and removed with their source.  (Fixture site:
tests/test_incremental.py.)"""

from __future__ import annotations

import pytest
from test_incremental import assert_same_as_clean_build, make_site, run

from sitegen import parallel
from sitegen.cache.packs import StoredBody
from sitegen.content import ParsedBody, gather_sources, parse_document
from sitegen.errors import BuildError
from sitegen.options import BuildOptions, load
from sitegen.sources import SourceParser


def _parse(site, jobs=1):
    config = load(BuildOptions(config_path=site / "config.yaml"))
    sources = gather_sources(config)[0]
    parser = SourceParser(config)
    documents, problems = parser.parse(sources, jobs)
    return config, parser, documents, problems


def _packs(site):
    return sorted((site / ".cache/parsed").glob("*.pack"))


def _places(site):
    """Every cached document's body place, by source path."""
    _config, _parser, documents, _problems = _parse(site)
    return {doc.source.rel: doc.parsed_body.place for doc in documents}


@pytest.mark.parametrize("jobs", [1, 2])
def test_parsed_documents_leave_their_bodies_in_the_store(tmp_path, monkeypatch, jobs):
    """Converted in this process or in forked workers, a cached document comes back without its
    body, which reads back equal to a fresh parse's."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    site = make_site(tmp_path / "site", news=6)
    config, parser, documents, problems = _parse(site, jobs)
    assert problems == []
    assert documents and all(isinstance(doc.parsed_body, StoredBody) for doc in documents)
    assert len({doc.parsed_body.place for doc in documents}) == len(documents)
    # one pack per process that converted: O(workers), not O(documents)
    assert 1 <= len(_packs(site)) <= jobs
    assert {doc.parsed_body.place[0] + ".pack" for doc in documents} == {p.name for p in _packs(site)}
    for doc in documents:
        fresh, _ = parse_document(doc.source, config)
        assert isinstance(fresh.parsed_body, ParsedBody)
        assert (doc.markdown, doc.converted, doc.toc) == (fresh.markdown, fresh.converted, fresh.toc)
        assert doc == fresh  # the body's place does not make two documents different


def bodies_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source paths of the documents whose stored body is read from now on, in order."""
    read: list[str] = []
    original = StoredBody.load

    def counting(self: StoredBody, doc: object) -> object:
        read.append(doc.source.rel)  # type: ignore[attr-defined]  # a Document
        return original(self, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(StoredBody, "load", counting)
    return read


def test_a_build_from_the_cache_reads_no_body_it_does_not_render(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    read = bodies_read(monkeypatch)
    target = site / "content/it/notizie/n1.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nUn paragrafo in più.\n", encoding="utf-8")
    result = run(site, output, jobs=1)
    assert result.summary.rendered == 1
    # only the edited item's page is rendered (its body was just stored by its parse)
    assert set(read) == {"it/notizie/n1.md"}


@pytest.mark.parametrize("damage", ["delete", "truncate", "flip", "garbage"])
def test_a_missing_or_corrupt_body_is_made_again_from_its_source(tmp_path, damage):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    for path in _packs(site):
        data = path.read_bytes()
        if damage == "delete":
            path.unlink()
        elif damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
        else:
            path.write_bytes(b"not a cache file at all")
    # a template edit renders every page again, from the (damaged) stored bodies
    template = site / "templates/news_item.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- changed -->\n", encoding="utf-8")
    result = run(site, output, jobs=1)
    assert result.summary.converted == 0  # the documents themselves still come from the cache
    assert_same_as_clean_build(site, output, tmp_path / "clean")
    _config, _parser, documents, _problems = _parse(site)
    for doc in documents:  # stored again, intact
        assert doc.parsed_body.store._read(doc.parsed_body.digest, doc.parsed_body.place) is not None


def test_a_body_whose_source_changed_since_planning_is_an_error(tmp_path):
    """The page would mix the planned front matter with another text: the build says so."""
    site = make_site(tmp_path / "site")
    run(site, tmp_path / "out")
    _config, _parser, documents, _problems = _parse(site)
    doc = next(d for d in documents if d.source.rel == "it/notizie/n2.md")
    for pack in _packs(site):
        pack.unlink()
    doc.source.path.write_text(doc.source.path.read_text(encoding="utf-8") + "\nAltro.\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        _ = doc.converted
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("file_changed_during_build", "content/it/notizie/n2.md")
    ]


def test_removed_and_edited_sources_leave_no_body_behind(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    sources = len(list((site / "content").rglob("*.md")))
    before = _places(site)
    assert len(before) == sources
    (site / "content/it/notizie/n0.md").unlink()
    target = site / "content/it/notizie/n1.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nAltro.\n", encoding="utf-8")
    (site / ".cache/parsed/.stray.123.tmp").write_bytes(b"another build writing")
    (site / ".cache/parsed" / ("0" * 64 + ".json")).write_bytes(b"a body of the one-file-per-body layout")
    run(site, output)
    after = _places(site)
    assert set(after) == set(before) - {"it/notizie/n0.md"}
    assert after["it/notizie/n1.md"][0] not in {place[0] for place in before.values()}  # a new small pack
    assert {p.name for p in _packs(site)} == {place[0] + ".pack" for place in after.values()}
    assert sorted(p.name for p in (site / ".cache/parsed").iterdir() if not p.name.endswith(".pack")) == [
        ".stray.123.tmp"  # never another build's file in progress
    ]
