"""Offsets counted in other units, and deciding from evidence which unit a file uses.

Tawsim counts code points (Python ``str`` indices). Other tools count UTF-16 code units
(doccano by default, INCEpTION/UIMA, Label Studio before about 1.5), grapheme clusters
(doccano's "count grapheme clusters" option) or UTF-8 bytes. Where a text has no astral
character, no multi-code-point cluster and no non-ASCII byte before a span, the units agree and
there is nothing to decide. Otherwise :func:`decide` weighs the evidence of a whole file:

1. a unit in which an offset falls inside a character (half a surrogate pair, inside a UTF-8
   sequence, inside a cluster) or past the end of the text is out;
2. where a span carries its own text, a unit that does not give that text is out;
3. of the units left, if they give the same spans, any will do (code points are reported);
   otherwise the unit whose span edges fall between words (not inside one) more often wins,
   and a tie is inconclusive: the caller refuses the file and names ``--offsets``. An edge
   inside a character cluster (an emoji sequence, a flag) is inside a word. An edge after a
   word's letters but before their diacritics (a gazetteer that cut before tanween) counts as
   a word edge, and two units whose spans differ only by such an edge moved over the
   diacritics do not disagree: the first (code points before graphemes) is taken, so such a
   span is kept as given and reported, never widened by taking it for grapheme counting;
4. the evidence must not contradict itself: if the unit chosen puts a record's span edges
   inside words while another unit reads its spans as whole words (every edge between words,
   no space taken), the record is in another unit than the rest (or its spans cut words),
   and the file is refused naming it. A total over the file would let the majority outvote
   it, and shift its spans in silence.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate
from typing import Any

import regex

from app.core.graphemes import is_grapheme_boundary
from app.core.span_rules import JOINERS, is_edge


class OffsetUnit(StrEnum):
    CODEPOINTS = "codepoints"
    UTF16 = "utf16"
    GRAPHEMES = "graphemes"
    UTF8 = "utf8"


UNITS = tuple(OffsetUnit)


class UnitMap:
    """One text's offsets in one unit, converted to and from code points.

    Building one costs a regular-expression pass, and memory grows with what differs from code
    points, not with the text: for UTF-16 the positions of the astral characters; for grapheme
    clusters the positions inside a cluster (an Arabic letter's diacritics, the rest of an emoji
    sequence), found from the few characters that can join one; for UTF-8 the text's bytes and
    their offset every :data:`_BLOCK` code points (a lookup decodes at most one block).
    """

    def __init__(self, text: str, unit: OffsetUnit):
        self.unit = unit
        self.length = len(text)
        # UTF-16: the code point index of each astral character, and the UTF-16 offset
        # between its two halves (inside a character)
        self._astral: array[int] | None = None
        self._halves: array[int] = array(_INDEX)
        # graphemes: the code point indexes that are no cluster edge
        self._joined: array[int] | None = None
        # UTF-8: the bytes, and the byte offset of every _BLOCK-th code point
        self._text = text
        self._bytes: bytes | None = None
        self._blocks: array[int] = array(_INDEX)
        if unit is OffsetUnit.UTF16:
            astral = array(_INDEX, (m.start() for m in _ASTRAL.finditer(text)))
            if astral:
                self._astral = astral
                self._halves = array(_INDEX, (i + n + 1 for n, i in enumerate(astral)))
        elif unit is OffsetUnit.UTF8:
            if not text.isascii():
                self._bytes = text.encode("utf-8", "surrogatepass")
                sizes = (
                    len(text[i : i + _BLOCK].encode("utf-8", "surrogatepass"))
                    for i in range(0, len(text), _BLOCK)
                )
                self._blocks = array(_INDEX, accumulate(sizes, initial=0))
        elif unit is OffsetUnit.GRAPHEMES:
            joined = array(_INDEX, _inside_clusters(text))
            if joined:
                self._joined = joined

    @property
    def is_identity(self) -> bool:
        return self._astral is None and self._joined is None and self._bytes is None

    def to_codepoint(self, offset: int) -> int | None:
        """The code point index of ``offset``, or None when it falls inside a character (or
        cluster) or outside the text."""
        if not 0 <= offset <= self.end:
            return None
        if self._astral is not None:
            before = bisect_left(self._halves, offset)  # astral characters wholly before
            if before < len(self._halves) and self._halves[before] == offset:
                return None
            return offset - before
        if self._joined is not None:
            joined, inside = self._joined, 0
            while True:  # the cluster edge with ``offset`` clusters before it
                now = bisect_right(joined, offset + inside)
                if now == inside:
                    return offset + inside
                inside = now
        if self._bytes is None:
            return offset
        block = bisect_right(self._blocks, offset, 0, len(self._blocks) - 1) - 1  # not the end
        try:
            piece = self._bytes[self._blocks[block] : offset].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None  # inside the bytes of a character
        return block * _BLOCK + len(piece)

    @property
    def end(self) -> int:
        """The length of the text in this unit."""
        if self._astral is not None:
            return self.length + len(self._astral)
        if self._joined is not None:
            return self.length - len(self._joined)
        if self._bytes is not None:
            return len(self._bytes)
        return self.length

    def from_codepoint(self, index: int) -> int:
        """``index`` in this unit (for a grapheme unit, ``index`` must be a cluster edge)."""
        if self._astral is not None:
            return index + bisect_left(self._astral, index)
        if self._joined is not None:
            inside = bisect_left(self._joined, index)
            if inside < len(self._joined) and self._joined[inside] == index:
                raise ValueError(f"code point {index} is inside a {self.unit.value} unit")
            return index - inside
        if self._bytes is None:
            return index
        block = index // _BLOCK
        start = block * _BLOCK
        return self._blocks[block] + len(self._text[start:index].encode("utf-8", "surrogatepass"))

    def why_not(self, text: str, offset: int) -> str:
        """Why ``offset`` (in this unit, into ``text``) is no edge between characters: "is
        between the two halves of '😀' (U+1F600)", "is past the end of the text..."; "" when
        it is one."""
        if self.to_codepoint(offset) is not None:
            return ""
        if offset < 0:
            return "is before the start of the text"
        if offset > self.end:
            return f"is past the end of the text ({self.end} in {self.unit.value})"
        if self._astral is not None:
            ch = text[self._astral[bisect_left(self._halves, offset)]]
            return f"is between the two halves of {ch!r} (U+{ord(ch):04X})"
        assert self._bytes is not None  # else every offset in range is an edge
        whole = self._bytes[:offset].decode("utf-8", "ignore")  # the characters before it
        ch = text[len(whole)]
        return f"is inside the UTF-8 bytes of {ch!r} (U+{ord(ch):04X})"


# The characters that can be part of a cluster of several: every Grapheme_Cluster_Break value
# but Other, Control and CR (UAX #29). A cluster continues only just before one of them
# (GB3 LF, GB6-GB9a, GB12/13) or just after one (GB9b Prepend; GB9c and GB11 after a joiner
# or linker): elsewhere every code point is a cluster. One class, so one fast pass.
_CAN_JOIN = regex.compile(
    r"[^\p{Grapheme_Cluster_Break=Other}\p{Grapheme_Cluster_Break=Control}"
    r"\p{Grapheme_Cluster_Break=CR}]"
)


def _inside_clusters(text: str) -> list[int]:
    """The code point indexes of ``text`` that are no cluster edge, in order."""
    candidates: set[int] = set()
    for match in _CAN_JOIN.finditer(text):
        candidates.update(match.span())
    return sorted(i for i in candidates if 0 < i < len(text) and not is_grapheme_boundary(text, i))


_BLOCK = 4096
_INDEX = "I" if array("I").itemsize >= 4 else "L"  # offsets fit 32 bits (texts are < 4 GB)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf8_size(ch: str) -> int:
    o = ord(ch)
    return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4


@dataclass(frozen=True, slots=True)
class Sample:
    """The ranges of one record, as the file gives them."""

    text: str
    ranges: Sequence[tuple[int, int, str | None]]  # (start, end, the text it claims, if any)
    where: str  # file:line, for messages


@dataclass(slots=True)
class _Tally:
    out: str = ""  # why this unit is out (the first reason met)
    edges: int = 0  # span edges on grapheme and word boundaries (higher: more plausible)


@dataclass(frozen=True, slots=True)
class Decision:
    unit: OffsetUnit | None  # None: refuse (see ``why``)
    decided: bool  # False: every unit gave the same spans everywhere (nothing to decide)
    why: str = ""
    candidates: tuple[OffsetUnit, ...] = field(default=())


def _wordish(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _edge_score(text: str, index: int, *, start: bool) -> int:
    """How plausible a span edge at ``index`` is: 2 between words, or at the end of a word's
    letters (or digits) but before their diacritics or a joiner (a gazetteer that cut before
    tanween: such a span is kept as given and reported, so a unit that moves the edge over
    them gains nothing); 0 inside a word, or inside a character cluster (an emoji sequence, a
    flag) except beside a joiner between letters."""
    if index <= 0 or index >= len(text):
        return 2
    before, after = text[index - 1], text[index]
    if not is_edge(text, index):
        return 2 if not start and before.isalnum() and _attaches(after) else 0
    return 0 if _wordish(before) and _wordish(after) else 2


def _attaches(ch: str) -> bool:
    """A diacritic or a joiner: it belongs to the character before it."""
    return ch in JOINERS or unicodedata.category(ch).startswith("M")


def _read(sample: Sample, mapping: UnitMap) -> tuple[tuple[int, int], ...] | str:
    """The sample's ranges in code points, or why they cannot count in this unit."""
    unit = mapping.unit.value
    converted = []
    for start, end, claimed in sample.ranges:
        a, b = mapping.to_codepoint(start), mapping.to_codepoint(end)
        if a is None or b is None:
            edge = start if a is None else end
            why = mapping.why_not(sample.text, edge)
            return f"{sample.where}: [{start}, {end}) in {unit}: its edge at {edge} {why}"
        if b < a:
            return f"{sample.where}: [{start}, {end}) ends before it starts"
        if claimed is not None and sample.text[a:b] != claimed:
            return (
                f"{sample.where}: [{start}, {end}) in {unit} is {sample.text[a:b]!r}, not the "
                f"{claimed!r} the file gives"
            )
        converted.append((a, b))
    return tuple(converted)


def units_fitting(sample: Sample) -> tuple[OffsetUnit, ...]:
    """The units in which every range of ``sample`` falls between characters, inside the
    text, and gives the text it claims."""
    return tuple(u for u in UNITS if not isinstance(_read(sample, UnitMap(sample.text, u)), str))


def _over_marks(text: str, ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """``ranges`` with each end that stops before a letter's diacritics (or a joiner) moved
    past them: two units that differ only there read the same spans (one keeps the edge as
    given)."""
    out = []
    for a, b in ranges:
        while 0 < b < len(text) and _attaches(text[b]) and not is_edge(text, b):
            b += 1
        out.append((a, b))
    return tuple(out)


def decide(samples: Iterable[Sample]) -> Decision:
    """Which unit the samples' offsets count in (see the module docstring)."""
    tallies = {unit: _Tally() for unit in UNITS}
    differ = False  # two units gave different spans somewhere (else nothing to decide)
    # pairs of units that gave different spans (not only an edge moved over diacritics)
    disagree: set[frozenset[OffsetUnit]] = set()
    first_where: dict[frozenset[OffsetUnit], tuple[int, str]] = {}  # where each pair first did
    # Records that some units read as whole words and others cut inside words: the first for
    # each set of the latter (a unit chosen for the file must not be among them).
    cut_in: dict[frozenset[OffsetUnit], tuple[int, Sample]] = {}
    for n, sample in enumerate(samples):
        if not sample.ranges:
            continue
        results = _readings(sample)
        if all(isinstance(r, str) for r in results.values()):
            continue  # wrong in every unit: a bad record, not evidence (the import says so)
        readings = {r for r in results.values() if not isinstance(r, str)}
        if len(readings) == 1:  # the units left agree here: no evidence between them
            for unit, result in results.items():
                if isinstance(result, str):
                    tallies[unit].out = tallies[unit].out or result
            continue
        seen: dict[OffsetUnit, tuple[tuple[int, int], ...]] = {}
        neat: set[tuple[tuple[int, int], ...]] = set()  # readings of whole words only
        cuts_words: set[OffsetUnit] = set()  # units with an edge inside a word or cluster
        judged: dict[tuple[tuple[int, int], ...], tuple[int, bool, bool, Any]] = {}
        for unit, result in results.items():
            tally = tallies[unit]
            if isinstance(result, str):
                tally.out = tally.out or result
                continue
            seen[unit] = result
            if result not in judged:  # units that read the same spans are judged once
                score = _score(sample.text, result)
                cuts = score < 4 * len(result) or not all(
                    is_edge(sample.text, i) for r in result for i in r
                )
                judged[result] = (
                    score,
                    cuts,
                    _between_words(sample.text, result),
                    _over_marks(sample.text, result),
                )
            score, cuts, whole_words, key = judged[result]
            tally.edges += score
            if cuts:
                cuts_words.add(unit)
            if whole_words:
                neat.add(key)
        keys = {u: judged[r][3] for u, r in seen.items()}
        for u in seen:
            for v in seen:
                if u != v and seen[u] != seen[v]:
                    differ = True
                    if keys[u] != keys[v]:
                        pair = frozenset((u, v))
                        disagree.add(pair)
                        first_where.setdefault(pair, (n, sample.where))
        cut = frozenset(u for u in cuts_words if keys[u] not in neat)
        if neat and cut:
            cut_in.setdefault(cut, (n, sample))
    alive = [u for u in UNITS if not tallies[u].out]
    if not alive:
        reasons = "; ".join(tallies[u].out for u in UNITS)
        return Decision(
            None,
            True,
            f"no one offset unit fits every record (do they count different units?): {reasons}",
        )
    if not differ and len(alive) == len(UNITS):
        return Decision(alive[0], False, candidates=tuple(alive))  # nothing to decide
    if not any(frozenset((u, v)) in disagree for u in alive for v in alive):
        return _unless_mixed(alive[0], cut_in, tuple(alive))
    best = max(tallies[u].edges for u in alive)
    winners = [u for u in alive if tallies[u].edges == best]
    tied = [frozenset((u, v)) for u in winners for v in winners if u != v]
    if any(pair in disagree for pair in tied):
        names = ", ".join(u.value for u in winners)
        where = min(first_where[p] for p in tied if p in disagree)[1]
        return Decision(
            None,
            True,
            f"{where}: the offsets could count {names}, which give different spans, and the "
            "file does not say which (no span text tells them apart)",
            tuple(alive),
        )
    return _unless_mixed(winners[0], cut_in, tuple(alive))


def _readings(sample: Sample) -> dict[OffsetUnit, tuple[tuple[int, int], ...] | str]:
    """The sample read in every unit (a unit that counts as code points do in this text
    reads what code points read, without reading again)."""
    plain = _read(sample, UnitMap(sample.text, OffsetUnit.CODEPOINTS))
    results: dict[OffsetUnit, tuple[tuple[int, int], ...] | str] = {}
    for unit in UNITS:
        mapping = UnitMap(sample.text, unit)
        results[unit] = plain if mapping.is_identity else _read(sample, mapping)
    return results


def _score(text: str, ranges: tuple[tuple[int, int], ...]) -> int:
    return sum(
        _edge_score(text, a, start=True) + _edge_score(text, b, start=False) for a, b in ranges
    )


def _between_words(text: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    """Whether every range is words and nothing else: each edge between words (not merely
    before a word's diacritics, nor inside a word or a character), no space nor punctuation
    taken at an edge. A reading this clean says a record counts a unit; a shifted misreading
    rarely is, even where the file's own spans cut a word now and then (a clitic left out:
    و|بيروت)."""
    for a, b in ranges:
        if b <= a or not (text[a].isalnum() and _wordish(text[b - 1])):  # no space, no "."
            return False
        for i in (a, b):
            if 0 < i < len(text) and (
                not is_edge(text, i) or (_wordish(text[i - 1]) and _wordish(text[i]))
            ):
                return False
    return True


def _unless_mixed(
    unit: OffsetUnit,
    cut_in: dict[frozenset[OffsetUnit], tuple[int, Sample]],
    candidates: tuple[OffsetUnit, ...],
) -> Decision:
    """``unit``, unless it cuts inside words in a record that another unit reads as whole
    words: then the file's evidence contradicts itself (a record in another unit than the
    rest), and the file is refused naming the first such record."""
    against = [found for units, found in cut_in.items() if unit in units]
    if not against:
        return Decision(unit, True, candidates=candidates)
    sample = min(against, key=lambda found: found[0])[1]
    mine = _read(sample, UnitMap(sample.text, unit))
    assert not isinstance(mine, str)  # the unit reads every record
    for other in UNITS:
        theirs = _read(sample, UnitMap(sample.text, other))
        if (
            not isinstance(theirs, str)
            and _between_words(sample.text, theirs)
            and _over_marks(sample.text, theirs) != _over_marks(sample.text, mine)
        ):
            break
    else:  # pragma: no cover - cut_in holds a record only when another unit reads it so
        return Decision(unit, True, candidates=candidates)
    return Decision(
        None,
        True,
        f"{sample.where}: the file's spans point to {unit.value}, but counted in {unit.value} "
        f"this record's span edges fall inside words ({_texts(sample.text, mine)}) while "
        f"counted in {other.value} they are whole words ({_texts(sample.text, theirs)}): "
        "the file mixes offset units, or this record's spans cut words",
        candidates,
    )


def _texts(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    shown = [text[a:b] if b - a <= 40 else f"{text[a : a + 37]}..." for a, b in ranges[:3]]
    return ", ".join(map(repr, shown)) + (", ..." if len(ranges) > 3 else "")
