"""Label edits on one set: role-checked, validated, audited, each returning what undoes it.

These run inside the caller's transaction (:class:`app.store.core.Tawsim` opens one per
command). A label command acts on the acting user's own set on the document, created (in
progress) on first use; a reviewer's own set is their gold draft.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core.commands import (
    AddSpan,
    Batch,
    Changes,
    ChangeSpan,
    LabelCommand,
    RemoveSpan,
    RemoveStance,
    SetStance,
)
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError, NotFound, PermissionDenied, StaleEdit
from app.core.schema import LabelSchema
from app.core.span_rules import check_span, check_spans_together, check_stance
from app.store.audit import record_audit
from app.store.identity import require_owner_or_reviewer
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)


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


def judgement_of(stance: StanceRecord) -> StanceJudgement:
    holder = None
    if stance.holder_start is not None and stance.holder_end is not None:
        holder = TextRange(stance.holder_start, stance.holder_end)
    return StanceJudgement(
        stance.target, stance.value, tuple(TextRange(a, b) for a, b in stance.evidence), holder
    )


def get_document(session: Session, document_id: int) -> DocumentRecord:
    doc = session.get(DocumentRecord, document_id)
    if doc is None:
        raise NotFound(f"no document {document_id}")
    return doc


def find_set(session: Session, document_id: int, annotator_id: int) -> AnnotationSetRecord | None:
    return session.scalar(
        select(AnnotationSetRecord).where(
            AnnotationSetRecord.document_id == document_id,
            AnnotationSetRecord.annotator_id == annotator_id,
        )
    )


def open_set(session: Session, actor: UserRecord, document_id: int) -> AnnotationSetRecord:
    """The actor's own set on the document, created (in progress) when missing."""
    doc = get_document(session, document_id)
    aset = find_set(session, doc.id, actor.id)
    if aset is None:
        aset = AnnotationSetRecord(
            document=doc,
            annotator=actor,
            status=SetStatus.IN_PROGRESS.value,
            text_length=doc.length,  # the database sets it too (migration 0013)
        )
        session.add(aset)
        session.flush()
        record_audit(
            session, actor, "set.create", "annotation_set", aset.uuid,
            after={"document": doc.uuid, "annotator": actor.name},
        )  # fmt: skip
    return aset


def raise_version(session: Session, aset: AnnotationSetRecord) -> None:
    """Count a change of the set, refused when the set is no longer as it was read: another
    transaction changed it (a decision, an edit) between this one's reading and writing it.

    What was checked on the set (its status) was read before the set's row was locked (SQLite
    begins a transaction at its first write, PostgreSQL reads committed rows), so the version
    goes up only from the one read with it, in the same statement that locks the row."""
    raised = session.execute(
        update(AnnotationSetRecord)
        .where(AnnotationSetRecord.id == aset.id, AnnotationSetRecord.version == aset.version)
        .values(version=AnnotationSetRecord.version + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], raised).rowcount != 1:
        raise StaleEdit(
            "this set was changed by someone else at the same moment (a reviewer's decision, "
            "another window or machine); nothing was changed: look at it again and make your "
            "change again"
        )
    set_committed_value(aset, "version", aset.version + 1)


def require_editable(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> None:
    """Annotators change their own sets while in progress or rejected; reviewers change any
    set but an approved one, which is the document's gold set until a reviewer reopens it."""
    require_owner_or_reviewer(actor, aset.annotator, "change")
    status = SetStatus(aset.status)
    if status is SetStatus.APPROVED:
        raise PermissionDenied(
            "this set is approved (the document's gold set); a reviewer reopens it to change it"
        )
    own = actor.id == aset.annotator_id and Role(actor.role) is Role.ANNOTATOR
    if own and not status.editable_by_annotator:
        raise PermissionDenied(
            f"this set is {status.value}; an annotator can change it only while it is in "
            "progress or after a reviewer rejected it"
        )
    raise_version(session, aset)  # the change about to be made: a view of the set before is stale


def _check_span_in(
    schema: LabelSchema, aset: AnnotationSetRecord, span: EntitySpan, exclude: SpanRecord | None
) -> None:
    if span.label not in schema.label_names:
        raise InputError(f"unknown label {span.label!r}; known: {', '.join(schema.label_names)}")
    check_span(aset.document.text, span)
    others = [EntitySpan(o.start, o.end, o.label) for o in aset.spans if o is not exclude]
    if span in others:
        raise InputError(f"this {span.label} span is already there")
    check_spans_together([*others, span], schema)


def _get_span(session: Session, span_uuid: str) -> SpanRecord:
    span = session.scalar(select(SpanRecord).where(SpanRecord.uuid == span_uuid))
    if span is None:
        raise NotFound(f"no span {span_uuid}")
    return span


def _own_span(session: Session, actor: UserRecord, command: RemoveSpan | ChangeSpan) -> SpanRecord:
    span = _get_span(session, command.span_uuid)
    aset = span.annotation_set
    if aset.document_id != command.document_id:
        raise NotFound(f"span {command.span_uuid} is not on document {command.document_id}")
    require_editable(session, actor, aset)
    return span


def _add_span(session: Session, actor: UserRecord, schema: LabelSchema, c: AddSpan) -> Changes:
    aset = open_set(session, actor, c.document_id)
    require_editable(session, actor, aset)
    _check_span_in(schema, aset, c.span, None)
    record = SpanRecord(
        annotation_set=aset,
        start=c.span.start,
        end=c.span.end,
        label=c.span.label,
        uuid=c.span_uuid,
    )
    session.add(record)
    session.flush()
    after = span_dict(record) | ({"suggested_by": c.origin} if c.origin else {})
    record_audit(session, actor, "span.add", "span", record.uuid, after=after)
    return Changes(
        frozenset({c.document_id}), spans=True, inverse=RemoveSpan(c.document_id, c.span_uuid)
    )


def _remove_span(session: Session, actor: UserRecord, c: RemoveSpan) -> Changes:
    span = _own_span(session, actor, c)
    was = EntitySpan(span.start, span.end, span.label)
    before = span_dict(span)
    span.annotation_set.spans.remove(span)
    session.flush()
    record_audit(session, actor, "span.remove", "span", c.span_uuid, before=before)
    return Changes(
        frozenset({c.document_id}), spans=True, inverse=AddSpan(c.document_id, was, c.span_uuid)
    )


def _change_span(
    session: Session, actor: UserRecord, schema: LabelSchema, c: ChangeSpan
) -> Changes:
    span = _own_span(session, actor, c)
    was = EntitySpan(span.start, span.end, span.label)
    before = span_dict(span)
    _check_span_in(schema, span.annotation_set, c.span, span)
    span.start, span.end, span.label = c.span.start, c.span.end, c.span.label
    session.flush()
    record_audit(
        session, actor, "span.change", "span", c.span_uuid, before=before, after=span_dict(span)
    )
    inverse = ChangeSpan(c.document_id, c.span_uuid, was)
    return Changes(frozenset({c.document_id}), spans=True, inverse=inverse)


def _set_stance(session: Session, actor: UserRecord, schema: LabelSchema, c: SetStance) -> Changes:
    aset = open_set(session, actor, c.document_id)
    require_editable(session, actor, aset)
    check_stance(aset.document.text, c.judgement, schema)
    existing = next((s for s in aset.stances if s.target == c.judgement.target), None)
    inverse: LabelCommand
    if existing is None:
        inverse = RemoveStance(c.document_id, c.judgement.target)
        record = StanceRecord(annotation_set=aset, target=c.judgement.target, uuid=c.stance_uuid)
        before = None
    else:
        inverse = SetStance(c.document_id, judgement_of(existing), existing.uuid)
        record, before = existing, stance_dict(existing)
    j = c.judgement
    record.value = j.value
    record.evidence = [[r.start, r.end] for r in j.evidence]
    record.holder_start = j.holder.start if j.holder else None
    record.holder_end = j.holder.end if j.holder else None
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
    return Changes(frozenset({c.document_id}), stances=True, inverse=inverse)


def _remove_stance(session: Session, actor: UserRecord, c: RemoveStance) -> Changes:
    aset = open_set(session, actor, c.document_id)
    require_editable(session, actor, aset)
    existing = next((s for s in aset.stances if s.target == c.target), None)
    if existing is None:
        raise NotFound(f"no stance towards {c.target}")
    before = stance_dict(existing)
    inverse = SetStance(c.document_id, judgement_of(existing), existing.uuid)
    aset.stances.remove(existing)
    session.flush()
    record_audit(session, actor, "stance.remove", "stance", before["uuid"], before=before)
    return Changes(frozenset({c.document_id}), stances=True, inverse=inverse)


def apply_label(
    session: Session, actor: UserRecord, schema: LabelSchema, command: LabelCommand
) -> Changes:
    """Perform one label command; returns what changed and the command that undoes it."""
    match command:
        case AddSpan():
            return _add_span(session, actor, schema, command)
        case RemoveSpan():
            return _remove_span(session, actor, command)
        case ChangeSpan():
            return _change_span(session, actor, schema, command)
        case SetStance():
            return _set_stance(session, actor, schema, command)
        case RemoveStance():
            return _remove_stance(session, actor, command)
        case Batch():
            changes = Changes()
            inverses: list[LabelCommand] = []
            for part in command.commands:
                done = apply_label(session, actor, schema, part)
                changes = changes | done
                inverses.append(cast(LabelCommand, done.inverse))
            undo = Batch(command.document_id, tuple(reversed(inverses)), command.description)
            return Changes(
                changes.documents or frozenset({command.document_id}),
                spans=changes.spans,
                stances=changes.stances,
                inverse=undo,
            )
    raise TypeError(f"unknown command {command!r}")


def set_status(
    session: Session,
    actor: UserRecord,
    aset: AnnotationSetRecord,
    status: SetStatus,
    action: str,
    comment: str | None = None,
) -> None:
    """Change a set's status (who decided and when, for review decisions), audited."""
    before = {"status": aset.status, "comment": aset.comment}
    raise_version(session, aset)
    aset.status = status.value
    if comment is not None:
        aset.comment = comment
    if status.reviewed:
        aset.reviewed_by_id = actor.id
        aset.reviewed_at = datetime.now(UTC)
    else:  # submitted (again) or in progress: nobody has decided on it
        aset.reviewed_by_id = None
        aset.reviewed_at = None
    session.flush()
    record_audit(
        session, actor, action, "annotation_set", aset.uuid,
        before=before, after={"status": aset.status, "comment": aset.comment},
    )  # fmt: skip


def submit(session: Session, actor: UserRecord, document_id: int) -> Changes:
    """Hand the actor's set on the document in for review (created empty if missing)."""
    aset = open_set(session, actor, document_id)
    status = SetStatus(aset.status)
    if not status.editable_by_annotator:
        raise PermissionDenied(f"this set is already {status.value}")
    set_status(session, actor, aset, SetStatus.SUBMITTED, "set.submit")
    return Changes(frozenset({document_id}), status=True)


def check_seen(session: Session, actor: UserRecord, document_id: int, seen: int) -> None:
    """Refuse a change made on a view of the actor's set that is no longer current: ``seen``
    is the version the view showed (0: no set yet)."""
    aset = find_set(session, document_id, actor.id)
    now = aset.version if aset is not None else 0
    if now != seen:
        raise StaleEdit(
            "this document was changed in another window or on another machine after it was "
            "shown here; it has been reloaded: check it and make your change again"
        )
