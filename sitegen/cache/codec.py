"""Typed values to JSON and back, checked against their declared types on the way in.

A record is read back into the frozen dataclass it was saved from, field by field, by a
decoder made once per type from the type hints: a value of the wrong type, a missing or
extra field, a naive datetime or an unknown time zone raise :class:`Invalid`, and the
record is ignored.  Only the types listed here can be stored (str, int, float, bool,
None, ``X | None``, tuples, lists, frozensets, ``dict[str, X]`` (or ``Mapping[str, X]``,
read back as a dict), aware datetimes and
dataclasses of those); anything else is refused when the decoder is made, so a new field
of an unknown type cannot reach the cache unchecked.  Ranges and paths are checked by the
modules that own the records (see :mod:`sitegen.cache.checks`).
"""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from itertools import chain
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
    if hint is dict or hint == dict[str, object]:  # Problem.params: shown in messages only, stored as text
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


_PRIMITIVES = (str, int, bool, type(None))


def _primitive(hint: object) -> type | None:
    """``hint`` itself when a value of it is checked by its exact type alone."""
    return typing.cast(type, hint) if hint in _PRIMITIVES else None


def _make_container_decoder(hint: object) -> Decoder:
    origin, args = typing.get_origin(hint), _args(hint)
    if origin in (tuple, list, frozenset) and (origin is not tuple or (len(args) == 2 and args[1] is Ellipsis)):
        return _sequence_decoder(origin, args[0])
    if origin is tuple:
        return _fixed_decoder(args)
    if origin in (dict, Mapping) and args[0] is str:
        return _dict_decoder(args[1])
    raise TypeError(f"cannot store {hint!r}")


def _dict_decoder(hint: object) -> Decoder:
    kind = _primitive(hint)
    if kind is not None:  # message parameters: checked at C speed

        def primitives(value: object) -> dict[str, Any]:
            found = _expect(dict, value)
            if not ({*map(type, found)} <= {str} and {*map(type, found.values())} <= {kind}):
                raise Invalid(f"expected a table of {kind.__name__}")
            return dict(found)

        return primitives
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        from .columns import table_decoder  # (that module builds on this one)

        return table_decoder(hint)  # records decoded together, column by column
    item = decoder(hint)

    def table(value: object) -> dict[str, Any]:
        found = _expect(dict, value)
        if not {*map(type, found)} <= {str}:
            raise Invalid("expected a table with text keys")
        return {k: item(v) for k, v in found.items()}

    return table


def _sequence_decoder(origin: Callable[[Any], Any], hint: object) -> Decoder:
    # The common cases (tags, ids, page names; links, table of contents) are checked with
    # map(type, ...) and set operations: at C speed, for tens of thousands of values a build.
    kind = _primitive(hint)
    if kind is not None:

        def primitives(value: object) -> Any:
            found = _expect(list, value)
            if not {*map(type, found)} <= {kind}:
                raise Invalid(f"expected a list of {kind.__name__}")
            return origin(found)

        return primitives
    options = _args(hint) if _is_union(hint) else ()
    if len(options) == 2 and type(None) in options and all(_primitive(option) for option in options):
        allowed = set(options)  # a column of optional values (sitegen.cache.columns): at C speed too

        def optionals(value: object) -> Any:
            found = _expect(list, value)
            if not {*map(type, found)} <= allowed:
                raise Invalid(f"expected a list of {' or '.join(sorted(k.__name__ for k in allowed))}")
            return origin(found)

        return optionals
    if typing.get_origin(hint) is tuple and Ellipsis not in _args(hint):
        kinds = [_primitive(arg) for arg in _args(hint)]
        if all(k is not None for k in kinds):
            return _rows_decoder(origin, typing.cast(list[type], kinds))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        from .columns import records_decoder  # (that module builds on this one)

        records = records_decoder(hint)  # decoded together, column by column
        return lambda value: origin(records(value))
    item = decoder(hint)

    def sequence(value: object) -> Any:
        return origin([item(x) for x in _expect(list, value)])

    return sequence


def _rows_decoder(origin: Callable[[Any], Any], kinds: list[type]) -> Decoder:
    """A list of fixed tuples of primitive values, checked column by column."""
    width = len(kinds)

    def rows(value: object) -> Any:
        found = _expect(list, value)
        if not ({*map(type, found)} <= {list} and {*map(len, found)} <= {width}):
            raise Invalid(f"expected rows of {width} values")
        # every value's type against the row's, in one comparison of two flat lists
        if [*map(type, chain.from_iterable(found))] != kinds * len(found):
            raise Invalid(f"expected rows of {', '.join(kind.__name__ for kind in kinds)}")
        return origin(map(tuple, found))

    return rows


def _fixed_decoder(args: tuple[Any, ...]) -> Decoder:
    kinds = [_primitive(arg) for arg in args]
    if all(kind is not None for kind in kinds):  # (size, mtime, ctime, inode)

        def primitives(value: object) -> tuple[Any, ...]:
            found = _expect(list, value)
            if [*map(type, found)] != kinds:
                raise Invalid(f"expected {len(kinds)} values of types {kinds}")
            return tuple(found)

        return primitives
    parts = [decoder(arg) for arg in args]

    def fixed(value: object) -> tuple[Any, ...]:
        found = _expect(list, value)
        if len(found) != len(parts):
            raise Invalid(f"expected {len(parts)} values, found {len(found)}")
        return tuple(part(x) for part, x in zip(parts, found, strict=True))

    return fixed


NOT_STORED = {"stored": False}  # a field's metadata: see _stored_names


def _stored_names(cls: type) -> list[str]:
    """The names of the fields a record of ``cls`` holds: every field but those whose metadata is
    :data:`NOT_STORED` (what one process knows and the next must not trust, such as the stats a
    fingerprint saw), which come last and are read back as their default."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields if f.metadata.get("stored", True)]
    if [f.name for f in fields[: len(names)]] != names:
        raise TypeError(f"{cls.__name__}: the fields not stored must come after the stored ones")
    return names


def _dataclass_decoder(cls: type) -> Decoder:
    """A dataclass is stored as the list of its fields' values, in declaration order (smaller and
    quicker to read than names; a change of fields changes the generator digest anyway)."""
    hints = typing.get_type_hints(cls)
    names = _stored_names(cls)
    width = len(names)
    # Fields of a primitive type are checked in one go (map(type, ...), itemgetter: C speed),
    # optional primitive ones one by one, the others decoded.
    strict: list[int] = []
    strict_kinds: list[type] = []
    optional: list[tuple[int, type]] = []
    others: list[tuple[int, Decoder]] = []
    for index, name in enumerate(names):
        hint = hints[name]
        options = _args(hint) if _is_union(hint) else (hint,)
        kinds = [_primitive(option) for option in options]
        real = [k for k in kinds if k is not None and k is not type(None)]
        if len(options) == 1 and real:
            strict.append(index)
            strict_kinds.append(real[0])
        elif len(options) == 2 and len(real) == 1 and type(None) in options:
            optional.append((index, real[0]))
        else:
            others.append((index, decoder(hint)))
    pick = operator.itemgetter(*strict) if strict else (lambda _types: ())
    expected = tuple(strict_kinds) if len(strict) != 1 else strict_kinds[0]

    def decode(value: object) -> Any:
        found = _expect(list, value)
        if len(found) != width:
            raise Invalid(f"{cls.__name__}: {len(found)} fields instead of {width}")
        types_found = [*map(type, found)]
        if strict and pick(types_found) != expected:
            raise Invalid(f"{cls.__name__}: a field of the wrong type")
        for index, kind in optional:
            if types_found[index] is not kind and found[index] is not None:
                raise Invalid(f"{cls.__name__}.{names[index]}: expected {kind.__name__} or null")
        values = found[:]  # the JSON value may be kept (a shard): never changed
        for index, part in others:
            values[index] = part(found[index])
        return cls(*values)

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


def _json_native(hint: object) -> bool:
    """True for a type whose values JSON writes as they are (tuples as lists): no encoding needed."""
    if hint in (str, int, bool, float, type(None)):
        return True
    origin, args = typing.get_origin(hint), _args(hint)
    if origin in (tuple, list):
        return all(arg is Ellipsis or _json_native(arg) for arg in args)
    if origin in (dict, Mapping):
        return args[0] is str and _json_native(args[1])
    return _is_union(hint) and all(_json_native(arg) for arg in args)


def _make_encoder(hint: object) -> Encoder:
    decoder(hint)  # refuses a type that cannot be read back
    if _json_native(hint):
        return _same
    if hint is datetime:
        return _encode_datetime
    if hint is dict or hint == dict[str, object]:  # Problem.params, stored as text
        return lambda value: {str(k): _param(v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass_encoder(hint)
    if _is_union(hint):
        inner = encoder(next(o for o in _args(hint) if o is not type(None)))
        return lambda value: None if value is None else inner(value)
    origin, args = typing.get_origin(hint), _args(hint)
    if origin is frozenset:
        item = encoder(args[0])
        if item is _same:  # (text or numbers: a manifest's thousands of paths, sorted at C speed)
            return sorted
        return lambda value: sorted(item(x) for x in value)  # type: ignore[type-var]  # str or int items
    if origin in (tuple, list) and (origin is list or args[-1] is Ellipsis):
        item = encoder(args[0])
        return lambda value: [item(x) for x in value]
    if origin is tuple:
        parts_list = [encoder(arg) for arg in args]
        return lambda value: [part(x) for part, x in zip(parts_list, value, strict=True)]
    item = encoder(args[1])  # dict[str, X] or Mapping[str, X]
    return lambda value: {k: item(v) for k, v in value.items()}


def _dataclass_encoder(cls: type) -> Encoder:
    """A dataclass as the list of its fields' values (see :func:`_dataclass_decoder`): all the
    fields read in one call, only those JSON cannot write as they are encoded (a problem's
    parameters, a time; tens of thousands of records a build at N=10000)."""
    hints = typing.get_type_hints(cls)
    names = _stored_names(cls)
    parts = [(index, encoder(hints[name])) for index, name in enumerate(names)]
    special = [(index, part) for index, part in parts if part is not _same]
    if len(names) < 2:  # (attrgetter gives a tuple only for two names or more)
        return lambda value: [part(getattr(value, names[index])) for index, part in parts]
    read = operator.attrgetter(*names)

    def encode(value: object) -> object:
        values = list(read(value))
        for index, part in special:
            values[index] = part(values[index])
        return values

    return encode


def decode(hint: type[T], value: object) -> T:
    """``value`` (read from JSON) as a ``hint``, or :class:`Invalid`."""
    result: T = decoder(hint)(value)
    return result


def encode(hint: type[T], value: T) -> object:
    """``value`` as JSON values (see :func:`decode`)."""
    return encoder(hint)(value)
