"""Turn a sloppy mouse selection into a clean entity span over Arabic (or any) text.

A *word* is a maximal run of word clusters: extended grapheme clusters containing a letter
or digit (categories L*, N*) or starting with a combining mark. Whitespace, punctuation
(Arabic ، ؛ ؟ « » included), symbols, emoji and bidi controls are not word clusters.
Clusters are the unit throughout, so span edges never split a letter from its tashkeel
and a diacritic on a proclitic (وَ، بِ) moves with the proclitic.

Proclitics are the conjunctions و ف, optionally followed by one of the prepositions ب ك ل,
or one of ب ك ل alone. Automatic stripping (``snap_span``) only removes them in front of
the definite article ال (ٱل) followed by at least MIN_STEM_LETTERS letters, where the
split is almost always right: وزير, بريطانيا, كندا, فرنسا, لبنان, والد are never cut. Known
exceptions (كاليفورنيا, بالتيمور, ...) are listed in CLITIC_LOOKALIKES. Preposition ل fuses
with the article (ل + الاتحاد is written للاتحاد); such words no longer contain ال after
the ل and stay whole.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from app.core.arabic.matching_key import TATWEEL, fold
from app.core.graphemes import (
    next_grapheme_boundary,
    previous_grapheme_boundary,
    snap_to_grapheme,
)

CONJUNCTIONS = "وف"
PREPOSITIONS = "بكل"
ARTICLE = "ال"
ALEF = ARTICLE[0]
_ALEF_WASLA = "\u0671"
MIN_STEM_LETTERS = 3
"""Letters that must follow ال for a proclitic or the article to be stripped."""

CLITIC_LOOKALIKES: frozenset[str] = frozenset(
    fold(word)
    for word in (
        # A root letter that looks like a proclitic, followed by ال that is not the article.
        "كاليفورنيا", "كالكوتا", "كالينينغراد", "كاليدونيا", "كالياري", "كالدرون",
        "كالاشنيكوف", "كالابريا", "فالنسيا", "فالكون", "فالنتين", "فالديز", "بالتيمور",
        "بالستي", "باليستي", "بالارد", "والتون",
        # Words whose leading ال is not the article.
        "الكسندر", "البانيا", "الاسكا", "الفريد", "البرت", "الونسو",
    )
)  # fmt: skip
"""Folded word beginnings never split by automatic stripping (extend as needed)."""

_MAX_LETTERS = 32  # longer "words" are not Arabic words; no need to look further


def snap_span(
    text: str,
    start: int,
    end: int,
    *,
    strip_proclitics: bool = True,
    strip_article: bool = False,
) -> tuple[int, int]:
    """Snap a selection ``[start, end)`` of ``text`` to a clean span of whole words.

    Steps: round the edges outwards to cluster boundaries; trim non-word clusters from
    both ends; extend both ends to whole words; if ``strip_proclitics``, drop proclitics
    of the first word that stand before the article (بالاتحاد, وبالاتحاد → الاتحاد,
    but never a word in :data:`CLITIC_LOOKALIKES`); if ``strip_article``, then drop ال
    from the first word too. Either stripping needs :data:`MIN_STEM_LETTERS` letters after
    ال, which protects words like والد or الله.

    ``start > end`` is accepted and swapped. If nothing but non-word clusters is selected
    (or nothing at all), the result is the empty span ``(p, p)`` where ``p`` is the smaller
    index rounded down to a cluster boundary.

    Raises:
        ValueError: ``start`` or ``end`` is outside ``0..len(text)``.
    """
    start, end = _ordered(text, start, end)
    anchor = snap_to_grapheme(text, start, forward=False)
    if start == end:
        return anchor, anchor
    s, e = anchor, snap_to_grapheme(text, end, forward=True)
    while s < e and not _word_cluster_at(text, s):
        s = next_grapheme_boundary(text, s)
    while e > s and not _word_cluster_before(text, e):
        e = previous_grapheme_boundary(text, e)
    if s == e:
        return anchor, anchor
    while s > 0 and _word_cluster_before(text, s):
        s = previous_grapheme_boundary(text, s)
    while e < len(text) and _word_cluster_at(text, e):
        e = next_grapheme_boundary(text, e)
    if strip_proclitics:
        s = _strip_proclitics_before_article(text, s, e)
    if strip_article:
        s = _strip_article(text, s, e)
    return s, e


def strip_leading_clitic(text: str, start: int, end: int) -> int:
    """Return ``start`` moved past one leading proclitic letter of the span's first word.

    Meant for an explicit user action, so no check is made that the letter really is a
    clitic: بواشنطن → واشنطن, لأفغانستان → أفغانستان. Exactly one letter (with its
    tashkeel and any tatweel after it) is removed per call; وبواشنطن needs two calls.
    Removing two at once would wrongly cut وبريطانيا or ولبنان. ``start`` is returned
    unchanged when the span does not start with و ف ب ك ل or when that letter is the
    whole word.

    Raises:
        ValueError: ``start`` or ``end`` is outside ``0..len(text)``.
    """
    start, end = _ordered(text, start, end)
    s = snap_to_grapheme(text, start, forward=True)
    letters = _first_word_letters(text, s, end)
    if len(letters) < 2 or letters[0][1] not in CONJUNCTIONS + PREPOSITIONS:
        return start
    return letters[1][0]


def _strip_proclitics_before_article(text: str, start: int, end: int) -> int:
    letters = _first_word_letters(text, start, end)
    bases = "".join(ALEF if ch == _ALEF_WASLA else ch for _, ch in letters)
    folded = fold(bases)
    for length in (2, 1):
        if not _is_proclitic_sequence(bases[:length]):
            continue
        if not _starts_with_article(bases[length:]):
            continue
        if any(folded.startswith(word, k) for k in range(length) for word in CLITIC_LOOKALIKES):
            return start
        return letters[length][0]
    return start


def _strip_article(text: str, start: int, end: int) -> int:
    letters = _first_word_letters(text, start, end)
    bases = "".join(ALEF if ch == _ALEF_WASLA else ch for _, ch in letters)
    if not _starts_with_article(bases):
        return start
    folded = fold(bases)
    if any(folded.startswith(word) for word in CLITIC_LOOKALIKES):
        return start
    return letters[len(ARTICLE)][0]


def _is_proclitic_sequence(letters: str) -> bool:
    if len(letters) == 1:
        return letters in CONJUNCTIONS + PREPOSITIONS
    return len(letters) == 2 and letters[0] in CONJUNCTIONS and letters[1] in PREPOSITIONS


def _starts_with_article(letters: str) -> bool:
    return letters.startswith(ARTICLE) and len(letters) - len(ARTICLE) >= MIN_STEM_LETTERS


def _first_word_letters(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Return ``(cluster_start, base_char)`` of the first word's clusters in ``[start, end)``.

    Tatweel clusters are skipped: they belong to the letter before them.
    """
    letters: list[tuple[int, str]] = []
    position = start
    while position < end and len(letters) < _MAX_LETTERS and _word_cluster_at(text, position):
        if text[position] != TATWEEL:
            letters.append((position, text[position]))
        position = next_grapheme_boundary(text, position)
    return letters


def _word_cluster_at(text: str, boundary: int) -> bool:
    return _is_word_cluster(text[boundary : next_grapheme_boundary(text, boundary)])


def _word_cluster_before(text: str, boundary: int) -> bool:
    return _is_word_cluster(text[previous_grapheme_boundary(text, boundary) : boundary])


@lru_cache(maxsize=4096)
def _is_word_cluster(cluster: str) -> bool:
    if unicodedata.category(cluster[0]).startswith("M"):
        return True
    return any(unicodedata.category(ch)[0] in "LN" for ch in cluster)


def _ordered(text: str, start: int, end: int) -> tuple[int, int]:
    for index in (start, end):
        if not 0 <= index <= len(text):
            raise ValueError(f"index {index} out of range for a text of length {len(text)}")
    return (end, start) if start > end else (start, end)
