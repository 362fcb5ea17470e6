"""Contract with livereload: fails when anything ``serve`` relies on in it changes.

``serve`` uses livereload's websocket handler and the ``livereload.js`` it ships, in its own
Tornado application (sitegen/serve_http.py).  Some of that is not livereload's documented
API (it documents ``Server`` only): the classes in ``livereload.handlers``, the class-level
set of connected tabs ``LiveReloadHandler.waiters``, and what its ``on_message`` does.  So
livereload is pinned to one exact version, and these tests state what that version does.
A new livereload release needs the pin, these tests and stubs/livereload/ looked at together.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.metadata
import inspect
import json
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import livereload
import pytest
from livereload import handlers
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from sitetest import REPO
from tornado import httpclient, httpserver, netutil, web, websocket

from sitegen.serve_http import Preview, TabHandler, client_script, local_hosts, make_application

VERSION = "2.7.1"
PROTOCOL = "http://livereload.com/protocols/official-7"
VENDORED_JS = Path(handlers.__file__).parent / "vendors" / "livereload.js"


# --- the pinned version -----------------------------------------------------------------------


def test_the_installed_livereload_is_the_pinned_version():
    assert livereload.__version__ == VERSION
    assert importlib.metadata.version("livereload") == VERSION
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"livereload=={VERSION}" in dependencies


# --- the classes, their attributes and the methods we override or call ------------------------


def test_the_handler_classes_are_tornados_handlers():
    assert issubclass(LiveReloadHandler, websocket.WebSocketHandler)
    assert issubclass(LiveReloadJSHandler, web.RequestHandler)
    assert issubclass(TabHandler, LiveReloadHandler)


def test_waiters_is_one_set_on_the_handler_class():
    assert type(vars(LiveReloadHandler)["waiters"]) is set
    assert "waiters" not in vars(TabHandler)  # ours adds to and reads livereload's one set


def test_livereload_handler_defines_exactly_what_it_did():
    """A method added to (or removed from) the handler could change what our subclass does."""
    own = {name for name in vars(LiveReloadHandler) if not name.startswith("__")}
    assert own == {
        "DEFAULT_RELOAD_TIME",
        "waiters",
        "watcher",
        "live_css",
        "_last_reload_time",
        "allow_draft76",
        "check_origin",
        "on_close",
        "send_message",
        "start_tasks",
        "poll_tasks",
        "reload_waiters",
        "on_message",
    }
    # Nothing of Tornado's that our subclass overrides (initialize, prepare) or relies on (open).
    for name in ("initialize", "prepare", "open", "get"):
        assert name not in vars(LiveReloadHandler), name
    assert {name for name in vars(LiveReloadJSHandler) if not name.startswith("__")} == {"get"}
    # Nobody starts livereload's own file watcher: it has none until Server.serve sets one.
    assert LiveReloadHandler.watcher is None


def _stub_methods() -> dict[str, dict[str, list[str]]]:
    """The parameters of every method stubs/livereload/handlers.pyi declares, per class (attributes: none)."""
    tree = ast.parse((REPO / "stubs" / "livereload" / "handlers.pyi").read_text(encoding="utf-8"))
    declared: dict[str, dict[str, list[str]]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            declared[node.name] = {
                item.name: [arg.arg for arg in item.args.args]
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            }
            declared[node.name].update(
                {
                    item.target.id: []
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                }
            )
    return declared


def test_the_type_stubs_match_the_installed_livereload():
    declared = _stub_methods()
    assert set(declared) == {"LiveReloadHandler", "LiveReloadJSHandler"}
    for class_name, methods in declared.items():
        runtime = vars(getattr(handlers, class_name))
        for name, params in methods.items():
            assert name in runtime, f"{class_name}.{name}"
            if not callable(runtime[name]) and not isinstance(runtime[name], classmethod):
                continue  # an attribute: it exists
            function = runtime[name].__func__ if isinstance(runtime[name], classmethod) else runtime[name]
            assert list(inspect.signature(function).parameters) == params, f"{class_name}.{name}"


def test_the_methods_we_override_keep_their_signatures():
    assert list(inspect.signature(LiveReloadHandler.on_message).parameters) == ["self", "message"]
    assert list(inspect.signature(LiveReloadHandler.check_origin).parameters) == ["self", "origin"]
    assert list(inspect.signature(LiveReloadHandler.on_close).parameters) == ["self"]
    assert list(inspect.signature(LiveReloadJSHandler.get).parameters) == ["self"]
    # Called on each tab to reload it: Tornado's own method, not overridden by livereload.
    assert "write_message" not in vars(LiveReloadHandler)


# --- the protocol, spoken by livereload's handler inside our application -----------------------


async def _with_preview(root: Path, body: Callable[[Preview, int], Awaitable[None]]) -> None:
    [sock] = netutil.bind_sockets(0, "127.0.0.1")
    port = sock.getsockname()[1]
    preview = Preview(str(root), local_hosts("127.0.0.1", port), "en", client_script("127.0.0.1", port))
    server = httpserver.HTTPServer(make_application(preview))
    server.add_sockets([sock])
    try:
        await body(preview, port)
    finally:
        server.stop()
        await server.close_all_connections()


async def _connect(port: int) -> websocket.WebSocketClientConnection:
    request = httpclient.HTTPRequest(
        f"ws://127.0.0.1:{port}/livereload", headers={"Origin": f"http://127.0.0.1:{port}"}
    )
    return await websocket.websocket_connect(request)


async def _receive(connection: websocket.WebSocketClientConnection) -> dict[str, object]:
    message = await asyncio.wait_for(connection.read_message(), 30)
    assert isinstance(message, str), message
    data = json.loads(message)
    assert isinstance(data, dict)
    return data


async def _until(condition: Callable[[], bool]) -> None:
    """Wait (on the loop, which is the server's too) until ``condition`` holds."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


@pytest.fixture
def preview_root(tmp_path):
    root = tmp_path / "preview"
    (root / "chi-siamo").mkdir(parents=True)
    (root / "index.html").write_text("<html><head></head><body>home</body></html>")
    (root / "chi-siamo" / "index.html").write_text("<html><head></head><body>chi</body></html>")
    return root


def test_hello_info_reload_through_livereloads_handler(preview_root, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(LiveReloadHandler, "start_tasks", classmethod(lambda cls: started.append("start")))
    monkeypatch.setattr(LiveReloadHandler, "poll_tasks", classmethod(lambda cls: started.append("poll")))

    async def body(preview: Preview, port: int) -> None:
        about, home = await _connect(port), await _connect(port)
        for connection, path in ((about, "/chi-siamo/"), (home, "/")):
            await connection.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
            hello = await _receive(connection)
            assert hello["command"] == "hello" and hello["protocols"] == [PROTOCOL]
            assert hello["serverName"] == "livereload-tornado"  # livereload's handler answered
            if connection is about:
                assert preview.tabs() == []  # a tab counts from its info on
            info = {"command": "info", "plugins": {}, "url": f"http://127.0.0.1:{port}{path}"}
            await connection.write_message(json.dumps(info))
        await _until(lambda: len(preview.tabs()) == 2)
        assert set(preview.tabs()) <= LiveReloadHandler.waiters  # livereload keeps them
        assert sorted(tab.page_path for tab in preview.tabs()) == ["/", "/chi-siamo/"]

        assert preview.reload_changed(frozenset({"chi-siamo/index.html"})) == 1
        reload = await _receive(about)
        assert reload == {"command": "reload", "path": "/chi-siamo/", "liveCSS": False, "liveImg": False}
        assert preview.reload_changed(None) == 2  # every tab
        assert (await _receive(home))["command"] == "reload"
        assert (await _receive(about))["command"] == "reload"

        home.close()
        await _until(lambda: len(preview.tabs()) == 1)  # livereload's on_close forgets it
        about.close()
        await _until(lambda: preview.tabs() == [])

    asyncio.run(_with_preview(preview_root, body))
    assert started == []  # livereload's own watcher never ran


def test_messages_livereload_would_choke_on_are_ignored(preview_root):
    async def body(preview: Preview, port: int) -> None:
        connection = await _connect(port)
        for junk in ("not json", "[1, 2]", '{"no": "command"}', '{"command": 3}', '"hello"'):
            await connection.write_message(junk)
        await connection.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
        assert (await _receive(connection))["command"] == "hello"  # still connected
        connection.close()

    asyncio.run(_with_preview(preview_root, body))


def test_livereload_js_is_the_client_livereload_ships(preview_root):
    async def body(preview: Preview, port: int) -> None:
        client = httpclient.AsyncHTTPClient()
        response = await client.fetch(f"http://127.0.0.1:{port}/livereload.js")
        assert response.body == VENDORED_JS.read_bytes()
        assert response.headers["Content-Type"].startswith("application/javascript")
        page = await client.fetch(f"http://127.0.0.1:{port}/")
        assert f'<script src="/livereload.js?port={port}" defer></script></head>'.encode() in page.body

    asyncio.run(_with_preview(preview_root, body))
    js = VENDORED_JS.read_text(encoding="utf-8")
    # What the preview relies on the client doing: find the server from its own src
    # (host and port, also from the query), say hello, tell the page's URL, reload the page.
    assert "\\/z?livereload\\.js(?:\\?(.*))?$" in js and "options.set(keyAndValue[0]" in js
    assert '"/livereload"' in js
    assert "command: 'hello'" in js and "protocols: [PROTOCOL_6, PROTOCOL_7]" in js
    assert "command: 'info'" in js and "url: this.window.location.href" in js
    assert "case 'reload':" in js and "this.window.document.location.reload()" in js


def test_the_client_script_names_an_ipv6_address():
    assert client_script("127.0.0.1", 8000) == b'<script src="/livereload.js?port=8000" defer></script>'
    assert client_script("::1", 8001) == b'<script src="/livereload.js?port=8001&amp;host=[::1]" defer></script>'
