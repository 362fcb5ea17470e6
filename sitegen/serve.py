"""``build.py serve``: preview with live reload, built by the real build.

The site is built (drafts included, with their banner) into a preview folder, never into
``public/``, and served on 127.0.0.1 by a small WSGI app behind livereload.  Every change
to content, templates, static files or the config rebuilds it; a failed rebuild keeps the
last good files but every page shows the errors (file and line) until the next good
build, and the terminal prints them too.  Requests can only reach files inside the
preview folder.
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
import sys
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from .build import BuildOptions, Session, build, load
from .errors import BuildError
from .messages import messages_language

PREVIEW_FOLDER = "preview"


class PreviewState:
    """The outcome of the latest rebuild, shared by the watcher and the web app."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.generation = 0


def resolve_request_path(root: str, url_path: str) -> str | None:
    """The file under ``root`` that ``url_path`` names, or ``None`` if it is outside or absent.

    Decodes percent-escapes once, collapses ``.``/``..`` and follows symlinks, then
    insists that the real path is still inside ``root`` (so ``/../``, ``%2e%2e`` and
    links that point elsewhere all give ``None``).
    """
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None
    normal = posixpath.normpath("/" + decoded.lstrip("/"))
    candidate = os.path.join(root, normal.lstrip("/"))
    real_root = os.path.realpath(root)
    real = os.path.realpath(candidate)
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    if os.path.isdir(real):
        if not url_path.endswith("/"):
            return None
        real = os.path.join(real, "index.html")
    return real if os.path.isfile(real) else None


def error_page(lines: list[str], lang: str) -> bytes:
    """The page shown instead of every page while the last rebuild failed."""
    title = "Errore nella build" if lang == "it" else "Build error"
    intro = ("Correggi il file indicato e salva: la pagina si ricarica da sola."
             if lang == "it" else "Fix the file named below and save: the page reloads by itself.")
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><link rel=\"icon\" href=\"data:,\"></head>"
            f'<body><main id="sitegen-error"><h1>{title}</h1><p>{intro}</p><ul>{items}</ul></main>'
            f"</body></html>\n").encode("utf-8")


def make_app(root: str, state: PreviewState, lang: str):
    """WSGI app: files from ``root``, the error page while a rebuild has failed, 404 pages."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/") or "/"
        with state.lock:
            errors = list(state.errors)
        wants_page = path.endswith("/") or path.endswith(".html")
        if errors and wants_page:
            body = error_page(errors, lang)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Cache-Control", "no-store")])
            return [body]
        file_path = resolve_request_path(root, path)
        status = "200 OK"
        if file_path is None:
            status = "404 Not Found"
            first = path.strip("/").split("/", 1)[0]
            localized = os.path.join(root, first, "404.html")
            file_path = localized if first and os.path.isfile(localized) else os.path.join(root, "404.html")
            if not os.path.isfile(file_path):
                start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
                return [b"404"]
        with open(file_path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(file_path)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/xml", "application/javascript"):
            content_type += "; charset=utf-8"
        start_response(status, [("Content-Type", content_type), ("Cache-Control", "no-store")])
        return [body]

    return app


# How often the sources are checked for changes.  livereload polls every 0.8 s; a stat
# walk over 1 000 sources takes a few milliseconds, so checking ten times a second keeps
# the edit→reload delay low for little CPU.
POLL_MS = 100


def rebuild(options: BuildOptions, state: PreviewState, lang: str, session: Session | None = None) -> bool:
    """Run the real build (incremental: ``session`` keeps the parsed sources in memory); remember its errors."""
    try:
        result = build(options, session)
    except BuildError as error:
        lines = [p.format(lang) for p in error.problems]
        with state.lock:
            state.errors = lines
            state.generation += 1
        print("\n".join(lines), file=sys.stderr, flush=True)
        return False
    with state.lock:
        state.errors = []
        state.generation += 1
    for problem in result.built.warnings:
        print(problem.format(lang), file=sys.stderr)
    print(("Ricostruito: " if lang == "it" else "Rebuilt: ")
          + f"{result.written} / {result.written + result.unchanged}", flush=True)
    return True


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild on change until interrupted."""
    from livereload.handlers import LiveReloadHandler

    config = load(options)
    lang = messages_language(config.messages_language)
    output = options.output or (config.cache_dir / PREVIEW_FOLDER)
    options = replace(options, output=Path(output), base_url=f"http://{_url_host(host)}:{port}/")
    state = PreviewState()
    session = Session()
    rebuild(options, state, lang, session)

    # livereload ignores changes within 3 s of the last reload unless told otherwise;
    # an editor who saves twice must see the second save too.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = _make_server(make_app(str(Path(output).resolve()), state, lang), port)
    for watched in (config.content_dir, config.templates_dir, config.static_dir, config.source):
        server.watch(str(watched), lambda: rebuild(options, state, lang, session))
    print(f"http://{_url_host(host)}:{port}/", flush=True)
    server.serve(host=host, port=port, restart_delay=0, debug=False)
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _make_server(app, port: int):
    """livereload's server, with its client loaded from a file instead of an inline script.

    The pages' Content-Security-Policy forbids inline scripts; ``/livereload.js`` is
    same-origin, so the preview runs under the same policy as the published site.
    """
    from livereload import Server
    from livereload.server import LiveScriptContainer
    from livereload.watcher import Watcher
    from tornado import ioloop, web

    class QuickWatcher(Watcher):
        """livereload's stat-polling watcher, polled every POLL_MS instead of 800 ms."""

        def start(self, callback):
            ioloop.PeriodicCallback(callback, POLL_MS).start()
            return True

        def is_file_changed(self, path, ignore=None):
            """As livereload's, but a file counts as changed when its size, mtime or ctime changed.

            livereload compares mtimes alone; an editor that truncates and then writes within
            one clock tick keeps the mtime, and the second write would never be seen.
            """
            if not os.path.isfile(path) or self.ignore(path) or (ignore and ignore(path)):
                return False
            st = os.stat(path)
            seen = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            known = self._task_mtimes.get(path)
            self._new_mtimes[path] = seen
            if known is None:
                self.filepath = path
                return st.st_mtime > self._start
            if known != seen:
                self.filepath = path
                return True
            return False

    script = f'<script src="/livereload.js?port={port}" defer></script>'.encode()

    class CspFriendlyServer(Server):
        def get_web_handlers(self, _inline_script):
            return [(r".*", web.FallbackHandler, {"fallback": LiveScriptContainer(self.app, script)})]

    return CspFriendlyServer(app, watcher=QuickWatcher())
