"""``serve``: which file of the preview folder answers a request, and which tabs a rebuild reloads.

Pure functions of the preview folder and the request's path, so that the confinement
rule is written once: every file the preview hands out, the 404 pages included, is
looked up through :func:`resolve_request_path` and must lie inside the folder after
percent-decoding, ``..`` collapsing and symlinks.
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote

from .messages import render_message

# Files a tab shows by themselves; any other file that changes (stylesheet, script, image,
# font) may be used by every page, so every tab reloads.
_DOCUMENT_SUFFIXES = (".html", ".xml", ".txt", ".json")
_TEXT_TYPES = ("application/xml", "application/javascript")


def _request_relpath(url_path: str) -> str | None:
    """The path a request names, decoded once and normalised, relative to the folder (``""`` for it).

    ``None`` for what no file name holds (NUL, backslash).  ``..`` cannot climb above the
    folder: it collapses at its top, as it would at ``/``.
    """
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    return posixpath.normpath("/" + decoded.lstrip("/")).lstrip("/")


def _inside(root: str, relpath: str) -> str | None:
    """The real path of ``relpath`` under ``root`` when, symlinks followed, it is still inside ``root``."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, relpath))
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return real


def resolve_request_path(root: str, url_path: str) -> str | None:
    """The file under ``root`` that ``url_path`` names, or ``None`` if it is outside or absent.

    Decodes percent-escapes once, collapses ``.``/``..`` and follows symlinks, then
    insists that the real path is still inside ``root`` (so ``/../``, ``%2e%2e`` and
    links that point elsewhere all give ``None``).  A folder answers with its
    ``index.html`` only when asked with a trailing slash.
    """
    relpath = _request_relpath(url_path)
    real = None if relpath is None else _inside(root, relpath)
    if real is None:
        return None
    if os.path.isdir(real):
        if not url_path.endswith("/"):
            return None
        real = os.path.join(real, "index.html")
    return real if os.path.isfile(real) else None


def served_file(root: str, url_path: str) -> str | None:
    """The file the preview answers ``url_path`` with: the file itself, else the (language's) 404 page.

    The language is the first folder of the path (``/en/x/`` → ``en/404.html``), found by
    the same confined lookup as any file: ``/../x`` cannot reach a ``404.html`` above the folder.
    """
    found = resolve_request_path(root, url_path)
    if found is not None:
        return found
    first = (_request_relpath(url_path) or "").split("/", 1)[0]
    for candidate in (f"{first}/404.html" if first else "", "404.html"):
        real = _inside(root, candidate) if candidate else None
        if real is not None and os.path.isfile(real):
            return real
    return None


@dataclass(frozen=True)
class Answer:
    """What the preview answers a request with."""

    status: int
    content_type: str
    body: bytes


def error_page(lines: list[str], lang: str) -> bytes:
    """The page shown instead of every page while the last rebuild failed."""
    title = html.escape(render_message("serve_error_title", lang, {}))
    intro = html.escape(render_message("serve_error_intro", lang, {}))
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="icon" href="data:,"></head>'
        f'<body><main id="sitegen-error"><h1>{title}</h1><p>{intro}</p><ul>{items}</ul></main>'
        f"</body></html>\n"
    ).encode()


def answer(root: str, url_path: str, errors: list[str], lang: str) -> Answer:
    """The file for ``url_path`` (200), the 404 page (404), or the error page while a rebuild has failed (500)."""
    if errors and (url_path.endswith("/") or url_path.endswith(".html")):
        return Answer(500, "text/html; charset=utf-8", error_page(errors, lang))
    status = 200 if resolve_request_path(root, url_path) is not None else 404
    file_path = served_file(root, url_path)
    try:
        if file_path is None:
            raise FileNotFoundError(url_path)
        with open(file_path, "rb") as handle:
            body = handle.read()
    except OSError:  # absent, or gone between the lookup and the read (a rebuild swapped it)
        return Answer(404, "text/plain; charset=utf-8", b"404")
    content_type = mimetypes.guess_type(file_path)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in _TEXT_TYPES:
        content_type += "; charset=utf-8"
    return Answer(status, content_type, body)


def tab_shows_change(root: str, url_path: str, changed: frozenset[str]) -> bool:
    """Whether a tab showing ``url_path`` must reload after a build that wrote or removed ``changed``.

    True when the file it is answered with now (the page, or a 404 page) changed, or when
    the page it asked for appeared or went away.  ``changed`` holds output paths
    (``notizie/x/index.html``); ``root`` is the preview folder.
    """
    served = served_file(root, url_path)
    if served is not None and os.path.relpath(served, os.path.realpath(root)).replace(os.sep, "/") in changed:
        return True
    asked = posixpath.normpath("/" + unquote(url_path)).lstrip("/")
    asked = posixpath.join(asked, "index.html") if url_path.endswith("/") or not asked else asked
    return asked in changed


def reloads_every_tab(changed: frozenset[str] | None) -> bool:
    """``None`` (not known what changed, or the pages show an error now) or a file that pages use."""
    return changed is None or any(
        not rel.endswith(_DOCUMENT_SUFFIXES)
        and "." in posixpath.basename(rel)
        and not rel.startswith("static/cards/")  # cards: social cards, named in a page's head, shown by none
        for rel in changed
    )
