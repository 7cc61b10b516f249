"""Every change a person makes, as a command object: label edits and review decisions.

The application core (:class:`app.store.core.Tawsim`) performs one command in one transaction
and returns :class:`Changes`: what changed, for the views to refresh, and the command that
undoes it. The GUI wraps both in one ``QUndoCommand`` (glue's command stack). Span and stance
UUIDs are chosen up front so that redo recreates the very same records.

Label commands act on the acting user's own set on ``document_id`` (a reviewer's own set is
their gold draft); review decisions name the set they decide on.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.domain import EntitySpan, StanceJudgement

# -- label commands -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddSpan:
    document_id: int
    span: EntitySpan
    span_uuid: str
    origin: str = ""  # an accepted suggestion's source ("corpus", "model:NAME@VERSION")

    def describe(self) -> str:
        return f"add {self.span.label}"


@dataclass(frozen=True, slots=True)
class RemoveSpan:
    document_id: int
    span_uuid: str

    def describe(self) -> str:
        return "delete span"


@dataclass(frozen=True, slots=True)
class ChangeSpan:
    """Relabel a span or move its edges (the new span replaces the old one's fields)."""

    document_id: int
    span_uuid: str
    span: EntitySpan

    def describe(self) -> str:
        return f"change span to {self.span.label}"


@dataclass(frozen=True, slots=True)
class SetStance:
    document_id: int
    judgement: StanceJudgement
    stance_uuid: str

    def describe(self) -> str:
        return f"stance {self.judgement.value} towards {self.judgement.target}"


@dataclass(frozen=True, slots=True)
class RemoveStance:
    document_id: int
    target: str

    def describe(self) -> str:
        return f"remove stance towards {self.target}"


@dataclass(frozen=True, slots=True)
class Batch:
    """Several label commands on one document as one step (one transaction, one undo)."""

    document_id: int
    commands: tuple[LabelCommand, ...]
    description: str

    def describe(self) -> str:
        return self.description


LabelCommand = AddSpan | RemoveSpan | ChangeSpan | SetStance | RemoveStance | Batch

# -- review decisions -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Approve:
    """Make a submitted (or rejected) set the document's one gold set."""

    set_uuid: str

    def describe(self) -> str:
        return "approve"


@dataclass(frozen=True, slots=True)
class Reject:
    set_uuid: str
    comment: str

    def describe(self) -> str:
        return "reject"


@dataclass(frozen=True, slots=True)
class Reopen:
    """Undo an approval: the set is submitted again and the document back in the queue."""

    set_uuid: str

    def describe(self) -> str:
        return "reopen"


@dataclass(frozen=True, slots=True)
class ApproveDraft:
    """Submit the reviewer's own set on the document (the gold draft) and approve it."""

    document_id: int

    def describe(self) -> str:
        return "approve my gold version"


Decision = Approve | Reject | Reopen | ApproveDraft
Command = LabelCommand | Decision


@dataclass(frozen=True, slots=True)
class Changes:
    """What one core call changed (Anki's ``OpChanges``): views refresh only what they show.

    ``documents``: ids of documents whose annotation (spans, stances or status) changed;
    ``spans``/``stances``: which part of it (the text view, the stance panel); ``status``: a
    set's status moved (lists, progress, the review queue); ``inverse``: the command that undoes
    this one, when it can be undone.
    """

    documents: frozenset[int] = frozenset()
    spans: bool = False
    stances: bool = False
    status: bool = False
    inverse: Command | None = None

    @property
    def document_id(self) -> int | None:
        """The one document changed, if exactly one was."""
        return next(iter(self.documents)) if len(self.documents) == 1 else None

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents | other.documents,
            spans=self.spans or other.spans,
            stances=self.stances or other.stances,
            status=self.status or other.status,
        )
