"""The output's social cards are the cache's files themselves, even after the cache drew them again
(sitegen.output._cache_twin): a card kept apart from its cache file is compared byte for byte at
every build instead of being found in place (sitegen.output_linked)."""

from __future__ import annotations

import os

from test_incremental import apply_edit, assert_same_as_clean_build, make_site, run


def _apart(site, output) -> list[str]:
    cards = sorted((output / "static" / "cards").iterdir())
    assert cards
    return [card.name for card in cards if not os.path.samefile(card, site / ".cache" / "cards" / card.name)]


def test_cards_drawn_again_by_a_build_without_cache_are_linked_again(tmp_path):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    assert _apart(site, output) == []
    run(site, tmp_path / "other", cache=False)  # draws every card again, under the same names
    assert len(_apart(site, output)) > 0
    for value in (1, 2):
        apply_edit(site, ("body", 0, value), [0])
        run(site, output)
    assert _apart(site, output) == []
    assert_same_as_clean_build(site, output, tmp_path / "clean")
