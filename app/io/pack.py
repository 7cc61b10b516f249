"""Packs: annotation sets and the documents they need, carried between laptops in one file.

:func:`pack` writes a ``.tawsim`` file (the format is in :mod:`app.io.pack_manifest`);
:func:`unpack` merges one into a database by UUID, in one transaction. Nothing stored is ever
overwritten: a set that differs from the local one with its id (or from the local set of the
same annotator on the same document) is reported as a conflict and the local one kept, so
unpacking the same file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app import __version__
from app.core.domain import SetStatus
from app.core.errors import InputError, NotFound
from app.io.pack_manifest import (
    DOCUMENTS,
    SETS,
    Manifest,
    PackReader,
    PackWriter,
)
from app.io.pack_merge import Merge, UnpackReport
from app.store.database import Database
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    Setting,
    new_uuid,
)
from app.store.services.annotations import (
    span_dict,
    stance_dict,
)
from app.store.services.users import find_user

ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in SetStatus)
DATABASE_UUID_KEY = "database_uuid"
BATCH = 200

Progress = Callable[[int], None]
"""Called with the number of sets done; may raise :class:`app.core.errors.Cancelled`."""


@dataclass(slots=True)
class PackReport:
    path: Path
    database_uuid: str
    annotator: str | None
    statuses: tuple[str, ...]
    documents: int = 0
    sets: int = 0
    spans: int = 0
    stances: int = 0
    size: int = 0  # bytes of the pack file


def database_uuid(session: Session) -> str:
    """This database's own id (created on first use), written into every pack it makes."""
    row = session.get(Setting, DATABASE_UUID_KEY)
    if row is None:
        row = Setting(key=DATABASE_UUID_KEY, value=new_uuid())
        session.add(row)
        session.flush()
    return row.value


# -- packing -------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _set_json(aset: AnnotationSetRecord, document_uuid: str) -> dict[str, Any]:
    return {
        "uuid": aset.uuid,
        "document": document_uuid,
        "annotator": {
            "name": aset.annotator.name,
            "uuid": aset.annotator.uuid,
            "role": aset.annotator.role,
        },
        "status": aset.status,
        "comment": aset.comment,
        "reviewed_by": aset.reviewed_by.name if aset.reviewed_by else None,
        "reviewed_at": _iso(aset.reviewed_at),
        "created_at": _iso(aset.created_at),
        "updated_at": _iso(aset.updated_at),
        "spans": [span_dict(s) for s in aset.spans],
        "stances": [stance_dict(s) for s in aset.stances],
    }


def _document_json(doc: DocumentRecord) -> dict[str, Any]:
    return {
        "uuid": doc.uuid,
        "content_hash": doc.content_hash,
        "text": doc.text,
        "title": doc.title,
        "source": doc.source,
        "meta": dict(doc.meta or {}),
    }


def _sets_query(
    statuses: tuple[str, ...], annotator_id: int | None
) -> Select[AnnotationSetRecord, str]:
    query = (
        select(AnnotationSetRecord, DocumentRecord.uuid)
        .join(AnnotationSetRecord.document)
        .where(AnnotationSetRecord.status.in_(statuses))
        .options(
            selectinload(AnnotationSetRecord.spans),
            selectinload(AnnotationSetRecord.stances),
            selectinload(AnnotationSetRecord.annotator),
            selectinload(AnnotationSetRecord.reviewed_by),
        )
        .order_by(AnnotationSetRecord.document_id, AnnotationSetRecord.id)
        .execution_options(yield_per=BATCH)
    )
    if annotator_id is not None:
        query = query.where(AnnotationSetRecord.annotator_id == annotator_id)
    return query


def pack(
    db: Database,
    out: Path,
    *,
    annotator: str | None = None,
    include_statuses: tuple[str, ...] = ALL_STATUSES,
    progress: Progress | None = None,
) -> PackReport:
    """Write the sets (one annotator's, with ``annotator``) and their documents to ``out``."""
    out = Path(out)
    statuses = tuple(dict.fromkeys(str(s) for s in include_statuses))
    unknown = [s for s in statuses if s not in ALL_STATUSES]
    if unknown or not statuses:
        raise InputError(
            f"unknown set status {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(ALL_STATUSES)}"
        )
    created = datetime.now(UTC).replace(microsecond=0)
    with db.session() as session, session.begin():
        db_uuid = database_uuid(session)
        annotator_id = None
        if annotator is not None:
            user = find_user(session, annotator.strip())
            if user is None:
                raise NotFound(f"no user named {annotator!r} in this database")
            annotator, annotator_id = user.name, user.id
    report = PackReport(out, db_uuid, annotator, statuses)
    with db.session() as session, PackWriter(out, created) as writer:
        document_ids: dict[int, None] = {}  # insertion-ordered set, in document order
        with writer.entry(SETS) as entry:
            for aset, document_uuid in session.execute(_sets_query(statuses, annotator_id)):
                entry.write_json_line(_set_json(aset, document_uuid))
                document_ids[aset.document_id] = None
                report.sets += 1
                report.spans += len(aset.spans)
                report.stances += len(aset.stances)
                if progress is not None:
                    progress(report.sets)
        ids = list(document_ids)
        with writer.entry(DOCUMENTS) as entry:
            for i in range(0, len(ids), BATCH):
                batch = select(DocumentRecord).where(DocumentRecord.id.in_(ids[i : i + BATCH]))
                for doc in session.scalars(batch.order_by(DocumentRecord.id)):
                    entry.write_json_line(_document_json(doc))
                    report.documents += 1
                session.expunge_all()
        writer.write_manifest(
            Manifest(
                tool_version=__version__,
                created_at=created.isoformat(),
                database_uuid=db_uuid,
                annotator=annotator,
                statuses=statuses,
                counts={k: getattr(report, k) for k in ("documents", "sets", "spans", "stances")},
                entries=dict(writer.entries),
            )
        )
    report.size = out.stat().st_size
    return report


# -- unpacking -----------------------------------------------------------------------------


def unpack(
    db: Database, path: Path, actor_name: str, *, progress: Progress | None = None
) -> UnpackReport:
    """Merge the pack at ``path``: all of it in one transaction, or (on any error) nothing.

    A damaged, foreign or unsafe file raises :class:`InputError` before the database is
    touched; a record that cannot be merged raises it (or ``PermissionDenied``) and the
    transaction rolls back.
    """
    path = Path(path)
    try:
        with PackReader(path) as reader:
            m = reader.manifest
            report = UnpackReport(path, m.database_uuid, m.tool_version, m.created_at)
            with db.session() as session, session.begin():
                Merge(session, actor_name, m, report).run(reader, progress)
    except InputError as exc:
        raise exc.located(path) from None
    return report
