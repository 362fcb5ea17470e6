"""End-to-end: the fixture site builds to exactly the files in tests/golden/.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff like any other change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sitetest import NOW_ARG, tree

from sitegen.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = NOW_ARG
REPO = GOLDEN.parent.parent
# Stylesheets and scripts are copies of static/ (and the feed's stylesheet of sitegen/resources),
# published under a name fingerprinted by their bytes.  The golden set keeps neither the copies
# nor the fingerprints, so that a CSS or JS edit does not churn it: the copies are compared with
# their sources below, and every page names them as static/<name>.FINGERPRINT.<ext>.
ASSET = re.compile(rb"(static/[\w-]+)\.([0-9a-f]{8})\.(css|js)\b")
ASSET_SOURCES = {
    name: REPO / "static" / f"{name[7:]}.{ext}"
    for name, ext in [("static/style", "css"), ("static/search", "js"), ("static/print", "js")]
}


def _without_asset_copies(built: dict[str, bytes]) -> dict[str, bytes]:
    """The output less the asset copies (checked against their sources), fingerprints masked."""
    kept = {}
    for rel, data in built.items():
        copy = ASSET.fullmatch(rel.encode())
        if copy:
            source = ASSET_SOURCES.get(copy.group(1).decode())
            assert source is None or data == source.read_bytes(), f"{rel} is not a copy of {source}"
            continue
        kept[rel] = data if rel.endswith((".png", ".jpg", ".ico")) else ASSET.sub(rb"\1.FINGERPRINT.\3", data)
    return kept


def test_fixture_site_matches_golden_files(fixture_site, tmp_path, update_golden, capsys):
    site = fixture_site("basic")
    out = tmp_path / "out"
    assert main(["build", "--config", str(site / "config.yaml"), "--output", str(out), "--now", NOW]) == 0
    # Pagefind's index is binary and Pagefind's own format: tests/test_search.py checks it. The
    # font files are static/'s own, copied as they are (tests/test_real_site.py checks the copy).
    built = {rel: data for rel, data in tree(out).items() if not rel.startswith(("pagefind/", "static/fonts/"))}
    built = _without_asset_copies(built)
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
