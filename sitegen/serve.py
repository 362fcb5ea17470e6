"""``build.py serve``: preview with live reload, built by the real build.

The site is built (drafts included, with their banner) into a preview folder, never into
``public/``, and served on 127.0.0.1 (see :mod:`sitegen.serve_http`).  Every change to
content, templates, static files or the config rebuilds it; a failed rebuild keeps the
last good files but every page shows the errors (file and line) until the next good
build, and the terminal prints them too.  Requests can only reach files inside the
preview folder (:mod:`sitegen.serve_paths`).

Rebuilds run on a worker thread, one at a time (:class:`Rebuilder`): the web server
keeps answering from the last good files while a slow document converts, and changes
seen meanwhile make one more rebuild when the running one ends.

After a rebuild only the browser tabs showing a page that changed reload (as ``hugo
server`` does): the build knows which files it wrote or removed; a changed stylesheet,
script or image reloads every tab, and so does an error.  The search index follows a few
seconds after the pages (see :mod:`sitegen.search_job`); then the tabs showing a search
page reload.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tornado import httpserver, ioloop

from .build import BuildOptions, Session, build, load
from .collector import paused_collections
from .errors import BuildError
from .messages import messages_language, render_message
from .report import report, summary_text
from .search_job import BackgroundIndex
from .serve_http import Preview, client_script, listen, local_hosts, make_application, url_host
from .serve_paths import error_page, reloads_every_tab, resolve_request_path, served_file, tab_shows_change
from .watch import watch_for_changes

__all__ = [
    "PREVIEW_FOLDER",
    "Rebuilder",
    "error_page",
    "rebuild",
    "reloads_every_tab",
    "resolve_request_path",
    "serve",
    "served_file",
    "tab_shows_change",
]

PREVIEW_FOLDER = "preview"


def _say(code: str, lang: str, **params: object) -> None:
    print(render_message(code, lang, params), flush=True)


def rebuild(
    options: BuildOptions,
    preview: Preview,
    session: Session | None = None,
    search: BackgroundIndex | None = None,
    ready: Callable[[frozenset[str] | None], None] | None = None,
) -> frozenset[str] | None:
    """Run the real build (incremental: ``session`` keeps the parsed sources in memory); remember its errors.

    Returns the output files written or removed, or ``None`` when every page must be shown
    again (the build failed, the last one had, or it is not known what changed); ``ready``
    is given the same as soon as it is known, before the terminal's report (printing a
    large site's warnings took 5-8 ms of every rebuild at 1 000 items).  The running
    background index job is cancelled first; :func:`after_reload` starts the next.
    """
    lang = preview.lang
    if search is not None:
        search.cancel()
    try:
        result = build(options, session)
    except BuildError as error:
        preview.set_errors([p.format(lang) for p in error.problems])
        if ready is not None:
            ready(None)
        report(error.problems, lang)
        return None
    had_errors = bool(preview.current_errors())
    preview.set_errors([])
    changed = None if had_errors or result.built is None else result.built.changed
    if ready is not None:
        ready(changed)
    report(result.built.warnings if result.built is not None else result.warnings, lang)
    _say("serve_rebuilt", lang, written=result.written, total=result.written + result.unchanged)
    if options.stats:  # serve --stats: time per stage, as build --stats prints it
        print(summary_text(result.summary, lang)[1], file=sys.stderr, flush=True)
    return changed


def after_reload(session: Session, search: BackgroundIndex) -> None:
    """Once the tabs were told to reload: write the build's caches, then bring the index up to
    date in the background (after a failed build too: the live pages are the last good ones,
    and their index may still be due)."""
    session.save_deferred()
    search.start()
    gc.collect()  # the last build's garbage, its collections paused meanwhile (see cycle)


def index_done(error: BuildError | None, preview: Preview) -> None:
    """The background index job ended (on the server's thread): reload the search pages, or show its error."""
    if error is None:
        _say("serve_search_updated", preview.lang)
        preview.reload_search_pages()
        return
    preview.set_errors([p.format(preview.lang) for p in error.problems])
    report(error.problems, preview.lang)
    preview.reload_changed(None)


class Rebuilder:
    """Runs ``job`` on a worker thread when asked, never two at once, and once more for what came meanwhile.

    :meth:`request` and the end of a run happen on the Tornado loop, which therefore keeps
    answering requests while ``job`` runs.  The thread is a daemon: stopping the preview
    does not wait for a rebuild, whose output is swapped in atomically or not at all.
    """

    def __init__(self, loop: ioloop.IOLoop, job: Callable[[], None]) -> None:
        self._loop = loop
        self._job = job
        self._thread: threading.Thread | None = None
        self._again = False

    @property
    def running(self) -> bool:
        return self._thread is not None

    def request(self) -> None:
        """Start a run now, or after the running one if there is one (requests meanwhile make one run)."""
        if self._thread is not None:
            self._again = True
            return
        self._thread = threading.Thread(target=self._run, name="rebuild", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._job()
        finally:
            self._loop.add_callback(self._finished)

    def _finished(self) -> None:
        self._thread = None
        if self._again:
            self._again = False
            self.request()


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve and rebuild on change until interrupted."""
    config = load(options)
    lang = messages_language(config.messages_language)
    asked = port
    sockets, port = listen(host, asked, lambda busy, free: _say("serve_port_busy", lang, port=busy, free=free))
    # A preview moved off a busy port is most often a second preview of the same project:
    # its own folder, so that the two never rebuild one folder (nor wait for its lock).
    folder = PREVIEW_FOLDER if port == asked else f"{PREVIEW_FOLDER}-{port}"
    output = Path(options.output or (config.cache_dir / folder))
    options = replace(options, output=output, base_url=f"http://{url_host(host)}:{port}/")
    preview = Preview(str(output.resolve()), local_hosts(host, port), lang, client_script(host, port))
    session = Session(defer_search=True)
    loop = ioloop.IOLoop.current()
    search = BackgroundIndex(output, lambda error: loop.add_callback(index_done, error, preview))

    def cycle() -> None:  # on the rebuild thread
        with paused_collections():  # until the tabs are told to reload (sitegen.collector)
            rebuild(
                options, preview, session, search, lambda changed: loop.add_callback(preview.reload_changed, changed)
            )
        after_reload(session, search)

    rebuild(options, preview, session, search)
    after_reload(session, search)
    rebuilder = Rebuilder(loop, cycle)
    watch_for_changes([config.content_dir, config.templates_dir, config.static_dir, config.source], rebuilder.request)
    httpserver.HTTPServer(make_application(preview)).add_sockets(sockets)
    print(f"http://{url_host(host)}:{port}/", flush=True)
    _say("serve_search_later", lang)
    try:
        loop.start()
    except KeyboardInterrupt:  # Ctrl-C: the normal way to stop the preview
        pass
    finally:
        if not rebuilder.running:  # a running rebuild saves its own caches
            search.cancel()
            session.save_deferred()
    return 0
