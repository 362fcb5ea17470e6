"""``build.py serve``: preview with live reload, built by the real build.

The site is built (drafts included, with their banner) into a preview folder, never into
``public/``, and served on 127.0.0.1 by a small WSGI app behind livereload.  Every change
to content, templates, static files or the config rebuilds it; a failed rebuild keeps the
last good files but every page shows the errors (file and line) until the next good
build, and the terminal prints them too.  Requests can only reach files inside the
preview folder.

After a rebuild only the browser tabs showing a page that changed reload (as ``hugo
server`` does): the build knows which files it wrote or removed; a changed stylesheet,
script or image reloads every tab, and so does an error.  The search index follows a few
seconds after the pages (see :mod:`sitegen.search_job`); then the tabs showing a search
page reload.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import posixpath
import sys
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .build import BuildOptions, Session, build, load
from .errors import BuildError
from .messages import messages_language, render_message
from .report import report
from .search_job import BackgroundIndex
from .watch import Inotify

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
    title = render_message("serve_error_title", lang, {})
    intro = render_message("serve_error_intro", lang, {})
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="icon" href="data:,"></head>'
        f'<body><main id="sitegen-error"><h1>{title}</h1><p>{intro}</p><ul>{items}</ul></main>'
        f"</body></html>\n"
    ).encode()


def served_file(root: str, path: str) -> str | None:
    """The file the preview answers ``path`` with: the file itself, else the (language's) 404 page."""
    file_path = resolve_request_path(root, path)
    if file_path is not None:
        return file_path
    first = path.strip("/").split("/", 1)[0]
    localized = os.path.join(root, first, "404.html")
    file_path = localized if first and os.path.isfile(localized) else os.path.join(root, "404.html")
    return file_path if os.path.isfile(file_path) else None


def make_app(root: str, state: PreviewState, lang: str):
    """WSGI app: files from ``root``, the error page while a rebuild has failed, 404 pages."""

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/") or "/"
        with state.lock:
            errors = list(state.errors)
        wants_page = path.endswith("/") or path.endswith(".html")
        if errors and wants_page:
            body = error_page(errors, lang)
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
            )
            return [body]
        status = "200 OK" if resolve_request_path(root, path) is not None else "404 Not Found"
        file_path = served_file(root, path)
        if file_path is None:
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


# How often the sources are checked for changes where there is no inotify.  livereload
# polls every 0.8 s; checking ten times a second keeps the edit→reload delay low.
POLL_MS = 100
# With inotify: how long to wait after a change for more (an editor saving several files,
# a git checkout) before building once.
SETTLE_S = 0.01

# Files a tab shows by themselves; any other file that changes (stylesheet, script, image,
# font) may be used by every page, so every tab reloads.
_DOCUMENT_SUFFIXES = (".html", ".xml", ".txt", ".json")
# What marks a page that loads the search index (the search pages, see templates/search.html).
_USES_INDEX = b'data-pagefind="'


def tab_shows_change(root: str, url_path: str, changed: frozenset[str]) -> bool:
    """Whether a tab showing ``url_path`` must reload after a build that wrote or removed ``changed``.

    True when the file it is answered with now (the page, or a 404 page) changed, or when
    the page it asked for appeared or went away.  ``changed`` holds output paths
    (``notizie/x/index.html``); ``root`` is the preview folder.
    """
    served = served_file(root, url_path)
    if served is not None and os.path.relpath(served, root).replace(os.sep, "/") in changed:
        return True
    asked = posixpath.normpath("/" + unquote(url_path)).lstrip("/")
    asked = posixpath.join(asked, "index.html") if url_path.endswith("/") or not asked else asked
    return asked in changed


def reloads_every_tab(changed: frozenset[str] | None) -> bool:
    """``None`` (not known what changed, or the pages show an error now) or a file that pages use."""
    return changed is None or any(
        not rel.endswith(_DOCUMENT_SUFFIXES) and "." in posixpath.basename(rel) for rel in changed
    )


class Tabs:
    """The browser tabs connected over livereload, each with the page it shows."""

    def __init__(self, root: str) -> None:
        self.root = root

    @staticmethod
    def connected() -> list:
        from livereload.handlers import LiveReloadHandler

        return list(LiveReloadHandler.waiters)

    def reload_changed(self, changed: frozenset[str] | None) -> int:
        """Reload the tabs whose page changed (all of them when :func:`reloads_every_tab`); how many."""
        every = reloads_every_tab(changed)
        return self._reload(
            [tab for tab in self.connected() if every or tab_shows_change(self.root, _tab_path(tab), changed)]
        )

    def reload_search_pages(self) -> int:
        """After the search index changed: reload the tabs showing a page that searches."""
        chosen = []
        for tab in self.connected():
            served = served_file(self.root, _tab_path(tab))
            try:
                with open(served or os.devnull, "rb") as handle:
                    if _USES_INDEX in handle.read():
                        chosen.append(tab)
            except OSError:
                continue
        return self._reload(chosen)

    @staticmethod
    def _reload(tabs: list) -> int:
        from livereload.handlers import LiveReloadHandler
        from tornado.websocket import WebSocketClosedError

        for tab in tabs:
            # A page path (not a .css or image name): livereload.js reloads the whole page.
            message = {"command": "reload", "path": _tab_path(tab), "liveCSS": False, "liveImg": False}
            try:
                tab.write_message(message)
            except WebSocketClosedError:  # the tab closed meanwhile: forget it
                LiveReloadHandler.waiters.discard(tab)
        return len(tabs)


def _tab_path(tab) -> str:
    return getattr(tab, "page_path", None) or "/"


def rebuild(
    options: BuildOptions,
    state: PreviewState,
    lang: str,
    session: Session | None = None,
    search: BackgroundIndex | None = None,
) -> frozenset[str] | None:
    """Run the real build (incremental: ``session`` keeps the parsed sources in memory); remember its errors.

    Returns the output files written or removed, or ``None`` when every page must be shown
    again (the build failed, the last one had, or it is not known what changed).  The
    running background index job is cancelled first; :func:`after_reload` starts the next.
    """
    if search is not None:
        search.cancel()
    try:
        result = build(options, session)
    except BuildError as error:
        lines = [p.format(lang) for p in error.problems]
        with state.lock:
            state.errors = lines
            state.generation += 1
        report(error.problems, lang)
        return None
    with state.lock:
        had_errors = bool(state.errors)
        state.errors = []
        state.generation += 1
    report(result.built.warnings, lang)
    print(
        render_message("serve_rebuilt", lang, {"written": result.written, "total": result.written + result.unchanged}),
        flush=True,
    )
    if options.stats:  # serve --stats: time per stage, as build --stats prints it
        from .report import summary_text

        print(summary_text(result.summary, lang)[1], file=sys.stderr, flush=True)
    return None if had_errors else result.built.changed


def after_reload(session: Session, search: BackgroundIndex) -> None:
    """Once the tabs were told to reload: write the build's caches, then bring the index up to
    date in the background (after a failed build too: the live pages are the last good ones,
    and their index may still be due)."""
    session.save_deferred()
    search.start()


def index_done(error: BuildError | None, state: PreviewState, lang: str, tabs: Tabs) -> None:
    """The background index job ended (on the server's thread): reload the search pages, or show its error."""
    if error is None:
        print(render_message("serve_search_updated", lang, {}), flush=True)
        tabs.reload_search_pages()
        return
    lines = [p.format(lang) for p in error.problems]
    with state.lock:
        state.errors = lines
        state.generation += 1
    report(error.problems, lang)
    tabs.reload_changed(None)


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild on change until interrupted."""
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    config = load(options)
    lang = messages_language(config.messages_language)
    output = options.output or (config.cache_dir / PREVIEW_FOLDER)
    options = replace(options, output=Path(output), base_url=f"http://{_url_host(host)}:{port}/")
    state = PreviewState()
    session = Session(defer_search=True)
    root = str(Path(output).resolve())
    tabs = Tabs(root)
    loop = ioloop.IOLoop.current()
    search = BackgroundIndex(Path(output), lambda error: loop.add_callback(index_done, error, state, lang, tabs))

    def on_change() -> None:
        tabs.reload_changed(rebuild(options, state, lang, session, search))
        after_reload(session, search)

    rebuild(options, state, lang, session, search)
    after_reload(session, search)

    # livereload ignores changes within 3 s of the last reload unless told otherwise;
    # an editor who saves twice must see the second save too.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = _make_server(make_app(root, state, lang), port)
    for watched in (config.content_dir, config.templates_dir, config.static_dir, config.source):
        server.watch(str(watched), on_change)
    print(f"http://{_url_host(host)}:{port}/", flush=True)
    print(render_message("serve_search_later", lang, {}), flush=True)
    try:
        server.serve(host=host, port=port, restart_delay=0, debug=False)
    finally:
        search.cancel()
        session.save_deferred()
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _make_server(app, port: int):
    """livereload's server, with its client loaded from a file instead of an inline script.

    The pages' Content-Security-Policy forbids inline scripts; ``/livereload.js`` is
    same-origin, so the preview runs under the same policy as the published site.
    """
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer
    from livereload.watcher import Watcher
    from tornado import ioloop, web

    class TabHandler(LiveReloadHandler):
        """livereload's websocket, remembering the page of the tab (livereload.js tells it in ``info``)."""

        page_path = "/"

        def on_message(self, message):
            try:
                data = json.loads(message)
            except ValueError:
                return
            if isinstance(data, dict) and data.get("command") == "info":
                self.page_path = urlsplit(str(data.get("url", ""))).path or "/"
            super().on_message(message)

    class QuickWatcher(Watcher):
        """livereload's stat-polling watcher, polled every POLL_MS instead of 800 ms."""

        def start(self, callback):
            ioloop.PeriodicCallback(callback, POLL_MS).start()
            return True

        def examine(self):
            """Run the tasks of the changed paths; they reload the tabs themselves, so report nothing.

            (livereload's start-up entry, which would reload every tab at the first poll, is dropped.)
            """
            self._changes.clear()
            super().examine()
            return None, None

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

    class EventWatcher(QuickWatcher):
        """The rebuild runs as soon as inotify reports a change (after SETTLE_S, so that a burst
        of saves makes one build); nothing is polled."""

        def __init__(self, events: Inotify) -> None:
            super().__init__()
            self.events = events
            self.due = False

        def watch(self, path, func=None, delay=None, ignore=None):
            super().watch(path, func, delay, ignore)
            self.events.watch(Path(path))

        def start(self, callback):
            loop = ioloop.IOLoop.current()
            loop.add_handler(self.events.fd, lambda _fd, _flags: self._on_events(loop), ioloop.IOLoop.READ)
            return True

        def _on_events(self, loop) -> None:
            if self.events.changed() and not self.due:
                self.due = True
                loop.call_later(SETTLE_S, self._run)

        def _run(self) -> None:
            self.due = False
            self.events.changed()  # what came while settling is in this build
            for func in dict.fromkeys(task["func"] for task in self._tasks.values() if task["func"]):
                func()

    script = f'<script src="/livereload.js?port={port}" defer></script>'.encode()

    class CspFriendlyServer(Server):
        def get_web_handlers(self, _inline_script):
            return [(r".*", web.FallbackHandler, {"fallback": LiveScriptContainer(self.app, script)})]

        def application(self, port, host, liveport=None, debug=None, live_css=True):
            """livereload's, with :class:`TabHandler` and without ``/forcereload`` or a second port."""
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            handlers = [(r"/livereload", TabHandler), (r"/livereload.js", LiveReloadJSHandler)]
            web.Application(handlers + self.get_web_handlers(None), debug=False).listen(port, address=host)

    try:
        watcher = EventWatcher(Inotify())
    except (OSError, AttributeError):  # no inotify (not Linux, or no watches left): poll
        watcher = QuickWatcher()
    return CspFriendlyServer(app, watcher=watcher)
