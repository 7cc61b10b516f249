"""Suggestions: what reviewers approved elsewhere in the corpus, found again in a document.

A *lexicon* maps the folded key (:func:`app.core.arabic.matching_key.fold`) of every approved
span's text to the label it was approved with most often. :func:`suggest` finds those keys in
a document's folded text, clitic-aware and whole-word:

- a match may follow a proclitic inside its word — و ف (and), ب ك ل (prepositions) and their
  pairs (وب، فل ...) — which is left out of the suggestion: ``الفيروس`` inside ``بالفيروس``
  suggests ``الفيروس``; ``للاتحاد`` (لـ + the article, whose alef Arabic drops) suggests
  ``لاتحاد`` for ``الاتحاد``, the preposition's lam left out;
- a match must end where its word ends: ``فيروس`` does not suggest inside ``فيروسات``;
- the longest match wins where several overlap, and nothing is suggested over an existing span
  (a suggestion is never a label until it is accepted).

Offsets are code points into the original text, like every span's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.core.arabic.matching_key import MatchingKey, fold, matching_key

PROCLITICS = frozenset(
    {"و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"}
)  # fmt: skip
"""What may come before a match inside its word (folded letters)."""
MIN_LETTERS = 2
"""Shorter approved spans (a letter, an initial) are not suggested: too many false hits."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    label: str
    source: str = "corpus"  # what proposed it: approved spans ("corpus"), or a model's name


def build_lexicon(surfaces: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """``(span text, label, how often approved)`` rows → folded key → the label it has most
    often (ties: the first label in alphabetical order, so the choice is stable)."""
    counts: dict[str, Counter[str]] = {}
    for surface, label, n in surfaces:
        key = fold(surface).strip()
        if sum(ch.isalpha() for ch in key) >= MIN_LETTERS:
            counts.setdefault(key, Counter())[label] += n
    return {
        key: min(labels.items(), key=lambda item: (-item[1], item[0]))[0]
        for key, labels in counts.items()
    }


def suggest(
    text: str,
    lexicon: Mapping[str, str],
    taken: Sequence[tuple[int, int]] = (),
    source: str = "corpus",
) -> list[Suggestion]:
    """The lexicon's entries found in ``text`` (see the module docstring), in reading order,
    none overlapping another or a ``taken`` range."""
    if not lexicon or not text:
        return []
    mk = matching_key(text)
    found: list[tuple[int, int, str]] = []
    for needle in sorted(lexicon, key=len, reverse=True):  # the longest first
        at = mk.key.find(needle)
        while at != -1:
            hit = _placed(mk, at, at + len(needle))
            if hit is not None and not _overlaps(hit, taken, found):
                found.append((*hit, lexicon[needle]))
            at = mk.key.find(needle, at + 1)
    return [Suggestion(a, b, label, source) for a, b, label in sorted(found)]


def _placed(mk: MatchingKey, start: int, end: int) -> tuple[int, int] | None:
    """The original range of ``key[start:end]`` when it is a whole word after at most a
    proclitic, else None."""
    key = mk.key
    if end < len(key) and key[end].isalpha():
        return None  # the word goes on (فيروسات)
    word = start
    while word > 0 and key[word - 1].isalpha():
        word -= 1
    if word != start and key[word:start] not in PROCLITICS:
        return None
    first = mk.to_original_start(start)
    if start > 0 and mk.starts[start - 1] == first:
        first += 1  # the alef restored in للاتحاد: the match starts at the article's lam
    last = mk.to_original_end(end)
    return (first, last) if first < last else None


def _overlaps(
    hit: tuple[int, int], taken: Sequence[tuple[int, int]], found: list[tuple[int, int, str]]
) -> bool:
    a, b = hit
    return any(s < b and a < e for s, e in taken) or any(s < b and a < e for s, e, _ in found)
