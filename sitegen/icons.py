"""The site's icons, made at build time from the wordmark: no logo is drawn by hand or invented.

* ``favicon.svg``: the short name ("IOM") as the outlines of the shipped bold font (read by
  :mod:`sitegen.truetype`, so the icon looks the same on every system, with no font to
  load), white on the cards' deep blue;
* ``apple-touch-icon.png``: the same at 180×180, drawn with Pillow (iOS and Android home
  screens do not take an SVG);
* ``favicon.ico``: that picture at 16, 32 and 48 px, for what asks ``/favicon.ico`` without
  reading a page's head (the feeds seen in a browser, old browsers, some feed readers).

Both are the same bytes on every build of the same name and fonts.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from .cards import ACCENT, BACKGROUND, BOLD, FONTS_DIR, TEXT, font
from .truetype import TrueTypeFont, text_outline

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config

FAVICON, TOUCH_ICON, ICO = "favicon.svg", "apple-touch-icon.png", "favicon.ico"
TOUCH_SIZE = 180
_VIEW = 64  # the favicon's viewBox: 64 × 64, the name within 52 units of width


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


@lru_cache(maxsize=4)
def favicon_svg(short_name: str) -> bytes:
    """The SVG favicon: ``short_name`` centred on a rounded square."""
    path, (left, top, right, bottom) = text_outline(TrueTypeFont((FONTS_DIR / BOLD).read_bytes()), short_name)
    scale = min(52 / max(right - left, 1), 40 / max(bottom - top, 1))
    x = (_VIEW - (right - left) * scale) / 2 - left * scale
    y = (_VIEW - (bottom - top) * scale) / 2 - top * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_VIEW} {_VIEW}">'
        f'<rect width="{_VIEW}" height="{_VIEW}" rx="12" fill="{_hex(BACKGROUND)}"/>'
        f'<path transform="translate({x:.2f} {y:.2f}) scale({scale:.5f})" fill="{_hex(TEXT)}" d="{path}"/>'
        "</svg>\n"
    ).encode()


def touch_icon(short_name: str) -> Image.Image:
    """The 180×180 picture for home screens: the name, and the cards' accent rule under it."""
    image = Image.new("RGB", (TOUCH_SIZE, TOUCH_SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    size = 96
    while size > 20 and font(BOLD, size).getlength(short_name) > TOUCH_SIZE - 36:
        size -= 4
    centre = TOUCH_SIZE // 2
    draw.text((centre, centre - 8), short_name, font=font(BOLD, size), fill=TEXT, anchor="mm")
    draw.rectangle((centre - 30, centre + 36, centre + 30, centre + 41), fill=ACCENT)
    return image


@lru_cache(maxsize=4)
def touch_icon_png(short_name: str) -> bytes:
    buffer = io.BytesIO()
    touch_icon(short_name).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=4)
def favicon_ico(short_name: str) -> bytes:
    buffer = io.BytesIO()
    touch_icon(short_name).save(buffer, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()


def icon_files(config: Config) -> dict[str, bytes]:
    """Output file → bytes of the icons, named from the organisation's short name (or the site's)."""
    name = config.organization["short_name"] or config.site_name[config.default_language][:3]
    return {FAVICON: favicon_svg(name), TOUCH_ICON: touch_icon_png(name), ICO: favicon_ico(name)}
