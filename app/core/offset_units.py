"""Offsets counted in other units, and deciding from evidence which unit a file uses.

Tawsim counts code points (Python ``str`` indices). Other tools count UTF-16 code units
(doccano by default, INCEpTION/UIMA, Label Studio's JavaScript front end), grapheme clusters
(doccano's "count grapheme clusters" option) or UTF-8 bytes. Where a text has no astral
character, no multi-code-point cluster and no non-ASCII byte before a span, the units agree and
there is nothing to decide. Otherwise :func:`decide` weighs the evidence of a whole file:

1. a unit in which an offset falls inside a character (half a surrogate pair, inside a UTF-8
   sequence, inside a cluster) or past the end of the text is out;
2. where a span carries its own text, a unit that does not give that text is out;
3. of the units left, if they give the same spans, any will do (code points are reported);
   otherwise the unit whose span edges fall between words (not inside one) more often wins,
   and a tie is inconclusive: the caller refuses the file and names ``--offsets``. An edge
   after a word's letters but before their diacritics (a gazetteer that cut before tanween)
   counts for half: such a span is kept as given and reported, not taken for another unit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.graphemes import grapheme_boundaries


class OffsetUnit(StrEnum):
    CODEPOINTS = "codepoints"
    UTF16 = "utf16"
    GRAPHEMES = "graphemes"
    UTF8 = "utf8"


UNITS = tuple(OffsetUnit)


class UnitMap:
    """One text's offsets in one unit, converted to and from code points."""

    def __init__(self, text: str, unit: OffsetUnit):
        self.unit = unit
        self.length = len(text)
        self._to_cp: dict[int, int] | None = None  # None: the identity
        self._from_cp: list[int] | None = None
        if unit is OffsetUnit.CODEPOINTS or _same_as_codepoints(text, unit):
            return
        edges = _unit_edges(text, unit)  # unit offset at each code point (None: inside)
        self._from_cp = [e if e is not None else -1 for e in edges]
        self._to_cp = {e: i for i, e in enumerate(edges) if e is not None}

    @property
    def is_identity(self) -> bool:
        return self._to_cp is None

    def to_codepoint(self, offset: int) -> int | None:
        """The code point index of ``offset``, or None when it falls inside a character (or
        cluster) or outside the text."""
        if self._to_cp is None:
            return offset if 0 <= offset <= self.length else None
        return self._to_cp.get(offset)

    @property
    def end(self) -> int:
        """The length of the text in this unit."""
        return self.length if self._from_cp is None else self._from_cp[-1]

    def from_codepoint(self, index: int) -> int:
        """``index`` in this unit (for a grapheme unit, ``index`` must be a cluster edge)."""
        if self._from_cp is None:
            return index
        offset = self._from_cp[index]
        if offset < 0:
            raise ValueError(f"code point {index} is inside a {self.unit.value} unit")
        return offset


def _same_as_codepoints(text: str, unit: OffsetUnit) -> bool:
    if unit is OffsetUnit.UTF8:
        return text.isascii()
    if unit is OffsetUnit.UTF16:
        return all(ord(c) <= 0xFFFF for c in text)
    return len(grapheme_boundaries(text)) == len(text) + 1


def _unit_edges(text: str, unit: OffsetUnit) -> list[int | None]:
    if unit is OffsetUnit.GRAPHEMES:
        edges: list[int | None] = [None] * (len(text) + 1)
        for n, cp in enumerate(grapheme_boundaries(text)):
            edges[cp] = n
        return edges
    out: list[int | None] = [0]
    at = 0
    for ch in text:
        if unit is OffsetUnit.UTF16:
            at += 2 if ord(ch) > 0xFFFF else 1
        else:
            at += len(ch.encode("utf-8", "surrogatepass"))
        out.append(at)
    return out


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
    """How plausible a span edge at ``index`` is: 2 between words; 1 at the end of a word's
    letters but before their diacritics (a gazetteer that cut before tanween); 0 inside a word."""
    if (start and index == 0) or (not start and index >= len(text)):
        return 2
    outside = text[index - 1] if start else text[index]
    inside = text[index] if start else text[index - 1]
    if not (_wordish(outside) and _wordish(inside)):
        return 2
    if not start and unicodedata.category(outside).startswith("M") and inside.isalpha():
        return 1
    return 0


def _read(sample: Sample, mapping: UnitMap) -> tuple[tuple[int, int], ...] | str:
    """The sample's ranges in code points, or why they cannot count in this unit."""
    unit = mapping.unit.value
    converted = []
    for start, end, claimed in sample.ranges:
        a, b = mapping.to_codepoint(start), mapping.to_codepoint(end)
        if a is None or b is None or b < a:
            return (
                f"{sample.where}: [{start}, {end}) falls inside a character or past the end of "
                f"the text in {unit}"
            )
        if claimed is not None and sample.text[a:b] != claimed:
            return (
                f"{sample.where}: [{start}, {end}) in {unit} is {sample.text[a:b]!r}, not the "
                f"{claimed!r} the file gives"
            )
        converted.append((a, b))
    return tuple(converted)


def decide(samples: Iterable[Sample]) -> Decision:
    """Which unit the samples' offsets count in (see the module docstring)."""
    tallies = {unit: _Tally() for unit in UNITS}
    disagree: set[frozenset[OffsetUnit]] = set()  # pairs of units that gave different spans
    first_where: dict[frozenset[OffsetUnit], str] = {}  # where each pair first disagreed
    for sample in samples:
        if not sample.ranges:
            continue
        results = {unit: _read(sample, UnitMap(sample.text, unit)) for unit in UNITS}
        if all(isinstance(r, str) for r in results.values()):
            continue  # wrong in every unit: a bad record, not evidence (the import says so)
        seen: dict[OffsetUnit, tuple[tuple[int, int], ...]] = {}
        for unit, result in results.items():
            tally = tallies[unit]
            if isinstance(result, str):
                tally.out = tally.out or result
                continue
            seen[unit] = result
            tally.edges += sum(
                _edge_score(sample.text, i, start=s)
                for a, b in result
                for i, s in ((a, True), (b, False))
            )
        for u in seen:
            for v in seen:
                if u != v and seen[u] != seen[v]:
                    pair = frozenset((u, v))
                    disagree.add(pair)
                    first_where.setdefault(pair, sample.where)
    alive = [u for u in UNITS if not tallies[u].out]
    if not alive:
        reasons = "; ".join(tallies[u].out for u in UNITS)
        return Decision(None, True, f"no offset unit fits the spans: {reasons}")
    if not disagree and len(alive) == len(UNITS):
        return Decision(alive[0], False, candidates=tuple(alive))  # nothing to decide
    if not any(frozenset((u, v)) in disagree for u in alive for v in alive):
        return Decision(alive[0], True, candidates=tuple(alive))
    best = max(tallies[u].edges for u in alive)
    winners = [u for u in alive if tallies[u].edges == best]
    tied = [frozenset((u, v)) for u in winners for v in winners if u != v]
    if any(pair in disagree for pair in tied):
        names = ", ".join(u.value for u in winners)
        where = min(first_where[p] for p in tied if p in disagree)
        return Decision(
            None,
            True,
            f"{where}: the offsets could count {names}, which give different spans, and the "
            "file does not say which (no span text tells them apart)",
            tuple(alive),
        )
    return Decision(winners[0], True, candidates=tuple(alive))
