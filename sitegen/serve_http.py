"""``serve``'s web side, on Tornado's public API: the preview's files, and the live-reload websocket.

The websocket speaks the LiveReload protocol (``hello``, then ``info`` with the page's
URL; the server sends ``reload``), with a small client of our own at ``/livereload.js``:
the pages' Content-Security-Policy forbids inline scripts, and a same-origin file runs
under the same policy as the published site.

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
from typing import Any
from urllib.parse import urlsplit

from tornado import netutil, web, websocket

from .errors import BuildError, Problem
from .messages import render_message
from .serve_paths import answer, reloads_every_tab, served_file, tab_shows_change

# What marks a page that loads the search index (the search pages, see templates/search.html).
_USES_INDEX = b'data-pagefind="'
# How many ports after a busy one are tried before giving up.
PORT_TRIES = 20
_PROTOCOL = "http://livereload.com/protocols/official-7"

# The live-reload client: connect, say hello, tell the page's URL, reload when told to; when
# the server goes away (restarted), try again every second and reload once it is back.
CLIENT_JS = b"""(() => {
  "use strict";
  let wasClosed = false;
  const connect = () => {
    const socket = new WebSocket(`ws://${location.host}/livereload`);
    socket.onopen = () => {
      if (wasClosed) { location.reload(); return; }
      socket.send(JSON.stringify({ command: "hello", protocols: ["%s"] }));
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.command === "hello") {
        socket.send(JSON.stringify({ command: "info", plugins: {}, url: location.href }));
      } else if (message.command === "reload") {
        location.reload();
      }
    };
    socket.onclose = () => { wasClosed = true; setTimeout(connect, 1000); };
  };
  connect();
})();
""" % _PROTOCOL.encode()


def url_host(host: str) -> str:
    """``host`` as written in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def local_hosts(bound_host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values the preview answers: the loopback names and the bound address, with the port."""
    names = {"127.0.0.1", "localhost", "[::1]", url_host(bound_host).lower()}
    with_port = {f"{name}:{port}" for name in names}
    return frozenset(with_port | names) if port == 80 else frozenset(with_port)


class Preview:
    """What the handlers share: the folder, the addresses it answers, the tabs, and the current errors."""

    def __init__(self, root: str, hosts: frozenset[str], lang: str, script: bytes) -> None:
        self.root = root
        self.hosts = hosts
        self.lang = lang
        self.script = script
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.tabs: set[TabSocket] = set()

    def set_errors(self, lines: list[str]) -> None:
        with self.lock:
            self.errors = list(lines)

    def current_errors(self) -> list[str]:
        with self.lock:
            return list(self.errors)

    def reload_changed(self, changed: frozenset[str] | None) -> int:
        """Reload the tabs whose page changed (all of them when :func:`reloads_every_tab`); how many."""
        every = reloads_every_tab(changed)
        chosen = [
            tab for tab in self.tabs if every or tab_shows_change(self.root, tab.page_path, changed or frozenset())
        ]
        return self._reload(chosen)

    def reload_search_pages(self) -> int:
        """After the search index changed: reload the tabs showing a page that searches."""
        chosen = []
        for tab in self.tabs:
            served = served_file(self.root, tab.page_path)
            try:
                with open(served or os.devnull, "rb") as handle:
                    if _USES_INDEX in handle.read():
                        chosen.append(tab)
            except OSError:
                continue
        return self._reload(chosen)

    def _reload(self, tabs: list[TabSocket]) -> int:
        for tab in tabs:
            # A page path (not a .css or image name): the client reloads the whole page.
            message = {"command": "reload", "path": tab.page_path, "liveCSS": False, "liveImg": False}
            try:
                tab.write_message(message)
            except websocket.WebSocketClosedError:  # the tab closed meanwhile: forget it
                self.tabs.discard(tab)
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
        self.set_status(result.status)
        self.set_header("Content-Type", result.content_type)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    head = get  # Tornado sends the headers of GET and no body


class ClientHandler(web.RequestHandler):
    """``/livereload.js``: the live-reload client."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        _host_refused(self, self.preview)

    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(CLIENT_JS)


class TabSocket(websocket.WebSocketHandler):
    """A browser tab's websocket; it counts as a tab once it said which page it shows (``info``)."""

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
            data: Any = json.loads(message)
        except ValueError:
            return
        if not isinstance(data, dict):
            return
        if data.get("command") == "hello":
            self.write_message({"command": "hello", "protocols": [_PROTOCOL], "serverName": "sitegen"})
        elif data.get("command") == "info":
            self.page_path = urlsplit(str(data.get("url", ""))).path or "/"
            self.preview.tabs.add(self)

    def on_close(self) -> None:
        self.preview.tabs.discard(self)


def make_application(preview: Preview) -> web.Application:
    """The preview's web application: the websocket, the client, every other path a file."""
    shared = {"preview": preview}
    routes = [
        (r"/livereload", TabSocket, shared),
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
