"""``serve``'s web side: the preview's files, and livereload's websocket and client.

Live reloading is livereload's (pinned to the exact tested version, with a contract test:
tests/test_livereload_contract.py).  Its :class:`~livereload.handlers.LiveReloadHandler`
speaks the LiveReload protocol (``hello``, then ``info`` with the page's URL; the server
sends ``reload``) and keeps the connected tabs in ``LiveReloadHandler.waiters``; its
:class:`~livereload.handlers.LiveReloadJSHandler` serves the ``livereload.js`` it ships, at
``/livereload.js``: the pages' Content-Security-Policy forbids inline scripts, and a
same-origin file runs under the same policy as the published site.  livereload's
``Server`` and its file watcher are not used: :mod:`sitegen.watch` sees the changes, the
real build decides which tabs reload (:meth:`Preview.reload_changed`), and the web
application is our own Tornado one.

The preview answers only requests addressed to it on this machine: the ``Host`` header
must name ``127.0.0.1``, ``localhost``, ``[::1]`` or the bound address, with the bound
port (421 otherwise), and the websocket's ``Origin`` must be one of those (403
otherwise).  A web page elsewhere that rebinds its own name to 127.0.0.1 (DNS
rebinding) can thus read nothing from the preview.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import netutil, web, websocket

from .errors import BuildError, Problem
from .messages import render_message
from .serve_paths import answer, reloads_every_tab, served_file, tab_shows_change

# What marks a page that loads the search index (the search pages, see templates/search.html).
_USES_INDEX = b'data-pagefind="'
# How many ports after a busy one are tried before giving up.
PORT_TRIES = 20


def url_host(host: str) -> str:
    """``host`` as written in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def local_hosts(bound_host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values the preview answers: the loopback names and the bound address, with the port."""
    names = {"127.0.0.1", "localhost", "[::1]", url_host(bound_host).lower()}
    with_port = {f"{name}:{port}" for name in names}
    return frozenset(with_port | names) if port == 80 else frozenset(with_port)


def client_script(host: str, port: int) -> bytes:
    """The ``<script>`` every HTML page gets: livereload.js, from the preview itself.

    livereload.js finds the websocket's address in its own ``src``: the page's host, and
    the port given here.  It cannot read an IPv6 address there, so an IPv6 preview names
    its address in ``host`` too.
    """
    query = f"port={port}" + (f"&amp;host={url_host(host)}" if ":" in host else "")
    return f'<script src="/livereload.js?{query}" defer></script>'.encode()


class Preview:
    """What the handlers share: the folder, the addresses it answers, the current errors; and its tabs."""

    def __init__(self, root: str, hosts: frozenset[str], lang: str, script: bytes) -> None:
        self.root = root
        self.hosts = hosts
        self.lang = lang
        self.script = script
        self.lock = threading.Lock()
        self.errors: list[str] = []
        # Reload messages sent so far, and that count when each page was last served: a tab
        # whose page was served before a reload message but which connected after it (it was
        # loading meanwhile) missed the message, and is told again when it connects.
        self.reloads = 0
        self.served: dict[str, int] = {}

    def set_errors(self, lines: list[str]) -> None:
        with self.lock:
            self.errors = list(lines)

    def current_errors(self) -> list[str]:
        with self.lock:
            return list(self.errors)

    def tabs(self) -> list[TabHandler]:
        """The tabs showing this preview: livereload counts a tab once it said which page it shows (``info``)."""
        return [tab for tab in LiveReloadHandler.waiters if isinstance(tab, TabHandler) and tab.preview is self]

    def reload_changed(self, changed: frozenset[str] | None) -> int:
        """Reload the tabs whose page changed (all of them when :func:`reloads_every_tab`); how many."""
        self.reloads += 1
        every = reloads_every_tab(changed)
        chosen = [
            tab for tab in self.tabs() if every or tab_shows_change(self.root, tab.page_path, changed or frozenset())
        ]
        return self._reload(chosen)

    def reload_search_pages(self) -> int:
        """After the search index changed: reload the tabs showing a page that searches."""
        chosen = []
        for tab in self.tabs():
            served = served_file(self.root, tab.page_path)
            try:
                with open(served or os.devnull, "rb") as handle:
                    if _USES_INDEX in handle.read():
                        chosen.append(tab)
            except OSError:
                continue
        return self._reload(chosen)

    @staticmethod
    def _reload(tabs: list[TabHandler]) -> int:
        for tab in tabs:
            # A page path (not a .css or image name): livereload.js reloads the whole page.
            message = {"command": "reload", "path": tab.page_path, "liveCSS": False, "liveImg": False}
            try:
                tab.write_message(message)
            except websocket.WebSocketClosedError:  # the tab closed meanwhile: forget it
                LiveReloadHandler.waiters.discard(tab)
        return len(tabs)


def _host_refused(handler: web.RequestHandler, preview: Preview) -> bool:
    """Refuse (421) a request whose ``Host`` is not this preview's; whether it was refused."""
    if handler.request.headers.get("Host", "").lower() in preview.hosts:
        return False
    handler.set_status(421)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(render_message("serve_host_refused", preview.lang, {"hosts": ", ".join(sorted(preview.hosts))}))
    return True


class PageHandler(web.RequestHandler):
    """The preview's files, the 404 pages and, while a rebuild has failed, the error page."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _host_refused(self, self.preview)

    def compute_etag(self) -> None:
        return None  # every answer is no-store: nothing to revalidate

    def get(self) -> None:
        result = answer(self.preview.root, self.request.path, self.preview.current_errors(), self.preview.lang)
        body = result.body
        if result.content_type.startswith("text/html"):
            body = body.replace(b"</head>", self.preview.script + b"</head>", 1)
            self.preview.served[self.request.path] = self.preview.reloads
        self.set_status(result.status)
        self.set_header("Content-Type", result.content_type)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    head = get  # Tornado sends the headers of GET and no body


class ClientHandler(LiveReloadJSHandler):
    """``/livereload.js``: the client livereload ships, for this preview's hosts only."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if not _host_refused(self, self.preview):
            self.set_header("Cache-Control", "no-store")


class TabHandler(LiveReloadHandler):
    """livereload's websocket for a browser tab, for this preview's hosts and pages only.

    Two additions to livereload's handler: the ``Host`` and ``Origin`` checks (livereload
    accepts any origin), and the page the tab shows, from its ``info`` message, so that
    only the tabs whose page changed reload.  Messages that are not a JSON object with a
    ``command`` are ignored (livereload's handler would raise on them).
    """

    page_path = "/"

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _host_refused(self, self.preview)

    def check_origin(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.netloc.lower() in self.preview.hosts

    def on_message(self, message: str | bytes) -> None:
        try:
            data: object = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict) or not isinstance(data.get("command"), str):
            return
        if data["command"] == "info":
            self.page_path = urlsplit(str(data.get("url", ""))).path or "/"
        super().on_message(message)
        if (
            data["command"] == "info"
            and self.preview.served.get(self.page_path, self.preview.reloads) < self.preview.reloads
        ):
            self.preview._reload([self])  # it was loading when the tabs were told to reload


def make_application(preview: Preview) -> web.Application:
    """The preview's web application: the websocket, the client, every other path a file."""
    shared = {"preview": preview}
    routes = [
        (r"/livereload", TabHandler, shared),
        (r"/livereload\.js", ClientHandler, shared),
        (r".*", PageHandler, shared),
    ]
    # No access log: the terminal is for the rebuilds' messages (and 404s are no news in a preview).
    return web.Application(routes, log_function=lambda _handler: None)


def listen(host: str, port: int, on_busy: Callable[[int, int], None]) -> tuple[list[socket.socket], int]:
    """Sockets listening on ``host`` at ``port``, or at the next free port after it; and that port.

    ``on_busy(asked, used)`` is called when ``port`` was taken.  Raises :class:`BuildError`
    when no port is free among :data:`PORT_TRIES`, or the address cannot be used at all.
    """
    last = min(port + PORT_TRIES - 1, 65535)
    for candidate in range(port, last + 1):
        try:
            sockets = netutil.bind_sockets(candidate, address=host)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                continue
            detail = exc.strerror or str(exc)
            params = {"host": host, "port": candidate, "detail": detail}
            raise BuildError([Problem("serve_cannot_listen", "--port", None, params)]) from None
        if candidate != port:
            on_busy(port, candidate)
        return sockets, candidate
    raise BuildError([Problem("serve_no_free_port", "--port", None, {"first": port, "last": last})])
