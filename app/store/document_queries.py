"""Reading documents for lists and the annotation view: filters, search, keyset pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, text
from sqlalchemy.orm import Session

from app.core.arabic import fold
from app.core.domain import SetStatus
from app.store.models import AnnotationSetRecord, DocumentRecord, SpanRecord
from app.store.values import DocumentQuery, DocumentRow, ListFilter

# FTS5's trigram tokenizer needs at least three characters; shorter keys fall back to LIKE.
TRIGRAM = 3


def _mine(user_id: int) -> ColumnElement[bool]:
    return and_(
        AnnotationSetRecord.document_id == DocumentRecord.id,
        AnnotationSetRecord.annotator_id == user_id,
    )


def _filtered(session: Session, query: DocumentQuery, stmt: Select[Any]) -> Select[Any]:
    if query.filter is ListFilter.UNLABELLED:
        stmt = stmt.where(~exists().where(_mine(query.user_id)))
    elif query.filter is not ListFilter.ALL:
        stmt = stmt.where(
            exists().where(_mine(query.user_id), AnnotationSetRecord.status == query.filter.value)
        )
    key = fold(query.search).strip()
    if key:
        stmt = stmt.where(search_clause(key, fts=_has_fts(session)))
    return stmt


def _has_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def search_clause(key: str, *, fts: bool) -> ColumnElement[bool]:
    """Documents whose matching key contains ``key`` (already folded)."""
    if fts and len(key) >= TRIGRAM:
        phrase = '"' + key.replace('"', '""') + '"'
        return DocumentRecord.id.in_(
            select(text("rowid"))
            .select_from(text("documents_fts"))
            .where(text("documents_fts MATCH :phrase").bindparams(phrase=phrase))
        )
    return func.instr(DocumentRecord.search_key, key) > 0


def page_ids(session: Session, query: DocumentQuery, after_id: int | None, limit: int) -> list[int]:
    """The next ``limit`` document ids after ``after_id`` (keyset paging, id order)."""
    stmt = _filtered(session, query, select(DocumentRecord.id))
    if after_id is not None:
        stmt = stmt.where(DocumentRecord.id > after_id)
    return list(session.scalars(stmt.order_by(DocumentRecord.id).limit(limit)))


def count(session: Session, query: DocumentQuery) -> int:
    stmt = _filtered(session, query, select(func.count()).select_from(DocumentRecord))
    return session.scalar(stmt) or 0


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
    stmt = _filtered(session, query, select(DocumentRecord.id))
    if current_id is not None:
        stmt = stmt.where(
            DocumentRecord.id > current_id if forward else DocumentRecord.id < current_id
        )
    order = DocumentRecord.id if forward else DocumentRecord.id.desc()
    return session.scalar(stmt.order_by(order).limit(1))


def progress(session: Session, user_id: int) -> tuple[int, int]:
    """(documents the user has submitted or had approved, all documents)."""
    done = session.scalar(
        select(func.count())
        .select_from(AnnotationSetRecord)
        .where(
            AnnotationSetRecord.annotator_id == user_id,
            AnnotationSetRecord.status.in_([s.value for s in SetStatus if s.done]),
        )
    )
    total = session.scalar(select(func.count()).select_from(DocumentRecord))
    return done or 0, total or 0
