"""Checker functions for the built site.

Each function looks at one thing (a page in a browser, a folder of files, a feed) and returns a
list of human-readable problems, empty when all is well. The tests in this folder run them on the
real site and, to prove that each check can fail, on small deliberately broken pages.

Every problem names the page (URL or file) and the rule it breaks, so that a failure says what
to fix without re-running anything.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"

# Chromium flags: no calls home, and every request that is not to loopback goes to a dead proxy,
# so that a third-party request fails at once instead of hanging (loopback bypasses the proxy).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

HOME_MAX_BYTES = 60_000  # everything the home page loads: HTML, CSS, font files, images
HOME_MAX_REQUESTS = 6
PAGE_MAX_BYTES = 100_000  # any other page, images left out
NARROW_WIDTH = 360
WIDE_WIDTH = 1280
LAYOUT_WIDTHS = (320, 360, 768, 1280)  # no page may scroll sideways at any of them
HEADER_MAX_HEIGHT = 140  # px, at NARROW_WIDTH
H1_MAX_TOP = 300  # px: where a news item's h1 must start at 360 × 640
MIN_TARGET = 24  # px: WCAG 2.2 2.5.8, target size (minimum)
CENTRE_TOLERANCE = 24  # px: how far the reading column may sit off centre at WIDE_WIDTH


# --------------------------------------------------------------------------------------------
# Building and serving
# --------------------------------------------------------------------------------------------


@dataclass
class Build:
    """The result of ``python build.py build``: where it went and what it said."""

    output: Path
    base_url: str
    returncode: int
    log: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def prefix(self) -> str:
        """The URL path prefix of the build: ``/`` or ``/sub/``."""
        return urlsplit(self.base_url).path or "/"


def build_site(output: Path, base_url: str, repo: Path = REPO, python: str | None = None) -> Build:
    """Build the real site into ``output`` through the command line, as a user would."""
    import sys

    cmd = [python or sys.executable, "build.py", "build", "--output", str(output), "--base-url", base_url]
    proc = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=300)
    return Build(
        output, base_url, proc.returncode, f"$ {' '.join(cmd)}\nexit {proc.returncode}\n{proc.stdout}{proc.stderr}"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; with ``prefix`` other than "/", only URLs under the prefix, mapped onto it."""

    prefix = "/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".css": "text/css",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".woff2": "font/woff2",
        ".json": "application/json",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args):  # keep test output clean
        pass

    def _strip_prefix(self) -> bool:
        if self.prefix == "/":
            return True
        path = urlsplit(self.path).path
        if path + "/" == self.prefix:  # /sub -> /sub/
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return False
        if not path.startswith(self.prefix):
            self.send_error(404, "outside the site's prefix")
            return False
        self.path = "/" + self.path[len(self.prefix) :]
        return True

    def do_GET(self):
        if self._strip_prefix():
            super().do_GET()

    def do_HEAD(self):
        if self._strip_prefix():
            super().do_HEAD()

    def send_head(self):
        # Serve the site's own 404 page for missing files, as a static host would.
        path = self.translate_path(self.path)
        exists = os.path.isfile(os.path.join(path, "index.html")) if os.path.isdir(path) else os.path.isfile(path)
        if not exists:
            not_found = Path(self.directory) / "404.html"
            if not_found.is_file():
                body = not_found.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                import io

                return io.BytesIO(body)
        return super().send_head()


class Server:
    """A static file server for ``root`` on 127.0.0.1 on a free port, in a daemon thread."""

    def __init__(self, root: Path, prefix: str = "/"):
        handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        """The served URL of a site path such as ``/rete/`` (the prefix added)."""
        return self.origin + self.prefix.rstrip("/") + path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# Discovering pages and parsing HTML
# --------------------------------------------------------------------------------------------


def site_pages(root: Path) -> list[str]:
    """Every HTML page of a build as a site path: ``/``, ``/rete/``, ``/404.html``, ``/en/``..."""
    paths = []
    for file in sorted(root.rglob("*.html")):
        rel = file.relative_to(root).as_posix()
        if rel == "index.html":
            paths.append("/")
        elif rel.endswith("/index.html"):
            paths.append("/" + rel[: -len("index.html")])
        else:
            paths.append("/" + rel)
    return paths


def page_file(root: Path, path: str) -> Path:
    """The file that serves site path ``path`` (no prefix)."""
    rel = unquote(path).lstrip("/")
    if rel == "" or rel.endswith("/"):
        return root / rel / "index.html"
    return root / rel


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int


@dataclass
class ParsedPage:
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    # (type attribute, text, line) of every <script> without src, and text of every <style>
    inline_scripts: list[tuple[str, str, int]] = field(default_factory=list)
    styles: list[tuple[str, int]] = field(default_factory=list)
    in_head_scripts: list[Element] = field(default_factory=list)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_head = False
        self._text_of: tuple[str, dict, int] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        line = self.getpos()[0]
        el = Element(tag, a, line)
        self.page.elements.append(el)
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.page.ids.add(a["name"])
        if tag == "head":
            self._in_head = True
        if tag == "body":
            self._in_head = False
        if tag == "script":
            if self._in_head and "src" in a:
                self.page.in_head_scripts.append(el)
            if "src" not in a:
                self._text_of, self._buffer = ("script", a, line), []
        if tag == "style":
            self._text_of, self._buffer = ("style", a, line), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if self._text_of and tag == self._text_of[0]:
            kind, a, line = self._text_of
            text = "".join(self._buffer)
            if kind == "script":
                self.page.inline_scripts.append((a.get("type", ""), text, line))
            else:
                self.page.styles.append((text, line))
            self._text_of = None

    def handle_data(self, data):
        if self._text_of:
            self._buffer.append(data)


def parse_html(text: str) -> ParsedPage:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page


@functools.lru_cache(maxsize=512)
def _parse_file(path: str, mtime: float) -> ParsedPage:
    return parse_html(Path(path).read_text(encoding="utf-8"))


def parse_file(path: Path) -> ParsedPage:
    return _parse_file(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------------------------
# 1. Accessibility (axe-core)
# --------------------------------------------------------------------------------------------


def axe_violations(page, rules: list[str] | None = None, label: str = "") -> list[str]:
    """Run axe-core on the loaded ``page``; one line per violated rule with its target selectors.

    ``rules`` restricts the run to those rule ids (default: every rule with one of AXE_TAGS).
    """
    from axe_playwright_python.sync_playwright import Axe

    if rules:
        options = {"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    else:
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    axe = Axe()
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    response = page.evaluate("options => axe.run(document, options)", options)
    label = f" [{label}]" if label else ""
    problems = []
    for v in response["violations"]:
        targets = []
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            targets.append(f"{target} [{summary[:160]}]" if summary else target)
        problems.append(f"{page.url}: axe rule {v['id']} ({v['impact']}){label}: {v['help']} -> " + "; ".join(targets))
    return problems


# --------------------------------------------------------------------------------------------
# 2. Keyboard
# --------------------------------------------------------------------------------------------

_FOCUS_INFO_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const main = document.querySelector('main');
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || '',
    cls: el.getAttribute('class') || '',
    href: el.getAttribute('href'),
    hreflang: el.getAttribute('hreflang'),
    text: (el.textContent || '').trim().slice(0, 60),
    outlineStyle: cs.outlineStyle,
    outlineWidth: cs.outlineWidth,
    boxShadow: cs.boxShadow,
    inMain: !!(main && (main === el || main.contains(el))),
    afterMain: !!(main && (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
    inNav: !!el.closest('nav'),
    inLangSwitch: !!el.closest('.lang-switch'),
    visible: r.width > 0 && r.height > 0,
  };
}"""


_FOCUS_LOG_JS = f"""() => {{
  const info = {_FOCUS_INFO_JS};
  if (!window.__focusLog) {{
    document.addEventListener('focusin', () => window.__focusLog.push(info()), true);
  }}
  window.__focusLog = [];
}}"""

_TABBABLE_COUNT_JS = """() => {
  // How many Tab presses reach every menu link and the language switcher (an upper bound:
  // every element that could take focus, in document order, up to the last of them).
  const all = Array.from(document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]'));
  const targets = Array.from(document.querySelectorAll('nav a[href], .lang-switch a[hreflang]'));
  const last = targets.length ? Math.max(...targets.map(t => all.indexOf(t))) : all.length;
  return last + 1;
}"""


def focus_info(page) -> dict | None:
    return page.evaluate(_FOCUS_INFO_JS)


def focus_visible_problem(url: str, info: dict, what: str) -> str | None:
    """A focused element must show its focus: an outline that is not 'none' (and not 0 wide) or a box-shadow."""
    outline = info["outlineStyle"] not in ("none", "") and info["outlineWidth"] not in ("0px", "0")
    shadow = info["boxShadow"] not in ("none", "")
    if outline or shadow:
        return None
    return (
        f"{url}: focus not visible on {what} <{info['tag']} href={info['href']!r}>: "
        f"outline-style={info['outlineStyle']} outline-width={info['outlineWidth']} box-shadow={info['boxShadow']}"
    )


def keyboard_problems(page, url: str, counterpart=None, extra_tabs: int = 3) -> list[str]:
    """Drive ``page`` (at ``url``) with the keyboard only.

    - the first Tab focuses the skip link, whose focus is visible;
    - Enter on it moves focus (or the sequential navigation point) to <main> and its hash to #main;
    - every menu link (``nav`` links) and the language switcher are reached by Tab, focus visible;
    - Enter on the language switcher lands on a page in the switcher's ``hreflang`` language, and
      on ``counterpart(hreflang)`` when that gives a URL (the page's own hreflang alternate).

    What gets focus is recorded in the page by a focusin listener (computed style at focus time),
    so that the Tab presses need no round trip each.
    """
    problems: list[str] = []
    page.goto(url)
    page.evaluate(_FOCUS_LOG_JS)
    page.keyboard.press("Tab")
    first = focus_info(page)
    skip_ok = bool(first and first["tag"] == "a" and "skip-link" in first["cls"].split())
    if not skip_ok:
        problems.append(f"{url}: keyboard rule 'first Tab focuses the skip link' failed; focused {first!r}")
    else:
        if p := focus_visible_problem(url, first, "skip link"):
            problems.append(p)
        if not first["visible"]:
            problems.append(f"{url}: keyboard rule 'skip link visible when focused' failed: it has no size")
        target = first["href"] or ""
        page.keyboard.press("Enter")
        page.wait_for_timeout(50)
        after = focus_info(page)
        hash_ = page.evaluate("location.hash")
        moved = bool(after and after["inMain"])
        if not moved:
            page.keyboard.press("Tab")
            nxt = focus_info(page)
            moved = bool(nxt and (nxt["inMain"] or nxt["afterMain"]))
        if hash_ != target or not moved:
            problems.append(
                f"{url}: keyboard rule 'Enter on the skip link moves to main' failed: "
                f"hash={hash_!r} (link {target!r}), focus after: {after!r}"
            )

    # Walk the page with Tab from the top and note what gets focus: start again from the skip
    # link (focused programmatically; the walk then begins with the next element).
    if skip_ok:
        page.focus(".skip-link")
    else:
        page.goto(url)
    page.evaluate(_FOCUS_LOG_JS)
    nav_links = page.eval_on_selector_all(
        "nav a[href]", "els => els.filter(e => e.offsetParent !== null).map(e => e.getAttribute('href'))"
    )
    has_switch = page.locator(".lang-switch a[hreflang]").count() > 0
    if not has_switch:
        problems.append(
            f"{url}: keyboard rule 'language switcher a[hreflang] inside .lang-switch' failed: none on the page"
        )
    for _ in range(page.evaluate(_TABBABLE_COUNT_JS) + extra_tabs):
        page.keyboard.press("Tab")
    log = page.evaluate("window.__focusLog")
    menu = [i for i in log if i["inNav"] and i["href"] is not None]
    switch = [i for i in log if i["inLangSwitch"] and i["hreflang"]]
    if menu:
        if p := focus_visible_problem(url, menu[0], "menu link"):
            problems.append(p)
    reached_nav = {i["href"] for i in menu}
    missing = [h for h in nav_links if h not in reached_nav]
    if missing:
        problems.append(f"{url}: keyboard rule 'menu links reachable with Tab' failed for {missing}")
    if not switch:
        if has_switch:
            problems.append(f"{url}: keyboard rule 'language switcher reachable with Tab' failed")
        return problems
    if p := focus_visible_problem(url, switch[0], "language switcher"):
        problems.append(p)
    # back to the switcher with the keyboard and activate it
    page.focus(".lang-switch a[hreflang]")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    info = focus_info(page)
    if not info or not info["inLangSwitch"]:
        problems.append(f"{url}: keyboard rule 'language switcher reachable with Tab' failed on return: {info!r}")
        return problems
    expected = counterpart(info["hreflang"]) if counterpart else None
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if expected and page.url != expected:
        problems.append(
            f"{url}: keyboard rule 'Enter on the language switcher opens the counterpart page' "
            f"failed: landed on {page.url}, expected {expected}"
        )
    lang = page.evaluate("document.documentElement.lang")
    if not (lang or "").lower().startswith(info["hreflang"].lower()):
        problems.append(
            f"{url}: keyboard rule 'the language switcher leads to a page in its hreflang' failed: "
            f"hreflang={info['hreflang']!r}, landed on {page.url} with lang={lang!r}"
        )
    return problems


def hreflang_alternates(parsed: ParsedPage) -> dict[str, str]:
    """``{hreflang: href}`` of a page's ``<link rel=alternate hreflang>``."""
    out = {}
    for el in parsed.find("link"):
        if "alternate" in el.attrs.get("rel", "").split() and el.attrs.get("hreflang"):
            out[el.attrs["hreflang"]] = el.attrs.get("href", "")
    return out


# --------------------------------------------------------------------------------------------
# 3. HTML and CSS validity (the Nu Html Checker)
# --------------------------------------------------------------------------------------------


def vnu_check(files: list[Path], java: str = "java", jar: Path = VNU_JAR) -> tuple[list[str], list[str]]:
    """Run vnu.jar on ``files``; return (errors, warnings), one line each: file:line: message."""
    if not files:
        return [], []
    proc = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--also-check-css", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(proc.stderr)
    except json.JSONDecodeError:
        return [f"vnu.jar did not produce a JSON report (exit {proc.returncode}): {proc.stderr[:2000]}"], []
    errors, warnings = [], []
    for m in report.get("messages", []):
        where = m.get("url", "?").removeprefix("file:")
        line = f"{where}:{m.get('lastLine', m.get('firstLine', '?'))}: {m.get('message', '')}"
        if m.get("extract"):
            line += f"  [{m['extract'].strip()[:120]!r}]"
        if m.get("type") == "error" or m.get("subType") == "fatal" or m.get("type") == "non-document-error":
            errors.append(line)
        else:
            warnings.append(line)
    return errors, warnings


# --------------------------------------------------------------------------------------------
# 4. Links and anchors
# --------------------------------------------------------------------------------------------

_LINK_ATTRS = {
    "a": ["href"],
    "link": ["href"],
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "area": ["href"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "form": ["action"],
}


def _urls_of(el: Element) -> list[str]:
    urls = []
    for attr in _LINK_ATTRS.get(el.tag, []):
        value = el.attrs.get(attr)
        if value is None:
            continue
        if attr == "srcset":
            urls += [part.strip().split()[0] for part in value.split(",") if part.strip()]
        else:
            urls.append(value.strip())
    return urls


def link_problems(root: Path, base_url: str) -> list[str]:
    """Every internal link and anchor of every page resolves to a file of the build at ``root``.

    ``base_url`` is the one the site was built with: links must be root-relative under its path
    (or absolute under it: canonical, hreflang); anything else on the same host escapes the site.
    """
    base = urlsplit(base_url)
    prefix = base.path if base.path.endswith("/") else base.path + "/"
    problems = []
    for path in site_pages(root):
        file = page_file(root, path)
        page_url = f"{base.scheme}://{base.netloc}{prefix.rstrip('/')}{path}"
        parsed = parse_file(file)
        for el in parsed.elements:
            for raw in _urls_of(el):
                if not raw or raw.startswith(("mailto:", "tel:", "data:", "javascript:")):
                    if raw.startswith("javascript:"):
                        problems.append(
                            f"{page_url}: link rule 'no javascript: URLs' failed: <{el.tag}> line {el.line}: {raw}"
                        )
                    continue
                absolute = urljoin(page_url, raw)
                parts = urlsplit(absolute)
                if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
                    continue  # external
                where = f"<{el.tag}> line {el.line}: {raw!r}"
                if not (parts.path + "/").startswith(prefix) and parts.path != prefix.rstrip("/"):
                    problems.append(f"{page_url}: link rule 'stays under the base path {prefix}' failed: {where}")
                    continue
                site_path = "/" + parts.path[len(prefix) :] if parts.path.startswith(prefix) else "/"
                target = page_file(root, site_path)
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    if (root / unquote(site_path).lstrip("/")).is_dir() and not site_path.endswith("/"):
                        target = root / unquote(site_path).lstrip("/") / "index.html"
                if not target.is_file():
                    problems.append(
                        f"{page_url}: link rule 'internal link resolves to a file' failed: {where} -> {site_path}"
                    )
                    continue
                if parts.fragment and target.suffix == ".html":
                    ids = parse_file(target).ids
                    if unquote(parts.fragment) not in ids:
                        problems.append(
                            f"{page_url}: link rule 'anchor matches an id on the target page' failed: "
                            f"{where} -> no id {parts.fragment!r} on {site_path}"
                        )
    return problems


# --------------------------------------------------------------------------------------------
# 5. Privacy
# --------------------------------------------------------------------------------------------


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def foreign_requests(page_url: str, requested: list[str], origin: str) -> list[str]:
    """Requests that left the site's own origin (data: and blob: URLs never leave the page)."""
    return [
        f"{page_url}: privacy rule 'only requests to the site's own origin' failed: {u}"
        for u in requested
        if not u.startswith(("data:", "blob:", "about:")) and origin_of(u) != origin
    ]


def cookie_problems(cookies: list[dict], where: str) -> list[str]:
    return [
        f"{where}: privacy rule 'no cookies' failed: {c.get('name')}={str(c.get('value'))[:40]} for {c.get('domain')}"
        for c in cookies
    ]


# --------------------------------------------------------------------------------------------
# 6. Weight and layout
# --------------------------------------------------------------------------------------------


def render_blocking_scripts(url: str, parsed: ParsedPage) -> list[str]:
    """Every ``<script src>`` in the head must be ``defer``, ``async`` or a module."""
    problems = []
    for el in parsed.in_head_scripts:
        if "defer" in el.attrs or "async" in el.attrs or el.attrs.get("type") == "module":
            continue
        problems.append(
            f"{url}: budget rule 'no render-blocking script' failed: <script src={el.attrs.get('src')!r}> "
            f"line {el.line} has neither defer, async nor type=module"
        )
    return problems


def weight_problems(
    url: str, responses: list[tuple[str, int]], max_bytes: int = HOME_MAX_BYTES, max_requests: int = HOME_MAX_REQUESTS
) -> list[str]:
    """``responses`` is [(url, body bytes)] of every request the page made."""
    total = sum(size for _, size in responses)
    listing = ", ".join(f"{u} {s} B" for u, s in responses)
    problems = []
    if total > max_bytes:
        problems.append(f"{url}: budget rule 'at most {max_bytes} B' failed: {total} B ({listing})")
    if len(responses) > max_requests:
        problems.append(f"{url}: budget rule 'at most {max_requests} requests' failed: {len(responses)} ({listing})")
    return problems


def measure_load(page, url: str) -> list[tuple[str, int]]:
    """Load ``url`` in ``page`` (fresh context, so nothing is cached) and return [(url, body bytes)]."""
    requests = []
    page.on("request", lambda r: requests.append(r))
    page.goto(url, wait_until="load")
    settle(page)
    out = []
    for r in requests:
        if r.url.startswith("data:"):
            continue
        resp = r.response()
        size = 0
        if resp is not None:
            try:
                size = len(resp.body())
            except Exception:  # redirects have no body
                size = 0
        out.append((r.url, size))
    return out


def overflow_problem(page, url: str, width: int = NARROW_WIDTH) -> str | None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """(w) => Array.from(document.querySelectorAll('body *'))
                 .filter(e => e.getBoundingClientRect().right > w + 0.5 ||
                             (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
                 .slice(0, 5)
                 .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
                      ' right=' + Math.round(e.getBoundingClientRect().right) + ' scrollWidth=' + e.scrollWidth)""",
            width,
        )
        return (
            f"{url}: layout rule 'no horizontal scroll at {width} px' failed: "
            f"scrollWidth={scroll_width}; widest: {culprits}"
        )
    return None


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif", ".svg", ".ico")


def without_images(responses: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``responses`` less the images (the budget of pages other than the home page)."""
    return [(u, s) for u, s in responses if not urlsplit(u).path.lower().endswith(IMAGE_SUFFIXES)]


def wait_for_fonts(page) -> None:
    """Until the page's web fonts have loaded (or failed): the layout measured is the settled one."""
    page.evaluate("document.fonts.ready.then(() => true)")


def header_height_problem(page, url: str, limit: int = HEADER_MAX_HEIGHT) -> str | None:
    """The site header (the page's first <header>) is at most ``limit`` px tall."""
    height = page.evaluate(
        "(() => { const h = document.querySelector('header'); return h ? h.getBoundingClientRect().height : -1; })()"
    )
    if height < 0:
        return f"{url}: layout rule 'the page has a header' failed"
    if height > limit:
        width = page.evaluate("window.innerWidth")
        return f"{url}: layout rule 'header at most {limit} px tall at {width} px' failed: {height:.0f} px"
    return None


def h1_top_problem(page, url: str, limit: int = H1_MAX_TOP) -> str | None:
    """The page's h1 starts within the first ``limit`` px (of the page, scrolled to the top)."""
    top = page.evaluate(
        "(() => { const h = document.querySelector('h1'); return h ? h.getBoundingClientRect().top + scrollY : -1; })()"
    )
    if top < 0:
        return f"{url}: layout rule 'the page has an h1' failed"
    if top > limit:
        return f"{url}: layout rule 'h1 starts within the first {limit} px' failed: it starts at {top:.0f} px"
    return None


_COLUMN_JS = """() => {
  // The blocks of the page's main content (not the full-width bands behind them): their union.
  const main = document.querySelector('main');
  if (!main) return null;
  const blocks = main.querySelectorAll('h1, h2, p, ul, ol, dl, table, blockquote, form, aside, nav');
  let left = Infinity, right = -Infinity;
  for (const el of blocks) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    left = Math.min(left, r.left); right = Math.max(right, r.right);
  }
  return left === Infinity ? null : {left, right, width: document.documentElement.clientWidth};
}"""


def centred_column_problem(page, url: str, tolerance: int = CENTRE_TOLERANCE) -> str | None:
    """The main content (its reading column, and the aside beside it if any) is centred: the
    space left of it and right of it differ by at most ``tolerance`` px."""
    box = page.evaluate(_COLUMN_JS)
    if box is None:
        return f"{url}: layout rule 'main content present' failed"
    left_gap, right_gap = box["left"], box["width"] - box["right"]
    if abs(left_gap - right_gap) > tolerance:
        return (
            f"{url}: layout rule 'reading column centred at {box['width']} px' failed: "
            f"{left_gap:.0f} px on the left, {right_gap:.0f} px on the right"
        )
    return None


_TARGETS_JS = """(min) => {
  // Every visible control, except links inside a line of text (WCAG 2.5.8's inline exception).
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])')) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden') continue;
    if (el.closest('.skip-link') && r.bottom < 0) continue;
    if (cs.display === 'inline') {
      const parent = el.parentElement;
      const own = (el.textContent || '').trim();
      const around = parent ? (parent.textContent || '').trim() : own;
      if (around !== own) continue;  // a link in a sentence
    }
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
               ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '" ' +
               Math.round(r.width) + '×' + Math.round(r.height));
    }
  }
  return out;
}"""


def target_size_problems(page, url: str, minimum: int = MIN_TARGET) -> list[str]:
    """Every visible control is at least ``minimum`` × ``minimum`` px (links in running text excepted)."""
    width = page.evaluate("window.innerWidth")
    return [
        f"{url}: layout rule 'targets at least {minimum}×{minimum} px at {width} px' failed: {t}"
        for t in page.evaluate(_TARGETS_JS, minimum)
    ]


_DISCLOSURE_JS = """() => {
  const s = document.activeElement;
  const d = s && s.closest('details');
  if (!s || s.tagName !== 'SUMMARY' || !d) return null;
  const links = Array.from(d.querySelectorAll('a[href]'));
  return {open: d.open, visible: links.filter(a => a.checkVisibility({visibilityProperty: true})).length, links: links.length};
}"""


def menu_keyboard_problems(page, url: str, max_tabs: int = 12) -> list[str]:
    """At a phone's width, the menu is a disclosure reached with Tab; Enter opens it (its links
    show and take focus), Enter again closes it (its links hide)."""
    page.goto(url)
    state = None
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        state = page.evaluate(_DISCLOSURE_JS)
        if state is not None:
            break
    if state is None:
        return [f"{url}: menu rule 'a disclosure (details/summary) reached with Tab' failed within {max_tabs} Tabs"]
    problems = []
    if state["open"] or state["visible"]:
        problems.append(f"{url}: menu rule 'closed at first' failed: {state}")
    page.keyboard.press("Enter")
    opened = page.evaluate(_DISCLOSURE_JS)
    if not opened or not opened["open"] or opened["visible"] == 0 or opened["visible"] != opened["links"]:
        problems.append(f"{url}: menu rule 'Enter opens the menu and shows its links' failed: {opened}")
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "!!(document.activeElement && document.activeElement.closest('details') && document.activeElement.tagName === 'A')"
    )
    if not inside:
        problems.append(f"{url}: menu rule 'Tab from the open menu button reaches its first link' failed")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    closed = page.evaluate(_DISCLOSURE_JS)
    if not closed or closed["open"] or closed["visible"]:
        problems.append(f"{url}: menu rule 'Enter on the menu button closes the menu' failed: {closed}")
    return problems


_PRINT_JS = """() => {
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const sel = ['header', '[role=search]', 'input[type=search]', 'nav[aria-label]'];
  const visible = [];
  for (const s of sel) for (const el of document.querySelectorAll(s)) {
    if (el.closest('main') && s === 'nav[aria-label]') continue;  // a page's own contents stay
    if (el.closest('footer') && s === 'nav[aria-label]') continue;
    if (shown(el)) visible.push(s);
  }
  const og = document.querySelector('meta[property="og:url"]');
  return {visible: [...new Set(visible)], text: document.body.innerText, address: og ? og.content : null};
}"""


def print_problems(page, url: str, expect: tuple[str, ...] = ()) -> list[str]:
    """Printed (print media), the page hides its header, search and menus, and shows its own
    address (its og:url) and every string of ``expect`` (such as its date)."""
    page.emulate_media(media="print")
    try:
        page.evaluate("dispatchEvent(new Event('beforeprint'))")  # what printing fires first
        seen = page.evaluate(_PRINT_JS)
    finally:
        page.emulate_media(media="screen")
    problems = [f"{url}: print rule 'hides header, search and menus' failed: {s} is printed" for s in seen["visible"]]
    for text in ([seen["address"]] if seen["address"] else []) + list(expect):
        if text not in seen["text"]:
            problems.append(f"{url}: print rule 'prints the page's address and date' failed: {text!r} is not printed")
    if not seen["address"]:
        problems.append(f"{url}: print rule 'the page knows its address (og:url)' failed")
    return problems


def screenshot_name(path: str, width: int, scheme: str = "light") -> str:
    slug = path.strip("/").replace("/", "__").removesuffix(".html") or "home"
    return f"{slug}@{width}{'' if scheme == 'light' else '-' + scheme}.png"


# --------------------------------------------------------------------------------------------
# 7. Feeds and sitemap
# --------------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_absolute(url: str | None) -> bool:
    if not url:
        return False
    p = urlsplit(url)
    return p.scheme in ("http", "https") and bool(p.netloc)


def _date_ok(text: str | None) -> bool:
    if not text or not RFC3339.match(text.strip()):
        return False
    try:
        datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def atom_problems(name: str, data: bytes) -> list[str]:
    """An Atom 1.0 feed: well-formed, required elements, RFC 3339 dates, absolute URLs."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [f"{name}: feed rule 'well-formed XML' failed: {e}"]
    a = lambda tag: f"{{{ATOM}}}{tag}"  # noqa: E731
    if root.tag != a("feed"):
        return [f"{name}: feed rule 'root is atom:feed' failed: root is {root.tag}"]
    problems = []
    for tag in ("id", "title", "updated"):
        if root.find(a(tag)) is None or not (root.find(a(tag)).text or "").strip():
            problems.append(f"{name}: feed rule 'feed has {tag}' failed")
    selfs = [ln for ln in root.findall(a("link")) if ln.get("rel") == "self"]
    if not selfs:
        problems.append(f"{name}: feed rule 'feed has link rel=self' failed")
    feed_author = root.find(a("author")) is not None
    # every date and URL anywhere in the feed
    for el in root.iter():
        local = el.tag.split("}")[-1]
        if local in ("updated", "published") and not _date_ok(el.text):
            problems.append(f"{name}: feed rule 'RFC 3339 date with offset' failed: <{local}>{el.text}</{local}>")
        if local == "link" and not _is_absolute(el.get("href")):
            problems.append(
                f"{name}: feed rule 'absolute URLs' failed: <link rel={el.get('rel')!r} href={el.get('href')!r}>"
            )
        if (
            local in ("id", "icon", "logo", "uri")
            and el.text
            and not (_is_absolute(el.text.strip()) or el.text.strip().startswith(("urn:", "tag:")))
        ):
            problems.append(f"{name}: feed rule 'absolute URLs' failed: <{local}>{el.text}</{local}>")
    # URLs inside entry content (html) must be absolute too
    for el in root.iter():
        if el.tag in (a("content"), a("summary")) and el.get("type") in ("html", "xhtml") and el.text:
            for attr, url in re.findall(r'\b(href|src)\s*=\s*["\']([^"\']*)["\']', el.text):
                if not (_is_absolute(url) or url.startswith(("mailto:", "tel:", "data:"))):
                    problems.append(f"{name}: feed rule 'absolute URLs' failed in entry content: {attr}={url!r}")
    for i, entry in enumerate(root.findall(a("entry")), 1):
        label = (entry.findtext(a("id")) or f"entry #{i}").strip()
        for tag in ("id", "title", "updated"):
            if entry.find(a(tag)) is None or not (entry.find(a(tag)).text or "").strip():
                problems.append(f"{name}: feed rule 'entry has {tag}' failed for {label}")
        alternates = [ln for ln in entry.findall(a("link")) if ln.get("rel", "alternate") == "alternate"]
        if not alternates:
            problems.append(f"{name}: feed rule 'entry has link rel=alternate' failed for {label}")
        if not feed_author and entry.find(a("author")) is None:
            problems.append(f"{name}: feed rule 'author on the feed or on every entry' failed for {label}")
    return problems


def _site_path(url: str, base_url: str) -> str | None:
    """The site path of an absolute URL under ``base_url``, else None."""
    if not url.startswith(base_url):
        return None
    return "/" + url[len(base_url) :]


def sitemap_problems(root: Path, base_url: str) -> list[str]:
    """sitemap.xml: every URL maps to a file; hreflang alternates reciprocal, with x-default."""
    file = root / "sitemap.xml"
    if not file.is_file():
        return ["sitemap.xml: sitemap rule 'exists' failed"]
    try:
        tree = ET.fromstring(file.read_bytes())
    except ET.ParseError as e:
        return [f"sitemap.xml: sitemap rule 'well-formed XML' failed: {e}"]
    problems = []
    alternates: dict[str, dict[str, str]] = {}
    for url in tree.findall(f"{{{SITEMAP}}}url"):
        loc = (url.findtext(f"{{{SITEMAP}}}loc") or "").strip()
        path = _site_path(loc, base_url)
        if path is None:
            problems.append(f"sitemap.xml: sitemap rule 'URLs under the base URL {base_url}' failed: {loc}")
            continue
        if not page_file(root, path).is_file():
            problems.append(f"sitemap.xml: sitemap rule 'URL maps to a file' failed: {loc} -> {path}")
        alts = {
            ln.get("hreflang"): ln.get("href") for ln in url.findall(f"{{{XHTML}}}link") if ln.get("rel") == "alternate"
        }
        for lang, href in alts.items():
            p = _site_path(href or "", base_url)
            if p is None or not page_file(root, p).is_file():
                problems.append(
                    f"sitemap.xml: sitemap rule 'hreflang alternate maps to a file' failed: {loc} {lang} -> {href}"
                )
        alternates[loc] = alts
    problems += [f"sitemap.xml: {p}" for p in reciprocity_problems(alternates)]
    return problems


def reciprocity_problems(alternates: dict[str, dict[str, str]]) -> list[str]:
    """``alternates`` maps a URL to its {hreflang: href}; every set must be reciprocal with x-default.

    If A lists B under a language, B must be known and list A under A's own language (the
    language under which A lists itself), and B must list the same x-default.
    """
    problems = []
    for a, alts in alternates.items():
        if not alts:
            continue
        if "x-default" not in alts:
            problems.append(f"{a}: hreflang rule 'x-default present' failed: {sorted(alts)}")
        own = [lang for lang, href in alts.items() if href == a and lang != "x-default"]
        if not own:
            problems.append(f"{a}: hreflang rule 'a page lists itself' failed: {alts}")
            continue
        for lang, b in alts.items():
            if lang == "x-default" or b == a:
                continue
            back = alternates.get(b)
            if back is None:
                problems.append(f"{a}: hreflang rule 'reciprocal' failed: lists {b} as {lang}, which has no alternates")
                continue
            if not any(back.get(ln) == a for ln in own):
                problems.append(
                    f"{a}: hreflang rule 'reciprocal' failed: lists {b} as {lang}, "
                    f"but {b} does not list {a} as {own[0]} (it lists {back})"
                )
            if back.get("x-default") != alts.get("x-default"):
                problems.append(
                    f"{a}: hreflang rule 'same x-default' failed: {alts.get('x-default')} vs "
                    f"{back.get('x-default')} on {b}"
                )
    return problems


def page_alternates(root: Path, base_url: str) -> dict[str, dict[str, str]]:
    """{canonical URL: {hreflang: href}} of every page (404 pages excluded: not indexable)."""
    out = {}
    for path in site_pages(root):
        parsed = parse_file(page_file(root, path))
        canonical = next(
            (e.attrs.get("href") for e in parsed.find("link") if "canonical" in e.attrs.get("rel", "").split()), None
        )
        robots = next((e.attrs.get("content", "") for e in parsed.find("meta") if e.attrs.get("name") == "robots"), "")
        if "noindex" in robots or path.endswith("/404.html"):
            continue  # not indexable: error pages are served with status 404
        key = canonical or (base_url.rstrip("/") + path)
        out[key] = hreflang_alternates(parsed)
    return out


# --------------------------------------------------------------------------------------------
# 8. Security headers and CSP
# --------------------------------------------------------------------------------------------


def parse_csp(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        parts = directive.split()
        if parts:
            out.setdefault(parts[0].lower(), parts[1:])
    return out


def _effective(csp: dict[str, list[str]], name: str) -> list[str]:
    return csp.get(name, csp.get("default-src", []))


def csp_policy_problems(where: str, policy: str) -> list[str]:
    csp = parse_csp(policy)
    problems = []
    for name in ("script-src", "style-src"):
        bad = [
            s
            for s in _effective(csp, name)
            if s.lower() in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")
        ]
        if bad:
            problems.append(f"{where}: security rule '{name} without unsafe sources' failed: {bad}")
    if "default-src" not in csp and ("script-src" not in csp or "style-src" not in csp):
        problems.append(
            f"{where}: security rule 'CSP has default-src or both script-src and style-src' failed: {policy}"
        )
    return problems


def page_security_problems(url: str, parsed: ParsedPage) -> list[str]:
    """CSP meta present and strict; no inline script or style unless hashed; a referrer meta."""
    problems = []
    metas = [e for e in parsed.find("meta") if e.attrs.get("http-equiv", "").lower() == "content-security-policy"]
    if not metas:
        problems.append(f"{url}: security rule 'CSP meta present' failed")
        csp: dict[str, list[str]] = {}
    else:
        policy = metas[0].attrs.get("content", "")
        problems += csp_policy_problems(url, policy)
        csp = parse_csp(policy)
    hashes = {s for s in _effective(csp, "script-src") + _effective(csp, "style-src") if s.startswith("'sha")}
    import base64
    import hashlib

    def hashed(text: str) -> bool:
        for algo in ("sha256", "sha384", "sha512"):
            digest = base64.b64encode(hashlib.new(algo, text.encode("utf-8")).digest()).decode()
            if f"'{algo}-{digest}'" in hashes:
                return True
        return False

    for type_, text, line in parsed.inline_scripts:
        if type_.lower() in ("application/ld+json", "application/json"):
            continue  # data blocks: never executed
        if not hashed(text):
            problems.append(f"{url}: security rule 'no inline script' failed: <script type={type_!r}> line {line}")
    for text, line in parsed.styles:
        if not hashed(text):
            problems.append(f"{url}: security rule 'no <style> block' failed: line {line}")
    for el in parsed.elements:
        if "style" in el.attrs:
            problems.append(f"{url}: security rule 'no style= attribute' failed: <{el.tag}> line {el.line}")
        handlers = [k for k in el.attrs if k.startswith("on")]
        if handlers:
            problems.append(
                f"{url}: security rule 'no inline event handler' failed: <{el.tag} {handlers[0]}> line {el.line}"
            )
    if not any(e.attrs.get("name", "").lower() == "referrer" and e.attrs.get("content") for e in parsed.find("meta")):
        problems.append(f"{url}: security rule 'meta name=referrer present' failed")
    return problems


def headers_file_problems(root: Path) -> list[str]:
    """``_headers`` (Netlify/Cloudflare): a ``/*`` block with a strict CSP and a Referrer-Policy."""
    file = root / "_headers"
    if not file.is_file():
        return ["_headers: security rule '_headers file exists' failed"]
    blocks: dict[str, dict[str, str]] = {}
    current = None
    for raw in file.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            current = raw.strip()
            blocks.setdefault(current, {})
        elif current is not None and ":" in raw:
            name, value = raw.strip().split(":", 1)
            blocks[current][name.strip().lower()] = value.strip()
    all_ = blocks.get("/*")
    if all_ is None:
        return [f"_headers: security rule 'a /* block' failed: blocks are {sorted(blocks)}"]
    problems = []
    if "content-security-policy" not in all_:
        problems.append("_headers: security rule 'Content-Security-Policy for /*' failed")
    else:
        problems += csp_policy_problems("_headers /*", all_["content-security-policy"])
    if "referrer-policy" not in all_:
        problems.append("_headers: security rule 'Referrer-Policy for /*' failed")
    return problems


CSP_LISTENER_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
                              ' at ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


@dataclass
class PageLoad:
    """What happened while loading one page in Chromium."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    status: int | None = None
    cookies: list[dict] = field(default_factory=list)


def load_and_watch(page, url: str) -> PageLoad:
    """Load ``url`` in ``page`` (whose context has CSP_LISTENER_JS as init script) and record everything."""
    load = PageLoad(url)
    page.on("request", lambda r: load.requests.append(r.url))
    page.on(
        "console",
        lambda m: load.console_errors.append(f"{m.text} ({m.location.get('url', '')})") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: load.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: load.failed.append(f"{r.url}: {r.failure}"))
    response = page.goto(url, wait_until="load")
    load.status = response.status if response else None
    settle(page)
    load.csp_violations = page.evaluate("window.__cspViolations || []")
    load.cookies = page.context.cookies()
    return load


def settle(page, ms: int = 150):
    """After "load": give late requests and securitypolicyviolation events (queued as tasks) time
    to happen. Cheaper than "networkidle", which always waits 500 ms."""
    page.wait_for_timeout(ms)


def runtime_problems(load: PageLoad, expect_status: int = 200) -> list[str]:
    problems = []
    if load.status != expect_status:
        problems.append(f"{load.url}: runtime rule 'page served with HTTP {expect_status}' failed: {load.status}")
    problems += [f"{load.url}: runtime rule 'no console error' failed: {m}" for m in load.console_errors]
    problems += [f"{load.url}: runtime rule 'no uncaught script error' failed: {m}" for m in load.page_errors]
    problems += [f"{load.url}: security rule 'no CSP violation' failed: {m}" for m in load.csp_violations]
    problems += [f"{load.url}: runtime rule 'no failed request' failed: {m}" for m in load.failed]
    return problems


def which(name: str) -> str | None:
    return shutil.which(name)


# --------------------------------------------------------------------------------------------
# 10. Lighthouse
# --------------------------------------------------------------------------------------------

LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse_report(url: str, preset: str, out: Path) -> dict:
    """Run Lighthouse (mobile or desktop preset) on ``url`` with Debian's Chromium; its JSON report."""
    flags = " ".join(["--headless", *CHROMIUM_ARGS])
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={flags}",
        f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    if proc.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse exit {proc.returncode}: {proc.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def lighthouse_problems(url: str, preset: str, report: dict) -> list[str]:
    """Every category under 100, with the audits that cost it points."""
    problems = []
    audits = report["audits"]
    for name in LIGHTHOUSE_CATEGORIES:
        category = report["categories"][name]
        score = round((category["score"] or 0) * 100)
        if score == 100:
            continue
        failing = [
            f"{ref['id']} ({audits[ref['id']].get('displayValue') or audits[ref['id']]['score']})"
            for ref in category["auditRefs"]
            if ref.get("weight") and audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1
        ]
        problems.append(f"{url}: lighthouse rule '{name} 100 ({preset})' failed: {score}; {', '.join(failing)}")
    return problems
