"""What an editor probably meant: the existing name closest to one that leads nowhere.

Asked only when a link, an image or a translation key is already wrong, so the work here
(a scan of the names, :mod:`difflib`) is never done by a build without problems; difflib
is imported by the functions that use it, so such a build does not load it either.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

_HEADING_ID_RE = re.compile(r'<h[1-6]\b[^>]*?\bid="([^"]+)"')
MAX_IDS = 10  # an anchor message lists at most this many ids of the page


def closest(name: str, names: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name in ``names`` most like ``name`` (``None`` when none is close enough)."""
    listed = list(names)
    if not listed:  # nothing to compare: difflib would still index ``name`` (a site with
        return None  # a thousand untranslated items asked this a thousand times a build)
    import difflib

    found = difflib.get_close_matches(name, listed, n=1, cutoff=cutoff)
    return found[0] if found else None


def by_likeness(name: str, names: Iterable[str]) -> list[str]:
    """``names``, the most like ``name`` first (equal likeness: in the given order)."""
    import difflib

    listed = list(dict.fromkeys(names))
    return sorted(listed, key=lambda other: -difflib.SequenceMatcher(None, name, other).ratio())


def heading_ids(data: bytes) -> list[str]:
    """The ids of a rendered page's headings, in page order (what an ``#anchor`` is meant to name):
    those of its text when it has some, else the layout's ("In questa pagina" is no place to link to)."""
    import html

    from .markdown_render import LAYOUT_IDS

    found = [html.unescape(i) for i in _HEADING_ID_RE.findall(data.decode("utf-8"))]
    return [i for i in found if i not in LAYOUT_IDS] or found


def same_file_but_case_or_extension(path: str, existing: Iterable[str]) -> str | None:
    """The file of ``existing`` that ``path`` names but for letter case or the extension.

    ``Foto.JPG`` for ``foto.jpg``, ``foto.jpeg`` for ``foto.jpg``; only in the same folder.
    """
    folder, name = posixpath.split(path)
    stem = posixpath.splitext(name)[0].lower()
    matches = []
    for other in existing:
        other_folder, other_name = posixpath.split(other)
        if other_folder.lower() != folder.lower() or other == path:
            continue
        if other_name.lower() == name.lower():
            return other
        if posixpath.splitext(other_name)[0].lower() == stem:
            matches.append(other)
    return min(matches) if matches else None


def document_elsewhere(rel: str, from_folder: str, documents: Iterable[str]) -> str | None:
    """For ``rel`` (an ``.md`` file that does not exist), the same file name in another folder,
    as a link written from ``from_folder`` (``../rete.md`` from ``it/notizie``)."""
    name = posixpath.basename(rel)
    same_name = [d for d in documents if posixpath.basename(d) == name]
    found = closest(rel, same_name, cutoff=0.0)
    return posixpath.relpath(found, from_folder or ".") if found is not None else None


def page_addresses(files: Iterable[str]) -> list[str]:
    """The site addresses of the pages among output ``files`` (``notizie/x/index.html`` → ``/notizie/x/``)."""
    return ["/" + f.removesuffix("index.html") for f in files if f.endswith("index.html")]
