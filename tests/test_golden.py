"""End-to-end: the fixture site builds to exactly the files in tests/golden/.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff like any other change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sitetest import NOW_ARG, tree

from sitegen.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = NOW_ARG


def test_fixture_site_matches_golden_files(fixture_site, tmp_path, update_golden, capsys):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert main(["build", "--config", str(site / "config.yaml"), "--output", str(out), "--now", NOW]) == 0
    # Pagefind's index is binary and Pagefind's own format: tests/test_search.py checks it. The
    # font files are static/'s own, copied as they are (tests/test_real_site.py checks the copy).
    built = {rel: data for rel, data in tree(out).items() if not rel.startswith(("pagefind/", "static/fonts/"))}
    golden_dir = GOLDEN / "basic"
    if update_golden:
        shutil.rmtree(golden_dir, ignore_errors=True)
        for rel, data in built.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_bytes(data)
    expected = tree(golden_dir)
    assert sorted(built) == sorted(expected), "the set of output files changed (run with --update-golden if intended)"
    for rel in expected:
        if rel.endswith((".png", ".jpg", ".ico")):  # social cards and icons: bytes, not text
            assert built[rel] == expected[rel], f"{rel} differs from tests/golden/basic/{rel}"
        else:
            assert built[rel].decode() == expected[rel].decode(), f"{rel} differs from tests/golden/basic/{rel}"
