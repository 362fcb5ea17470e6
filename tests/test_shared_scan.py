"""One walk of content/ per build: the parse takes the sources' stats from the fingerprint.

The CLI's no-change check stats every input (:func:`sitegen.fastpath.fingerprint`); the build
that follows records that fingerprint, and its parse compares the sources' stats the
fingerprint saw with the stat index instead of asking for each again.  Those stats are of the
moment the fingerprint was taken: a file changed after it is seen by the next build (never a
stale site).  (Fixture site: tests/test_incremental.py.)
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

import pytest
from test_incremental import NOW, assert_same_as_clean_build, make_site, run, run_command

from sitegen import fastpath, sources
from sitegen.build import build
from sitegen.cache.codec import NOT_STORED, decode, encode
from sitegen.options import BuildOptions, load


@dataclass(frozen=True)
class _WithLocal:
    name: str
    local: dict[str, int] = field(default_factory=dict, compare=False, metadata=NOT_STORED)


@dataclass(frozen=True)
class _LocalFirst:
    local: int = field(default=0, metadata=NOT_STORED)
    name: str = ""


def test_a_field_not_stored_is_left_out_and_read_back_as_its_default():
    value = _WithLocal("a", {"x": 1})
    assert encode(_WithLocal, value) == ["a"]
    assert decode(_WithLocal, ["a"]).local == {}
    with pytest.raises(TypeError):  # a stored field after one that is not: refused when the codec is made
        encode(_LocalFirst, _LocalFirst(1, "a"))


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(fastpath, "RACY_NS", 0)  # stats alone vouch for the files (see test_fastpath)
    monkeypatch.setattr(sources, "RACY_NS", 0)
    return make_site(tmp_path / "site")


def _options(site, output):
    return BuildOptions(config_path=site / "config.yaml", output=output, now=NOW)


def test_the_fingerprint_sees_every_source_and_its_record_keeps_none_of_it(site, tmp_path):
    options = _options(site, tmp_path / "out")
    config = load(options)
    taken = fastpath.fingerprint(config, options)
    source = site / "content/it/notizie/n1.md"
    assert taken.seen[str(source)] == sources.stat_tuple(source.stat())
    assert all(path.startswith(str(config.content_dir)) for path in taken.seen)  # templates, static: not parsed
    run_command(site, tmp_path / "out")
    record = fastpath.record_path(config).read_bytes()
    assert str(source).encode() not in record
    stored = json.loads(record.split(b"\n", 1)[1])[0]  # the record's fingerprint: every field but ``seen``
    assert len(stored) == len(dataclasses.fields(fastpath.Fingerprint)) - 1


def test_a_build_with_a_fingerprint_stats_only_what_changed(site, tmp_path, monkeypatch):
    output = tmp_path / "out"
    run(site, output)
    (site / "content/it/notizie/n1.md").write_text(
        (site / "content/it/notizie/n1.md").read_text(encoding="utf-8") + "\nAggiunto.\n", encoding="utf-8"
    )
    asked: list[object] = []
    real = sources.stat_tuple
    monkeypatch.setattr(sources, "stat_tuple", lambda st: asked.append(st) or real(st))
    fast, taken = fastpath.check_fast(_options(site, output))
    assert fast is None and taken is not None
    build(_options(site, output), fingerprint=taken)
    assert len(asked) == 1  # the edited source, read again; the others' stats came from the fingerprint


def test_a_source_changed_after_the_fingerprint_is_built_by_the_next_build(site, tmp_path):
    output, clean = tmp_path / "out", tmp_path / "clean"
    run(site, output)
    options = _options(site, output)
    taken = fastpath.fingerprint(load(options), options)
    source = site / "content/it/notizie/n1.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nScritto dopo l'impronta.\n", encoding="utf-8")
    build(options, fingerprint=taken)  # its parse sees the stats of the fingerprint's moment
    run_command(site, output)
    assert "Scritto dopo" in next(output.rglob("n1/index.html")).read_text(encoding="utf-8")
    assert_same_as_clean_build(site, output, clean)
