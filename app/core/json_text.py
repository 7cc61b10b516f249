"""JSON text for the bulk paths: orjson to write, the standard library to read.

orjson writes several times faster than :mod:`json`. Reading, it is no faster than the standard
library's C scanner on a news article, and it reads an integer beyond 64 bits as a float (a
20-digit id would silently change) and refuses ``NaN`` and ``Infinity``, which files from other
tools may hold: so reading stays with :mod:`json`.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    return json.loads(text)


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
