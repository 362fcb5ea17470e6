"""The tag vocabulary (``tags:`` in ``config.yaml``): each tag defined once, in every language.

A tag has a key (``ricerca``) and, per language, the label shown to visitors and the slug
of its page (``ricerca``/``ricerca`` in Italian, ``research``/``research`` in English);
``former_slugs`` are addresses the tag's page had before a rename, which keep working as
redirect pages.  An item's ``tags:`` may name a tag by its key or by its label in the
item's language; :func:`resolve` says which tag a word names.

A site whose config has no ``tags:`` section has no vocabulary (:attr:`Vocabulary.defined`
is false): each tag is then its own word, its slug made from it, with no counterpart in the
other language (small test and benchmark sites use this).

:func:`read_vocabulary` checks the section like the rest of the config: unknown keys
refused with a "did you mean", every problem with its key and line, and a slug (current
or former) or label used twice in a language refused, since two tags would share a page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from .config_values import suggestion, type_name
from .errors import Problem
from .urls import slugify

TERM_KEYS = ("label", "slug", "former_slugs")


@dataclass(frozen=True)
class TagTerm:
    """A tag in one language: what visitors read, and the address of its page."""

    label: str
    slug: str
    former_slugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag:
    """A tag of the vocabulary: its key and its term in each language of the site."""

    key: str
    terms: tuple[tuple[str, TagTerm], ...]  # (language, term), in the config's language order

    def term(self, lang: str) -> TagTerm:
        return dict(self.terms)[lang]


@dataclass(frozen=True)
class Vocabulary:
    """Every tag of the site (see the module docstring); ``defined`` is false without ``tags:``."""

    tags: tuple[Tag, ...] = ()
    defined: bool = False

    @cached_property
    def _lookup(self) -> dict[tuple[str, str], Tag]:
        """(language, key or label) → tag: what an item in that language may write."""
        found: dict[tuple[str, str], Tag] = {}
        for tag in self.tags:
            for lang, term in tag.terms:
                found.setdefault((lang, term.label), tag)
                found.setdefault((lang, tag.key), tag)
        return found

    def by_key(self, key: str) -> Tag:
        return next(tag for tag in self.tags if tag.key == key)

    def find(self, text: str, lang: str) -> Tag | None:
        """The tag ``text`` names in an item in ``lang`` (its key or its label there), or None."""
        return self._lookup.get((lang, text))

    def labels(self, lang: str) -> list[str]:
        """The labels of ``lang``, in the vocabulary's order (``new`` lists them, errors too)."""
        return [tag.term(lang).label for tag in self.tags]

    def words(self, lang: str) -> list[str]:
        """What an item in ``lang`` may write, labels first (for "did you mean")."""
        labels = self.labels(lang)
        return labels + [tag.key for tag in self.tags if tag.key not in labels]


@dataclass(frozen=True)
class ItemTag:
    """A tag as one item shows it: the vocabulary's key (None without a vocabulary), label, slug."""

    key: str | None
    label: str
    slug: str


def resolve(vocabulary: Vocabulary, written: Sequence[str], lang: str) -> tuple[ItemTag, ...]:
    """The tags an item in ``lang`` names, once each, in its order; unknown words are left out
    (:func:`sitegen.tags_site.unknown_tags` reports them)."""
    found: dict[str, ItemTag] = {}
    for text in written:
        if not vocabulary.defined:
            slug = slugify(text) or "tag"
            found.setdefault(slug, ItemTag(None, text, slug))
            continue
        tag = vocabulary.find(text, lang)
        if tag is not None:
            term = tag.term(lang)
            found.setdefault(term.slug, ItemTag(tag.key, term.label, term.slug))
    return tuple(found.values())


# --- reading the config's section ------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """Where problems go: the config file's shown path and the line of every dotted key."""

    shown: str
    lines: Mapping[str, int]
    problems: list[Problem]

    def add(self, code: str, key: str, params: dict[str, object]) -> None:
        parent = key.rsplit(".", 1)[0]
        self.problems.append(Problem(code, self.shown, self.lines.get(key, self.lines.get(parent)), params))


def read_vocabulary(
    value: object, languages: object, lines: Mapping[str, int], shown: str, problems: list[Problem], lang: str
) -> Vocabulary:
    """The ``tags:`` section as a :class:`Vocabulary`; every problem appended to ``problems``."""
    where = _Where(shown, lines, problems)
    if value is None:
        return Vocabulary((), True)
    if not isinstance(value, dict):
        where.add(
            "config_wrong_type",
            "tags",
            {"key": "tags", "expected": type_name(dict, lang), "found": type_name(value, lang)},
        )
        return Vocabulary()
    if not isinstance(languages, list) or not all(isinstance(code, str) for code in languages):
        return Vocabulary()  # the languages key is reported by its own check
    tags = []
    for key, entry in value.items():
        dotted = f"tags.{key}"
        good_key = isinstance(key, str) and slugify(key) == key
        if not good_key:
            where.add("tags_bad_key", dotted, {"key": dotted, "value": key, "example": slugify(str(key)) or "ricerca"})
        terms = _read_entry(entry, dotted, languages, where, lang)  # checked even under a bad key
        if terms is not None and good_key:
            tags.append(Tag(str(key), terms))
    _refuse_duplicates(tags, where)
    return Vocabulary(tuple(tags), True)


def _read_entry(
    entry: object, dotted: str, languages: list[str], where: _Where, lang: str
) -> tuple[tuple[str, TagTerm], ...] | None:
    """One tag's terms, by language; None (with problems) when any is wrong or missing."""
    if not isinstance(entry, dict):
        where.add(
            "config_wrong_type",
            dotted,
            {"key": dotted, "expected": type_name(dict, lang), "found": type_name(entry, lang)},
        )
        return None
    ok = True
    for code in entry:
        if code not in languages:
            allowed = {"key": f"{dotted}.{code}", "suggestion": suggestion(str(code), languages, lang)}
            where.add("config_unknown_key", f"{dotted}.{code}", {**allowed, "allowed": ", ".join(languages)})
            ok = False
    terms = []
    for code in languages:
        if code not in entry:
            where.add("config_missing_key", dotted, {"key": f"{dotted}.{code}"})
            ok = False
            continue
        term = _read_term(entry[code], f"{dotted}.{code}", where, lang)
        ok = ok and term is not None
        if term is not None:
            terms.append((code, term))
    return tuple(terms) if ok else None


def _read_term(value: object, dotted: str, where: _Where, lang: str) -> TagTerm | None:
    """A tag's label, slug and former slugs in one language, or None (with problems)."""
    if not isinstance(value, dict):
        where.add(
            "config_wrong_type",
            dotted,
            {"key": dotted, "expected": type_name(dict, lang), "found": type_name(value, lang)},
        )
        return None
    problems_before = len(where.problems)
    for name in value:
        if name not in TERM_KEYS:
            params = {"key": f"{dotted}.{name}", "suggestion": suggestion(str(name), TERM_KEYS, lang)}
            where.add("config_unknown_key", f"{dotted}.{name}", {**params, "allowed": ", ".join(TERM_KEYS)})
    label, slug, former = value.get("label"), value.get("slug"), value.get("former_slugs", [])
    for name, found in (("label", label), ("slug", slug)):
        if found is None:
            where.add("config_missing_key", dotted, {"key": f"{dotted}.{name}"})
        elif not isinstance(found, str) or not found.strip() or any(unicodedata.category(c) == "Cc" for c in found):
            where.add("tags_bad_text", f"{dotted}.{name}", {"key": f"{dotted}.{name}", "found": type_name(found, lang)})
    if not isinstance(former, list) or not all(isinstance(s, str) for s in former):
        where.add(
            "config_wrong_type",
            f"{dotted}.former_slugs",
            {"key": f"{dotted}.former_slugs", "expected": type_name(list, lang), "found": type_name(former, lang)},
        )
        former = []
    for name, found in [("slug", slug), *(("former_slugs", s) for s in former)]:
        if isinstance(found, str) and found.strip() and slugify(found) != found:
            where.add(
                "tags_bad_slug",
                f"{dotted}.{name}",
                {"key": f"{dotted}.{name}", "value": found, "example": slugify(found) or "ricerca"},
            )
    if len(where.problems) > problems_before:
        return None
    assert isinstance(label, str) and isinstance(slug, str)  # checked above
    return TagTerm(label.strip(), slug, tuple(former))


def _refuse_duplicates(tags: list[Tag], where: _Where) -> None:
    """A slug (current or former) or a word (label or key) that two tags of a language share."""
    for code in dict.fromkeys(code for tag in tags for code, _term in tag.terms):
        slugs: dict[str, str] = {}
        words: dict[str, str] = {}
        for tag in tags:
            term = tag.term(code)
            for slug in (term.slug, *term.former_slugs):
                first = slugs.setdefault(slug, tag.key)
                if first != tag.key or (slug in term.former_slugs and slug == term.slug):
                    key = f"tags.{tag.key}.{code}.slug"
                    where.add("tags_duplicate_slug", key, {"key": key, "slug": slug, "other": f"tags.{first}"})
            for word in dict.fromkeys((term.label, tag.key)):
                first = words.setdefault(word.casefold(), tag.key)
                if first != tag.key:
                    key = f"tags.{tag.key}.{code}.label"
                    where.add("tags_duplicate_label", key, {"key": key, "label": word, "other": f"tags.{first}"})
