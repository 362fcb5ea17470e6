"""A cold parse: with nothing cached, the main process neither stats nor reads the sources; each
worker stats and hashes the source it parses, and the stat index and parse cache it leaves
are the ones a parse that hashed in the main process left.  With something cached, sources
whose stat changed are still found by content.  (Fixture site: tests/test_incremental.py.)"""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from test_incremental import make_site

from sitegen import parallel
from sitegen.cache.files import stat_tuple
from sitegen.content import gather_sources
from sitegen.options import BuildOptions, load
from sitegen.sources import SourceParser, source_digest


def _parse(site, jobs, spy):
    config = load(BuildOptions(config_path=site / "config.yaml"))
    sources = gather_sources(config)[0]
    parser = SourceParser(config)
    original = parser._by_content

    def by_content(*args):
        found = original(*args)
        spy.append(found[1])  # the digests taken here
        return found

    parser._by_content = by_content  # type: ignore[method-assign]
    documents, problems = parser.parse(sources, jobs)
    assert problems == []
    return config, sources, parser, documents


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cold_parse_hashes_each_source_where_it_is_parsed(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    site = make_site(tmp_path / "site")
    hour_ago = (time.time_ns() - 3600 * 10**9,) * 2
    for path in (site / "content").rglob("*.md"):  # (older than the racy window: trusted next time)
        os.utime(path, ns=hour_ago)
    spy: list[dict[int, str]] = []
    config, sources, parser, documents = _parse(site, jobs, spy)
    assert spy == [{}] and parser.converted == len(sources)  # nothing read here: no lookup could hit
    expected = {
        source.rel: (
            stat_tuple(os.stat(source.path)),
            source_digest(parser.parse_digest, source, hashlib.sha1(source.path.read_bytes()).hexdigest()),
        )
        for source in sources
    }
    assert parser.index.entries == expected
    assert {doc.parsed_body.digest for doc in documents} == {digest for _stat, digest in expected.values()}
    parser.save()
    spy.clear()
    _config, _sources, again, _documents = _parse(site, jobs, spy)
    assert again.converted == 0 and spy == [{}]  # every stat as recorded: nothing to read

    touched = site / "content/it/chi-siamo.md"
    os.utime(touched)  # its stat changed, not its bytes
    spy.clear()
    _config, _sources, third, _documents = _parse(site, jobs, spy)
    assert third.converted == 0  # the touched source found by its content
    assert [sorted(sources[n].rel for n in found) for found in spy] == [["it/chi-siamo.md"]]


def test_with_no_cache_no_source_is_hashed(tmp_path):
    site = make_site(tmp_path / "site")
    config = load(BuildOptions(config_path=site / "config.yaml"))
    parser = SourceParser(config, use_cache=False)
    documents, problems = parser.parse(gather_sources(config)[0], 1)
    assert problems == [] and documents and parser.index.entries == {}
