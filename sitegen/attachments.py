"""Which files under ``content/`` are published, and how they are checked first.

Everything under ``content/`` that is not Markdown is copied byte for byte to the same
place in the output.  The site's pages allow same-origin scripts (the CSP's
``script-src 'self'``), so a copied ``.html`` with a ``<script>``, a ``.js`` file or an
SVG with a script would run as the site itself.  Hence an allow-list:

* images: ``.jpg .jpeg .png .gif .webp .avif`` and ``.svg`` when it holds no active
  content (see :func:`svg_problem`);
* documents: ``.pdf .txt .csv .rtf .doc .docx .odt .xls .xlsx .ods .ppt .pptx .odp .epub .zip``;
* audio, video and subtitles: ``.mp3 .m4a .ogg .mp4 .webm .vtt``;
* calendars: ``.ics``.

Anything else (``.html``, ``.htm``, ``.js``, ``.css``, ``.xml``, a file without an
extension, ...) is refused with a message: pages are written in Markdown, styles and
scripts belong to ``static/``.  Only regular files are read or copied: a FIFO, a socket
or a device named like a document is refused, never waited on.
"""

from __future__ import annotations

import os
import stat
from pathlib import PurePosixPath

from .errors import Problem

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
DOCUMENT_TYPES = (
    ".pdf",
    ".txt",
    ".csv",
    ".rtf",
    ".doc",
    ".docx",
    ".odt",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
    ".epub",
    ".zip",
)
MEDIA_TYPES = (".mp3", ".m4a", ".ogg", ".mp4", ".webm", ".vtt", ".ics")
ALLOWED_TYPES = frozenset(IMAGE_TYPES + DOCUMENT_TYPES + MEDIA_TYPES)
# An SVG is read whole to be checked: a larger one is not an illustration for a page.
MAX_SVG_BYTES = 2 * 1024 * 1024

# SVG elements that run code, embed other documents or change a link's target when animated.
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"})
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform"})


def attachment_problem(path: str, rel: str, shown: str) -> Problem | None:
    """Why the content file at ``path`` (``rel`` below content/) may not be published, or ``None``."""
    suffix = PurePosixPath(rel).suffix.lower()
    if not suffix:
        return Problem("attachment_no_extension", shown, None, {"allowed": " ".join(sorted(ALLOWED_TYPES))})
    if suffix not in ALLOWED_TYPES:
        return Problem(
            "attachment_type_refused",
            shown,
            None,
            {"type": suffix, "allowed": " ".join(sorted(ALLOWED_TYPES))},
        )
    kind = regular_file_problem(path, shown)
    if kind is not None:
        return kind
    if suffix == ".svg":
        return svg_problem(path, shown)
    return None


def regular_file_problem(path: str, shown: str) -> Problem | None:
    """A problem unless ``path`` is a regular file (after symbolic links): never wait on a FIFO."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem("file_unreadable", shown, None, {"detail": exc.strerror or str(exc)})
    if stat.S_ISREG(mode):
        return None
    return Problem("file_not_regular", shown, None, {})


def svg_problem(path: str, shown: str) -> Problem | None:
    """A problem when the SVG at ``path`` has active content, is not well-formed, or is too big."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SVG_BYTES + 1)
    except OSError as exc:
        return Problem("file_unreadable", shown, None, {"detail": exc.strerror or str(exc)})
    if len(data) > MAX_SVG_BYTES:
        return Problem("svg_unsafe", shown, None, {"what": f"> {MAX_SVG_BYTES // 1048576} MB"})
    found = _active_content(data)
    return None if found is None else Problem("svg_unsafe", shown, found[1], {"what": found[0]})


def _active_content(data: bytes) -> tuple[str, int | None] | None:
    """(what, line) of the first active part of an SVG document, or ``None`` when it has none."""
    import xml.parsers.expat  # here, when an SVG is checked: not at every build's start-up

    parser = xml.parsers.expat.ParserCreate()
    found: list[tuple[str, int | None]] = []
    styles: list[str] = []  # open <style> elements: their text is CSS

    def refuse(what: str) -> None:
        if not found:
            found.append((what, parser.CurrentLineNumber))

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1].lower()
        if local == "style":
            styles.append(name)
        if local in _ACTIVE_ELEMENTS:
            refuse(f"<{name}>")
        for attr, value in attrs.items():
            attr_local = attr.rsplit(":", 1)[-1].lower()
            lowered = "".join(value.split()).lower()
            if attr_local.startswith("on"):
                refuse(f"{attr}=")
            elif attr_local == "href" and not value.startswith("#"):
                refuse(f'{attr}="{value[:40]}"')  # a script URL, or a request to another site
            elif local in _ANIMATIONS and attr_local == "attributename" and lowered.endswith("href"):
                refuse(f"<{name} {attr}=...>")
            elif "javascript:" in lowered or "url(" in lowered and "url(#" not in lowered:
                refuse(f"{attr}=")

    def doctype(*_args: object) -> None:
        refuse("<!DOCTYPE>")  # entities could expand without bound or pull in other files

    def end(name: str) -> None:
        if styles and styles[-1] == name:
            styles.pop()

    def style_text(text: str) -> None:
        if not styles:
            return
        lowered = "".join(text.split()).lower()
        if "@import" in lowered or "url(" in lowered and "url(#" not in lowered or "javascript:" in lowered:
            refuse("<style> url(...)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.CharacterDataHandler = style_text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return f"XML: {xml.parsers.expat.ErrorString(exc.code)}", exc.lineno
    return found[0] if found else None
