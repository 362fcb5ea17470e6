"""The reuse check of an unchanged page (sitegen.output.link_unchanged): one stat of the staging
folder when it already holds the very file the last build wrote, else the live file looked at.
And putting a new file (sitegen.output.put_file): made first, room made only when that fails,
never written through the older file a reused spare holds (a link to the live site).
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.output import CacheFile, link_unchanged, put_file


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


# --- put_file makes a file first and makes room only when that fails (sitegen.output._created)


def test_a_new_page_never_writes_through_the_older_link_a_reused_spare_holds(tmp_path):
    output, staging, (_size, _mtime_ns, ino) = _site(tmp_path)
    size, _mtime, new_ino, written = put_file(staging, output, "a/index.html", b"<p>new</p>")
    assert written and new_ino != ino and size == len(b"<p>new</p>")
    assert (output / "a" / "index.html").read_bytes() == b"<p>old</p>"  # the live site untouched
    assert (staging / "a" / "index.html").read_bytes() == b"<p>new</p>"
    assert os.stat(staging / "a" / "index.html").st_ino == new_ino


def test_a_file_where_this_site_has_a_folder_is_replaced(tmp_path):
    """A reused spare may hold a file where the new site has a folder, and a folder where it has a file."""
    output, staging, _record = _site(tmp_path)
    (staging / "b").write_bytes(b"a page of the old site")
    (staging / "c.html").mkdir()
    (staging / "c.html" / "x").write_bytes(b"x")
    put_file(staging, output, "b/index.html", b"<p>b</p>")
    put_file(staging, output, "c.html", b"<p>c</p>")
    assert (staging / "b" / "index.html").read_bytes() == b"<p>b</p>"
    assert (staging / "c.html").read_bytes() == b"<p>c</p>"


def test_without_an_old_site_files_and_cache_links_are_made_with_their_folders(tmp_path):
    staging, cache = tmp_path / ".out.new", tmp_path / "cache"
    staging.mkdir()
    cache.mkdir()
    cards = [cache / "x.png", cache / "y.png"]
    for card in cards:
        card.write_bytes(b"png " + card.name.encode())
    size, mtime_ns, ino, written = put_file(staging, None, "en/news/one/index.html", b"<p>1</p>")
    st = os.stat(staging / "en/news/one/index.html")
    assert written and (size, mtime_ns, ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    for card in cards:  # two cards in one folder: the second finds it made
        _size, _mtime, ino, written = put_file(staging, None, f"static/cards/{card.name}", CacheFile(card))
        assert written and ino == os.stat(card).st_ino == os.stat(staging / "static/cards" / card.name).st_ino
