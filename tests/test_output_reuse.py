"""The reuse check of an unchanged page (sitegen.output.link_unchanged): one stat of the staging
folder when it already holds the very file the last build wrote, else the live file looked at."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.output import link_unchanged


def _site(tmp_path: Path) -> tuple[Path, Path, tuple[int, int, int]]:
    """A live page and a staging folder (a reused spare) holding the same file, and its record."""
    output, staging = tmp_path / "out", tmp_path / ".out.spare"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_bytes(b"<p>old</p>")
    (staging / "a").mkdir(parents=True)
    os.link(output / "a" / "index.html", staging / "a" / "index.html")
    st = os.stat(output / "a" / "index.html")
    return output, staging, (st.st_size, st.st_mtime_ns, st.st_ino)


def test_the_very_file_the_last_build_wrote_is_reused(tmp_path):
    output, staging, (size, mtime_ns, ino) = _site(tmp_path)
    assert link_unchanged(staging, output, "a/index.html", size, mtime_ns, ino)
    assert (staging / "a" / "index.html").read_bytes() == b"<p>old</p>"


def test_a_file_changed_in_place_is_not_reused(tmp_path):
    """Changed through either link: the inode is the recorded one, its size is not."""
    output, staging, (size, mtime_ns, ino) = _site(tmp_path)
    with open(output / "a" / "index.html", "ab") as handle:
        handle.write(b"edited")
    assert not link_unchanged(staging, output, "a/index.html", size, mtime_ns, ino)


def test_another_file_of_the_same_size_and_time_in_the_staging_folder_is_replaced(tmp_path):
    """Size and time alone would vouch for other bytes: the inode tells them apart, and the
    live file (still as recorded) is linked in instead."""
    output, staging, (size, mtime_ns, ino) = _site(tmp_path)
    other = staging / "a" / "index.html"
    other.unlink()
    other.write_bytes(b"<p>NEW</p>")  # same size
    os.utime(other, ns=(mtime_ns, mtime_ns))
    assert link_unchanged(staging, output, "a/index.html", size, mtime_ns, ino)
    assert other.read_bytes() == b"<p>old</p>"
    assert os.stat(other).st_ino == ino


def test_without_a_recorded_inode_the_live_file_is_looked_at(tmp_path):
    output, staging, (size, mtime_ns, _ino) = _site(tmp_path)
    (staging / "a" / "index.html").unlink()
    assert link_unchanged(staging, output, "a/index.html", size, mtime_ns)
    (output / "a" / "index.html").write_bytes(b"<p>changed</p>")
    (staging / "a" / "index.html").unlink()
    assert not link_unchanged(staging, output, "a/index.html", size, mtime_ns)
