"""Fixtures for the built-site tests: the real site built once (root and subpath), served on
127.0.0.1, and one Debian Chromium for this folder's tests (one fresh context per test).

Playwright's sync API allows one instance per thread at a time, so its fixtures are
package-scoped: they end with the last test of tests/browser/, leaving other test modules free to
start their own.

Pages are discovered by walking the *.html files of the root build, which happens once, at
collection time, so that each page is its own test (``page_path`` parameter).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks  # noqa: E402

ROOT_BASE_URL = "https://example.org/"
SUB_BASE_URL = "https://example.org/sub/"
ARTIFACTS = checks.REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

_BUILDS = pytest.StashKey[dict]()


def _tmp_dir(config, name: str) -> Path:
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is not None:
        return factory.mktemp(name)
    return Path(tempfile.mkdtemp(prefix=name))


def get_build(config, which: str) -> checks.Build:
    """The real site built once per session: ``which`` is "root" or "sub"."""
    builds = config.stash.setdefault(_BUILDS, {})
    if which not in builds:
        base = ROOT_BASE_URL if which == "root" else SUB_BASE_URL
        out = _tmp_dir(config, f"site-{which}") / "public"
        builds[which] = checks.build_site(out, base)
    return builds[which]


def pytest_generate_tests(metafunc):
    for name, which in (("page_path", "root"), ("sub_page_path", "sub")):
        if name in metafunc.fixturenames:
            build = get_build(metafunc.config, which)
            paths = checks.site_pages(build.output) if build.ok else []
            metafunc.parametrize(name, paths or ["BUILD-FAILED"], ids=lambda p: p)


def _require(build: checks.Build) -> checks.Build:
    if not build.ok:
        pytest.fail(f"the site does not build:\n{build.log}", pytrace=False)
    return build


@pytest.fixture(scope="session")
def site(request) -> checks.Build:
    """The real site, built through the CLI with base URL https://example.org/."""
    return _require(get_build(request.config, "root"))


@pytest.fixture(scope="session")
def sub_site(request) -> checks.Build:
    """The real site, built with base URL https://example.org/sub/ (files still at the folder's root)."""
    return _require(get_build(request.config, "sub"))


@pytest.fixture(scope="session")
def server(site):
    with checks.Server(site.output) as srv:
        yield srv


@pytest.fixture(scope="session")
def sub_server(sub_site):
    with checks.Server(sub_site.output, prefix=sub_site.prefix) as srv:
        yield srv


@pytest.fixture(scope="package")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright_session):
    if not Path(checks.CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not at {checks.CHROMIUM}: run scripts/test.sh (it installs Debian's chromium) "
            "or set CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    b = playwright_session.chromium.launch(executable_path=checks.CHROMIUM, headless=True, args=checks.CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def new_context(browser):
    """Factory for fresh browser contexts (closed after the test); each watches CSP violations."""
    made = []

    def make(**kwargs):
        kwargs.setdefault("viewport", {"width": checks.WIDE_WIDTH, "height": 800})
        ctx = browser.new_context(**kwargs)
        ctx.add_init_script(checks.CSP_LISTENER_JS)
        ctx.set_default_timeout(15_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def served_url(server: checks.Server, build: checks.Build, absolute: str) -> str | None:
    """The served URL of an absolute URL of the build (``https://example.org/rete/`` -> local)."""
    if not absolute.startswith(build.base_url):
        return None
    return server.url("/" + absolute[len(build.base_url) :])


def assert_no_problems(problems: list[str], what: str = ""):
    if problems:
        head = f"{len(problems)} problem(s){' ' + what if what else ''}:\n"
        pytest.fail(head + "\n".join(f"- {p}" for p in problems), pytrace=False)


@pytest.fixture
def no_problems():
    return assert_no_problems


@pytest.fixture(scope="session")
def served(server, site):
    """served(absolute URL of the build) -> local URL or None."""
    return lambda absolute: served_url(server, site, absolute)


@pytest.fixture(scope="package")
def page_loads(browser):
    """page_loads(server, path) -> checks.PageLoad: each page loaded once, in a fresh context,
    shared by the privacy and the runtime-security tests."""
    cache: dict[tuple[str, str], checks.PageLoad] = {}

    def get(server: checks.Server, path: str) -> checks.PageLoad:
        key = (server.url(path), path)
        if key not in cache:
            ctx = browser.new_context(viewport={"width": checks.WIDE_WIDTH, "height": 800})
            ctx.add_init_script(checks.CSP_LISTENER_JS)
            ctx.set_default_timeout(15_000)
            try:
                cache[key] = checks.load_and_watch(ctx.new_page(), server.url(path))
            finally:
                ctx.close()
        return cache[key]

    return get
