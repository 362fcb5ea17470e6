"""The layout of a social card's text: pure functions of the text and a ``measure``.

``measure(text, size)`` is a text's width in pixels at a font size: the cards pass the
shipped font's (:func:`sitegen.cards.measure_with`), the tests a made-up one, so that
layouts can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

TITLE_SIZES = (68, 60, 52, 46)  # tried in turn until the title fits
LINE_HEIGHT = 1.12
ELLIPSIS = "…"

Measure = Callable[[str, int], float]  # width in pixels of a text at a font size


def wrap(text: str, measure: Measure, size: int, width: float) -> list[str]:
    """``text`` cut into lines no wider than ``width`` at ``size``, between words.

    A word wider than a line on its own (a long URL) is cut between characters.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while measure(line, size) > width and len(line) > 1:
            cut = _longest_prefix(line, measure, size, width)
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines


def _longest_prefix(text: str, measure: Measure, size: int, width: float) -> int:
    """Length of the longest prefix of ``text`` that fits in ``width`` (at least one character)."""
    cut = 1
    while cut < len(text) and measure(text[: cut + 1], size) <= width:
        cut += 1
    return cut


def shorten(line: str, measure: Measure, size: int, width: float) -> str:
    """``line`` if it fits; else cut (between words if it can) until it fits with an ellipsis."""
    if measure(line, size) <= width:
        return line
    words = line.split()
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS, size) > width:
        words.pop()
    text = " ".join(words).rstrip(",;:.–—-")
    while len(text) > 1 and measure(text + ELLIPSIS, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@dataclass(frozen=True)
class TitleLayout:
    size: int
    lines: tuple[str, ...]
    line_height: int


def max_lines(size: int, height: float) -> int:
    return max(1, int(height // round(size * LINE_HEIGHT)))


def fit_title(
    title: str, measure: Measure, width: float, height: float, sizes: Sequence[int] = TITLE_SIZES
) -> TitleLayout:
    """The largest size at which ``title`` fits in ``width`` × ``height``; at the smallest size
    a title still too long keeps the lines that fit, the last one ending in an ellipsis."""
    for size in sizes:
        lines = wrap(title, measure, size, width)
        if len(lines) <= max_lines(size, height):
            return TitleLayout(size, tuple(lines), round(size * LINE_HEIGHT))
    size = sizes[-1]
    room = max_lines(size, height)
    lines = wrap(title, measure, size, width)
    kept = lines[: room - 1] + [shorten(" ".join(lines[room - 1 :]), measure, size, width)]
    return TitleLayout(size, tuple(kept), round(size * LINE_HEIGHT))


def split_name(name: str, measure: Measure, size: int) -> list[str]:
    """A long name on two lines cut where they are most even ("Istituto Oncologico" / "del Mediterraneo")."""
    words = name.split()
    if len(words) < 3:
        return [name]
    cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    first, second = min(cuts, key=lambda pair: max(measure(pair[0], size), measure(pair[1], size)))
    return [first, second]
