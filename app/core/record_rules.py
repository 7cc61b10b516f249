"""What the words of every incoming record must be, whatever file or pack brought them.

A record's strings are stored, exported, packed and shown: a lone UTF-16 surrogate (which JSON
can spell, ``"\\ud800"``, and Python keeps) cannot be written as UTF-8, so one such string
once stopped every later export of the whole database. A NUL ends strings in C libraries and
PostgreSQL refuses it. Labels and names become file names, columns and menu entries: they are
short, on one line, without control characters. ``meta`` is stored as JSON: finite numbers,
string keys, nested to a sane depth.

:func:`check_record` is called for every record an import or an unpack stores
(:mod:`app.store.ingest`), so every format obeys the same rules; errors name the field, and the
ingest adds the file and line.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from app.core.errors import InputError
from app.core.records import Record

MAX_LABEL = 64
"""Characters in an entity label or a stance value."""
MAX_NAME = 100
"""Characters in an annotator's name or a stance target."""
MAX_META_DEPTH = 32
"""How deep ``meta`` may nest lists and objects."""

_BREAKING = {"Cc", "Cs", "Zl", "Zp"}  # controls, surrogates, line and paragraph separators


def text_problem(value: str) -> str:
    """Why ``value`` cannot be stored ("" when it can): a NUL, a lone surrogate."""
    if "\x00" in value:
        return f"holds a NUL character (U+0000) at {value.index(chr(0))}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"holds a lone UTF-16 surrogate (\\u{ord(value[exc.start]):04x}) at {exc.start}; "
            "it is not a character"
        )
    return ""


@lru_cache(maxsize=4096)  # labels and names repeat on every record
def word_problem(value: str, limit: int) -> str:
    """Why ``value`` cannot be a label, a stance value, a name or a target ("" when it can):
    blank, too long, spaces at its ends, or a control character or line break inside."""
    if not value.strip():
        return "is blank"
    if len(value) > limit:
        return f"is {len(value)} characters long (at most {limit})"
    bad = next((c for c in value if unicodedata.category(c) in _BREAKING), None)
    if bad is not None:
        return f"holds a control character or line break (U+{ord(bad):04X})"
    if value != value.strip():
        return "has spaces at its ends"
    return ""


def _need(problem: str, what: str) -> None:
    if problem:
        raise InputError(f"{what} {problem}")


def _meta_problem(value: Any, depth: int = 0) -> str:
    if depth > MAX_META_DEPTH:
        return f"nests deeper than {MAX_META_DEPTH} levels"
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f"holds the number {value}, which JSON cannot store"
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"has a key that is not a string ({key!r})"
            why = text_problem(key) or _meta_problem(item, depth + 1)
            if why:
                return _under(f"[{key[:40]!r}]", why)
        return ""
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            why = _meta_problem(item, depth + 1)
            if why:
                return _under(f"[{i}]", why)
    return ""


def _under(step: str, why: str) -> str:
    """``['a'][0] holds …``: where in ``meta`` the problem is, then what it is."""
    return step + ("" if why.startswith("[") else " ") + why


def _string(value: object, what: str) -> str:
    """``value``, which a reader should have made sure is a string (a reader that let a number
    through must not crash the import: it is refused like any other bad value)."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {type(value).__name__}")
    return value


def check_record(record: Record) -> None:
    """Raise :class:`InputError` naming the field when a string of ``record`` cannot be
    stored as it is (see the module's docstring)."""
    doc = record.document
    _need(text_problem(_string(doc.text, "the text")), "the text")
    if doc.title is not None:
        _need(text_problem(_string(doc.title, "the title")), "the title")
    _need(text_problem(_string(doc.source, "the source")), "the source")
    _need(_meta_problem(dict(doc.meta)), "meta")
    a = record.annotation
    if a is None:
        return
    if a.annotator is not None:
        name = _string(a.annotator, "the annotator name")
        _need(word_problem(name, MAX_NAME), f"the annotator name {name[:40]!r}")
    _need(text_problem(_string(a.comment, "the comment")), "the comment")
    labels = [span.label for span in a.spans]
    # each label once (ten spans, two or three labels), in the order met
    for label in dict.fromkeys(labels) if all(type(x) is str for x in labels) else labels:
        label = _string(label, "a span's label")
        _need(word_problem(label, MAX_LABEL), f"the label {label[:40]!r}")
    for judgement in a.stances:
        target = _string(judgement.target, "a stance target")
        _need(word_problem(target, MAX_NAME), f"the stance target {target!r}")
        value = _string(judgement.value, "a stance value")
        _need(word_problem(value, MAX_LABEL), f"the stance value {value!r}")
