"""``config.yaml``: read once, validated up front, every error reported by key and line.

Unknown keys are rejected (with a "did you mean"), like MkDocs' ``load_config``.  Paths
are resolved against the folder that holds the config file, so a config elsewhere (a
benchmark corpus, a test fixture) can still point at this project's templates.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import yaml

from .config_values import LANGUAGE_NAMES, check_base_url, check_folders, suggestion, type_name, validate_values
from .errors import NOTICE, BuildError, Problem, display_path
from .messages import messages_language
from .tags_vocab import Vocabulary, read_vocabulary

__all__ = ["LANGUAGE_NAMES", "Config", "fast_yaml", "load_config", "suggestion", "type_name"]

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
    # The tag vocabulary (sitegen.tags_vocab): read raw by config_values, checked by read_vocabulary
    tags: Vocabulary = key("tags", Vocabulary())
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
            values["base_url"] = check_base_url(changes["base_url"], "--base-url", None, problems)
            if problems:
                raise BuildError(problems)
        if changes.get("output_dir") is not None:
            values["output_dir"] = Path(changes["output_dir"]).resolve()
            problems = _check_output_dir(values, "--output", None)
            problems = problems or _check_cache_dir(values, "--output", None, None)
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
        from .yaml_messages import yaml_detail  # (only a config with a syntax error needs it)

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
    values = validate_values(data, SCHEMA, "", lines, shown, problems)
    if "tags" in data:  # needs the languages: checked once the rest is read
        lang = messages_language(data.get("messages_language"))
        values["tags"] = read_vocabulary(
            data["tags"], data.get("languages", SCHEMA["languages"][1]), lines, shown, problems, lang
        )
    if not problems:
        problems = check_folders(values, path.parent, lines, shown)
    if problems:
        raise BuildError(problems)
    return _make_config(values, path, shown, lines.get("output_dir"), lines.get("cache_dir"))


# libyaml (when PyYAML was built with it) parses in a fraction of the pure-Python time, which
# every build and every rebuild in ``serve`` paid; a text it refuses is parsed again by the
# pure-Python loader, whose messages (translated in sitegen.yaml_messages) editors see.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def fast_yaml(text: str) -> tuple[Any, Any]:
    """(node tree, value) of a YAML text; a syntax error is raised as pure-Python PyYAML words it.

    The value is built from the node tree the text was parsed into once (what ``yaml.load``
    does after parsing), not from a second parse of the text."""
    try:
        return _node_and_value(text, _FAST_LOADER)
    except yaml.YAMLError:
        return _node_and_value(text, yaml.SafeLoader)


def _node_and_value(text: str, loader_class: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> tuple[Any, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    finally:
        loader.dispose()


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


def _check_output_dir(values: dict[str, Any], shown: str, line: int | None) -> list[Problem]:
    """The output folder is emptied by every build: it must not hold or be any source.

    ``values``: the folders as resolved paths (as :func:`_make_config` and :class:`Config` hold them)."""
    output = Path(values["output_dir"])
    problems = []
    for name in ("root", "content_dir", "templates_dir", "static_dir"):
        other = Path(values[name])
        if output == other or other.is_relative_to(output) or (name != "root" and output.is_relative_to(other)):
            problems.append(Problem("config_output_unsafe", shown, line, {"output": str(output), "other": str(other)}))
            break  # one reason is enough: the output folder must move anyway
    return problems


# --- where the cache may be (pipeline, issue 15 §1) -----------------------------------
# The cache holds drafts' bodies and is pruned by the build: never published, never among
# the sources.  The output may not be inside it, except serve's own preview folders there
# (``preview``, and ``preview-<port>`` for a second preview moved off a busy port).
SERVE_PREVIEW = "preview"  # sitegen.serve.PREVIEW_FOLDER


def _is_serve_preview(output: Path, cache: Path) -> bool:
    """Whether ``output`` is one of serve's preview folders directly inside ``cache``."""
    name = output.name
    suffix = name.removeprefix(f"{SERVE_PREVIEW}-")
    return output.parent == cache and (name == SERVE_PREVIEW or (suffix != name and suffix.isdigit()))


def _check_cache_dir(
    values: dict[str, Any], shown: str, cache_line: int | None, output_line: int | None
) -> list[Problem]:
    """The cache must not be or hold a source or the output (see above); ``values`` as :func:`_check_output_dir`'s."""
    cache = Path(values["cache_dir"])
    output = Path(values["output_dir"])
    if output.is_relative_to(cache) and not _is_serve_preview(output, cache):
        return [Problem("config_output_in_cache", shown, output_line, {"output": str(output), "cache": str(cache)})]
    for name in ("content_dir", "templates_dir", "static_dir", "output_dir"):
        other = Path(values[name])
        inside = other.is_relative_to(cache) and name != "output_dir"  # (the output: checked above)
        if cache == other or cache.is_relative_to(other) or inside:
            return [Problem("config_cache_unsafe", shown, cache_line, {"cache": str(cache), "other": str(other)})]
    return []


def _make_config(
    values: dict[str, Any], path: Path, shown: str, output_line: int | None = None, cache_line: int | None = None
) -> Config:
    root = path.parent
    dirs = {key: (root / values[key]).resolve() for key in PATH_KEYS}
    empty = tuple(
        f"{section}.{name}" for section in SECTION_KEYS for name, value in values[section].items() if not value
    )
    merged = {**values, **dirs, "root": root}
    problems = _check_output_dir(merged, shown, output_line)
    problems = problems or _check_cache_dir(merged, shown, cache_line, output_line)
    if problems:
        raise BuildError(problems)
    frozen: dict[str, Any] = {
        k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in values.items() if k not in dirs
    }
    frozen["languages"] = tuple(values["languages"])
    return Config(root=root, source=path, **frozen, empty_fields=empty, **dirs)
