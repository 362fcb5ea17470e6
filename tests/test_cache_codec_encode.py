"""A dataclass is stored as the list of its fields' values, each encoded by its type."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sitegen.cache.codec import decode, encode
from sitegen.errors import WARNING, Problem


@dataclass(frozen=True)
class _One:
    """One field."""

    when: datetime


@dataclass(frozen=True)
class _Several:
    """Fields JSON writes as they are, and ones it cannot."""

    name: str
    count: int
    problems: tuple[Problem, ...] = ()
    when: datetime | None = None
    tags: frozenset[str] = field(default_factory=frozenset)


def test_fields_are_encoded_in_order_and_read_back():
    moment = datetime(2026, 11, 26, 9, 30, tzinfo=ZoneInfo("Europe/Rome"))
    problem = Problem("translation_missing", "content/it/a.md", 3, {"key": "a", "lang": 2}, WARNING)
    value = _Several("nome", 3, (problem,), moment, frozenset({"b", "a"}))
    stored = encode(_Several, value)
    assert stored == [
        "nome",
        3,
        [["translation_missing", "content/it/a.md", 3, {"key": "a", "lang": "2"}, WARNING]],
        ["2026-11-26T09:30:00+01:00", "Europe/Rome"],
        ["a", "b"],
    ]
    back = decode(_Several, json.loads(json.dumps(stored)))
    assert back == value and back.problems[0].params == {"key": "a", "lang": "2"}
    assert encode(_One, _One(moment)) == [["2026-11-26T09:30:00+01:00", "Europe/Rome"]]
