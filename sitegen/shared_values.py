"""One object for equal values of the documents that come back from the parse workers.

Each document a worker parses comes back pickled on its own (one message per item under the
time limit: :mod:`sitegen.parallel`), so the values most documents have in common (the kind,
the layout, the front matter's keys and lines, the headings of the table of contents, the
body pack's name) arrived as one copy per document.  At N=10 000 those copies were ≈ 10 MiB
of the build's main process, and copied again into each render worker that touched them
(issue 14: the peak memory).  Equal immutable values are interchangeable, so the documents
are rebuilt with one shared object for each.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from .cache.packs import Place, StoredBody
from .content import Document, SourceFile

T = TypeVar("T")


class Sharing:
    """A memo of values seen: :meth:`one` returns the first object equal to the one given."""

    def __init__(self) -> None:
        self._seen: dict[object, object] = {}

    def one(self, value: T) -> T:
        return self._seen.setdefault(value, value)  # type: ignore[return-value]  # equal values share a type

    def place(self, place: Place) -> Place:
        name, offset, size = place
        return (self.one(name), offset, size)

    def document(self, doc: Document, source: SourceFile, body: StoredBody | None) -> Document:
        """``doc`` with ``source`` (this process's equal one), ``body`` if given, and shared common values."""
        meta = doc.meta
        meta = replace(meta, layout=self.one(meta.layout), tags=self.one(meta.tags), lang=self.one(meta.lang))
        toc = self.one(tuple(self.one(entry) for entry in doc.toc))
        lines = self.one(tuple(self.one(pair) for pair in doc.field_lines))
        media = self.one(doc.media)  # (most bodies name the same few files, "" and the feed's)
        return replace(
            doc,
            source=source,
            meta=meta,
            lang=self.one(doc.lang),
            kind=self.one(doc.kind),
            toc=toc,
            media=media,
            field_lines=lines,
            parsed_body=doc.parsed_body if body is None else body,
        )
