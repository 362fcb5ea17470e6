"""A record file's JSON is the standard library's compact, ASCII-only JSON of the value, byte for byte."""

from __future__ import annotations

import hashlib
import json

import pytest

from sitegen.cache.files import VERSION, decode_record, encode_record


def test_a_record_is_the_compact_json_of_its_value():
    value = {"a": [1, [2, "è\u2028"], None, True], "b": {"c": [[], {}]}, "d": 1.5}
    payload = json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")
    header = b"sitegen-cache %d kind %s\n" % (VERSION, hashlib.sha256(payload).hexdigest().encode())
    assert encode_record("kind", value) == header + payload
    assert decode_record(encode_record("kind", value), "kind") == (value, None)


def test_a_value_json_cannot_hold_is_refused():
    with pytest.raises(ValueError):
        encode_record("kind", [float("nan")])
