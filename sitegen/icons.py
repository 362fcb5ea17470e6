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

import contextlib
import hashlib
import io
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from .card_files import write_atomically
from .cards import ACCENT, BACKGROUND, BOLD, FONTS_DIR, TEXT, font, generator_version
from .parallel import in_child
from .truetype import TrueTypeFont, text_outline

if TYPE_CHECKING:  # pragma: no cover  (Pillow is imported where an icon is drawn, as in cards.py)
    from PIL import Image

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
    from PIL import Image, ImageDraw

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


def _icons_key(name: str) -> str:
    """A hash of the name, of this module (the drawing) and of the cards' code and fonts."""
    digest = hashlib.sha256(f"{generator_version()}\x1f{name}".encode("utf-8", "surrogatepass"))
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:24]


def icon_files(config: Config, use_cache: bool = True) -> dict[str, bytes | Path]:
    """Output file → the icons, named from the organisation's short name (or the site's).

    The two drawn ones are kept in ``<cache_dir>/icons/``, like the cards in ``cards/``, under a hash of the
    name and of the cards' code and fonts: drawing them with Pillow on every build was a
    fifth of a one-edit rebuild.  Without ``use_cache`` they are drawn and nothing is read.
    """
    name = config.organization["short_name"] or config.site_name[config.default_language][:3]
    files: dict[str, bytes | Path] = {FAVICON: favicon_svg(name)}
    key = _icons_key(name)
    cached = {output: config.cache_dir / "icons" / f"{key}{Path(output).suffix}" for output in (TOUCH_ICON, ICO)}
    missing = [output for output, path in cached.items() if not (use_cache and path.is_file())]
    # Pillow is imported, and the pictures drawn, in a short-lived child: 4 MiB of modules that a
    # build's main process (and every render worker forked from it) never needs afterwards (issue 14)
    drawn = in_child(partial(_draw, name, tuple(missing))) if missing else {}
    for output, path in cached.items():
        if output not in drawn:
            files[output] = path
            continue
        files[output] = data = drawn[output]
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            write_atomically(path, data)
    return files


def _draw(name: str, outputs: tuple[str, ...]) -> dict[str, bytes]:
    """The drawn icons ``outputs`` (:data:`TOUCH_ICON`, :data:`ICO`) of ``name``, by output file."""
    draw = {TOUCH_ICON: touch_icon_png, ICO: favicon_ico}
    return {output: draw[output](name) for output in outputs}
