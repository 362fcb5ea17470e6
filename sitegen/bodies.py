"""Page bodies with their links resolved, remembered between builds.

Rewriting the links of every body (a regular expression over all the HTML, a lookup per
link) was a third of a one-edit rebuild, and its result only depends on:

* the document's own bytes, place and address (``digest``, ``rel``, ``shown``, ``url``);
* the *link environment*: which document lives at which address, which content assets
  exist, every config value and the generator's code (in the parse settings).

So the outcome of resolving one body — the links it records for checking and the problems
it found — is remembered under a *token*, the hash of both.  A document whose token is
known is not rewritten at plan time: its page context holds a :class:`LazyBody` whose page
key part is the token (equal tokens give equal bodies), and whose HTML is made only if
the page is rendered again.  Bodies that involve media (images, attachments) are always
done in full: they publish image variants and read files, which the token does not cover.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

from markupsafe import Markup

from .cache import load_blob, save_blob
from .config import Config
from .content import Document

BODIES_MAGIC = b"SGBODY"

# What resolving a body found: (attr, url as written, site path, fragment) per checked
# link, and the problems, both in document order.
Record = tuple[tuple[tuple[str, str, str, str], ...], tuple]


class LazyBody:
    """A body whose HTML is made only when its page is rendered (see the module docstring)."""

    __slots__ = ("token", "_make")

    def __init__(self, token: str, make: Callable[[], str]) -> None:
        self.token = token
        self._make = make

    def markup(self) -> Markup:
        return Markup(self._make())

    def __html__(self) -> str:  # what Jinja's autoescape asks of ``{{ body }}``
        return self._make()


def link_environment(config: Config, parse_settings: str, documents, asset_files: dict) -> str:
    """Hash of everything besides a document's own bytes that resolving its links reads."""
    digest = hashlib.sha256(parse_settings.encode())
    for name in config.__dataclass_fields__:
        if name != "output_dir":
            value = getattr(config, name)
            value = dict(value) if isinstance(value, MappingProxyType) else value
            digest.update(f"{name}={value!r}\0".encode())
    digest.update("\0".join(f"{doc.source.rel}\x1f{doc.url}" for doc in documents).encode())
    digest.update(b"\0assets\0" + "\0".join(sorted(asset_files)).encode())
    return digest.hexdigest()


def body_token(environment: str, doc: Document) -> str:
    text = f"{environment}\0{doc.digest}\0{doc.source.rel}\0{doc.source.shown}\0{doc.url}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class BodyCache:
    """Records by token, kept in memory (``serve``) and in ``.cache/bodies.bin`` (``None``: neither)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        loaded = load_blob(path, BODIES_MAGIC) if path is not None else None
        self.entries: dict[str, Record] = loaded if isinstance(loaded, dict) else {}
        self._used: set[str] = set()
        self._changed = False

    def get(self, token: str) -> Record | None:
        found = self.entries.get(token)
        if found is not None:
            self._used.add(token)
        return found

    def put(self, token: str, record: Record) -> None:
        self.entries[token] = record
        self._used.add(token)
        self._changed = True

    def save(self) -> None:
        """Keep only what this build used (a removed or edited document's record goes), then write."""
        if len(self._used) != len(self.entries):
            self.entries = {token: self.entries[token] for token in self._used}
            self._changed = True
        if self.path is not None and self._changed:
            save_blob(self.path, BODIES_MAGIC, self.entries)
        self._used = set()
        self._changed = False


def body_maker(
    cache: BodyCache,
    environment: str,
    resolve_full: Callable[[Document], tuple[str, bool]],
    resolve_again: Callable[[Document], str],
    links: list,
    problems: list,
) -> Callable[[Document], str | LazyBody]:
    """``body(doc)`` for :func:`sitegen.render.plan_pages`: a known record replays its links and
    problems and gives a :class:`LazyBody`; otherwise ``resolve_full`` does the work (appending
    ``(doc, its links)`` to ``links`` and its problems to ``problems`` itself) and its outcome is remembered when media-free (the
    body is then a :class:`LazyBody` too, so that its page key does not change next time)."""

    def body(doc: Document) -> str | LazyBody:
        token = body_token(environment, doc)
        record = cache.get(token)
        if record is not None:
            found_links, found_problems = record
            links.append((doc, found_links))
            problems.extend(found_problems)
            return LazyBody(token, lambda: resolve_again(doc))
        problems_before = len(problems)
        html, media_free = resolve_full(doc)  # appends (doc, its links) to links
        if not media_free:
            return html
        cache.put(token, (links[-1][1], tuple(problems[problems_before:])))
        # The same page key as in the builds that reuse the record; the HTML is made again where
        # the page is rendered rather than kept: at 10 000 items, keeping every body was hundreds of MiB.
        return LazyBody(token, lambda: resolve_again(doc))

    return body
