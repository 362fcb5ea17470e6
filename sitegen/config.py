"""``config.yaml``: read once, validated up front, every error reported by key and line.

Unknown keys are rejected (with a "did you mean"), like MkDocs' ``load_config``.  Paths
are resolved against the folder that holds the config file, so a config elsewhere (a
benchmark corpus, a test fixture) can still point at this project's templates.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import NOTICE, BuildError, Problem, display_path
from .messages import LANGUAGES as MESSAGE_LANGUAGES
from .messages import messages_language, render_message
from .yaml_messages import yaml_detail

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
# A folder of the site's addresses (news_dir, tags_dir, search_dir): one URL segment, as a slug.
SEGMENT_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Printable ASCII that a URL may not hold as such (RFC 3986); spaces are refused with the controls.
_NOT_IN_URL = frozenset('"<>\\^`{|}')

# Contact and legal details the press release does not give: empty until someone who
# knows them fills them in.  ``check`` lists the empty ones; pages leave them out.
ORGANIZATION_FIELDS = ("name", "short_name", "url", "legal_name", "address", "vat_number", "email", "pec", "phone")
PRIVACY_FIELDS = ("controller", "controller_contact", "dpo_contact")
ACCESSIBILITY_FIELDS = ("feedback_contact",)
NETWORK_FIELDS = ("name", "url")


def _strings(fields: tuple[str, ...]) -> dict[str, Key]:
    return {name: Key(str, "") for name in fields}


@dataclass(frozen=True)
class Key:
    """How one key of ``config.yaml`` is read: its type and its default (``None``: required).

    ``kind`` is a type, ``"lang"`` (a mapping from language code to text) or a dict of
    :class:`Key` (a nested section).  The keys are declared once, on :class:`Config`'s
    fields (``metadata={"key": Key(...)}``); :data:`SCHEMA` is derived from them.
    """

    kind: Any
    default: Any = None


def key(kind: Any, default: Any = None) -> Any:
    """A :class:`Config` field that is also a key of ``config.yaml``."""
    return field(metadata={"key": Key(kind, default)})


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


@dataclass(frozen=True)
class Config:
    """The validated configuration.  Paths are absolute; ``base_url`` ends with ``/``."""

    root: Path
    source: Path
    base_url: str = key(str)
    site_name: Mapping[str, str] = key("lang")
    languages: tuple[str, ...] = key(list, ["it", "en"])
    timezone: str = key(str, "Europe/Rome")
    paginate: int = key(int, 10)
    home_news: int = key(int, 3)
    messages_language: str = key(str, "it")
    content_dir: Path = key(str, "content")
    templates_dir: Path = key(str, "templates")
    static_dir: Path = key(str, "static")
    output_dir: Path = key(str, "public")
    cache_dir: Path = key(str, ".cache")
    news_dir: Mapping[str, str] = key("lang", {"it": "notizie", "en": "news"})
    tags_dir: Mapping[str, str] = key("lang", {"it": "tag", "en": "tags"})
    search_dir: Mapping[str, str] = key("lang", {"it": "cerca", "en": "search"})
    # False: no search index, search pages or search box (a site that needs none)
    search: bool = key(bool, True)
    organization: Mapping[str, str] = key(_strings(ORGANIZATION_FIELDS))
    network: Mapping[str, str] = key(_strings(NETWORK_FIELDS))
    privacy: Mapping[str, str] = key(_strings(PRIVACY_FIELDS))
    accessibility: Mapping[str, str] = key(_strings(ACCESSIBILITY_FIELDS))
    empty_fields: tuple[str, ...] = field(default=())

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: ``/`` or ``/ilsh/``; prefixed to every internal link."""
        return urlsplit(self.base_url).path or "/"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with command-line overrides applied, validated like the file's values."""
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        if changes.get("base_url") is not None:
            problems: list[Problem] = []
            values["base_url"] = _check_base_url(changes["base_url"], "--base-url", None, problems)
            if problems:
                raise BuildError(problems)
        if changes.get("output_dir") is not None:
            values["output_dir"] = Path(changes["output_dir"]).resolve()
            problems = _check_output_dir(values, "--output", None)
            if problems:
                raise BuildError(problems)
        return Config(**values)


def _schema(keys: Mapping[str, Key]) -> dict[str, tuple[Any, Any]]:
    return {name: (_schema(k.kind) if isinstance(k.kind, dict) else k.kind, k.default) for name, k in keys.items()}


# config.yaml's keys, derived from Config's fields: (type, default) by key.
SCHEMA: dict[str, tuple[Any, Any]] = _schema({f.name: f.metadata["key"] for f in fields(Config) if "key" in f.metadata})
PATH_KEYS = tuple(f.name for f in fields(Config) if "key" in f.metadata and f.type == "Path")
SECTION_KEYS = tuple(name for name, (kind, _default) in SCHEMA.items() if isinstance(kind, dict))


def load_config(path: str | Path) -> Config:
    """Read, validate and return the config at ``path``; raise :class:`BuildError` listing every problem."""
    path = Path(path).resolve()
    shown = display_path(path, Path.cwd())
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BuildError([Problem("config_missing", shown)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError([Problem("file_unreadable", shown, None, {"detail": str(exc)})]) from None
    try:
        node, data = fast_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BuildError(
            [
                Problem(
                    "config_yaml",
                    shown,
                    mark.line + 1 if mark else None,
                    {"detail": yaml_detail(None, exc.problem or str(exc))},
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise BuildError([Problem("config_yaml", shown, None, {"detail": str(exc)})]) from None
    if not isinstance(data, dict):
        raise BuildError([Problem("config_not_mapping", shown, 1)])
    lines = _key_lines(node)
    problems: list[Problem] = []
    values = _validate(data, SCHEMA, "", lines, shown, problems)
    if not problems:
        problems = _check_folders(values, path.parent, lines, shown)
    if problems:
        raise BuildError(problems)
    return _make_config(values, path, shown, lines.get("output_dir"))


# libyaml (when PyYAML was built with it) parses in a fraction of the pure-Python time, which
# every build and every rebuild in ``serve`` paid; a text it refuses is parsed again by the
# pure-Python loader, whose messages (translated in sitegen.yaml_messages) editors see.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fast_yaml(text: str) -> tuple[Any, Any]:
    """(node tree, value) of a YAML text; a syntax error is raised as pure-Python PyYAML words it."""
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
        return node, (yaml.load(text, Loader=_FAST_LOADER) if node is not None else {})  # noqa: S506 - safe loader
    except yaml.YAMLError:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        return node, (yaml.safe_load(text) if node is not None else {})


def config_key_lines(path: Path) -> dict[str, int]:
    """Line of every key of the config file at ``path`` (``{}`` if it cannot be read now), for
    messages that name the key making an output (:mod:`sitegen.addresses`)."""
    try:
        node, _data = fast_yaml(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return _key_lines(node)


def config_notices(config: Config) -> list[Problem]:
    """Notices for every empty contact/legal field: what the site leaves out until it is filled in."""
    shown = display_path(config.source, Path.cwd())
    notices = []
    for key in config.empty_fields:
        notices.append(Problem("config_empty_field", shown, None, {"key": key, "what": key}, NOTICE))
    return notices


# --- validation helpers -------------------------------------------------------------


def _key_lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Map dotted key paths to their 1-based line in the YAML text."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines[key] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key + "."))
    return lines


def type_name(value_or_type: object, lang: str = "it") -> str:
    t = value_or_type if isinstance(value_or_type, type) else type(value_or_type)
    return TYPE_NAMES[lang].get(t, t.__name__)


def suggestion(name: str, allowed: Iterable[str], lang: str) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or an empty string."""
    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return render_message("fm_did_you_mean", lang, {"name": close[0]}) if close else ""


def _validate(
    data: dict[str, Any],
    schema: dict[str, tuple[Any, Any]],
    prefix: str,
    lines: dict[str, int],
    shown: str,
    problems: list[Problem],
) -> dict[str, Any]:
    lang = messages_language(data.get("messages_language") if not prefix else None)
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        line = lines.get(dotted)
        if key not in schema:
            problems.append(
                Problem(
                    "config_unknown_key",
                    shown,
                    line,
                    {
                        "key": dotted,
                        "suggestion": suggestion(str(key), schema, lang),
                        "allowed": ", ".join(sorted(schema)),
                    },
                )
            )
            continue
        expected, _default = schema[key]
        if isinstance(expected, dict):
            if value is None:
                value = {}
            if not isinstance(value, dict):
                problems.append(_wrong_type(dotted, dict, value, line, shown, lang))
                continue
            out[key] = _validate(value, expected, dotted + ".", lines, shown, problems)
        elif expected == "lang":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                problems.append(
                    Problem(
                        "config_wrong_type",
                        shown,
                        line,
                        {
                            "key": dotted,
                            "found": type_name(value, lang),
                            "expected": render_message("_type_per_language", lang, {}),
                        },
                    )
                )
                continue
            out[key] = dict(value)
        elif expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(_wrong_type(dotted, int, value, line, shown, lang))
        elif expected is str and value is None and _default == "":
            out[key] = ""
        elif expected is not int and not isinstance(value, expected):
            problems.append(_wrong_type(dotted, expected, value, line, shown, lang))
        else:
            out[key] = value
        if key in out:
            _check_texts(out[key], dotted, lines, shown, problems)
    for key, (expected, default) in schema.items():
        if key in out or any(p.params.get("key") == f"{prefix}{key}" for p in problems):
            continue
        if default is None and not isinstance(expected, dict):
            problems.append(Problem("config_missing_key", shown, None, {"key": f"{prefix}{key}"}))
        elif isinstance(expected, dict):
            out[key] = _validate({}, expected, f"{prefix}{key}.", lines, shown, problems)
        else:
            out[key] = default
    if not prefix and not problems:
        _check_values(out, lines, shown, problems, lang)
    return out


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
    values: dict[str, Any], lines: dict[str, int], shown: str, problems: list[Problem], lang: str
) -> None:
    values["base_url"] = _check_base_url(values["base_url"], "base_url", lines.get("base_url"), problems, shown)
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
    _check_contacts(values, lines, shown, problems)


def _check_contacts(values: dict[str, Any], lines: dict[str, int], shown: str, problems: list[Problem]) -> None:
    """An address or e-mail in a section is a complete one (or empty: left out of the pages)."""
    for section in SECTION_KEYS:
        for name, value in values[section].items():
            where = f"{section}.{name}"
            if not value:
                continue
            if name == "url":
                _check_base_url(value, where, lines.get(where), problems, shown)
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


def _check_base_url(url: str, key: str, line: int | None, problems: list[Problem], shown: str = "--base-url") -> str:
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


def _check_folders(values: dict[str, Any], root: Path, lines: dict[str, int], shown: str) -> list[Problem]:
    """The content folder must exist: without it the build made an empty site and replaced the published one."""
    folder = root / values["content_dir"]
    if folder.is_dir():
        return []
    return [
        Problem(
            "config_folder_missing",
            shown,
            lines.get("content_dir"),
            {"key": "content_dir", "path": display_path(folder, Path.cwd())},
        )
    ]


def _check_output_dir(values: dict[str, Any], shown: str, line: int | None) -> list[Problem]:
    """The output folder is emptied by every build: it must not hold or be any source."""
    output = Path(values["output_dir"]).resolve()
    problems = []
    for name in ("root", "content_dir", "templates_dir", "static_dir"):
        other = Path(values[name]).resolve()
        if output == other or other.is_relative_to(output) or (name != "root" and output.is_relative_to(other)):
            problems.append(Problem("config_output_unsafe", shown, line, {"output": str(output), "other": str(other)}))
            break  # one reason is enough: the output folder must move anyway
    return problems


def _make_config(values: dict[str, Any], path: Path, shown: str, output_line: int | None = None) -> Config:
    root = path.parent
    dirs = {key: (root / values[key]).resolve() for key in PATH_KEYS}
    empty = tuple(
        f"{section}.{name}" for section in SECTION_KEYS for name, value in values[section].items() if not value
    )
    merged = {**values, **dirs, "root": root}
    problems = _check_output_dir(merged, shown, output_line)
    if problems:
        raise BuildError(problems)
    frozen: dict[str, Any] = {
        k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in values.items() if k not in dirs
    }
    frozen["languages"] = tuple(values["languages"])
    return Config(root=root, source=path, **frozen, empty_fields=empty, **dirs)
