"""The audit log: who changed what, when, with the state before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.store.models import AuditRecord, UserRecord


def record_audit(
    session: Session,
    user: UserRecord,
    action: str,
    entity: str,
    entity_uuid: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditRecord(
            user_id=user.id,
            action=action,
            entity=entity,
            entity_uuid=entity_uuid,
            before=before,
            after=after,
        )
    )
