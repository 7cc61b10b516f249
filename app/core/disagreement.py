"""Where annotators disagree on one document: the marks a reviewer sees.

Spans from every annotator are grouped into clusters of overlapping spans; a cluster where
every annotator has the very same span (offsets and label) is agreed, otherwise it is marked
``missing`` (someone has no span there), ``boundary`` (same label, other offsets), ``label``
(same offsets, other label) or ``boundary+label``. Stance differs per target when annotators
gave different values or not all of them judged the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.domain import EntitySpan


class Kind(StrEnum):
    AGREED = "agreed"
    MISSING = "missing"
    BOUNDARY = "boundary"
    LABEL = "label"
    BOUNDARY_LABEL = "boundary+label"


@dataclass(frozen=True, slots=True)
class SpanCluster:
    start: int
    end: int
    kind: Kind
    by_annotator: dict[str, tuple[EntitySpan, ...]]


@dataclass(frozen=True, slots=True)
class StanceRow:
    target: str
    values: dict[str, str | None]

    @property
    def agreed(self) -> bool:
        values = set(self.values.values())
        return len(values) == 1 and None not in values


@dataclass(frozen=True, slots=True)
class Comparison:
    annotators: tuple[str, ...]
    clusters: tuple[SpanCluster, ...] = ()
    stance: tuple[StanceRow, ...] = field(default_factory=tuple)

    @property
    def disagreements(self) -> int:
        return sum(c.kind is not Kind.AGREED for c in self.clusters) + sum(
            not row.agreed for row in self.stance
        )

    @property
    def level(self) -> str:
        """``single`` (one annotator), ``none``, ``minor`` (≤ 2 marks) or ``major``."""
        if len(self.annotators) < 2:
            return "single"
        n = self.disagreements
        return "none" if n == 0 else "minor" if n <= 2 else "major"


def compare(
    spans: Mapping[str, tuple[EntitySpan, ...]],
    stances: Mapping[str, Mapping[str, str]] | None = None,
) -> Comparison:
    annotators = tuple(sorted(spans))
    tagged = sorted(
        ((s, name) for name in annotators for s in spans[name]),
        key=lambda item: (item[0].start, -item[0].end),
    )
    clusters: list[list[tuple[EntitySpan, str]]] = []
    end = -1
    for span, name in tagged:
        if clusters and span.start < end:
            clusters[-1].append((span, name))
            end = max(end, span.end)
        else:
            clusters.append([(span, name)])
            end = span.end
    return Comparison(
        annotators=annotators,
        clusters=tuple(_classify(c, annotators) for c in clusters),
        stance=_stance_rows(stances or {}, annotators),
    )


def _classify(members: list[tuple[EntitySpan, str]], annotators: tuple[str, ...]) -> SpanCluster:
    by: dict[str, tuple[EntitySpan, ...]] = {
        name: tuple(s for s, n in members if n == name) for name in annotators
    }
    start = min(s.start for s, _ in members)
    end = max(s.end for s, _ in members)
    distinct = {s for s, _ in members}
    if any(not v for v in by.values()):
        kind = Kind.MISSING
    elif len({tuple(sorted(v)) for v in by.values()}) == 1:
        kind = Kind.AGREED  # every annotator has the very same spans here (nested ones too)
    else:
        ranges = {(s.start, s.end) for s in distinct}
        labels = {s.label for s in distinct}
        if len(labels) == 1:
            kind = Kind.BOUNDARY
        elif len(ranges) == 1:
            kind = Kind.LABEL
        else:
            kind = Kind.BOUNDARY_LABEL
    return SpanCluster(start, end, kind, by)


def _stance_rows(
    stances: Mapping[str, Mapping[str, str]], annotators: tuple[str, ...]
) -> tuple[StanceRow, ...]:
    targets = sorted({t for name in annotators for t in stances.get(name, {})})
    return tuple(
        StanceRow(t, {name: stances.get(name, {}).get(t) for name in annotators}) for t in targets
    )


def signature(spans: tuple[EntitySpan, ...], stances: Mapping[str, str]) -> tuple[object, ...]:
    """Equal for two sets that agree completely (spans and stance values)."""
    return (tuple(sorted(spans)), tuple(sorted(stances.items())))
