"""Adding documents, deduplicated by the hash of their stored text."""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.arabic import fold
from app.store.models import DocumentRecord


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_by_hash(session: Session, digest: str) -> DocumentRecord | None:
    return session.scalar(select(DocumentRecord).where(DocumentRecord.content_hash == digest))


def valid_uuid(value: str | None) -> str | None:
    """``value`` as a canonical UUID string, or None when it is not a UUID."""
    if not value:
        return None
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        return None


def add_document(
    session: Session,
    text: str,
    *,
    title: str = "",
    source: str = "",
    meta: dict[str, Any] | None = None,
    uuid: str | None = None,
) -> tuple[DocumentRecord, bool]:
    """Store ``text`` as a document unless the same text is already stored.

    Returns the document and whether it was created. A UUID carried by the file is kept
    when it is free, so records keep their identity between laptops.
    """
    digest = content_hash(text)
    existing = find_by_hash(session, digest)
    if existing is not None:
        return existing, False
    doc = DocumentRecord(
        content_hash=digest,
        text=text,
        title=title or first_line(text),
        source=source,
        meta=meta or {},
        search_key=fold(text),
    )
    wanted = valid_uuid(uuid)
    if (
        wanted
        and session.scalar(select(DocumentRecord.id).where(DocumentRecord.uuid == wanted)) is None
    ):
        doc.uuid = wanted
    session.add(doc)
    session.flush()
    return doc, True


def first_line(text: str, limit: int = 120) -> str:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"
