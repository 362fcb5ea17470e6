"""Which search shard a page belongs to, and the list of shards the search page merges.

The search index is split into shards, each a whole Pagefind bundle in its own folder of
``pagefind/``, so that an edit makes Pagefind read the pages of one shard instead of the
whole site (Pagefind has no incremental mode, takes about 2.5 ms a page and, as one
index, 1.7 GB at 10 000 pages):

* ``pages``: every indexed page that is not a news item (home, content pages), in every
  language.  It is the *primary* bundle: the search page loads Pagefind's script and
  WebAssembly from it.
* ``news-<lang>-<year>``: the news items of one language dated in one year (``news-it-2025``),
  by the date the item is sorted by; or, for a year of that language with more than
  :data:`SPLIT_ABOVE` items, ``news-<lang>-<year>q<quarter>``, one shard per quarter
  (``news-it-2025q3``).  The size adapts to the site: a real site has one news shard per
  language and year (a few pages: few requests at the first search, and scores from
  statistics close to one index's), the bench's 1 000 items 200 a year, its 10 000 items
  2 000 a year, split into quarters of 500 (an edit re-indexes 500 pages, not 2 000).

A page's *place* (:func:`place_of`: the primary, or its language and quarter) is a
function of its own bytes (whether it has a ``data-pagefind-body``, its
``data-pagefind-sort`` date, its ``<html lang>``), and its shard a function of its place
and of how many items its year holds in its language (:func:`group`): of the pages of
that year alone.  So shards are *stable*: an edit never moves a page of another year or
language, and a shard's content depends on its pages alone.  A news item whose date moves
to another year or quarter moves to that shard (both are indexed again); a year whose
count crosses :data:`SPLIT_ABOVE` (either way) moves all its pages once, from its year
shard to its quarter shards or back, and that year is indexed again.  Pages without
``data-pagefind-body`` (listings, tags, the search page, 404) are in no shard: Pagefind
leaves them out of an index that has such pages anyway.

``pagefind/shards.json`` (:func:`manifest`) lists the shards with their language and a
digest of their page list; the search page (``static/search.js``) reads it to merge the
shards of its language with Pagefind's ``mergeIndex`` (a news shard has one language, so
Pagefind never falls back to another language's index), newest first (a year and its
quarters never both exist, so the names sort by date); a build reads it to know which
shards of the previous index describe the same pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PRIMARY = "pages"
MANIFEST_FILE = "shards.json"
FORMAT = 2  # of the shards and of shards.json: a build of another format indexes every shard again
# Items of one language in one year above which the year is split into quarter shards.
# Pagefind takes about 2.5 ms and 0.2 MB a page: 500 pages are an edit's re-index of about
# 1.3 s and 0.1 GB, the size the 10 000-item bench needs to stay under 0.2x Hugo + Pagefind;
# below it a whole year is one shard, so a small site has few shards (each costs the first
# search 2-4 requests, and small shards score with statistics further from one index's).
# Tests lower it (a module constant, read at each call) to see a year cross it.
SPLIT_ABOVE = 500

_BODY = b"data-pagefind-body"
_SORT = b'data-pagefind-sort="'
_DATE = re.compile(rb"(?:^|,)\s*date:(\d{4})-(\d\d)")
_PAGE_LANG = re.compile(rb'<html\b[^>]*?\slang="([A-Za-z]+)')
_PLACE = re.compile(r"^(?:pages|news-[a-z]+-\d{4}q[1-4])$")  # what the cache's record holds
_NAME = re.compile(r"^(?:pages|news-[a-z]+-\d{4}(?:q[1-4])?)$")  # a shard's name


@dataclass(frozen=True)
class Shard:
    """One shard: its folder name, its language (``None``: every language, the primary) and its pages."""

    name: str
    lang: str | None
    pages: tuple[str, ...]  # relative paths of the HTML files, sorted

    @property
    def digest(self) -> str:
        """What the shard was made from, by page list (the pages' bytes are checked apart)."""
        return hashlib.sha256("\n".join(self.pages).encode()).hexdigest()[:16]


def place_of(html: bytes) -> str | None:
    """The place of a page from its bytes: :data:`PRIMARY`, or its language and quarter
    (``news-it-2025q3``); ``None`` for a page Pagefind does not index."""
    if not _in_a_tag(html, _BODY):
        return None
    date = _sort_date(html)
    if date is None:
        return PRIMARY
    lang = _PAGE_LANG.search(html)
    code = lang.group(1).decode("ascii").lower() if lang else "unknown"
    year, month = date
    return f"news-{code}-{year}q{(month - 1) // 3 + 1}"


def shards_of_place(place: str) -> set[str]:
    """The shards a page of ``place`` may be in: its quarter's or its year's (which one
    depends on the year's other pages), the primary for the primary."""
    return {PRIMARY} if place == PRIMARY else {place, _year(place)}


def _year(place: str) -> str:
    return place.rpartition("q")[0]  # news-it-2025q3 -> news-it-2025


def _sort_date(html: bytes) -> tuple[int, int] | None:
    """Year and month of the page's ``data-pagefind-sort`` date (the first such attribute in a tag)."""
    at = html.find(_SORT)
    while at != -1:
        start = at + len(_SORT)
        if _inside_tag(html, at):
            found = _DATE.search(html[start : html.find(b'"', start)])
            return (int(found.group(1)), int(found.group(2))) if found else None
        at = html.find(_SORT, start)
    return None


def _in_a_tag(html: bytes, attribute: bytes) -> bool:
    """``attribute`` occurs as an attribute (inside a tag), not only as text of the page.

    Text never holds a raw ``<`` or ``>`` (they are escaped), so an occurrence is inside a tag
    when the last ``<`` before it comes after the last ``>``.
    """
    at = html.find(attribute)
    while at != -1:
        if _inside_tag(html, at):
            return True
        at = html.find(attribute, at + 1)
    return False


def _inside_tag(html: bytes, at: int) -> bool:
    return html.rfind(b"<", 0, at) > html.rfind(b">", 0, at)


def assign(site: Path, skip: str) -> dict[str, str]:
    """Every indexed page of ``site`` (relative path) with its place; the top folder ``skip`` (the index) is not read."""
    found: dict[str, str] = {}
    for rel in html_pages(site, skip):
        with open(site / rel, "rb") as file:
            place = place_of(file.read())
        if place is not None:
            found[rel] = place
    return found


def html_pages(root: Path, skip: str) -> set[str]:
    """Every ``.html`` file below ``root`` (what Pagefind reads), by relative path."""
    found: set[str] = set()
    for folder, dirs, files in os.walk(root):
        if folder == str(root):
            dirs[:] = [d for d in dirs if d != skip]
        rel_folder = os.path.relpath(folder, root)
        found.update(os.path.normpath(os.path.join(rel_folder, name)) for name in files if name.endswith(".html"))
    return found


def group(placed: Mapping[str, str]) -> dict[str, Shard]:
    """The shards of pages placed by :func:`place_of` (``{relative path: place}``), by name.

    A news page is in its year's shard, or in its quarter's when its year holds more than
    :data:`SPLIT_ABOVE` items of its language: the choice for a year counts that year's
    pages only.
    """
    per_year = Counter(_year(place) for place in placed.values() if place != PRIMARY)
    members: dict[str, list[str]] = {}
    for rel, place in placed.items():
        name = place if place == PRIMARY or per_year[_year(place)] > SPLIT_ABOVE else _year(place)
        members.setdefault(name, []).append(rel)
    return {name: Shard(name, _lang(name), tuple(sorted(pages))) for name, pages in sorted(members.items())}


def _lang(name: str) -> str | None:
    return name.split("-")[1] if name.startswith("news-") else None


def manifest(shards: Iterable[Shard], version: str) -> bytes:
    """``shards.json``: the format, Pagefind's version and every shard (name, language, page digest), sorted."""
    listed = [{"name": s.name, "lang": s.lang, "pages": s.digest} for s in sorted(shards, key=lambda s: s.name)]
    data = {"format": FORMAT, "pagefind": version, "shards": listed}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_manifest(data: bytes, version: str) -> dict[str, str]:
    """The previous index's shards as ``{name: page digest}``; empty when it is of another
    format or Pagefind version, or not a manifest at all (then every shard is made again)."""
    try:
        found = json.loads(data)
        if found["format"] != FORMAT or found["pagefind"] != version:
            return {}
        shards = {str(s["name"]): str(s["pages"]) for s in found["shards"]}
    except (ValueError, TypeError, KeyError):
        return {}
    return {name: digest for name, digest in shards.items() if _NAME.match(name)}


# --- the record of each page's place (``.cache/search-shards-<output>.json``) ---
#
# Finding each page's place means reading every HTML file of the site (0.5-1 s at 10 000
# pages).  A build that knows what changed reads only the changed pages, and takes the
# places of the others from the record the last index left (places, not shards: a page's
# shard also depends on how many items its year holds, which :func:`group` counts again).
# The record names the index it describes by the SHA-256 of its ``shards.json`` (which
# lists each shard's page digest): a record of another index, damaged or foreign, is not
# used, and every page is read again.

RECORD_KIND = "search-shards"


def index_key(manifest_bytes: bytes) -> str:
    return hashlib.sha256(manifest_bytes).hexdigest()


def encode_record(key: str, placed: Mapping[str, str]) -> dict[str, object]:
    pages: dict[str, list[str]] = {}
    for rel, place in sorted(placed.items()):
        pages.setdefault(place, []).append(rel)
    return {"index": key, "pages": dict(sorted(pages.items()))}


def decode_record(value: object, key: str) -> dict[str, str] | None:
    """``{page: place}`` from a record of the index ``key``; ``None`` for any other value."""
    if not isinstance(value, dict) or value.get("index") != key or not isinstance(value.get("pages"), dict):
        return None
    placed: dict[str, str] = {}
    for place, pages in value["pages"].items():
        if not isinstance(place, str) or not _PLACE.match(place) or not isinstance(pages, list):
            return None
        for rel in pages:
            if not isinstance(rel, str):
                return None
            placed[rel] = place
    return placed
