"""Typed values to JSON and back, checked against their declared types on the way in.

A record is read back into the frozen dataclass it was saved from, field by field, by a
decoder made once per type from the type hints: a value of the wrong type, a missing or
extra field, a naive datetime or an unknown time zone raise :class:`Invalid`, and the
record is ignored.  Only the types listed here can be stored (str, int, float, bool,
None, ``X | None``, tuples, lists, frozensets, ``dict[str, X]``, aware datetimes and
dataclasses of those); anything else is refused when the decoder is made, so a new field
of an unknown type cannot reach the cache unchecked.  Ranges and paths are checked by the
modules that own the records (see :mod:`sitegen.cache.checks`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")
Decoder = Callable[[object], Any]
Encoder = Callable[[Any], object]


class Invalid(ValueError):
    """A record read back does not have the declared shape: it is ignored, never trusted."""


def _expect(kind: type, value: object) -> Any:
    # bool is an int subclass: a flag never passes for a number, nor a number for a flag
    if type(value) is not kind:
        raise Invalid(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def _decode_float(value: object) -> float:
    if type(value) not in (int, float):
        raise Invalid(f"expected a number, found {type(value).__name__}")
    return float(value)  # type: ignore[arg-type]  # an int or a float, checked above


def _decode_datetime(value: object) -> datetime:
    if type(value) is not list or len(value) != 2 or type(value[0]) is not str:
        raise Invalid("expected [ISO time, zone]")
    try:
        moment = datetime.fromisoformat(value[0])
        if value[1] is not None:
            moment = moment.astimezone(ZoneInfo(_expect(str, value[1])))
    except (ValueError, KeyError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise Invalid(f"bad time {value!r}") from exc
    if moment.utcoffset() is None:
        raise Invalid("a time without its zone")
    return moment


def _encode_datetime(value: datetime) -> object:
    zone = value.tzinfo
    if isinstance(zone, ZoneInfo):
        return [value.isoformat(), zone.key]
    if isinstance(zone, timezone):
        return [value.isoformat(), None]
    raise Invalid(f"cannot store a time in zone {zone!r}")


def _args(hint: object) -> tuple[Any, ...]:
    return typing.get_args(hint)


def _is_union(hint: object) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


_DECODERS: dict[object, Decoder] = {}
_ENCODERS: dict[object, Encoder] = {}


def decoder(hint: object) -> Decoder:
    """The checking decoder of a type (made once, see the module docstring)."""
    found = _DECODERS.get(hint)
    if found is None:
        found = _DECODERS[hint] = _make_decoder(hint)
    return found


def _make_decoder(hint: object) -> Decoder:
    if hint in (str, int, bool):
        kind = typing.cast(type, hint)  # one of the three classes just named
        return lambda value: _expect(kind, value)
    if hint is float:
        return _decode_float
    if hint is type(None):
        return lambda value: _expect(type(None), value)
    if hint is datetime:
        return _decode_datetime
    if hint is dict:  # Problem.params: shown in messages only, stored as text
        return decoder(dict[str, str])
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_decoder(hint)
    if _is_union(hint):
        options = _args(hint)
        if len(options) == 2 and type(None) in options:
            inner = decoder(next(o for o in options if o is not type(None)))
            return lambda value: None if value is None else inner(value)
        raise TypeError(f"cannot store {hint!r}")
    return _make_container_decoder(hint)


def _make_container_decoder(hint: object) -> Decoder:
    origin, args = typing.get_origin(hint), _args(hint)
    if origin in (tuple, list, frozenset) and (origin is not tuple or (len(args) == 2 and args[1] is Ellipsis)):
        item = decoder(args[0])
        make: Callable[[Any], Any] = origin

        def sequence(value: object) -> Any:
            return make([item(x) for x in _expect(list, value)])

        return sequence
    if origin is tuple:
        parts = [decoder(arg) for arg in args]

        def fixed(value: object) -> tuple[Any, ...]:
            found = _expect(list, value)
            if len(found) != len(parts):
                raise Invalid(f"expected {len(parts)} values, found {len(found)}")
            return tuple(part(x) for part, x in zip(parts, found, strict=True))

        return fixed
    if origin is dict and args[0] is str:
        item = decoder(args[1])
        return lambda value: {_expect(str, k): item(v) for k, v in _expect(dict, value).items()}
    raise TypeError(f"cannot store {hint!r}")


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    names = tuple(f.name for f in dataclasses.fields(cls))
    parts = {name: decoder(hints[name]) for name in names}
    expected = frozenset(names)

    def decode(value: object) -> Any:
        found = _expect(dict, value)
        if found.keys() != expected:
            raise Invalid(f"{cls.__name__}: fields {sorted(found)} instead of {sorted(expected)}")
        return cls(**{name: parts[name](found[name]) for name in names})

    return decode


def encoder(hint: object) -> Encoder:
    """The encoder of a type: the inverse of :func:`decoder` (made once)."""
    found = _ENCODERS.get(hint)
    if found is None:
        found = _ENCODERS[hint] = _make_encoder(hint)
    return found


def _same(value: Any) -> object:
    return value


def _param(value: object) -> str:
    """A message parameter as the text it shows (a parameter given in each language is not stored)."""
    if isinstance(value, dict):
        raise Invalid("a parameter given in each language")
    return str(value)


def _make_encoder(hint: object) -> Encoder:
    decoder(hint)  # refuses a type that cannot be read back
    if hint in (str, int, bool, float, type(None)):
        return _same
    if hint is datetime:
        return _encode_datetime
    if hint is dict:
        return lambda value: {str(k): _param(v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        parts = {f.name: encoder(hints[f.name]) for f in dataclasses.fields(hint)}
        return lambda value: {name: part(getattr(value, name)) for name, part in parts.items()}
    if _is_union(hint):
        inner = encoder(next(o for o in _args(hint) if o is not type(None)))
        return lambda value: None if value is None else inner(value)
    origin, args = typing.get_origin(hint), _args(hint)
    if origin is frozenset:
        item = encoder(args[0])
        return lambda value: sorted(item(x) for x in value)  # type: ignore[type-var]  # str or int items
    if origin in (tuple, list) and (origin is list or args[-1] is Ellipsis):
        item = encoder(args[0])
        return lambda value: [item(x) for x in value]
    if origin is tuple:
        parts_list = [encoder(arg) for arg in args]
        return lambda value: [part(x) for part, x in zip(parts_list, value, strict=True)]
    item = encoder(args[1])  # dict[str, X]
    return lambda value: {k: item(v) for k, v in value.items()}


def decode(hint: type[T], value: object) -> T:
    """``value`` (read from JSON) as a ``hint``, or :class:`Invalid`."""
    result: T = decoder(hint)(value)
    return result


def encode(hint: type[T], value: T) -> object:
    """``value`` as JSON values (see :func:`decode`)."""
    return encoder(hint)(value)
