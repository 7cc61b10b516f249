"""Domain types of Tawsim, free of Qt and SQLAlchemy.

Offsets everywhere are Python ``str`` indices (code points) into a document's stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def can_review(self) -> bool:
        return self in (Role.REVIEWER, Role.ADMIN)


class SetStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True, order=True)
class TextRange:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad range [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: TextRange) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True, order=True)
class EntitySpan:
    """A labelled entity mention: ``text[start:end]`` with ``label``."""

    start: int
    end: int
    label: str

    @property
    def range(self) -> TextRange:
        return TextRange(self.start, self.end)


@dataclass(frozen=True, slots=True)
class StanceJudgement:
    """The stance a document takes (or a holder in it expresses) towards a target."""

    target: str
    value: str
    evidence: tuple[TextRange, ...] = ()
    holder: TextRange | None = None


@dataclass(frozen=True, slots=True)
class Document:
    uuid: str
    text: str
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class AnnotationSet:
    """One annotator's work on one document."""

    document_uuid: str
    annotator: str
    status: SetStatus = SetStatus.IN_PROGRESS
    spans: tuple[EntitySpan, ...] = ()
    stances: tuple[StanceJudgement, ...] = ()
    uuid: str | None = None
    comment: str = ""
