"""Merging a pack into a database: documents by UUID or text, sets by UUID, conflicts kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.domain import Role, SetStatus
from app.core.errors import InputError
from app.core.span_rules import check_range, check_span, check_stance
from app.core.text_intake import normalize_text
from app.io.limits import check_document_size
from app.io.pack_manifest import (
    DOCUMENTS,
    SETS,
    Manifest,
    PackedDocument,
    PackedSet,
    PackReader,
    parse_document,
    parse_set,
)
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
    new_uuid,
)
from app.store.services.annotations import (
    find_set_by_uuid,
    set_snapshot,
    to_entity_spans,
    to_stances,
)
from app.store.services.audit import record_audit
from app.store.services.documents import add_document, content_hash
from app.store.services.project import add_labels, project_schema
from app.store.services.users import acting_user, ensure_user, find_user, require_reviewer

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SetConflict:
    """A packed set that was not merged because a different local one was kept."""

    set_uuid: str  # the set's id in the pack
    local_set_uuid: str  # the local set that was kept
    document_uuid: str  # the document, as stored locally
    document_title: str
    annotator: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.annotator}'s set {self.set_uuid} on document {self.document_uuid} "
            f"({self.document_title}): {self.reason}; kept the local set {self.local_set_uuid}"
        )


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
    conflicts: list[SetConflict] = field(default_factory=list)
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


class _LocalDocument(NamedTuple):
    id: int
    uuid: str
    title: str


class Merge:
    """One unpack's merge, inside the caller's transaction."""

    def __init__(self, session: Session, actor_name: str, manifest: Manifest, report: UnpackReport):
        self.session, self.manifest, self.report = session, manifest, report
        self.actor = acting_user(session, actor_name)
        self.schema = project_schema(session)
        self.docs: dict[str, _LocalDocument] = {}  # pack document UUID -> local document
        self.seen_sets: set[str] = set()
        self.claimed: set[str] = set()  # span/stance UUIDs given out by this unpack
        self.labels: set[str] = set()
        self.users: dict[str, UserRecord | None] = {}

    def run(self, reader: PackReader, progress: Progress | None) -> None:
        for lineno, obj in reader.records(DOCUMENTS):
            self._document(parse_document(obj, f"{DOCUMENTS} line {lineno}"), lineno)
        self._check_count("documents", len(self.docs))
        for lineno, obj in reader.records(SETS):
            where = f"{SETS} line {lineno}"
            self._set(parse_set(obj, where), where)
            if progress is not None:
                progress(len(self.seen_sets))
        self._check_count("sets", len(self.seen_sets))
        new_labels = sorted(self.labels - set(self.schema.label_names))
        self.report.labels_added = add_labels(self.session, new_labels, self.report.path.name)

    def _check_count(self, what: str, found: int) -> None:
        expected = self.manifest.counts.get(what, found)
        if expected != found:
            raise InputError(
                f"damaged: the manifest counts {expected} {what}, the pack has {found}"
            )

    def _document(self, doc: PackedDocument, lineno: int) -> None:
        where = f"{DOCUMENTS} line {lineno}"
        if doc.uuid in self.docs:
            raise InputError(f"damaged: {where}: document {doc.uuid} appears twice")
        try:
            digest = content_hash(doc.text)
            check_document_size(doc.text)
        except UnicodeEncodeError:
            raise InputError(f"{where}: the text holds a lone surrogate") from None
        except InputError as exc:
            raise InputError(f"{where}: {exc.message}") from None
        if digest != doc.content_hash:
            raise InputError(f"damaged: {where}: the text does not match its content hash")
        if not doc.text.strip() or normalize_text(doc.text)[0] != doc.text:
            raise InputError(f"{where}: the text is empty or not in Tawsim's stored form")
        # The same text is the same document: found by UUID first, else by content hash.
        columns = select(DocumentRecord.id, DocumentRecord.uuid, DocumentRecord.title)
        by_hash = columns.where(DocumentRecord.content_hash == digest)
        row = self.session.execute(by_hash.where(DocumentRecord.uuid == doc.uuid)).first()
        row = row or self.session.execute(by_hash).first()
        if row is not None:
            local = _LocalDocument(*row)
            self.report.documents_reused += 1
        else:
            record, _ = add_document(
                self.session, doc.text, source=doc.source, meta=doc.meta, uuid=doc.uuid
            )
            record.title = doc.title  # kept exactly, even when empty
            local = _LocalDocument(record.id, record.uuid, record.title)
            self.report.documents_added += 1
        if local.uuid != doc.uuid:
            self.report.document_mappings[doc.uuid] = local.uuid
        self.docs[doc.uuid] = local

    def _set(self, packed: PackedSet, where: str) -> None:
        if packed.uuid in self.seen_sets:
            raise InputError(f"damaged: {where}: set {packed.uuid} appears twice")
        self.seen_sets.add(packed.uuid)
        doc = self.docs.get(packed.document)
        if doc is None:
            raise InputError(f"damaged: {where}: document {packed.document} is not in the pack")
        text = self.session.scalar(select(DocumentRecord.text).where(DocumentRecord.id == doc.id))
        self._check(packed, text or "", where)
        annotator = self._find_user(packed.annotator)
        local = find_set_by_uuid(self.session, packed.uuid)
        if local is None and annotator is not None:
            local = self.session.scalar(
                select(AnnotationSetRecord).where(
                    AnnotationSetRecord.document_id == doc.id,
                    AnnotationSetRecord.annotator_id == annotator.id,
                )
            )
        if local is None:
            self._insert(packed, doc, text or "")
            return
        reasons = _differences(local, doc, packed)
        if not reasons:
            self.report.sets_unchanged += 1
            return
        self.report.conflicts.append(
            SetConflict(packed.uuid, local.uuid, doc.uuid, doc.title, packed.annotator, reasons)
        )

    @staticmethod
    def _check(packed: PackedSet, text: str, where: str) -> None:
        """Refuse a set whose annotations do not fit its text (whatever becomes of the set)."""
        targets = [j.target for _, j in packed.stances]
        try:
            if not packed.annotator:
                raise InputError("the set has no annotator name")
            if len(set(targets)) != len(targets):
                raise InputError("two stances towards the same target")
            for _, span in packed.spans:
                check_span(text, span)
            for _, judgement in packed.stances:
                for r in (*judgement.evidence, *([judgement.holder] if judgement.holder else [])):
                    check_range(text, r.start, r.end, "stance range")
        except InputError as exc:
            raise InputError(f"{where}: {exc.message}") from None

    def _find_user(self, name: str) -> UserRecord | None:
        if self.users.get(name) is None:
            self.users[name] = find_user(self.session, name)
        return self.users[name]

    def _user(self, name: str, uuid: str | None) -> UserRecord:
        """The local user ``name`` (local role kept), created as an annotator if missing."""
        user = self._find_user(name)
        if user is None:
            user = ensure_user(self.session, name, Role.ANNOTATOR)
            taken = select(UserRecord.id).where(UserRecord.uuid == uuid)
            if uuid and self.session.scalar(taken) is None:
                user.uuid = uuid
                self.session.flush()
            self.users[name] = user
            self.report.users_added.append(name)
        return user

    def _fresh(self, wanted: str, taken: set[str]) -> str:
        if wanted in taken or wanted in self.claimed:
            replacement = new_uuid()
            self.report.uuids_replaced[wanted] = replacement
            wanted = replacement
        self.claimed.add(wanted)
        return wanted

    def _insert(self, packed: PackedSet, doc: _LocalDocument, text: str) -> None:
        actor = self.actor
        if packed.annotator != actor.name:
            require_reviewer(actor, f"unpack {packed.annotator}'s annotations")
        if packed.status in (SetStatus.APPROVED, SetStatus.REJECTED):
            require_reviewer(actor, f"unpack annotations marked {packed.status.value}")
        for _, judgement in packed.stances:
            check_stance(text, judgement, self.schema)
        self.labels.update(span.label for _, span in packed.spans)
        ids = [u for u, _ in packed.spans] + [u for u, _ in packed.stances]
        taken = set(
            self.session.scalars(select(SpanRecord.uuid).where(SpanRecord.uuid.in_(ids)))
        ) | set(self.session.scalars(select(StanceRecord.uuid).where(StanceRecord.uuid.in_(ids))))
        annotator = self._user(packed.annotator, packed.annotator_uuid)
        reviewer = self._user(packed.reviewed_by, None) if packed.reviewed_by else None
        now = datetime.now(UTC)
        record = AnnotationSetRecord(
            uuid=packed.uuid,
            document_id=doc.id,
            annotator_id=annotator.id,
            status=packed.status.value,
            comment=packed.comment,
            reviewed_by_id=reviewer.id if reviewer else None,
            reviewed_at=packed.reviewed_at,
            created_at=packed.created_at or now,
            updated_at=packed.updated_at or now,
            spans=[
                SpanRecord(uuid=self._fresh(u, taken), start=s.start, end=s.end, label=s.label)
                for u, s in packed.spans
            ],
            stances=[
                StanceRecord(
                    uuid=self._fresh(u, taken),
                    target=j.target,
                    value=j.value,
                    evidence=[[r.start, r.end] for r in j.evidence],
                    holder_start=j.holder.start if j.holder else None,
                    holder_end=j.holder.end if j.holder else None,
                )
                for u, j in packed.stances
            ],
        )
        self.session.add(record)
        self.session.flush()
        after = set_snapshot(record) | {
            "document": doc.uuid,
            "annotator": annotator.name,
            "pack": self.report.path.name,
            "source_database": self.manifest.database_uuid,
        }
        record_audit(self.session, actor, "set.unpack", "annotation_set", record.uuid, after=after)
        self.report.sets_added += 1
        self.report.spans_added += len(packed.spans)
        self.report.stances_added += len(packed.stances)


def _differences(local: AnnotationSetRecord, doc: _LocalDocument, packed: PackedSet) -> str:
    """Why the local set and the packed one are not the same set ("" when they are).

    Span and stance UUIDs are not compared: the same labels are the same annotations.
    """
    reasons = []
    if local.uuid != packed.uuid:
        reasons.append(f"{packed.annotator} already has another set on this document here")
    elif local.document_id != doc.id:
        reasons.append("the local set with this id is on another document")
    elif local.annotator.name != packed.annotator:
        reasons.append(f"the local set with this id belongs to {local.annotator.name}")
    if local.status != packed.status.value:
        reasons.append(f"status differs (here {local.status}, in the pack {packed.status.value})")
    here, there = sorted(to_entity_spans(local)), sorted(s for _, s in packed.spans)
    if here != there:
        reasons.append(f"spans differ ({len(here)} here, {len(there)} in the pack)")
    if sorted(to_stances(local), key=repr) != sorted((j for _, j in packed.stances), key=repr):
        reasons.append("stances differ")
    if local.comment != packed.comment:
        reasons.append("comments differ")
    reviewer = local.reviewed_by.name if local.reviewed_by else None
    if reviewer != packed.reviewed_by:
        reasons.append(f"reviewed by {reviewer} here, by {packed.reviewed_by} in the pack")
    if len(reasons) == 1 and local.uuid != packed.uuid:
        reasons.append("contents identical")
    return "; ".join(reasons)
