"""The drawn icons are kept in the cache folder, and taken from it only when asked to."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from sitegen.icons import ICO, TOUCH_ICON, favicon_ico, icon_files, touch_icon_png


def _config(cache: Path) -> SimpleNamespace:
    return SimpleNamespace(
        organization={"short_name": "IOM"}, site_name={"it": "Sito"}, default_language="it", cache_dir=cache
    )


def test_icons_are_drawn_once_then_read_from_the_cache(tmp_path: Path) -> None:
    config = _config(tmp_path / "cache")
    first = icon_files(config)  # type: ignore[arg-type]  # only the fields icon_files reads
    assert first[TOUCH_ICON] == touch_icon_png("IOM")
    assert first[ICO] == favicon_ico("IOM")
    second = icon_files(config)  # type: ignore[arg-type]
    assert isinstance(second[TOUCH_ICON], Path) and second[TOUCH_ICON].read_bytes() == first[TOUCH_ICON]
    assert isinstance(second[ICO], Path) and second[ICO].read_bytes() == first[ICO]


def test_without_the_cache_nothing_is_read(tmp_path: Path) -> None:
    config = _config(tmp_path / "cache")
    icon_files(config)  # type: ignore[arg-type]
    for cached in (tmp_path / "cache" / "icons").iterdir():
        cached.write_bytes(b"tampered")
    again = icon_files(config, use_cache=False)  # type: ignore[arg-type]
    assert again[TOUCH_ICON] == touch_icon_png("IOM")
    assert again[ICO] == favicon_ico("IOM")
