"""Every message the generator shows an editor, in Italian and in English.

Each entry says what is wrong and, after " — ", how to fix it.  The language is the
config's ``messages_language`` (Italian for this site), overridden by the environment
variable ``SITEGEN_LANG``.  Tests compare the exact wording, so change it here only.  The
entries live in modules by topic, :mod:`sitegen.messages_content` (what an editor writes),
:mod:`sitegen.messages_commands` (what the commands report) and :mod:`sitegen.messages_tags`
(the tag vocabulary and the items' tags); they share no key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .messages_commands import COMMANDS
from .messages_content import CONTENT
from .messages_tags import TAGS

LANGUAGES = ("it", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "_warning_prefix": {"it": "avviso: ", "en": "warning: "},
    "_notice_prefix": {"it": "nota: ", "en": "note: "},
    "_decimal_separator": {"it": ",", "en": "."},  # publish: file sizes in attachment labels (1,2 MB)
    **CONTENT,
    **COMMANDS,
    **TAGS,  # tags: the vocabulary and the items' tags (sitegen.messages_tags)
}


def messages_language(configured: str | None = None) -> str:
    """The language for messages: ``SITEGEN_LANG`` wins over the config, Italian by default."""
    env = os.environ.get("SITEGEN_LANG", "").strip().lower()[:2]
    if env in LANGUAGES:
        return env
    return configured if configured in LANGUAGES else "it"


class Localized(dict[str, str]):
    """A message parameter given in each language (e.g. a YAML error's own words)."""

    # dict declares __hash__ = None (unhashable); a frozen Problem needs its parameters hashable
    def __hash__(self) -> int:  # type: ignore[override]  # frozen problems compare their parameters by value
        return hash(tuple(sorted(self.items())))


def render_message(code: str, lang: str, params: Mapping[str, object]) -> str:
    """The text of message ``code`` in ``lang`` with ``params`` filled in."""
    entry = CATALOGUE[code]
    text = entry.get(lang, entry["en"])
    for value in params.values():  # (a loop, not a comprehension: a build may print a thousand warnings)
        if isinstance(value, Localized):
            return text.format_map(
                {key: v.get(lang, v.get("en")) if isinstance(v, Localized) else v for key, v in params.items()}
            )
    return text.format_map(params)
