"""Counts for ``tawsim stats``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.domain import SetStatus
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)
from app.store.project import project_schema


def collect_stats(session: Session) -> dict[str, Any]:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_status: dict[str, int] = dict(
        session.execute(
            select(AnnotationSetRecord.status, func.count()).group_by(AnnotationSetRecord.status)
        ).all()
    )
    by_label = dict(
        session.execute(
            select(SpanRecord.label, func.count())
            .group_by(SpanRecord.label)
            .order_by(func.count().desc(), SpanRecord.label)
        ).all()
    )
    by_stance = dict(
        session.execute(select(StanceRecord.value, func.count()).group_by(StanceRecord.value)).all()
    )
    annotated = (
        session.scalar(select(func.count(func.distinct(AnnotationSetRecord.document_id)))) or 0
    )
    schema = project_schema(session)
    return {
        "documents": count(DocumentRecord),
        "documents_annotated": annotated,
        "annotation_sets": count(AnnotationSetRecord),
        "sets_by_status": {s.value: by_status.get(s.value, 0) for s in SetStatus},
        "spans": count(SpanRecord),
        "spans_by_label": by_label,
        "stances": count(StanceRecord),
        "stances_by_value": by_stance,
        "users": count(UserRecord),
        "schema": {
            "name": schema.name,
            "version": schema.version,
            "labels": list(schema.label_names),
        },
    }
