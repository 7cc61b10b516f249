"""JSON text for the bulk paths: orjson where it can, the standard library where it cannot.

orjson is several times faster but refuses ``NaN`` and ``Infinity``, which JSON files from other
tools may hold and the standard library accepts, and reads an integer beyond 64 bits as a float
(a 20-digit id would silently change). Text with either goes through :mod:`json`, and so does
text that is not JSON at all, for its error messages.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_NUMBER = re.compile(r"\d{20}")


def loads(text: str) -> Any:
    if _LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def dumps(obj: Any) -> str:
    """Compact JSON, non-ASCII characters as they are."""
    try:
        return orjson.dumps(obj).decode()
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, say
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dumps_line(obj: Any) -> bytes:
    """:func:`dumps` as UTF-8 bytes with a newline: one line of a JSON Lines file."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
