"""Property-based tests: any front matter and any Markdown body either builds or fails with
problems that name the file (and the line where there is one) — never another exception —
and what builds is well-formed HTML.

Bounded so that the suite stays quick; raise ``SITEGEN_FUZZ_EXAMPLES`` for a longer hunt.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sitetest import FIXED_NOW, copy_site

from sitegen.build import BuildOptions, build_in_memory
from sitegen.config import load_config
from sitegen.content import SourceFile, parse_document
from sitegen.errors import BuildError
from sitegen.frontmatter import FIELDS

EXAMPLES = int(os.environ.get("SITEGEN_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Problems about a whole file have no line; every other problem must name one.
WHOLE_FILE_CODES = {
    "file_too_large",
    "file_symlink_outside",
    "file_unreadable",
    "url_conflict",
    "translation_missing",
    "translation_duplicate",
    "write_failed",
    "build_locked",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(HTMLParser):
    """Start and end tags must nest properly (what a DOM serialiser or a careful template writes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"</{tag}> closes a void element")
        elif not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while open: {self.stack[-3:]}")
        else:
            self.stack.pop()


def assert_well_formed(html: str) -> None:
    checker = _Balance()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack, html[:500])


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory):
    site = copy_site("basic", tmp_path_factory.mktemp("fuzz") / "site")
    return site, load_config(site / "config.yaml")


def parse_bytes(site: Path, config, data: bytes, rel: str = "it/notizie/fuzz.md"):
    path = site / "content" / rel
    path.write_bytes(data)
    source = SourceFile(path, f"content/{rel}", rel, rel.split("/", 1)[0])
    return source, parse_document(source, config)


def check_outcome(source: SourceFile, doc, problems) -> None:
    for problem in problems:
        assert problem.path == source.shown, problem
        assert problem.line is not None or problem.code in WHOLE_FILE_CODES, problem
        assert problem.line is None or problem.line >= 1, problem
        problem.format("it"), problem.format("en")  # every message renders in both languages
    if doc is None:
        assert any(p.is_error for p in problems), problems
    else:
        assert not any(p.is_error for p in problems), problems
        assert_well_formed(doc.converted.html)


# --- strategies ---------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2026-11-26",
            "2026-02-30",
            "26/11/2026",
            "domani",
            "2026-11-26T09:30:00+01:00",
            "it",
            "en",
            "fr",
            "a/b",
            "..",
            "ok-slug",
            "</script>",
            "&amp;",
            "*",
            "&x",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
mappings = st.dictionaries(keys, values, max_size=8)
yaml_bits = st.sampled_from(
    [
        "---",
        "...",
        ":",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!python/object ",
        "!x ",
        "#",
        "'",
        '"',
        "\\",
        "|",
        ">",
        "\n",
        "  ",
        "\t",
        "title: ",
        "date: ",
        "tags: ",
        "? ",
        "%YAML 1.1\n",
        "\ufeff",
        "\r",
        "\x0c",
        "é",
    ]
)
yaml_text = st.lists(st.one_of(yaml_bits, st.text(max_size=6)), max_size=25).map("".join)
md_bits = st.sampled_from(
    [
        "# ",
        "## ",
        "\n",
        "\n\n",
        "    ",
        "- ",
        "1. ",
        "> ",
        "*",
        "_",
        "`",
        "```",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "</",
        "<div>",
        "</div>",
        "<p>",
        "<script>",
        "<b>",
        "</i>",
        "<img src=x ",
        "onerror=",
        "javascript:",
        '"',
        "'",
        "&",
        "&amp;",
        "&#0;",
        "|",
        "---",
        ":",
        "{: .c }",
        "[^1]",
        "[^1]: ",
        "*[A]: ",
        "A",
        "<!--",
        "-->",
        "\\",
        "<table>",
        "<td>",
        "<svg>",
        "<math>",
        "<template>",
        '<a href="#x">',
        "<!DOCTYPE html>",
        "<?x ?>",
        "<![CDATA[",
        "]]>",
        "\t",
        "é",
        "\u2028",
    ]
)
# Valid fields with hostile or odd texts, so that whole builds do get through to the pages.
odd_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20) | st.sampled_from(
    ["</script><script>x</script>", "]]>", "<!--", "&amp;", "\"'", "Perché sì", "a/b", ".."]
)
valid_front_matter = st.fixed_dictionaries(
    {"title": odd_text, "date": st.sampled_from(["2026-11-20", "2026-11-20T09:30:00+01:00", "2026-01-01 10:00"])},
    optional={
        "description": odd_text,
        "summary": odd_text,
        "tags": st.lists(odd_text, max_size=3),
        "translation_key": odd_text,
        "menu_title": odd_text,
    },
).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
markdown_text = st.lists(st.one_of(md_bits, st.text(max_size=5)), max_size=40).map("".join)


def front(text: str) -> str:
    return "---\n" + text + "\n---\n\nTesto.\n"


# --- properties ---------------------------------------------------------------------


@FUZZ
@given(data=mappings)
def test_any_front_matter_mapping_parses_or_names_file_and_line(fuzz_site, data):
    site, config = fuzz_site
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    source, (doc, problems) = parse_bytes(site, config, front(text).encode("utf-8"))
    check_outcome(source, doc, problems)


@FUZZ
@given(text=yaml_text)
def test_any_front_matter_text_parses_or_names_file_and_line(fuzz_site, text):
    site, config = fuzz_site
    source, (doc, problems) = parse_bytes(site, config, front(text).encode("utf-8", "surrogatepass"))
    check_outcome(source, doc, problems)


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_markdown_file_parse_or_name_file_and_line(fuzz_site, data):
    site, config = fuzz_site
    source, (doc, problems) = parse_bytes(site, config, data)
    check_outcome(source, doc, problems)


@FUZZ
@given(body=markdown_text)
def test_any_markdown_body_converts_to_well_formed_safe_html(fuzz_site, body):
    site, config = fuzz_site
    text = '---\ntitle: "Fuzz"\ndate: 2026-11-20\n---\n\n' + body
    source, (doc, problems) = parse_bytes(site, config, text.encode("utf-8", "surrogatepass"))
    check_outcome(source, doc, problems)
    if doc is not None:
        assert unsafe_parts(doc.converted.html) == []


class _Unsafe(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "base", "meta"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{name}= on <{tag}>")
            if (
                name in ("href", "src", "action", "formaction")
                and value
                and "".join(value.split()).lower().startswith(("javascript:", "vbscript:", "data:"))
            ):
                self.found.append(f"{name}={value!r}")

    handle_startendtag = handle_starttag


def unsafe_parts(html: str) -> list[str]:
    checker = _Unsafe()
    checker.feed(html)
    checker.close()
    return checker.found


@settings(
    max_examples=max(10, EXAMPLES // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    front_matter=valid_front_matter | yaml_text | mappings.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    body=markdown_text,
)
def test_a_whole_build_with_a_fuzzed_file_succeeds_with_valid_pages_or_raises_build_error(
    fuzz_site, front_matter, body
):
    site, config = fuzz_site
    path = site / "content" / "it" / "notizie" / "fuzz.md"
    path.write_bytes(("---\n" + front_matter + "\n---\n\n" + body).encode("utf-8", "surrogatepass"))
    try:
        built = build_in_memory(config, BuildOptions(now=FIXED_NOW))
    except BuildError as error:
        event("refused: " + ",".join(sorted({p.code for p in error.problems if p.is_error})))
        assert any(p.is_error for p in error.problems)
        for problem in error.problems:
            assert problem.path, problem
            assert problem.line is not None or problem.code in WHOLE_FILE_CODES, problem
            problem.format("en")
        return
    event("built")
    for name, content in built.files.items():
        if name.endswith(".html"):
            assert_well_formed(content.decode("utf-8"))
        elif name.endswith(".xml"):
            import xml.etree.ElementTree as ET

            ET.fromstring(content)  # feeds and sitemap stay well-formed XML


def test_the_balance_check_can_fail():
    with pytest.raises(AssertionError):
        assert_well_formed("<p><b>x</p></b>")
    with pytest.raises(AssertionError):
        assert_well_formed("<div>")
    assert_well_formed("<p>a<br>b</p><img src=x>")
    assert unsafe_parts('<a href=" JavaScript:x">') and unsafe_parts("<p onclick=x>") and unsafe_parts("<svg>")
