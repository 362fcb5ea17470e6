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
BINARY = (".woff2", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico")


def test_fixture_site_matches_golden_files(fixture_site, tmp_path, update_golden, capsys):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert main(["build", "--config", str(site / "config.yaml"), "--output", str(out), "--now", NOW]) == 0
    # Pagefind's index is binary and Pagefind's own format: tests/test_search.py checks it.
    built = {rel: data for rel, data in tree(out).items() if not rel.startswith("pagefind/")}
    golden_dir = GOLDEN / "basic"
    if update_golden:
        shutil.rmtree(golden_dir, ignore_errors=True)
        for rel, data in built.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_bytes(data)
    expected = tree(golden_dir)
    assert sorted(built) == sorted(expected), "the set of output files changed (run with --update-golden if intended)"
    for rel in expected:
        if rel.endswith(BINARY):  # fonts and images: bytes, no text diff to show
            assert built[rel] == expected[rel], f"{rel} differs from tests/golden/basic/{rel}"
        else:
            assert built[rel].decode() == expected[rel].decode(), f"{rel} differs from tests/golden/basic/{rel}"
