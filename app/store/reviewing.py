"""The reviewer's side: the queue, every annotator's work on a document, decisions.

A document has at most one approved (gold) set: approving checks it here with a clear message,
and the database's partial unique index refuses it on every other path and in every race. An
approval (or a rejection) is undone by reopening the set, which is audited like any decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.core.commands import Approve, ApproveDraft, Changes, Decision, Reject, Reopen
from app.core.disagreement import compare, signature
from app.core.domain import SetStatus
from app.core.errors import InputError, NotFound, PermissionDenied
from app.core.records import SetData
from app.store.annotating import open_set, set_status
from app.store.identity import require_reviewer
from app.store.models import AnnotationSetRecord, SpanRecord, UserRecord
from app.store.set_reader import group_by_document, iter_sets
from app.store.values import BatchResult, QueueFilter, QueueItem, ReviewSet, span_views

_S = AnnotationSetRecord


def get_set(session: Session, set_uuid: str) -> AnnotationSetRecord:
    aset = session.scalar(select(_S).where(_S.uuid == set_uuid))
    if aset is None:
        raise NotFound(f"no annotation set {set_uuid}")
    return aset


def gold_set(session: Session, document_id: int) -> AnnotationSetRecord | None:
    return session.scalar(
        select(_S).where(_S.document_id == document_id, _S.status == SetStatus.APPROVED.value)
    )


def gold_conflict(gold: AnnotationSetRecord, document_uuid: str) -> str:
    return (
        f"document {document_uuid} already has an approved set ({gold.annotator.name}'s, set "
        f"{gold.uuid}); a document has one gold set"
    )


def _undoing(aset: AnnotationSetRecord) -> Decision:
    """The decision that brings the set back to where it stands now (status and comment)."""
    status = SetStatus(aset.status)
    if status is SetStatus.APPROVED:
        return Approve(aset.uuid)
    if status is SetStatus.REJECTED:
        return Reject(aset.uuid, aset.comment)
    return Reopen(aset.uuid)


def _decided(aset: AnnotationSetRecord, inverse: Decision) -> Changes:
    return Changes(frozenset({aset.document_id}), status=True, inverse=inverse)


def _approve(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> Changes:
    require_reviewer(actor, "approve annotations")
    if aset.status == SetStatus.IN_PROGRESS.value:
        raise PermissionDenied(
            f"cannot approve {aset.annotator.name}'s set: it is still in progress "
            "(the annotator has not submitted it)"
        )
    if aset.status == SetStatus.APPROVED.value:
        return Changes()  # already the gold set: nothing to do, nothing to undo
    gold = gold_set(session, aset.document_id)
    if gold is not None and gold.id != aset.id:
        raise PermissionDenied(gold_conflict(gold, aset.document.uuid) + "; reopen it first")
    inverse = _undoing(aset)
    # A rejection's comment told the annotator what to fix; the gold set has none.
    set_status(session, actor, aset, SetStatus.APPROVED, "set.approve", "")
    return _decided(aset, inverse)


def _reject(
    session: Session, actor: UserRecord, aset: AnnotationSetRecord, comment: str
) -> Changes:
    require_reviewer(actor, "reject annotations")
    if aset.status == SetStatus.IN_PROGRESS.value:
        raise PermissionDenied(
            f"cannot reject {aset.annotator.name}'s set: it is still in progress "
            "(the annotator has not submitted it)"
        )
    if not comment.strip():
        raise InputError("a rejection needs a comment that tells the annotator what to fix")
    inverse = _undoing(aset)
    set_status(session, actor, aset, SetStatus.REJECTED, "set.reject", comment)
    return _decided(aset, inverse)


def _reopen(session: Session, actor: UserRecord, aset: AnnotationSetRecord) -> Changes:
    require_reviewer(actor, "reopen a reviewed set")
    status = SetStatus(aset.status)
    if not status.reviewed:
        raise PermissionDenied(f"this set is {status.value}; only a decided set can be reopened")
    inverse = _undoing(aset)
    set_status(session, actor, aset, SetStatus.SUBMITTED, "set.reopen")
    return _decided(aset, inverse)


def decide(session: Session, actor: UserRecord, decision: Decision) -> Changes:
    """Perform one review decision; returns what changed and the decision that undoes it."""
    match decision:
        case Approve(set_uuid=uuid):
            return _approve(session, actor, get_set(session, uuid))
        case Reject(set_uuid=uuid, comment=comment):
            return _reject(session, actor, get_set(session, uuid), comment)
        case Reopen(set_uuid=uuid):
            return _reopen(session, actor, get_set(session, uuid))
        case ApproveDraft(document_id=document_id):
            require_reviewer(actor, "approve annotations")
            aset = open_set(session, actor, document_id)
            if SetStatus(aset.status).editable_by_annotator:
                set_status(session, actor, aset, SetStatus.SUBMITTED, "set.submit")
            return _approve(session, actor, aset)
    raise TypeError(f"unknown decision {decision!r}")


# -- reading -------------------------------------------------------------------------------


def _in_queue(flt: QueueFilter) -> list[ColumnElement[bool]]:
    """Conditions on a submitted set (``_S``) whose document is in the queue: no approved set
    on it yet, and (filters) a submitted set on it by the annotator / with the label. With
    ``flt.approved``: the approved set of a decided document, filtered the same way."""
    approved, other = aliased(AnnotationSetRecord), aliased(AnnotationSetRecord)
    status = (SetStatus.APPROVED if flt.approved else SetStatus.SUBMITTED).value
    where = [_S.status == status]
    if not flt.approved:
        where.append(
            ~exists().where(
                approved.document_id == _S.document_id,
                approved.status == SetStatus.APPROVED.value,
            )
        )
    if flt.annotator:
        where.append(
            exists().where(
                other.document_id == _S.document_id,
                other.status == status,
                other.annotator_id == UserRecord.id,
                UserRecord.name == flt.annotator,
            )
        )
    if flt.label:
        where.append(
            exists().where(
                other.document_id == _S.document_id,
                other.status == status,
                SpanRecord.set_id == other.id,
                SpanRecord.label == flt.label,
            )
        )
    return where


def _stance_values(data: SetData) -> dict[str, str]:
    return {j.target: j.value for j in data.stances}


def queue(
    session: Session,
    flt: QueueFilter | None = None,
    after: int | None = None,
    *only: ColumnElement[bool],
) -> Iterator[QueueItem]:
    """Documents with submitted sets and no approved set yet, with their disagreement marks,
    in document order after document ``after``: streamed, so a page of them reads only what
    it shows (the annotator and label filters are conditions of the query; the disagreement
    level is known once a document's sets are compared)."""
    flt = flt or QueueFilter()
    where = [*_in_queue(flt), *only]
    if after is not None:
        where.append(_S.document_id > after)
    for group in group_by_document(iter_sets(session, *where, batch=200)):
        work = {r.annotation.annotator or "": r.annotation for r in group if r.annotation}
        comparison = compare(
            {name: w.spans for name, w in work.items()},
            {name: _stance_values(w) for name, w in work.items()},
        )
        if flt.level and comparison.level != flt.level:
            continue
        doc = group[0].document
        yield QueueItem(
            doc.id or 0,
            doc.uuid or "",
            doc.title or "",
            tuple((w.uuid or "", name) for name, w in work.items()),
            comparison,
            work,
        )


def queue_count(
    session: Session, flt: QueueFilter | None = None, *only: ColumnElement[bool]
) -> int | None:
    """How many documents :func:`queue` lists (None with a level filter: that needs every
    document's sets compared)."""
    flt = flt or QueueFilter()
    if flt.level:
        return None
    found = select(func.count(func.distinct(_S.document_id))).where(*_in_queue(flt), *only)
    return session.scalar(found) or 0


def review_sets(
    session: Session, reviewer_id: int, document_id: int, *only: ColumnElement[bool]
) -> list[ReviewSet]:
    """Every annotator's submitted, approved or rejected set on the document (not the
    reviewer's own draft)."""
    return [
        ReviewSet(
            a.uuid,
            a.annotator or "",
            a.status or SetStatus.SUBMITTED,
            a.comment,
            span_views(a),
            _stance_values(a),
            a.stances,
        )
        for r in iter_sets(
            session,
            _S.document_id == document_id,
            _S.annotator_id != reviewer_id,
            _S.status != SetStatus.IN_PROGRESS.value,
            *only,
        )
        if (a := r.annotation) is not None
    ]


# -- decisions over many documents ---------------------------------------------------------


def approve_many(
    session: Session,
    actor: UserRecord,
    set_uuids: tuple[str, ...] = (),
    flt: QueueFilter | None = None,
) -> BatchResult:
    """Approve the named sets, or for each queued document the filter selects the set by
    ``flt.annotator`` (or its only set); documents with several candidates are skipped."""
    require_reviewer(actor, "approve annotations")
    flt = flt or QueueFilter()
    result = BatchResult()
    if set_uuids:
        chosen = list(dict.fromkeys(set_uuids))  # a set named twice is approved once
    elif flt.empty:
        raise InputError("name sets to approve, or a filter (--annotator, --label, --level)")
    else:
        chosen = []
        for item in list(queue(session, flt)):
            candidates = [s for s, a in item.sets if flt.annotator is None or a == flt.annotator]
            if len(candidates) == 1:
                chosen.append(candidates[0])
            else:
                result.skipped.append(item.document_uuid)
    for set_uuid in chosen:
        result.changes = result.changes | _approve(session, actor, get_set(session, set_uuid))
        result.approved.append(set_uuid)
    return result


def auto_approve(session: Session, actor: UserRecord, min_agree: int) -> BatchResult:
    """Approve, for each queued document, a set that at least ``min_agree`` annotators made
    identically (spans and stance). The rest waits."""
    require_reviewer(actor, "approve annotations")
    if min_agree < 1:
        raise InputError("--min-agree must be at least 1")
    result = BatchResult()
    for item in list(queue(session)):
        groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for work in item.work.values():
            groups[signature(work.spans, _stance_values(work))].append(work.uuid or "")
        best = max(groups.values(), key=len)
        if len(best) >= min_agree:
            result.changes = result.changes | _approve(session, actor, get_set(session, best[0]))
            result.approved.append(best[0])
    return result
