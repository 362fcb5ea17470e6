"""Work done in a short-lived child (sitegen.parallel.in_child) and the documents' shared values
(sitegen.shared_values): what keeps a cold build's main process small (issue 14)."""

from __future__ import annotations

import os
import sys
from datetime import date
from functools import partial

import pytest

from sitegen import dates, parallel
from sitegen.shared_values import Sharing


def _pid_and_modules() -> tuple[int, bool]:
    import colorsys  # (a module this test process has surely not imported: see the assertion)

    return os.getpid(), colorsys.__name__ in sys.modules


def test_in_child_returns_the_result_of_a_task_run_in_another_process():
    sys.modules.pop("colorsys", None)
    pid, imported_there = parallel.in_child(_pid_and_modules)
    assert imported_there
    if parallel._can_fork():
        assert pid != os.getpid()
        assert "colorsys" not in sys.modules  # what the child imported stayed there


def _fail(message: str) -> None:
    raise ValueError(message)


def test_in_child_raises_the_task_s_exception_here():
    with pytest.raises(ValueError, match="no luck"):
        parallel.in_child(partial(_fail, "no luck"))


def test_many_days_are_worded_in_a_child_as_babel_words_them(monkeypatch):
    monkeypatch.setattr(dates, "_words", {})
    days = [(date.fromordinal(date(2025, 1, 1).toordinal() + n), "it_IT") for n in range(parallel.MIN_PARALLEL)]
    dates._word_all(days)
    assert dates._words["it_IT|long|2025-01-02"] == "2 gennaio 2025"
    assert len(dates._words) == parallel.MIN_PARALLEL


def test_sharing_gives_one_object_for_equal_values():
    sharing = Sharing()
    first = "".join(["ne", "ws"])
    second = "".join(["n", "ews"])
    assert first is not second
    assert sharing.one(first) is first
    assert sharing.one(second) is first
    name = "".join(["ab", "cd"])
    assert sharing.place(("ab" + "cd", 1, 2))[0] is sharing.place((name, 3, 4))[0]


def test_a_document_sent_back_without_source_and_body_is_rebuilt_equal(tmp_path):
    """A parse worker sends a stored body's document as a SentDocument: no source path, no body,
    no field names; rebuilt in the main process, it is the document parsed, its values shared."""
    from multiprocessing.reduction import ForkingPickler

    from test_incremental import make_site

    from sitegen.cache.packs import StoredBody
    from sitegen.content import gather_sources, parse_document
    from sitegen.options import BuildOptions, load
    from sitegen.shared_values import SentDocument

    site = make_site(tmp_path / "site")
    config = load(BuildOptions(config_path=site / "config.yaml"))
    sharing = Sharing()
    rebuilt = []
    for source in gather_sources(config)[0]:
        doc, _problems = parse_document(source, config)
        assert doc is not None
        message = ForkingPickler.dumps(SentDocument.of(doc, ("a" * 32, 0, 9)))
        assert str(source.path).encode() not in message and b"parsed_body" not in message
        assert b"translation_key" not in message  # (the front matter without its field names)
        assert doc.converted.html.encode() not in message
        sent = ForkingPickler.loads(message)
        body = StoredBody("b" * 64, None, sharing.place(sent.place))
        again = sharing.received(sent, source, body)
        assert again == doc and again.source is source and again.parsed_body is body
        assert (again.toc, again.media, again.field_lines) == (doc.toc, doc.media, doc.field_lines)
        rebuilt.append(again)
    assert len({id(doc.kind) for doc in rebuilt}) == len({doc.kind for doc in rebuilt})
    assert len({id(doc.meta.layout) for doc in rebuilt}) == len({doc.meta.layout for doc in rebuilt})
    assert sharing.document(doc, source) == doc
