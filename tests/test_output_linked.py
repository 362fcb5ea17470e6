"""Cache files already in place in a reused staging folder (sitegen.output_linked): found from
folder listings, and only when the staging folder, the live site and the cache hold one inode."""

from __future__ import annotations

import os
from pathlib import Path

from sitetest import NOW_ARG

from sitegen.cli import main
from sitegen.output import CacheFile
from sitegen.output_linked import linked_in_place


def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    staging, live, cache = tmp_path / "staging", tmp_path / "live", tmp_path / "cache"
    for folder in (staging / "cards", live / "cards", cache):
        folder.mkdir(parents=True)
    return staging, live, cache


def test_a_cache_file_linked_into_both_sites_is_in_place_and_any_other_is_not(tmp_path):
    staging, live, cache = folders(tmp_path)
    for name in ("same", "copied", "redrawn", "new"):
        (cache / f"{name}.png").write_bytes(name.encode())
    for name in ("same", "redrawn"):
        os.link(cache / f"{name}.png", live / "cards" / f"{name}.png")
        os.link(cache / f"{name}.png", staging / "cards" / f"{name}.png")
    os.link(cache / "copied.png", live / "cards" / "copied.png")
    (staging / "cards" / "copied.png").write_bytes(b"copied")  # the same bytes, another file
    (cache / ".redrawn.tmp").write_bytes(b"redrawn again")
    os.replace(cache / ".redrawn.tmp", cache / "redrawn.png")  # as the card writer replaces a file
    sources = {f"cards/{name}.png": CacheFile(cache / f"{name}.png") for name in ("same", "copied", "redrawn", "new")}
    assert linked_in_place(staging, live, sources) == {"cards/same.png"}


def test_nothing_is_in_place_when_a_folder_is_missing(tmp_path):
    staging, live, cache = folders(tmp_path)
    (cache / "a.png").write_bytes(b"a")
    os.link(cache / "a.png", live / "cards" / "a.png")
    assert linked_in_place(staging, live, {"other/a.png": CacheFile(cache / "a.png")}) == frozenset()
    assert linked_in_place(staging, live, {"cards/a.png": CacheFile(tmp_path / "gone" / "a.png")}) == frozenset()


def build(site: Path) -> None:
    assert main(["build", "--config", str(site / "config.yaml"), "--now", NOW_ARG]) == 0


def test_a_card_replaced_in_the_cache_reaches_the_site_even_when_the_spare_is_reused(fixture_site):
    """The third build reuses the spare, which holds every card already; a card file the cache
    replaced since (another inode) must still be put, with its new bytes."""
    site = fixture_site("basic")
    build(site)
    build(site)
    card = sorted((site / ".cache" / "cards").iterdir())[0]
    replacement = card.with_name(".replacement")
    replacement.write_bytes(card.read_bytes() + b"\0")  # any other bytes: the output must follow the cache
    os.replace(replacement, card)
    item = site / "content" / "it" / "notizie" / "prima.md"
    item.write_text(
        item.read_text(encoding="utf-8") + "\nUna riga in più.\n", encoding="utf-8"
    )  # not a no-change build
    build(site)
    published = site / "public" / "static" / "cards" / card.name
    assert published.read_bytes() == card.read_bytes()
    assert os.stat(published).st_ino == os.stat(card).st_ino
    assert (site / ".public.spare").is_dir()  # (the spare was there to reuse)
