"""Social cards in the cache: which are missing, drawn on worker processes, and the check of ``image:``.

The I/O side of :mod:`sitegen.cards` (which says what a card shows and how it is drawn): one
file per card in ``<cache_dir>/cards/``, named by its key and written atomically, hard-linked
into the output.  Deleting the folder only costs time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cache.files import write_atomic
from .cards import CARDS_FOLDER, PageCard, crop_picture, draw_card, encode_card, picture_file
from .errors import Problem
from .output import CacheFile
from .parallel import default_jobs, parallel_map

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .content import Document
    from .pages import PageJob


def card_problems(config: Config, documents: Sequence[Document]) -> list[Problem]:
    """A document's ``image:`` that names no file of content/ (or one outside it)."""
    problems = []
    for doc in documents:
        if doc.meta.image:
            code = picture_file(config, doc)[1]
            if code:
                problems.append(Problem(code, doc.source.shown, doc.line_of("image"), {"target": doc.meta.image}))
    return problems


def _draw_one(_context: None, todo: tuple[PageCard, Path]) -> str:
    """Draw one card into its cache file (in a worker); "" or the error's text."""
    from PIL import Image

    from .card_text import text_card_png  # (a build whose cards are all in the cache draws none)

    card, target = todo
    try:
        picture = crop_picture(card.picture.read_bytes()) if card.picture is not None else None
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return str(exc) or type(exc).__name__
    if picture is None:
        write_atomically(target, text_card_png(card.text))
    else:
        write_atomically(target, encode_card(draw_card(card.text, picture), jpeg=True))
    return ""


def write_atomically(target: Path, data: bytes) -> None:
    """A card or icon into the cache (:func:`sitegen.cache.files.write_atomic`), readable by all:
    it is hard-linked into the published site."""
    write_atomic(target, data, 0o666)


def _cards_drawn(folder: Path) -> frozenset[str]:
    """The names of the cards in the cache: one listing of the folder, not a stat per page
    (1 136 of them at 1 000 items, for a build that draws none)."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries if entry.is_file())
    except OSError:  # no folder yet (a first build): every card is drawn
        return frozenset()


def card_files(
    config: Config, jobs: Sequence[PageJob], use_cache: bool = True, workers: int | None = None
) -> tuple[dict[str, Path], list[Problem]]:
    """Every page's card as (output file → file in ``<cache_dir>/cards/``), and the problems.

    A card already in the cache is not drawn again (unless ``use_cache`` is false); the
    others are drawn on ``workers`` processes.
    """
    files: dict[str, Path] = {}
    owners: dict[str, Document] = {}
    todo: list[tuple[PageCard, Path]] = []
    problems = card_problems(config, [job.document for job in jobs if job.document is not None])
    folder = CacheFile(config.cache_dir / CARDS_FOLDER)  # its cards too: hard-linked into the output
    drawn = _cards_drawn(folder) if use_cache else frozenset()
    for job in jobs:
        card = job.card
        if card is None or card.file in files:
            continue
        name = card.file.rpartition("/")[2]
        target = files[card.file] = folder / name
        if job.document is not None and card.picture is not None:
            owners[card.file] = job.document
        if name not in drawn:
            todo.append((card, target))
    errors = parallel_map(_draw_one, todo, None, workers or default_jobs())
    for (card, _target), error in zip(todo, errors, strict=True):
        if error:
            del files[card.file]  # the build fails: nothing to publish, nothing was written
            doc = owners[card.file]
            problems.append(
                Problem("fm_image_unreadable", doc.source.shown, doc.line_of("image"), {"target": doc.meta.image})
            )
    return files, problems
