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


class Lexicon(dict[str, str]):
    """A lexicon (folded key → label) prepared for :func:`suggest`: which key lengths occur,
    and the order in which keys are tried (the longest first; among keys of one length, the
    order they were given in). Built once per lexicon, read-only after."""

    def __init__(self, entries: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(entries)
        self.rank = {
            key: i for i, key in enumerate(sorted((k for k in self if k), key=len, reverse=True))
        }
        self.lengths = frozenset(len(key) for key in self.rank)
        self.longest = max(self.lengths, default=0)


def build_lexicon(surfaces: Iterable[tuple[str, str, int]]) -> Lexicon:
    """``(span text, label, how often approved)`` rows → folded key → the label it has most
    often (ties: the first label in alphabetical order, so the choice is stable)."""
    counts: dict[str, Counter[str]] = {}
    for surface, label, n in surfaces:
        key = fold(surface).strip()
        if sum(ch.isalpha() for ch in key) >= MIN_LETTERS:
            counts.setdefault(key, Counter())[label] += n
    return Lexicon(
        (key, min(labels.items(), key=lambda item: (-item[1], item[0]))[0])
        for key, labels in counts.items()
    )


def suggest(
    text: str,
    lexicon: Mapping[str, str],
    taken: Sequence[tuple[int, int]] = (),
    source: str = "corpus",
) -> list[Suggestion]:
    """The lexicon's entries found in ``text`` (see the module docstring), in reading order,
    none overlapping another or a ``taken`` range.

    Keys are looked up, not searched for: a match can only begin where a word begins (or
    after its proclitic) and only end where a word ends, so the text's few such places are
    paired up to the lexicon's longest key and each slice looked up — the cost follows the
    document, not the size of the lexicon. Matches are then taken as if every key were
    searched for in turn, the longest first (:class:`Lexicon`'s ``rank``)."""
    if not lexicon or not text:
        return []
    lex = lexicon if isinstance(lexicon, Lexicon) else Lexicon(lexicon)
    mk = matching_key(text)
    key = mk.key
    starts, ends = _edges(key)
    hits: list[tuple[int, int, int]] = []  # (rank, start, end) in the key
    rank, lengths, longest = lex.rank, lex.lengths, lex.longest
    first_end = 0
    for start in starts:
        while first_end < len(ends) and ends[first_end] <= start:
            first_end += 1
        for end in ends[first_end:]:
            if end - start > longest:
                break
            if end - start in lengths:
                r = rank.get(key[start:end])
                if r is not None:
                    hits.append((r, start, end))
    hits.sort()
    found: list[tuple[int, int, str]] = []
    for _r, start, end in hits:
        hit = _placed(mk, start, end)
        if hit is not None and not _overlaps(hit, taken, found):
            found.append((*hit, lex[key[start:end]]))
    return [Suggestion(a, b, label, source) for a, b, label in sorted(found)]


def _edges(key: str) -> tuple[list[int], list[int]]:
    """Where a match may start in ``key`` (after a non-letter, at the text's start, or after
    a word's proclitic) and where it may end (before a non-letter or at the text's end), in
    order: the key-level conditions of :func:`_placed`."""
    n = len(key)
    letter = [ch.isalpha() for ch in key]
    starts: list[int] = []
    ends: list[int] = []
    for i in range(n):
        if i == 0 or not letter[i - 1]:
            starts.append(i)
            if letter[i]:  # a word begins: after its proclitic, if it has one
                starts.extend(i + k for k in (1, 2) if i + k < n and key[i : i + k] in PROCLITICS)
        if i > 0 and not letter[i]:
            ends.append(i)
    ends.append(n)
    return sorted(set(starts)), ends


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
