"""``build.py new``: create a news item (or page) with a complete, commented front matter.

Like ``hugo new``, a new file starts as a draft (``draft: true``) so that it can never be
published by mistake; the editor removes that line when the item is ready.  The file name
is the slug of the title (``"Perché l'IOM è qui"`` → ``perche-l-iom-e-qui.md``), an
existing file is never overwritten.

``--translation-of PATH`` creates the counterpart of ``PATH`` in the other language with
the same ``translation_key``.  When the original has no key yet, one is added to it (its
own slug), because a translation is only linked through that key; the command says so.
The translation keeps the original's publication date, so that ``check`` can tell later
whether the original was updated after it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from .config import Config
from .errors import BuildError, Problem, display_path
from .frontmatter import load_yaml, parse_when, split_front_matter, validate_meta
from .messages import messages_language
from .urls import slugify

_FRONT_MATTER = {
    "it": """---
# Titolo della {what}, tra virgolette (obbligatorio).
title: "{title}"
{date_block}# Una frase che riassume la {what}: compare negli elenchi, nei motori di ricerca e nei social.
description: ""
{tags_block}# Bozza: finché c'è "draft: true" la {what} NON viene pubblicata (si vede solo in anteprima
# con "python build.py serve"). Cancella questa riga quando la {what} è pronta.
draft: true
# Collega le traduzioni: la stessa chiave nella versione italiana e in quella inglese.
{key_line}
# Altri campi facoltativi:
# slug: indirizzo-diverso        # l'indirizzo della pagina, se non va bene quello del nome del file
# updated: 2026-12-01            # data dell'ultimo aggiornamento importante
# publish_at: 2026-12-01 09:00   # pubblicazione programmata (ora di Roma)
# expires_at: 2027-01-31         # da questa data la {what} viene tolta dal sito
# image: foto.jpg                # l'immagine dell'anteprima quando la {what} è condivisa
# image_alt: "Cosa mostra"       # obbligatorio con image: cosa mostra l'immagine
#
# Nel testo qui sotto (Markdown): un'immagine si inserisce con ![descrizione per chi non vede](foto.jpg)
# e un allegato con [Comunicato stampa](comunicato.pdf): metti i file accanto a questo
# o in content/media/. La guida completa è docs/guida-redazione.md.
---

Scrivi qui il testo.
""",
    "en": """---
# Title of the {what}, in quotes (required).
title: "{title}"
{date_block}# One sentence summing up the {what}: shown in listings, search engines and social media.
description: ""
{tags_block}# Draft: while "draft: true" is here the {what} is NOT published (it only shows in the preview
# with "python build.py serve"). Delete this line when the {what} is ready.
draft: true
# Links translations: the same key in the Italian and in the English version.
{key_line}
# Other optional fields:
# slug: another-address          # the page's address, if the one from the file name does not fit
# updated: 2026-12-01            # date of the last significant update
# publish_at: 2026-12-01 09:00   # scheduled publication (Rome time)
# expires_at: 2027-01-31         # from this date the {what} is removed from the site
# image: photo.jpg               # the picture of the preview when the {what} is shared
# image_alt: "What it shows"     # required with image: what the picture shows
#
# In the text below (Markdown): insert an image with ![description for blind readers](photo.jpg)
# and an attachment with [Press release](release.pdf): put the files next to this one
# or in content/media/. The full guide is docs/guida-redazione.md.
---

Write the text here.
""",
}
_DATE_BLOCK = {
    "it": "# Data di pubblicazione (AAAA-MM-GG, oppure AAAA-MM-GG HH:MM, ora di Roma). Una data futura\n"
    "# programma la pubblicazione: la notizia compare da sola quel giorno.\ndate: {date}\n",
    "en": "# Publication date (YYYY-MM-DD, or YYYY-MM-DD HH:MM, Rome time). A future date\n"
    "# schedules the item: it appears by itself on that day.\ndate: {date}\n",
}
_TAGS_BLOCK = {
    "it": "# Argomenti, come elenco tra parentesi quadre.\ntags: []\n",
    "en": "# Topics, as a list in square brackets.\ntags: []\n",
}
# tags: with a vocabulary (tags: in config.yaml) the comment lists the labels the item may use
_TAGS_VOCABULARY_BLOCK = {
    "it": "# Argomenti, come elenco tra parentesi quadre, scelti tra quelli definiti in config.yaml\n"
    "# (tags): {words}\ntags: []\n",
    "en": "# Topics, as a list in square brackets, chosen among those defined in config.yaml\n"
    "# (tags): {words}\ntags: []\n",
}
_WHAT = {"it": {"news": "notizia", "page": "pagina"}, "en": {"news": "news item", "page": "page"}}
_KEY_COMMENTED = {
    "it": "# translation_key: {key}   (togli il # quando c'è la traduzione: la crea build.py new --translation-of)",
    "en": "# translation_key: {key}   (remove the # once there is a translation: build.py new --translation-of makes it)",
}
_KEY_RE = re.compile(r"^#?\s*translation_key:.*$", re.MULTILINE)


@dataclass(frozen=True)
class Created:
    """What ``new`` did: the new file, and the original it touched (if any)."""

    path: Path
    original_updated: Path | None = None
    key: str | None = None  # the translation_key written to both, when the original got one


def new_item(
    config: Config,
    kind: str,
    title: str,
    lang: str | None = None,
    when: date | None = None,
    translation_of: Path | None = None,
    today: date | None = None,
) -> Created:
    """Write the new file and return where; raise :class:`BuildError` when it cannot."""
    msg_lang = messages_language(config.messages_language)
    slug = slugify(title)
    if not title.strip() or not slug:
        raise BuildError([Problem("new_bad_title", "new", None, {"title": title})])
    original = None
    if translation_of is not None:
        original = _read_original(config, Path(translation_of))
        if lang is None:
            lang = next((code for code in config.languages if code != original["lang"]), None)
        if lang == original["lang"] or lang is None:
            raise BuildError(
                [
                    Problem(
                        "new_same_language", display_path(translation_of, config.root), None, {"lang": original["lang"]}
                    )
                ]
            )
        if when is None and original["date"] is not None:
            when = original["date"]
    lang = lang or config.default_language
    if lang not in config.languages:
        raise BuildError(
            [Problem("fm_bad_language", "new", None, {"value": lang, "allowed": ", ".join(config.languages)})]
        )
    folder = config.content_dir / lang
    if kind == "news":
        folder = folder / config.news_dir[lang]
    path = folder / f"{slug}.md"
    if path.exists():
        raise BuildError([Problem("new_exists", display_path(path, config.root), None, {})])
    key = original["key"] if original else None
    when = when or today or datetime.now(config.zone).date()
    labels = config.tags.labels(lang)
    text = front_matter_text(msg_lang, kind, title, when, key or slug, key is not None, labels)
    original_updated = None
    if original is not None and original["key"] is None:
        key = original["slug"]
        text = front_matter_text(msg_lang, kind, title, when, key, True, labels)
        original_updated = _add_key(original["path"], original["text"], key)
    folder.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return Created(path, original_updated, key if original_updated is not None else None)


def front_matter_text(
    msg_lang: str, kind: str, title: str, when: date, key: str, key_active: bool, tags: Sequence[str] = ()
) -> str:
    """The new file's text: every field present or commented, with a word on what it does
    (``tags``: the labels of the vocabulary in the item's language, listed in the comment)."""
    what = _WHAT[msg_lang][kind]
    date_block = _DATE_BLOCK[msg_lang].format(date=when.isoformat()) if kind == "news" else ""
    tags_block = _TAGS_BLOCK[msg_lang] if kind == "news" else ""
    if kind == "news" and tags:
        tags_block = _TAGS_VOCABULARY_BLOCK[msg_lang].format(words=", ".join(tags))
    key_line = f"translation_key: {yaml_string(key)}" if key_active else _KEY_COMMENTED[msg_lang].format(key=key)
    text = _FRONT_MATTER[msg_lang].format(
        what=what, title=yaml_string(title)[1:-1], date_block=date_block, tags_block=tags_block, key_line=key_line
    )
    _check_written(text, {"title": title, "translation_key": key if key_active else None})
    return text


def yaml_string(text: str) -> str:
    """``text`` as one double-quoted YAML scalar, every control character escaped.

    A JSON string is a valid YAML double-quoted scalar; with its escapes a newline in a
    copied value stays inside the value and can never start another field.
    """
    return json.dumps(text, ensure_ascii=False)


def _check_written(text: str, expected: dict[str, str | None]) -> None:
    """Read the new front matter back: each copied value must come back exactly, as one field."""
    split, _problems = split_front_matter(text, "new")
    data, _problems = load_yaml(split.front_matter, "new") if split is not None else (None, [])
    if data is None or any(data.get(key) != value for key, value in expected.items()):
        raise AssertionError(f"new: the front matter written does not read back as {expected!r}")


def _read_original(config: Config, path: Path) -> dict[str, Any]:
    """The original's language, key, date and slug; a problem if it is not a valid content file."""
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    shown = display_path(path, config.root)
    try:
        rel = path.relative_to(config.content_dir.resolve()).as_posix()
    except ValueError:
        raise BuildError([Problem("new_original_missing", shown, None, {})]) from None
    first = PurePosixPath(rel).parts[0]
    if not path.is_file() or not rel.endswith(".md") or first not in config.languages:
        raise BuildError([Problem("new_original_missing", shown, None, {})])
    from .content import SourceFile, read_text  # late: content imports the Markdown library

    _raw, text, problems = read_text(SourceFile(path, shown, rel, first))
    if text is None:
        raise BuildError(problems)
    split, problems = split_front_matter(text, shown)
    if split is None:
        raise BuildError(problems)
    data, problems = load_yaml(split.front_matter, shown)
    if data is None:
        raise BuildError(problems)
    # Only a valid original is copied: its values (key, slug, date) passed every field check.
    meta, problems = validate_meta(
        data, split.front_matter, shown, config.zone, config.languages, messages_language(config.messages_language)
    )
    if meta is None:
        raise BuildError(problems)
    lang = data.get("lang") if isinstance(data.get("lang"), str) else first
    key = data.get("translation_key")
    when = parse_when(data.get("date"), config.zone) if data.get("date") is not None else None
    slug = data.get("slug") if isinstance(data.get("slug"), str) else slugify(path.stem)
    return {
        "path": path,
        "text": text,
        "lang": lang,
        "key": str(key) if key not in (None, "") else None,
        "date": when.date() if when else None,
        "slug": slug,
    }


def _add_key(path: Path, text: str, key: str) -> Path:
    """Give the original its ``translation_key``: uncomment the scaffold's line or add one."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    for index in range(1, end):
        if _KEY_RE.match(lines[index]):
            lines[index] = f"translation_key: {yaml_string(key)}"
            break
    else:
        lines.insert(end, f"translation_key: {yaml_string(key)}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
