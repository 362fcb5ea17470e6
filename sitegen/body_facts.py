"""What the plan needs to know of a converted body, noted where the body is converted.

The plan resolves a body without a record where its page is rendered (a
:class:`sitegen.bodies.DeferredBody`) only when the body surely involves no media: no
``<img`` tag, and no ``href``/``src`` whose file name is a content file's (see
:meth:`sitegen.stage_plan._Bodies.media_free`).  Asking that of the HTML meant reading
every body back from the body store in the main process, serially (at 1000 items about a
quarter of a second of a cold build, ten times that at 10 000).  The parse worker has the
HTML in hand: it notes these facts in the document (and the parse cache in its record), and
the plan asks them of the document instead.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Set
from dataclasses import dataclass
from urllib.parse import unquote

_IMG_TAG = re.compile(r"<img\b", re.IGNORECASE)
_REFERENCE = re.compile(r'\b(?:href|src)="([^"]*)"')  # (the sanitiser writes every value in double quotes)


@dataclass(frozen=True)
class MediaFacts:
    """Of a converted body: whether it has an ``<img`` tag, and the file names its references name.

    ``names``: the last path segment of every ``href``/``src`` value, entities decoded, the
    query and fragment cut off and percent-escapes decoded (what a content file's name is
    compared with), sorted, each once (``""`` for a value ending in ``/``)."""

    image: bool
    names: tuple[str, ...]


def media_facts(body_html: str) -> MediaFacts:
    """The :class:`MediaFacts` of a converted body."""
    names = {
        posixpath.basename(unquote(html.unescape(value).split("#", 1)[0].split("?", 1)[0]))
        for value in _REFERENCE.findall(body_html)
    }
    return MediaFacts(_IMG_TAG.search(body_html) is not None, tuple(sorted(names)))


def media_free(facts: MediaFacts, asset_names: Set[str]) -> bool:
    """Whether a body surely involves no media: no image, no reference whose file name is
    one of ``asset_names`` (the content files' names)."""
    return not facts.image and asset_names.isdisjoint(facts.names)
