"""``serve``'s inotify watcher: completed writes, renames, deletes and new folders count; editor scratch files do not."""

from __future__ import annotations

import os
import sys

import pytest

from sitegen.watch import Inotify

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


def test_what_counts_as_a_change(tmp_path):
    content = tmp_path / "content"
    (content / "it").mkdir(parents=True)
    config = tmp_path / "config.yaml"
    config.write_text("a: 1\n")
    (tmp_path / "other.txt").write_text("x")
    events = Inotify()
    try:
        events.watch(content)
        events.watch(config)
        assert not events.changed()

        (content / "it" / "a.md").write_text("uno")  # a deep file, written and closed
        assert events.changed() and not events.changed()  # reported once

        (content / "it" / ".a.md.swp").write_text("scratch")
        (content / "it" / "a.md~").write_text("backup")
        (tmp_path / "other.txt").write_text("y")  # next to the config, but not it
        assert not events.changed()

        (content / "nuova").mkdir()  # a new folder is watched from then on
        assert events.changed()
        (content / "nuova" / "b.md").write_text("due")
        assert events.changed()

        (tmp_path / "config.new").write_text("a: 2\n")
        assert not events.changed()
        os.replace(tmp_path / "config.new", config)  # an editor's atomic save
        assert events.changed()

        (content / "it" / "a.md").unlink()
        assert events.changed()
    finally:
        events.close()


def test_the_polling_fallback_sees_what_inotify_sees(tmp_path):
    from sitegen.watch import Poller

    content = tmp_path / "content"
    (content / "it").mkdir(parents=True)
    page = content / "it" / "a.md"
    page.write_text("uno")
    config = tmp_path / "config.yaml"
    config.write_text("a: 1\n")
    poller = Poller([content, config])
    assert not poller.changed()
    page.write_text("due")  # same size: mtime or ctime tells
    os.utime(page, ns=(1, 1))
    assert poller.changed() and not poller.changed()
    (content / "it" / ".a.md.swp").write_text("scratch")
    (content / "it" / "a.md~").write_text("backup")
    assert not poller.changed()
    (content / "it" / "nuova").mkdir()
    (content / "it" / "nuova" / "b.md").write_text("tre")
    assert poller.changed()
    page.unlink()
    assert poller.changed()
    config.write_text("a: 22\n")
    assert poller.changed()
    (tmp_path / "other.txt").write_text("x")
    assert not poller.changed()
