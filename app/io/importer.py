"""Importing files: each file in one transaction, so a bad file changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement, TextRange
from app.core.errors import Cancelled, InputError, TawsimError
from app.core.schema import LabelSchema
from app.core.span_rules import check_span, check_stance
from app.core.text_intake import OffsetShift, normalize_text
from app.io import registry
from app.io.limits import check_document_size
from app.io.records import ImportRecord
from app.io.registry import Format, ReadOptions
from app.store.database import Database
from app.store.models import AnnotationSetRecord, UserRecord
from app.store.services import annotations as set_service
from app.store.services.documents import add_document, valid_uuid
from app.store.services.project import add_labels, project_schema
from app.store.services.users import acting_user, ensure_user, require_reviewer


@dataclass(frozen=True, slots=True)
class ImportOptions:
    format: str = "auto"
    annotator: str | None = None
    status: SetStatus | None = None
    text_column: str | None = None
    strict_labels: bool = False


@dataclass(slots=True)
class FileResult:
    path: Path
    documents_added: int = 0
    documents_duplicate: int = 0
    sets_added: int = 0
    sets_unchanged: int = 0
    spans_added: int = 0
    stances_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    error: TawsimError | None = None


@dataclass(slots=True)
class ImportSummary:
    files: list[FileResult] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files if f.error is None)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]

    @property
    def labels_added(self) -> list[str]:
        return sorted({n for f in self.files for n in f.labels_added})


Progress = Callable[[Path, int], None]
"""Called after each record with the file and records done; may raise :class:`Cancelled`,
which rolls back the file being imported (or, with ``import_all_or_nothing``, everything)."""

__all__ = ["Cancelled", "ImportOptions", "ImportSummary", "import_all_or_nothing", "import_paths"]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus the importable files found (recursively) in folders named."""
    known = {e for f in registry.import_formats() for e in f.extensions}
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in known
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.exists():
            out.append(path)
        else:
            raise InputError("no such file or folder", path=path)
    if not out:
        raise InputError(
            f"no importable files found (known types: {', '.join(sorted(known))})",
            path=", ".join(str(p) for p in paths),
        )
    return out


def import_paths(
    db: Database,
    actor_name: str,
    paths: Iterable[Path],
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    summary = ImportSummary()
    for path in expand_paths(paths):
        summary.files.append(import_file(db, actor_name, path, options, progress))
    return summary


def import_all_or_nothing(
    db: Database,
    actor_name: str,
    paths: Iterable[Path],
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every file in one transaction: the first bad file (or a cancel) changes nothing.

    Raises the first file's :class:`TawsimError` (located in its file) or :class:`Cancelled`.
    """
    summary = ImportSummary()
    files = expand_paths(paths)
    with db.session() as session, session.begin():
        for path in files:
            result = FileResult(path)
            fmt = _format_for(path, options)
            try:
                _import_records(session, actor_name, path, fmt, options, result, progress)
            except InputError as exc:
                raise exc.located(path) from None
            summary.files.append(result)
    return summary


def import_file(
    db: Database,
    actor_name: str,
    path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
) -> FileResult:
    result = FileResult(path)
    try:
        fmt = _format_for(path, options)
        with db.session() as session, session.begin():
            _import_records(session, actor_name, path, fmt, options, result, progress)
    except TawsimError as exc:
        # The transaction rolled back: report the file as rejected, counts cleared.
        clean = FileResult(
            path, error=exc if not isinstance(exc, InputError) else exc.located(path)
        )
        return clean
    return result


def _format_for(path: Path, options: ImportOptions) -> Format:
    return registry.detect(path) if options.format == "auto" else registry.get(options.format)


def _read(fmt: Format, path: Path, options: ImportOptions) -> Iterator[ImportRecord]:
    if fmt.read is None:
        raise InputError(f"format {fmt.name!r} cannot be imported", path=path)
    return fmt.read(path, ReadOptions(text_column=options.text_column))


def _import_records(
    session: Session,
    actor_name: str,
    path: Path,
    fmt: Format,
    options: ImportOptions,
    result: FileResult,
    progress: Progress | None,
) -> None:
    actor = acting_user(session, actor_name)
    schema = project_schema(session)
    known_labels = set(schema.label_names)
    new_labels: dict[str, int | None] = {}
    for n, record in enumerate(_read(fmt, path, options), start=1):
        try:
            record = normalized(record)
            for span in record.spans or ():
                if span.label not in known_labels and span.label not in new_labels:
                    new_labels[span.label] = record.line
            _import_one(session, actor, record, options, schema, result)
        except InputError as exc:
            raise exc.located(path, record.line) from None
        if progress is not None:
            progress(path, n)
    if new_labels:
        if options.strict_labels:
            first = min(new_labels, key=lambda k: new_labels[k] or 0)
            raise InputError(
                f"labels not in the schema: {', '.join(sorted(new_labels))} "
                "(--strict-labels is on; drop it to add them to the project)",
                path=path,
                line=new_labels[first],
            )
        result.labels_added = add_labels(session, new_labels, origin=path.name)


def normalized(record: ImportRecord) -> ImportRecord:
    """The record with stored text (BOM and newlines normalized) and offsets moved with it."""
    text, shift = normalize_text(record.text)
    check_document_size(text)
    if not text.strip():
        raise InputError("the text is empty")
    if shift.is_identity:
        return record

    def move(r: TextRange) -> TextRange:
        return TextRange(shift(r.start), shift(r.end))

    return replace(
        record,
        text=text,
        spans=None if record.spans is None else [_move_span(s, shift) for s in record.spans],
        stances=[
            replace(
                st,
                evidence=tuple(move(r) for r in st.evidence),
                holder=move(st.holder) if st.holder else None,
            )
            for st in record.stances
        ],
    )


def _move_span(span: EntitySpan, shift: OffsetShift) -> EntitySpan:
    return EntitySpan(shift(span.start), shift(span.end), span.label)


def _import_one(
    session: Session,
    actor: UserRecord,
    record: ImportRecord,
    options: ImportOptions,
    schema: LabelSchema,
    result: FileResult,
) -> None:
    doc, created = add_document(
        session,
        record.text,
        title=record.title,
        source=record.source,
        meta=record.meta,
        uuid=record.uuid,
    )
    if created:
        result.documents_added += 1
    else:
        result.documents_duplicate += 1
    if not record.has_annotation:
        return
    spans = record.spans or []
    for span in spans:
        check_span(doc.text, span)
    if len(set(spans)) != len(spans):
        twice = next(s for s in spans if spans.count(s) > 1)
        raise InputError(f"the span [{twice.start}, {twice.end}) {twice.label} appears twice")
    for stance in record.stances:
        check_stance(doc.text, stance, schema)
    annotator_name = options.annotator or record.annotator or actor.name
    status = options.status or record.status or SetStatus.SUBMITTED
    if annotator_name != actor.name:
        require_reviewer(actor, f"import annotations as {annotator_name!r}")
    if status in (SetStatus.APPROVED, SetStatus.REJECTED):
        require_reviewer(actor, f"import annotations marked {status.value}")
    annotator = ensure_user(session, annotator_name, Role.ANNOTATOR)
    existing = set_service.find_set(session, doc, annotator)
    if existing is not None:
        if _same_contents(existing, spans, record.stances):
            result.sets_unchanged += 1
        else:
            result.conflicts.append(
                f"line {record.line}: {annotator_name} already has different annotations on "
                f"document {doc.uuid}; kept the stored ones"
            )
        return
    wanted = valid_uuid(record.set_uuid)
    if wanted and set_service.find_set_by_uuid(session, wanted) is not None:
        wanted = None
    set_service.create_filled_set(
        session,
        actor,
        document_id=doc.id,
        annotator_id=annotator.id,
        status=status,
        spans=spans,
        stances=record.stances,
        comment=record.comment,
        uuid=wanted,
    )
    result.sets_added += 1
    result.spans_added += len(spans)
    result.stances_added += len(record.stances)


def _same_contents(
    aset: AnnotationSetRecord, spans: list[EntitySpan], stances: list[StanceJudgement]
) -> bool:
    return sorted(set_service.to_entity_spans(aset)) == sorted(spans) and sorted(
        set_service.to_stances(aset), key=repr
    ) == sorted(stances, key=repr)
