"""Domain types of Tawsim, free of Qt and SQLAlchemy.

Offsets everywhere are Python ``str`` indices (code points) into a document's stored text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def can_review(self) -> bool:
        return self in (Role.REVIEWER, Role.ADMIN)

    @property
    def rank(self) -> int:
        """Annotator < reviewer < admin: a role "asks for more" than one of lower rank."""
        return (Role.ANNOTATOR, Role.REVIEWER, Role.ADMIN).index(self)


class SetStatus(StrEnum):
    """Where one annotator's set on one document stands.

    ``in_progress`` → ``submitted`` (the annotator hands it in) → ``approved`` (the document's
    one gold set) or ``rejected`` (back to the annotator, with a comment) → ``submitted`` ...
    An approval can be reopened (back to ``submitted``).
    """

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def editable_by_annotator(self) -> bool:
        return self in (SetStatus.IN_PROGRESS, SetStatus.REJECTED)

    @property
    def reviewed(self) -> bool:
        """A reviewer decided on it (who and when are recorded)."""
        return self in (SetStatus.APPROVED, SetStatus.REJECTED)

    @property
    def done(self) -> bool:
        """Done, for the annotator's progress: handed in and not sent back."""
        return self in (SetStatus.SUBMITTED, SetStatus.APPROVED)


class Selection(StrEnum):
    """Which annotation sets a command reads: one meaning in export, agreement, review, pack.

    The three nest: ``approved`` ⊂ ``submitted`` ⊂ ``all``.

    - ``approved``: the gold sets (at most one per document);
    - ``submitted``: every set its annotator handed in, whatever the review said (submitted,
      approved, rejected);
    - ``all``: also work in progress; exports add the documents nobody annotated.
    """

    APPROVED = "approved"
    SUBMITTED = "submitted"
    ALL = "all"

    @property
    def statuses(self) -> tuple[SetStatus, ...]:
        if self is Selection.APPROVED:
            return (SetStatus.APPROVED,)
        if self is Selection.SUBMITTED:
            return (SetStatus.SUBMITTED, SetStatus.APPROVED, SetStatus.REJECTED)
        return tuple(SetStatus)

    @property
    def wider(self) -> tuple[Selection, ...]:
        """The selections that take more sets than this one (none for ``all``)."""
        order = list(Selection)
        return tuple(order[order.index(self) + 1 :])


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
class User:
    """Who acts: a name and the role the database gives it."""

    name: str
    role: Role
