"""Front matter: split it from the body, load it safely, validate every field.

All functions here are pure: text in, values and :class:`~sitegen.errors.Problem` out.
Dates are never left to YAML (whose timestamp rule accepts some odd forms and raises
bare ``ValueError`` on ``2026-02-30``); they arrive as strings and :func:`parse_when`
reads them, treating a time without an offset as local time of the site's zone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, tzinfo
from typing import Any

import yaml

from .config_values import suggestion, type_name
from .errors import Problem

try:  # the C loader is ~10× faster; the pure-Python one gives the same results
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    # mypy sees one loader class per name; both share the SafeLoader interface used here.
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc,assignment]


class FrontMatterLoader(_BaseLoader):
    """SafeLoader without the implicit timestamp rule: dates stay strings for :func:`parse_when`."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

LAYOUTS = ("page", "home", "privacy", "accessibility")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A top-level key as an editor writes it: bare, or in double or single quotes.
_KEY_RE = re.compile(r"""^(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w-]*))\s*:""")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


DATE = "date"  # a field's kind: read by parse_when, not by YAML


def _field(kind: Any, example: str, default: Any = None) -> Any:
    """A front-matter field: its kind (a type, or :data:`DATE`), an example for messages, its default."""
    return field(default=default, metadata={"kind": kind, "example": example})


@dataclass(frozen=True)
class Meta:
    """Validated front matter.  Dates are timezone-aware (``None`` when absent).

    The one declaration of the front-matter fields: :data:`FIELDS` (names, in this order),
    their kinds and their examples are derived from it.  A new field is one line here.
    """

    title: str = field(metadata={"kind": str, "example": 'title: "Titolo"'})
    description: str = _field(str, 'description: "Una frase."', "")
    summary: str = _field(str, 'summary: "Una frase."', "")
    date: datetime | None = _field(DATE, "date: 2026-11-26")
    updated: datetime | None = _field(DATE, "updated: 2026-12-01")
    publish_at: datetime | None = _field(DATE, "publish_at: 2026-12-01 09:00")
    expires_at: datetime | None = _field(DATE, "expires_at: 2027-01-31")
    tags: tuple[str, ...] = _field(list, "tags: [ricerca, innovazione]", ())
    slug: str | None = _field(str, "slug: mia-notizia")
    translation_key: str | None = _field(str, "translation_key: iom-ilsh")
    draft: bool = _field(bool, "draft: true", False)
    lang: str | None = _field(str, "lang: it")
    menu: int | None = _field(int, "menu: 2")
    menu_title: str | None = _field(str, 'menu_title: "La rete"')
    layout: str = _field(str, "layout: page", "page")
    # the item's own picture for its social card (sitegen.cards), relative to the item
    image: str | None = _field(str, "image: foto.jpg")
    image_alt: str | None = _field(str, 'image_alt: "Descrizione della foto"')  # required with image


FIELDS = tuple(f.name for f in fields(Meta))
DATE_FIELDS = tuple(f.name for f in fields(Meta) if f.metadata["kind"] == DATE)
_TYPES: dict[str, type] = {f.name: f.metadata["kind"] for f in fields(Meta) if f.metadata["kind"] != DATE}
_EXAMPLES: dict[str, str] = {f.name: f.metadata["example"] for f in fields(Meta)}


@dataclass(frozen=True)
class SplitText:
    """A source file's text cut in two: raw front matter and Markdown body."""

    front_matter: str
    body: str
    body_line: int  # 1-based line number of the body's first line in the file


_CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufdd0-\\ufdef\\ufffe\\uffff\\ud800-\\udfff]")


def first_invisible_control(text: str) -> int | None:
    """Index of the first character that HTML and XML forbid (C0 controls but tab/newline), or None.

    Such a character (a form feed pasted from a PDF, say) is invisible in an editor but
    makes the page invalid HTML and the feed invalid XML, which feed readers reject.
    """
    match = _CONTROL.search(text)
    return match.start() if match else None


def normalise_text(text: str) -> str:
    """Drop a UTF-8 BOM and turn CRLF / CR line endings into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[SplitText | None, list[Problem]]:
    """Separate the ``---`` delimited front matter from the body."""
    if not text.strip():
        return None, [Problem("file_empty", path, 1)]
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, [Problem("fm_missing", path, 1)]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return SplitText(front, body, index + 2), []
    return None, [Problem("fm_not_closed", path, 1)]


def key_lines(front_matter: str) -> dict[str, int]:
    """First file line (1-based, counting the opening ``---``) of each top-level key, and of
    each tag as ``tags[<tag>]`` (an unknown tag is reported on its own line)."""
    found: dict[str, int] = {}
    in_tags = False
    for number, line in enumerate(front_matter.split("\n"), start=2):
        match = _KEY_RE.match(line)
        if match:
            name = next(g for g in match.groups() if g is not None)
            found.setdefault(name, number)
            in_tags = name == "tags"
            line = line[match.end() :]
        if in_tags:
            for tag in _TAG_WORD.findall(line.split(" #", 1)[0]):
                found.setdefault(f"tags[{tag.strip().strip(chr(34) + chr(39)).strip()}]", number)
    return found


# A tag as written in flow (``[a, "b c"]``) or block (``- a``) style: the text between the
# brackets, dashes and commas.  Only for line numbers: YAML reads the value.
_TAG_WORD = re.compile(r"""(?:^\s*-|^|[\[,])\s*("[^"]*"|'[^']*'|[^\[\],#\s][^\[\],#]*)""")


def load_yaml(front_matter: str, path: str, lang: str = "it") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse the front matter as a YAML mapping (no tags, no aliases)."""
    if not front_matter.strip():
        return {}, []
    try:
        events_have_alias = _has_anchor_or_alias(front_matter)
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc, path, front_matter)]
    if events_have_alias:
        return None, [Problem("fm_yaml_alias", path, events_have_alias)]
    try:
        data, duplicate = _load_checked(front_matter)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        if tag is None:  # e.g. "found unhashable key": a list or mapping used as a field name
            return None, [_yaml_problem(exc, path)]
        shown_tag = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return None, [Problem("fm_yaml_tag", path, mark.line + 2 if mark else 1, {"tag": shown_tag})]
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_problem(exc, path, front_matter)]
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked YAML errors are rare
        return None, [Problem("fm_yaml", path, 1, {"detail": str(exc)})]
    if duplicate is not None:
        key, first, again = duplicate
        return None, [Problem("fm_duplicate_key", path, again, {"key": key, "first": first})]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return None, [Problem("fm_not_mapping", path, 2, {"found": type_name(data, lang)})]
    return data, []


def _load_checked(front_matter: str) -> tuple[object, tuple[str, int, int] | None]:
    """The front matter's value, and its first duplicate key as (key, first line, second line).

    YAML keeps the last of two equal keys silently, so ``draft: true`` then ``"draft": false``
    would publish a draft: keys are compared on the node tree, where quoting no longer
    matters (``draft`` and ``"draft"`` are the same string), in every mapping at any depth.
    """
    loader = FrontMatterLoader(front_matter)
    try:
        node = loader.get_single_node()
        duplicate = _first_duplicate(node) if node is not None else None
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, duplicate


def _first_duplicate(node: yaml.Node) -> tuple[str, int, int] | None:
    """Lines are file lines: the front matter starts on the file's line 2."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2
            identity = (key_node.tag, str(key_node.value))
            if isinstance(key_node, yaml.ScalarNode) and identity in seen:
                return str(key_node.value), seen[identity], line
            seen.setdefault(identity, line)
            found = _first_duplicate(value_node)
            if found is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _first_duplicate(item)
            if found is not None:
                return found
    return None


def _has_anchor_or_alias(front_matter: str) -> int:
    """Line of the first YAML anchor or alias, 0 if none.  Aliases make "billion laughs" bombs."""
    if "&" not in front_matter and "*" not in front_matter:
        return 0
    for token in yaml.scan(front_matter, Loader=yaml.SafeLoader):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            return int(token.start_mark.line) + 2
    return 0


# A pattern, compiled (and cached by re) at its first use: a syntax error's message.
_UNQUOTED_COLON = r"""^([A-Za-z_][\w-]*):\s*([^"'\s].*:.*)$"""


def _yaml_problem(exc: yaml.MarkedYAMLError, path: str, front_matter: str = "") -> Problem:
    mark = exc.problem_mark or exc.context_mark
    detail = exc.problem or "?"
    if mark and detail.startswith("mapping values are not allowed"):
        # The most common mistake of all: "title: Ricerca: nuovi fondi".  Say which value to quote.
        lines = front_matter.split("\n")
        text = lines[mark.line] if mark.line < len(lines) else ""
        unquoted = re.match(_UNQUOTED_COLON, text.strip())
        if unquoted:
            value = unquoted.group(2).strip().replace('"', '\\"')
            return Problem("fm_yaml_colon", path, mark.line + 2, {"key": unquoted.group(1), "value": value})
    from .yaml_messages import yaml_detail  # (only a front matter with a syntax error needs it)

    return Problem("fm_yaml", path, (mark.line + 2) if mark else 1, {"detail": yaml_detail(exc.context, detail)})


def parse_when(value: object, zone: tzinfo) -> datetime | None:
    """A front-matter date as an aware datetime; ``None`` when it is not a valid date.

    ``2026-11-26`` is midnight in ``zone``; ``2026-11-26 09:30`` is 09:30 in ``zone``;
    an explicit offset (``2026-11-26T09:30:00+01:00``, ``...Z``) is kept as written.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=zone)
    if not isinstance(value, str) or not _ISO_START.match(value.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def validate_meta(
    data: dict[str, Any], front_matter: str, path: str, zone: tzinfo, languages: Sequence[str], msg_lang: str
) -> tuple[Meta | None, list[Problem]]:
    """Check every field's name, type and value; return :class:`Meta` or the problems."""
    lines = key_lines(front_matter)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(str(key), 2)
        if key not in FIELDS:
            params: dict[str, object] = {
                "key": key,
                "suggestion": suggestion(str(key), FIELDS, msg_lang),
                "allowed": ", ".join(FIELDS),
            }
            problems.append(Problem("fm_unknown_key", path, line, params))
            continue
        control = _control_in(value)
        if control is not None:
            problems.append(Problem("fm_control_char", path, line, {"key": key, "char": control}))
            continue
        if key in DATE_FIELDS:
            when = parse_when(value, zone)
            if when is None:
                problems.append(Problem("fm_bad_date", path, line, {"key": key, "value": value}))
            values[key] = when
            continue
        if key == "title" and (value is None or isinstance(value, str) and not value.strip()):
            problems.append(Problem("fm_empty_title", path, line))
            continue
        if value is None:
            continue
        checked, problem = _typed_value(key, value, path, line, msg_lang)
        if problem is not None:
            problems.append(problem)
        else:
            values[key] = checked
    problems += _check_values(values, data, lines, path, languages)
    if any(p.is_error for p in problems):
        return None, problems
    return Meta(**values), problems


def _typed_value(key: str, value: object, path: str, line: int, msg_lang: str) -> tuple[object, Problem | None]:
    """A field's value as :class:`Meta` holds it (texts stripped, tags a tuple), or why it is the wrong type."""
    expected = _TYPES[key]
    if key == "translation_key" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    tags_ok = key != "tags" or isinstance(value, list) and all(isinstance(t, str) and t.strip() for t in value)
    if isinstance(value, bool) and expected is not bool or not isinstance(value, expected) or not tags_ok:
        params: dict[str, object] = {
            "key": key,
            "expected": type_name(expected, msg_lang),
            "found": type_name(value, msg_lang),
            "example": _EXAMPLES[key],
        }
        return None, Problem("fm_wrong_type", path, line, params)
    if key == "tags" and isinstance(value, list):
        return tuple(dict.fromkeys(tag.strip() for tag in value)), None
    if isinstance(value, str) and key != "title":
        return value.strip(), None
    return value, None


def _control_in(value: object) -> str | None:
    """``U+000C`` for the first forbidden control character in a text (or a list of texts), else None."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str):
            bad = first_invisible_control(text)
            if bad is not None:
                return f"U+{ord(text[bad]):04X}"
    return None


def _check_values(
    values: dict[str, Any], data: dict[str, Any], lines: dict[str, int], path: str, languages: Sequence[str]
) -> list[Problem]:
    problems: list[Problem] = []
    if "title" not in data:
        problems.append(Problem("fm_missing_title", path, 1))
    elif "title" in values:
        values["title"] = values["title"].strip()
    slug = values.get("slug")
    if slug is not None and not SLUG_RE.match(slug):
        problems.append(Problem("fm_bad_slug", path, lines.get("slug", 2), {"value": slug}))
    key = values.get("translation_key")
    if key is not None and any(c in key for c in "\n\r\t"):
        # A key links two files and is copied by ``new --translation-of``: one line, always.
        problems.append(Problem("fm_not_one_line", path, lines.get("translation_key", 2), {"key": "translation_key"}))
    lang = values.get("lang")
    if lang is not None and lang not in languages:
        problems.append(
            Problem("fm_bad_language", path, lines.get("lang", 2), {"value": lang, "allowed": ", ".join(languages)})
        )
    layout = values.get("layout")
    if layout is not None and layout not in LAYOUTS:
        problems.append(
            Problem("fm_bad_layout", path, lines.get("layout", 2), {"value": layout, "allowed": ", ".join(LAYOUTS)})
        )
    if values.get("image") and not values.get("image_alt"):  # a picture without words shuts some readers out
        problems.append(Problem("fm_image_no_alt", path, lines.get("image_alt", lines.get("image", 2))))
    start = values.get("publish_at") or values.get("date")
    if values.get("expires_at") and start and values["expires_at"] <= start:
        problems.append(
            Problem(
                "fm_expiry_before_date",
                path,
                lines.get("expires_at", 2),
                {"expires": values["expires_at"].isoformat(), "publish": start.isoformat()},
            )
        )
    return problems
