"""Label changes as command objects: each knows how to describe its own inverse.

The store's workspace executes a command in one transaction and returns a :class:`Change`
whose ``inverse`` undoes it; the GUI wraps both in one ``QUndoCommand``. Span and stance
UUIDs are chosen up front so that redo recreates the very same records.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.domain import EntitySpan, StanceJudgement


@dataclass(frozen=True, slots=True)
class AddSpan:
    document_id: int
    span: EntitySpan
    span_uuid: str

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


Command = AddSpan | RemoveSpan | ChangeSpan | SetStance | RemoveStance


@dataclass(frozen=True, slots=True)
class Change:
    """What a command changed, and the command that undoes it."""

    document_id: int
    inverse: Command
    spans_changed: bool = False
    stances_changed: bool = False
