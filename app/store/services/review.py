"""The reviewer's side: a queue of submitted work, one approved (gold) set per document.

Approving a set makes it the document's gold set; a document never has two approved sets, so
an export of approved sets holds each document once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.disagreement import Comparison, compare, signature
from app.core.domain import SetStatus
from app.core.errors import PermissionDenied
from app.store.models import AnnotationSetRecord, UserRecord
from app.store.services import annotations as svc
from app.store.services.annotations import with_contents
from app.store.services.users import require_reviewer

OPEN = (SetStatus.SUBMITTED.value,)


@dataclass(frozen=True, slots=True)
class QueueItem:
    document_id: int
    document_uuid: str
    title: str
    sets: tuple[tuple[str, str], ...]  # (set uuid, annotator name), submitted, in id order
    comparison: Comparison


def approved_set(session: Session, document_id: int) -> AnnotationSetRecord | None:
    return session.scalar(
        select(AnnotationSetRecord).where(
            AnnotationSetRecord.document_id == document_id,
            AnnotationSetRecord.status == SetStatus.APPROVED.value,
        )
    )


def approve_as_gold(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> None:
    """Approve ``aset``: it becomes the document's one gold set (with who and when)."""
    require_reviewer(actor, "approve annotations")
    gold = approved_set(session, aset.document_id)
    if gold is not None and gold.id != aset.id:
        raise PermissionDenied(
            f"document {aset.document.uuid} already has an approved set ({gold.annotator.name}'s, "
            f"set {gold.uuid}); a document has one gold set"
        )
    svc.approve(session, actor, aset)


def _stance_values(aset: AnnotationSetRecord) -> dict[str, str]:
    return {s.target: s.value for s in aset.stances}


def queue(
    session: Session,
    *,
    annotator: str | None = None,
    label: str | None = None,
    level: str | None = None,
) -> Iterator[QueueItem]:
    """Documents with submitted sets and no approved set yet, with their disagreement marks.

    Filters: only documents one of whose submitted sets is by ``annotator`` / uses ``label``;
    ``level`` is a :attr:`Comparison.level` (``single``, ``none``, ``minor``, ``major``).
    """
    sets = session.scalars(
        select(AnnotationSetRecord)
        .where(AnnotationSetRecord.status.in_(OPEN))
        .where(
            AnnotationSetRecord.document_id.not_in(
                select(AnnotationSetRecord.document_id).where(
                    AnnotationSetRecord.status == SetStatus.APPROVED.value
                )
            )
        )
        .options(*with_contents())
        .order_by(AnnotationSetRecord.document_id, AnnotationSetRecord.id)
    ).all()
    by_document: dict[int, list[AnnotationSetRecord]] = defaultdict(list)
    for aset in sets:
        by_document[aset.document_id].append(aset)
    for document_id, group in by_document.items():
        if annotator and annotator not in {s.annotator.name for s in group}:
            continue
        if label and not any(sp.label == label for s in group for sp in s.spans):
            continue
        comparison = compare(
            {s.annotator.name: svc.to_entity_spans(s) for s in group},
            {s.annotator.name: _stance_values(s) for s in group},
        )
        if level and comparison.level != level:
            continue
        doc = group[0].document
        yield QueueItem(
            document_id,
            doc.uuid,
            doc.title,
            tuple((s.uuid, s.annotator.name) for s in group),
            comparison,
        )


def auto_approve(session: Session, actor: UserRecord, min_agree: int) -> list[str]:
    """Approve, for each queued document, a set that at least ``min_agree`` annotators made
    identically (spans and stance). Returns the approved set uuids; the rest waits."""
    require_reviewer(actor, "approve annotations")
    if min_agree < 1:
        raise PermissionDenied("--min-agree must be at least 1")
    approved = []
    for item in list(queue(session)):
        groups: dict[tuple[object, ...], list[AnnotationSetRecord]] = defaultdict(list)
        for set_uuid, _name in item.sets:
            aset = svc.get_set(session, set_uuid)
            groups[signature(svc.to_entity_spans(aset), _stance_values(aset))].append(aset)
        best = max(groups.values(), key=len)
        if len(best) >= min_agree:
            approve_as_gold(session, actor, best[0])
            approved.append(best[0].uuid)
    return approved
