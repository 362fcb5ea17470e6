"""``build.py serve`` in real Chromium: a save reloads the page, a broken file shows its error, a fix brings the page back.

Runs Debian's Chromium through Playwright (never ``playwright install``); the server is a
real ``build.py serve`` process on a free port of 127.0.0.1, stopped by its own pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from editor_site import PROJECT, make_site

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.slow]
ITEM = "content/it/notizie/primo-annuncio.md"
GOOD = '---\ntitle: "{title}"\ndate: 2026-11-20\ntranslation_key: primo\n---\n\nTesto di prova.\n'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def preview(tmp_path):
    make_site(tmp_path)
    port = _free_port()
    env = {**os.environ, "SITEGEN_LANG": "it", "PYTHONPATH": str(PROJECT)}
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, str(PROJECT / "build.py"), "serve", "--config", "config.yaml", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/notizie/primo-annuncio/")
        yield tmp_path, port, server, log
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed")
def test_save_reloads_errors_show_in_the_page_and_a_fix_brings_it_back(preview):
    from playwright.sync_api import expect, sync_playwright

    root, port, server, log = preview
    url = f"http://127.0.0.1:{port}/notizie/primo-annuncio/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--proxy-server=127.0.0.1:9",
            ],
        )
        page = browser.new_page()
        errors_in_console = []
        page.on("console", lambda message: message.type == "error" and errors_in_console.append(message.text))
        page.goto(url)
        expect(page.locator("h1")).to_have_text("Primo annuncio di prova")
        expect(page.locator(".draft-banner")).to_have_count(0)

        # 1. A save reloads the page by itself.
        (root / ITEM).write_text(GOOD.format(title="Primo annuncio modificato"), encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Primo annuncio modificato", timeout=15_000)

        # 2. A broken file: the page itself shows the error with file and line.
        (root / ITEM).write_text(
            GOOD.format(title="x").replace('title: "x"', "title: Rotto: due punti"), encoding="utf-8"
        )
        error = page.locator("#sitegen-error")
        expect(error).to_be_visible(timeout=15_000)
        expect(error).to_contain_text("content/it/notizie/primo-annuncio.md:2: il valore di 'title' contiene ':'")
        assert server.poll() is None  # the server keeps running

        # 3. Fixing the file brings the page back.
        (root / ITEM).write_text(GOOD.format(title="Primo annuncio corretto"), encoding="utf-8")
        expect(page.locator("h1")).to_have_text("Primo annuncio corretto", timeout=15_000)
        expect(page.locator("#sitegen-error")).to_have_count(0)
        browser.close()
    # Nothing else went wrong in the page (e.g. blocked by the Content-Security-Policy); the
    # error page itself is served with status 500, which Chromium logs.
    assert [e for e in errors_in_console if "status of 500" not in e] == []
    log.flush()
    log.seek(0)
    terminal = log.read()
    assert (
        "content/it/notizie/primo-annuncio.md:2: il valore di 'title' contiene ':'" in terminal
    )  # also in the terminal
