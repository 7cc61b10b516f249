"""The one tokenizer of every token format (CoNLL, Hugging Face, spaCy), and IOB2 layers.

Words are runs of letters, marks, digits and joiners; every other non-space grapheme cluster
(punctuation, an emoji, a flag) is a token of its own. A document read from a token file
(CoNLL: ``meta["pretokenized"]``) keeps that file's tokens instead: its text is the tokens
joined by spaces, so its tokens are the runs of non-space characters (``$#$``, ``ق.م.`` stay
one token, and the file round-trips token for token).

Either way tokens are then split at every span edge that falls inside them, so each span
covers whole tokens (``و`` before ``الاتحاد``, the ``،`` after ``الأوروبي``, an emoji glued
to a word never costs a span or widens one), and optionally proclitics before the article are
split off (``بالاتحاد`` → ``ب`` + ``الاتحاد``), as Arabic NER corpora often do.

Nested and overlapping spans are spread over layers of IOB2 tags, outermost first: spans are
taken in order of (start, longest first) and each goes into the first layer where it
overlaps nothing (layer 0 is the greedy outer layer). Offsets are code points into the
original text; ``text[t.start:t.end]`` is the token.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import pairwise
from typing import Any, NamedTuple

import regex

from app.core.arabic import snap_span
from app.core.domain import EntitySpan

PRETOKENIZED = "pretokenized"
"""The meta key a reader sets on a document whose text is a token file's tokens."""

_EXTENDS = r"\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}"
_WORD = regex.compile(rf"[\w\p{{M}}\u200c\u200d]+|(?!\s(?![{_EXTENDS}]))\X")
"""A word, or any other grapheme cluster except one of whitespace only (a space followed by
a combining mark is a cluster: the mark is kept, the space dropped below)."""
_CHUNK = regex.compile(r"\S+")
_SPACE_CLUSTER = regex.compile(rf"\s[{_EXTENDS}]|[\x1c-\x1f]")
"""A space that a mark (or joiner) after it makes one grapheme cluster with, or a character
Python calls a space and the regular expressions do not (U+001C-U+001F): a text holding one
is tokenized match by match (the space dropped from its token)."""


_PLAIN_RANGES = (
    (0x20, 0x7F),  # printable ASCII
    (0xA0, 0x250),  # Latin-1 and Latin Extended (é, °, ×, «»)
    (0x600, 0x700),  # Arabic
    (0x750, 0x780),  # Arabic Supplement
    (0x8A0, 0x900),  # Arabic Extended-A
    (0x2010, 0x2028),  # dashes, quotes, ellipsis
    (0x2030, 0x205F),  # per mille, primes, other punctuation
    (0x20A0, 0x20C1),  # currency signs
    (0xFB50, 0xFE00),  # Arabic Presentation Forms-A (ligatures in copied news text)
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B (contextual letter forms)
)
_PLAIN_CONTROLS = "\t\n\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Tab and line feed, and the bidirectional marks, embeddings and isolates news text carries:
a grapheme cluster each (``\\X`` breaks before and after them), not part of a word."""
_PLAIN_CLUSTERING = regex.compile(r"\p{GCB=Other}|\p{GCB=Extend}")


def _plain_alphabet() -> tuple[str, str]:
    """The characters on which the classes of :func:`_classes` find the same tokens as
    :data:`_WORD` (a test compares the two): letters, digits, punctuation and symbols of
    :data:`_PLAIN_RANGES` that make grapheme clusters of their own (combining marks only
    after a letter, a digit or another mark), and :data:`_PLAIN_CONTROLS`; and the combining
    marks among them. Not: format characters that join what follows (U+0600-U+0605) or that
    are invisible joiners, unassigned or private code points, line and paragraph separators,
    and the characters Python and the regular expressions disagree are spaces."""
    import unicodedata

    chars = [
        c
        for low, high in _PLAIN_RANGES
        for c in map(chr, range(low, high))
        if unicodedata.category(c)[0] in "LNPSMZ"
        and unicodedata.category(c) not in ("Zl", "Zp")
        and _PLAIN_CLUSTERING.match(c)
    ]
    chars += _PLAIN_CONTROLS
    marks = [c for c in chars if unicodedata.category(c).startswith("M")]
    return "".join(chars), "".join(marks)


_PLAIN_CHARS, _PLAIN_MARK_CHARS = _plain_alphabet()
_SPACE, _WORD_CHAR, _OTHER, _MARK, _NOT_PLAIN = 0, 1, 2, 3, 4
"""The class of each character of plain text (odd: part of a word), and of any other."""


@lru_cache(maxsize=1)
def _classes() -> Any:
    """:data:`_SPACE` ... :data:`_NOT_PLAIN` for each UTF-16 unit (a surrogate is not plain)."""
    import numpy

    word = regex.compile(r"\w")  # as _WORD counts word characters
    table = numpy.full(0x10000, _NOT_PLAIN, dtype=numpy.uint8)
    for char in _PLAIN_CHARS:
        if char in _PLAIN_MARK_CHARS:
            table[ord(char)] = _MARK
        elif char.isspace():
            table[ord(char)] = _SPACE
        else:
            table[ord(char)] = _WORD_CHAR if word.match(char) else _OTHER
    return table


def _plain_edges(text: str) -> tuple[list[int], list[int]] | None:
    """Where the tokens of plain text start and end, or None for text that is not plain.

    Plain text (nearly every news article) holds only characters of :func:`_plain_alphabet`,
    every combining mark after a letter, a digit or another mark (after a space or a symbol, a
    mark makes one grapheme cluster with it). Its tokens are then runs of word characters
    (``\\w`` and marks) and single other characters, found for the whole text at once from
    each character's class: a token starts at a non-space that does not continue a word, and
    ends before the next character unless a word goes on."""
    import numpy

    classes = _classes()[numpy.frombuffer(text.encode("utf-16-le"), dtype=numpy.uint16)]
    n = len(classes)
    if n == 0:
        return [], []
    if classes.max() == _NOT_PLAIN:
        return None
    word = classes & 1
    marks = numpy.flatnonzero(classes == _MARK)
    if len(marks) and (marks[0] == 0 or not word[marks - 1].all()):
        return None
    joined = numpy.zeros(n + 1, dtype=numpy.uint8)  # joined[i]: text[i-1] and text[i] one word
    joined[1:n] = word[1:] & word[:-1]
    token = (classes != _SPACE).view(numpy.uint8)
    starts = numpy.flatnonzero(token > joined[:n])
    ends = numpy.flatnonzero(token > joined[1:]) + 1
    return starts.tolist(), ends.tolist()


def _matched(text: str, pretokenized: bool) -> tuple[list[int], list[int]]:
    """Where the tokens of a text without a space cluster start and end (before any cut), by
    the regular expressions, match by match (plain text: :func:`_plain_edges`, in bulk)."""
    spans = [m.span() for m in (_CHUNK if pretokenized else _WORD).finditer(text)]
    return [a for a, _ in spans], [b for _, b in spans]


class Token(NamedTuple):
    start: int
    end: int


_token = partial(tuple.__new__, Token)
"""``Token`` of a ``(start, end)`` pair, without the Python-level ``Token.__new__``."""


def is_pretokenized(meta: Mapping[str, Any]) -> bool:
    return meta.get(PRETOKENIZED) is True


def tokenize(
    text: str,
    cut_at: Iterable[int] = (),
    *,
    split_clitics: bool = False,
    pretokenized: bool = False,
) -> list[Token]:
    """Tokens of ``text``, additionally cut at the offsets in ``cut_at`` (span edges)."""
    starts, ends = token_edges(text, cut_at, split_clitics=split_clitics, pretokenized=pretokenized)
    return list(map(_token, zip(starts, ends, strict=True)))


def token_edges(
    text: str,
    cut_at: Iterable[int] = (),
    *,
    split_clitics: bool = False,
    pretokenized: bool = False,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """:func:`tokenize` as two columns: where the tokens start, and where they end.

    The last few results are remembered: a training export hands one record to several
    writers (CoNLL, Hugging Face, spaCy), and each asks for the same tokens. A second process
    writing some of them is sent what this one found (:func:`known_edges`,
    :func:`remember_edges`)."""
    key = (text, tuple(sorted(set(cut_at))), split_clitics, pretokenized)
    edges = _RECENT.get(key)
    if edges is None:
        edges = _edges(*key)
        _keep({key: edges})
    return edges


Edges = tuple[tuple[int, ...], tuple[int, ...]]
RECENT_KEPT = 4
_RECENT: dict[tuple[str, tuple[int, ...], bool, bool], Edges] = {}
"""The last results of :func:`token_edges`, oldest first."""


_RECENT_LOCK = threading.Lock()  # a GUI export tokenizes on a worker thread


def _keep(found: dict[tuple[str, tuple[int, ...], bool, bool], Edges]) -> None:
    with _RECENT_LOCK:
        _RECENT.update(found)
        while len(_RECENT) > RECENT_KEPT:
            del _RECENT[next(iter(_RECENT))]


def known_edges(text: str) -> list[tuple[tuple[int, ...], bool, bool, Edges]]:
    """What :func:`token_edges` remembers of ``text``: (cuts, split clitics, pretokenized,
    edges) for each way it was asked."""
    with _RECENT_LOCK:
        return [(k[1], k[2], k[3], edges) for k, edges in _RECENT.items() if k[0] == text]


def remember_edges(text: str, known: list[tuple[tuple[int, ...], bool, bool, Edges]]) -> None:
    """Take what :func:`known_edges` gave in another process for ``text`` as found here (the
    same code finds the same tokens)."""
    _keep(
        {(text, cuts, clitics, pretokenized): edges for cuts, clitics, pretokenized, edges in known}
    )


def _edges(
    text: str, cuts: tuple[int, ...], split_clitics: bool, pretokenized: bool
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    edges = None if pretokenized or split_clitics else _plain_edges(text)
    if edges is None and (split_clitics or _SPACE_CLUSTER.search(text)):
        tokens = _tokens_one_by_one(text, cuts, split_clitics, pretokenized)
        return tuple(a for a, _ in tokens), tuple(b for _, b in tokens)
    # The common case, in bulk: every match is a token, except the few a cut falls inside.
    starts, ends = _matched(text, pretokenized) if edges is None else edges
    inside: dict[int, list[int]] = {}  # token index -> the cuts inside it (increasing)
    for cut in cuts:
        i = bisect_right(starts, cut) - 1
        if i >= 0 and cut < ends[i] and cut != starts[i]:
            inside.setdefault(i, []).append(cut)
    if not inside:
        return tuple(starts), tuple(ends)
    cut_starts: list[int] = []
    cut_ends: list[int] = []
    done = 0
    for i in sorted(inside):
        cut_starts += starts[done:i]
        cut_ends += ends[done:i]
        cut_starts += (starts[i], *inside[i])
        cut_ends += (*inside[i], ends[i])
        done = i + 1
    cut_starts += starts[done:]
    cut_ends += ends[done:]
    return tuple(cut_starts), tuple(cut_ends)


def _tokens_one_by_one(
    text: str, cuts: tuple[int, ...], split_clitics: bool, pretokenized: bool
) -> tuple[Token, ...]:
    tokens: list[Token] = []
    append = tokens.append
    upcoming = 0  # cuts[upcoming] is the first cut after the last token's start
    for match in (_CHUNK if pretokenized else _WORD).finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():  # a mark after a space clusters with it
            start += 1
        if start == end:
            continue
        while upcoming < len(cuts) and cuts[upcoming] <= start:
            upcoming += 1
        if not split_clitics and (upcoming == len(cuts) or cuts[upcoming] >= end):
            append(Token(start, end))  # the common case: nothing cuts this word
            continue
        edges = [start]
        if split_clitics:
            stripped, _ = snap_span(text, start, end, strip_proclitics=True)
            if start < stripped < end:
                edges.append(stripped)
        i = upcoming
        while i < len(cuts) and cuts[i] < end:
            edges.append(cuts[i])
            i += 1
        edges = [*sorted(set(edges)), end]
        tokens.extend(Token(a, b) for a, b in pairwise(edges) if a < b)
    return tuple(tokens)


def bio_tags(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for non-overlapping ``spans`` (start, end, label) that cover whole tokens;
    for nested spans pass one layer at a time."""
    return _bio_tags([t.start for t in tokens], [t.end for t in tokens], spans)


def _bio_tags(
    starts: Sequence[int], ends: Sequence[int], spans: Iterable[tuple[int, int, str]]
) -> list[str]:
    """:func:`bio_tags` on the tokens' starts and ends (both increasing): each span's first
    and last token are found by bisection, not by a map of every token."""
    tags = ["O"] * len(starts)
    n = len(starts)
    for start, end, label in spans:
        first, last = bisect_left(starts, start), bisect_left(ends, end)
        if first == n or last == n or starts[first] != start or ends[last] != end:
            raise ValueError(f"span [{start}, {end}) does not cover whole tokens")
        tags[first] = f"B-{label}"
        tags[first + 1 : last + 1] = [f"I-{label}"] * (last - first)
    return tags


def whitespace_after(text: str, tokens: list[Token]) -> list[bool]:
    """Whether each token is followed by whitespace (spaCy's ``spaces``)."""
    return [t.end < len(text) and text[t.end].isspace() for t in tokens]


def layered(spans: Iterable[EntitySpan]) -> list[list[EntitySpan]]:
    """Spread spans over layers, outermost first; spans in one layer never overlap."""
    layers: list[list[EntitySpan]] = []
    ends: list[int] = []  # where each layer's last span ends (spans arrive by start)
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        for k, end in enumerate(ends):
            if end <= span.start:
                layers[k].append(span)
                ends[k] = span.end
                break
        else:
            layers.append([span])
            ends.append(span.end)
    return layers


def tag_names(labels: Iterable[str]) -> list[str]:
    """ClassLabel names: ``O``, then ``B-L``, ``I-L`` for each label in sorted order."""
    return ["O", *(f"{p}-{label}" for label in sorted(set(labels)) for p in "BI")]


@dataclass(slots=True)
class TaggedDocument:
    """A document's tokens with the spans that cover whole tokens spread over layers.

    ``starts``, ``ends`` and ``words`` (each token's text) are the tokens' columns, made once
    for every writer that reads them."""

    text: str
    spans: list[EntitySpan]  # all the spans given, ordered by (start, longest first)
    starts: Sequence[int]
    ends: Sequence[int]
    layers: list[list[EntitySpan]] = field(default_factory=list)  # layer 0 outermost
    left_out: list[tuple[EntitySpan, str]] = field(default_factory=list)  # with why
    words: list[str] = field(default_factory=list)
    _tags: list[list[str]] | None = None

    def __post_init__(self) -> None:
        text = self.text
        self.words = [text[a:b] for a, b in zip(self.starts, self.ends, strict=True)]

    @property
    def tokens(self) -> list[Token]:
        return list(map(_token, zip(self.starts, self.ends, strict=True)))

    def tags(self) -> list[list[str]]:
        """IOB2 tags per layer (at least one layer, all ``O`` without spans): a new list of
        the layers each time; the layers themselves are shared, read-only."""
        if self._tags is None:
            self._tags = [
                _bio_tags(self.starts, self.ends, [(s.start, s.end, s.label) for s in layer])
                for layer in self.layers or [[]]
            ]
        return list(self._tags)

    @property
    def placed(self) -> int:
        return sum(len(layer) for layer in self.layers)

    def sentence_starts(self) -> set[int]:
        """Indexes of the tokens that begin a sentence after the first: the first token of
        each line, unless a span runs across the line break before it (entities cannot cross
        sentences)."""
        starts = self.starts
        n = len(starts)
        breaks = set()
        at = self.text.find("\n")
        while at != -1:  # the first token after each line break, if a token is before it
            i = bisect_left(starts, at + 1)
            if 0 < i < n:
                breaks.add(i)
            at = self.text.find("\n", at + 1)
        if breaks:
            first, last = self.starts, self.ends
            for layer in self.layers:
                for span in layer:
                    a = bisect_left(first, span.start) + 1
                    b = bisect_left(last, span.end) + 1
                    if b > a:
                        breaks.difference_update(range(a, b))
        return breaks


def tag_document(
    text: str,
    spans: Sequence[EntitySpan],
    *,
    split_clitics: bool = False,
    pretokenized: bool = False,
) -> TaggedDocument:
    """Tokens cut at every span edge, and the spans in layers; a span that cannot cover whole
    tokens (empty, outside the text, on whitespace only) is left out, with why.

    The last few results are remembered (a training export tags each record for CoNLL and
    for Hugging Face): treat the result as read-only."""
    return _tagged(text, tuple(spans), split_clitics, pretokenized)


@lru_cache(maxsize=4)
def _tagged(
    text: str, spans: tuple[EntitySpan, ...], split_clitics: bool, pretokenized: bool
) -> TaggedDocument:
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    inside = [0 <= s.start < s.end <= len(text) for s in ordered]
    cuts = (e for s, ok in zip(ordered, inside, strict=True) if ok for e in (s.start, s.end))
    starts, ends = token_edges(text, cuts, split_clitics=split_clitics, pretokenized=pretokenized)
    first, last = set(starts), set(ends)
    placed: list[EntitySpan] = []
    left_out: list[tuple[EntitySpan, str]] = []
    for span, ok in zip(ordered, inside, strict=True):
        if not ok:
            left_out.append((span, "empty or outside the text"))
        elif span.start not in first or span.end not in last:
            left_out.append((span, "starts or ends on whitespace or covers no token"))
        else:
            placed.append(span)
    return TaggedDocument(text, ordered, starts, ends, layered(placed), left_out)
