"""The Markdown fast path guards itself: it overrides Python-Markdown's private inline loop and
reads Python's private regular-expression parser, so it checks both at import and, when
either is not what it was written for, leaves the stock loop in place (same output).

The fallbacks run in a fresh interpreter, because the check happens at import."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from markdown.treeprocessors import InlineProcessor

from sitegen import inline_prefilter

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "content").rglob("*.md"))[:12] + sorted((REPO / "tests" / "fixtures").rglob("*.md"))[:12]


def test_the_pinned_markdown_has_the_loop_the_fast_path_overrides():
    """Fails when Python-Markdown's private loop changes: then look at the new loop before moving the pin."""
    assert inline_prefilter.stock_loop_matches()
    assert inline_prefilter.FAST_PATH
    handle = inspect.signature(InlineProcessor._InlineProcessor__handleInline)
    assert str(handle) == "(self, data: 'str', patternIndex: 'int' = 0) -> 'str'"
    apply = inspect.signature(InlineProcessor._InlineProcessor__applyPattern)
    assert list(apply.parameters) == ["self", "pattern", "data", "patternIndex", "startIndex"]
    # the pass's own loop (run), which the fast path rewrites, and the two private helpers it calls
    place = inspect.signature(InlineProcessor._InlineProcessor__processPlaceholders)
    assert list(place.parameters) == ["self", "data", "parent", "isText"]
    ancestors = inspect.signature(InlineProcessor._InlineProcessor__build_ancestors)
    assert list(ancestors.parameters) == ["self", "parent", "parents"]
    assert list(inspect.signature(InlineProcessor.run).parameters) == ["self", "tree", "ancestors"]


def test_a_changed_signature_is_noticed(monkeypatch):
    def handle_inline(self, data, pattern_index=0, extra=None):  # a new parameter, a renamed one
        return data

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__handleInline", handle_inline, raising=False)
    assert not inline_prefilter.stock_loop_matches()
    monkeypatch.delattr(InlineProcessor, "_InlineProcessor__handleInline")
    assert not inline_prefilter.stock_loop_matches()


CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    {setup}

    import markdown
    from sitegen.inline_prefilter import FAST_PATH, PrefilteredInlineProcessor, prefilter
    from sitegen.markdown_render import _extensions

    stock = markdown.Markdown(extensions=_extensions("it"), output_format="html")
    ours = markdown.Markdown(extensions=_extensions("it"), output_format="html")
    prefilter(ours)
    assert not FAST_PATH, "the fast path should be off"
    assert not any(isinstance(p, PrefilteredInlineProcessor) for p in ours.treeprocessors)
    for name in sys.argv[1:]:
        text = Path(name).read_bytes().decode("utf-8", "replace")  # some fixtures are not UTF-8 on purpose
        stock.reset()
        ours.reset()
        assert stock.convert(text) == ours.convert(text), name
    print("same", len(sys.argv) - 1)
    """
)

SETUPS = {
    "re._parser is gone": 'sys.modules["re._parser"] = None  # import re._parser now raises ImportError',
    "the loop has a new parameter": textwrap.dedent(
        """
        from markdown.treeprocessors import InlineProcessor
        stock_handle = InlineProcessor._InlineProcessor__handleInline
        def handle_inline(self, data, patternIndex=0, depth=0):
            return stock_handle(self, data, patternIndex)
        InlineProcessor._InlineProcessor__handleInline = handle_inline
        """
    ),
    "the placeholders are read differently": textwrap.dedent(
        """
        from markdown.treeprocessors import InlineProcessor
        stock_place = InlineProcessor._InlineProcessor__processPlaceholders
        def process_placeholders(self, data, parent, isText=True, depth=0):
            return stock_place(self, data, parent, isText)
        InlineProcessor._InlineProcessor__processPlaceholders = process_placeholders
        """
    ),
    "a pattern is applied differently": textwrap.dedent(
        """
        from markdown.treeprocessors import InlineProcessor
        stock_apply = InlineProcessor._InlineProcessor__applyPattern
        def apply_pattern(self, pattern, data, patternIndex, startIndex=0, endIndex=None):
            return stock_apply(self, pattern, data, patternIndex, startIndex)
        InlineProcessor._InlineProcessor__applyPattern = apply_pattern
        """
    ),
}


@pytest.mark.parametrize("case", sorted(SETUPS))
def test_without_the_private_pieces_the_output_is_stock_python_markdown(case, tmp_path):
    script = tmp_path / "check.py"
    script.write_text(CHECK.format(setup=SETUPS[case]), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), *map(str, SAMPLES)], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"same {len(SAMPLES)}"
