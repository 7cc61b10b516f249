"""The dashboard's figures (:meth:`app.store.core.Tawsim.dashboard`): a few set-based queries.

- sets per annotator and status: the kept counts (``set_tallies``), a few rows at any size;
- spans per annotator, label and status, and stance judgements per target, value and status:
  one ``GROUP BY`` each over the handed-in sets;
- review decisions per day (UTC): one ``GROUP BY`` over the audit log's ``set.approve``,
  ``set.reject`` and ``set.reopen`` rows;
- agreement per ISO week: the documents two or more annotators handed in, dated by their last
  hand-in (the set's latest ``set.submit`` in the audit log, else when the set was made, as for
  an imported one), the last :data:`AGREEMENT_WEEKS` weeks, at most
  :data:`AGREEMENT_PER_WEEK` documents a week (a fixed sample beyond), their sets' spans and
  stances read (:func:`app.store.set_reader.contents_of`, no text) and scored by
  :mod:`app.core.agreement`.

Blind annotation (:func:`app.store.identity.blind`): an annotator reads only their own sets,
the counts of their own sets and the decisions on them; agreement, which compares annotators'
work, is left empty for them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.core.dashboard import (
    AGREEMENT_PER_WEEK,
    AGREEMENT_WEEKS,
    DECISION_ACTIONS,
    AnnotatorSets,
    Dashboard,
    DecisionDay,
    LabelCount,
    LabelInfo,
    StanceCount,
    WeekAgreement,
)
from app.core.domain import EntitySpan, Selection, SetStatus
from app.core.schema import LabelSchema
from app.store.bulk import is_sqlite
from app.store.document_queries import documents
from app.store.models import (
    AnnotationSetRecord,
    AuditRecord,
    SetTallyRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)
from app.store.project import project_schema
from app.store.set_reader import contents_of

_S = AnnotationSetRecord
HANDED_IN = [s.value for s in Selection.SUBMITTED.statuses]
APPROVED = SetStatus.APPROVED.value
READ_BATCH = 500


def dashboard(
    session: Session,
    viewer: str,
    only: Sequence[ColumnElement[bool]],
    progress: Callable[[int], None] | None = None,
) -> Dashboard:
    """Every figure as ``viewer`` may see them; ``only`` holds the viewer's blind conditions
    on annotation sets (empty for a reviewer or an admin)."""
    names: dict[int, str] = {
        i: n for i, n in session.execute(select(UserRecord.id, UserRecord.name))
    }
    schema = project_schema(session)
    label_counts = spans_per_label(session, names, only)
    weeks, total_weeks = ((), 0) if only else agreement_per_week(session, schema, progress)
    return Dashboard(
        viewer=viewer,
        own_work_only=bool(only),
        made_at=datetime.now(UTC),
        documents=documents(session),
        labels=_labels(schema, label_counts),
        stance_values=schema.stance_values,
        annotators=sets_per_annotator(session, names, viewer if only else None),
        label_counts=label_counts,
        stances=stance_counts(session, only),
        decisions=decisions_per_day(session, only),
        agreement=weeks,
        agreement_weeks=total_weeks,
    )


def _labels(schema: LabelSchema, counts: Sequence[LabelCount]) -> tuple[LabelInfo, ...]:
    known = [LabelInfo(e.name, e.name_ar, e.color) for e in schema.entities]
    names = {x.name for x in known}
    extra = sorted({c.label for c in counts} - names)
    return (*known, *(LabelInfo(n) for n in extra))


def sets_per_annotator(
    session: Session, names: dict[int, str], viewer: str | None
) -> tuple[AnnotatorSets, ...]:
    """From the kept counts; ``viewer``: theirs alone (an annotator's blind reading)."""
    T = SetTallyRecord
    stmt = select(T.annotator_id, T.status, T.n).where(T.n > 0)
    if viewer is not None:
        stmt = stmt.where(
            T.annotator_id.in_(select(UserRecord.id).where(UserRecord.name == viewer))
        )
    by_annotator: dict[str, dict[str, int]] = defaultdict(dict)
    for annotator_id, status, n in session.execute(stmt):
        by_annotator[names.get(annotator_id, f"#{annotator_id}")][status] = n
    return tuple(
        AnnotatorSets(name, **{s.value: counts.get(s.value, 0) for s in SetStatus})
        for name, counts in sorted(by_annotator.items())
    )


def spans_per_label(
    session: Session, names: dict[int, str], only: Sequence[ColumnElement[bool]]
) -> tuple[LabelCount, ...]:
    """Spans per annotator and label in handed-in sets, and of those in approved ones."""
    approved = func.sum(case((_S.status == APPROVED, 1), else_=0))
    stmt = (
        select(_S.annotator_id, SpanRecord.label, func.count(), approved)
        .select_from(_S)
        .join(SpanRecord, SpanRecord.set_id == _S.id)
        .where(_S.status.in_(HANDED_IN), *only)
        .group_by(_S.annotator_id, SpanRecord.label)
    )
    rows = [
        LabelCount(names.get(who, f"#{who}"), label, n, int(gold or 0))
        for who, label, n, gold in session.execute(stmt)
    ]
    return tuple(sorted(rows, key=lambda c: (c.annotator, c.label)))


def stance_counts(session: Session, only: Sequence[ColumnElement[bool]]) -> tuple[StanceCount, ...]:
    """Stance judgements per target and value in handed-in sets, and in approved ones."""
    approved = func.sum(case((_S.status == APPROVED, 1), else_=0))
    stmt = (
        select(StanceRecord.target, StanceRecord.value, func.count(), approved)
        .select_from(_S)
        .join(StanceRecord, StanceRecord.set_id == _S.id)
        .where(_S.status.in_(HANDED_IN), *only)
        .group_by(StanceRecord.target, StanceRecord.value)
    )
    rows = [StanceCount(t, v, n, int(gold or 0)) for t, v, n, gold in session.execute(stmt)]
    return tuple(sorted(rows, key=lambda c: (c.target, c.value)))


def _utc_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The UTC day of a stored time, as ``YYYY-MM-DD`` text."""
    if is_sqlite(session):  # SQLAlchemy stores UTC times as text: YYYY-MM-DD HH:MM:SS.ffffff
        return func.substr(column, 1, 10)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")


def decisions_per_day(
    session: Session, only: Sequence[ColumnElement[bool]]
) -> tuple[DecisionDay, ...]:
    """Approvals, rejections and reopenings per day (UTC) from the audit log; with ``only``,
    the decisions on the sets it takes."""
    A = AuditRecord
    dated = select(_utc_day(session, A.at).label("day"), A.action).where(
        A.action.in_(DECISION_ACTIONS)
    )
    if only:
        dated = dated.where(A.entity_uuid.in_(select(_S.uuid).where(*only)))
    inner = dated.subquery()
    stmt = select(inner.c.day, inner.c.action, func.count()).group_by(inner.c.day, inner.c.action)
    days: dict[str, dict[str, int]] = defaultdict(dict)
    for day, action, n in session.execute(stmt):
        days[day][action.removeprefix("set.")] = n
    return tuple(
        DecisionDay(
            date.fromisoformat(day),
            counts.get("approve", 0),
            counts.get("reject", 0),
            counts.get("reopen", 0),
        )
        for day, counts in sorted(days.items())
    )


def _iso_week(when: datetime) -> tuple[str, date]:
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    year, week, weekday = when.date().isocalendar()
    return f"{year}-W{week:02d}", date.fromordinal(when.date().toordinal() - weekday + 1)


def shared_documents(session: Session) -> list[tuple[int, datetime]]:
    """``(document id, last hand-in)`` of every document two or more annotators handed in."""
    A = AuditRecord
    submitted_at = (
        select(func.max(A.at))
        .where(A.entity_uuid == _S.uuid, A.action == "set.submit")
        .correlate(_S)
        .scalar_subquery()
    )
    shared = (
        select(_S.document_id)
        .where(_S.status.in_(HANDED_IN))
        .group_by(_S.document_id)
        .having(func.count() >= 2)
    )
    per_set = (
        select(_S.document_id, func.coalesce(submitted_at, _S.created_at).label("handed_in"))
        .where(_S.status.in_(HANDED_IN), _S.document_id.in_(shared))
        .subquery()
    )
    stmt = select(per_set.c.document_id, func.max(per_set.c.handed_in)).group_by(
        per_set.c.document_id
    )
    return [(doc_id, _as_time(when)) for doc_id, when in session.execute(stmt)]


def _as_time(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite's text, when the driver did not convert it
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def agreement_per_week(
    session: Session, schema: LabelSchema, progress: Callable[[int], None] | None = None
) -> tuple[tuple[WeekAgreement, ...], int]:
    """Agreement per ISO week of the last hand-in, and how many weeks have shared documents
    (the figures hold the last :data:`AGREEMENT_WEEKS` of them)."""
    from app.core.agreement import AnnotatorWork, compute_agreement

    weeks: dict[str, list[int]] = defaultdict(list)
    mondays: dict[str, date] = {}
    for doc_id, when in shared_documents(session):
        week, monday = _iso_week(when)
        weeks[week].append(doc_id)
        mondays[week] = monday
    recent = sorted(weeks)[-AGREEMENT_WEEKS:]
    chosen = {week: _sample(week, weeks[week]) for week in recent}
    wanted = sorted(doc for docs in chosen.values() for doc in docs)
    work: dict[int, dict[str, AnnotatorWork]] = defaultdict(dict)
    for i in range(0, len(wanted), READ_BATCH):
        for doc_id, name, spans, stances in _handed_in_work(session, wanted[i : i + READ_BATCH]):
            work[doc_id][name] = AnnotatorWork(spans, stances)
        if progress is not None:
            progress(i)  # may raise Cancelled
    figures = []
    for week in recent:
        docs = chosen[week]
        report = compute_agreement(((d, work[d]) for d in docs), stance_values=schema.stance_values)
        exact = report.entities.average_f1["exact_match"]["overall"]
        overlap = report.entities.average_f1["overlap_match"]["overall"]
        stance = report.stance.overall
        figures.append(
            WeekAgreement(
                week=week,
                monday=mondays[week],
                documents=len(weeks[week]),
                measured=len(docs),
                entity_f1=exact.f1,
                overlap_f1=overlap.f1,
                stance_alpha=stance.krippendorff_alpha.value,
                stance_kappa=stance.cohen_kappa.value,
                stance_items=stance.items,
            )
        )
    return tuple(figures), len(weeks)


def _handed_in_work(
    session: Session, document_ids: list[int]
) -> Iterator[tuple[int, str, tuple[EntitySpan, ...], dict[str, str]]]:
    """``(document id, annotator, spans, {target: value})`` of every handed-in set on the
    documents: the spans and stances only (:func:`contents_of`), no text."""
    rows = session.execute(
        select(_S.id, _S.document_id, UserRecord.name)
        .join(UserRecord, UserRecord.id == _S.annotator_id)
        .where(_S.document_id.in_(document_ids), _S.status.in_(HANDED_IN))
        .order_by(_S.id)
    ).all()
    spans, stances = contents_of(session, [set_id for set_id, _, _ in rows])
    for set_id, doc_id, name in rows:
        yield (
            doc_id,
            name,
            tuple(span for _, span in spans.get(set_id, ())),
            {j.target: j.value for _, j in stances.get(set_id, ())},
        )


def _sample(week: str, docs: list[int]) -> list[int]:
    """The week's documents, or a fixed sample of :data:`AGREEMENT_PER_WEEK` of them (the
    same on every run over the same data)."""
    if len(docs) <= AGREEMENT_PER_WEEK:
        return sorted(docs)
    return sorted(random.Random(week).sample(sorted(docs), AGREEMENT_PER_WEEK))
