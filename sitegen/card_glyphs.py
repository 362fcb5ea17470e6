"""Card titles set from remembered glyphs: FreeType draws each letter at a size once per process.

Pillow measures and renders a whole string on every call, loading every glyph again; a
card's title is some fifty glyphs of a few dozen letters at one of four sizes.  With
FreeType's basic layout (no shaping: what :func:`sitegen.cards.font` asks for), a line is
its glyphs side by side, each one's advance plus a kerning between two neighbours, all
in 1/64 of a pixel.  So:

* :meth:`Glyphs.width` is the sum of the advances and kernings: what ``getlength`` says.
  FreeType counts in 1/64 of a pixel, so every term is a multiple of 1/64 and their float
  sums are exact in any order: a line's width is that of the line it grows from (a word, or
  a character, less) plus what the join adds, and a title's layout, which measures each
  candidate line one word longer than the last, costs a few additions a word instead of a
  sum over the whole line;
* :meth:`Glyphs.draw` pastes each glyph's coverage where Pillow puts it, at its pen
  position rounded to the pixel (where glyphs overlap, the coverages add up as inks laid
  one over the other: a pixel or two of a kerned pair, no visible difference).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:  # pragma: no cover
    from PIL._imaging import ImagingCore


def _core_paste_works() -> bool:
    """Whether Pillow's image core pastes as :meth:`Glyphs.draw` calls it (``im.paste(ink, box,
    mask core)``, as Pillow 11 to 13 do).  ``Image.im`` is not Pillow's public interface: any
    other shape, and the public ``Image.paste`` is used, a third slower and the same pixels
    (tests/test_cards.py draws cards both ways)."""
    try:
        target, mask = Image.new("L", (2, 1)), Image.new("L", (1, 1), 255)
        target.load()
        mask.load()
        target.im.paste(15, (1, 0, 2, 1), mask.im)
        return target.tobytes() == b"\0\x0f"
    except Exception:  # noqa: BLE001 - any failure means: not the shape this module knows
        return False


CORE_PASTE = _core_paste_works()
WIDTHS_KEPT = 4096  # widths remembered per font and size: the lines of the last titles, the words they share


class Glyphs:
    """One font at one size, with what it has measured and drawn so far."""

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self.ascent = font.getmetrics()[0]  # from the top of a line ("la" anchor) to its baseline
        self._advances: dict[str, float] = {}
        self._kernings: dict[str, float] = {}
        self._glyphs: dict[str, tuple[Image.Image, int, int] | None] = {}
        self._placed: dict[str, tuple[ImagingCore | Image.Image, int, int, int, int] | None] = {}
        self._widths: dict[str, float] = {}  # of the texts measured lately (cleared when full)

    def advance(self, char: str) -> float:
        found = self._advances.get(char)
        if found is None:
            found = self._advances[char] = self.font.getlength(char)
        return found

    def kerning(self, pair: str) -> float:
        """What two letters side by side move closer (negative) or apart: their width less their advances."""
        found = self._kernings.get(pair)
        if found is None:
            found = self._kernings[pair] = self.font.getlength(pair) - self.advance(pair[0]) - self.advance(pair[1])
        return found

    def width(self, text: str) -> float:
        """``text``'s advance width in pixels, as ``font.getlength(text)``."""
        widths = self._widths
        found = widths.get(text)
        if found is not None:
            return found
        head, space, word = text.rpartition(" ")
        line = widths.get(head) if head and word else None  # (never a sum down a long title: no recursion)
        shorter = widths.get(text[:-1]) if line is None and len(text) > 1 else None
        if line is not None:  # a line one word longer than one measured before, most of the time
            found = line + self.kerning(head[-1] + space) + self.advance(space)
            found += self.kerning(space + word[0]) + self.width(word)
        elif shorter is not None:  # a long word cut between characters
            found = shorter + self.kerning(text[-2:]) + self.advance(text[-1])
        else:
            kernings = sum(self.kerning(text[i : i + 2]) for i in range(len(text) - 1))
            found = sum(self.advance(char) for char in text) + kernings
        if len(widths) >= WIDTHS_KEPT:
            widths.clear()  # a build's titles are many; what a layout measures again is recent
        widths[text] = found
        return found

    def glyph(self, char: str) -> tuple[Image.Image, int, int] | None:
        """A letter's coverage and where its top left lies from the pen on the baseline; None if blank."""
        if char not in self._glyphs:
            left, top, right, bottom = (int(edge) for edge in self.font.getbbox(char, anchor="ls"))  # whole pixels
            if right <= left or bottom <= top:
                self._glyphs[char] = None
            else:
                coverage = Image.new("L", (right - left, bottom - top))
                ImageDraw.Draw(coverage).text((-left, -top), char, font=self.font, fill=255, anchor="ls")
                self._glyphs[char] = (coverage, left, top)
        return self._glyphs[char]

    def draw(self, target: Image.Image, x: int, top: int, text: str, ink: int = 255) -> tuple[int, int, bool]:
        """``text`` on the "L" image ``target``, its line's top left at (x, top): each glyph's
        coverage pasted in ``ink`` (a pixel a glyph covers by ``c``/255 becomes ``ink`` × c/255,
        rounded, on a blank target).  Returns the rows its glyphs' boxes span (first, and after
        the last; inside ``target`` or not), and whether two boxes may meet (one starts left
        of where another ends): there the coverages blend, and ``ink`` × the blend is not the
        blend of the parts in ``ink``."""
        baseline = top + self.ascent
        target.load()  # (what Image.paste does first: the core's paste is called, a third faster)
        # the core's paste takes the mask's core, Image.paste the mask image (see _place)
        paste: Callable[..., None] = target.im.paste if CORE_PASTE else target.paste
        placed, kernings, advances, floor = (
            self._placed,
            self._kernings,
            self._advances,
            math.floor,
        )
        pen, first, stop, previous = 0.0, baseline, baseline, ""
        right, meet = -(1 << 30), False  # where the boxes drawn so far end
        for char in text:  # (comparisons rather than min and max: 50 to 100 glyphs a card)
            if previous:
                kerning = kernings.get(previous + char)
                pen += self.kerning(previous + char) if kerning is None else kerning
            found = placed[char] if char in placed else self._place(char)
            if found is not None:
                coverage, left, above, width, height = found
                column, row = x + floor(pen + 0.5) + left, baseline + above
                paste(ink, (column, row, column + width, row + height), coverage)
                if row < first:
                    first = row
                if row + height > stop:
                    stop = row + height
                if column < right:
                    meet = True
                if column + width > right:
                    right = column + width
            advance = advances.get(char)
            pen += self.advance(char) if advance is None else advance
            previous = char
        return first, stop, meet

    def _place(self, char: str) -> tuple[ImagingCore | Image.Image, int, int, int, int] | None:
        """:meth:`glyph` as :meth:`draw` pastes it: its coverage's core, left, top, width and height."""
        found = self.glyph(char)
        if found is not None:
            coverage, left, above = found
            coverage.load()
            mask = coverage.im if CORE_PASTE else coverage
            self._placed[char] = (mask, left, above, coverage.width, coverage.height)
        else:
            self._placed[char] = None
        return self._placed[char]
