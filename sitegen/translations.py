"""The translations report of ``check``: what is missing, and what is older than its original.

The original of a page is its version in the site's first language (Italian); when a
translation key exists only in another language, that version is the original.  A
translation is "to update" when its ``updated`` (or ``date``) is earlier than the
original's ``updated`` (or ``date``): the editor changed the original after translating.
The line says which field of each version says when, with as much of the time as it takes
to tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from .content import Document
from .messages import render_message
from .site import Site

MISSING, OUTDATED = "missing", "outdated"


@dataclass(frozen=True)
class TranslationRow:
    original: str  # shown path of the original
    lang: str  # the language of the (missing or outdated) translation
    translation: str | None  # shown path of the translation, None when missing
    status: str  # MISSING or OUTDATED
    original_date: datetime | None = None
    translation_date: datetime | None = None
    original_field: str = "date"  # the front-matter field the date comes from: updated, else date
    translation_field: str = "date"


def _last_change(doc: Document) -> datetime | None:
    return doc.meta.updated or doc.meta.date


def translation_rows(site: Site) -> list[TranslationRow]:
    """Every missing or outdated translation among the documents of ``site``, sorted by original."""
    languages = site.config.languages
    rows: list[TranslationRow] = []
    for doc in site.documents:
        versions = site.counterparts(doc)
        original = next(versions[code] for code in languages if code in versions)
        if original is not doc:
            continue
        for code in languages:
            if code == doc.lang:
                continue
            other = versions.get(code)
            if other is None:
                rows.append(TranslationRow(doc.source.shown, code, None, MISSING))
                continue
            ours, theirs = _last_change(doc), _last_change(other)
            if ours is not None and theirs is not None and theirs < ours:
                fields = _field(doc.meta.updated), _field(other.meta.updated)
                rows.append(TranslationRow(doc.source.shown, code, other.source.shown, OUTDATED, ours, theirs, *fields))
    return sorted(rows, key=lambda r: (r.original, r.lang))


def distinct_moments(first: datetime, second: datetime) -> tuple[str, str]:
    """The two moments as the shortest text that tells them apart: the day, else the minute, else the second.

    An original edited at 18:00 on the day it was translated must not read "original of
    2026-11-20, translation of 2026-11-20".
    """
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        shown = first.strftime(pattern), second.strftime(pattern)
        if shown[0] != shown[1]:
            return shown
    return first.isoformat(), second.isoformat()


def _field(doc_updated: datetime | None) -> str:
    return "updated" if doc_updated is not None else "date"


def outdated_text(row: TranslationRow, zone: tzinfo | None, lang: str) -> str:
    """Why ``row``'s translation is to update: which field of which version says what, never one date twice."""
    assert row.original_date is not None and row.translation_date is not None  # OUTDATED rows carry both
    original, translation = distinct_moments(row.original_date.astimezone(zone), row.translation_date.astimezone(zone))
    return render_message(
        "translations_outdated_since",
        lang,
        {
            "original": original,
            "original_field": row.original_field,
            "translation": translation,
            "translation_field": row.translation_field,
        },
    )


def translations_table(rows: list[TranslationRow], lang: str) -> str:
    """The report as an aligned text table, in the editor's language."""
    if not rows:
        return render_message("translations_complete", lang, {})
    zone: tzinfo | None = None
    header = render_message("translations_columns", lang, {}).split("|")
    body = []
    for row in rows:
        if row.status == MISSING:
            status = render_message("translations_missing", lang, {})
        else:
            zone = zone or (row.original_date.tzinfo if row.original_date else None)
            status = outdated_text(row, zone, lang)
        body.append([row.original, row.lang, row.translation or "—", status])
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(3)]
    lines = [render_message("translations_heading", lang, {"count": len(rows)})]
    for line in [header, *body]:
        lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:3])) + "  " + line[3])
    return "\n".join(line.rstrip() for line in lines)
