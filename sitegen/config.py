"""``config.yaml``: read once, validated up front, every error reported by key and line.

Unknown keys are rejected (with a "did you mean"), like MkDocs' ``load_config``.  Paths
are resolved against the folder that holds the config file, so a config elsewhere (a
benchmark corpus, a test fixture) can still point at this project's templates.
"""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import NOTICE, BuildError, Problem, display_path
from .messages import LANGUAGES as MESSAGE_LANGUAGES
from .yaml_messages import yaml_detail

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}

# Contact and legal details the press release does not give: empty until someone who
# knows them fills them in.  ``check`` lists the empty ones; pages leave them out.
ORGANIZATION_FIELDS = ("name", "short_name", "url", "legal_name", "address", "vat_number", "email", "pec", "phone")
PRIVACY_FIELDS = ("controller", "controller_contact", "dpo_contact")
ACCESSIBILITY_FIELDS = ("feedback_contact",)
NETWORK_FIELDS = ("name", "url")


def _strings(fields):
    return {name: (str, "") for name in fields}


# key: (type, default).  A dict type is a nested section with its own keys; ``"lang"`` is
# a mapping from language code to string.
SCHEMA: dict[str, tuple[Any, Any]] = {
    "base_url": (str, None),
    "site_name": ("lang", None),
    "languages": (list, ["it", "en"]),
    "timezone": (str, "Europe/Rome"),
    "paginate": (int, 10),
    "home_news": (int, 3),
    "messages_language": (str, "it"),
    "content_dir": (str, "content"),
    "templates_dir": (str, "templates"),
    "static_dir": (str, "static"),
    "output_dir": (str, "public"),
    "cache_dir": (str, ".cache"),
    "news_dir": ("lang", {"it": "notizie", "en": "news"}),
    "tags_dir": ("lang", {"it": "tag", "en": "tags"}),
    "search_dir": ("lang", {"it": "cerca", "en": "search"}),
    "search": (bool, True),
    "organization": (_strings(ORGANIZATION_FIELDS), None),
    "network": (_strings(NETWORK_FIELDS), None),
    "privacy": (_strings(PRIVACY_FIELDS), None),
    "accessibility": (_strings(ACCESSIBILITY_FIELDS), None),
}

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
    base_url: str
    site_name: Mapping[str, str]
    languages: tuple[str, ...]
    timezone: str
    paginate: int
    home_news: int
    messages_language: str
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    output_dir: Path
    cache_dir: Path
    news_dir: Mapping[str, str]
    tags_dir: Mapping[str, str]
    search_dir: Mapping[str, str]
    search: bool  # False: no search index, search pages or search box (a site that needs none)
    organization: Mapping[str, str]
    network: Mapping[str, str]
    privacy: Mapping[str, str]
    accessibility: Mapping[str, str]
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

    def with_overrides(self, **changes) -> Config:
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
            problems = problems or _check_cache_dir(values, "--output", None, None)
            if problems:
                raise BuildError(problems)
        return Config(**values)


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
    if problems:
        raise BuildError(problems)
    return _make_config(values, path, shown, lines.get("output_dir"), lines.get("cache_dir"))


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


def config_notices(config: Config) -> list[Problem]:
    """Notices for every empty contact/legal field: what the site leaves out until it is filled in."""
    shown = display_path(config.source, Path.cwd())
    notices = []
    for key in config.empty_fields:
        notices.append(Problem("config_empty_field", shown, None, {"key": key, "what": key}, NOTICE))
    return notices


# --- validation helpers -------------------------------------------------------------


def _key_lines(node, prefix: str = "") -> dict[str, int]:
    """Map dotted key paths to their 1-based line in the YAML text."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            lines[key] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key + "."))
    return lines


def type_name(value_or_type, lang: str = "it") -> str:
    t = value_or_type if isinstance(value_or_type, type) else type(value_or_type)
    return TYPE_NAMES[lang].get(t, t.__name__)


def suggestion(name: str, allowed, lang: str) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or an empty string."""
    from .messages import render_message

    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return render_message("fm_did_you_mean", lang, {"name": close[0]}) if close else ""


def _validate(data: dict, schema: dict, prefix: str, lines: dict, shown: str, problems: list) -> dict:
    from .messages import messages_language

    lang = messages_language(data.get("messages_language") if not prefix else None)
    out = {}
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
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                problems.append(
                    Problem(
                        "config_wrong_type",
                        shown,
                        line,
                        {
                            "key": dotted,
                            "found": type_name(value, lang),
                            "expected": "un testo per lingua (it: ..., en: ...)"
                            if lang == "it"
                            else "a text per language (it: ..., en: ...)",
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


def _wrong_type(key, expected, value, line, shown, lang) -> Problem:
    return Problem(
        "config_wrong_type",
        shown,
        line,
        {"key": key, "expected": type_name(expected, lang), "found": type_name(value, lang)},
    )


def _check_values(values: dict, lines: dict, shown: str, problems: list, lang: str) -> None:
    values["base_url"] = _check_base_url(values["base_url"], "base_url", lines.get("base_url"), problems, shown)
    languages = values["languages"]
    if (
        not languages
        or not all(lang_code in LANGUAGE_NAMES for lang_code in languages)
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
    for key in ("site_name", "news_dir", "tags_dir", "search_dir"):
        missing = [code for code in languages if not values[key].get(code)]
        if missing:
            problems.append(
                Problem("config_bad_value", shown, lines.get(key), {"key": key, "detail": ", ".join(missing) + " ?"})
            )
        for code, segment in values[key].items():
            if key != "site_name" and (not segment or "/" in segment or segment.startswith(".")):
                problems.append(
                    Problem(
                        "config_bad_value",
                        shown,
                        lines.get(f"{key}.{code}"),
                        {"key": f"{key}.{code}", "detail": repr(segment)},
                    )
                )


def _check_base_url(url: str, key: str, line, problems: list, shown: str = "--base-url") -> str:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        problems.append(Problem("config_base_url", shown, line, {"key": key, "value": url}))
        return url
    return url if url.endswith("/") else url + "/"


def _check_output_dir(values: dict, shown: str, line) -> list[Problem]:
    """The output folder is emptied by every build: it must not hold or be any source."""
    output = Path(values["output_dir"]).resolve()
    problems = []
    for name in ("root", "content_dir", "templates_dir", "static_dir"):
        other = Path(values[name]).resolve()
        if output == other or other.is_relative_to(output) or (name != "root" and output.is_relative_to(other)):
            problems.append(Problem("config_output_unsafe", shown, line, {"output": str(output), "other": str(other)}))
            break  # one reason is enough: the output folder must move anyway
    return problems


# --- where the cache may be (pipeline, issue 15 §1) -----------------------------------
# The cache holds drafts' bodies and is pruned by the build: never published, never among
# the sources.  The output may not be inside it, except serve's own preview folder there.
SERVE_PREVIEW = "preview"  # sitegen.serve.PREVIEW_FOLDER


def _check_cache_dir(values: dict, shown: str, cache_line: int | None, output_line: int | None) -> list[Problem]:
    cache = Path(values["cache_dir"]).resolve()
    output = Path(values["output_dir"]).resolve()
    if output.is_relative_to(cache) and output != cache / SERVE_PREVIEW:
        return [Problem("config_output_in_cache", shown, output_line, {"output": str(output), "cache": str(cache)})]
    for name in ("content_dir", "templates_dir", "static_dir", "output_dir"):
        other = Path(values[name]).resolve()
        inside = other.is_relative_to(cache) and name != "output_dir"  # (the output: checked above)
        if cache == other or cache.is_relative_to(other) or inside:
            return [Problem("config_cache_unsafe", shown, cache_line, {"cache": str(cache), "other": str(other)})]
    return []


def _make_config(
    values: dict, path: Path, shown: str, output_line: int | None = None, cache_line: int | None = None
) -> Config:
    root = path.parent
    dirs = {
        key: (root / values[key]).resolve()
        for key in ("content_dir", "templates_dir", "static_dir", "output_dir", "cache_dir")
    }
    empty = tuple(
        f"{section}.{name}"
        for section in ("organization", "network", "privacy", "accessibility")
        for name, value in values[section].items()
        if not value
    )
    merged = {**values, **dirs, "root": root}
    problems = _check_output_dir(merged, shown, output_line)
    problems = problems or _check_cache_dir(merged, shown, cache_line, output_line)
    if problems:
        raise BuildError(problems)
    frozen = {k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in values.items()}
    return Config(
        root=root,
        source=path,
        **{
            k: frozen[k]
            for k in (
                "base_url",
                "site_name",
                "timezone",
                "paginate",
                "home_news",
                "messages_language",
                "news_dir",
                "tags_dir",
                "search_dir",
                "search",
                "organization",
                "network",
                "privacy",
                "accessibility",
            )
        },
        languages=tuple(values["languages"]),
        empty_fields=empty,
        **dirs,
    )
