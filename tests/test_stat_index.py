"""The stat index is stored in columns and checked when read: a bad one is a miss, never a crash.

(Fixture site: tests/test_incremental.py.)
"""

from __future__ import annotations

import json

import pytest
from test_incremental import NOW, make_site

from sitegen.build import build
from sitegen.cache.codec import Invalid
from sitegen.cache.files import encode_record, load_record
from sitegen.cache.stat_index import STAT_INDEX, StatIndex, decode_index, encode_index
from sitegen.options import BuildOptions

DIGEST = "ab" * 32
INDEX = StatIndex("cd" * 32, 5, {"it/a.md": ((1, 2, 3, 4), DIGEST), "it/b.md": ((5, 6, 7, 8), "ef" * 32)})


def test_the_index_comes_back_whole():
    stored = json.loads(json.dumps(encode_index(INDEX)))
    assert stored == ["cd" * 32, 5, ["it/a.md", "it/b.md"], [1, 2, 3, 4, 5, 6, 7, 8], [DIGEST, "ef" * 32]]
    assert decode_index(stored) == INDEX
    assert decode_index(json.loads(json.dumps(encode_index(StatIndex())))) == StatIndex()


@pytest.mark.parametrize(
    "bad",
    [
        ["cd" * 32, 5, ["it/a.md"], [1, 2, 3], [DIGEST]],  # a stat of three numbers
        ["cd" * 32, 5, ["it/a.md"], [1, 2, 3, 4], []],  # a digest missing
        ["cd" * 32, 5, ["it/a.md", "it/a.md"], [1, 2, 3, 4] * 2, [DIGEST] * 2],  # a path twice
        ["cd" * 32, 5, ["it/a.md"], [1, 2, 3, 4], ["not hex"]],
        ["cd" * 32, -1, ["it/a.md"], [1, 2, 3, 4], [DIGEST]],
        ["cd" * 32, 5, ["it/a.md"], [1, 2, "3", 4], [DIGEST]],
        ["cd" * 32, 5, ["it/a.md"], [1, 2, True, 4], [DIGEST]],
        ["cd" * 32, 5, [7], [1, 2, 3, 4], [DIGEST]],
        ["cd" * 32, 5, {"it/a.md": [[1, 2, 3, 4], DIGEST]}],  # the layout before columns
        ["cd" * 32, 5, ["it/a.md"], [1, 2, 3, 4], [DIGEST], 1],
    ],
)
def test_a_bad_index_is_refused(bad):
    with pytest.raises(Invalid):
        decode_index(bad)


def test_a_damaged_index_costs_a_reading_of_every_source_and_nothing_else(tmp_path):
    site = make_site(tmp_path / "site")
    options = BuildOptions(config_path=site / "config.yaml", output=tmp_path / "out", now=NOW)
    build(options)
    path = site / ".cache/stat-index.json"
    stored = load_record(path, STAT_INDEX, None)
    assert isinstance(stored, list) and stored[2]
    stored[3] = stored[3][:-1]  # a stat cut short, behind a valid checksum
    path.write_bytes(encode_record(STAT_INDEX, stored))
    result = build(options)
    assert any(problem.code == "cache_entry_ignored" and "stat-index" in problem.path for problem in result.warnings)
    assert result.summary.converted == 0  # the sources were read and hashed again, their parses found by content
    assert decode_index(load_record(path, STAT_INDEX, None)).entries  # and the index written whole again
