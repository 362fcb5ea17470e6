"""3. Valid HTML and CSS: the Nu Html Checker (vnu.jar) finds no error in any .html or .css file."""

from __future__ import annotations

import shutil

import checks
import pytest
import tiny


def _need_vnu():
    if not checks.VNU_JAR.is_file():
        pytest.fail(f"{checks.VNU_JAR} is missing: run scripts/test.sh (npm ci --ignore-scripts)", pytrace=False)
    if shutil.which("java") is None:
        pytest.fail("no java on PATH: run scripts/test.sh (it installs default-jre-headless)", pytrace=False)


def site_files(root):
    return sorted(p for p in root.rglob("*") if p.suffix in (".html", ".css") and p.is_file())


def test_html_and_css_are_valid(site, no_problems):
    _need_vnu()
    files = site_files(site.output)
    assert files, "no .html or .css file in the build"
    errors, warnings = checks.vnu_check(files)
    # Warnings are allowed; show them (pytest -rP or -s shows them on success). vnu checks the
    # files as file: URLs, where 'self' in the CSP matches nothing and JSON-LD counts as an inline
    # script: its CSP warnings say nothing about the served site (the browser tests check CSP).
    file_csp = [w for w in warnings if "violates Content Security Policy" in w]
    others = [w for w in warnings if w not in file_csp]
    print(f"vnu.jar: {len(warnings)} warning(s), {len(file_csp)} of them CSP warnings due to file: URLs")
    for w in others:
        print("  " + w.replace(str(site.output), ""))
    no_problems([e.replace(str(site.output), "") for e in errors], f"found by vnu.jar in {len(files)} files")


def test_vnu_reports_invalid_html_and_css(tmp_path):
    _need_vnu()
    broken = tiny.page(body="<p>Testo <blink>vecchio</blink></p><div><li>orfano</li></div>")
    root = tiny.write_site(tmp_path, {"index.html": broken}, css=tiny.CSS + "p { colr: red; width: 10 px; }\n")
    errors, _ = checks.vnu_check(site_files(root))
    text = "\n".join(errors)
    assert "index.html:" in text and "blink" in text, text
    assert "style.css:" in text, text
    good = tiny.write_site(tmp_path / "good", {"index.html": tiny.page()})
    assert checks.vnu_check(site_files(good))[0] == []
