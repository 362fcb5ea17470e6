"""``build.py serve`` publishes the pages without waiting for Pagefind; the search index
follows in the background, a newer edit cancels the running job, and once it is done the
preview is byte for byte what ``build`` makes.

Pagefind runs through a wrapper that waits for a *gate* file before it starts indexing,
so that "the index is still behind" is a state the test holds, not a race it hopes to win.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitetest import NOW_ARG, REPO, tree
from test_search import read_index
from test_serve import fetch, free_port, wait_for

from sitegen.build import BuildOptions, Session, build
from sitegen.cli import main
from sitegen.search import index_pending

ITEM = Path("content/it/notizie/terza.md")


def gated_pagefind(folder: Path) -> Path:
    """A Pagefind that logs each start, waits for ``folder/gate``, logs ``run`` and becomes the real one."""
    from sitegen.search_pagefind import pagefind_executable

    script = folder / "pagefind-gated"
    script.write_text(f"""#!/bin/sh
if [ "$1" = "--version" ]; then exec "{pagefind_executable()}" "$@"; fi
echo start >> "{folder / "log"}"
while [ ! -e "{folder / "gate"}" ]; do sleep 0.02; done
echo run >> "{folder / "log"}"
exec "{pagefind_executable()}" "$@"
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def wait_until(predicate, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def gated_serve(fixture_site, tmp_path):
    site = fixture_site("basic")
    wrapper = tmp_path / "pagefind"
    wrapper.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--now", NOW_ARG],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin", "PAGEFIND_BINARY_PATH": str(gated_pagefind(wrapper))},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, body: status == 200)
        # The first build's job is at the gate before any edit: it first writes the copy of
        # the pages Pagefind reads (sitegen.search_text), so an edit could otherwise come first.
        wait_until(lambda: log_lines(wrapper) == ["start"], "the first build's index job never started")
        yield site, port, wrapper
    finally:
        process.kill()
        process.wait(timeout=10)


def log_lines(wrapper: Path) -> list[str]:
    log = wrapper / "log"
    return log.read_text().split() if log.exists() else []


def edit(site: Path, port: int, word: str) -> None:
    """Give the item a new last sentence and wait until its page shows it."""
    item = site / ITEM
    item.write_text(
        (REPO / "tests/fixtures/sites/basic" / ITEM).read_text(encoding="utf-8") + f"\nUn {word} nel testo.\n",
        encoding="utf-8",
    )
    wait_for(f"http://127.0.0.1:{port}/notizie/terza/", lambda status, body: word in body)


def caught_up(preview: Path) -> list[str]:
    """The log of the first build's job (cancelled at the gate) and of the next one, which made every shard."""
    shards = json.loads((preview / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert len(shards) >= 3  # the pages, the Italian and the English news
    return ["start"] + ["start", "run"] * len(shards)


def same_as_cli_build(site: Path, port: int, preview: Path, out: Path) -> None:
    assert (
        main(
            [
                "build",
                "--config",
                str(site / "config.yaml"),
                "--output",
                str(out),
                "--now",
                NOW_ARG,
                "--drafts",
                "--base-url",
                f"http://127.0.0.1:{port}/",
            ]
        )
        == 0
    )
    ours, cli = tree(preview), tree(out)
    assert sorted(ours) == sorted(cli)
    assert [rel for rel in ours if ours[rel] != cli[rel]] == []


def test_the_pages_go_live_first_and_the_index_catches_up_to_what_build_makes(gated_serve, tmp_path):
    site, port, wrapper = gated_serve
    preview = site / ".cache" / "preview"
    assert index_pending(preview) and not (preview / "pagefind").exists()  # served before any index exists
    edit(site, port, "ornitorinco")
    assert index_pending(preview) and not (preview / "pagefind").exists()
    assert "run" not in log_lines(wrapper)

    (wrapper / "gate").touch()
    wait_until(lambda: not index_pending(preview), "the index never caught up")
    assert "ornitorinco" in read_index(preview)["it"]["/notizie/terza/"]["content"]
    assert fetch(f"http://127.0.0.1:{port}/pagefind/shards.json")[0] == 200
    assert fetch(f"http://127.0.0.1:{port}/pagefind/pages/pagefind-entry.json")[0] == 200
    # The job of the first build was cancelled by the edit; the next one made every shard (the
    # pages, and the news of each language and year), one after another.
    assert log_lines(wrapper) == caught_up(preview)
    assert [name for name in os.listdir(site / ".cache") if name.startswith(".preview.search")] == []
    same_as_cli_build(site, port, preview, tmp_path / "cli")


def test_an_edit_while_the_index_is_made_cancels_it_and_the_newest_text_wins(gated_serve, tmp_path):
    site, port, wrapper = gated_serve
    preview = site / ".cache" / "preview"
    edit(site, port, "ornitorinco")
    (wrapper / "gate").touch()
    wait_until(lambda: not index_pending(preview), "the index never caught up")
    (wrapper / "gate").unlink()
    assert "ornitorinco" in read_index(preview)["it"]["/notizie/terza/"]["content"]

    made = caught_up(preview)  # as in the test above
    assert log_lines(wrapper) == made
    edit(site, port, "formichiere")  # a job starts and waits at the gate...
    wait_until(lambda: log_lines(wrapper).count("start") == made.count("start") + 1, "no index job after the edit")
    edit(site, port, "pangolino")  # ...and this edit cancels it (the old index stays meanwhile)
    assert "ornitorinco" in read_index(preview)["it"]["/notizie/terza/"]["content"]
    wait_until(lambda: log_lines(wrapper).count("start") == made.count("start") + 2, "no index job after the 2nd edit")
    (wrapper / "gate").touch()
    wait_until(lambda: not index_pending(preview), "the index never caught up")
    content = read_index(preview)["it"]["/notizie/terza/"]["content"]
    assert "pangolino" in content and "formichiere" not in content and "ornitorinco" not in content
    # Each edit job made only the shard of the edited item (Italian news of 2026).
    assert log_lines(wrapper) == [*made, "start", "start", "run"]
    same_as_cli_build(site, port, preview, tmp_path / "cli")


def test_a_build_after_a_preview_left_its_index_behind_makes_it_again(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    options = BuildOptions(config_path=site / "config.yaml", output=out, drafts=True)
    assert build(options).built.search_pending is False
    assert build(options, Session(defer_search=True)).built.search_pending is False  # nothing changed
    item = site / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\nUn ornitorinco nel testo.\n", encoding="utf-8")
    assert build(options, Session(defer_search=True)).built.search_pending is True
    assert index_pending(out) and "ornitorinco" not in read_index(out)["it"]["/notizie/terza/"]["content"]
    # (serve stopped here.)  No page changed since, but the index is behind them:
    result = build(options)
    assert result.written == 0 and not index_pending(out)
    assert "ornitorinco" in read_index(out)["it"]["/notizie/terza/"]["content"]


def test_when_the_index_is_swapped_in_only_the_tabs_showing_a_search_page_reload(gated_serve):
    from livereload_tab import Tab

    site, port, wrapper = gated_serve
    preview = site / ".cache" / "preview"
    search, en_search, other = Tab(port, "/cerca/?q=ornitorinco"), Tab(port, "/en/search/"), Tab(port, "/privacy/")
    try:
        edit(site, port, "ornitorinco")
        assert [tab.barrier() for tab in (search, en_search, other)] == [0, 0, 0]  # their pages did not change
        (wrapper / "gate").touch()
        wait_until(lambda: not index_pending(preview), "the index never caught up")
        search.wait(lambda: len(search.reloads) == 1)
        en_search.wait(lambda: len(en_search.reloads) == 1)
        assert other.barrier() == 0
    finally:
        for tab in (search, en_search, other):
            tab.close()


def test_a_preview_of_a_site_without_search_has_no_index_due(fixture_site, tmp_path):
    site = fixture_site("basic")
    out = tmp_path / "out"
    options = BuildOptions(config_path=site / "config.yaml", output=out, drafts=True)
    assert build(options, Session(defer_search=True)).built.search_pending is True
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch: false\n", encoding="utf-8")
    assert build(options, Session(defer_search=True)).built.search_pending is False
    assert not index_pending(out) and not (out / "pagefind").exists()


def test_a_reused_folder_gets_exactly_the_live_index_as_hard_links(tmp_path):
    from sitegen.search_files import sync_links

    live, spare = tmp_path / "live", tmp_path / "spare"
    for rel, text in {
        "pagefind.js": "js",
        "fragment/it_aaaaaaa.pf_fragment": "a",
        "fragment/it_bbbbbbb.pf_fragment": "b",
        "index/it_ccccccc.pf_index": "c",
    }.items():
        (live / rel).parent.mkdir(parents=True, exist_ok=True)
        (live / rel).write_text(text)
    (spare / "fragment").mkdir(parents=True)
    os.link(live / "fragment/it_aaaaaaa.pf_fragment", spare / "fragment/it_aaaaaaa.pf_fragment")  # already right
    (spare / "fragment/it_bbbbbbb.pf_fragment").write_text("old b")  # same name, another file
    (spare / "fragment/it_0000000.pf_fragment").write_text("gone")  # not in the live index
    (spare / "index").write_text("a file where the live index has a folder")
    (spare / "old").mkdir()
    sync_links(str(live), str(spare))
    assert tree(spare) == tree(live)

    def inodes(root):
        return {p.relative_to(root): p.stat().st_ino for p in root.rglob("*") if p.is_file()}

    assert inodes(spare) == inodes(live)
