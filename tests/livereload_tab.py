"""A browser tab as ``build.py serve`` sees it: a livereload websocket client that says which page it shows.

Speaks what livereload.js speaks (``hello``, then ``info`` with the page URL) and records
every ``reload`` the server sends.  :meth:`Tab.barrier` sends ``hello`` again and waits for
the answer: messages on one websocket arrive in order, so once the answer is in, every
``reload`` sent to this tab before it has been recorded too (no sleeping, no timing).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading


class Tab(threading.Thread):
    def __init__(self, port: int, page_path: str) -> None:
        super().__init__(daemon=True)
        self.page_url = f"http://127.0.0.1:{port}{page_path}"
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            assert chunk, "the server closed the websocket during the handshake"
            head += chunk
        assert b" 101 " in head.split(b"\r\n", 1)[0], head
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.reloads: list[dict] = []
        self.hellos = 0
        self.changed = threading.Condition()
        self.sock.settimeout(None)
        self.start()
        self._send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        self.wait(lambda: self.hellos >= 1)  # then it sent its info; the server counts a tab from then on
        self.barrier()

    def _send(self, message: dict) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        assert len(payload) < 126
        frame = bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(frame)

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def run(self) -> None:
        try:
            while True:
                b0, b1 = self._read(2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", self._read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self._read(8))[0]
                payload = self._read(n)
                if b0 & 0x0F == 8:
                    return
                message = json.loads(payload)
                with self.changed:
                    if message.get("command") == "hello":
                        if self.hellos == 0:
                            self._send({"command": "info", "plugins": {}, "url": self.page_url})
                        self.hellos += 1
                    elif message.get("command") == "reload":
                        self.reloads.append(message)
                    self.changed.notify_all()
        except (OSError, ConnectionError, ValueError):
            return

    def wait(self, predicate, timeout: float = 60.0) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout), f"{self.page_url}: {self.reloads}"

    def barrier(self) -> int:
        """Every reload sent to this tab so far, once it has surely arrived."""
        with self.changed:
            seen = self.hellos
        self._send({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        self.wait(lambda: self.hellos > seen)
        return len(self.reloads)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
