"""8. Security: every page has a strict CSP meta (no unsafe-inline/unsafe-eval), no inline script
or style unless hashed, a referrer meta; _headers sends CSP and Referrer-Policy for /*; loading
every page in Chromium gives no console error, no uncaught error and no CSP violation."""

from __future__ import annotations

import checks
import pytest
import tiny


def test_page_markup_is_csp_clean(site, page_path, no_problems):
    parsed = checks.parse_file(checks.page_file(site.output, page_path))
    no_problems(checks.page_security_problems(site.base_url.rstrip("/") + page_path, parsed))


def test_headers_file(site, no_problems):
    no_problems(checks.headers_file_problems(site.output))


@pytest.mark.browser
def test_no_console_error_or_csp_violation(page_path, server, page_loads, no_problems):
    load = page_loads(server, page_path)
    no_problems(checks.runtime_problems(load, expect_status=200))


@pytest.mark.browser
def test_no_console_error_or_csp_violation_under_a_subpath(sub_page_path, sub_server, page_loads, no_problems):
    load = page_loads(sub_server, sub_page_path)
    no_problems(checks.runtime_problems(load, expect_status=200))


@pytest.mark.browser
def test_missing_page_gets_the_404_page(server, page, site):
    for prefix in ("", "/en"):
        load = checks.load_and_watch(page, server.url(f"{prefix}/no-such-page/"))
        assert load.status == 404, f"{load.url}: rule 'missing page served with status 404' failed: {load.status}"
        # the browser logs the 404 of the document itself; anything else is a problem
        load.console_errors = [m for m in load.console_errors if "status of 404" not in m or "no-such-page" not in m]
        assert checks.runtime_problems(load, expect_status=404) == []
        assert page.title(), f"{load.url}: rule 'the 404 page is served' failed"


# ---- the checks can fail -------------------------------------------------------------------


def test_markup_checker_reports_unsafe_pages():
    html = tiny.page(
        head='<style>p{color:red}</style><script>alert(1)</script><script type="application/ld+json">{}</script>',
        body='<p style="color:red" onclick="x()">x</p>',
    )
    html = html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    html = html.replace('<meta name="referrer" content="strict-origin-when-cross-origin">', "")
    text = "\n".join(checks.page_security_problems("https://example.org/", checks.parse_html(html)))
    for rule in (
        "script-src without unsafe sources' failed: [\"'unsafe-inline'\"]",
        "no <style> block",
        "no inline script' failed: <script type=''>",
        "no style= attribute' failed: <p>",
        "no inline event handler",
        "meta name=referrer present",
    ):
        assert rule in text, f"missing {rule!r} in:\n{text}"
    assert "application/ld+json" not in text
    no_csp = html.replace("http-equiv", "data-x")
    assert "CSP meta present' failed" in "\n".join(checks.page_security_problems("u", checks.parse_html(no_csp)))


def test_markup_checker_accepts_hashed_inline_code():
    import base64
    import hashlib

    code = "document.documentElement.classList.add('js')"
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    html = tiny.page(head=f"<script>{code}</script>").replace(
        "script-src 'self'", f"script-src 'self' 'sha256-{digest}'"
    )
    assert checks.page_security_problems("u", checks.parse_html(html)) == []


def test_headers_checker_reports_missing_headers(tmp_path):
    assert "'_headers file exists' failed" in checks.headers_file_problems(tmp_path)[0]
    (tmp_path / "_headers").write_text(
        "/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-eval'\n"
    )
    text = "\n".join(checks.headers_file_problems(tmp_path))
    assert "Referrer-Policy for /*' failed" in text and "unsafe-eval" in text, text
    (tmp_path / "_headers").write_text("/static/*\n  Cache-Control: immutable\n")
    assert "a /* block' failed" in checks.headers_file_problems(tmp_path)[0]


@pytest.mark.browser
def test_runtime_checker_reports_errors_and_csp_violations(tmp_path, page):
    (tmp_path / "app.js").write_text(
        "const s = document.createElement('style'); s.textContent = 'p{}';"
        "document.head.append(s);\n"
        "console.error('boom'); undefinedFunction();\n"
    )
    html = tiny.page(
        head='<script src="/app.js" defer></script><script>inline()</script>',
        body='<img src="https://cdn.example/x.png" alt="x">',
    )
    root = tiny.write_site(tmp_path, {"index.html": html})
    with checks.Server(root) as srv:
        load = checks.load_and_watch(page, srv.url("/"))
    text = "\n".join(checks.runtime_problems(load))
    assert "no console error' failed: boom" in text, text
    assert "no uncaught script error' failed" in text and "undefinedFunction" in text, text
    assert "no CSP violation' failed: script-src" in text, text
    assert "no CSP violation' failed: style-src" in text, text
    assert "no CSP violation' failed: img-src blocked https://cdn.example/x.png" in text, text
