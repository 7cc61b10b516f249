"""Exporting annotation sets, streamed from the database to a file written atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from sqlalchemy import Select, func, select

from app.core.domain import SetStatus
from app.core.errors import InputError
from app.io import registry
from app.io.records import ExportDocument, ExportRecord, ExportSet
from app.io.registry import WriteReport
from app.store.database import Database
from app.store.models import AnnotationSetRecord, DocumentRecord
from app.store.services.annotations import to_entity_spans, to_stances, with_contents

BATCH = 200


class Include(StrEnum):
    APPROVED = "approved"
    SUBMITTED = "submitted"
    ALL = "all"

    @property
    def statuses(self) -> tuple[str, ...]:
        if self is Include.APPROVED:
            return (SetStatus.APPROVED.value,)
        if self is Include.SUBMITTED:
            return (SetStatus.SUBMITTED.value, SetStatus.APPROVED.value)
        return tuple(s.value for s in SetStatus)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str = "jsonl"
    include: Include = Include.APPROVED


def _document(doc: DocumentRecord) -> ExportDocument:
    return ExportDocument(
        uuid=doc.uuid, text=doc.text, title=doc.title, source=doc.source, meta=dict(doc.meta or {})
    )


def _set(aset: AnnotationSetRecord) -> ExportSet:
    return ExportSet(
        uuid=aset.uuid,
        annotator=aset.annotator.name,
        status=SetStatus(aset.status),
        spans=to_entity_spans(aset),
        stances=to_stances(aset),
        comment=aset.comment,
    )


def _sets_query(include: Include) -> Select[AnnotationSetRecord]:
    return (
        select(AnnotationSetRecord)
        .where(AnnotationSetRecord.status.in_(include.statuses))
        .options(*with_contents())
        .order_by(AnnotationSetRecord.document_id, AnnotationSetRecord.id)
        .execution_options(yield_per=BATCH)
    )


def iter_export_records(db: Database, include: Include) -> Iterator[ExportRecord]:
    """Sets in document order; with ``Include.ALL`` also documents nobody annotated.

    Memory stays bounded: rows are fetched in batches of :data:`BATCH`.
    """
    with db.session() as session:
        sets = session.scalars(_sets_query(include))
        if include is not Include.ALL:
            for aset in sets:
                yield ExportRecord(_document(aset.document), _set(aset))
            return
        unannotated = session.scalars(
            select(DocumentRecord)
            .where(~DocumentRecord.sets.any())
            .order_by(DocumentRecord.id)
            .execution_options(yield_per=BATCH)
        )
        # Merge the two id-ordered streams so the output follows document order.
        pending_doc = next(unannotated, None)
        for aset in sets:
            while pending_doc is not None and pending_doc.id < aset.document_id:
                yield ExportRecord(_document(pending_doc), None)
                pending_doc = next(unannotated, None)
            yield ExportRecord(_document(aset.document), _set(aset))
        while pending_doc is not None:
            yield ExportRecord(_document(pending_doc), None)
            pending_doc = next(unannotated, None)


def count_export_records(db: Database, include: Include) -> int:
    with db.session() as session:
        n = (
            session.scalar(
                select(func.count())
                .select_from(AnnotationSetRecord)
                .where(AnnotationSetRecord.status.in_(include.statuses))
            )
            or 0
        )
        if include is Include.ALL:
            n += (
                session.scalar(
                    select(func.count())
                    .select_from(DocumentRecord)
                    .where(~DocumentRecord.sets.any())
                )
                or 0
            )
        return n


@contextmanager
def atomic_output(out: Path | str) -> Iterator[TextIO]:
    """A text stream that becomes ``out`` only when the block finishes without error."""
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(out)
    if path.is_dir():
        raise InputError("is a folder; give a file name to export to", path=path)
    if not path.parent.exists():
        raise InputError("the folder to export into does not exist", path=path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the export: {exc.strerror}", path=path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    db: Database,
    out: Path | str,
    options: ExportOptions,
    progress: Callable[[int], None] | None = None,
) -> WriteReport:
    fmt = registry.get(options.format)
    if fmt.write is None:
        raise InputError(f"format {fmt.name!r} cannot be exported")
    report = WriteReport()

    def counted() -> Iterator[ExportRecord]:
        for n, record in enumerate(iter_export_records(db, options.include), start=1):
            yield record
            if progress is not None:
                progress(n)

    with atomic_output(out) as handle:
        fmt.write(counted(), handle, report)
    return report
