"""Glyph outlines of a TrueType font as SVG path data, read with :mod:`struct` (the favicon's letters).

Only what the favicon needs, from the OpenType specification: the table directory, ``head``
(units per em, ``loca`` format), ``hhea``/``hmtx`` (advance widths), ``cmap`` format 4 (the
Basic Multilingual Plane) and simple ``glyf`` outlines, whose quadratic curves map one to one
onto SVG's ``Q``.  A composite glyph (accented capitals, say) is refused with
:class:`ValueError`: the wordmark's letters are simple ones.  A dependency (fontTools) would
read everything; this reads the little that is used.
"""

from __future__ import annotations

import struct

Point = tuple[float, float, bool]  # x, y (font units, upwards), on the curve


class TrueTypeFont:
    """A TrueType font file's bytes, with the few tables the outlines need."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        (count,) = struct.unpack_from(">H", data, 4)
        self.tables: dict[str, int] = {}
        for index in range(count):
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
            self.tables[tag.decode("latin-1")] = offset
        head = self.tables["head"]
        (self.units_per_em,) = struct.unpack_from(">H", data, head + 18)
        (self.long_offsets,) = struct.unpack_from(">h", data, head + 50)
        (self.metrics,) = struct.unpack_from(">H", data, self.tables["hhea"] + 34)

    def _u16(self, offset: int) -> int:
        value: int = struct.unpack_from(">H", self.data, offset)[0]
        return value

    def glyph_id(self, char: str) -> int:
        """The glyph of a character (0, ``.notdef``, when the font has none), from cmap format 4."""
        code, base = ord(char), self.tables["cmap"]
        for index in range(self._u16(base + 2)):
            platform, encoding, offset = struct.unpack_from(">HHI", self.data, base + 4 + 8 * index)
            table = base + offset
            if (platform, encoding) in ((3, 1), (0, 3)) and self._u16(table) == 4:
                return self._format4(table, code)
        raise ValueError("the font has no Unicode cmap of format 4")

    def _format4(self, table: int, code: int) -> int:
        twice = self._u16(table + 6)
        ends, starts = table + 14, table + 16 + twice
        deltas, ranges = starts + twice, starts + 2 * twice
        for segment in range(twice // 2):
            if self._u16(ends + 2 * segment) < code:
                continue
            start = self._u16(starts + 2 * segment)
            if code < start:
                return 0
            delta = struct.unpack_from(">h", self.data, deltas + 2 * segment)[0]
            range_offset = self._u16(ranges + 2 * segment)
            if range_offset == 0:
                return int((code + delta) & 0xFFFF)
            glyph = self._u16(ranges + 2 * segment + range_offset + 2 * (code - start))
            return int((glyph + delta) & 0xFFFF) if glyph else 0
        return 0

    def advance(self, glyph: int) -> int:
        """The glyph's advance width (hmtx: glyphs past the last metric share its width)."""
        return self._u16(self.tables["hmtx"] + 4 * min(glyph, self.metrics - 1))

    def contours(self, glyph: int) -> list[list[Point]]:
        """The glyph's contours as points; ``[]`` for an empty glyph (a space)."""
        loca, glyf = self.tables["loca"], self.tables["glyf"]
        if self.long_offsets:
            start, end = struct.unpack_from(">II", self.data, loca + 4 * glyph)
        else:
            start, end = (2 * value for value in struct.unpack_from(">HH", self.data, loca + 2 * glyph))
        if start == end:
            return []
        at = glyf + start
        (count,) = struct.unpack_from(">h", self.data, at)
        if count < 0:
            raise ValueError(f"glyph {glyph} is a composite glyph")
        last_points = struct.unpack_from(f">{count}H", self.data, at + 10)
        total = last_points[-1] + 1
        at += 10 + 2 * count
        at += 2 + self._u16(at)  # the hinting instructions
        flags: list[int] = []
        while len(flags) < total:
            flag = self.data[at]
            at += 1
            flags.append(flag)
            if flag & 8:  # repeated
                flags += [flag] * self.data[at]
                at += 1
        xs, at = self._coordinates(flags, at, short=2, same=16)
        ys, _ = self._coordinates(flags, at, short=4, same=32)
        points = [(x, y, bool(flag & 1)) for x, y, flag in zip(xs, ys, flags, strict=True)]
        firsts = [0, *(end + 1 for end in last_points[:-1])]
        return [points[first : end + 1] for first, end in zip(firsts, last_points, strict=True)]

    def _coordinates(self, flags: list[int], at: int, short: int, same: int) -> tuple[list[float], int]:
        """One axis of a simple glyph: deltas of one byte (signed by ``same``), two bytes, or none."""
        values: list[float] = []
        value = 0
        for flag in flags:
            if flag & short:
                value += self.data[at] if flag & same else -self.data[at]
                at += 1
            elif not flag & same:
                value += struct.unpack_from(">h", self.data, at)[0]
                at += 2
            values.append(value)
        return values, at


def contour_path(points: list[Point], dx: float, extremes: list[tuple[float, float]]) -> str:
    """One closed contour as SVG path commands, moved ``dx`` right and turned y-downwards;
    the points that bound it (ends of segments and the curves' extremes) go to ``extremes``.

    Between two off-curve points TrueType implies an on-curve point half-way.
    """

    def at(x: float, y: float) -> str:
        extremes.append((x + dx, -y))
        return f"{x + dx:g} {-y:g}"

    def curve(start: tuple[float, float], control: Point, end: tuple[float, float]) -> str:
        for t in (_extreme(start[0], control[0], end[0]), _extreme(start[1], control[1], end[1])):
            if t is not None:
                extremes.append((_quad(start[0], control[0], end[0], t) + dx, -_quad(start[1], control[1], end[1], t)))
        return f"Q{f'{control[0] + dx:g} {-control[1]:g}'} {at(*end)}"

    if not points[0][2]:  # start on the curve: the last point, or the implied one before the first
        last = points[-1]
        start = last if last[2] else ((last[0] + points[0][0]) / 2, (last[1] + points[0][1]) / 2, True)
        points = [start, *(points[:-1] if last[2] else points)]
    commands = [f"M{at(points[0][0], points[0][1])}"]
    control: Point | None = None
    pen = (points[0][0], points[0][1])
    closing = len(points) - 1
    for index, (x, y, on) in enumerate([*points[1:], points[0]]):
        if on:
            if control:
                commands.append(curve(pen, control, (x, y)))
            elif index < closing:  # a straight line back to the start is what Z draws
                commands.append(f"L{at(x, y)}")
            control, pen = None, (x, y)
        elif control:
            middle = ((control[0] + x) / 2, (control[1] + y) / 2)
            commands.append(curve(pen, control, middle))
            control, pen = (x, y, False), middle
        else:
            control = (x, y, False)
    return "".join(commands) + "Z"


def _extreme(start: float, control: float, end: float) -> float | None:
    """Where (0 < t < 1) a quadratic curve turns back along one axis, if it does."""
    denominator = start - 2 * control + end
    if denominator == 0:
        return None
    t = (start - control) / denominator
    return t if 0 < t < 1 else None


def _quad(start: float, control: float, end: float, t: float) -> float:
    return (1 - t) ** 2 * start + 2 * (1 - t) * t * control + t**2 * end


def text_outline(font: TrueTypeFont, text: str) -> tuple[str, tuple[float, float, float, float]]:
    """``text`` set in ``font`` (no kerning) as SVG path data in font units, y downwards, and the
    bounds of its ink (left, top, right, bottom)."""
    path, x = "", 0.0
    extremes: list[tuple[float, float]] = []
    for char in text:
        glyph = font.glyph_id(char)
        for contour in font.contours(glyph):
            path += contour_path(contour, x, extremes)
        x += font.advance(glyph)
    if not extremes:
        return path, (0.0, 0.0, 0.0, 0.0)
    xs, ys = [p[0] for p in extremes], [p[1] for p in extremes]
    return path, (min(xs), min(ys), max(xs), max(ys))
