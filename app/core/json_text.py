"""JSON text for the bulk paths: orjson to write, the standard library to read (strictly,
for files from other tools: :func:`loads_incoming`).

orjson writes several times faster than :mod:`json`. Reading, it is no faster than the standard
library's C scanner on a news article, and it reads an integer beyond 64 bits as a float (a
20-digit id would silently change) and refuses ``NaN`` and ``Infinity``, which files from other
tools may hold: so reading stays with :mod:`json`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from app.core.errors import InputError

MAX_INT_DIGITS = 4000
"""Digits of the longest integer read (Python refuses to read more than 4,300)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {key!r} appears twice in one object (which one is meant?)")
    return obj


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _float(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise ValueError(f"the number {digits[:30]} is too large to store")
    return value


def _int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(digits)} digits is too long to store")
    return int(digits)


DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_constant, parse_float=_float, parse_int=_int
)
"""The standard library's decoder, strict about what other tools' files may hold: a key twice
in one object (the standard library keeps the last silently), ``NaN`` and ``Infinity``,
numbers beyond a float, integers too long to read. Deep nesting is refused by
:func:`loads_incoming`."""


def loads(text: str | bytes) -> Any:
    """JSON Tawsim wrote itself (the database's columns): read as the standard library does."""
    return json.loads(text)


def loads_incoming(text: str | bytes) -> Any:
    """One JSON value of a file to import or unpack, read strictly (:data:`DECODER`). Raises
    :class:`json.JSONDecodeError` for what is not JSON, and :class:`InputError` for JSON this
    refuses, saying why."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    with _refusals():
        return DECODER.decode(text)


def raw_decode_incoming(text: str, at: int) -> tuple[Any, int]:
    """:meth:`json.JSONDecoder.raw_decode` with the refusals of :func:`loads_incoming`."""
    with _refusals():
        return DECODER.raw_decode(text, at)


@contextmanager
def _refusals() -> Iterator[None]:
    """What :data:`DECODER` refuses, as :class:`InputError`; what is not JSON stays a
    :class:`json.JSONDecodeError` (a ValueError too)."""
    try:
        yield
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise InputError(f"refused JSON: {exc}") from None
    except RecursionError:
        raise InputError("refused JSON: lists and objects nested too deeply") from None


def _non_finite(obj: Any) -> bool:
    """Whether ``obj`` holds ``NaN`` or an infinity (which orjson would write as ``null``)."""
    if isinstance(obj, float):
        return not math.isfinite(obj)
    if isinstance(obj, dict):
        return any(_non_finite(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_non_finite(v) for v in obj)
    return False


def _standard(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any) -> str:
    """Compact JSON, non-ASCII characters as they are. What orjson cannot write as it is (an
    integer beyond 64 bits; ``NaN`` and infinities, which it would turn into ``null``) is
    written by the standard library, as Python reads it back."""
    try:
        out = orjson.dumps(obj)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, say
        return _standard(obj)
    if b"null" in out and _non_finite(obj):
        return _standard(obj)
    return out.decode()


def dumps_line(obj: Any) -> bytes:
    """:func:`dumps` as UTF-8 bytes with a newline: one line of a JSON Lines file."""
    try:
        out = orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (_standard(obj) + "\n").encode()
    if b"null" in out and _non_finite(obj):
        return (_standard(obj) + "\n").encode()
    return out
