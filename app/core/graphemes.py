"""Extended grapheme cluster boundaries (UAX #29), in code-point indices.

Span edges shown to users must never split a cluster: an Arabic letter and its tashkeel,
an emoji ZWJ sequence or a flag are each one cluster. Segmentation is delegated to the
``regex`` module's ``\\X``; this module only adds index-oriented helpers on top of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

_CLUSTER = regex.compile(r"\X")

# Characters whose boundary *before* them can depend on more than the one preceding
# character: Extended_Pictographic (GB11, emoji ZWJ sequences), Regional_Indicator
# (GB12/GB13, flags) and InCB=Consonant (GB9c, Indic conjuncts). Before any other
# character the boundary is decided by the pair (previous char, this char) alone.
_CONTEXT_SENSITIVE = regex.compile(
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\p{InCB=Consonant}]"
)


def grapheme_boundaries(text: str) -> list[int]:
    """Return every cluster boundary of ``text``, sorted, including 0 and ``len(text)``."""
    return list(iter_grapheme_boundaries(text))


def iter_grapheme_boundaries(text: str) -> Iterator[int]:
    """:func:`grapheme_boundaries` one at a time (for long texts)."""
    yield 0
    for match in _CLUSTER.finditer(text):
        yield match.end()


def is_grapheme_boundary(text: str, index: int) -> bool:
    """Tell whether ``index`` is a cluster boundary of ``text``.

    Only a small window before ``index`` is examined (normally one character; a run of
    emoji, flag or Indic-conjunct characters at most), so this is cheap on long texts.

    Raises:
        ValueError: ``index`` is outside ``0..len(text)``.
    """
    _check_index(text, index)
    if index in (0, len(text)):
        return True
    if not is_context_sensitive(text[index]):
        return pair_breaks(text[index - 1], text[index])
    anchor = _known_boundary_before(text, index)
    window = text[anchor : index + 1]
    return index - anchor in {match.end() for match in _CLUSTER.finditer(window)}


def snap_to_grapheme(text: str, index: int, *, forward: bool) -> int:
    """Return the nearest cluster boundary at/after (``forward``) or at/before ``index``.

    Raises:
        ValueError: ``index`` is outside ``0..len(text)``.
    """
    _check_index(text, index)
    step = 1 if forward else -1
    while not is_grapheme_boundary(text, index):
        index += step
    return index


def next_grapheme_boundary(text: str, index: int) -> int:
    """Return the first cluster boundary strictly after ``index`` (``index < len(text)``)."""
    if not 0 <= index < len(text):
        raise ValueError(f"index {index} has no following boundary in a text of {len(text)}")
    return snap_to_grapheme(text, index + 1, forward=True)


def previous_grapheme_boundary(text: str, index: int) -> int:
    """Return the last cluster boundary strictly before ``index`` (``0 < index``)."""
    if not 0 < index <= len(text):
        raise ValueError(f"index {index} has no preceding boundary in a text of {len(text)}")
    return snap_to_grapheme(text, index - 1, forward=False)


def _check_index(text: str, index: int) -> None:
    if not 0 <= index <= len(text):
        raise ValueError(f"index {index} out of range for a text of length {len(text)}")


@lru_cache(maxsize=4096)
def is_context_sensitive(char: str) -> bool:
    return _CONTEXT_SENSITIVE.match(char) is not None


@lru_cache(maxsize=16384)
def pair_breaks(before: str, after: str) -> bool:
    """Tell whether a boundary separates ``before`` and ``after`` given no earlier context."""
    first = _CLUSTER.match(before + after)
    return first is not None and first.end() == 1


def _known_boundary_before(text: str, index: int) -> int:
    """Walk back from ``index`` to a position that is certainly a cluster boundary."""
    position = index - 1
    while position > 0:
        char = text[position]
        if not is_context_sensitive(char) and pair_breaks(text[position - 1], char):
            return position
        position -= 1
    return 0
