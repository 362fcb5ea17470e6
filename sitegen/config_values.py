"""``config.yaml``'s values, checked: types, texts, URLs, per-language folder names.

Pure functions over the parsed YAML (a dict and the line of every key); every problem
names its key and line.  :mod:`sitegen.config` reads the file and builds the
:class:`~sitegen.config.Config` from what passes.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem, display_path
from .messages import LANGUAGES as MESSAGE_LANGUAGES
from .messages import messages_language, render_message
from .near import closest

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
# A folder of the site's addresses (news_dir, tags_dir, search_dir): one URL segment, as a slug.
SEGMENT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Printable ASCII that a URL may not hold as such (RFC 3986); spaces are refused with the controls.
_NOT_IN_URL = frozenset('"<>\\^`{|}')

TYPE_NAMES = {
    "it": {
        str: "un testo",
        int: "un numero intero",
        list: "un elenco",
        dict: "un gruppo di campi",
        bool: "vero/falso",
        type(None): "vuoto",
        float: "un numero",
    },
    "en": {
        str: "a text",
        int: "a whole number",
        list: "a list",
        dict: "a group of fields",
        bool: "true/false",
        type(None): "empty",
        float: "a number",
    },
}


def type_name(value_or_type: object, lang: str = "it") -> str:
    t = value_or_type if isinstance(value_or_type, type) else type(value_or_type)
    return TYPE_NAMES[lang].get(t, t.__name__)


def suggestion(name: str, allowed: Iterable[str], lang: str) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or an empty string."""
    close = closest(name, allowed)
    return render_message("fm_did_you_mean", lang, {"name": close}) if close is not None else ""


def validate_values(
    data: dict[str, Any],
    schema: dict[str, tuple[Any, Any]],
    prefix: str,
    lines: dict[str, int],
    shown: str,
    problems: list[Problem],
) -> dict[str, Any]:
    """The values of ``data`` (keys below ``prefix``) checked against ``schema``, defaults filled in;
    every problem appended to ``problems``."""
    lang = messages_language(data.get("messages_language") if not prefix else None)
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        line = lines.get(dotted)
        if key not in schema:
            params: dict[str, object] = {
                "key": dotted,
                "suggestion": suggestion(str(key), schema, lang),
                "allowed": ", ".join(sorted(schema)),
            }
            problems.append(Problem("config_unknown_key", shown, line, params))
            continue
        expected, default = schema[key]
        if expected == "tags":  # the tag vocabulary: sitegen.config reads it with sitegen.tags_vocab
            out[key] = default
            continue
        if isinstance(expected, dict):
            if value is None:
                value = {}
            if not isinstance(value, dict):
                problems.append(_wrong_type(dotted, dict, value, line, shown, lang))
                continue
            out[key] = validate_values(value, expected, dotted + ".", lines, shown, problems)
            continue
        problem = _type_problem(expected, default, value, dotted, line, shown, lang)
        if problem is not None:
            problems.append(problem)
            continue
        out[key] = dict(value) if expected == "lang" else "" if value is None else value
        _check_texts(out[key], dotted, lines, shown, problems)
    for key, (expected, default) in schema.items():
        if key in out or any(p.params.get("key") == f"{prefix}{key}" for p in problems):
            continue
        if default is None and not isinstance(expected, dict):
            problems.append(Problem("config_missing_key", shown, None, {"key": f"{prefix}{key}"}))
        elif isinstance(expected, dict):
            out[key] = validate_values({}, expected, f"{prefix}{key}.", lines, shown, problems)
        else:
            out[key] = default
    if not prefix and not problems:
        _check_values(out, schema, lines, shown, problems, lang)
    return out


def _type_problem(
    expected: Any, default: Any, value: object, key: str, line: int | None, shown: str, lang: str
) -> Problem | None:
    """A problem when ``value`` is not of the ``expected`` kind (an empty text may be left empty)."""
    if expected == "lang":
        if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return None
        expected_name = render_message("_type_per_language", lang, {})
        params: dict[str, object] = {"key": key, "found": type_name(value, lang), "expected": expected_name}
        return Problem("config_wrong_type", shown, line, params)
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        return _wrong_type(key, int, value, line, shown, lang)
    if expected is str and value is None and default == "":
        return None
    if expected is not int and not isinstance(value, expected):
        return _wrong_type(key, expected, value, line, shown, lang)
    return None


def _wrong_type(key: str, expected: type, value: object, line: int | None, shown: str, lang: str) -> Problem:
    return Problem(
        "config_wrong_type",
        shown,
        line,
        {"key": key, "expected": type_name(expected, lang), "found": type_name(value, lang)},
    )


def _check_texts(value: Any, dotted: str, lines: dict[str, int], shown: str, problems: list[Problem]) -> None:
    """No control character in any text of the config (a newline in ``base_url`` wrote a
    ``Disallow: /`` line into robots.txt; one in ``site_name`` made the feed invalid XML)."""
    items = value.items() if isinstance(value, dict) else [("", value)]
    for sub, text in items:
        where = f"{dotted}.{sub}" if sub else dotted
        if isinstance(text, (dict, list)):
            _check_texts(dict(enumerate(text)) if isinstance(text, list) else text, where, lines, shown, problems)
        elif isinstance(text, str):
            bad = next((c for c in text if unicodedata.category(c) == "Cc"), None)
            if bad is not None:
                line = lines.get(where, lines.get(dotted))
                problems.append(
                    Problem("config_control_char", shown, line, {"key": where, "char": f"U+{ord(bad):04X}"})
                )


def _check_values(
    values: dict[str, Any],
    schema: dict[str, tuple[Any, Any]],
    lines: dict[str, int],
    shown: str,
    problems: list[Problem],
    lang: str,
) -> None:
    values["base_url"] = check_base_url(values["base_url"], "base_url", lines.get("base_url"), problems, shown)
    languages = values["languages"]
    if (
        not languages
        or not all(isinstance(code, str) and code in LANGUAGE_NAMES for code in languages)
        or len(set(languages)) != len(languages)
    ):
        problems.append(
            Problem(
                "config_bad_value",
                shown,
                lines.get("languages"),
                {"key": "languages", "detail": f"{languages!r}: " + ", ".join(LANGUAGE_NAMES)},
            )
        )
        languages = None  # the per-language keys cannot be checked against a broken list
    try:
        zoneinfo.ZoneInfo(values["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(
            Problem(
                "config_bad_value",
                shown,
                lines.get("timezone"),
                {"key": "timezone", "detail": f"{values['timezone']!r} (Europe/Rome, UTC, ...)"},
            )
        )
    for key in ("paginate", "home_news"):
        if values[key] < 1:
            problems.append(Problem("config_bad_value", shown, lines.get(key), {"key": key, "detail": "≥ 1"}))
    if values["messages_language"] not in MESSAGE_LANGUAGES:
        problems.append(
            Problem(
                "config_bad_value",
                shown,
                lines.get("messages_language"),
                {"key": "messages_language", "detail": "it, en"},
            )
        )
    if languages is not None:
        _check_per_language(values, lines, shown, problems)
    sections = [key for key, (kind, _default) in schema.items() if isinstance(kind, dict)]
    _check_contacts(values, sections, lines, shown, problems)


def _check_contacts(
    values: dict[str, Any], sections: list[str], lines: dict[str, int], shown: str, problems: list[Problem]
) -> None:
    """An address or e-mail in a section is a complete one (or empty: left out of the pages)."""
    for section in sections:
        for name, value in values[section].items():
            where = f"{section}.{name}"
            if not value:
                continue
            if name == "url":
                check_base_url(value, where, lines.get(where), problems, shown)
            elif name in ("email", "pec") and not _EMAIL_RE.match(value):
                problems.append(
                    Problem(
                        "config_bad_value",
                        shown,
                        lines.get(where),
                        {"key": where, "detail": f"{value!r} (nome@example.org)"},
                    )
                )


def _check_per_language(values: dict[str, Any], lines: dict[str, int], shown: str, problems: list[Problem]) -> None:
    """Every language has its site name and its folder names; a folder name is one URL segment."""
    languages = values["languages"]
    for key in ("site_name", "news_dir", "tags_dir", "search_dir"):
        missing = [code for code in languages if not values[key].get(code)]
        if missing:
            problems.append(
                Problem("config_bad_value", shown, lines.get(key), {"key": key, "detail": ", ".join(missing) + " ?"})
            )
        for code, segment in values[key].items():
            where = f"{key}.{code}"
            if code not in languages:
                problems.append(
                    Problem(
                        "config_bad_value",
                        shown,
                        lines.get(where, lines.get(key)),
                        {"key": where, "detail": f"{code} ∉ [{', '.join(languages)}]"},
                    )
                )
            elif key != "site_name" and segment and not SEGMENT_RE.match(segment):
                problems.append(
                    Problem(
                        "config_bad_segment", shown, lines.get(where, lines.get(key)), {"key": where, "value": segment}
                    )
                )
            elif key != "site_name" and not segment:
                problems.append(
                    Problem("config_bad_value", shown, lines.get(where, lines.get(key)), {"key": where, "detail": "''"})
                )


def check_base_url(url: str, key: str, line: int | None, problems: list[Problem], shown: str = "--base-url") -> str:
    """An absolute http(s) URL, written with URL characters only (it is copied verbatim into
    robots.txt, _headers, the feeds and every canonical link)."""
    bad = next((c for c in url or "" if c.isspace() or unicodedata.category(c) == "Cc" or c in _NOT_IN_URL), None)
    if bad is not None:
        problems.append(Problem("config_base_url_char", shown, line, {"key": key, "char": f"U+{ord(bad):04X}"}))
        return url
    try:
        parts = urlsplit(url or "")
        _port = parts.port  # raises ValueError for a port that is not a number in range
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
    except ValueError:
        valid = False
    if not valid:
        problems.append(Problem("config_base_url", shown, line, {"key": key, "value": url}))
        return url
    return url if url.endswith("/") else url + "/"


def check_folders(values: dict[str, Any], root: Path, lines: dict[str, int], shown: str) -> list[Problem]:
    """The content and templates folders must exist: without content/ the build made an empty
    site that replaced the published one."""
    problems = []
    for key in ("content_dir", "templates_dir"):
        folder = root / values[key]
        if not folder.is_dir():
            params: dict[str, object] = {"key": key, "path": display_path(folder, Path.cwd())}
            problems.append(Problem("config_folder_missing", shown, lines.get(key), params))
    return problems
