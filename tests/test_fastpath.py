"""The no-change fast path answers only when a build would change nothing.

(Fixture site: tests/test_incremental.py.)  Inputs written less than ``RACY_NS`` before a
build are trusted only by their bytes; most tests set it to 0 (stats alone), those about
recent files use the real margin.
"""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta

import pytest
from test_incremental import NOW, make_site, run

from sitegen import fastpath
from sitegen.build import build
from sitegen.errors import BuildError
from sitegen.options import BuildOptions, load


def _options(site, output, **extra):
    return BuildOptions(config_path=site / "config.yaml", output=output, now=NOW, **extra)


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setattr(fastpath, "RACY_NS", 0)
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    result = run(site, output)
    return site, output, result


def test_nothing_changed_replays_the_last_build(built):
    site, output, result = built
    answer = fastpath.try_fast(_options(site, output))
    assert answer is not None
    summary, warnings = answer
    assert summary.nothing_changed and summary.written == 0 and summary.rendered == 0
    assert summary.pages_by_kind == result.summary.pages_by_kind
    assert warnings == result.warnings


def _append(path, text="\n"):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _same_size_edit(path):
    data = path.read_bytes()
    index = data.index(b"Corpo di prova")
    path.write_bytes(data[:index] + b"X" + data[index + 1 :])


CHANGES = {
    "content edited, same size": lambda site, out: _same_size_edit(site / "content/it/notizie/n1.md"),
    "content touched": lambda site, out: os.utime(site / "content/it/notizie/n1.md"),
    "content added": lambda site, out: (site / "content/it/notizie/n9.md").write_bytes(
        (site / "content/it/notizie/n1.md").read_bytes()
    ),
    "content deleted": lambda site, out: (site / "content/it/notizie/n1.md").unlink(),
    "asset added": lambda site, out: (site / "content/it/notizie/a.pdf").write_bytes(b"%PDF"),
    "template edited": lambda site, out: _append(site / "templates/base.html"),
    "static edited": lambda site, out: _append(site / "static/style.css"),
    "config edited": lambda site, out: _append(site / "config.yaml"),
    "output page edited": lambda site, out: _append(out / "notizie/n1/index.html", "<!-- hand edit -->"),
    "output page deleted": lambda site, out: (out / "notizie/n1/index.html").unlink(),
    "record corrupt": lambda site, out: fastpath.record_path(load(_options(site, out))).write_bytes(b"garbage"),
    "record deleted": lambda site, out: fastpath.record_path(load(_options(site, out))).unlink(),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_means_a_build(built, change):
    site, output, _result = built
    CHANGES[change](site, output)
    assert fastpath.try_fast(_options(site, output)) is None


@pytest.mark.parametrize(
    "option",
    [
        {"drafts": True},
        {"strict": True},
        {"base_url": "https://example.com/"},
        {"now": NOW + timedelta(seconds=1)},
        {"cache": False},
    ],
)
def test_other_options_mean_a_build(built, option):
    site, output, _result = built
    options = dataclasses.replace(_options(site, output), **option)
    assert fastpath.try_fast(options) is None


def test_another_output_folder_means_a_build(built, tmp_path):
    site, _output, _result = built
    assert fastpath.try_fast(_options(site, tmp_path / "elsewhere")) is None


def test_a_site_that_changes_by_itself_is_built_again(built):
    """A scheduled item goes live (or one expires) at the record's valid_until."""
    site, output, _result = built
    path = fastpath.record_path(load(_options(site, output)))
    record = fastpath.read_record(path)
    fastpath.write_record(path, dataclasses.replace(record, valid_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert fastpath.try_fast(dataclasses.replace(_options(site, output), now=None)) is None
    # the same record, valid for a while longer: trusted (now=None is also what the build saw)
    build(dataclasses.replace(_options(site, output), now=None))
    record = fastpath.read_record(path)
    fastpath.write_record(path, dataclasses.replace(record, valid_until=datetime.now(UTC) + timedelta(hours=1)))
    assert fastpath.try_fast(dataclasses.replace(_options(site, output), now=None)) is not None


def test_inputs_changed_just_before_the_build_are_compared_by_content(tmp_path):
    """With the real margin, a site written a moment ago has its recent files hashed: the same
    bytes are no change, a same-size edit is one."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    fast, taken = fastpath.check_fast(_options(site, output))
    assert fast is None and taken is not None and taken.racy  # every file was just written
    build(_options(site, output), fingerprint=taken)
    assert fastpath.try_fast(_options(site, output)) is not None
    _same_size_edit(site / "content/it/notizie/n1.md")
    assert fastpath.try_fast(_options(site, output)) is None


def test_a_recent_file_rewritten_with_the_same_stat_is_not_trusted(tmp_path):
    """A write in the same clock tick keeps size and times: only the bytes tell (git's racily
    clean files).  The stat cannot be kept by hand here, so the rule is asked directly."""
    site = make_site(tmp_path / "site")
    config = load(_options(site, tmp_path / "out"))
    taken = fastpath.fingerprint(config, _options(site, tmp_path / "out"))
    source = site / "content/it/notizie/n1.md"
    assert str(source) in dict(taken.racy)
    assert fastpath._trusted(taken, config)
    original = source.read_bytes()
    _same_size_edit(source)
    assert not fastpath._trusted(taken, config)
    source.write_bytes(original)
    assert fastpath._trusted(taken, config)
    source.unlink()
    assert not fastpath._trusted(taken, config)
    older = dataclasses.replace(taken, newest_ns=taken.taken_ns - fastpath.RACY_NS - 1)
    assert fastpath._trusted(older, config)  # nothing recent: the stats alone vouch
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not an input", encoding="utf-8")
    foreign = dataclasses.replace(taken, racy=((str(outside), fastpath._contents([str(outside)])[0]),))
    assert not fastpath._trusted(foreign, config)  # a record naming a file that is no input: not opened


def test_a_recent_fifo_is_never_opened_for_reading(tmp_path):
    """A FIFO in content/ would block a plain open(): the fingerprint does not trust it, and
    the build reports it (file_not_regular)."""
    site = make_site(tmp_path / "site")
    os.mkfifo(site / "content/it/notizie/pipe.md")
    taken = fastpath.fingerprint(load(_options(site, tmp_path / "out")), _options(site, tmp_path / "out"))
    assert taken.newest_ns >= fastpath._UNTRUSTED


def test_a_failed_build_leaves_no_record(built):
    site, output, _result = built
    path = fastpath.record_path(load(_options(site, output)))
    assert path.exists()
    (site / "content/it/notizie/n1.md").write_text("---\ntitle: [\n---\n\nTesto.\n", encoding="utf-8")
    with pytest.raises(BuildError):
        run(site, output)
    assert not path.exists()
