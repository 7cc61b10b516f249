"""Entity agreement between every pair of annotators: exact and overlap match, P/R/F1.

For a pair ``(a, b)`` annotator ``a`` is the reference and ``b`` is compared against it. Only
documents that *both* annotated count; a pair that shares no document has no scores at all
(status ``"no overlap"``), never a perfect one.

- **Exact match**: a span of ``b`` with the same start, end and label as a span of ``a``
  (duplicates match at most as often as they occur in both).
- **Overlap match**: same label and the two ranges share at least one code point. Matching is
  one-to-one: candidate pairs are taken greedily, largest overlap first (ties: the pair whose
  edges are closer, then text order), so one span never matches two. An exact pair always
  matches, so overlap counts are never below exact counts.
- ``tp`` = matched pairs, ``a_only`` = spans of ``a`` left unmatched, ``b_only`` = spans of ``b``
  left unmatched.
- ``precision = tp / (tp + b_only)`` (share of ``b``'s spans that ``a`` also has),
  ``recall = tp / (tp + a_only)``, ``F1 = 2·tp / (2·tp + a_only + b_only)``. A ratio whose
  denominator is 0 is ``None`` (not 0, not 1).
- Overall counts are the per-label counts summed (micro-average).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from app.core.domain import EntitySpan

OK = "ok"
NO_OVERLAP = "no overlap"


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class MatchCounts:
    tp: int = 0
    a_only: int = 0
    b_only: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(
            self.tp + other.tp, self.a_only + other.a_only, self.b_only + other.b_only
        )

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.b_only)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.a_only)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.a_only + self.b_only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "a_only": self.a_only,
            "b_only": self.b_only,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class MatchScores:
    """One match mode's counts for a pair: overall and per label (labels sorted)."""

    overall: MatchCounts
    per_label: dict[str, MatchCounts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "per_label": {label: c.to_dict() for label, c in self.per_label.items()},
        }


@dataclass(frozen=True, slots=True)
class PairAgreement:
    a: str
    b: str
    documents: int
    """Documents both annotated; 0 means the pair has no scores."""
    exact_match: MatchScores | None
    overlap_match: MatchScores | None

    @property
    def overlap(self) -> bool:
        """Whether the two annotators share at least one document."""
        return self.documents > 0

    @property
    def status(self) -> str:
        return OK if self.overlap else NO_OVERLAP

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "overlap": self.overlap,
            "status": self.status,
            "exact_match": self.exact_match.to_dict() if self.exact_match else None,
            "overlap_match": self.overlap_match.to_dict() if self.overlap_match else None,
        }


@dataclass(frozen=True, slots=True)
class AverageF1:
    """Mean F1 over the pairs that share documents and have a defined F1 (``pairs`` of them)."""

    f1: float | None
    pairs: int

    def to_dict(self) -> dict[str, Any]:
        return {"f1": self.f1, "pairs": self.pairs}


@dataclass(frozen=True, slots=True)
class EntityAgreement:
    pairs: tuple[PairAgreement, ...]
    average_f1: dict[str, dict[str, Any]]
    """``{"exact_match"|"overlap_match": {"overall": AverageF1, "per_label": {L: AverageF1}}}``"""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "average_f1": {
                mode: {
                    "overall": avg["overall"].to_dict(),
                    "per_label": {k: v.to_dict() for k, v in avg["per_label"].items()},
                }
                for mode, avg in self.average_f1.items()
            },
        }


def _by_label(spans: Iterable[EntitySpan]) -> dict[str, list[EntitySpan]]:
    grouped: dict[str, list[EntitySpan]] = defaultdict(list)
    for span in spans:
        grouped[span.label].append(span)
    return grouped


def exact_counts(a: Sequence[EntitySpan], b: Sequence[EntitySpan]) -> dict[str, MatchCounts]:
    """Per-label exact-match counts of ``b`` against ``a`` on one document."""
    a_labels, b_labels = _by_label(a), _by_label(b)
    result = {}
    for label in a_labels.keys() | b_labels.keys():
        a_spans, b_spans = Counter(a_labels.get(label, ())), Counter(b_labels.get(label, ()))
        tp = sum((a_spans & b_spans).values())
        result[label] = MatchCounts(tp, a_spans.total() - tp, b_spans.total() - tp)
    return result


def overlap_counts(a: Sequence[EntitySpan], b: Sequence[EntitySpan]) -> dict[str, MatchCounts]:
    """Per-label one-to-one overlap-match counts of ``b`` against ``a`` on one document."""
    a_labels, b_labels = _by_label(a), _by_label(b)
    result = {}
    for label in a_labels.keys() | b_labels.keys():
        a_spans, b_spans = a_labels.get(label, []), b_labels.get(label, [])
        order = sorted(range(len(b_spans)), key=lambda j: b_spans[j].start)
        starts = [b_spans[j].start for j in order]
        longest = max((y.end - y.start for y in b_spans), default=0)
        candidates = []
        for i, x in enumerate(a_spans):
            # Only spans of b starting in [x.start - longest, x.end] can overlap x.
            window = order[bisect_left(starts, x.start - longest) : bisect_right(starts, x.end)]
            for j in window:
                y = b_spans[j]
                shared = min(x.end, y.end) - max(x.start, y.start)
                if shared > 0 or (x.start, x.end) == (y.start, y.end):
                    distance = abs(x.start - y.start) + abs(x.end - y.end)
                    candidates.append((-shared, distance, i, j))
        candidates.sort()
        used_a: set[int] = set()
        used_b: set[int] = set()
        for _, _, i, j in candidates:
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
        tp = len(used_a)
        result[label] = MatchCounts(tp, len(a_spans) - tp, len(b_spans) - tp)
    return result


class _Tally:
    """Counts for one pair, summed over the documents both annotated."""

    __slots__ = ("documents", "exact", "overlap")

    def __init__(self) -> None:
        self.documents = 0
        self.exact: dict[str, MatchCounts] = defaultdict(MatchCounts)
        self.overlap: dict[str, MatchCounts] = defaultdict(MatchCounts)

    def add(self, a: Sequence[EntitySpan], b: Sequence[EntitySpan]) -> None:
        self.documents += 1
        for label, counts in exact_counts(a, b).items():
            self.exact[label] += counts
        for label, counts in overlap_counts(a, b).items():
            self.overlap[label] += counts


def _scores(per_label: Mapping[str, MatchCounts]) -> MatchScores:
    overall = sum(per_label.values(), MatchCounts())
    return MatchScores(overall, {label: per_label[label] for label in sorted(per_label)})


def _average(values: Sequence[float | None]) -> AverageF1:
    defined = [v for v in values if v is not None]
    return AverageF1(sum(defined) / len(defined) if defined else None, len(defined))


def _averages(pairs: Sequence[PairAgreement], mode: str) -> dict[str, Any]:
    scored = [s for p in pairs if (s := getattr(p, mode)) is not None]
    labels = sorted({label for s in scored for label in s.per_label})
    return {
        "overall": _average([s.overall.f1 for s in scored]),
        "per_label": {
            label: _average([s.per_label[label].f1 for s in scored if label in s.per_label])
            for label in labels
        },
    }


class EntityTally:
    """Accumulates pairwise entity counts one document at a time (memory: per pair and label)."""

    def __init__(self) -> None:
        self.annotators: set[str] = set()
        self._pairs: dict[tuple[str, str], _Tally] = {}

    def add_document(self, spans: Mapping[str, Sequence[EntitySpan]]) -> None:
        """Add one document: each annotator who worked on it, with their spans."""
        self.annotators.update(spans)
        for a, b in combinations(sorted(spans), 2):
            self._pairs.setdefault((a, b), _Tally()).add(spans[a], spans[b])

    def result(self) -> EntityAgreement:
        pairs = []
        for a, b in combinations(sorted(self.annotators), 2):
            tally = self._pairs.get((a, b))
            if tally is None:
                pairs.append(PairAgreement(a, b, 0, None, None))
            else:
                pairs.append(
                    PairAgreement(
                        a, b, tally.documents, _scores(tally.exact), _scores(tally.overlap)
                    )
                )
        modes = ("exact_match", "overlap_match")
        return EntityAgreement(tuple(pairs), {mode: _averages(pairs, mode) for mode in modes})
