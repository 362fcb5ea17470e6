"""Rows of primitive values (tables of contents, links, field lines) are checked value by value."""

from __future__ import annotations

import pytest

from sitegen.cache.codec import Invalid, decode

Rows = tuple[tuple[int, str, str], ...]


def test_valid_rows_come_back_as_tuples():
    assert decode(Rows, [[2, "a", "A"], [3, "b", "B"]]) == ((2, "a", "A"), (3, "b", "B"))
    assert decode(Rows, []) == ()


@pytest.mark.parametrize(
    "value",
    [
        [[2, "a", 1]],  # a number where text goes
        [[2, "a", "A"], ["2", "b", "B"]],  # text where a number goes, in a later row
        [[True, "a", "A"]],  # a flag is not a number
        [[2, "a"]],  # a row too short
        [[2, "a", "A", "x"]],  # a row too long
        [[2, "a", "A"], [2, "b"]],  # rows of different widths
        ["2aA"],  # a row that is not a list (three characters)
        [(2, "a", "A")],  # (JSON has no tuples: never read back from a file)
        {"rows": []},  # not a list at all
        [[2, "a", None]],
    ],
)
def test_malformed_rows_are_refused(value):
    with pytest.raises(Invalid):
        decode(Rows, value)


def test_rows_of_text_refuse_a_row_spelt_as_one_string():
    with pytest.raises(Invalid):
        decode(tuple[tuple[str, str, str, str], ...], ["abcd"])
