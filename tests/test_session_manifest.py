"""serve keeps the manifest it saved in memory, and reads the file again once it was replaced.

(Fixture site: tests/test_incremental.py.)
"""

from __future__ import annotations

from test_incremental import NOW, make_site

from sitegen.build import build
from sitegen.cache.files import Notices
from sitegen.incremental import load_manifest, manifest_path, save_manifest
from sitegen.options import BuildOptions, load
from sitegen.session import Session


def test_the_saved_manifest_is_reused_while_its_file_is_the_one_written(tmp_path):
    site = make_site(tmp_path / "site")
    options = BuildOptions(config_path=site / "config.yaml", output=tmp_path / "out", now=NOW)
    session = Session()
    build(options, session)
    config = load(options)
    kept = session.manifest(config, Notices())
    assert kept == load_manifest(config)
    assert session.manifest(config, Notices()) is kept  # not read again
    # Another writer (a build in another process) replaces the file: it is read again.
    other = load_manifest(config)
    save_manifest(config, other)
    again = session.manifest(config, Notices())
    assert again is not kept and again == other
    manifest_path(config).unlink()
    assert session.manifest(config, Notices()).pages == {}  # no file: as a build without a manifest
