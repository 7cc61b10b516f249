"""Folded "matching keys" for search and lookup, with a map back to original offsets.

The stored text is never altered. A key is a separate string in which spelling variants
that users do not distinguish when searching collapse to one form; every key character
remembers which original characters produced it, so a hit in the key can be highlighted
in the original.

Folding, character by character:

* alef forms أ إ آ ٱ ٲ ٳ and the hamza seats ؤ ئ → ا (المسؤول = المسئول, هيئة = هيأة);
  ى and Farsi ی → ي; Farsi ک → ك; ة → ه;
* ``لل`` at the start of a word, or after a word-initial و or ف (لـ + the article, whose alef
  Arabic drops) → ``لال``, so ``الاتحاد`` finds ``للاتحاد`` and ``وللاتحاد``;
* tatweel (U+0640), tashkeel and Quranic marks (U+0610–U+061A, U+064B–U+065F, U+0670,
  U+06D6–U+06ED, U+08D3–U+08FF except U+08E2) and :data:`INVISIBLE_CHARS` are dropped;
* Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits → ASCII 0–9;
* every space separator (category Zs: NBSP, narrow NBSP, ...) → an ASCII space;
* anything else → ``str.casefold`` of the character, which may yield several key
  characters (ß → ss).

There is no Unicode normalization (NFC/NFKC): presentation forms and decomposed hamza
sequences do not fold to their ordinary spellings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from app.core.arabic.invisible import INVISIBLE_CHARS

TATWEEL = "\u0640"

FOLD_VERSION = 3
"""The version of the folding rules below; bump it whenever a rule changes. It is part of the
search index's version (``app.core.arabic.search_words.INDEX_VERSION``): a database indexed
with other rules is re-indexed by its next index build."""


def _char_range(first: int, last: int) -> str:
    return "".join(chr(cp) for cp in range(first, last + 1))


ARABIC_MARKS: frozenset[str] = frozenset(
    _char_range(0x0610, 0x061A)
    + _char_range(0x064B, 0x065F)
    + "\u0670"
    + _char_range(0x06D6, 0x06ED)
    + _char_range(0x08D3, 0x08E1)
    + _char_range(0x08E3, 0x08FF)
)
"""Tashkeel, Quranic annotation marks and similar signs dropped from keys."""

_REPLACEMENTS: dict[str, str] = {
    **dict.fromkeys("\u0623\u0625\u0622\u0671\u0672\u0673", "\u0627"),  # alef forms → ا
    # Hamza seats: المسؤول and المسئول, هيئة and هيأة are one word spelled two ways.
    **dict.fromkeys("\u0624\u0626", "\u0627"),  # ؤ ئ → ا
    "\u0649": "\u064a",  # alef maksura ى → ي
    "\u06cc": "\u064a",  # Farsi yeh ی → ي
    "\u06a9": "\u0643",  # keheh ک → ك
    "\u0629": "\u0647",  # teh marbuta ة → ه
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended Arabic-Indic digits
    **dict.fromkeys(ARABIC_MARKS | {TATWEEL} | set(INVISIBLE_CHARS), ""),
}

# Dropped characters that belong to the letter before them: a key range ending at that
# letter extends over them, so a highlighted hit includes the letter's diacritics.
_TRAILING_DROPPED: frozenset[str] = ARABIC_MARKS | {TATWEEL}


# Every character of Unicode's category Zs (checked against unicodedata by the tests).
SPACE_SEPARATORS = "\u0020\u00a0\u1680" + _char_range(0x2000, 0x200A) + "\u202f\u205f\u3000"

# The whole per-character fold as one str.translate table, then str.casefold: what
# _fold_char does one character at a time, at C speed. A list over the Basic Multilingual
# Plane translates twice as fast as a dict; characters past it raise IndexError, which
# str.translate reads as "keep" (no rule above is about one of them).
_TABLE: list[int | str] = list(range(0x10000))
for _ch, _folded in {**dict.fromkeys(SPACE_SEPARATORS, " "), **_REPLACEMENTS}.items():
    _TABLE[ord(_ch)] = _folded

# Characters whose case fold starts or ends with a letter when they are not one, or the
# other way round (İ → i + U+0307, U+0345 → ι): next to them the لل rule, which asks whether
# the original neighbour is a letter, cannot be read off the key. Texts holding one take the
# character-by-character path. Checked against unicodedata by the tests.
_CASEFOLD_CHANGES_LETTERNESS = re.compile(
    "[\u0130\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50\u1f52\u1f54\u1f56\u1fb6"
    "\u1fc6\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2-\u1fe4\u1fe6\u1fe7\u1ff6]"
)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    replacement = _REPLACEMENTS.get(ch)
    if replacement is not None:
        return replacement
    if unicodedata.category(ch) == "Zs":
        return " "
    return ch.casefold()


@dataclass(frozen=True, slots=True)
class MatchingKey:
    """A folded key of one original text plus the map from key offsets back to it.

    ``starts[k]`` is the original index of the character that produced ``key[k]``;
    ``ends[k]`` is just past that character and any dropped marks/tatweel directly
    following it. When one original character yields several key characters (ß → ss)
    they share their start and end: key offsets inside such a group round outwards.
    """

    key: str
    source_length: int
    starts: tuple[int, ...] = field(repr=False)
    ends: tuple[int, ...] = field(repr=False)

    def to_original_start(self, key_index: int) -> int:
        """Map a start offset in the key (0..len(key)) to an original start offset.

        ``len(key)`` maps to the end of the original text.
        """
        self._check(key_index)
        if key_index == len(self.key):
            return self.source_length
        return self.starts[key_index]

    def to_original_end(self, key_index: int) -> int:
        """Map an end offset in the key (0..len(key)) to an original end offset.

        The result lies past the original character that produced ``key[key_index - 1]``
        and past any tashkeel/tatweel directly following it, so
        ``original[to_original_start(i):to_original_end(j)]`` is the original text of
        ``key[i:j]`` including the diacritics of its last letter. ``0`` maps to ``0``.
        """
        self._check(key_index)
        return 0 if key_index == 0 else self.ends[key_index - 1]

    def find(self, query: str, *, overlapping: bool = False) -> list[tuple[int, int]]:
        """Return original ``(start, end)`` ranges of every occurrence of ``fold(query)``.

        Occurrences are searched left to right and, unless ``overlapping``, do not
        overlap. A query whose key is empty (only marks, say) finds nothing.
        """
        needle = fold(query)
        if not needle:
            return []
        step = 1 if overlapping else len(needle)
        hits: list[tuple[int, int]] = []
        position = self.key.find(needle)
        while position != -1:
            end = position + len(needle)
            hits.append((self.to_original_start(position), self.to_original_end(end)))
            position = self.key.find(needle, position + step)
        return hits

    def _check(self, key_index: int) -> None:
        if not 0 <= key_index <= len(self.key):
            raise ValueError(f"key index {key_index} out of range 0..{len(self.key)}")


LAM = "\u0644"
CONJUNCTIONS = "\u0648\u0641"  # و ف


def _restored_alefs(text: str) -> set[int]:
    """Indexes of the lams of ``لـ`` + article (``للاتحاد``, ``لِلاتحاد``): a lam that starts a
    word and is followed by another lam and a letter, diacritics and tatweel aside."""
    kept = [i for i, ch in enumerate(text) if _fold_char(ch)]
    found = set()
    for n, i in enumerate(kept[:-2]):
        if text[i] != LAM or text[kept[n + 1]] != LAM or not text[kept[n + 2]].isalpha():
            continue
        before = text[kept[n - 1]] if n else " "
        if not before.isalpha() or _after_word_start_conjunction(text, kept, n):
            found.add(i)
    return found


def _after_word_start_conjunction(text: str, kept: list[int], n: int) -> bool:
    """Whether the kept character before ``kept[n]`` is و or ف starting a word (وللاتحاد)."""
    if n == 0 or text[kept[n - 1]] not in CONJUNCTIONS:
        return False
    return n == 1 or not text[kept[n - 2]].isalpha()


def matching_key(text: str) -> MatchingKey:
    """Fold ``text`` into a :class:`MatchingKey` (see the module docstring for the rules)."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    restored = _restored_alefs(text) if LAM in text else set()
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if index in restored:
            # للاتحاد → لالاتحاد: the article's alef comes back, so الاتحاد finds it. Like ß →
            # ss, both key characters come from the first lam (a hit highlights للاتحاد).
            parts.append(LAM + "\u0627")
            starts.extend([index, index])
            ends.extend([index + 1, index + 1])
            continue
        if folded:
            parts.append(folded)
            starts.extend([index] * len(folded))
            ends.extend([index + 1] * len(folded))
        elif ch in _TRAILING_DROPPED and ends and ends[-1] == index:
            # Extend the last kept character (all key chars it produced) over this mark.
            k = len(ends) - 1
            while k >= 0 and ends[k] == index:
                ends[k] = index + 1
                k -= 1
    return MatchingKey("".join(parts), len(text), tuple(starts), tuple(ends))


def _starts_word(key: str, at: int) -> bool:
    """Whether ``key[at]`` starts a word, or follows a word-initial و or ف."""
    if at == 0 or not key[at - 1].isalpha():
        return True
    return key[at - 1] in CONJUNCTIONS and (at == 1 or not key[at - 2].isalpha())


def fold(text: str) -> str:
    """Return only the folded key of ``text`` (``matching_key(text).key``, without the offset
    map): one ``str.translate`` and one ``str.casefold`` pass, then the لل rule at the few
    places where the key holds ``لل``."""
    if _CASEFOLD_CHANGES_LETTERNESS.search(text):
        return matching_key(text).key
    key = text.translate(_TABLE).casefold()
    at = key.find(LAM + LAM)
    if at == -1:
        return key
    parts, done = [], 0
    while at != -1:
        # A key character is a letter exactly when the original one that made it is (no
        # character above is in the text), so the rule reads the same off the key.
        if _starts_word(key, at) and key[at + 2 : at + 3].isalpha():
            parts.append(key[done : at + 1] + "\u0627")
            done = at + 1
        at = key.find(LAM + LAM, at + 1)
    parts.append(key[done:])
    return "".join(parts)
