"""Reading annotators' work for the agreement figures (:mod:`app.core.agreement`).

Sets are read in document order in batches (``yield_per``) with their spans, stances and
annotator loaded per batch (``selectinload``), so :func:`iter_work` holds one document's sets
at a time and :func:`app.core.agreement.compute_agreement` can consume it as a stream.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.core.agreement import AnnotatorWork
from app.core.domain import SetStatus
from app.store.models import AnnotationSetRecord
from app.store.services.annotations import to_entity_spans

BATCH = 500

REVIEWED_AND_SUBMITTED: tuple[str, ...] = (
    SetStatus.SUBMITTED.value,
    SetStatus.APPROVED.value,
    SetStatus.REJECTED.value,
)
"""The default: every set its annotator handed in, whatever the review said."""

ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in SetStatus)
"""``--include all``: work in progress too."""


def _sets_query(include_statuses: tuple[str, ...]) -> Select[AnnotationSetRecord]:
    return (
        select(AnnotationSetRecord)
        .where(AnnotationSetRecord.status.in_(include_statuses))
        .options(
            selectinload(AnnotationSetRecord.spans),
            selectinload(AnnotationSetRecord.stances),
            selectinload(AnnotationSetRecord.annotator),
        )
        .order_by(AnnotationSetRecord.document_id, AnnotationSetRecord.id)
        .execution_options(yield_per=BATCH)
    )


def _work(aset: AnnotationSetRecord) -> AnnotatorWork:
    return AnnotatorWork(
        spans=to_entity_spans(aset), stances={s.target: s.value for s in aset.stances}
    )


def iter_work(
    session: Session, include_statuses: tuple[str, ...] = REVIEWED_AND_SUBMITTED
) -> Iterator[tuple[int, dict[str, AnnotatorWork]]]:
    """``(document_id, {annotator name: work})`` for each document with a matching set,
    in document id order."""
    current: int | None = None
    group: dict[str, AnnotatorWork] = {}
    for aset in session.scalars(_sets_query(include_statuses)):
        if aset.document_id != current:
            if current is not None:
                yield current, group
            current, group = aset.document_id, {}
        group[aset.annotator.name] = _work(aset)
    if current is not None:
        yield current, group


def collect_work(
    session: Session, include_statuses: tuple[str, ...] = REVIEWED_AND_SUBMITTED
) -> dict[int, dict[str, AnnotatorWork]]:
    """Document id -> annotator name -> work, for the sets whose status is in
    ``include_statuses``."""
    return dict(iter_work(session, include_statuses))
