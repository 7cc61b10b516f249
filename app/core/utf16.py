"""Conversion between code-point indices (ours) and UTF-16 code-unit indices (Qt's).

Every character above U+FFFF ("astral": most emoji, some CJK) is one code point but two
UTF-16 units, so the two index systems drift apart after each astral character.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

_BMP_MAX = 0xFFFF


class Utf16Map:
    """Index converter for one text, built once in O(n); each lookup is O(log k).

    ``k`` is the number of astral characters in the text; texts without any pay nothing
    beyond one scan.
    """

    __slots__ = ("_astral", "_astral_utf16", "_length")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        # Code-point index of every astral character, ascending.
        self._astral: list[int] = [i for i, ch in enumerate(text) if ord(ch) > _BMP_MAX]
        # UTF-16 index of the high surrogate of every astral character, ascending.
        self._astral_utf16: list[int] = [cp + n for n, cp in enumerate(self._astral)]

    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._length

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._length + len(self._astral)

    def to_utf16(self, cp_index: int) -> int:
        """Return the UTF-16 index of code-point index ``cp_index`` (0..length inclusive).

        Raises:
            ValueError: ``cp_index`` is outside ``0..length``.
        """
        if not 0 <= cp_index <= self._length:
            raise ValueError(f"code-point index {cp_index} out of range 0..{self._length}")
        return cp_index + bisect_left(self._astral, cp_index)

    def to_code_point(self, utf16_index: int) -> int:
        """Return the code-point index of UTF-16 index ``utf16_index`` (0..utf16_length).

        An index that falls between the two surrogates of an astral character rounds down
        to that character's start, so the result is always a valid ``str`` index and never
        splits a character.

        Raises:
            ValueError: ``utf16_index`` is outside ``0..utf16_length``.
        """
        if not 0 <= utf16_index <= self.utf16_length:
            raise ValueError(f"UTF-16 index {utf16_index} out of range 0..{self.utf16_length}")
        # Astral characters that end at or before utf16_index each contributed one extra unit.
        complete = bisect_right(self._astral_utf16, utf16_index - 2)
        inside_pair = (
            complete < len(self._astral_utf16) and self._astral_utf16[complete] == utf16_index - 1
        )
        return utf16_index - complete - (1 if inside_pair else 0)
