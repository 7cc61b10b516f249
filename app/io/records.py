"""What readers yield and writers consume: plain records, independent of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.domain import EntitySpan, SetStatus, StanceJudgement


@dataclass(slots=True)
class ImportRecord:
    """One document read from a file, with the annotation it carries (if any).

    Offsets in ``spans`` and ``stances`` index ``text`` exactly as the reader produced it;
    the importer normalizes the text (BOM, newlines) and moves the offsets with it.
    ``spans is None`` means the file says nothing about annotation (plain text); an empty
    list means an annotation with no entities.
    """

    text: str
    line: int | None = None
    title: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    uuid: str | None = None
    spans: list[EntitySpan] | None = None
    stances: list[StanceJudgement] = field(default_factory=list)
    annotator: str | None = None
    status: SetStatus | None = None
    set_uuid: str | None = None
    comment: str = ""

    @property
    def has_annotation(self) -> bool:
        return self.spans is not None or bool(self.stances)


@dataclass(frozen=True, slots=True)
class ExportDocument:
    uuid: str
    text: str
    title: str
    source: str
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ExportSet:
    uuid: str
    annotator: str
    status: SetStatus
    spans: tuple[EntitySpan, ...]
    stances: tuple[StanceJudgement, ...]
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """A document with one annotation set, or with none (``annotation is None``)."""

    document: ExportDocument
    annotation: ExportSet | None
