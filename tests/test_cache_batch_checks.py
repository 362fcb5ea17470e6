"""The batched checks of cache values say exactly what the one-by-one checks say.

:func:`sitegen.cache.checks.relative_files` and :func:`~sitegen.cache.checks.digests` check
thousands of values with a few string operations; a value the single check refuses must be
refused by the batch (with the single check's message), and nothing else.
"""

from __future__ import annotations

import itertools
import json

import pytest
from test_incremental import NOW, make_site

from sitegen.build import build
from sitegen.cache import checks
from sitegen.cache.codec import Invalid
from sitegen.incremental import load_manifest, manifest_path
from sitegen.options import BuildOptions, load

SEGMENTS = ["", ".", "..", "a", "b.html", ".well-known", "..a", "a..", "x\\y", "n\0l", "è", " ", "a.b"]


def _paths() -> list[str]:
    """Every path of up to three segments drawn from SEGMENTS, with and without a leading slash."""
    found = [""]
    for size in (1, 2, 3):
        for parts in itertools.product(SEGMENTS, repeat=size):
            path = "/".join(parts)
            found += [path, "/" + path, path + "/"]
    return found


def _single_accepts(check, value, *args) -> bool:
    try:
        check(value, *args)
    except Invalid:
        return False
    return True


def _batch_accepts(check, values, *args) -> bool:
    try:
        check(values, *args)
    except Invalid:
        return False
    return True


def test_relative_files_accepts_a_path_exactly_when_relative_file_does():
    paths = _paths()
    good = [path for path in paths if _single_accepts(checks.relative_file, path)]
    assert good and len(good) < len(paths)
    assert _batch_accepts(checks.relative_files, good)
    assert _batch_accepts(checks.relative_files, [])
    for path in paths:
        assert _batch_accepts(checks.relative_files, [*good, path]) == (path in good), repr(path)


def test_relative_files_names_the_path_it_refuses():
    with pytest.raises(Invalid, match="notizie/../../etc"):
        checks.relative_files(["index.html", "notizie/../../etc", "a/index.html"])


@pytest.mark.parametrize(
    "value",
    ["a" * 63, "a" * 65, "A" * 64, "g" * 64, "é" * 64, "0" * 63 + " ", "0" * 63 + "\0", "", "٣" * 64],
)
def test_digests_refuses_what_digest_refuses(value):
    good = ["0123456789abcdef" * 4, "f" * 64]
    assert not _single_accepts(checks.digest, value)
    assert _batch_accepts(checks.digests, good)
    with pytest.raises(Invalid, match="not a digest"):
        checks.digests([*good, value])
    assert _batch_accepts(checks.digests, ["ab" * 16], 32)


def test_the_manifest_file_holds_no_warnings_and_is_read_back_whole(tmp_path):
    """The summary and warnings go to the fast record only (sitegen.fastpath), not to the manifest."""
    site = make_site(tmp_path / "site")
    (site / "content/en/about.md").unlink()  # a translation missing: a warning
    options = BuildOptions(config_path=site / "config.yaml", output=tmp_path / "out", now=NOW)
    result = build(options)
    assert result.warnings
    config = load(options)
    stored = json.loads(manifest_path(config).read_bytes().split(b"\n", 1)[1])
    assert result.warnings[0].code not in json.dumps(stored)
    loaded = load_manifest(config)
    assert loaded.pages and loaded.files and loaded.summary is None and loaded.warnings == ()
