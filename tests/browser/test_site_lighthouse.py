"""10. Lighthouse: 100 in performance, accessibility, best practices and SEO, with the mobile and
the desktop presets, on the home page, a news item, the news list and the search page, in both
languages. About 15 s a run: marked slow (pytest -m "browser and slow")."""

from __future__ import annotations

import checks
import pytest
import tiny

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "/",
    "/notizie/iom-entra-nel-network-innovation-life-sciences-hubs/",
    "/notizie/",
    "/cerca/",
    "/en/",
    "/en/news/iom-joins-the-innovation-life-sciences-hubs-network/",
    "/en/news/",
    "/en/search/",
]


def _need_lighthouse():
    if not checks.LIGHTHOUSE.exists():
        pytest.fail(f"{checks.LIGHTHOUSE} is missing: run scripts/test.sh (npm ci --ignore-scripts)", pytrace=False)


@pytest.mark.parametrize("preset", ["mobile", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_lighthouse(path, preset, server, tmp_path, no_problems):
    _need_lighthouse()
    url = server.url(path)
    report = checks.lighthouse_report(url, preset, tmp_path / "report.json")
    scores = {name: report["categories"][name]["score"] for name in checks.LIGHTHOUSE_CATEGORIES}
    print(f"{path} ({preset}): {scores}")
    no_problems(checks.lighthouse_problems(url, preset, report))


def test_lighthouse_reports_a_broken_page(tmp_path):
    _need_lighthouse()
    broken = tiny.page(body='<p class="faint">faint</p><a href="/x"></a>').replace('<html lang="it">', "<html>")
    broken = broken.replace('<meta name="viewport" content="width=device-width, initial-scale=1">\n', "")
    root = tiny.write_site(tmp_path / "site", {"index.html": broken}, css=tiny.CSS + ".faint { color: #bbb; }\n")
    with checks.Server(root) as srv:
        report = checks.lighthouse_report(srv.url("/"), "mobile", tmp_path / "report.json")
        text = "\n".join(checks.lighthouse_problems(srv.url("/"), "mobile", report))
    assert "'accessibility 100 (mobile)' failed" in text and "color-contrast" in text, text
    assert "'seo 100 (mobile)' failed" in text and "meta-description" in text, text
