"""Tokens for token-level training formats (spaCy, Hugging Face, CoNLL).

Words are runs of letters, marks, digits and joiners; every other non-space grapheme cluster
(punctuation, an emoji, a flag) is a token of its own. Tokens are then split at every span
edge that falls inside them, so each span covers whole tokens (``و`` before ``الاتحاد``, or an
emoji glued to a word, never costs a span). Optionally, proclitics before the article are
split off (``بالاتحاد`` → ``ب`` + ``الاتحاد``), as Arabic NER corpora often do.

Offsets are code points into the original text; ``text[t.start:t.end]`` is the token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import regex

from app.core.arabic import snap_span

_TOKEN = regex.compile(r"[\w\p{M}\u200c\u200d]+|\X")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int


def tokenize(
    text: str,
    cut_at: Iterable[int] = (),
    *,
    split_clitics: bool = False,
) -> list[Token]:
    """Tokens of ``text``, additionally cut at the offsets in ``cut_at`` (span edges)."""
    cuts = sorted(set(cut_at))
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():  # a mark after a space clusters with it
            start += 1
        if start == end:
            continue
        edges = [start]
        if split_clitics:
            stripped, _ = snap_span(text, start, end, strip_proclitics=True)
            if start < stripped < end:
                edges.append(stripped)
        edges += [c for c in cuts if start < c < end]
        edges = [*sorted(set(edges)), end]
        tokens.extend(Token(a, b) for a, b in pairwise(edges) if a < b)
    return tokens


def bio_tags(tokens: list[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for non-overlapping ``spans`` (start, end, label) that cover whole tokens;
    for nested spans pass one layer at a time."""
    tags = ["O"] * len(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    for start, end, label in spans:
        if start not in starts or end not in ends:
            raise ValueError(f"span [{start}, {end}) does not cover whole tokens")
        first, last = starts[start], ends[end]
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def whitespace_after(text: str, tokens: list[Token]) -> list[bool]:
    """Whether each token is followed by whitespace (spaCy's ``spaces``)."""
    return [t.end < len(text) and text[t.end].isspace() for t in tokens]
