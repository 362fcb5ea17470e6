"""``build.py serve``: rebuilds on change, shows errors in the page, keeps serving, stays confined."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sitetest import REPO

from sitegen.serve import resolve_request_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float = 20.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    last = (0, "")
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(*last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never satisfied the condition; last answer: {last[0]} {last[1][:300]}")


@pytest.fixture
def server(fixture_site, monkeypatch):
    site = fixture_site("basic")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", lambda status, body: status == 200)
        yield site, f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(timeout=10)


def test_serve_rebuilds_shows_errors_and_recovers(server):
    site, base = server
    status, body = fetch(base + "/chi-siamo/")
    assert status == 200 and "Chi siamo" in body
    assert '<script src="/livereload.js?port=' in body  # external, so the CSP allows it
    assert fetch(base + "/notizie/bozza/")[0] == 200  # the preview shows drafts

    page = site / "content" / "it" / "chi-siamo.md"
    page.write_text(page.read_text().replace('title: "Chi siamo"', 'title: "Chi siamo oggi"'))
    wait_for(base + "/chi-siamo/", lambda status, body: "Chi siamo oggi" in body)

    good = page.read_text()
    page.write_text(good.replace('title: "Chi siamo oggi"', "title: Chi siamo: oggi"))
    status, body = wait_for(base + "/chi-siamo/", lambda status, body: status == 500)
    assert "content/it/chi-siamo.md:2: the value of &#x27;title&#x27; contains &#x27;:&#x27;" in body
    assert fetch(base + "/index.html")[0] == 500  # every page shows the error, not a stale page
    assert '<script src="/livereload.js' in body  # so the fix reloads it

    page.write_text(good)
    wait_for(base + "/chi-siamo/", lambda status, body: status == 200 and "Chi siamo oggi" in body)
    assert not (site / "public").exists()  # the preview never writes the published folder


def test_serve_answers_404_with_the_site_404_page(server):
    _, base = server
    status, body = fetch(base + "/en/nowhere/")
    assert status == 404 and 'lang="en"' in body
    for path in ("/../config.yaml", "/%2e%2e/config.yaml", "/static/..%2f..%2fconfig.yaml"):
        status, body = fetch(base + path)
        assert status == 404 and "base_url" not in body, path


def test_request_paths_cannot_leave_the_root(tmp_path):
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve_request_path(str(root), "/a/") == str(root / "a" / "index.html")
    for path in (
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/a/../../secret.txt",
        "/link.txt",
        "/a%00/",
        "/..%5csecret.txt",
        "/a",
    ):
        assert resolve_request_path(str(root), path) is None, path
