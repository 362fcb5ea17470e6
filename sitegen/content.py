"""Gather the content folder and turn each Markdown file into a :class:`Document`.

Layout: ``content/<lang>/...md`` are pages, ``content/<lang>/<news_dir>/...md`` are news
items, and the other files under ``content/`` of an allowed type (:mod:`sitegen.attachments`)
are assets copied to the same place in the output (``content/media/x.pdf`` →
``/media/x.pdf``, ``content/it/notizie/foto.jpg`` → ``/notizie/foto.jpg``,
``content/en/news/a.jpg`` → ``/en/news/a.jpg``).  A ``.md`` file outside the language
folders, a name no address can hold, a file of another type and anything but a regular
file are refused with a message, never skipped in silence.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Protocol

from .addresses import Claim, ownership_problems
from .attachments import attachment_problem
from .body_facts import MediaFacts, media_facts
from .config import Config
from .errors import WARNING, Problem
from .frontmatter import (
    Meta,
    first_invisible_control,
    key_lines,
    load_yaml,
    normalise_text,
    split_front_matter,
    validate_meta,
)
from .markdown_render import Converted, convert, source_line
from .messages import messages_language
from .sanitize import MAX_DEPTH, TooDeep
from .urls import language_prefix, slugify, unaddressable_char

# Python-Markdown needs ~2 s for 512 KiB of prose and ~11 s for 1 MiB (it grows faster
# than linearly): a bigger source is refused with a clear message rather than stalling.
MAX_SOURCE_BYTES = 1024 * 1024
IGNORED_NAMES = (".DS_Store", "Thumbs.db")


@dataclass(frozen=True)
class SourceFile:
    """A file under ``content/``: where it is, and where it goes."""

    path: Path  # absolute
    shown: str  # as printed in messages: relative to the project root
    rel: str  # posix path below content/: "it/notizie/x.md", "media/a.pdf"
    lang: str | None  # None for shared media


@dataclass(frozen=True)
class ParsedBody:
    """The heavy part of a document: its Markdown text and its converted HTML.

    At 10 000 items these are most of a build's memory, and only the pages rendered again
    (and the bodies whose links are resolved again) need them: a document from the build
    cache holds a :class:`sitegen.cache.packs.StoredBody` instead, which reads them on demand.
    """

    markdown: str
    converted: Converted

    def load(self, _doc: Document) -> ParsedBody:
        return self


class BodySource(Protocol):
    """Where a document's body is: in memory (:class:`ParsedBody`) or in the build cache."""

    def load(self, doc: Document, /) -> ParsedBody: ...


@dataclass(frozen=True)
class Document:
    """A parsed Markdown source: validated front matter, and its body in memory or in the cache.

    :meth:`load_body` reads the body where it is (see :class:`ParsedBody`), and so do
    ``markdown`` and ``converted``; everything else, the table of contents and what the plan
    asks of the body's media (``media``, see :mod:`sitegen.body_facts`) included, is always
    at hand for planning.
    """

    source: SourceFile
    meta: Meta
    lang: str
    kind: str  # "page", "home" or "news"
    url: str  # site path, e.g. "/notizie/iom-entra/"
    body_line: int
    digest: str  # hash of the raw file bytes
    toc: tuple[tuple[int, str, str], ...]  # the body's (level, id, text), as in Converted.toc
    media: MediaFacts  # of the converted body: its <img> and the file names its references name
    # A ParsedBody, or a sitegen.cache.packs.StoredBody; not compared: ``digest`` decides the body.
    parsed_body: BodySource = field(compare=False, repr=False)
    field_lines: tuple[tuple[str, int], ...] = ()  # (front-matter key, file line), for messages

    def load_body(self) -> ParsedBody:
        """The body: from memory, or read from the body store (a body missing there is parsed
        again from the source, which raises BuildError if the file changed since)."""
        return self.parsed_body.load(self)

    @property
    def markdown(self) -> str:
        return self.load_body().markdown

    @property
    def converted(self) -> Converted:
        return self.load_body().converted

    def line_of(self, *keys: str) -> int:
        """File line of the first of ``keys`` present in the front matter (1: the file's start)."""
        for key in keys:  # (a scan, not a dict per call: asked for 1 000 warnings at 1 000 items)
            for name, line in reversed(self.field_lines):  # the last of a repeated key, as a dict keeps it
                if name == key:
                    return line
        return 1


def gather_sources(config: Config) -> tuple[list[SourceFile], list[SourceFile], list[Problem]]:
    """Walk ``content/``: Markdown sources, other files (assets), and problems (e.g. escaping links)."""
    root = config.content_dir
    markdown_files: list[SourceFile] = []
    assets: list[SourceFile] = []
    problems: list[Problem] = []
    content_real = os.path.realpath(root)
    for folder, entries in _walk(str(root)):
        # Once per folder, not per file: at 10 000 items the per-file Path arithmetic added up.
        folder_path = Path(folder)
        folder_rel = folder_path.relative_to(root).as_posix()
        rel_prefix = "" if folder_rel == "." else folder_rel + "/"
        folder_shown = os.path.relpath(folder, config.root)
        for entry in entries:
            name = entry.name
            rel = rel_prefix + name
            shown = name if folder_shown == "." else os.path.join(folder_shown, name)
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not (real == content_real or real.startswith(content_real + os.sep)):
                    problems.append(Problem("file_symlink_outside", shown, None, {"target": os.readlink(entry.path)}))
                    continue
                if os.path.isdir(real):  # a linked folder is not walked (as os.walk did)
                    continue
            first = rel.split("/", 1)[0]
            lang = first if first in config.languages else None
            problem = _address_problem(rel, shown, name.endswith(".md"), lang, config)
            if problem is None and not entry.is_file():  # a FIFO would block the build that reads it
                problem = Problem("file_not_regular", shown, None, {})
            if problem is None and not name.endswith(".md"):
                problem = attachment_problem(entry.path, rel, shown)
            if problem is not None:
                problems.append(problem)
            elif name.endswith(".md"):
                markdown_files.append(SourceFile(folder_path / name, shown, rel, lang))
            else:
                assets.append(SourceFile(folder_path / name, shown, rel, lang))
    # content/it/media/a.pdf and content/media/a.pdf are both /media/a.pdf: one would be lost.
    problems += ownership_problems(
        Claim(asset_site_path(a.rel, config)[1:], a.shown, None, "claim_file") for a in assets
    )
    return markdown_files, assets, problems


def _walk(top: str) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """(folder, its files) below ``top``, sorted, hidden names and editors' backups left out.

    :func:`os.scandir` tells files from folders, FIFOs and links by the directory entry
    itself, without a system call per file.
    """
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    files: list[os.DirEntry[str]] = []
    folders: list[os.DirEntry[str]] = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name in IGNORED_NAMES or entry.name.endswith("~"):
            continue
        (folders if entry.is_dir(follow_symlinks=False) else files).append(entry)
    yield top, files
    for entry in folders:
        yield from _walk(entry.path)


def _address_problem(rel: str, shown: str, markdown: bool, lang: str | None, config: Config) -> Problem | None:
    """Why a file under content/ cannot be published at an address of its own, or ``None``."""
    bad = unaddressable_char(rel)
    if bad is not None:
        return Problem("path_unaddressable", shown, None, {"char": bad if bad.isprintable() else f"U+{ord(bad):04X}"})
    if not markdown:
        return None
    if lang is None:  # it was skipped in silence: a page the editor believed published
        return Problem("md_outside_language", shown, None, {"languages": ", ".join(config.languages)})
    folder = _folder_without_slug(rel.rpartition("/")[0])
    if folder is not None:
        return Problem("path_no_slug", shown, None, {"name": folder})
    return None


@lru_cache(maxsize=4096)
def _folder_without_slug(folder: str) -> str | None:
    """The first folder of ``folder`` (below its language folder) whose name gives no address.

    Asked once per folder, not once per file: a thousand news items share one folder."""
    return next((part for part in PurePosixPath(folder).parts[1:] if not slugify(part)), None)


def read_text(source: SourceFile) -> tuple[bytes | None, str | None, list[Problem]]:
    """The file's bytes and its text as UTF-8 with normalised line endings, or a problem."""
    try:
        # O_NONBLOCK: a FIFO put in place of the file after the walk is refused, not waited on.
        with open(source.path, "rb", opener=_open_nonblocking) as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None, None, [Problem("file_not_regular", source.shown, None, {})]
            if st.st_size > MAX_SOURCE_BYTES:
                size = f"{st.st_size / 1048576:.1f}"
                limit = MAX_SOURCE_BYTES // 1048576
                return None, None, [Problem("file_too_large", source.shown, None, {"size": size, "limit": limit})]
            raw = handle.read()
    except OSError as exc:
        return None, None, [Problem("file_unreadable", source.shown, None, {"detail": exc.strerror or str(exc)})]
    if b"\x00" in raw:
        return raw, None, [Problem("file_binary", source.shown, raw.count(b"\n", 0, raw.index(b"\x00")) + 1)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return raw, None, [Problem("file_not_utf8", source.shown, line, {"byte": f"0x{raw[exc.start]:02x}"})]
    text = normalise_text(text)
    bad = first_invisible_control(text)
    if bad is not None:
        return (
            raw,
            None,
            [
                Problem(
                    "file_control_char", source.shown, text.count("\n", 0, bad) + 1, {"char": f"U+{ord(text[bad]):04X}"}
                )
            ],
        )
    return raw, text, []


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def parse_document(source: SourceFile, config: Config) -> tuple[Document | None, list[Problem]]:
    """Read, split, validate and convert one Markdown source."""
    raw, text, problems = read_text(source)
    if raw is None or text is None:
        return None, problems
    split, problems = split_front_matter(text, source.shown)
    if split is None:
        return None, problems
    msg_lang = messages_language(config.messages_language)
    data, problems = load_yaml(split.front_matter, source.shown, msg_lang)
    if data is None:
        return None, problems
    meta, problems = validate_meta(data, split.front_matter, source.shown, config.zone, config.languages, msg_lang)
    if meta is None:
        return None, problems
    lang = meta.lang or source.lang or config.default_language  # gather_sources gives every .md a language
    kind, url = locate(source, meta, lang, config)
    if kind == "news" and meta.date is None:
        return None, problems + [Problem("fm_missing_date", source.shown, 1)]
    if not split.body.strip() and not meta.draft:
        return None, problems + [Problem("file_no_body", source.shown, split.body_line - 1)]
    digest = hashlib.sha1(raw).hexdigest()
    try:
        converted = convert(split.body, lang)
    except (RecursionError, TooDeep):
        return None, problems + [Problem("body_too_deep", source.shown, split.body_line, {"limit": MAX_DEPTH})]
    problems = problems + [
        Problem(
            "html_removed",
            source.shown,
            _removal_line(split.body, split.body_line, removal.needles),
            {"what": removal.what},
            WARNING,
        )
        for removal in converted.removed
    ]
    return Document(
        source,
        meta,
        lang,
        kind,
        url,
        split.body_line,
        digest,
        converted.toc,
        media_facts(converted.html),
        ParsedBody(split.body, converted),
        tuple(key_lines(split.front_matter).items()),
    ), problems


def _removal_line(body: str, body_line: int, needles: tuple[str, ...]) -> int:
    """The file line where the removed HTML was written (searched case-insensitively)."""
    lowered = body.lower()
    for needle in needles:
        if needle.lower() in lowered:
            return source_line(lowered, body_line, needle.lower())
    return body_line


def locate(source: SourceFile, meta: Meta, lang: str, config: Config) -> tuple[str, str]:
    """The kind of page a source is and its site path, from its place under ``content/<lang>/``."""
    parts = list(PurePosixPath(source.rel).parts[1:])
    stem = parts[-1][:-3]
    folders = [slugify(part) for part in parts[:-1]]  # gather_sources refused a folder without a slug
    kind = "news" if folders[:1] == [config.news_dir[lang]] else "page"
    if stem == "index" or stem == "_index":
        if not folders:
            kind = "home"
        leaf = None
    else:
        leaf = meta.slug or slugify(stem) or "pagina"
    if leaf is None and meta.slug:
        leaf = meta.slug
    if kind == "news" and leaf is None:
        kind = "page"
    prefix = language_prefix(lang, config.default_language)
    segments = [prefix.strip("/"), *folders, leaf or ""]
    return kind, "/" + "/".join(s for s in segments if s) + ("/" if any(segments) else "")


def asset_site_path(rel: str, config: Config) -> str:
    """Where a content file ``rel`` (below content/) is published: the default language's folder dropped."""
    parts = list(PurePosixPath(rel).parts)
    if parts and parts[0] == config.default_language:
        parts = parts[1:]
    return "/" + "/".join(parts)
