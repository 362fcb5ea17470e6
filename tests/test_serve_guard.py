"""``build.py serve`` is a local preview, not a door: confined 404 pages, ``Host`` and ``Origin``
checked (DNS rebinding), ports validated, a busy port moves to the next free one, and the
preview keeps answering while a rebuild is running."""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sitetest import REPO
from test_serve import fetch, free_port, wait_for

from sitegen import serve_http
from sitegen.errors import BuildError
from sitegen.ports import port_number
from sitegen.serve import served_file
from sitegen.serve_http import listen, local_hosts

ENV = {"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin"}


def start_serve(site: Path, port: int, *extra: str, runner: list[str] | None = None) -> subprocess.Popen[str]:
    command = runner or [sys.executable, str(REPO / "build.py")]
    return subprocess.Popen(
        [*command, "serve", "--port", str(port), *extra],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )


def stop(process: subprocess.Popen[str]) -> str:
    process.kill()
    output, _ = process.communicate(timeout=10)
    return output


@pytest.fixture
def served(fixture_site):
    site = fixture_site("basic")
    port = free_port()
    process = start_serve(site, port)
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, body: status == 200)
        yield site, port
    finally:
        stop(process)


def raw_request(port: int, target: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """A request sent exactly as given: no client-side path normalisation, our own Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def websocket_status(port: int, host: str, origin: str) -> int:
    """The status of a websocket upgrade to ``/livereload`` with these ``Host`` and ``Origin``."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                f"GET /livereload HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n" not in head:
            chunk = sock.recv(4096)
            assert chunk, "closed without an answer"
            head += chunk
    return int(head.split(b" ", 2)[1])


# --- 404 pages: confined like every other file ---------------------------------------


def test_the_404_fallback_cannot_leave_the_preview_folder(tmp_path):
    root = tmp_path / "preview"
    (root / "en").mkdir(parents=True)
    (root / "404.html").write_text("ours")
    (root / "en" / "404.html").write_text("ours, in English")
    (tmp_path / "404.html").write_text("PLANTED")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "404.html").write_text("PLANTED")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    for path in ("/../x", "/%2e%2e/x", "/%2E%2E/x/", "/..%2fx", "/linked/nowhere/", "/%2e%2e/404.html"):
        assert served_file(str(root), path) == str(root / "404.html"), path
    assert served_file(str(root), "/en/nowhere/") == str(root / "en" / "404.html")
    assert served_file(str(root), "/en/../../x") == str(root / "404.html")


def test_a_404_planted_above_the_preview_is_never_served(served):
    site, port = served
    (site / ".cache" / "404.html").write_text("PLANTED")  # the preview folder is .cache/preview
    host = {"Host": f"127.0.0.1:{port}"}
    for target in ("/../x", "/%2e%2e/x", "/%2e%2e/en/x", "/%2e%2e/404.html", "/..%2f404.html"):
        status, body = raw_request(port, target, host)
        assert b"PLANTED" not in body, target
        # ``..`` collapses at the top, as at ``/``: /../404.html is the preview's own 404.html
        assert status == (200 if target.endswith("404.html") else 404), target


# --- Host and Origin ---------------------------------------------------------------------


def test_the_local_names_with_the_bound_port():
    assert local_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "[fe80::1]:8001" in local_hosts("fe80::1", 8001)
    assert "192.168.1.5:8000" in local_hosts("192.168.1.5", 8000)
    assert "localhost" in local_hosts("127.0.0.1", 80) and "localhost" not in local_hosts("127.0.0.1", 8000)


def test_requests_for_other_hosts_are_refused(served):
    _, port = served
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert raw_request(port, "/", {"Host": host})[0] == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", "127.0.0.1", ""):
        status, body = raw_request(port, "/", {"Host": host})
        assert status == 421 and b"<html" not in body, host
        assert raw_request(port, "/livereload.js", {"Host": host})[0] == 421, host


def test_the_websocket_checks_host_and_origin(served):
    _, port = served
    local = f"127.0.0.1:{port}"
    assert websocket_status(port, local, f"http://{local}") == 101
    assert websocket_status(port, local, f"http://localhost:{port}") == 101
    assert websocket_status(port, local, f"http://evil.example:{port}") == 403
    assert websocket_status(port, local, "http://evil.example") == 403
    assert websocket_status(port, local, "null") == 403
    assert websocket_status(port, f"evil.example:{port}", f"http://evil.example:{port}") == 421


# --- ports ---------------------------------------------------------------------------------


def test_port_numbers_are_checked():
    assert port_number("1") == 1 and port_number("65535") == 65535 and port_number("8000") == 8000
    for text in ("0", "65536", "70000", "-1", "abc", "", "8000.0"):
        with pytest.raises(argparse.ArgumentTypeError, match="1 to 65535|da 1 a 65535"):
            port_number(text)


@pytest.mark.parametrize("port", ["70000", "0", "otto"])
def test_serve_refuses_a_port_out_of_range(fixture_site, port):
    site = fixture_site("basic")
    done = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", port],
        cwd=site,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"{port!r} is not a valid port number — use a whole number from 1 to 65535" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_listen_moves_to_the_next_free_port_or_says_why_not(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        moves: list[tuple[int, int]] = []
        sockets, used = listen("127.0.0.1", port, lambda asked, got: moves.append((asked, got)))
        for sock in sockets:
            sock.close()
        assert used != port and moves == [(port, used)]
        monkeypatch.setattr(serve_http, "PORT_TRIES", 1)
        with pytest.raises(BuildError) as error:
            listen("127.0.0.1", port, lambda asked, got: None)
        assert [p.code for p in error.value.problems] == ["serve_no_free_port"]
    with pytest.raises(BuildError) as error:
        listen("192.0.2.1", free_port(), lambda asked, got: None)  # TEST-NET: not this machine's
    assert [p.code for p in error.value.problems] == ["serve_cannot_listen"]


def test_a_second_serve_on_a_busy_port_uses_the_next_free_one(served):
    site, port = served
    second = start_serve(site, port)  # the same project, previewed twice
    try:
        assert second.stdout is not None
        lines: list[str] = []
        while not any(line.startswith("http://") for line in lines):
            line = second.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        text = "".join(lines)
        found = re.search(rf"Port {port} is already in use \(perhaps by another preview\): using port (\d+)\.", text)
        assert found, text
        used = int(found.group(1))
        assert used > port and f"http://127.0.0.1:{used}/" in text
        assert (site / ".cache" / f"preview-{used}" / "index.html").is_file()  # its own folder
        # An edit is built by both, neither waits for the other's folder.
        page = site / "content" / "it" / "chi-siamo.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nUn capibara.\n", encoding="utf-8")
        for each in (port, used):
            wait_for(f"http://127.0.0.1:{each}/chi-siamo/", lambda status, body: status == 200 and "capibara" in body)
    finally:
        output = stop(second)
    assert "Traceback" not in text + output


# --- rebuilds do not stop the preview from answering ---------------------------------------

HELD_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    import sitegen.serve as serve_module

    real_build = serve_module.build
    log, gate = Path(sys.argv[1]), Path(sys.argv[2])

    def held_build(options, session=None):
        with log.open("a") as out:
            out.write("start\\n")
        if log.read_text().count("start") > 1:  # the start-up build is not held
            while not gate.exists():
                time.sleep(0.02)
        try:
            return real_build(options, session)
        finally:
            with log.open("a") as out:
                out.write("end\\n")

    serve_module.build = held_build
    from sitegen.cli import main

    sys.exit(main(sys.argv[3:]))
    """
)


def test_the_preview_answers_while_a_rebuild_runs_and_rebuilds_never_overlap(fixture_site, tmp_path):
    site = fixture_site("basic")
    runner = tmp_path / "held_serve.py"
    runner.write_text(HELD_BUILD)
    log, gate = tmp_path / "log", tmp_path / "gate"
    port = free_port()
    process = start_serve(site, port, runner=[sys.executable, str(runner), str(log), str(gate)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/chi-siamo/", lambda status, body: status == 200)
        page = site / "content" / "it" / "chi-siamo.md"
        good = page.read_text(encoding="utf-8")
        page.write_text(good + "\nUn capibara.\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while log.read_text().count("start") < 2:  # the rebuild is running, held at the gate
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()
            time.sleep(0.02)
        # The build cannot end before the gate opens: these are answered during it, with the last good site.
        for path in ("/chi-siamo/", "/", "/livereload.js", "/nowhere/"):
            status, body = fetch(base + path)
            assert status in (200, 404) and "capibara" not in body, path
        page.write_text(good + "\nUn tapiro.\n", encoding="utf-8")  # a second change while it runs
        status, body = fetch(base + "/chi-siamo/")
        assert status == 200 and "tapiro" not in body
        gate.write_text("open")
        wait_for(base + "/chi-siamo/", lambda status, body: "tapiro" in body)
        # The second change makes one more build, whether it came during the held one or after it.
        while log.read_text().count("end") < 3:
            assert time.monotonic() < deadline + 30 and process.poll() is None, log.read_text()
            time.sleep(0.02)
    finally:
        stop(process)
    events = log.read_text().split()
    assert events == ["start", "end"] * (len(events) // 2), events  # one at a time, never overlapping
