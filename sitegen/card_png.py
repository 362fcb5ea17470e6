"""A PNG writer for the social cards' palette images, fast because most of a card repeats.

Every text card of a language has the same wordmark at the top, the same network band at
the bottom and blank background between the lines of text.  The image's rows are
compressed in bands of :data:`BAND_ROWS` rows, each band on its own (a deflate "full
flush" ends it, so its bytes do not depend on the bands before it); a band equal to one
already compressed at the same place is copied from a small memory of this process
instead of being compressed again.  The file is therefore the same bytes whether a band
was remembered or not: only the time differs.  An image that differs from a known one in a
few rows (a text card from its frame) goes further (:func:`encode_into`): the known image's
bands and their checksums are made once (:func:`base`), and only the bands that the new rows
reach are put together, looked up and compressed.

The file has the four chunks a viewer needs (IHDR, PLTE, IDAT, IEND): no date, no text,
no metadata.  Rows are not filtered (filter type 0): on flat colour and text the filters
gain little and cost time.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

# zlib-ng: zlib's interface and, for this strategy, zlib's very bytes (tests/test_cards.py
# compares the two on every band of the reference cards and on generated ones), made in two
# thirds of the time, and Adler-32 twenty times faster (SIMD): a cold build draws a card a page.
from zlib_ng import zlib_ng as zlib

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

BAND_ROWS = 30  # a band: 30 rows of 1 201 bytes (filter byte + 1 200 indices) for a card
LEVEL = 5  # (with Z_RLE, any level above 0 compresses the same way)
# Runs only (deflate's distance 1): a card is flat colour and anti-aliased text, so runs are most
# of what any level finds.  Measured on 400 news cards: 0.90 ms a card instead of 1.31 with the
# default strategy at level 5, for 25 KB instead of 20 KB (the same pixels: only link previews
# fetch a card, never a visitor's page).
STRATEGY = zlib.Z_RLE
REMEMBERED = 4  # bands remembered per place: the blank one and the wordmark stay, text passes

SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZLIB_HEADER = b"\x78\x9c"  # deflate, 32 KB window, default level (the level bits are only a hint)
LAST_BLOCK = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 8, STRATEGY).flush()  # an empty final block

# (offset of the band in the image's bytes, its length) → [(band, compressed, adler32)], most used first
_memory: dict[tuple[int, int], list[tuple[bytes, bytes, int]]] = {}


def encode_png(image: Image.Image) -> bytes:
    """``image`` (mode ``"P"``, at most 256 colours) as a PNG file, 8 bits per pixel."""
    if image.mode != "P":
        raise ValueError(f"encode_png needs a palette image, not {image.mode!r}")
    width, height = image.size
    palette = bytes(image.getpalette("RGB") or [0, 0, 0])
    return encode_rows(filtered_rows(image.tobytes(), width), width, height, palette)


def filtered_rows(pixels: bytes, width: int) -> bytes:
    """Rows of ``width`` palette indices, each behind its filter type byte (0: none)."""
    return b"".join([b"", *(b"\0" + pixels[start : start + width] for start in range(0, len(pixels), width))])


def encode_rows(raw: bytes, width: int, height: int, palette: bytes) -> bytes:
    """The PNG file of ``raw``, the image's rows as :func:`filtered_rows` makes them, and its
    ``palette`` (RGB bytes)."""
    step = (width + 1) * BAND_ROWS
    parts, checksum = [ZLIB_HEADER], zlib.adler32(b"")
    for start in range(0, len(raw), step):
        band = raw[start : start + step]
        packed, band_checksum = _compressed(band, start)
        parts.append(packed)
        checksum = adler32_combine(checksum, band_checksum, len(band))
    return _png(width, height, palette, parts, checksum)


@dataclass(frozen=True)
class Base:
    """An image that other rows are put into (a card's frame, :func:`encode_into`): its rows as
    :func:`filtered_rows` makes them, and what encoding them takes, done once."""

    raw: bytes
    width: int
    height: int
    palette: bytes
    bands: tuple[bytes, ...]  # each band deflated on its own
    spans: Mapping[tuple[int, int], int]  # (first band, band after the last) → the Adler-32 of their rows


def base(raw: bytes, width: int, height: int, palette: bytes) -> Base:
    """The :class:`Base` of the image whose rows are ``raw``."""
    step = (width + 1) * BAND_ROWS
    bands = [raw[start : start + step] for start in range(0, len(raw), step)]
    checksums, spans = [zlib.adler32(band) for band in bands], {}
    for first in range(len(bands) + 1):
        spans[first, first] = checksum = zlib.adler32(b"")
        for stop in range(first + 1, len(bands) + 1):
            checksum = adler32_combine(checksum, checksums[stop - 1], len(bands[stop - 1]))
            spans[first, stop] = checksum
    return Base(raw, width, height, palette, tuple(_deflated(band) for band in bands), spans)


def encode_into(image: Base, bands: list[tuple[int, bytes]]) -> bytes:
    """``encode_rows`` of ``image``'s rows with some replaced: ``bands`` is (first row, rows)
    for each band of the image that changes (rows as :func:`filtered_rows` makes them, each
    part within one band, at most one a band, in order).  The same bytes, but only the bands that change are put
    together and compressed: the others are the base's."""
    raw, line = image.raw, image.width + 1
    step = line * BAND_ROWS
    parts, checksum, done = [ZLIB_HEADER], zlib.adler32(b""), 0  # done: the bands before the next to change
    for first, rows in bands:
        start = first * line
        index, stop = start // step, start + len(rows)
        band_start, band_stop = index * step, min(index * step + step, len(raw))
        band = b"".join([raw[band_start:start], rows, raw[stop:band_stop]])
        parts += image.bands[done:index]
        packed, band_checksum = _compressed(band, band_start)
        parts.append(packed)
        checksum = adler32_combine(checksum, image.spans[done, index], band_start - done * step)
        checksum = adler32_combine(checksum, band_checksum, len(band))
        done = index + 1
    parts += image.bands[done:]
    checksum = adler32_combine(checksum, image.spans[done, len(image.bands)], max(len(raw) - done * step, 0))
    return _png(image.width, image.height, image.palette, parts, checksum)


def _png(width: int, height: int, palette: bytes, parts: list[bytes], checksum: int) -> bytes:
    """The file: the image's deflated bands (``parts``, after the zlib header) and the Adler-32 of its rows."""
    stream = b"".join([*parts, LAST_BLOCK, struct.pack(">I", checksum)])
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette, no interlace
    return b"".join(
        [SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette), _chunk(b"IDAT", stream), _chunk(b"IEND", b"")]
    )


def _compressed(band: bytes, start: int) -> tuple[bytes, int]:
    """``band`` deflated on its own (ending with a full flush) and its Adler-32, from memory
    when seen at this place before."""
    remembered = _memory.setdefault((start, len(band)), [])
    for index, (seen, packed, checksum) in enumerate(remembered):
        if seen == band:
            remembered.insert(0, remembered.pop(index))  # what repeats moves to the front
            return packed, checksum
    packed = _deflated(band)
    checksum = zlib.adler32(band)
    if len(remembered) >= REMEMBERED:
        remembered.pop()  # a band of text, seen once, takes the last place and leaves it next
    remembered.append((band, packed, checksum))
    return packed, checksum


def _deflated(band: bytes) -> bytes:
    """``band`` deflated on its own, ending with a full flush (raw deflate: one zlib header for all)."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 8, STRATEGY)
    return compressor.compress(band) + compressor.flush(zlib.Z_FULL_FLUSH)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from theirs (zlib's
    ``adler32_combine``, which Python's zlib module does not offer)."""
    base = 65521
    rest = second_length % base
    low = ((first & 0xFFFF) + (second & 0xFFFF) + base - 1) % base
    high = (rest * (first & 0xFFFF) + (first >> 16) + (second >> 16) + base - rest) % base
    return low | (high << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
