"""Days in words, remembered between builds under the identity of the Babel that wrote them (sitegen.dates)."""

from __future__ import annotations

from datetime import date

import pytest
from test_incremental import apply_edit, assert_same_as_clean_build, make_site, run

from sitegen import dates
from sitegen.cache.files import load_record, save_record


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts as a new process would: nothing worded yet."""
    monkeypatch.setattr(dates, "_words", {})


def _stored(site):
    value = load_record(site / ".cache" / "dates.json", dates.DATES, None)
    assert value is not None
    return dates._decode(value).check()


def test_a_build_remembers_the_words_of_every_day_its_documents_show(tmp_path):
    site = make_site(tmp_path / "site")
    run(site, tmp_path / "out")
    stored = _stored(site)
    assert stored.babel == dates._babel_identity()
    # n0..n3 are dated 2026-01-01..04 (it), e0 2026-01-03 (en)
    assert stored.words["it_IT|long|2026-01-02"] == "2 gennaio 2026"
    assert stored.words["en_GB|long|2026-01-03"] == "3 January 2026"


def test_words_read_back_are_the_ones_shown(tmp_path, monkeypatch):
    """A later build (a new process) takes the words from the file: Babel is not asked."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    monkeypatch.setattr(dates, "_words", {})

    def no_babel(*_args, **_kwargs):
        raise AssertionError("Babel asked for a day the cache has")

    monkeypatch.setattr("babel.dates.format_date", no_babel)
    apply_edit(site, ("body", 0, 3), [0])
    run(site, output)
    assert b"1 gennaio 2026" in (output / "notizie/n0/index.html").read_bytes()


def test_words_of_another_babel_are_not_used(tmp_path, monkeypatch):
    """The words are keyed by the Babel that wrote them: another one's are worded again."""
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    path = site / ".cache" / "dates.json"
    stored = _stored(site)
    words = {key: "parole sbagliate" for key in stored.words}
    save_record(path, dates.DATES, dates._encode(dates.StoredWords("another babel", words)))
    monkeypatch.setattr(dates, "_words", {})
    apply_edit(site, ("body", 0, 3), [0])
    run(site, output)
    assert b"parole sbagliate" not in (output / "notizie/n0/index.html").read_bytes()
    assert _stored(site).babel == dates._babel_identity()  # written again by this Babel
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_a_moved_date_is_worded_and_remembered(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    monkeypatch.setattr(dates, "_words", {})
    apply_edit(site, ("date", 0, 9), [0])  # n0 moves to 2026-02-10
    run(site, output)
    assert _stored(site).words["it_IT|long|2026-02-10"] == "10 febbraio 2026"
    assert_same_as_clean_build(site, output, tmp_path / "clean")


@pytest.mark.parametrize(
    "words",
    [
        {"it_IT|long": "1 gennaio 2026"},  # not locale|format|day
        {"it_IT|long|2026-13-01": "1 gennaio 2026"},  # not a day
        {"it_IT|long|2026-01-01": "x" * 500},  # not a day in words
    ],
)
def test_a_record_that_is_not_days_in_words_is_ignored(tmp_path, words):
    site = make_site(tmp_path / "site")
    output = tmp_path / "out"
    run(site, output)
    save_record(
        site / ".cache" / "dates.json", dates.DATES, dates._encode(dates.StoredWords(dates._babel_identity(), words))
    )
    dates._words.clear()
    apply_edit(site, ("body", 0, 3), [0])
    result = run(site, output)
    assert any(p.code == "cache_entry_ignored" for p in result.warnings)
    assert_same_as_clean_build(site, output, tmp_path / "clean")


def test_date_words_are_babels():
    assert dates.date_words(date(2026, 11, 26), dates.LONG, "it_IT") == "26 novembre 2026"
    assert dates.date_words(date(2026, 11, 26), dates.LONG, "en_GB") == "26 November 2026"
