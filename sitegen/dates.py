"""Days in words as Babel writes them ("27 ottobre 2025", "27 October 2025"), remembered between builds.

Importing ``babel.dates`` and reading a language's locale data for its first date took some
20 ms of a one-edit rebuild, for the one or two dates of the page it renders again.  The words
of a day depend only on the day, the format, the locale and Babel's own files, so the words of
every live document's dates are kept in ``.cache/dates.json``, under the identity of the Babel
installed (:func:`_babel_identity`).  The plan asks Babel only for the days that file does not
have (every day in the first build; then a new or moved item's), before anything is rendered:
the pages, the feeds and the forked render workers all find them here.  Stale only if Babel's
data could change while its ``__init__.py`` (which names its version) stays the same.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial

from .cache.codec import Invalid, decoder, encoder
from .cache.files import CacheFolder, load_checked, save_quietly
from .parallel import MIN_PARALLEL, in_child

DATES = "dates"
LONG = "long"  # the format the templates' ``date`` filter and the feeds use
# Babel locales for dates: never the machine's OS locale ("26 novembre 2026", "26 November 2026").
DATE_LOCALES = {"it": "it_IT", "en": "en_GB"}
_MAX_WORDS = 200  # a day in words is a few dozen characters: anything longer was not written by us

# "locale|format|ISO day" → words, for the life of the process (``serve`` keeps them between builds).
_words: dict[str, str] = {}


def date_locale(lang: str) -> str:
    return DATE_LOCALES.get(lang, lang)


def _key(day: date, fmt: str, locale: str) -> str:
    """A day's key in :data:`_words` and ``dates.json``: "locale|format|ISO day"."""
    return f"{locale}|{fmt}|{day.isoformat()}"


def date_words(day: date, fmt: str, locale: str) -> str:
    """``day`` in words, as :func:`babel.dates.format_date` writes it (asked only once per process)."""
    key = _key(day, fmt, locale)
    found = _words.get(key)
    if found is None:
        from babel.dates import format_date  # here: a build that words no new day never imports Babel

        found = _words[key] = format_date(day, format=fmt, locale=locale)
    return found


@dataclass(frozen=True)
class StoredWords:
    """The record in ``dates.json``: which Babel wrote the words, and the words by ``locale|format|day``."""

    babel: str
    words: dict[str, str]

    def check(self) -> StoredWords:
        for key, text in self.words.items():
            locale, _, rest = key.partition("|")
            fmt, _, day = rest.partition("|")
            if not locale or not fmt or "|" in day or len(text) > _MAX_WORDS:
                raise Invalid(f"not a day in words: {key[:80]!r}")
            try:
                date.fromisoformat(day)
            except ValueError:
                raise Invalid(f"not a day: {key[:80]!r}") from None
        return self


_decode = decoder(StoredWords)
_encode = encoder(StoredWords)


def remember_days(cache: CacheFolder | None, days: Iterable[tuple[date, str]]) -> None:
    """Make sure each of ``days`` ((day, language), in :data:`LONG` words) is known to :func:`date_words`:
    from this process, else from the cache's ``dates.json`` if this Babel wrote it, else from Babel;
    the file is written again when Babel was asked.  Without a cache folder, nothing is done (the
    words are made when asked, as before)."""
    if cache is None or cache.folder is None:
        return
    wanted: dict[str, tuple[date, str]] = {}  # "locale|format|day" → (day, locale)
    for day, lang in days:
        locale = date_locale(lang)
        wanted[_key(day, LONG, locale)] = (day, locale)
    if all(key in _words for key in wanted):
        return
    path = cache.folder / f"{DATES}.json"
    babel = _babel_identity()
    stored = load_checked(path, DATES, lambda value: _decode(value).check(), cache.notices)
    if stored is not None and stored.babel == babel:
        for key, text in stored.words.items():
            _words.setdefault(key, text)
    missing = [key for key in wanted if key not in _words]
    _word_all([wanted[key] for key in missing])
    if missing or stored is None or stored.babel != babel:
        words = {key: _words[key] for key in sorted(wanted)}
        save_quietly(path, DATES, _encode(StoredWords(babel, words)), cache.notices)


def _word_all(days: list[tuple[date, str]]) -> None:
    """Ask Babel for the words of ``days`` ((day, locale), in :data:`LONG` words).

    Many days (a first build) are worded in a short-lived child: Babel's modules and locale
    data (4.3 MiB) then never enter this process, nor the render workers forked from it,
    which find every word they need in :data:`_words` (issue 14: the peak memory).
    """
    if len(days) < MIN_PARALLEL:
        for day, locale in days:
            date_words(day, LONG, locale)
        return
    _words.update(in_child(partial(_worded, days)))


def _worded(days: list[tuple[date, str]]) -> dict[str, str]:
    """``days`` in words, by "locale|format|day" (as :data:`_words` keeps them)."""
    return {_key(day, LONG, locale): date_words(day, LONG, locale) for day, locale in days}


def _babel_identity() -> str:
    """The digest of Babel's ``__init__.py`` (it names Babel's version), read without importing Babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return ""
    with open(spec.origin, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()
