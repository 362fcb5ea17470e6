"""The tags of the live news items, seen through the vocabulary (:mod:`sitegen.tags_vocab`).

Pure functions over documents and the config: which items each tag page lists, the tag's
page in the other languages (hreflang, sitemap, language switcher), the redirect pages of
former slugs, and the problems: a word that is no tag of the vocabulary (an error on the
line of that tag), a tag with items in one language only (a warning of ``check``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import Config
from .content import Document
from .errors import WARNING, Problem
from .tags_vocab import ItemTag, Vocabulary, resolve
from .urls import join, language_prefix


@dataclass(frozen=True)
class TagIndex:
    """The tags of the live news, by language: items, labels and vocabulary keys."""

    items: dict[str, dict[str, list[Document]]]  # lang → slug → news items, newest first
    labels: dict[tuple[str, str], str]  # (lang, slug) → label shown
    keys: dict[tuple[str, str], str]  # (lang, slug) → the vocabulary's key (none without a vocabulary)


def index_tags(news: Mapping[str, Sequence[Document]], vocabulary: Vocabulary) -> TagIndex:
    """Every live news item under each of its tags (unknown words left out: see :func:`unknown_tags`)."""
    index = TagIndex({lang: {} for lang in news}, {}, {})
    resolved: dict[tuple[tuple[str, ...], str], tuple[ItemTag, ...]] = {}  # many items write the same tags
    for lang, items in news.items():
        for doc in items:
            written = (doc.meta.tags, doc.lang)
            tags = resolved.get(written)
            if tags is None:
                tags = resolved[written] = item_tags(vocabulary, doc)
            for tag in tags:
                index.items[lang].setdefault(tag.slug, []).append(doc)
                index.labels.setdefault((lang, tag.slug), tag.label)
                if tag.key is not None:
                    index.keys[(lang, tag.slug)] = tag.key
    return index


def item_tags(vocabulary: Vocabulary, doc: Document) -> tuple[ItemTag, ...]:
    return resolve(vocabulary, doc.meta.tags, doc.lang)


def unknown_tags(documents: Sequence[Document], vocabulary: Vocabulary, msg_lang: str) -> list[Problem]:
    """An error for every tag an item writes that is neither a key nor a label in its language,
    on the tag's own line, with the closest word of the vocabulary."""
    from .config_values import suggestion

    if not vocabulary.defined:
        return []
    problems = []
    for doc in documents:
        for text in doc.meta.tags:
            if vocabulary.find(text, doc.lang) is None:
                words = vocabulary.words(doc.lang)  # "did you mean": a label or a key
                params: dict[str, object] = {
                    "tag": text,
                    "suggestion": suggestion(text, words, msg_lang),
                    "allowed": ", ".join(vocabulary.labels(doc.lang)),
                }
                problems.append(Problem("tag_unknown", doc.source.shown, doc.line_of(f"tags[{text}]", "tags"), params))
    return problems


def tags_root(config: Config, lang: str) -> str:
    return join(language_prefix(lang, config.default_language), config.tags_dir[lang])


def tag_alternates(
    config: Config, tags: Mapping[str, Mapping[str, object]], keys: Mapping[tuple[str, str], str], lang: str, slug: str
) -> list[tuple[str, str]]:
    """(language, site path) of the tag's page in every language that has items with it."""
    key = keys.get((lang, slug))
    if key is None:
        return [(lang, join(tags_root(config, lang), slug))]
    tag = config.tags.by_key(key)
    found = []
    for code in config.languages:
        other = tag.term(code).slug
        if other in tags.get(code, {}):
            found.append((code, join(tags_root(config, code), other)))
    return found


@dataclass(frozen=True)
class Redirect:
    """A former address of a tag's page, and where it leads now."""

    lang: str
    path: str  # the former address
    target: str  # the tag's page, or the language's tag index when no item has the tag
    key: str  # the tag's key in the vocabulary (for the claim on config.yaml)
    label: str


def tag_redirects(config: Config, tags: Mapping[str, Mapping[str, object]], lang: str) -> list[Redirect]:
    """The redirect pages of ``lang``: one per former slug of each tag."""
    root = tags_root(config, lang)
    found = []
    for tag in config.tags.tags:
        term = tag.term(lang)
        target = join(root, term.slug) if term.slug in tags.get(lang, {}) else root
        found += [Redirect(lang, join(root, old), target, tag.key, term.label) for old in term.former_slugs]
    return found


def one_language_tags(
    config: Config, tags: Mapping[str, Mapping[str, Sequence[Document]]], keys: Mapping[tuple[str, str], str]
) -> list[Problem]:
    """A warning for each tag of the vocabulary whose items are all in one language: its page has
    no counterpart, and the other language's switcher lands on the tag index."""
    problems = []
    for tag in config.tags.tags:
        present = [code for code in config.languages if tag.term(code).slug in tags.get(code, {})]
        if len(present) != 1:
            continue
        used = present[0]
        items = sorted(tags[used][tag.term(used).slug], key=lambda d: d.source.shown)
        first = items[0]
        missing = ", ".join(code for code in config.languages if code != used)
        label = tag.term(used).label
        params = {"tag": label, "used": used, "missing": missing, "count": len(items)}
        line = first.line_of(*(f"tags[{word}]" for word in (label, tag.key)), "tags")
        problems.append(Problem("tag_one_language", first.source.shown, line, params, WARNING))
    return problems


def switch_note(strings: Mapping[str, str], label: str) -> str:
    """What a language switcher link says when it leads to the tag index instead of the tag."""
    return strings["tag_switch_missing"].format(tag=label)
