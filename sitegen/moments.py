"""A go-live moment as people read it: "5 dicembre 2026 alle 09:00", "5 December 2026 at 09:00".

Used by the problems of a scheduled item (:mod:`sitegen.unpublished`) and by the banner that
``serve`` shows on it, so that both name the moment the same way, in the site's time zone.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel.dates import format_date

from .messages import render_message
from .render import DATE_LOCALES


def moment_text(when: datetime, lang: str, zone: tzinfo) -> str:
    """``when`` in ``zone``, as "5 dicembre 2026 alle 09:00" (``lang`` it) or "5 December 2026 at 09:00"."""
    local = when.astimezone(zone)
    day = format_date(local.date(), format="long", locale=DATE_LOCALES.get(lang, lang))
    return render_message("moment_at", lang, {"day": day, "time": local.strftime("%H:%M")})
