"""What each output page is built from, and the manifest of the last build.

A page's *key* is a hash of exactly what its template sees: the page's context (every
value, recursively: titles, dates, neighbours, listing members, tags, menu, translations,
the resolved body...), its template name and site path, plus the *site digest*: the
generator's code, the parse settings, every config value, every template file (and the
UI strings), the fingerprinted asset URLs and the drafts flag.  Documents in a context
count by the hash of their source bytes (their front matter is derived from those bytes
and the parse settings).  A page whose key is the same as in the manifest renders to the
same bytes, so it is not rendered again; anything else is.  A value of a type the encoder
does not know is an error, so a new context value cannot silently escape the key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from types import FunctionType, MappingProxyType, MethodType
from typing import Any

from .cache import load_blob, save_blob
from .config import Config

MANIFEST_MAGIC = b"SGMANIF"


@dataclass
class PageRecord:
    key: str
    size: int
    mtime_ns: int
    ids: frozenset[str] | None  # ids of the page, read only when a link points into it
    signature: str | None = None  # see page_signature; None: the key must be computed


@dataclass
class Manifest:
    """The output folder as the last successful build left it."""

    output_ino: int = -1
    pages: dict[str, PageRecord] = field(default_factory=dict)
    valid_until: datetime | None = None  # next go-live or expiry: the site changes by itself then
    summary: Any = None  # the last build's summary, replayed by the fast path
    warnings: tuple = ()  # the last build's warnings, replayed by the fast path
    files: frozenset[str] = frozenset()  # every file of the output folder (pages and the others)
    # The spare folder (the site before this one, see sitegen.output.begin_staging): its
    # identity (inode, ctime) and its files; None when there is none to trust.
    spare_id: tuple[int, int] | None = None
    spare_files: frozenset[str] = frozenset()


def manifest_path(config: Config) -> Path:
    """One manifest per output folder (``--output`` may differ between runs)."""
    name = hashlib.sha256(str(config.output_dir).encode()).hexdigest()[:16]
    return config.cache_dir / f"manifest-{name}.bin"


def load_manifest(config: Config) -> Manifest:
    """The manifest, if it describes the output folder that is there now; else an empty one."""
    loaded = load_blob(manifest_path(config), MANIFEST_MAGIC)
    if not isinstance(loaded, Manifest):
        return Manifest()
    try:
        ino = os.stat(config.output_dir).st_ino
    except OSError:
        return Manifest()
    return loaded if ino == loaded.output_ino else Manifest()


def save_manifest(config: Config, manifest: Manifest) -> None:
    save_blob(manifest_path(config), MANIFEST_MAGIC, manifest)


def site_digest(config: Config, parse_settings: str, asset_urls: dict, drafts: bool) -> str:
    """Hash of everything every page depends on besides its own context."""
    digest = hashlib.sha256(parse_settings.encode())
    skip = {"output_dir", "cache_dir"}
    for name in config.__dataclass_fields__:
        if name not in skip:
            value = getattr(config, name)
            value = dict(value) if isinstance(value, MappingProxyType) else value
            digest.update(f"{name}={value!r}\0".encode())
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


def shell_digest(site) -> str:
    """Hash of what every page of a language shows besides its own values and the site digest:
    the documents in the language's menu and footer (their titles and addresses)."""
    parts: list[str] = []
    for lang in site.config.languages:
        parts.append(f"lang {lang}")
        parts += [document_token(doc) for doc in site.menus[lang]]
        parts.append("footer")
        parts += [document_token(doc) for doc in site.footers[lang]]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def document_token(doc) -> str:
    """A document as a page key sees it: its values all derive from its bytes (``digest``, with
    the parse settings in the site digest), its place and its address."""
    return f"D{doc.digest}|{doc.source.rel}|{doc.url}|{doc.kind}|{doc.lang}"


def page_signature(job, digest: str, tokens: dict[int, str] | None = None) -> str | None:
    """Hash of what a page's values are made from (``job.depends``, see :class:`sitegen.render.PageJob`),
    or ``None`` for a page whose values must be made at every build.

    ``digest`` covers what every page depends on (:func:`site_digest` and :func:`shell_digest`).
    Equal signatures mean equal contexts, hence equal page keys: a rebuild makes the values
    and key of a page only when its signature changed.  A ``depends`` value of a type not
    listed here is an error, like an unknown context value in :func:`page_key`.  ``tokens``
    remembers each document's token for one plan (a document shows up on many pages).
    """
    tokens = {} if tokens is None else tokens
    _LazyBody, Document = _late_types()
    parts = [digest, job.site_path, job.template]
    for value in job.depends:
        if isinstance(value, Document):
            token = tokens.get(id(value))
            if token is None:
                token = tokens[id(value)] = document_token(value)
            parts.append(token)
        elif value is VOLATILE:
            return None
        elif value is None or type(value) in (str, int, tuple):
            parts.append(repr(value))
        else:
            raise TypeError(f"page dependency of unknown type {type(value).__name__}")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def page_key(site_path: str, template: str, context: dict, digest: str, memo: dict[int, str]) -> str:
    """The key of one page (see the module docstring); ``memo`` is shared by one build's pages.

    Fast path: ``repr`` of each context value (C speed, deterministic for the str, number,
    date, dict, list and tuple values a context holds).  If any repr looks like a default
    object repr (``<... at 0x...>``, which changes between runs), the exact walk
    :func:`_encode` is used instead, and it refuses types it does not know.
    """
    LazyBody, Document = _late_types()
    parts: list[str] = [digest, site_path, template]
    for name, value in context.items():
        if isinstance(value, LazyBody):  # its token stands for the body (see sitegen.bodies)
            parts.append(f"{name}=L{value.token}")
        elif isinstance(value, Document):
            parts.append(f"{name}={document_token(value)}")
        elif isinstance(value, Config) or isinstance(value, _CALLABLES):
            parts.append(f"{name}=f")
        elif type(value) is list and value and all(type(item) is dict for item in value):
            # Listings: the same item dicts on many pages (sitegen.render._ItemMemo), so each
            # item's repr once; joined exactly as repr(list) would.
            parts.append(f"{name}=[" + ", ".join([_memo_repr(item, memo) for item in value]) + "]")
        else:
            parts.append(f"{name}={_memo_repr(value, memo)}")
    joined = "\x1f".join(parts)
    if " at 0x" in joined:
        exact: list[str] = [digest, site_path, template]
        _encode(context, exact, {})
        joined = "\x1f".join(exact)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _memo_repr(value: Any, memo: dict[int, str]) -> str:
    """``repr(value)``, remembered for dicts (UI strings, listing items: shared by many pages).

    ``memo`` lives for one plan, while every value it was asked about is alive, so an id
    cannot be reused by another object.
    """
    text = memo.get(id(value))
    if text is None:
        text = repr(value)
        if isinstance(value, (dict, MappingProxyType)):
            memo[id(value)] = text
    return text


_CALLABLES = (partial, FunctionType, MethodType, type(len), type([].append))


_LATE_TYPES: tuple | None = None


def _late_types() -> tuple:
    """(LazyBody, Document), imported on first use: content imports the Markdown library,
    which the no-change fast path (it imports this module) must not pay for.  Kept in a
    global because an import statement per page key was a measurable cost."""
    global _LATE_TYPES
    if _LATE_TYPES is None:
        from .bodies import LazyBody
        from .content import Document

        _LATE_TYPES = (LazyBody, Document)
    return _LATE_TYPES


def _encode(value: Any, out: list[str], memo: dict[int, str]) -> None:
    LazyBody, Document = _late_types()
    if isinstance(value, LazyBody):
        out.append(f"L{value.token}")
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
    elif isinstance(value, Document):
        out.append(document_token(value))
    elif isinstance(value, Config) or isinstance(value, _CALLABLES):
        # The config, the asset table, the strings and URL prefixes these functions use are all
        # part of the site digest.
        out.append("f")
    else:
        raise TypeError(f"page context value of unknown type {type(value).__name__}: add it to the page key")
