"""One object for equal values of the documents that come back from the parse workers.

Each document a worker parses comes back pickled on its own (one message per item under the
time limit: :mod:`sitegen.parallel`), so the values most documents have in common (the kind,
the layout, the front matter's keys and lines, the headings of the table of contents, the
body pack's name) arrived as one copy per document.  At N=10 000 those copies were ≈ 10 MiB
of the build's main process, and copied again into each render worker that touched them
(issue 14: the peak memory).  Equal immutable values are interchangeable, so the documents
are rebuilt with one shared object for each.

A document whose body the worker stored comes back as its :class:`SentDocument`: a named
tuple of its values without the source (the main process has its own) and without the body
(its place in the store).  Unpickling whole documents (their source's path parsed again,
each dataclass's field names in every message) and rebuilding them with the shared values
was most of what the main process did while the workers parsed, on a core they need.
"""

from __future__ import annotations

from dataclasses import fields, replace
from operator import attrgetter
from typing import NamedTuple, TypeVar

from .body_facts import MediaFacts
from .cache.columns import _maker
from .cache.packs import Place, StoredBody
from .content import BodySource, Document, SourceFile
from .frontmatter import Meta

T = TypeVar("T")

_META_FIELDS = [f.name for f in fields(Meta)]
_meta_values = attrgetter(*_META_FIELDS)  # a Meta's values, in its fields' order
_make_meta = _maker(Meta, _META_FIELDS)  # and a Meta made from them (as the parse cache makes it)
_SHARED_META = [_META_FIELDS.index(name) for name in ("layout", "tags", "lang")]


class SentDocument(NamedTuple):
    """A parsed document whose body is in the store, as a parse worker sends it back (see the
    module docstring): the :class:`Document`'s values but its source and body, and the body's place;
    the front matter as the values of its fields, in their order (no field names in each message)."""

    meta: tuple[object, ...]
    lang: str
    kind: str
    url: str
    body_line: int
    digest: str
    toc: tuple[tuple[int, str, str], ...]
    media: MediaFacts
    field_lines: tuple[tuple[str, int], ...]
    place: Place

    @classmethod
    def of(cls, doc: Document, place: Place) -> SentDocument:
        values = _meta_values(doc.meta)
        return cls(
            values, doc.lang, doc.kind, doc.url, doc.body_line, doc.digest, doc.toc, doc.media, doc.field_lines, place
        )


class Sharing:
    """A memo of values seen: :meth:`one` returns the first object equal to the one given."""

    def __init__(self) -> None:
        self._seen: dict[object, object] = {}

    def one(self, value: T) -> T:
        return self._seen.setdefault(value, value)  # type: ignore[return-value]  # equal values share a type

    def place(self, place: Place) -> Place:
        name, offset, size = place
        return (self.one(name), offset, size)

    def document(self, doc: Document, source: SourceFile) -> Document:
        """``doc`` with ``source`` (this process's equal one) and shared common values."""
        one, meta = self.one, doc.meta
        shared = replace(meta, layout=one(meta.layout), tags=one(meta.tags), lang=one(meta.lang))
        return self._made(doc, shared, source, doc.parsed_body)

    def received(self, sent: SentDocument, source: SourceFile, body: StoredBody) -> Document:
        """The document ``sent`` was sent for, with ``source`` (this process's equal one), its
        ``body`` in the store, and shared common values."""
        values = list(sent.meta)
        for number in _SHARED_META:
            values[number] = self.one(values[number])
        meta: Meta = _make_meta(*values)
        return self._made(sent, meta, source, body)

    def _made(self, doc: Document | SentDocument, meta: Meta, source: SourceFile, body: BodySource) -> Document:
        one = self.one
        return Document(
            source,
            meta,
            one(doc.lang),
            one(doc.kind),
            doc.url,
            doc.body_line,
            doc.digest,
            one(tuple(map(one, doc.toc))),
            one(doc.media),  # (most bodies name the same few files: "" and the feed's)
            body,
            one(tuple(map(one, doc.field_lines))),
        )
