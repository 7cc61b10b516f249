"""What the core hands to front ends to show: frozen values, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.disagreement import Comparison
from app.core.domain import EntitySpan, SetStatus, StanceJudgement
from app.core.records import SetData

UNLABELLED = "unlabelled"
"""The status a document has for a user who has no set on it yet."""


@dataclass(frozen=True, slots=True)
class SpanView:
    uuid: str
    start: int
    end: int
    label: str

    @property
    def span(self) -> EntitySpan:
        return EntitySpan(self.start, self.end, self.label)


@dataclass(frozen=True, slots=True)
class StanceView:
    uuid: str
    judgement: StanceJudgement


def span_views(data: SetData | None) -> tuple[SpanView, ...]:
    if data is None:
        return ()
    return tuple(
        SpanView(u, s.start, s.end, s.label) for u, s in zip(data.span_ids, data.spans, strict=True)
    )


def stance_views(data: SetData | None) -> tuple[StanceView, ...]:
    if data is None:
        return ()
    return tuple(StanceView(u, j) for u, j in zip(data.stance_ids, data.stances, strict=True))


@dataclass(frozen=True, slots=True)
class DocumentState:
    """A document and the acting user's annotation set on it."""

    id: int
    uuid: str
    title: str
    source: str
    text: str
    status: str  # a SetStatus value, or "unlabelled" when the user has no set yet
    comment: str
    spans: tuple[SpanView, ...]
    stances: tuple[StanceView, ...]

    @property
    def editable(self) -> bool:
        return self.status == UNLABELLED or SetStatus(self.status).editable_by_annotator


@dataclass(frozen=True, slots=True)
class ReviewSet:
    """One annotator's set as the reviewer sees it."""

    uuid: str
    annotator: str
    status: str
    comment: str
    spans: tuple[SpanView, ...]
    stances: dict[str, str]


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which queued documents to show: one of whose submitted sets is by ``annotator`` /
    uses ``label``; ``level`` is a :attr:`Comparison.level` (single, none, minor, major)."""

    annotator: str | None = None
    label: str | None = None
    level: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.annotator or self.label or self.level)


@dataclass(frozen=True, slots=True)
class QueueItem:
    document_id: int
    document_uuid: str
    title: str
    sets: tuple[tuple[str, str], ...]  # (set uuid, annotator name), submitted, in id order
    comparison: Comparison
    work: dict[str, SetData] = field(default_factory=dict, compare=False, repr=False)
