"""A go-live moment as people read it: "5 dicembre 2026 alle 09:00", "5 December 2026 at 09:00".

Used by the problems of a scheduled item (:mod:`sitegen.unpublished`) and by the banner that
``serve`` shows on it, so that both name the moment the same way, in the site's time zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from .content import Document
from .dates import LONG, date_locale, date_words
from .messages import render_message
from .site import Site


def moment_text(when: datetime, lang: str, zone: tzinfo) -> str:
    """``when`` in ``zone``, as "5 dicembre 2026 alle 09:00" (``lang`` it) or "5 December 2026 at 09:00"."""
    local = when.astimezone(zone)
    day = date_words(local.date(), LONG, date_locale(lang))
    return render_message("moment_at", lang, {"day": day, "time": local.strftime("%H:%M")})


def scheduled_banner(site: Site, doc: Document | None, t: dict[str, str], lang: str) -> str | None:
    """The banner of a scheduled item shown before its time (``serve``), else ``None``."""
    when = site.previewed.get(doc.source.rel) if doc is not None else None
    if when is None:
        return None
    return t["scheduled_banner"].format(when=moment_text(when, lang, site.config.zone))
