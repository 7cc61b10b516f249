"""Label changes and review decisions: role-checked, audited, one call per change.

Functions here work inside the caller's session; :class:`app.store.workspace.Workspace`
wraps each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError, NotFound, PermissionDenied
from app.core.span_rules import check_span, check_stance
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)
from app.store.services.audit import record_audit
from app.store.services.project import project_schema
from app.store.services.users import require_owner_or_reviewer, require_reviewer

EDITABLE_BY_ANNOTATOR = {SetStatus.IN_PROGRESS.value, SetStatus.REJECTED.value}


def span_dict(span: SpanRecord) -> dict[str, Any]:
    return {"uuid": span.uuid, "start": span.start, "end": span.end, "label": span.label}


def stance_dict(stance: StanceRecord) -> dict[str, Any]:
    holder = None
    if stance.holder_start is not None and stance.holder_end is not None:
        holder = {"start": stance.holder_start, "end": stance.holder_end}
    return {
        "uuid": stance.uuid,
        "target": stance.target,
        "label": stance.value,
        "evidence": [{"start": s, "end": e} for s, e in stance.evidence],
        "holder": holder,
    }


def set_snapshot(aset: AnnotationSetRecord) -> dict[str, Any]:
    return {
        "status": aset.status,
        "spans": [span_dict(s) for s in aset.spans],
        "stance": [stance_dict(s) for s in aset.stances],
    }


def to_entity_spans(aset: AnnotationSetRecord) -> tuple[EntitySpan, ...]:
    return tuple(EntitySpan(s.start, s.end, s.label) for s in aset.spans)


def to_stances(aset: AnnotationSetRecord) -> tuple[StanceJudgement, ...]:
    return tuple(
        StanceJudgement(
            target=s.target,
            value=s.value,
            evidence=tuple(TextRange(a, b) for a, b in s.evidence),
            holder=(
                TextRange(s.holder_start, s.holder_end)
                if s.holder_start is not None and s.holder_end is not None
                else None
            ),
        )
        for s in aset.stances
    )


def with_contents() -> tuple[Any, ...]:
    """Loader options that fetch a set's spans, stances, annotator and document in batches."""
    return (
        selectinload(AnnotationSetRecord.spans),
        selectinload(AnnotationSetRecord.stances),
        selectinload(AnnotationSetRecord.annotator),
        selectinload(AnnotationSetRecord.document),
    )


def find_set(
    session: Session, document: DocumentRecord, annotator: UserRecord
) -> AnnotationSetRecord | None:
    return session.scalar(
        select(AnnotationSetRecord).where(
            AnnotationSetRecord.document_id == document.id,
            AnnotationSetRecord.annotator_id == annotator.id,
        )
    )


def find_set_by_uuid(session: Session, set_uuid: str) -> AnnotationSetRecord | None:
    return session.scalar(select(AnnotationSetRecord).where(AnnotationSetRecord.uuid == set_uuid))


def get_set(session: Session, set_uuid: str) -> AnnotationSetRecord:
    aset = find_set_by_uuid(session, set_uuid)
    if aset is None:
        raise NotFound(f"no annotation set {set_uuid}")
    return aset


def open_set(
    session: Session, actor: UserRecord, document: DocumentRecord, annotator: UserRecord
) -> AnnotationSetRecord:
    """The annotator's set on the document, created (in progress) when missing."""
    require_owner_or_reviewer(actor, annotator, "start")
    aset = find_set(session, document, annotator)
    if aset is None:
        aset = AnnotationSetRecord(
            document=document, annotator=annotator, status=SetStatus.IN_PROGRESS.value
        )
        session.add(aset)
        session.flush()
        record_audit(
            session,
            actor,
            "set.create",
            "annotation_set",
            aset.uuid,
            after={"document": document.uuid, "annotator": annotator.name},
        )
    return aset


def _require_editable(actor: UserRecord, aset: AnnotationSetRecord) -> None:
    require_owner_or_reviewer(actor, aset.annotator, "change")
    if (
        actor.id == aset.annotator_id
        and aset.status not in EDITABLE_BY_ANNOTATOR
        and actor.role == "annotator"
    ):
        raise PermissionDenied(
            f"this set is {aset.status}; an annotator can change it only while it is "
            "in progress or after a reviewer rejected it"
        )


def _check_span_for(
    session: Session, aset: AnnotationSetRecord, span: EntitySpan, exclude: SpanRecord | None = None
) -> None:
    schema = project_schema(session)
    if span.label not in schema.label_names:
        raise InputError(f"unknown label {span.label!r}; known: {', '.join(schema.label_names)}")
    check_span(aset.document.text, span)
    for other in aset.spans:
        if other is not exclude and (other.start, other.end, other.label) == (
            span.start,
            span.end,
            span.label,
        ):
            raise InputError(f"this {span.label} span is already there")
    if not schema.allow_nested:
        for other in aset.spans:
            if other is not exclude and other.start < span.end and span.start < other.end:
                raise InputError("this schema does not allow overlapping spans")


def add_span(
    session: Session,
    actor: UserRecord,
    aset: AnnotationSetRecord,
    span: EntitySpan,
    *,
    span_uuid: str | None = None,
) -> SpanRecord:
    _require_editable(actor, aset)
    _check_span_for(session, aset, span)
    record = SpanRecord(annotation_set=aset, start=span.start, end=span.end, label=span.label)
    if span_uuid:
        record.uuid = span_uuid
    session.add(record)
    session.flush()
    record_audit(session, actor, "span.add", "span", record.uuid, after=span_dict(record))
    return record


def get_span(session: Session, span_uuid: str) -> SpanRecord:
    span = session.scalar(select(SpanRecord).where(SpanRecord.uuid == span_uuid))
    if span is None:
        raise NotFound(f"no span {span_uuid}")
    return span


def remove_span(session: Session, actor: UserRecord, span_uuid: str) -> dict[str, Any]:
    span = get_span(session, span_uuid)
    _require_editable(actor, span.annotation_set)
    before = span_dict(span)
    span.annotation_set.spans.remove(span)
    session.flush()
    record_audit(session, actor, "span.remove", "span", span_uuid, before=before)
    return before


def change_span(
    session: Session,
    actor: UserRecord,
    span_uuid: str,
    *,
    label: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> SpanRecord:
    """Relabel a span or move its edges."""
    span = get_span(session, span_uuid)
    aset = span.annotation_set
    _require_editable(actor, aset)
    before = span_dict(span)
    new = EntitySpan(
        span.start if start is None else start,
        span.end if end is None else end,
        span.label if label is None else label,
    )
    _check_span_for(session, aset, new, exclude=span)
    span.start, span.end, span.label = new.start, new.end, new.label
    session.flush()
    record_audit(
        session, actor, "span.change", "span", span_uuid, before=before, after=span_dict(span)
    )
    return span


def set_stance(
    session: Session,
    actor: UserRecord,
    aset: AnnotationSetRecord,
    judgement: StanceJudgement,
    *,
    stance_uuid: str | None = None,
) -> StanceRecord:
    """Record (or replace) the set's stance towards ``judgement.target``."""
    _require_editable(actor, aset)
    schema = project_schema(session)
    check_stance(aset.document.text, judgement, schema)
    existing = next((s for s in aset.stances if s.target == judgement.target), None)
    before = stance_dict(existing) if existing else None
    record = existing or StanceRecord(annotation_set=aset, target=judgement.target)
    if stance_uuid and existing is None:
        record.uuid = stance_uuid
    record.value = judgement.value
    record.evidence = [[r.start, r.end] for r in judgement.evidence]
    record.holder_start = judgement.holder.start if judgement.holder else None
    record.holder_end = judgement.holder.end if judgement.holder else None
    session.add(record)
    session.flush()
    record_audit(
        session,
        actor,
        "stance.set",
        "stance",
        record.uuid,
        before=before,
        after=stance_dict(record),
    )
    return record


def remove_stance(
    session: Session, actor: UserRecord, aset: AnnotationSetRecord, target: str
) -> dict[str, Any] | None:
    _require_editable(actor, aset)
    existing = next((s for s in aset.stances if s.target == target), None)
    if existing is None:
        return None
    before = stance_dict(existing)
    aset.stances.remove(existing)
    session.flush()
    record_audit(session, actor, "stance.remove", "stance", before["uuid"], before=before)
    return before


def _set_status(
    session: Session,
    actor: UserRecord,
    aset: AnnotationSetRecord,
    status: SetStatus,
    action: str,
    comment: str | None = None,
) -> None:
    before = {"status": aset.status, "comment": aset.comment}
    aset.status = status.value
    if comment is not None:
        aset.comment = comment
    if status in (SetStatus.APPROVED, SetStatus.REJECTED):
        aset.reviewed_by_id = actor.id
        aset.reviewed_at = datetime.now(UTC)
    session.flush()
    record_audit(
        session,
        actor,
        action,
        "annotation_set",
        aset.uuid,
        before=before,
        after={"status": aset.status, "comment": aset.comment},
    )


def submit(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> None:
    require_owner_or_reviewer(actor, aset.annotator, "submit")
    if aset.status not in EDITABLE_BY_ANNOTATOR:
        raise PermissionDenied(f"this set is already {aset.status}")
    _set_status(session, actor, aset, SetStatus.SUBMITTED, "set.submit")


def _require_reviewable(aset: AnnotationSetRecord, action: str) -> None:
    if aset.status == SetStatus.IN_PROGRESS.value:
        raise PermissionDenied(
            f"cannot {action} {aset.annotator.name}'s set: it is still in progress "
            "(the annotator has not submitted it)"
        )


def approve(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> None:
    require_reviewer(actor, "approve annotations")
    _require_reviewable(aset, "approve")
    _set_status(session, actor, aset, SetStatus.APPROVED, "set.approve")


def reject(session: Session, actor: UserRecord, aset: AnnotationSetRecord, comment: str) -> None:
    require_reviewer(actor, "reject annotations")
    _require_reviewable(aset, "reject")
    if not comment.strip():
        raise InputError("a rejection needs a comment that tells the annotator what to fix")
    _set_status(session, actor, aset, SetStatus.REJECTED, "set.reject", comment)


def create_filled_set(
    session: Session,
    actor: UserRecord,
    *,
    document_id: int,
    annotator_id: int,
    status: SetStatus,
    spans: Iterable[EntitySpan],
    stances: Iterable[StanceJudgement],
    comment: str = "",
    uuid: str | None = None,
    action: str = "set.import",
) -> AnnotationSetRecord:
    """Create a set with its contents in bulk (imports), with one audit row for the whole set.

    Callers check the spans and stances first (:mod:`app.core.span_rules`).
    """
    aset = AnnotationSetRecord(
        document_id=document_id,
        annotator_id=annotator_id,
        status=status.value,
        comment=comment,
        spans=[SpanRecord(start=s.start, end=s.end, label=s.label) for s in spans],
        stances=[
            StanceRecord(
                target=st.target,
                value=st.value,
                evidence=[[r.start, r.end] for r in st.evidence],
                holder_start=st.holder.start if st.holder else None,
                holder_end=st.holder.end if st.holder else None,
            )
            for st in stances
        ],
    )
    if uuid:
        aset.uuid = uuid
    if status in (SetStatus.APPROVED, SetStatus.REJECTED):
        aset.reviewed_by_id = actor.id
        aset.reviewed_at = datetime.now(UTC)
    session.add(aset)
    session.flush()
    record_audit(session, actor, action, "annotation_set", aset.uuid, after=set_snapshot(aset))
    return aset
