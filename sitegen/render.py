"""Render HTML pages with Jinja2 (``StrictUndefined``, autoescape).

:func:`make_environment` is the one Jinja environment; :func:`render_job` turns one
:class:`sitegen.pages.PageJob` into bytes.  Template errors become problems that name the
template file and line.
"""

from __future__ import annotations

import os
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from . import template_cache
from .bodies import LazyBody
from .config import Config, fast_yaml
from .dates import DATE_LOCALES, date_locale, date_words
from .errors import BuildError, Problem
from .pages import PageJob

# PageJob lives in sitegen.pages now; still importable from here for the modules that render.
__all__ = ["DATE_LOCALES", "STRINGS_FILE", "PageJob", "load_strings", "make_environment", "render_job"]

STRINGS_FILE = "strings.yaml"


def make_environment(config: Config, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment: strict about undefined names, escaping by default.

    With ``bytecode_dir``, compiled templates are kept there, each used only when its tag
    verifies with the key outside the project (:mod:`sitegen.template_cache`): compiling them
    was a fifth of a one-edit rebuild.  Without a usable key they are compiled as before.
    """
    bytecode_cache = None if bytecode_dir is None else template_cache.bytecode_cache(bytecode_dir)
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(config.templates_dir)),
        bytecode_cache=bytecode_cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # (remembered between builds: a one-edit build need not import Babel, see sitegen.dates)
    env.filters["date"] = lambda value, lang, fmt="long": date_words(value.date(), fmt, date_locale(lang))
    env.filters["isodate"] = lambda value: value.isoformat()
    # the entries of a table of contents at one level (selectattr(0, "equalto", 2) took 0.1 ms a page)
    env.filters["at_level"] = lambda toc, level: [entry for entry in toc if entry[0] == level]
    return env


class _Environment(jinja2.Environment):
    """Jinja's environment, with ``x.name`` on a plain dict looked up in one step."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        """What Jinja answers, without its first try: ``getattr(obj, attribute)`` fails for a
        plain dict unless ``dict`` has that attribute (a method), and the exception it raises
        was most of the cost of ``{{ t.skip }}``, ``{{ item.url }}``: some 110 per page."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))  # what getattr finds on a plain dict (its instances have no others)


def load_strings(config: Config) -> dict[str, dict[str, str]]:
    """The interface strings of every language (``templates/strings.yaml``)."""
    path = config.templates_dir / STRINGS_FILE
    shown = os.path.relpath(path, config.root)
    try:
        data = _strings_of(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError([Problem("template_missing", shown, None, {"name": STRINGS_FILE})]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise BuildError(
            [Problem("config_yaml", shown, mark.line + 1 if mark else None, {"detail": exc.problem})]
        ) from None
    missing = [lang for lang in config.languages if not isinstance(data, dict) or not isinstance(data.get(lang), dict)]
    if missing:
        raise BuildError([Problem("config_missing_key", shown, None, {"key": ", ".join(missing)})])
    # a copy per build: the parsed text is shared between the builds of a session
    return {key: dict(value) if isinstance(value, dict) else value for key, value in data.items()}


@lru_cache(maxsize=4)
def _strings_of(text: str) -> Any:
    """The value of the strings file's text, parsed once per text (``serve`` reads the same
    text at every rebuild; parsing it was a tenth of the plan stage at 1 000 items)."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return fast_yaml(text)[1]  # raises the error as the pure-Python PyYAML words it


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def render_job(env: jinja2.Environment, job: PageJob, context: dict[str, Any] | None = None) -> bytes:
    """Render one page (with ``context``, or the job's own); template errors become a
    :class:`BuildError` naming template and line."""
    try:
        context = job.context if context is None else context
        if isinstance(context.get("body"), LazyBody):  # made now, only for the pages rendered again
            context = {**context, "body": context["body"].markup()}
        return env.get_template(job.template).render(context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        name = exc.filename or exc.name or job.template
        raise BuildError(
            [Problem("template_syntax", _shown_template(env, name), exc.lineno, {"detail": exc.message})]
        ) from None
    except jinja2.TemplateNotFound as exc:
        frame, line = _template_frame(exc, env)  # an {% include %} or {% extends %} names it
        raise BuildError(
            [Problem("template_missing", frame or _shown_template(env, job.template), line, {"name": exc.name})]
        ) from None
    except jinja2.UndefinedError as exc:
        frame, line = _template_frame(exc, env)
        raise BuildError(
            [
                Problem(
                    "template_undefined",
                    frame or _shown_template(env, job.template),
                    line,
                    {"detail": exc.message, "page": job.site_path},
                )
            ]
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        frame, line = _template_frame(exc, env)
        if frame is None:
            raise  # not a template's fault: let the traceback through
        raise BuildError(
            [Problem("template_error", frame, line, {"detail": f"{type(exc).__name__}: {exc}", "page": job.site_path})]
        ) from None


def _shown_template(env: jinja2.Environment, name: str) -> str:
    root = _templates_root(env)
    path = name if os.path.isabs(name) else os.path.join(root, name)
    return os.path.relpath(path)


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to them)."""
    root = os.path.abspath(_templates_root(env))
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.abspath(frame.filename).startswith(root + os.sep):
            found = (os.path.relpath(frame.filename), frame.lineno)
    return found


def _templates_root(env: jinja2.Environment) -> str:
    """The templates folder (:func:`make_environment` always loads from one folder)."""
    loader = env.loader
    if not isinstance(loader, jinja2.FileSystemLoader):
        raise TypeError("the environment does not load templates from a folder")
    return str(loader.searchpath[0])
