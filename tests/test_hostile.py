"""Hostile content: raw HTML is sanitised (with a warning), front matter is escaped everywhere,
and ``serve`` never hands out a file outside its folder."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
from sitetest import NOW_ARG, REPO

from sitegen.cli import main
from sitegen.markdown_render import convert
from sitegen.serve import resolve_request_path

N = "content/it/notizie/prova.md"
HOSTILE_BODY = """Testo iniziale.

<script>alert("script")</script>

<img src="/media/documento.txt" alt="x" onerror="alert('onerror')">

[un collegamento](javascript:alert(1))

<iframe src="https://example.org/"></iframe>

<style>body { display: none }</style>

<form action="https://example.org/"><input name="q"></form>

<object data="x.swf"></object><embed src="x.swf">

<p onclick="alert('click')" class="nota">Paragrafo</p>

<svg onload="alert('svg')"><circle r="1"/></svg>
"""


def write(site, rel, text):
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_raw_html_is_sanitised_and_every_removal_is_a_warning_with_its_line(
    fixture_site, tmp_path, monkeypatch, capsys
):
    site = fixture_site("basic")
    write(site, N, '---\ntitle: "Prova"\ndate: 2026-11-20\n---\n\n' + HOSTILE_BODY)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SITEGEN_LANG", "en")
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    err = capsys.readouterr().err.splitlines()
    tail = " was removed from the page because it is unsafe or not allowed in content — use Markdown syntax (links, images, tables)"
    assert err == [
        f"{N}:{line}: warning: the HTML {what}{tail}"
        for line, what in [
            (8, "<script>"),
            (10, "onerror=\"alert('onerror')\" (<img>)"),
            (12, 'href="javascript:alert(1)" (<a>)'),
            (14, "<iframe>"),
            (16, "<style>"),
            (18, "<form>"),
            (18, "<input>"),
            (20, "<object>"),
            (20, "<embed>"),
            (22, "onclick=\"alert('click')\" (<p>)"),
            (24, "<svg>"),
            (24, "<circle>"),
        ]
    ]
    page = (out / "notizie" / "prova" / "index.html").read_text(encoding="utf-8")
    body = page[page.index("<h1>") : page.index("</article>")]
    assert "alert" not in body
    for forbidden in (
        "<script",
        "<iframe",
        "<style",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<svg",
        "onerror",
        "onclick",
        "javascript:",
    ):
        assert forbidden not in body.lower(), forbidden
    assert '<p class="nota">Paragrafo</p>' in body  # the harmless part stays
    assert '<img src="/media/documento.txt" alt="x">' in body
    # and --strict refuses the page instead of publishing it cleaned
    capsys.readouterr()
    assert main(["build", "--strict", "--output", str(tmp_path / "strict"), "--now", NOW_ARG]) == 1


def test_what_python_markdown_writes_passes_the_sanitiser_untouched():
    text = """## Perché sì {: .intro lang=en }

| a | b |
|:--|--:|
| 1 | 2 |

Una nota[^1] sull'abbreviazione IOM, `codice` e **grassetto**.

Termine
:   Definizione

```python
print("x")
```

> Citazione

1. uno
2. due

![Foto](foto.jpg "Titolo")

[^1]: Testo della nota.

*[IOM]: Istituto Oncologico del Mediterraneo
"""
    converted = convert(text, "it")
    assert converted.removed == ()
    html = converted.html
    for kept in (
        '<h2 class="intro" id="perche-si" lang="en">',
        "<table>",
        '<sup id="fnref:1">',
        '<abbr title="Istituto Oncologico del Mediterraneo">IOM</abbr>',
        "<dl>",
        "<dd>",
        '<code class="language-python">',
        "<blockquote>",
        "<ol>",
        'title="Titolo"',
        '<div class="footnote">',
        'class="footnote-backref"',
    ):
        assert kept in html, kept
    assert "style=" not in html  # table alignment is an inline style the CSP blocks anyway: dropped


def test_a_hostile_warning_in_italian():
    from sitegen.errors import WARNING, Problem

    problem = Problem("html_removed", N, 8, {"what": "<script>"}, WARNING)
    assert problem.format("it") == (
        f"{N}:8: avviso: l'HTML <script> è stato tolto dalla pagina perché non è sicuro o non è permesso nei"
        " contenuti — usa la sintassi Markdown (collegamenti, immagini, tabelle)"
    )


HOSTILE = "</script><script>alert(1)</script><!-- & \"quoted\" 'single' ]]> <b>"


def test_hostile_front_matter_is_escaped_in_html_json_ld_feeds_and_sitemap(fixture_site, tmp_path, monkeypatch):
    site = fixture_site("basic")
    value = json.dumps(HOSTILE)
    write(
        site,
        N,
        f"---\ntitle: {value}\ndescription: {value}\nsummary: {value}\ndate: 2026-11-20\n"
        f"tags: [{value}]\n---\n\nTesto.\n",
    )
    monkeypatch.chdir(site)
    out = tmp_path / "out"
    assert main(["build", "--output", str(out), "--now", NOW_ARG]) == 0
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        scripts = re.findall(r"<script\b[^>]*>", text)
        allowed = ['<script type="application/ld+json">']
        # every page's print helper, from /static/ (the day of printing under the address)
        allowed += re.findall(r'<script src="/static/print\.[0-9a-f]{8}\.js" defer>', text)[:1]
        if page.parent.name in ("cerca", "search"):  # the search page's own script, from /static/
            allowed += re.findall(r'<script type="module" src="/static/search\.[0-9a-f]{8}\.js">', text)[:1]
        assert all(s in allowed for s in scripts), (page, scripts)
        assert "alert(1)</script>" not in text.replace("\\u003c", "<")
        assert "<b>" not in text and "<!-- &" not in text
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            json.loads(block)  # each JSON-LD block is whole: nothing broke out of it
    item = (out / "notizie" / "prova" / "index.html").read_text(encoding="utf-8")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', item, re.S).group(1))
    article = next(node for node in ld["@graph"] if node["@type"] == "NewsArticle")
    assert article["headline"] == HOSTILE and article["description"] == HOSTILE and article["keywords"] == [HOSTILE]
    assert (
        "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp; &#34;quoted&#34; &#39;single&#39;"
        " ]]&gt; &lt;b&gt;</h1>" in item
    )
    feed = ET.parse(out / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entry = next(e for e in feed.iter(f"{atom}entry") if e.find(f"{atom}title").text == HOSTILE)
    assert entry.find(f"{atom}summary").text == HOSTILE
    assert entry.find(f"{atom}category").get("term") == HOSTILE
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(re.fullmatch(r"https://example\.org/[a-z0-9/.-]*", loc) for loc in locs), locs


# --- serve: confined to its folder ---------------------------------------------------


def test_request_paths_cannot_leave_the_folder(tmp_path):
    root = tmp_path / "site"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("ok")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "linked-folder").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / "inner.txt").symlink_to(root / "a" / "index.html")  # a link that stays inside is fine
    assert resolve_request_path(str(root), "/a/") == str(root / "a" / "index.html")
    assert resolve_request_path(str(root), "/inner.txt") == str(root / "a" / "index.html")
    for path in (
        "/../secret.txt",
        "/a/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/a\\..\\..\\secret.txt",
        "/..%5csecret.txt",
        "/link.txt",
        "/linked-folder/",
        "/linked-folder/index.html",
        "/a%00/",
        "/a/index.html%00.txt",
        "//etc/passwd",
        "/" + str(tmp_path / "secret.txt"),
    ):
        assert resolve_request_path(str(root), path) is None, path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET with the request target sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", target, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port``, from /proc/net/tcp{,6} (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table, encoding="ascii").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if int(port_hex, 16) == port and state == "0A":  # LISTEN
                found.add(address)
    return found


@pytest.mark.slow
def test_serve_binds_loopback_and_serves_nothing_outside_its_folder(fixture_site, tmp_path):
    site = fixture_site("basic")
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"SITEGEN_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _raw_get(port, "/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "serve did not start"
            time.sleep(0.1)
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
        preview = site / ".cache" / "preview"
        (preview / "leak.txt").symlink_to(tmp_path / "secret.txt")
        for target in (
            "/../config.yaml",
            "/%2e%2e/config.yaml",
            "/%252e%252e/config.yaml",
            "/..%2fconfig.yaml",
            "/..%5cconfig.yaml",
            "/..\\config.yaml",
            "/static/../../config.yaml",
            "/static/%2e%2e/%2e%2e/%2e%2e/secret.txt",
            "/leak.txt",
            "//etc/passwd",
            f"/{tmp_path}/secret.txt",
        ):
            status, body = _raw_get(port, target)
            assert status in (400, 404), (target, status)
            assert b"TOP-SECRET" not in body and b"base_url" not in body and b"root:" not in body, target
    finally:
        process.kill()
        process.wait(timeout=10)
