"""Social cards: the 1200×630 picture a shared link shows (``og:image``), made with Pillow.

A card shows the typographic wordmark (the organisation's short and full name, the network
it belongs to), the page's section and its title; a document may name its own picture
(front matter ``image:``), cropped to cover the card under the same text.

The parts, from pure to I/O:

* :class:`CardText` is everything a card shows; its :func:`card_key` (with the drawing's
  version, :data:`DRAWING_VERSION`) names the card, so a changed title makes a new card
  and an unchanged one is never encoded again;
* :mod:`sitegen.card_layout` lays the title out, given only a ``measure`` function;
* :func:`draw_card` and :func:`encode_card` turn a :class:`CardText` into bytes, the same
  bytes on every run (no time, no random data; the layout engine is FreeType's basic one, so
  no system library changes the result).  A card without picture is encoded faster by
  :func:`sitegen.card_text.text_card_png`, to the same bytes: what cards share is drawn and
  compressed once per process, the title is set from remembered glyphs
  (:mod:`sitegen.card_glyphs`) straight into palette indices, and only the rows it reaches
  are compressed (:mod:`sitegen.card_png`);
* :func:`page_card` makes a page's :class:`PageCard` (its URL and alt text, for the page's
  head), and :func:`sitegen.card_files.card_files` renders the missing cards into ``<cache_dir>/cards/``.

Cards are published at ``/static/cards/<key>.png``: content-addressed, so they can be cached
for a year like the other ``/static/`` files, and a changed card gets a new address, which
makes the social networks (that cache a picture by its URL) fetch the new one.  This module's
cache is self-contained (one file per card, written atomically): deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .urls import absolute

# Pillow (and the glyph cache built on it) is imported by the functions that draw, not
# here: a build whose cards are all in the cache draws nothing, and importing Pillow cost
# about 10 ms of every such build.  The title's layout and the PNG encoder are imported
# there as well, for the same reason (about 1 ms).
if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image, ImageDraw, ImageFont

    from .card_glyphs import Glyphs
    from .card_layout import Measure
    from .config import Config
    from .content import Document
    from .site import Site

WIDTH, HEIGHT = 1200, 630
CARDS_DIR = "static/cards"
FONTS_DIR = Path(__file__).resolve().parent / "resources" / "fonts"
REGULAR, BOLD = "TitilliumWeb-Regular.ttf", "TitilliumWeb-Bold.ttf"

# Colours: white and a light teal on a deep blue (contrast 13.5:1 and 7.9:1).
BACKGROUND = (13, 48, 80)
BAND = (9, 34, 58)
TEXT = (255, 255, 255)
ACCENT = (124, 214, 200)

MARGIN = 80
TITLE_TOP, KICKER_TOP, BAND_TOP = 292, 240, 540

# The version of the pictures, part of every card's and icon's name (see card_key).  It names
# what is drawn, not the code that draws it: a change that alters one pixel of a card or icon
# (layout, colours, fonts, encoding) must give it a new value, and tests/test_cards.py fails
# until it does (it keeps the digests of reference cards); a change that only draws the same
# bytes faster keeps it, so that pages and the social networks' caches keep their cards' URLs.
# (The value is a hash of the drawing code and fonts when the version was given: card_png.py,
# card_glyphs.py, card_layout.py and the fonts, for the deflate strategy of card_png.STRATEGY.)
DRAWING_VERSION = "801ec03dc276763957ea3f4a6eba6cd8558040e25281116b98374376a3962201"

# Which section a page belongs to, by template: the strings key of its label (none for pages).
SECTIONS = {
    "news_item.html": "news",
    "news_list.html": "news",
    "tags.html": "tags",
    "tag.html": "tags",
    "search.html": "search",
}

CARDS_FOLDER = "cards"  # in the cache folder: one file per card, named by its key (pruned by sitegen.build)


@dataclass(frozen=True)
class CardText:
    """Everything a card shows: two cards with equal texts (and picture bytes) are the same picture."""

    title: str
    section: str  # "" for a page outside the news, tags and search
    short_name: str  # "IOM"
    full_name: str  # "Istituto Oncologico del Mediterraneo"
    network_line: str  # "nella rete Innovation Life Sciences Hubs"
    picture_digest: str = ""  # sha256 of the picture's bytes, "" for a card without one


@dataclass(frozen=True)
class PageCard:
    """A page's card: what the page's head says about it, and where its file is published."""

    text: CardText
    key: str
    picture: Path | None  # the document's own picture (``image:``), to crop under the text
    alt: str

    @property
    def mime(self) -> str:
        return "image/jpeg" if self.picture is not None else "image/png"

    @property
    def file(self) -> str:
        """The output file, e.g. ``static/cards/0f3c….png``."""
        return f"{CARDS_DIR}/{self.key}.{'jpg' if self.picture is not None else 'png'}"

    def head(self, base_url: str) -> dict[str, str | int]:
        """The values of the page's ``og:image`` and ``twitter:image`` tags."""
        return {
            "url": absolute("/" + self.file, base_url),
            "alt": self.alt,
            "type": self.mime,
            "width": WIDTH,
            "height": HEIGHT,
        }


# --- drawing ---------------------------------------------------------------------------


@lru_cache(maxsize=32)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A shipped font at a size; FreeType's basic layout (kerning, no system shaping library)."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONTS_DIR / name), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=32)
def glyphs(name: str, size: int) -> Glyphs:
    """A shipped font at a size, measuring and drawing from the glyphs it has met (the same pixels)."""
    from .card_glyphs import Glyphs

    return Glyphs(font(name, size))


def measure_with(name: str) -> Measure:
    return lambda text, size: glyphs(name, size).width(text)


def draw_card(text: CardText, picture: Image.Image | None = None) -> Image.Image:
    """The card: without ``picture``, a palette image (:func:`_ramps`); with it (already cropped
    to the card), an RGB image of the picture darkened under the text."""
    from PIL import Image, ImageDraw

    if picture is None:
        return _text_card(text)
    # the text stays readable on any photo: the brand colour laid over it at 70 %
    image = Image.blend(picture.convert("RGB"), Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND), 0.7)
    draw = ImageDraw.Draw(image)
    _draw_wordmark(draw, text)
    _draw_kicker(draw, text.section)
    for top, line, size in _text_lines(text)[1]:
        draw.text((MARGIN, top), line, font=font(BOLD, size), fill=TEXT, anchor="la")
    _draw_band(draw, text.network_line)  # over the title's descenders, as on a text card
    return image


def _text_lines(text: CardText) -> tuple[int, list[tuple[int, str, int]]]:
    """Where the title starts, and its lines: (top, text, bold size) each."""
    from .card_layout import fit_title

    title_top = TITLE_TOP if text.section else KICKER_TOP
    layout = fit_title(text.title, measure_with(BOLD), WIDTH - 2 * MARGIN, BAND_TOP - 28 - title_top)
    lines = [(title_top + number * layout.line_height, line, layout.size) for number, line in enumerate(layout.lines)]
    return title_top, lines


def _draw_kicker(draw: ImageDraw.ImageDraw, section: str) -> None:
    if section:
        draw.text((MARGIN, KICKER_TOP), section.upper(), font=font(BOLD, 28), fill=ACCENT, anchor="la")


def _text_card(text: CardText) -> Image.Image:
    """A card without picture, drawn fast (see :mod:`sitegen.card_text`): a palette image."""
    from PIL import Image

    from .card_text import ROW, text_card_rows

    rows = Image.frombytes("P", (ROW, HEIGHT), text_card_rows(text)).crop((1, 0, ROW, HEIGHT))  # no filter bytes
    rows.putpalette(_frame(text.short_name, text.full_name, text.network_line, text.section).getpalette() or [])
    return rows


@lru_cache(maxsize=16)
def _frame(short_name: str, full_name: str, network_line: str, section: str) -> Image.Image:
    """What every text card of a language and section shares (background, wordmark, section,
    band, network line), drawn and quantised to the ramps once per process."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_wordmark(draw, CardText("", section, short_name, full_name, network_line))
    _draw_kicker(draw, section)
    _draw_band(draw, network_line)
    return image.quantize(palette=_ramps(), dither=Image.Dither.NONE)


def _draw_band(draw: ImageDraw.ImageDraw, network_line: str) -> None:
    """The dark band at the foot, its accent rule, and the network's line in it."""
    draw.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=BAND)
    draw.rectangle((0, BAND_TOP, WIDTH, BAND_TOP + 5), fill=ACCENT)
    if network_line:
        from .card_layout import shorten

        line = shorten(network_line, measure_with(REGULAR), 32, WIDTH - 2 * MARGIN)
        draw.text((MARGIN, (BAND_TOP + 5 + HEIGHT) // 2), line, font=font(REGULAR, 32), fill=TEXT, anchor="lm")


def _draw_wordmark(draw: ImageDraw.ImageDraw, text: CardText) -> None:
    """ "IOM" in bold, an accent rule, and the full name on two lines beside it."""
    x, top = MARGIN, 64
    if text.short_name:
        mark = font(BOLD, 96)
        draw.text((x, top), text.short_name, font=mark, fill=TEXT, anchor="la")
        x += round(mark.getlength(text.short_name)) + 28
        draw.rectangle((x, top + 24, x + 5, top + 112), fill=ACCENT)
        x += 5 + 28
    if text.full_name:
        from .card_layout import split_name

        lines = split_name(text.full_name, measure_with(REGULAR), 34)
        for number, line in enumerate(lines):
            y = top + 68 - 19 * (len(lines) - 1) + 40 * number
            draw.text((x, y), line, font=font(REGULAR, 34), fill=TEXT, anchor="lm")


def crop_picture(data: bytes) -> Image.Image:
    """A picture's bytes, turned upright (EXIF) and cropped to cover the card.  Raises
    :class:`OSError` or :class:`ValueError` (Pillow's ``DecompressionBombError`` too) when
    it is not a readable image."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        opened.draft("RGB", (WIDTH, HEIGHT))  # JPEG: decode at the smallest scale still large enough
        upright = ImageOps.exif_transpose(opened).convert("RGB")
    return ImageOps.fit(upright, (WIDTH, HEIGHT), method=Image.Resampling.LANCZOS)


def encode_card(image: Image.Image, jpeg: bool) -> bytes:
    """The card's file: a PNG of at most 64 colours (text on flat colour: small and sharp),
    or a JPEG for a card with a photo.  Neither carries a date or metadata."""
    from PIL import Image

    from .card_png import encode_png

    buffer = io.BytesIO()
    if jpeg:
        image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        return buffer.getvalue()
    if image.mode != "P":  # every pixel of a text card lies on a ramp between two of its colours
        image = image.quantize(palette=_ramps(), dither=Image.Dither.NONE)
    return encode_png(image)


@lru_cache(maxsize=1)
def _ramps() -> Image.Image:
    """The palette of a text card: 16 steps from each background to each ink (anti-aliased edges)."""
    from PIL import Image

    colours: list[int] = []
    for start, end in ((BACKGROUND, TEXT), (BACKGROUND, ACCENT), (BAND, TEXT), (BAND, ACCENT)):
        for step in range(16):
            colours += [round(a + (b - a) * step / 15) for a, b in zip(start, end, strict=True)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


# --- keys, pages and the cache (the I/O) ----------------------------------------------


def generator_version() -> str:
    """The version of the pictures (:data:`DRAWING_VERSION`): a new one draws every card and icon again."""
    return DRAWING_VERSION


@lru_cache(maxsize=256)
def _card_frame(network_text: str, network: str, section: str, short_name: str, full_name: str) -> tuple[str, str, str]:
    """What every card of a section shows besides its title, made once per plan rather than per page:
    (network line, the section casefolded, the alt text's end: " — who. network line")."""
    network_line = network_text.format(network=network) if network else ""
    who = ", ".join(part for part in (short_name, full_name) if part)
    return network_line, section.casefold(), f" — {who}" + (f". {network_line}" if network_line else "")


def card_key(text: CardText) -> str:
    """The card's name: a hash of everything it shows and of the generator's version."""
    fields = (generator_version(), text.title, text.section, text.short_name, text.full_name, text.network_line)
    digest = hashlib.sha256("\x1f".join(fields).encode("utf-8", "surrogatepass"))
    digest.update(b"\x1e" + text.picture_digest.encode())
    return digest.hexdigest()[:24]


def picture_file(config: Config, doc: Document) -> tuple[Path | None, str]:
    """The file a document's ``image:`` names, or ``None`` and the code of what is wrong.

    Written like an image in a body: relative to the Markdown file (``foto.jpg``,
    ``../../media/foto.jpg``), or from the content folder's root (``/media/foto.jpg``).
    """
    image = (doc.meta.image or "").strip()
    rel = image.lstrip("/") if image.startswith("/") else posixpath.join(posixpath.dirname(doc.source.rel), image)
    rel = posixpath.normpath(rel)
    if rel.startswith("../") or rel in ("..", ".") or any(part.startswith(".") for part in rel.split("/")):
        return None, "fm_image_outside"
    root = os.path.realpath(config.content_dir)
    path = os.path.realpath(os.path.join(root, rel))
    if not path.startswith(root + os.sep):
        return None, "fm_image_outside"
    if not os.path.isfile(path):
        return None, "fm_image_missing"
    return Path(path), ""


@lru_cache(maxsize=4096)
def _digest_of(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, read again only when its size or time changed."""
    st = path.stat()
    return _digest_of(path, st.st_size, st.st_mtime_ns)


def page_card(site: Site, t: dict[str, str], template: str, doc: Document | None, title: str) -> PageCard:
    """The card of a page: its title, section and the site's wordmark; a document's own picture."""
    config = site.config
    org, network = config.organization, config.network["name"]
    picture, digest = None, ""
    if doc is not None and doc.meta.image:
        picture = picture_file(config, doc)[0]
        digest = file_digest(picture) if picture is not None else ""
    section = t[SECTIONS[template]] if template in SECTIONS else ""
    short_name, full_name = org["short_name"], org["name"] or config.site_name[config.default_language]
    network_line, folded, signature = _card_frame(t["card_network"], network, section, short_name, full_name)
    if folded == title.casefold():  # "Notizie" over "Notizie": once
        section = ""
    text = CardText(title, section, short_name, full_name, network_line, digest)
    said = f"{section}: {title}" if section else title
    alt = f"{said}{signature}"
    if picture is not None and doc is not None and doc.meta.image_alt:
        alt = f"{doc.meta.image_alt.rstrip('.')}. {alt}"
    return PageCard(text, card_key(text), picture, alt)
