"""What each output page is built from, and the manifest of the last build.

A page's *page digest* is the digest of exactly what its template sees: the page's context
(every value, recursively: titles, dates, neighbours, listing members, tags, menu,
translations, the resolved body...), its template name and site path, plus the *site
digest*: the generator's code, the parse digest, every config value, every template file
(and the UI strings), the fingerprinted asset URLs and the drafts flag.  Documents in a
context count by their identity (the digest of their source bytes, their place and
address: their front matter is derived from those bytes and the parse digest).  A page
whose page digest is the one in the manifest renders to the same bytes, so it is not
rendered again; anything else is.  A value of a type the encoder does not know is an
error, so a new context value cannot silently escape the page digest (functions and the
config are the exception: every value they read is in the site digest).

The manifest (``.cache/manifest-<output digest>.json``) is checked when read: its paths
are relative files of the output folder (it names files the next build links from the old
site and removes from the spare), its digests are digests.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from types import FunctionType, MappingProxyType, MethodType
from typing import TYPE_CHECKING, Any

from .cache import checks
from .cache.codec import NOT_STORED, Invalid, decoder, encoder
from .cache.digests import config_digest, output_digest
from .cache.files import Notices, load_checked, save_quietly
from .config import Config
from .errors import Problem
from .progress import BuildSummary

if TYPE_CHECKING:
    from .bodies import LazyBody
    from .content import Document
    from .pages import PageJob
    from .site import Site

MANIFEST = "manifest"


@dataclass(frozen=True)
class PageRecord:
    digest: str  # the page digest (see the module docstring)
    size: int
    mtime_ns: int
    ids: frozenset[str] | None  # ids of the page, read only when a link points into it
    depends_digest: str | None = None  # see page_depends_digest; None: the page digest must be made
    ino: int = 0  # the file's inode as written (0: unknown): see sitegen.output.link_unchanged


@dataclass(frozen=True)
class Manifest:
    """The output folder as the last successful build left it."""

    output_ino: int = -1
    pages: dict[str, PageRecord] = field(default_factory=dict)
    valid_until: datetime | None = None  # next go-live or expiry: the site changes by itself then
    files: frozenset[str] = frozenset()  # every file of the output folder (pages and the others)
    # The spare folder (the site before this one, see sitegen.output.begin_staging): its
    # identity (inode, ctime) and its files; None when there is none to trust.
    spare_id: tuple[int, int] | None = None
    spare_files: frozenset[str] = frozenset()
    # The build's summary and warnings, handed to the fast path's record, which stores and
    # replays them (sitegen.fastpath.save_record).  Not in the manifest's file: no build reads
    # them back from there (decoding a thousand warnings was 2 ms of each one-edit build).
    summary: BuildSummary | None = field(default=None, compare=False, metadata=NOT_STORED)
    warnings: tuple[Problem, ...] = field(default=(), compare=False, metadata=NOT_STORED)

    def check(self) -> Manifest:
        """The manifest, if its paths stay in the output folder and its values are in range."""
        checks.relative_files(self.pages.keys() | self.files | self.spare_files)
        records = self.pages.values()
        checks.digests([record.digest for record in records])
        checks.digests([record.depends_digest for record in records if record.depends_digest is not None])
        checks.natural(min((record.size for record in records), default=0))
        checks.problems(self.warnings)
        return self


_decode_manifest = decoder(Manifest)
_encode_manifest = encoder(Manifest)


def manifest_path(config: Config) -> Path:
    """One manifest per output folder (``--output`` may differ between runs)."""
    return config.cache_dir / f"manifest-{output_digest(config)}.json"


def load_manifest(config: Config, notices: Notices | None = None) -> Manifest:
    """The manifest, if it describes the output folder that is there now; else an empty one."""
    path = manifest_path(config)
    loaded: Manifest | None = load_checked(path, MANIFEST, lambda value: _decode_manifest(value).check(), notices)
    if loaded is None:
        return Manifest()
    try:
        ino = os.stat(config.output_dir).st_ino
    except OSError:
        return Manifest()
    return loaded if ino == loaded.output_ino else Manifest()


def save_manifest(config: Config, manifest: Manifest, notices: Notices | None = None) -> None:
    try:
        data = _encode_manifest(manifest)
    except Invalid:
        return  # a value the cache cannot hold: the next build makes every page again
    save_quietly(manifest_path(config), MANIFEST, data, notices)


def site_digest(config: Config, parse_digest: str, asset_urls: dict[str, str], drafts: bool) -> str:
    """Digest of everything every page depends on besides its own context."""
    digest = hashlib.sha256(parse_digest.encode())
    digest.update(config_digest(config, frozenset({"output_dir", "cache_dir"})).encode())
    for folder, dirs, files in os.walk(config.templates_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, config.templates_dir).encode() + b"\0")
            with open(path, "rb") as handle:
                digest.update(handle.read() + b"\0")
    digest.update(repr(sorted(asset_urls.items())).encode())
    digest.update(b"drafts" if drafts else b"live")
    return digest.hexdigest()


class _Volatile:
    def __repr__(self) -> str:
        return "VOLATILE"


VOLATILE = _Volatile()  # in a page's ``depends``: make its values at every build


def shell_digest(site: Site) -> str:
    """Digest of what every page of a language shows besides its own values and the site digest:
    the documents in the language's menu and footer (their titles and addresses)."""
    parts: list[str] = []
    for lang in site.config.languages:
        parts.append(f"lang {lang}")
        parts += [document_identity(doc) for doc in site.menus[lang]]
        parts.append("footer")
        parts += [document_identity(doc) for doc in site.footers[lang]]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def document_identity(doc: Document) -> str:
    """A document as a page digest sees it: its values all derive from its bytes (``digest``, with
    the parse digest in the site digest), its place and its address."""
    return f"D{doc.digest}|{doc.source.rel}|{doc.url}|{doc.kind}|{doc.lang}"


def page_depends_digest(job: PageJob, digest: str, identities: dict[int, str] | None = None) -> str | None:
    """Digest of what a page's values are made from (``job.depends``, see :class:`sitegen.render.PageJob`),
    or ``None`` for a page whose values must be made at every build.

    ``digest`` covers what every page depends on (:func:`site_digest` and :func:`shell_digest`).
    Equal depends digests mean equal contexts, hence equal page digests: a rebuild makes the
    values and page digest of a page only when its depends digest changed.  A ``depends``
    value of a type not listed here is an error, like an unknown context value in
    :func:`page_digest`.  ``identities`` remembers each document's identity for one plan (a
    document shows up on many pages).
    """
    identities = {} if identities is None else identities
    _lazy_body, document_type = _late_types()
    parts = [digest, job.site_path, job.template]
    for value in job.depends:
        if isinstance(value, document_type):
            identity = identities.get(id(value))
            if identity is None:
                identity = identities[id(value)] = document_identity(value)
            parts.append(identity)
        elif value is VOLATILE:
            return None
        elif value is None or type(value) in (str, int, tuple):
            parts.append(repr(value))
        else:
            raise TypeError(f"page dependency of unknown type {type(value).__name__}")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def page_digest(
    site_path: str,
    template: str,
    context: dict[str, Any],
    digest: str,
    memo: dict[int, str],
    alive: list[object] | None = None,
) -> str:
    """The page digest of one page (see the module docstring); ``memo`` is shared by one build's pages.

    ``alive``: where each dict remembered in ``memo`` is kept, for a memo that outlives the
    pages' values (a render worker's, see :func:`_memo_repr`).

    Fast path: ``repr`` of each context value (C speed, deterministic for the str, number,
    date, dict, list and tuple values a context holds).  If any repr looks like a default
    object repr (``<... at 0x...>``, which changes between runs), the exact walk
    :func:`_encode` is used instead, and it refuses types it does not know.
    """
    lazy_body, document_type = _late_types()
    parts: list[str] = [digest, site_path, template]
    for name, value in context.items():
        if type(value) is str or value is None:  # most values (none of the kinds below): checked first
            parts.append(f"{name}={value!r}")
        elif isinstance(value, lazy_body):  # its digest stands for the body (see sitegen.bodies)
            parts.append(f"{name}=L{value.digest}")
        elif isinstance(value, document_type):
            parts.append(f"{name}={document_identity(value)}")
        elif isinstance(value, Config) or isinstance(value, _CALLABLES):
            parts.append(f"{name}=f")
        elif type(value) is list and value and all(type(item) is dict for item in value):
            # Listings: the same item dicts on many pages (sitegen.render._ItemMemo), so each
            # item's repr once; joined exactly as repr(list) would.
            parts.append(f"{name}=[" + ", ".join([_memo_repr(item, memo, alive) for item in value]) + "]")
        else:
            parts.append(f"{name}={_memo_repr(value, memo, alive)}")
    joined = "\x1f".join(parts)
    if " at 0x" in joined:
        exact: list[str] = [digest, site_path, template]
        _encode(context, exact, {})
        joined = "\x1f".join(exact)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _memo_repr(value: Any, memo: dict[int, str], alive: list[object] | None = None) -> str:
    """``repr(value)``, remembered for dicts (UI strings, listing items: shared by many pages).

    An id in ``memo`` is never another object's: ``memo`` lives for one plan, while every
    value it was asked about is alive, or each dict it remembers is kept in ``alive``.
    """
    text = memo.get(id(value))
    if text is None:
        text = repr(value)
        if isinstance(value, (dict, MappingProxyType)):
            memo[id(value)] = text
            if alive is not None:
                alive.append(value)
    return text


_CALLABLES: tuple[type, ...] = (partial, FunctionType, MethodType, type(len), type([].append))


_LATE_TYPES: tuple[type[LazyBody], type[Document]] | None = None


def _late_types() -> tuple[type[LazyBody], type[Document]]:
    """(LazyBody, Document), imported on first use: content imports the Markdown library,
    which the no-change fast path (it imports this module) must not pay for.  Kept in a
    global because an import statement per page digest was a measurable cost."""
    global _LATE_TYPES
    if _LATE_TYPES is None:
        from .bodies import LazyBody as lazy_body
        from .content import Document as document_type

        _LATE_TYPES = (lazy_body, document_type)
    return _LATE_TYPES


def _encode(value: Any, out: list[str], memo: dict[int, str]) -> None:
    lazy_body, document_type = _late_types()
    if isinstance(value, lazy_body):
        out.append(f"L{value.digest}")
    elif isinstance(value, str):  # Markup included
        out.append(f"s{len(value)}")
        out.append(value)
    elif value is None or isinstance(value, (bool, int, float)):
        out.append(f"v{value!r}")
    elif isinstance(value, datetime):
        out.append(f"t{value.isoformat()}{value.tzname()}")
    elif isinstance(value, date):
        out.append(f"d{value.isoformat()}")
    elif isinstance(value, (dict, MappingProxyType, list, tuple)):
        known = memo.get(id(value))
        if known is not None:
            out.append(known)
            return
        part: list[str] = []
        if isinstance(value, (dict, MappingProxyType)):
            part.append(f"m{len(value)}")
            for key, item in value.items():
                part.append(f"k{key}")
                _encode(item, part, memo)
        else:
            part.append(f"l{len(value)}")
            for item in value:
                _encode(item, part, memo)
        text = "\x1e".join(part)
        memo[id(value)] = text
        out.append(text)
    elif isinstance(value, document_type):
        out.append(document_identity(value))
    elif isinstance(value, Config) or isinstance(value, _CALLABLES):
        # The config, the asset table, the strings and URL prefixes these functions use are all
        # part of the site digest.
        out.append("f")
    else:
        raise TypeError(f"page context value of unknown type {type(value).__name__}: add it to the page digest")
