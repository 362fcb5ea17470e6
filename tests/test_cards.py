"""Social cards and icons (sitegen.cards, sitegen.icons): layout as pure functions, drawing and
encoding byte for byte, the cache, a news item's own picture, and what the pages say about them."""

from __future__ import annotations

import hashlib
import io
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw
from sitecheck import json_ld, parse_page
from sitetest import NOW_ARG

from sitegen import card_files, card_glyphs, card_png, card_text, cards
from sitegen.card_layout import TITLE_SIZES, fit_title, shorten, split_name, wrap
from sitegen.cards import CardText, card_key, draw_card, encode_card
from sitegen.cli import main
from sitegen.icons import favicon_ico, favicon_svg, touch_icon_png
from sitegen.truetype import TrueTypeFont, text_outline


def measure(text: str, size: int) -> float:
    """Every character half the font size wide: layouts computable by hand."""
    return len(text) * size / 2


TITLE_WORDS = st.text(alphabet="aeiloArTVWyfj’«»—…,.;:/-0123456789àèÈÉ", min_size=1, max_size=30)
TITLES = st.lists(TITLE_WORDS, min_size=1, max_size=40).map(" ".join) | st.text(alphabet=" aVw.\t’èÀ", max_size=80)


# --- layout: pure ---------------------------------------------------------------------


def test_wrap_breaks_between_words_and_keeps_every_line_within_the_width():
    lines = wrap("uno due tre quattro cinque sei", measure, 10, 50)  # 10 characters a line
    assert lines == ["uno due", "tre", "quattro", "cinque sei"]
    assert all(measure(line, 10) <= 50 for line in lines)


def test_wrap_cuts_a_word_longer_than_a_line_between_characters():
    assert wrap("a https://example.org/lungo b", measure, 10, 50) == ["a", "https://ex", "ample.org/", "lungo b"]


def test_wrap_of_nothing_is_no_line():
    assert wrap("   ", measure, 10, 50) == []


def test_fit_title_takes_the_largest_size_that_fits():
    short = fit_title("Notizie", measure, width=500, height=200, sizes=(60, 40))
    assert (short.size, short.lines) == (60, ("Notizie",))
    # at 60 (16 characters a line, 2 lines) it does not fit; at 40 (25 a line, 4 lines) it does
    longer = fit_title("La rete Innovation Life Sciences Hubs e i suoi partner", measure, 500, 200, (60, 40))
    assert longer.size == 40
    assert longer.lines == ("La rete Innovation Life", "Sciences Hubs e i suoi", "partner")
    assert longer.line_height == 45


def test_fit_title_shortens_a_title_that_never_fits_with_an_ellipsis():
    title = " ".join(["parola"] * 40)
    layout = fit_title(title, measure, width=200, height=100, sizes=(40, 20))  # 20 a line, 4 lines
    assert layout.size == 20 and len(layout.lines) == 4
    assert layout.lines[-1].endswith("…") and not layout.lines[-1].endswith(" …")
    assert all(measure(line, 20) <= 200 for line in layout.lines)


def test_shorten_cuts_between_words_and_drops_trailing_punctuation():
    assert shorten("Ricerca, innovazione, salute", measure, 10, 60) == "Ricerca…"
    assert shorten("Ricerca", measure, 10, 60) == "Ricerca"  # it fits: as it is
    assert shorten("Supercalifragilistico", measure, 10, 50) == "Supercali…"  # 10 characters: exactly the width


def test_split_name_cuts_where_the_two_lines_are_most_even():
    assert split_name("Istituto Oncologico del Mediterraneo", measure, 10) == [
        "Istituto Oncologico",
        "del Mediterraneo",
    ]
    assert split_name("Ente prova", measure, 10) == ["Ente prova"]


# --- fonts, drawing, encoding ---------------------------------------------------------

ITALIAN = "àèéìòù ÀÈÉÌÒÙ ’‘“”«»–—…"


@pytest.mark.parametrize("weight", [cards.REGULAR, cards.BOLD])
def test_the_shipped_font_has_every_italian_letter_and_typographic_quote(weight):
    font = cards.font(weight, 64)
    missing = [char for char in ITALIAN if char != " " and font.getmask(char).getbbox() is None]
    assert missing == []
    assert font.getmask("\U0001f600").getbbox() is None  # the check can fail: no emoji in Titillium


def test_the_font_licence_ships_with_the_fonts():
    assert "SIL Open Font License" in (cards.FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")


CARD_NAMES = ("IOM", "Istituto Oncologico del Mediterraneo", "nella rete Innovation Life Sciences Hubs")
TEXT = CardText(
    "L’Istituto Oncologico del Mediterraneo entra nel network “Innovation Life Sciences Hubs”",
    "Notizie",
    *CARD_NAMES,
)


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        chunks.append(kind.decode())
        offset += 12 + length
    return chunks


def test_a_card_is_a_1200_by_630_png_with_no_date_or_metadata_and_the_same_bytes_every_time():
    first = encode_card(draw_card(TEXT), jpeg=False)
    again = encode_card(draw_card(TEXT), jpeg=False)
    assert first == again
    assert Image.open(io.BytesIO(first)).size == (1200, 630)
    assert png_chunks(first) == ["IHDR", "PLTE", "IDAT", "IEND"]  # no tIME, tEXt, iTXt, eXIf


def test_a_text_card_png_decodes_to_the_drawn_indices_whether_its_bands_were_remembered_or_not():
    image = draw_card(TEXT)
    first = encode_card(image, jpeg=False)  # the wordmark's and band's rows: remembered from now
    card_png._memory.clear()
    assert encode_card(image, jpeg=False) == first
    decoded = Image.open(io.BytesIO(first))
    assert decoded.mode == "P" and decoded.tobytes() == image.tobytes()
    assert decoded.getpalette() == image.getpalette()


def test_a_text_card_looks_like_the_same_text_drawn_in_colour_and_quantised():
    """The fast path (coverage mapped to ramp steps) against Pillow drawing the same texts in
    RGB on the same background and quantising: at most one step apart, on text edges only."""
    fast = draw_card(TEXT).convert("RGB")
    slow = draw_card(TEXT, Image.new("RGB", (1200, 630), cards.BACKGROUND))  # a plain picture
    slow = slow.quantize(palette=cards._ramps(), dither=Image.Dither.NONE).convert("RGB")
    difference = ImageChops.difference(fast, slow).convert("L").histogram()
    assert max(value for value, count in enumerate(difference) if count) <= 17  # one step: 242 / 15
    assert sum(difference[1:]) < 0.01 * 1200 * 630


# Reference pictures with the sha256 (first 32 digits) of their bytes when DRAWING_VERSION got
# its value.  A change that alters them must give DRAWING_VERSION a new value (cards and icons
# are named by it) and update these digests; a change that only draws faster keeps both.
ACCENTED = "Perché è così: però più città «Àèéìòù» — AVA Ty Wa LT “To” l’«ELLE» j’y " * 4
REFERENCE_CARDS = [
    (TEXT, "5690e03ba89aa5c1794a569f36a00303"),
    (CardText("Chi siamo", "", *CARD_NAMES), "aa0b32d486e10c9269b6587dc5cadadb"),
    (
        CardText(ACCENTED, "Tag", *CARD_NAMES[:2], "in the Innovation Life Sciences Hubs network"),
        "298ffd469479188d79f20278a6d16ba3",
    ),
    (CardText("Search", "Search", "", "", ""), "b9f250e09e3b8108179bf083e97ee889"),
]
REFERENCE_ICONS = {
    favicon_svg: "9dd3c4048cfafc1306097696590714f3",
    touch_icon_png: "3405deb96a4c3a2a1690a2635b137670",
    favicon_ico: "0884b036f6851339adfe24506d8a5cdb",
}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def test_the_drawing_version_names_the_pictures_a_changed_picture_needs_a_new_version():
    drawn = [digest(encode_card(draw_card(text), jpeg=False)) for text, _ in REFERENCE_CARDS]
    icons = {make: digest(make("IOM")) for make in REFERENCE_ICONS}
    assert (drawn, icons) == ([expected for _, expected in REFERENCE_CARDS], REFERENCE_ICONS), (
        "the cards or icons look different: give sitegen.cards.DRAWING_VERSION a new value, "
        "then put the new digests in this test"
    )
    assert cards.generator_version() == cards.DRAWING_VERSION


def test_a_text_card_made_from_the_frames_rows_has_the_bytes_of_the_card_drawn_and_encoded():
    for text, _ in REFERENCE_CARDS:
        assert card_text.text_card_png(text) == encode_card(draw_card(text), jpeg=False)
        card_png._memory.clear()  # and with nothing remembered
        assert card_text.text_card_png(text) == encode_card(draw_card(text), jpeg=False)


def card_drawn_whole(text: CardText) -> bytes:
    """A text card the plain way: the title's whole area drawn as coverage, turned into the
    ramp's steps, put between the frame's rows, all the rows encoded (what card_text does by parts)."""
    frame = cards._frame(text.short_name, text.full_name, text.network_line, text.section)
    rows = card_png.filtered_rows(frame.tobytes(), 1200)
    title_top, lines = cards._text_lines(text)
    coverage = Image.new("L", (1201, cards.BAND_TOP - title_top))
    for top, line, size in lines:
        card_glyphs.Glyphs(cards.font(cards.BOLD, size)).draw(coverage, cards.MARGIN + 1, top - title_top, line)
    title = coverage.tobytes().translate(bytes(card_text.TEXT_STEPS))
    raw = rows[: title_top * 1201] + title + rows[cards.BAND_TOP * 1201 :]
    return card_png.encode_rows(raw, 1200, 630, bytes(frame.getpalette("RGB")))


@settings(max_examples=40, deadline=None)
@given(title=TITLES, section=st.sampled_from(["", "Notizie"]))
@example(title="Perché è così: però più città «Àèéìòù» — AVA Ty Wa LT “To” l’«ELLE» j’y " * 4, section="Tag")
@example(title="g" * 5 + " qpjy" * 30, section="")  # descenders over the band
@example(title="AVA Ty Wa LT “To” T. f’ gjpqy ÀÈÉ " * 3, section="")  # glyphs' boxes meet
def test_a_text_card_encoded_by_parts_has_the_bytes_of_the_card_drawn_whole(title, section):
    text = CardText(title, section, *CARD_NAMES)
    assert card_text.text_card_png(text) == card_drawn_whole(text)
    assert card_text._canvas().getbbox() is None  # left blank for the next card


class FailingGlyphs(card_glyphs.Glyphs):
    """Draws the first half of a line, then fails (as a glyph FreeType could not load would)."""

    def draw(self, target: Image.Image, x: int, top: int, text: str, ink: int = 255) -> tuple[int, int, bool]:
        super().draw(target, x, top, text[: len(text) // 2], ink)
        raise MemoryError


def test_glyphs_pasted_in_the_last_step_are_their_coverage_mapped_to_the_steps_unless_their_boxes_meet():
    coverage = Image.frombytes("L", (256, 1), bytes(range(256)))
    steps = Image.new("L", (256, 1))
    steps.paste(card_text.LAST_STEP, (0, 0, 256, 1), coverage)
    assert list(steps.tobytes()) == card_text.TEXT_STEPS  # Pillow's blend rounds as TEXT_STEPS does
    canvas = Image.new("L", (1201, 300))
    lines = [(0, "Chi siamo oggi", 68), (76, "Notizie di prova", 68)]
    assert card_text._draw_lines(canvas, 0, lines, 255)[2]  # apart: the fast way
    assert not card_text._draw_lines(canvas, 0, [(0, "gjpqy", 68)], 255)[2]  # the j reaches under the g
    lines = [(0, "Chi siamo oggi", 68), (76, "È la sera", 68)]
    assert not card_text._draw_lines(canvas, 0, lines, 255)[2]  # a descender over an accent: lines meet


def test_a_card_that_fails_half_drawn_leaves_the_canvas_blank(monkeypatch):
    monkeypatch.setattr(card_text, "glyphs", lambda name, size: FailingGlyphs(cards.font(name, size)))
    with pytest.raises(MemoryError):
        card_text.text_card_png(TEXT)
    assert card_text._canvas().getbbox() is None


@settings(max_examples=60, deadline=None)
@given(
    height=st.integers(1, 100),
    seed=st.integers(0, 2**32),
    changes=st.lists(st.tuples(st.integers(0, 99), st.integers(1, 40)), max_size=4),
)
def test_an_image_encoded_into_a_base_has_the_bytes_of_the_whole_image_encoded(height, seed, changes):
    """card_png.encode_into (the base's bands and checksums kept, some rows replaced) against
    encode_rows of the same rows, whole."""
    import random

    width, rng = 37, random.Random(seed)
    pixels = bytes(rng.choice([0, 0, 0, 5, rng.randrange(64)]) for _ in range(width * height))
    raw = card_png.filtered_rows(pixels, width)
    image = card_png.base(raw, width, height, bytes(range(192)))
    bands, taken = [], set()
    for first, count in sorted(changes):
        band = first // card_png.BAND_ROWS
        stop = min(first + count, height, (band + 1) * card_png.BAND_ROWS)
        if first < height and band not in taken:
            taken.add(band)
            rows = card_png.filtered_rows(rng.randbytes(width * (stop - first)), width)
            bands.append((first, rows))
    whole = bytearray(raw)
    for first, rows in bands:
        whole[first * (width + 1) : first * (width + 1) + len(rows)] = rows
    expected = card_png.encode_rows(bytes(whole), width, height, bytes(range(192)))
    assert card_png.encode_into(image, bands) == expected
    decoded = Image.open(io.BytesIO(expected))
    assert decoded.size == (width, height)


def test_pillows_core_paste_has_the_shape_the_glyphs_use():
    """The pinned Pillow takes the fast paths; a Pillow that changes them fails here first (and builds fall back)."""
    assert card_glyphs.CORE_PASTE
    assert card_text.encoder_rows_work()


def test_cards_drawn_through_pillows_public_paste_and_crop_have_the_same_bytes(monkeypatch):
    fast = [card_text.text_card_png(text) for text, _ in REFERENCE_CARDS]
    monkeypatch.setattr(card_glyphs, "CORE_PASTE", False)
    monkeypatch.setattr(card_text, "encoder_rows_work", lambda: False)  # as another Pillow's: _rows_of crops
    card_png._memory.clear()
    for size in (68, 60, 52, 46):
        cards.glyphs(cards.BOLD, size)._placed.clear()  # placed as the core's masks: placed again
    try:
        assert [card_text.text_card_png(text) for text, _ in REFERENCE_CARDS] == fast
    finally:
        for size in (68, 60, 52, 46):
            cards.glyphs(cards.BOLD, size)._placed.clear()


def test_rows_read_from_an_image_are_those_of_its_crop():
    image = Image.effect_noise((1201, 300), 60).convert("L")
    for top, bottom in [(0, 1), (17, 47), (0, 300), (250, 300)]:
        assert card_text._rows_of(image, top, bottom) == image.crop((0, top, 1201, bottom)).tobytes()


def _deflated(module, band: bytes) -> bytes:
    """``band`` deflated as card_png does (raw, run-length, ending with a full flush) by ``module``."""
    compressor = module.compressobj(card_png.LEVEL, module.DEFLATED, -15, 8, module.Z_RLE)
    return compressor.compress(band) + compressor.flush(module.Z_FULL_FLUSH)


def _band_of_runs(runs: list[tuple[int, int]], width: int = 1201) -> bytes:
    """Rows of a card's shape: runs of palette indices (a blank background, anti-aliased ink)."""
    row = b"".join(bytes([index]) * length for index, length in runs)[:width].ljust(width, b"\0")
    return row * card_png.BAND_ROWS


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([0, 0, 0, 1, 7, 15, 16, 31, 63, 200]), st.integers(1, 400)), max_size=60),
    st.binary(max_size=3000),
)
def test_zlib_ng_deflates_a_band_to_the_bytes_zlib_makes(runs, noise):
    """card_png compresses with zlib-ng (faster) and names cards by DRAWING_VERSION, not by their
    bytes: zlib-ng must give zlib's very bytes, or cards cached before would differ from cards
    drawn again (and the reference digests above would change)."""
    from zlib_ng import zlib_ng

    for band in (_band_of_runs(runs), _band_of_runs(runs) + noise, noise):
        assert _deflated(zlib_ng, band) == _deflated(zlib, band)
        assert (zlib_ng.adler32(band), zlib_ng.crc32(band)) == (zlib.adler32(band), zlib.crc32(band))


def test_the_bands_of_the_reference_cards_deflate_with_zlib_ng_to_zlibs_bytes(monkeypatch):
    from zlib_ng import zlib_ng

    bands: list[bytes] = []
    deflate = card_png._deflated
    monkeypatch.setattr(card_png, "_deflated", lambda band: bands.append(band) or deflate(band))
    card_png._memory.clear()  # every band compressed again, none taken from memory
    for text, _ in REFERENCE_CARDS:
        encode_card(draw_card(text), jpeg=False)
    assert len(bands) > 40

    assert [_deflated(zlib_ng, band) for band in bands] == [_deflated(zlib, band) for band in bands]


@pytest.mark.parametrize("sizes", [(0, 0), (1, 7), (70_000, 3), (5, 200_000)])
def test_adler32_of_two_parts_combines_to_that_of_the_whole(sizes):
    first, second = bytes(range(256)) * (sizes[0] // 256) + b"x" * (sizes[0] % 256), b"\xfe" * sizes[1]
    combined = card_png.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(first + second)


@pytest.mark.parametrize("size", [68, 46])
@pytest.mark.parametrize(
    "line",
    [TEXT.title, "Perché è così: però più città «Àèéìòù»", "AVA Ty Wa LT “To” l’«ELLE» j’y — Qualità", "a  b"],
)
def test_a_line_set_from_remembered_glyphs_has_pillows_width_and_pixels(line, size):
    font = cards.font(cards.BOLD, size)
    glyphs = cards.glyphs(cards.BOLD, size)
    assert glyphs.width(line) == font.getlength(line)
    expected = Image.new("L", (1400, 120))
    ImageDraw.Draw(expected).text((10, 7), line, font=font, fill=255, anchor="la")
    for _ in range(2):  # the second time from the remembered glyphs only
        drawn = Image.new("L", (1400, 120))
        glyphs.draw(drawn, 10, 7, line)
        assert drawn.tobytes() == expected.tobytes()


def summed_width(glyphs: card_glyphs.Glyphs, text: str) -> float:
    """A line's width summed over all its glyphs: what Glyphs.width computed before it remembered widths."""
    kernings = sum(glyphs.kerning(text[i : i + 2]) for i in range(len(text) - 1))
    return sum(glyphs.advance(char) for char in text) + kernings


@settings(max_examples=150, deadline=None)
@given(title=TITLES, size=st.sampled_from(TITLE_SIZES))
@example(title="AVA " * 60 + "https://example.org/" + "a" * 200, size=46)
def test_a_remembered_width_is_the_sum_over_every_glyph_and_a_title_is_laid_out_as_before(title, size):
    """Widths grown from the line before (card_glyphs.Glyphs.width) are exactly the sums over
    every glyph (multiples of 1/64: exact in floats), so fit_title gives the same lines."""
    glyphs = cards.glyphs(cards.BOLD, size)
    words = title.split()
    lines = [" ".join(words[:count]) for count in range(1, len(words) + 1)] + [title, title[:-1], title + "…"]
    for line in lines + [word[:cut] for word in words for cut in range(1, len(word) + 1)]:
        assert glyphs.width(line) == summed_width(glyphs, line), line
    fresh = card_glyphs.Glyphs(cards.font(cards.BOLD, size))
    summed = fit_title(title, lambda text, at: summed_width(cards.glyphs(cards.BOLD, at), text), 1040, 220)
    assert fit_title(title, cards.measure_with(cards.BOLD), 1040, 220) == summed
    assert fresh.width(title) == cards.font(cards.BOLD, size).getlength(title)


def test_a_card_with_a_picture_is_a_jpeg_covering_the_card():
    photo = Image.new("RGB", (800, 1000), (200, 40, 40))  # portrait: cropped, not stretched
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG")
    cropped = cards.crop_picture(buffer.getvalue())
    assert cropped.size == (1200, 630)
    data = encode_card(draw_card(TEXT, cropped), jpeg=True)
    assert data == encode_card(draw_card(TEXT, cards.crop_picture(buffer.getvalue())), jpeg=True)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", (1200, 630))
    assert "exif" not in image.info
    # the picture shows through the brand colour: red stays redder than the plain card
    assert (
        image.getpixel((1100, 300))[0]
        > Image.open(io.BytesIO(encode_card(draw_card(TEXT), False))).convert("RGB").getpixel((1100, 300))[0]
    )


def test_a_picture_that_is_not_an_image_raises():
    with pytest.raises((OSError, ValueError)):
        cards.crop_picture(b"not an image")


def test_the_title_changes_the_key_and_nothing_else_the_card_does_not_show():
    changed = CardText(**{**TEXT.__dict__, "title": TEXT.title + "!"})
    assert card_key(changed) != card_key(TEXT)
    assert card_key(CardText(**TEXT.__dict__)) == card_key(TEXT)
    assert card_key(CardText(**{**TEXT.__dict__, "picture_digest": "ab"})) != card_key(TEXT)


# --- icons ------------------------------------------------------------------------------


def test_the_favicon_is_an_svg_of_the_wordmark_outlines():
    svg = favicon_svg.__wrapped__("IOM")
    assert svg == favicon_svg("IOM")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 64 64"
    path = root.find("{http://www.w3.org/2000/svg}path")
    assert path is not None and path.get("d", "").count("Z") >= 3  # I, the two rings of O, M
    assert "<text" not in svg.decode()  # outlines: no font needed where it is shown


@pytest.mark.parametrize("text", ["IOM", "Hubs", "Qàé’", "S"])
def test_outlines_read_from_the_font_have_the_ink_freetype_draws(text):
    """At 1000 px a font unit is a pixel: our outlines' bounds are FreeType's, curves' overshoot included."""
    ttf = TrueTypeFont((cards.FONTS_DIR / cards.BOLD).read_bytes())
    assert ttf.units_per_em == 1000
    path, (left, top, right, bottom) = text_outline(ttf, text)
    ink = cards.font(cards.BOLD, 1000).getmask(text).getbbox()
    assert ink is not None
    assert abs((right - left) - (ink[2] - ink[0])) <= 1 and abs((bottom - top) - (ink[3] - ink[1])) <= 1
    assert path.startswith("M") and path.endswith("Z")


def test_a_character_the_font_lacks_is_glyph_zero_and_a_space_has_no_outline():
    ttf = TrueTypeFont((cards.FONTS_DIR / cards.BOLD).read_bytes())
    assert ttf.glyph_id("\U0001f600") == 0
    assert text_outline(ttf, " ") == ("", (0.0, 0.0, 0.0, 0.0))
    assert ttf.advance(ttf.glyph_id(" ")) > 0


def test_the_touch_icon_and_ico_are_made_from_the_same_picture():
    png = Image.open(io.BytesIO(touch_icon_png("IOM")))
    assert (png.format, png.size) == ("PNG", (180, 180))
    ico = Image.open(io.BytesIO(favicon_ico("IOM")))
    assert ico.format == "ICO" and (48, 48) in ico.info["sizes"]
    assert touch_icon_png.__wrapped__("IOM") == touch_icon_png("IOM")


# --- in a build: the cache and the pages --------------------------------------------------


def build(site: Path, *extra: str) -> None:
    assert main(["build", "--config", str(site / "config.yaml"), "--now", NOW_ARG, *extra]) == 0


def cached(site: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (site / ".cache" / "cards").iterdir()}


def test_a_changed_title_makes_one_new_card_and_the_others_are_not_encoded_again(fixture_site, monkeypatch):
    site = fixture_site("basic")
    encoded: list[bool] = []
    real, real_text = cards.encode_card, card_text.text_card_png
    monkeypatch.setattr(card_files, "encode_card", lambda image, jpeg: encoded.append(jpeg) or real(image, jpeg))
    monkeypatch.setattr(card_text, "text_card_png", lambda text: encoded.append(False) or real_text(text))
    build(site)
    first = cached(site)
    assert len(encoded) == len(first) > 10
    encoded.clear()
    build(site)
    assert encoded == [] and cached(site) == first
    item = site / "content" / "it" / "notizie" / "prima.md"
    item.write_text(item.read_text(encoding="utf-8").replace('title: "', 'title: "Nuovo: ', 1), encoding="utf-8")
    old_card = parse_page(site / "public" / "notizie" / "prima" / "index.html").meta["og:image"].rsplit("/", 1)[1]
    build(site)
    assert len(encoded) == 1
    now = cached(site)
    page = parse_page(site / "public" / "notizie" / "prima" / "index.html")
    new_card = page.meta["og:image"].rsplit("/", 1)[1]
    assert set(now) - set(first) == {new_card} and set(first) - set(now) == {old_card}  # the old card pruned
    assert {name: now[name] for name in first if name != old_card} == {  # the others untouched
        name: mtime for name, mtime in first.items() if name != old_card
    }
    assert (site / "public" / "static" / "cards" / new_card).is_file()


def test_no_cache_draws_every_card_again_to_the_same_bytes(fixture_site):
    site = fixture_site("basic")
    build(site)
    before = {p.name: p.read_bytes() for p in (site / "public" / "static" / "cards").iterdir()}
    for card in (site / ".cache" / "cards").iterdir():
        card.write_bytes(b"stale")  # --no-cache must not read it
    build(site, "--no-cache")
    after = {p.name: p.read_bytes() for p in (site / "public" / "static" / "cards").iterdir()}
    assert after == before


PICTURE_ITEM = """---
title: "Con foto"
date: 2026-11-20
image: foto.jpg
image_alt: "Il laboratorio dell’istituto"
---

Testo di prova (dati di fixture).
"""


def test_a_news_item_with_its_own_picture_gets_a_jpeg_card_and_an_alt_that_says_what_it_shows(fixture_site):
    site = fixture_site("basic")
    folder = site / "content" / "it" / "notizie"
    Image.new("RGB", (1600, 1200), (30, 140, 90)).save(folder / "foto.jpg", "JPEG")
    (folder / "con-foto.md").write_text(PICTURE_ITEM, encoding="utf-8")
    build(site)
    info = parse_page(site / "public" / "notizie" / "con-foto" / "index.html")
    assert info.meta["og:image:type"] == "image/jpeg"
    assert info.meta["og:image:alt"].startswith("Il laboratorio dell’istituto. Notizie: Con foto — ")
    card = site / "public" / info.meta["og:image"].removeprefix("https://example.org/")
    assert Image.open(card).size == (1200, 630) and card.suffix == ".jpg"
    article = next(node for node in json_ld(info)[0]["@graph"] if node["@type"] == "NewsArticle")
    assert article["image"] == [info.meta["og:image"]]
    # a new picture (same file name, same Markdown) makes a new card, and the page points to it
    Image.new("RGB", (1600, 1200), (140, 30, 90)).save(folder / "foto.jpg", "JPEG")
    build(site)
    again = parse_page(site / "public" / "notizie" / "con-foto" / "index.html")
    assert again.meta["og:image"] != info.meta["og:image"]
    assert (site / "public" / again.meta["og:image"].removeprefix("https://example.org/")).is_file()


def test_a_card_file_is_written_whole_into_a_folder_made_when_missing_and_leaves_nothing_when_it_fails(tmp_path):
    target = tmp_path / "cards" / "deeper" / "card.png"
    card_files.write_atomically(target, b"first")
    card_files.write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [path.name for path in target.parent.iterdir()] == ["card.png"]
    (target.parent / "taken.png").mkdir()  # a folder in the way: the rename fails
    with pytest.raises(OSError):
        card_files.write_atomically(target.parent / "taken.png", b"third")
    assert sorted(path.name for path in target.parent.iterdir()) == ["card.png", "taken.png"]


def test_a_new_file_is_written_without_a_temporary_name_and_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    import os

    from sitegen.cache import files

    assert files._LINKAT is not None  # Linux: the unnamed way is the one a cold build takes
    made: list[str] = []
    create = files._create
    monkeypatch.setattr(files, "_create", lambda path, *rest: made.append(path) or create(path, *rest))
    card = tmp_path / "cache" / "cards" / "card.png"  # (the folder made on the way)
    card_files.write_atomically(card, b"png" * 1000)
    assert card.read_bytes() == b"png" * 1000
    assert made == [str(card.parent)] * 2  # the folder opened for an unnamed file (once more after making it)
    assert sorted(path.name for path in card.parent.iterdir()) == ["card.png"]
    assert card.stat().st_mode & 0o044 == 0o044 and card.stat().st_nlink == 1
    card_files.write_atomically(card, b"again")  # it exists now: replaced through a temporary name
    assert card.read_bytes() == b"again" and made[-1].endswith(".tmp")
    # a write that fails half-way leaves no file, named or not
    monkeypatch.setattr(os, "write", lambda *args: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        card_files.write_atomically(card.parent / "other.png", b"x" * 10)
    assert sorted(path.name for path in card.parent.iterdir()) == ["card.png"]
    monkeypatch.undo()
    monkeypatch.setattr(files, "_LINKAT", None)  # elsewhere (not Linux, no O_TMPFILE): the temporary name
    card_files.write_atomically(card.parent / "third.png", b"3")
    assert (card.parent / "third.png").read_bytes() == b"3"


def test_the_one_atomic_writer_never_writes_through_a_link_planted_at_its_temporary_name(tmp_path):
    import os
    import threading

    from sitegen.cache.files import write_atomic

    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    target = tmp_path / "cache" / "record.json"
    target.parent.mkdir()
    target.write_bytes(b"old")  # a file replaced goes through a temporary name (a new one, see below, need not)
    planted = target.parent / f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    planted.symlink_to(outside)  # (or a leftover of a process that died with this pid)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and not target.is_symlink()
    assert outside.read_bytes() == b"keep"
    assert sorted(path.name for path in target.parent.iterdir()) == ["record.json"]
    assert target.stat().st_mode & 0o777 == 0o600  # a cache record: this user's
    card = tmp_path / "cache" / "cards" / "card.png"
    card_files.write_atomically(card, b"png")
    assert card.stat().st_mode & 0o044 == 0o044  # a card, linked into the site: readable by all (umask permitting)
