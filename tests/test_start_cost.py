"""What a one-edit rebuild does not pay for: Pillow and the package-metadata scan are not
imported by the build's modules (only where a card or icon is drawn), and the versions in
the Markdown cache key are the ones the package metadata gives."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from sitegen import markdown_render


def test_build_modules_import_neither_pillow_nor_package_metadata() -> None:
    code = (
        "import sys\n"
        "import sitegen.cli, sitegen.build, sitegen.stage_plan, sitegen.cards, sitegen.icons, sitegen.serve\n"
        "print(sorted(m for m in ('PIL', 'importlib.metadata') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cache_key_versions_are_the_installed_packages() -> None:
    import markdown
    import nh3

    assert markdown_render._version(markdown, "markdown") == importlib.metadata.version("markdown")
    assert markdown_render._version(nh3, "nh3") == importlib.metadata.version("nh3")


def test_a_module_without_version_falls_back_to_its_metadata() -> None:
    assert markdown_render._version(object(), "markdown") == importlib.metadata.version("markdown")


def test_prepared_converter_gives_the_same_html_as_a_fresh_one() -> None:
    text = "# Titolo\n\nUn *paragrafo* con [un collegamento](/notizie/) e una nota[^1].\n\n[^1]: La nota.\n"
    markdown_render._converters.clear()
    fresh = markdown_render.convert(text, "it")
    markdown_render._converters.clear()
    markdown_render.prepare(["it", "en"])
    assert set(markdown_render._converters) == {"it", "en"}
    assert markdown_render.convert(text, "it") == fresh
