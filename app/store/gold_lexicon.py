"""The approved spans' texts and labels, read for suggestions (:mod:`app.core.suggestions`)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.core.domain import SetStatus
from app.store.models import AnnotationSetRecord, DocumentRecord, SpanRecord

MAX_SURFACE = 80
"""Longer approved spans (a whole clause) are not worth suggesting."""


def approved_surfaces(
    session: Session, *only: ColumnElement[bool]
) -> Iterator[tuple[str, str, int]]:
    """``(span text, label, how many approved spans have them)``, one query, grouped in the
    database (code-point ``substr`` on both SQLite and PostgreSQL)."""
    D, S, P = (m.__table__.c for m in (DocumentRecord, AnnotationSetRecord, SpanRecord))
    surface = func.substr(D.text, P.start + 1, P.end - P.start).label("surface")
    rows = (
        select(surface, P.label, func.count())
        .select_from(SpanRecord.__table__)
        .join(AnnotationSetRecord.__table__, S.id == P.set_id)
        .join(DocumentRecord.__table__, D.id == S.document_id)
        .where(S.status == SetStatus.APPROVED.value, P.end - P.start <= MAX_SURFACE, *only)
        .group_by(surface, P.label)
    )
    for text, label, n in session.execute(rows):
        yield str(text), str(label), int(n)
