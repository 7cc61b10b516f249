"""The values the application core takes and gives: what front ends and formats see.

Everything here is a plain, frozen (or report) value: no ORM object, no session. Together
with :class:`app.store.core.Tawsim` this module is the whole surface the layers above the store
may use (the import-linter contracts in ``pyproject.toml`` hold them to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NamedTuple

from app.core.commands import Changes
from app.core.disagreement import Comparison
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement
from app.core.records import SetData
from app.core.span_rules import range_problem

FOUND_SHOWN = 1000
"""How far the document list counts what a search finds before it says "more than" this:
an exact count of a common word in a million articles walks half a million of them."""


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
    status: SetStatus | None = None  # None: the user has no set on it yet (unlabelled)
    comment: str = ""
    spans: tuple[SpanView, ...] = ()
    stances: tuple[StanceView, ...] = ()
    version: int = 0  # of the user's set (0: none yet); sent with each change, see perform

    def with_set(self, data: SetData | None, version: int = 0) -> DocumentState:
        """The same document with ``data`` as the user's set (None: no set yet)."""
        return replace(
            self,
            version=version if data else 0,
            status=data.status if data else None,
            comment=data.comment if data else "",
            spans=span_views(data),
            stances=stance_views(data),
        )

    @property
    def editable(self) -> bool:
        return self.status is None or self.status.editable_by_annotator

    @property
    def problems(self) -> list[tuple[SpanView, str]]:
        """Spans an import kept exactly as given although an edge cuts a character in two
        (a gazetteer that cut before tanween), with why: for the annotator to fix."""
        found = [(s, range_problem(self.text, s.start, s.end)) for s in self.spans]
        return [(s, why) for s, why in found if why]


@dataclass(frozen=True, slots=True)
class ReviewSet:
    """One annotator's set as the reviewer sees it."""

    uuid: str
    annotator: str
    status: SetStatus
    comment: str
    spans: tuple[SpanView, ...]
    stances: dict[str, str]  # target -> value
    judgements: tuple[StanceJudgement, ...] = ()  # with their evidence and holders


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which queued documents to show: one of whose submitted sets is by ``annotator`` /
    uses ``label``; ``level`` is a :attr:`Comparison.level` (single, none, minor, major).
    With ``approved``, the documents with a gold set instead, by its annotator and labels."""

    annotator: str | None = None
    label: str | None = None
    level: str | None = None
    approved: bool = False  # the documents already decided (their gold sets), to look back at

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


# -- who --------------------------------------------------------------------------------------


def a_role(role: str) -> str:
    """``an annotator``, ``a reviewer``, ``an admin``."""
    return ("an " if role[:1] in "aeiou" else "a ") + role


@dataclass(frozen=True, slots=True)
class Identity:
    """What a name is (or would be) in a database, before anything is written."""

    name: str
    role: Role
    exists: bool

    def refusal(self, requested: Role | None) -> str:
        """Why asking for ``requested`` does not give it ("" when it does)."""
        if requested is None or requested.rank <= self.role.rank:
            return ""
        who = f"{self.name} is" if self.exists else f"a new name ({self.name}) starts as"
        role = a_role(self.role.value)
        return (
            f"{who} {role} in this database; only an admin can make someone "
            f"{a_role(requested.value)} (tawsim users set-role). You will work as {role}."
        )


# -- document lists ----------------------------------------------------------------------------


class ListFilter(StrEnum):
    ALL = "all"
    UNLABELLED = "unlabelled"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    APPROVED = "approved"


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Which documents a list shows, seen by one annotator (``user_id``)."""

    user_id: int
    filter: ListFilter = ListFilter.ALL
    search: str = ""


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    title: str
    source: str
    status: SetStatus | None  # the user's set status; None: no set yet (unlabelled)
    span_count: int
    comment: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A document a search found: where in its text, and the words around each place."""

    document_id: int
    uuid: str
    title: str
    ranges: tuple[tuple[int, int], ...]  # code points into the text
    snippets: tuple[str, ...]


# -- imports and unpacks -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngestOptions:
    annotator: str | None = None  # whose sets the records are (default: the record's, else actor)
    status: SetStatus | None = None  # their status (default: the record's, else submitted)
    strict_labels: bool = False  # refuse labels the schema lacks instead of adding them
    merge: bool = False  # pack semantics (see the module docstring)
    action: str = "set.import"  # the audit action of each set added
    source: str = ""  # named in the audit log and as the origin of labels added
    audit: dict[str, Any] = field(default_factory=dict)  # more for each set's audit row


@dataclass(frozen=True, slots=True)
class Conflict:
    """A set that was not stored because a different stored one was kept."""

    where: str
    set_uuid: str
    local_set_uuid: str
    document_uuid: str
    document_title: str
    annotator: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.where + ': ' if self.where else ''}{self.annotator}'s set"
            f"{' ' + self.set_uuid if self.set_uuid else ''} on document {self.document_uuid} "
            f"({self.document_title}): {self.reason}; kept the local set {self.local_set_uuid}"
        )


@dataclass(slots=True)
class Counts:
    documents_added: int = 0
    documents_present: int = 0  # already stored (or met before in this ingest)
    sets_added: int = 0
    sets_unchanged: int = 0
    spans_added: int = 0
    stances_added: int = 0
    spans_trimmed: int = 0  # whitespace at an edge taken off (doccano#1360)


@dataclass(slots=True)
class IngestReport:
    by_origin: dict[str, Counts] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # stored, but not as given
    # Stored exactly as given although an edge cuts a character (file:line, span, why): for
    # the annotator to fix (the annotation view shows them).
    kept_as_given: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    users_added: list[str] = field(default_factory=list)
    # Record document UUID -> local UUID, where the same text is stored under another id.
    document_mappings: dict[str, str] = field(default_factory=dict)
    # Span/stance UUIDs already taken here by other records: given UUID -> the fresh one.
    uuids_replaced: dict[str, str] = field(default_factory=dict)

    def counts(self, origin: str | None) -> Counts:
        return self.by_origin.setdefault(origin or "", Counts())

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.by_origin.values())


# -- review decisions over many documents -------------------------------------------------------


@dataclass(slots=True)
class BatchResult:
    approved: list[str] = field(default_factory=list)  # set uuids
    skipped: list[str] = field(default_factory=list)  # document uuids, with several candidates
    changes: Changes = field(default_factory=Changes)


class NativeLine(NamedTuple):
    """One line of the native JSON Lines, rendered by the database (``core.native_lines``)."""

    document_id: int
    line: bytes  # UTF-8, without its newline
    spans: int  # how many spans it holds
