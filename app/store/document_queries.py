"""Reading documents for lists and the annotation view: filters, search, keyset pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session

from app.core.domain import SetStatus
from app.store import search_index
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SetTallyRecord,
    SpanRecord,
    TallyRecord,
)
from app.store.values import DocumentQuery, DocumentRow, ListFilter


def _mine(user_id: int) -> ColumnElement[bool]:
    return and_(
        AnnotationSetRecord.document_id == DocumentRecord.id,
        AnnotationSetRecord.annotator_id == user_id,
    )


def _filtered(
    session: Session, query: DocumentQuery, stmt: Select[Any]
) -> tuple[Select[Any], ColumnElement[int]]:
    """``stmt`` narrowed to the query's documents, and the column that orders them by id."""
    if query.filter is ListFilter.UNLABELLED:
        stmt = stmt.where(~exists().where(_mine(query.user_id)))
    elif query.filter is not ListFilter.ALL:
        stmt = stmt.where(
            exists().where(_mine(query.user_id), AnnotationSetRecord.status == query.filter.value)
        )
    if query.search.strip():
        return search_index.restrict(session, stmt, query.search)
    return stmt, DocumentRecord.__table__.c.id


def page_ids(session: Session, query: DocumentQuery, after_id: int | None, limit: int) -> list[int]:
    """The next ``limit`` document ids after ``after_id`` (keyset paging, id order)."""
    stmt, order = _filtered(session, query, select(DocumentRecord.id))
    if after_id is not None:
        stmt = stmt.where(order > after_id)
    return list(session.scalars(stmt.order_by(order).limit(limit)))


def count(session: Session, query: DocumentQuery, at_most: int | None = None) -> int:
    """How many documents the query lists: read from the kept tallies unless it searches.
    A search is counted up to ``at_most + 1`` when ``at_most`` is given (that means "more":
    an exact count of a common word walks every document that holds it)."""
    if not query.search.strip():
        if query.filter is ListFilter.ALL:
            return documents(session)
        mine = sets_by_status(session, query.user_id)
        if query.filter is ListFilter.UNLABELLED:
            return documents(session) - sum(mine.values())  # one set per annotator and document
        return mine.get(query.filter.value, 0)
    if query.filter is ListFilter.ALL:
        return search_index.count_matches(session, query.search, at_most)
    stmt, _order = _filtered(session, query, select(DocumentRecord.id))
    return search_index.count_rows(session, stmt, at_most)


def change_token(session: Session) -> tuple[Any, ...]:
    """What changes whenever a document is added or a set changes status (anyone's, any
    process's): the kept tallies (a few rows whatever the size), for a view to notice work
    handed in elsewhere without reading it."""
    sets = session.execute(
        select(SetTallyRecord.annotator_id, SetTallyRecord.status, SetTallyRecord.n).order_by(
            SetTallyRecord.annotator_id, SetTallyRecord.status
        )
    ).all()
    return (documents(session), *map(tuple, sets))


def documents(session: Session) -> int:
    """How many documents there are (kept by a trigger, not counted)."""
    return session.scalar(select(TallyRecord.n).where(TallyRecord.name == "documents")) or 0


def sets_by_status(session: Session, user_id: int) -> dict[str, int]:
    """How many sets ``user_id`` has in each status (kept by triggers, not counted)."""
    rows = session.execute(
        select(SetTallyRecord.status, SetTallyRecord.n).where(
            SetTallyRecord.annotator_id == user_id
        )
    )
    return {status: n for status, n in rows}


def rows(session: Session, user_id: int, ids: list[int]) -> dict[int, DocumentRow]:
    if not ids:
        return {}
    span_count = (
        select(func.count(SpanRecord.id))
        .where(SpanRecord.set_id == AnnotationSetRecord.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            DocumentRecord.id,
            DocumentRecord.title,
            DocumentRecord.source,
            AnnotationSetRecord.status,
            span_count,
            AnnotationSetRecord.comment,
        )
        .outerjoin(AnnotationSetRecord, _mine(user_id))
        .where(DocumentRecord.id.in_(ids))
    )
    return {
        r[0]: DocumentRow(
            r[0], r[1], r[2], SetStatus(r[3]) if r[3] else None, r[4] or 0, r[5] or ""
        )
        for r in session.execute(stmt)
    }


def neighbour(
    session: Session, query: DocumentQuery, current_id: int | None, *, forward: bool = True
) -> int | None:
    """The next (or previous) document id in list order, or None at the end."""
    stmt, order = _filtered(session, query, select(DocumentRecord.id))
    if current_id is not None:
        stmt = stmt.where(order > current_id if forward else order < current_id)
    return session.scalar(stmt.order_by(order if forward else order.desc()).limit(1))


def progress(session: Session, user_id: int) -> tuple[int, int]:
    """(documents the user has submitted or had approved, all documents), from the tallies."""
    mine = sets_by_status(session, user_id)
    done = sum(mine.get(s.value, 0) for s in SetStatus if s.done)
    return done, documents(session)
