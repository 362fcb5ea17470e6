"""A card without picture encoded from its title alone: the fast path of :mod:`sitegen.cards`.

Every text card of a language and section shares its frame (background, wordmark, section,
band, network line), and between the title's top and the band the frame is background only.
So the frame is drawn, quantised and compressed once per process (:func:`_base`), with the
title's area blank, and a card draws only its title and compresses only the bands of rows
its ink reaches (:func:`sitegen.card_png.encode_into`): the same bytes as
``encode_card(draw_card(text), jpeg=False)``, which tests/test_cards.py checks.

The title is set from remembered glyphs (:mod:`sitegen.card_glyphs`) as FreeType's
anti-aliased coverage (0–255) on a blank canvas kept by each thread, each pixel in the
index of its step on the ramp from the background to the ink (:data:`TEXT_STEPS`): the
same picture as drawing in RGB and quantising, for a fraction of the time (the coverage is
what Pillow blends the ink with, and the ramp's steps are where quantising lands).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from .cards import BAND_TOP, BOLD, KICKER_TOP, MARGIN, TITLE_TOP, WIDTH, CardText, _frame, _text_lines, glyphs

# The PNG encoder is imported where a card is drawn (as Pillow is: see sitegen.cards), as this
# module is (by sitegen.card_files): a build whose cards are all in the cache draws none.
if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

    from .card_png import Base

# The title's coverage (0–255) → its palette index: the nearest of the 16 steps from background to TEXT
TEXT_STEPS = [round(coverage * 15 / 255) for coverage in range(256)]
LAST_STEP = TEXT_STEPS[255]  # full coverage: TEXT
_TEXT_STEPS_TABLE = bytes(TEXT_STEPS)  # the same, for bytes.translate (a quarter of Image.point's time)

ROW = WIDTH + 1  # a row of the PNG: its filter byte, then the pixels' indices

_canvases = threading.local()


def text_card_png(text: CardText) -> bytes:
    """``encode_card(draw_card(text), jpeg=False)`` for a card without picture, in a fraction of the time."""
    from .card_png import encode_into

    frame = _base(text.short_name, text.full_name, text.network_line, text.section)
    return encode_into(frame, title_bands(text))


def text_card_rows(text: CardText) -> bytes:
    """The card's rows as the PNG encoder takes them (each behind its filter byte): see :func:`title_bands`."""
    raw = _base(text.short_name, text.full_name, text.network_line, text.section).raw
    parts, done = [], 0
    for first, rows in title_bands(text):
        parts += [raw[done : first * ROW], rows]
        done = first * ROW + len(rows)
    return b"".join([*parts, raw[done:]])


def title_bands(text: CardText) -> list[tuple[int, bytes]]:
    """The rows the title's ink reaches (above the band, which cuts what passes it) as palette
    indices, each row behind a 0 (the PNG encoder's filter type none), cut where the encoder's
    bands start: (first row, rows) each.  Every other row of the title's area is blank.

    The title is drawn one column to the right on a canvas one column wider than the card,
    whose first column stays blank (the margin): its bytes are the rows with their filter byte
    already.  Its glyphs are pasted in ink 15, which makes each pixel's coverage its step
    (:data:`TEXT_STEPS`, the same rounding), unless two glyphs' boxes meet (a j under the
    letter before, a descender over an accent of the next line; no title of the 1k corpus):
    then the coverage is drawn and mapped to the steps afterwards.  The canvas is left blank
    again for the next card; nothing larger than a band is made (larger bytes cost more in
    the allocator than copying them)."""
    from .card_png import BAND_ROWS

    title_top, lines = _text_lines(text)
    canvas = _canvas()
    try:
        top, bottom, apart = _draw_lines(canvas, title_top, lines, LAST_STEP)
        if not apart:
            canvas.paste(0, (0, top, ROW, bottom))
            top, bottom, _ = _draw_lines(canvas, title_top, lines, 255)
        bands = []
        first, stop = title_top + top, title_top + min(bottom, BAND_TOP - title_top)  # rows of the card
        while first < stop:
            end = min(stop, (first // BAND_ROWS + 1) * BAND_ROWS)  # the encoder's band ends
            rows = _rows_of(canvas, first - title_top, end - title_top)
            bands.append((first, rows if apart else rows.translate(_TEXT_STEPS_TABLE)))
            first = end
    except BaseException:
        canvas.paste(0, (0, 0, *canvas.size))  # and whatever a line drawn in part left
        raise
    if top < bottom:
        canvas.paste(0, (0, top, ROW, bottom))
    return bands


def _draw_lines(
    canvas: Image.Image, title_top: int, lines: list[tuple[int, str, int]], ink: int
) -> tuple[int, int, bool]:
    """The title's lines drawn on the canvas in ``ink``: the rows they reach on it, and whether
    no two glyphs' boxes meet (within a line, or a line's with those above it)."""
    top, bottom, apart, above = canvas.height, 0, True, -(1 << 30)
    for line_top, line, size in lines:
        ink_top, ink_bottom, meet = glyphs(BOLD, size).draw(canvas, MARGIN + 1, line_top - title_top, line, ink)
        apart = apart and not meet and ink_top >= above
        above = max(above, ink_bottom)  # where the lines drawn so far end
        top, bottom = min(top, max(ink_top, 0)), max(bottom, min(ink_bottom, canvas.height))
    return top, bottom, apart


def _rows_of(image: Image.Image, top: int, bottom: int) -> bytes:
    """``image.crop((0, top, image.width, bottom)).tobytes()`` without the copy that crop makes:
    the encoder ``tobytes`` uses, given the box (tests/test_cards.py compares the two)."""
    if not encoder_rows_work():
        return image.crop((0, top, image.width, bottom)).tobytes()
    return _encoded_rows(image, top, bottom)


def _encoded_rows(image: Image.Image, top: int, bottom: int) -> bytes:
    from PIL import Image

    encoder = Image._getencoder(image.mode, "raw", image.mode)
    try:
        encoder.setimage(image.im, (0, top, image.width, bottom))
        chunks, done = [], 0
        while not done:
            _, done, chunk = encoder.encode(max((bottom - top) * image.width, 65536))
            chunks.append(chunk)
    finally:
        encoder.cleanup()
    if done < 0:
        raise RuntimeError(f"encoder error {done} in _rows_of")
    return b"".join(chunks)


@lru_cache(maxsize=1)
def encoder_rows_work() -> bool:
    """Whether Pillow's encoder reads a box of rows as :func:`_encoded_rows` asks (Pillow 11 to 13
    do).  ``Image._getencoder`` is not Pillow's public interface: any other shape, and the crop
    is made, slower and the same bytes."""
    from PIL import Image

    image = Image.frombytes("L", (3, 3), bytes(range(9)))
    try:
        return _encoded_rows(image, 1, 3) == bytes(range(3, 9))
    except Exception:  # noqa: BLE001 - any failure means: not the shape this module knows
        return False


def _canvas() -> Image.Image:
    """This thread's blank canvas, as high as the tallest title's area (cards without section)."""
    canvas: Image.Image | None = getattr(_canvases, "canvas", None)
    if canvas is None:
        from PIL import Image

        canvas = _canvases.canvas = Image.new("L", (ROW, BAND_TOP - KICKER_TOP))
    return canvas


@lru_cache(maxsize=16)
def _base(short_name: str, full_name: str, network_line: str, section: str) -> Base:
    """The frame's rows, with the title's area blank, and their bands compressed."""
    from .card_png import base, filtered_rows

    frame = _frame(short_name, full_name, network_line, section)
    raw = filtered_rows(frame.tobytes(), WIDTH)
    title_top = TITLE_TOP if section else KICKER_TOP
    raw = raw[: title_top * ROW] + bytes((BAND_TOP - title_top) * ROW) + raw[BAND_TOP * ROW :]
    return base(raw, frame.width, frame.height, bytes(frame.getpalette("RGB") or [0, 0, 0]))
