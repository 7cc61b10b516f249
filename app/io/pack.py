"""Packs: annotation sets and the documents they need, carried between laptops in one file.

:func:`pack` writes a ``.tawsim`` file (:mod:`app.io.pack_format`, :mod:`app.io.pack_zip`)
from the core's records; :func:`unpack` verifies one and hands its records to the core's
ingest in merge mode, in one transaction. Nothing stored is ever overwritten: a set that
differs from the local one with its id (or from the local set of the same annotator on the
same document) is reported as a conflict and the local one kept, so unpacking the same file
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.core.domain import Selection
from app.core.errors import InputError, NotFound
from app.core.records import DocumentData, Record
from app.core.text_intake import check_document_size, file_name, normalize_text
from app.io.pack_format import (
    DOCUMENTS,
    SETS,
    Manifest,
    content_hash,
    document_json,
    parse_document,
    parse_set,
    set_json,
)
from app.io.pack_zip import PackReader, PackWriter
from app.store.core import Tawsim
from app.store.values import Conflict, IngestOptions

Progress = Callable[[int], None]
"""Called with the number of sets done; may raise :class:`app.core.errors.Cancelled`."""


@dataclass(slots=True)
class PackReport:
    path: Path
    database_uuid: str
    annotator: str | None
    selection: Selection
    documents: int = 0
    sets: int = 0
    spans: int = 0
    stances: int = 0
    size: int = 0  # bytes of the pack file


@dataclass(slots=True)
class UnpackReport:
    path: Path
    source_database: str
    tool_version: str
    created_at: str
    documents_added: int = 0
    documents_reused: int = 0
    # Pack document UUID -> local UUID, where the same text is stored under another id.
    document_mappings: dict[str, str] = field(default_factory=dict)
    users_added: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)
    sets_added: int = 0
    sets_unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    spans_added: int = 0
    stances_added: int = 0
    # Span/stance UUIDs already taken here by other records: pack UUID -> the fresh one given.
    uuids_replaced: dict[str, str] = field(default_factory=dict)

    @property
    def sets_conflicting(self) -> int:
        return len(self.conflicts)

    @property
    def changed(self) -> bool:
        return bool(
            self.documents_added or self.sets_added or self.users_added or self.labels_added
        )


def pack(
    core: Tawsim,
    out: Path,
    *,
    annotator: str | None = None,
    selection: Selection = Selection.ALL,
    progress: Progress | None = None,
) -> PackReport:
    """Write the sets ``selection`` takes (one annotator's, with ``annotator``) and their
    documents to ``out``."""
    out = Path(out)
    created = datetime.now(UTC).replace(microsecond=0)
    if annotator is not None:
        who = core.whois(annotator)
        if not who.exists:
            raise NotFound(f"no user named {annotator!r} in this database")
        annotator = who.name
    report = PackReport(out, core.database_uuid(), annotator, selection)
    with PackWriter(out, created) as writer:
        document_ids: dict[int, None] = {}  # insertion-ordered set, in document order
        with writer.entry(SETS) as entry:
            for record in core.records(selection, annotator=annotator):
                data = record.annotation
                if data is None:
                    continue
                entry.write_json_line(set_json(data, record.document.uuid or ""))
                document_ids[record.document.id or 0] = None
                report.sets += 1
                report.spans += len(data.spans)
                report.stances += len(data.stances)
                if progress is not None:
                    progress(report.sets)
        with writer.entry(DOCUMENTS) as entry:
            for doc in core.documents(list(document_ids)):
                entry.write_json_line(document_json(doc))
                report.documents += 1
        writer.write_manifest(
            Manifest(
                tool_version=__version__,
                created_at=created.isoformat(),
                database_uuid=report.database_uuid,
                annotator=annotator,
                statuses=tuple(s.value for s in selection.statuses),
                counts={k: getattr(report, k) for k in ("documents", "sets", "spans", "stances")},
                entries=dict(writer.entries),
            )
        )
    report.size = out.stat().st_size
    return report


def _documents(reader: PackReader) -> dict[str, DocumentData]:
    """The pack's documents by their pack UUID, each checked against its content hash."""
    docs: dict[str, DocumentData] = {}
    for lineno, obj in reader.records(DOCUMENTS):
        where = f"{DOCUMENTS} line {lineno}"
        doc, claimed = parse_document(obj, where)
        assert doc.uuid is not None
        if doc.uuid in docs:
            raise InputError(f"damaged: {where}: document {doc.uuid} appears twice")
        try:
            digest = content_hash(doc.text)
            check_document_size(doc.text)
        except UnicodeEncodeError:
            raise InputError(f"{where}: the text holds a lone surrogate") from None
        except InputError as exc:
            raise InputError(f"{where}: {exc.message}") from None
        if digest != claimed:
            raise InputError(f"damaged: {where}: the text does not match its content hash")
        if not doc.text.strip() or normalize_text(doc.text)[0] != doc.text:
            raise InputError(f"{where}: the text is empty or not in Tawsim's stored form")
        docs[doc.uuid] = doc
    return docs


def _check_count(manifest: Manifest, what: str, found: int) -> None:
    """The manifest's count of ``what`` against what the pack holds (documents and sets must
    be counted; spans and stances are checked when counted, as every Tawsim writes them)."""
    expected = manifest.counts.get(what)
    if expected is None and what in ("documents", "sets"):
        raise InputError(f"damaged: the manifest does not count the {what}")
    if expected is not None and expected != found:
        raise InputError(f"damaged: the manifest counts {expected} {what}, the pack has {found}")


def unpack(core: Tawsim, path: Path, *, progress: Progress | None = None) -> UnpackReport:
    """Merge the pack at ``path``: all of it in one transaction, or (on any error) nothing.

    A damaged, foreign or unsafe file raises :class:`InputError` before the database is
    touched; a record that cannot be merged raises it (or ``PermissionDenied``) and the
    transaction rolls back.
    """
    path = Path(path)
    try:
        with PackReader(path) as reader:
            m = reader.manifest
            docs = _documents(reader)
            _check_count(m, "documents", len(docs))

            def records() -> Iterator[Record]:
                seen: set[str] = set()
                spans = stances = 0
                for lineno, obj in reader.records(SETS):
                    where = f"{SETS} line {lineno}"
                    document_uuid, data = parse_set(obj, where)
                    assert data.uuid is not None
                    if data.uuid in seen:
                        raise InputError(f"damaged: {where}: set {data.uuid} appears twice")
                    seen.add(data.uuid)
                    spans, stances = spans + len(data.spans), stances + len(data.stances)
                    doc = docs.get(document_uuid)
                    if doc is None:
                        raise InputError(
                            f"damaged: {where}: document {document_uuid} is not in the pack"
                        )
                    yield Record(doc, data, origin=f"{path}: {SETS}", line=lineno)
                _check_count(m, "sets", len(seen))
                _check_count(m, "spans", spans)
                _check_count(m, "stances", stances)

            options = IngestOptions(
                merge=True,
                action="set.unpack",
                source=file_name(path),
                audit={"pack": file_name(path), "source_database": m.database_uuid},
            )
            ingested = core.ingest(records(), options, progress)
    except InputError as exc:
        raise exc.located(path) from None
    return UnpackReport(
        path,
        m.database_uuid,
        m.tool_version,
        m.created_at,
        documents_added=ingested.total("documents_added"),
        documents_reused=ingested.total("documents_present"),
        document_mappings=ingested.document_mappings,
        users_added=ingested.users_added,
        labels_added=ingested.labels_added,
        sets_added=ingested.total("sets_added"),
        sets_unchanged=ingested.total("sets_unchanged"),
        conflicts=ingested.conflicts,
        notices=ingested.notices,
        spans_added=ingested.total("spans_added"),
        stances_added=ingested.total("stances_added"),
        uuids_replaced=ingested.uuids_replaced,
    )
