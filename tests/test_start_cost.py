"""What a one-edit rebuild does not pay for: Pillow and the package-metadata scan are not
imported by the build's modules (only where a card or icon is drawn), a one-edit build
without search imports none of the modules it does not use, and the versions in
the Markdown cache key are the ones the package metadata gives."""

from __future__ import annotations

import ast
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sitegen import markdown_render


def test_build_modules_import_neither_pillow_nor_package_metadata() -> None:
    code = (
        "import sys\n"
        "import sitegen.cli, sitegen.build, sitegen.stage_plan, sitegen.cards, sitegen.icons, sitegen.serve\n"
        "print(sorted(m for m in ('PIL', 'importlib.metadata') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# What a one-edit build without search never uses: the indexing, the scaffolding of `new`,
# the card drawing, the image records, the SVG check's XML parser, the "did you mean" of a
# problem, the Italian words of a YAML syntax error, Pygments (each imported where it is used;
# Pygments never: see sitegen.markdown_render).
NOT_FOR_ONE_EDIT = (
    "sitegen.search",
    "sitegen.search_pagefind",
    "sitegen.search_shards",
    "sitegen.search_text",
    "sitegen.scaffold",
    "sitegen.card_layout",
    "sitegen.card_text",
    "sitegen.card_png",
    "zlib_ng",
    "sitegen.cache.images",
    "xml.parsers.expat",
    "difflib",
    "PIL",
    "importlib.metadata",
    "pygments",
    "sitegen.yaml_messages",
)


def test_a_one_edit_build_without_search_imports_none_of_what_it_does_not_use(fixture_site: Any) -> None:
    site = fixture_site("basic")
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nsearch: false\n", encoding="utf-8")
    assert _imported_by_a_one_edit_build(site, NOT_FOR_ONE_EDIT) == []


def _imported_by_a_one_edit_build(site: Path, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` a build of ``site`` after one edit imported (a first build makes the caches)."""
    code = (
        "import sys\n"
        "from sitegen.cli import main\n"
        "code = main(['build'])\n"
        f"print(sorted(m for m in {names!r} if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True, text=True, check=True)
    with (site / "content" / "it" / "notizie" / "terza.md").open("a", encoding="utf-8") as text:
        text.write("\nUna frase aggiunta.\n")
    edit = subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True, text=True, check=True)
    return list(ast.literal_eval(edit.stdout.splitlines()[-1]))


def test_the_check_of_drafts_is_imported_only_by_a_site_that_has_drafts(fixture_site: Any) -> None:
    with_drafts = fixture_site("basic")
    assert _imported_by_a_one_edit_build(with_drafts, ("sitegen.unpublished",)) == ["sitegen.unpublished"]
    without = with_drafts.parent / "without-drafts"
    shutil.copytree(with_drafts, without)
    shutil.rmtree(without / ".cache", ignore_errors=True)
    for name in ("bozza.md", "futura.md"):  # the fixture's draft, and its item dated 2027 (scheduled until then)
        (without / "content" / "it" / "notizie" / name).unlink()
    assert _imported_by_a_one_edit_build(without, ("sitegen.unpublished",)) == []


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


FENCED = (
    "```python\nx = 1\n```\n\n"
    '```{.python #code hl_lines="1"}\ny = 2\n```\n\n'
    "~~~\n<b>plain</b>\n~~~\n\n"
    "    indented = True\n"
)


def test_fenced_code_is_the_same_whether_pygments_was_imported_or_not() -> None:
    """The converters import Markdown's extensions without Pygments (sitegen.markdown_render):
    only the codehilite extension, which the site does not use, would colour code with it."""
    pytest.importorskip("pygments")  # (pytest itself requires it)
    code = (
        "import sys\n"
        "if sys.argv[1] == 'with':\n"
        "    import pygments\n"
        "from sitegen import markdown_render\n"
        "print(repr(markdown_render.convert(sys.argv[2], 'it')))\n"
        "print(sys.modules['markdown.extensions.codehilite'].pygments)\n"
    )
    runs = {
        how: subprocess.run([sys.executable, "-c", code, how, FENCED], capture_output=True, text=True, check=True)
        for how in ("with", "without")
    }
    with_pygments, without = (runs[how].stdout.splitlines() for how in ("with", "without"))
    assert with_pygments[1:] == ["True"]  # Pygments there: codehilite saw it
    assert without[1:] == ["False"]  # hidden while the extensions were imported
    assert with_pygments[0] == without[0]
    assert 'class="language-python"' in without[0]
