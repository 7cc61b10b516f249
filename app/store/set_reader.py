"""Reading annotation sets with their contents: the one query behind every reader.

Export, training sets, packs, agreement, the review queue and the annotation view all read
sets through :func:`iter_sets`: one streamed ``SELECT`` of sets joined to their document and
users, in document order, with the spans and stances of each batch fetched by two more
queries. Nothing above the store sees an ORM object; what comes out is
:class:`app.core.records.DocumentData` and :class:`app.core.records.SetData`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.core.domain import EntitySpan, Selection, SetStatus, StanceJudgement, TextRange
from app.core.records import DocumentData, Record, SetData
from app.store.bulk import fetch_all, marks
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)

BATCH = 500

_annotator = UserRecord.__table__.alias("annotator")
_reviewer = UserRecord.__table__.alias("reviewer")
_S = AnnotationSetRecord.__table__.c
_D = DocumentRecord.__table__.c

# Plain columns, not ORM entities: rows come back as tuples, without ORM loading.
_SETS = (
    select(
        _S.id,
        _S.uuid,
        _S.document_id,
        _S.status,
        _S.comment,
        _S.reviewed_at,
        _S.created_at,
        _S.updated_at,
        _annotator.c.name.label("annotator"),
        _annotator.c.uuid.label("annotator_uuid"),
        _reviewer.c.name.label("reviewer"),
        _D.uuid.label("document_uuid"),
        _D.text,
        _D.title,
        _D.source,
        _D.meta,
        _D.occurrence,
    )
    .select_from(AnnotationSetRecord.__table__)
    .join(DocumentRecord.__table__, _D.id == _S.document_id)
    .join(_annotator, _annotator.c.id == _S.annotator_id)
    .outerjoin(_reviewer, _reviewer.c.id == _S.reviewed_by_id)
)


def document_data(
    doc_id: int, uuid: str, text: str, title: str, source: str, meta: Any, occurrence: int = 1
) -> DocumentData:
    return DocumentData(
        text=text,
        uuid=uuid,
        title=title,
        source=source,
        meta=dict(meta or {}),
        id=doc_id,
        occurrence=occurrence,
    )


def contents_of(
    session: Session, set_ids: Sequence[int]
) -> tuple[dict[int, list[tuple[str, EntitySpan]]], dict[int, list[tuple[str, StanceJudgement]]]]:
    spans: dict[int, list[tuple[str, EntitySpan]]] = defaultdict(list)
    # Ten spans per article: plain DBAPI rows, in the order a set lists its spans (start,
    # longest first, then in the order they were made), sorted by SQLite.
    columns = f'SELECT set_id, start, "end", uuid, label FROM {SpanRecord.__tablename__} '
    order = ' ORDER BY set_id, start, "end" DESC, id'
    low, high = (min(set_ids), max(set_ids)) if set_ids else (0, -1)
    if high - low < 2 * len(set_ids):  # ids close together (an import's): one range scan
        wanted: set[int] | None = set(set_ids)
        rows = fetch_all(session, columns + f"WHERE set_id BETWEEN {low} AND {high}" + order, ())
    else:
        wanted = None
        rows = fetch_all(
            session, columns + f"WHERE set_id IN ({marks(session, len(set_ids))})" + order, set_ids
        )
    current, listed = None, []
    for set_id, start, end, uuid, label in rows:
        if set_id != current:
            current = set_id
            listed = spans[set_id] if wanted is None or set_id in wanted else []
        listed.append((uuid, EntitySpan(start, end, label)))
    stances: dict[int, list[tuple[str, StanceJudgement]]] = defaultdict(list)
    st = StanceRecord.__table__.c
    for set_id, uuid, target, value, h_start, h_end, evidence in session.execute(
        select(st.set_id, st.uuid, st.target, st.value, st.holder_start, st.holder_end, st.evidence)
        .where(st.set_id.in_(set_ids))
        .order_by(st.set_id, st.id)
    ).all():
        holder = TextRange(h_start, h_end) if h_start is not None and h_end is not None else None
        judgement = StanceJudgement(
            target, value, tuple(TextRange(a, b) for a, b in evidence or ()), holder
        )
        stances[set_id].append((uuid, judgement))
    return spans, stances


def _set_data(row: Any, spans: list[tuple[str, EntitySpan]], stances: list[Any]) -> SetData:
    span_ids, found = zip(*spans, strict=True) if spans else ((), ())
    stance_ids, judged = zip(*stances, strict=True) if stances else ((), ())
    return SetData(
        annotator=row.annotator,
        status=SetStatus(row.status),
        spans=found,
        stances=judged,
        comment=row.comment,
        uuid=row.uuid,
        span_ids=span_ids,
        stance_ids=stance_ids,
        annotator_uuid=row.annotator_uuid,
        reviewed_by=row.reviewer,
        reviewed_at=row.reviewed_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        id=row.id,
    )


def iter_sets(
    session: Session, *where: ColumnElement[bool], batch: int = BATCH
) -> Iterator[Record]:
    """Every set matching ``where`` (on :class:`AnnotationSetRecord` and
    :class:`DocumentRecord` columns) as a record, in (document id, set id) order."""
    stmt = _SETS.where(*where).order_by(_S.document_id, _S.id)
    result = session.execute(stmt.execution_options(yield_per=batch))
    for rows in result.partitions():
        spans, stances = contents_of(session, [r.id for r in rows])
        documents: dict[int, DocumentData] = {}
        for row in rows:
            doc = documents.get(row.document_id)
            if doc is None:
                doc = documents[row.document_id] = document_data(
                    row.document_id,
                    row.document_uuid,
                    row.text,
                    row.title,
                    row.source,
                    row.meta,
                    row.occurrence,
                )
            yield Record(doc, _set_data(row, spans.get(row.id, []), stances.get(row.id, [])))


def selected(selection: Selection) -> ColumnElement[bool]:
    return _S.status.in_([s.value for s in selection.statuses])


def iter_documents(
    session: Session, *where: ColumnElement[bool], batch: int = BATCH
) -> Iterator[DocumentData]:
    """Documents matching ``where``, in id order, streamed."""
    stmt = (
        select(_D.id, _D.uuid, _D.text, _D.title, _D.source, _D.meta, _D.occurrence)
        .where(*where)
        .order_by(_D.id)
        .execution_options(yield_per=batch)
    )
    for row in session.execute(stmt):
        yield document_data(*row)


def within(column: Any, ids: tuple[int | None, int | None]) -> list[ColumnElement[bool]]:
    """Conditions keeping ``column`` (a document id) from ``ids[0]`` up to (not including)
    ``ids[1]``; None: no bound."""
    low, high = ids
    return [
        *([column >= low] if low is not None else []),
        *([column < high] if high is not None else []),
    ]


def iter_records(
    session: Session,
    selection: Selection,
    *where: ColumnElement[bool],
    mine: Sequence[ColumnElement[bool]] = (),
    documents: tuple[int | None, int | None] = (None, None),
) -> Iterator[Record]:
    """The sets ``selection`` takes, in document order; with :attr:`Selection.ALL` (and no
    other condition) also every document nobody annotated, as a record without a set.
    ``mine`` (an annotator's blind reading) keeps to the sets it takes: the other documents
    then come as records without a set, whoever else annotated them. ``documents`` keeps to
    the documents from its first id up to (not including) its second."""
    sets = iter_sets(
        session, selected(selection), *where, *mine, *within(_S.document_id, documents)
    )
    if selection is not Selection.ALL or where:
        yield from sets
        return
    unannotated = iter_documents(
        session, ~exists().where(_S.document_id == _D.id, *mine), *within(_D.id, documents)
    )
    yield from _with_unannotated(sets, unannotated)


def _with_unannotated(
    sets: Iterator[Record], documents: Iterator[DocumentData]
) -> Iterator[Record]:
    pending = next(documents, None)
    for record in sets:
        while pending is not None and (pending.id or 0) < (record.document.id or 0):
            yield Record(pending)
            pending = next(documents, None)
        yield record
    while pending is not None:
        yield Record(pending)
        pending = next(documents, None)


def iter_lone_work(
    session: Session, *where: ColumnElement[bool], batch: int = BATCH
) -> Iterator[tuple[int, str, dict[str, str]]]:
    """``(document id, annotator, {target: value})`` for every set matching ``where``, in
    document order, without its text or spans: what agreement needs of a document only one
    annotator worked on (a stance rated once; nothing to compare spans with)."""
    st = StanceRecord.__table__.c
    stmt = (
        select(_S.document_id, _S.id, _annotator.c.name, st.target, st.value)
        .select_from(AnnotationSetRecord.__table__)
        .join(_annotator, _annotator.c.id == _S.annotator_id)
        .outerjoin(StanceRecord.__table__, st.set_id == _S.id)
        .where(*where)
        .order_by(_S.document_id, _S.id, st.id)
        .execution_options(yield_per=batch)
    )
    current: tuple[int, str, dict[str, str]] | None = None
    stances: dict[str, str] = {}
    set_id = None
    for document_id, row_set, annotator, target, value in session.execute(stmt):
        if row_set != set_id:
            if current is not None:
                yield current
            stances = {}
            set_id, current = row_set, (document_id, annotator, stances)
        if target is not None:
            stances[target] = value
    if current is not None:
        yield current


def group_by_document(records: Iterable[Record]) -> Iterator[list[Record]]:
    """Consecutive records of one document together (records come in document order)."""
    group: list[Record] = []
    for record in records:
        if group and group[0].document.id != record.document.id:
            yield group
            group = []
        group.append(record)
    if group:
        yield group
