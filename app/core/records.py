"""The one record type between the store and every file format.

Readers yield :class:`Record`; the application core ingests them (import and unpack alike) and
streams them back out (export, training sets, packs, agreement, the review queue); writers
consume them. A record is one document with, at most, one annotator's set on it.

Offsets in spans and stances are code points into ``document.text``. Coming from a reader,
that is the text as read (the core normalizes BOM and line ends and moves the offsets with it);
coming from the store, it is the stored text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from itertools import starmap
from operator import attrgetter
from typing import Any

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange


@dataclass(frozen=True, slots=True)
class DocumentData:
    text: str
    uuid: str = ""  # kept on import when free (and a UUID); always set coming from the store
    title: str | None = None  # None: the text's first line
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None  # the store's row id (coming from the store only)
    # The nth time this very text occurs in a corpus of sentences (CoNLL): each occurrence is a
    # document of its own. 1 for every other source.
    occurrence: int = 1


@dataclass(frozen=True, slots=True)
class SetData:
    """One annotator's work on the document, with what identifies it between databases."""

    annotator: str | None = None  # None: the importing user (or ``--annotator``)
    status: SetStatus | None = None  # None: submitted (or ``--status``)
    spans: tuple[EntitySpan, ...] = ()
    stances: tuple[StanceJudgement, ...] = ()
    comment: str = ""
    uuid: str = ""  # kept on import when free (and a UUID); always set coming from the store
    # Ids of the spans and stances, in the same order (from the store and from packs).
    span_ids: tuple[str, ...] = ()
    stance_ids: tuple[str, ...] = ()
    annotator_uuid: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: int | None = None  # the store's row id (coming from the store only)
    # The text each span says it covers, where a file gives it (same order as ``spans``): the
    # evidence of which unit the file's offsets count (app.core.offset_units).
    span_texts: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """A document and one annotator's set on it, or no set (``annotation is None``: the file
    says nothing about annotation, or nobody annotated the document)."""

    document: DocumentData
    annotation: SetData | None = None
    origin: str | None = None  # the file it was read from
    line: int | None = None  # where in that file

    @property
    def where(self) -> str:
        """``file:line`` (or what is known of it) for messages."""
        if self.origin and self.line is not None:
            return f"{self.origin}:{self.line}"
        return self.origin or (f"line {self.line}" if self.line is not None else "")


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """Every field of dataclass ``cls``, in order, read by one C-level getter."""
    names = [f.name for f in fields(cls)]
    return attrgetter(*names)


_DOCUMENT, _SET, _SPAN = _getter(DocumentData), _getter(SetData), _getter(EntitySpan)
_SPANS, _STANCES = ([f.name for f in fields(SetData)].index(name) for name in ("spans", "stances"))


def _range(r: TextRange | None) -> tuple[int, int] | None:
    return None if r is None else (r.start, r.end)


def _stance(judgement: StanceJudgement) -> tuple[Any, ...]:
    evidence = tuple(map(_range, judgement.evidence))
    return judgement.target, judgement.value, evidence, _range(judgement.holder)


def packed(record: Record) -> tuple[Any, ...]:
    """``record`` as nested tuples of plain values, every field of every part included:
    what a second process is sent (pickling the dataclasses themselves calls Python once for
    each of their objects, slower than writing most formats). :func:`unpacked` makes the
    record again, equal to this one."""
    annotation = record.annotation
    values: list[Any] | None = None
    if annotation is not None:
        values = list(_SET(annotation))
        values[_SPANS] = tuple(map(_SPAN, annotation.spans))
        values[_STANCES] = tuple(map(_stance, annotation.stances))
    return _DOCUMENT(record.document), values, record.origin, record.line


def unpacked(values: tuple[Any, ...]) -> Record:
    """The record :func:`packed` gave ``values`` for."""
    document, annotation, origin, line = values
    aset = None
    if annotation is not None:
        annotation[_SPANS] = tuple(starmap(EntitySpan, annotation[_SPANS]))
        annotation[_STANCES] = tuple(
            StanceJudgement(
                target,
                value,
                tuple(starmap(TextRange, evidence)),
                None if holder is None else TextRange(*holder),
            )
            for target, value, evidence, holder in annotation[_STANCES]
        )
        aset = SetData(*annotation)
    return Record(DocumentData(*document), aset, origin, line)
