# Types of what sitegen/serve_http.py uses of livereload.handlers (livereload ships none):
# the handler it subclasses, the set of connected tabs, the methods it overrides or calls.
# tests/test_livereload_contract.py checks every name and signature here against the
# installed, pinned livereload.
from typing import ClassVar

from tornado import web, websocket

class LiveReloadHandler(websocket.WebSocketHandler):
    waiters: ClassVar[set[LiveReloadHandler]]
    def check_origin(self, origin: str) -> bool: ...
    def on_close(self) -> None: ...
    def on_message(self, message: str | bytes) -> None: ...

class LiveReloadJSHandler(web.RequestHandler):
    def get(self) -> None: ...
