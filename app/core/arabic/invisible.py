"""Invisible formatting characters common in Arabic web text: bidi controls, joiners, BOM.

They are kept in stored text (offsets must not move) but are dropped from matching keys
and can be made visible by the GUI's "show invisible characters" mode.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

INVISIBLE_CHARS: Mapping[str, str] = MappingProxyType(
    {
        "\u200e": "LRM",  # left-to-right mark
        "\u200f": "RLM",  # right-to-left mark
        "\u061c": "ALM",  # Arabic letter mark
        "\u202a": "LRE",  # left-to-right embedding
        "\u202b": "RLE",  # right-to-left embedding
        "\u202c": "PDF",  # pop directional formatting
        "\u202d": "LRO",  # left-to-right override
        "\u202e": "RLO",  # right-to-left override
        "\u2066": "LRI",  # left-to-right isolate
        "\u2067": "RLI",  # right-to-left isolate
        "\u2068": "FSI",  # first strong isolate
        "\u2069": "PDI",  # pop directional isolate
        "\u200d": "ZWJ",  # zero width joiner
        "\u200c": "ZWNJ",  # zero width non-joiner
        "\u200b": "ZWSP",  # zero width space
        "\u2060": "WJ",  # word joiner
        "\ufeff": "BOM",  # byte order mark / zero width no-break space
        "\u00ad": "SHY",  # soft hyphen
    }
)
"""Every invisible character we name, mapped to its short name."""

BIDI_CONTROLS: frozenset[str] = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""The subset of :data:`INVISIBLE_CHARS` that changes bidirectional layout."""


def find_invisible(text: str) -> list[tuple[int, str]]:
    """Return ``(index, name)`` for every character of ``text`` in :data:`INVISIBLE_CHARS`."""
    return [(i, INVISIBLE_CHARS[ch]) for i, ch in enumerate(text) if ch in INVISIBLE_CHARS]


def has_bidi_controls(text: str) -> bool:
    """Tell whether ``text`` contains any bidi control (marks, embeddings, isolates)."""
    return not BIDI_CONTROLS.isdisjoint(text)


def visible_symbol(ch: str) -> str:
    """Return a printable placeholder for ``ch`` in "show invisible characters" mode.

    Named characters give ``‹NAME›`` (e.g. ``‹RLM›``); any other format character
    (category Cf) gives ``‹U+XXXX›``; every other character is returned unchanged.

    Raises:
        ValueError: ``ch`` is not exactly one character.
    """
    if len(ch) != 1:
        raise ValueError(f"expected one character, got {len(ch)}")
    name = INVISIBLE_CHARS.get(ch)
    if name is not None:
        return f"‹{name}›"
    if unicodedata.category(ch) == "Cf":
        return f"‹U+{ord(ch):04X}›"
    return ch
