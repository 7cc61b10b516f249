"""Records into the database in bulk: imports and unpacked packs, through one door.

Every record is checked in Python first (stored-text policy, size, span and stance rules,
roles), then written in batches, each table's rows by one DBAPI ``executemany``, inside
the caller's transaction. The database's constraints back every rule up. What could not be
stored as given is never silent: it comes back in the :class:`IngestReport` (conflicts kept,
labels added, UUIDs replaced) or as an :class:`InputError` naming the record's file and line,
which rolls the whole transaction back.

Two ways to meet a set that is already stored:

- import (``merge=False``): the same annotator's set on the same document is the same set; it
  is unchanged when its spans and stances are the same, else a conflict (the stored one kept);
- merge (``merge=True``, packs): sets are found by UUID first, then by document and annotator,
  and compared in full (status, comment, reviewer too); reviewer names, review times and the
  UUIDs of spans and stances travel with the set.

Either way, a document has at most one approved set: an approved set arriving for a document
that already has one (from another annotator) is stored as submitted, and the report says so.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.domain import EntitySpan, SetStatus, StanceJudgement, TextRange
from app.core.errors import InputError, PermissionDenied
from app.core.record_rules import check_record
from app.core.records import DocumentData, Record, SetData
from app.core.schema import LabelSchema
from app.core.span_rules import check_set
from app.core.text_intake import check_document_size, normalize_text
from app.store import search_index
from app.store.bulk import insert_rows, new_uuids, stored_json, stored_time
from app.store.identity import named_annotator, require_reviewer
from app.store.models import (
    AnnotationSetRecord,
    AuditRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
    new_uuid,
)
from app.store.project import add_labels, project_schema
from app.store.set_reader import contents_of
from app.store.values import Conflict, IngestOptions, IngestReport

BATCH = 500

Progress = Callable[[int], None]
"""Called with the number of records done; may raise :class:`app.core.errors.Cancelled`."""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_key(text: str, occurrence: int = 1) -> str:
    """The unique key of a document: the hash of its text (and, from the second occurrence of
    a text in a corpus of sentences on, of its occurrence number)."""
    if occurrence == 1:
        return content_hash(text)
    return hashlib.sha256(f"{text}\x00{occurrence}".encode()).hexdigest()


def first_line(text: str, limit: int = 120) -> str:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def valid_uuid(value: str | None) -> str | None:
    """``value`` as a canonical UUID string, or None when it is not a UUID."""
    if not value:
        return None
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        return None


def stored_form(record: Record) -> Record:
    """The record with the text as it will be stored (BOM and line ends normalized, see
    :mod:`app.core.text_intake`) and every offset moved with it; refuses empty and huge texts."""
    text, shift = normalize_text(record.document.text)
    check_document_size(text)
    if not text.strip():
        raise InputError("the text is empty")
    if shift.is_identity:
        if text == record.document.text:
            return record
        # Lone CRs became LFs: the same length, offsets unmoved, but not the same text.
        return replace(record, document=replace(record.document, text=text))

    def move(r: TextRange) -> TextRange:
        return TextRange(shift(r.start), shift(r.end))

    annotation = record.annotation
    if annotation is not None:
        annotation = replace(
            annotation,
            spans=tuple(
                EntitySpan(shift(s.start), shift(s.end), s.label) for s in annotation.spans
            ),
            stances=tuple(
                replace(
                    j,
                    evidence=tuple(move(r) for r in j.evidence),
                    holder=move(j.holder) if j.holder else None,
                )
                for j in annotation.stances
            ),
        )
    return replace(record, document=replace(record.document, text=text), annotation=annotation)


def _named(item: EntitySpan | TextRange, text: str) -> str:
    what = (
        f"span [{item.start}, {item.end}) {item.label}"
        if isinstance(item, EntitySpan)
        else (f"range [{item.start}, {item.end})")
    )
    return f"{what} {text[item.start : item.end]!r}"


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


DOCUMENT_COLUMNS = (
    "uuid", "content_hash", "text_hash", "occurrence", "title", "source", "text", "length",
    "meta", "created_at",
)  # fmt: skip
SPAN_COLUMNS = ("uuid", "set_id", "start", "end", "label", "text_length")
AUDIT_COLUMNS = ("uuid", "at", "user_id", "action", "entity", "entity_uuid", "before", "after")


@dataclass(slots=True)
class _LocalDocument:
    id: int
    uuid: str
    title: str


class Ingest:
    """One ingest, inside the caller's transaction (see the module docstring)."""

    def __init__(
        self, session: Session, actor: UserRecord, options: IngestOptions, report: IngestReport
    ):
        self.session, self.actor, self.options, self.report = session, actor, options, report
        self.schema: LabelSchema = project_schema(session)
        self.known_labels = set(self.schema.label_names)
        self.new_labels: dict[str, tuple[str | None, int | None]] = {}  # -> where first met
        # Documents this ingest has met (added, or found stored): ids only, so a million-article
        # import holds megabytes, not a record per article; the database answers the rest.
        self.seen_ids: set[int] = set()
        self.users: dict[str, UserRecord] = {}
        self.names: dict[int, str] = {}  # user id -> name, for messages and comparisons
        self.claimed: set[str] = set()  # span/stance uuids given out by this ingest
        self.now = datetime.now(UTC)
        self.now_stored = stored_time(session, self.now)

    # -- the whole run -----------------------------------------------------------------------

    def run(self, records: Iterable[Record], progress: Progress | None) -> None:
        done = 0
        for chunk in _chunks(records, BATCH):
            checked = [self._checked(r) for r in chunk]
            self._store(checked)
            for _ in checked:
                done += 1
                if progress is not None:
                    progress(done)
        self._add_labels()

    def _checked(self, record: Record) -> Record:
        """The record in stored form, every rule checked; errors name its file and line."""
        try:
            check_record(record)
            record = self._trimmed(stored_form(record))
            if record.annotation is not None:
                a = record.annotation
                text = record.document.text
                kept = check_set(text, a.spans, a.stances, self.schema, strict_edges=False)
                where = record.where + ": " if record.where else ""
                self.report.kept_as_given.extend(
                    f"{where}{_named(item, text)}: {why}; kept as given, for an annotator to fix"
                    for item, why in kept
                )
                for span in a.spans:
                    if span.label not in self.known_labels:
                        self.new_labels.setdefault(span.label, (record.origin, record.line))
        except InputError as exc:
            raise exc.located(record.origin or "", record.line) from None
        return record

    def _trimmed(self, record: Record) -> Record:
        """Spans without the whitespace at their edges (doccano#1360), counted; a span of
        whitespace only is left out, and said so."""
        a = record.annotation
        if a is None:
            return record
        text, spans, changed = record.document.text, [], False
        given_ids = a.span_ids if len(a.span_ids) == len(a.spans) else ("",) * len(a.spans)
        ids: list[str] = []
        for span, span_id in zip(a.spans, given_ids, strict=True):
            start, end = span.start, span.end
            if 0 <= start < end <= len(text):
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
            if (start, end) == (span.start, span.end):
                spans.append(span)
                ids.append(span_id)
                continue
            changed = True
            if start == end:
                where = record.where + ": " if record.where else ""
                self.report.notices.append(
                    f"{where}span [{span.start}, {span.end}) {span.label} covers only whitespace; "
                    "left out"
                )
                continue
            self.report.counts(record.origin).spans_trimmed += 1
            spans.append(EntitySpan(start, end, span.label))
            ids.append(span_id)
        if not changed:
            return record
        kept_ids = tuple(ids) if a.span_ids else ()
        trimmed = replace(a, spans=tuple(spans), span_ids=kept_ids, span_texts=())
        return replace(record, annotation=trimmed)

    def _add_labels(self) -> None:
        if not self.new_labels:
            return
        if self.options.strict_labels:
            origin, line = min(self.new_labels.values(), key=lambda w: w[1] or 0)
            raise InputError(
                f"labels not in the schema: {', '.join(sorted(self.new_labels))} "
                "(--strict-labels is on; drop it to add them to the project)",
                path=origin,
                line=line,
            )
        first_origin = next(iter(self.new_labels.values()))[0] or ""
        source = self.options.source or first_origin.rsplit("/", 1)[-1]
        self.report.labels_added = add_labels(self.session, self.new_labels, origin=source)

    # -- one batch ---------------------------------------------------------------------------

    def _store(self, records: list[Record]) -> None:
        docs = self._documents([r.document for r in records], records)
        sets: list[tuple[Record, _LocalDocument]] = [
            (r, d) for r, d in zip(records, docs, strict=True) if r.annotation is not None
        ]
        if sets:
            self._sets(sets)

    def _documents(self, given: list[DocumentData], records: list[Record]) -> list[_LocalDocument]:
        hashes = [document_key(d.text, d.occurrence) for d in given]
        # Stored before this ingest or by an earlier batch of it (the same transaction).
        rows = self.session.execute(
            select(
                DocumentRecord.content_hash,
                DocumentRecord.id,
                DocumentRecord.uuid,
                DocumentRecord.title,
            ).where(DocumentRecord.content_hash.in_(list(dict.fromkeys(hashes))))
        )
        known = {h: _LocalDocument(i, u, t) for h, i, u, t in rows}
        requested = [u for d in given if (u := valid_uuid(d.uuid))]
        taken = set(
            self.session.scalars(select(DocumentRecord.uuid).where(DocumentRecord.uuid.in_(requested)))
        ) if requested else set()  # fmt: skip
        new_rows: list[tuple[Any, ...]] = []
        new_hashes: list[str] = []
        seen_now: set[str] = set()
        fresh = iter(new_uuids(len(given)))
        for doc, digest, record in zip(given, hashes, records, strict=True):
            counts = self.report.counts(record.origin)
            found = known.get(digest)
            if digest in seen_now or (found is not None and found.id in self.seen_ids):
                pass  # met earlier in this ingest: counted then
            elif found is not None:
                self.seen_ids.add(found.id)
                counts.documents_present += 1
            else:
                uuid = valid_uuid(doc.uuid)
                if uuid is None or uuid in taken:
                    uuid = next(fresh)
                taken.add(uuid)
                new_rows.append(self._document_row(doc, digest, uuid))
                new_hashes.append(digest)
                counts.documents_added += 1
            seen_now.add(digest)
        if new_rows:
            insert_rows(self.session, DocumentRecord.__tablename__, DOCUMENT_COLUMNS, new_rows)
            just_stored = select(DocumentRecord.content_hash, DocumentRecord.id).where(
                DocumentRecord.content_hash.in_(new_hashes)
            )
            ids = {digest: doc_id for digest, doc_id in self.session.execute(just_stored)}
            for digest, row in zip(new_hashes, new_rows, strict=True):
                known[digest] = _LocalDocument(ids[digest], row[0], row[4])
            self.seen_ids.update(ids.values())
            search_index.mark_pending(self.session, list(ids.values()))
        local = [known[h] for h in hashes]
        for doc, found in zip(given, local, strict=True):
            given_uuid = valid_uuid(doc.uuid)
            if given_uuid and given_uuid != found.uuid:
                self.report.document_mappings.setdefault(given_uuid, found.uuid)
        return local

    def _document_row(self, doc: DocumentData, digest: str, uuid: str) -> tuple[Any, ...]:
        """A new document as the values of :data:`DOCUMENT_COLUMNS`."""
        title = doc.title if doc.title is not None else first_line(doc.text)
        if not self.options.merge:
            title = title or first_line(doc.text)
        text_hash = digest if doc.occurrence == 1 else content_hash(doc.text)
        return (
            uuid, digest, text_hash, doc.occurrence, title, doc.source, doc.text,
            len(doc.text), stored_json(dict(doc.meta)), self.now_stored,
        )  # fmt: skip

    # -- sets --------------------------------------------------------------------------------

    def _user(self, name: str, uuid: str | None = None) -> UserRecord:
        user = self.users.get(name)
        if user is None:
            user, created = named_annotator(self.session, name, uuid)
            if created:
                self.report.users_added.append(user.name)
            self.users[name] = user
        return user

    def _owner(self, record: Record) -> tuple[UserRecord, SetStatus]:
        a = record.annotation
        assert a is not None
        name = self.options.annotator or a.annotator or self.actor.name
        status = self.options.status or a.status or SetStatus.SUBMITTED
        verb = "unpack" if self.options.merge else "import"
        try:
            if name != self.actor.name:
                require_reviewer(self.actor, f"{verb} {name}'s annotations")
            if status.reviewed:
                require_reviewer(self.actor, f"{verb} annotations marked {status.value}")
        except PermissionDenied as exc:  # say which record asked for it
            raise PermissionDenied(f"{record.where}: {exc}" if record.where else str(exc)) from None
        if status is SetStatus.REJECTED and not a.comment.strip():
            raise InputError(
                "a rejected set needs a comment that tells the annotator what to fix "
                "(give it in the record's comment)"
            ).located(record.origin or "", record.line)
        return (
            self.actor if name == self.actor.name else self._user(name, a.annotator_uuid)
        ), status

    def _sets(self, items: list[tuple[Record, _LocalDocument]]) -> None:
        owners = [self._owner(r) for r, _ in items]
        doc_ids = list({d.id for _, d in items})
        S = AnnotationSetRecord
        columns = (S.id, S.uuid, S.document_id, S.annotator_id, S.status, S.comment)
        query = select(*columns, S.reviewed_by_id)
        existing = [
            _Stored(*row) for row in self.session.execute(query.where(S.document_id.in_(doc_ids)))
        ]
        if self.options.merge:
            wanted = [valid_uuid(r.annotation.uuid) for r, _ in items if r.annotation]
            found = query.where(S.uuid.in_([u for u in wanted if u]), S.document_id.not_in(doc_ids))
            existing += [_Stored(*row) for row in self.session.execute(found)]
        by_pair = {(row.document_id, row.annotator_id): row for row in existing}
        by_uuid = {row.uuid: row for row in existing}
        gold = {row.document_id: row for row in existing if row.status == SetStatus.APPROVED}
        contents = contents_of(self.session, [row.id for row in existing])
        new_sets: list[dict[str, Any]] = []
        new_contents: list[tuple[Record, SetStatus, str, str]] = []
        taken_set_uuids = self._taken(S.uuid, [r.annotation.uuid for r, _ in items if r.annotation])
        fresh = iter(new_uuids(len(items)))
        placed: dict[int, SetData] = {}  # sets of this batch, by their placeholder ids
        for (record, doc), (owner, status) in zip(items, owners, strict=True):
            a = record.annotation
            assert a is not None
            counts = self.report.counts(record.origin)
            local = by_uuid.get(valid_uuid(a.uuid) or "") if self.options.merge else None
            local = local or by_pair.get((doc.id, owner.id))
            if local is not None:
                if local.id in placed and local.id not in contents[0]:
                    contents[0][local.id] = [("", s) for s in placed[local.id].spans]
                    contents[1][local.id] = [("", j) for j in placed[local.id].stances]
                demoted = (
                    status is SetStatus.APPROVED
                    and doc.id in gold
                    and gold[doc.id].uuid != local.uuid
                )
                reasons = self._differences(local, contents, doc, owner, status, a, demoted)
                if reasons:
                    self._conflict(record, doc, owner, local.uuid, reasons)
                else:
                    counts.sets_unchanged += 1
                continue
            if status is SetStatus.APPROVED and doc.id in gold:
                kept = gold[doc.id]
                self.report.notices.append(
                    f"{record.where + ': ' if record.where else ''}document {doc.uuid} already has "
                    f"an approved set ({self._name_of(kept.annotator_id)}'s, set {kept.uuid}); "
                    f"{owner.name}'s set is stored as submitted, not approved: a document has "
                    f"one gold set (to choose {owner.name}'s instead, reopen set {kept.uuid} and "
                    "approve it)"
                )
                status = SetStatus.SUBMITTED
            set_uuid = valid_uuid(a.uuid)
            if set_uuid is None or set_uuid in taken_set_uuids:
                set_uuid = next(fresh)
            taken_set_uuids.add(set_uuid)
            row = self._set_row(a, set_uuid, doc, owner, status)
            new_sets.append(row)
            new_contents.append((record, status, owner.name, doc.uuid))
            # Later records of this batch meet it as if it were stored already.
            placeholder = _Stored(
                -len(new_sets), set_uuid, doc.id, owner.id, status.value, a.comment,
                row["reviewed_by_id"],
            )  # fmt: skip
            placed[placeholder.id] = a  # its contents listed if a later record meets it
            by_pair[(doc.id, owner.id)] = placeholder
            by_uuid[set_uuid] = placeholder
            if status is SetStatus.APPROVED:
                gold[doc.id] = placeholder
            counts.sets_added += 1
            counts.spans_added += len(a.spans)
            counts.stances_added += len(a.stances)
        if new_sets:
            self._insert_sets(new_sets, new_contents)

    def _taken(self, column: Any, uuids: Sequence[str | None]) -> set[str]:
        wanted = [u for u in (valid_uuid(x) for x in uuids) if u]
        if not wanted:
            return set()
        return set(self.session.scalars(select(column).where(column.in_(wanted))))

    def _set_row(
        self, a: SetData, set_uuid: str, doc: _LocalDocument, owner: UserRecord, status: SetStatus
    ) -> dict[str, Any]:
        reviewer_id: int | None = None
        reviewed_at: datetime | None = None
        if status.reviewed:
            if self.options.merge and a.reviewed_by:
                reviewer_id = self._user(a.reviewed_by).id
                reviewed_at = a.reviewed_at
            elif not self.options.merge:
                reviewer_id, reviewed_at = self.actor.id, self.now
        merge, now, session = self.options.merge, self.now_stored, self.session
        return {  # as the database stores them
            "uuid": set_uuid,
            "document_id": doc.id,
            "annotator_id": owner.id,
            "status": status.value,
            "comment": a.comment,
            "reviewed_by_id": reviewer_id,
            "reviewed_at": now if reviewed_at is self.now else stored_time(session, reviewed_at),
            "created_at": stored_time(session, a.created_at) if merge and a.created_at else now,
            "updated_at": stored_time(session, a.updated_at) if merge and a.updated_at else now,
        }

    def _insert_sets(
        self, rows: list[dict[str, Any]], items: list[tuple[Record, SetStatus, str, str]]
    ) -> None:
        S = AnnotationSetRecord
        session = self.session
        insert_rows(session, S.__tablename__, tuple(rows[0]), [tuple(row.values()) for row in rows])
        uuids = [row["uuid"] for row in rows]
        # The database gave each new set its document's text length, which its spans and
        # stances repeat (the key that keeps them inside the text, models._to_set).
        id_of = {
            u: (i, n)
            for u, i, n in session.execute(
                select(S.uuid, S.id, S.text_length).where(S.uuid.in_(uuids))
            )
        }
        given = [r.annotation for r, *_ in items if r.annotation and self.options.merge]
        taken = self._taken(SpanRecord.uuid, [u for a in given for u in a.span_ids])
        taken |= self._taken(StanceRecord.uuid, [u for a in given for u in a.stance_ids])
        spans: list[tuple[Any, ...]] = []
        stances: list[dict[str, Any]] = []
        audits: list[tuple[Any, ...]] = []
        fresh = iter(new_uuids(sum(len(r.annotation.spans) + 1 for r, *_ in items if r.annotation)))
        for row, (record, status, owner, document_uuid) in zip(rows, items, strict=True):
            a = record.annotation
            assert a is not None
            set_id, length = id_of[row["uuid"]]
            if self.options.merge and len(a.span_ids) == len(a.spans):
                span_ids = [self._fresh(u, taken) for u in a.span_ids]
            else:
                span_ids = [next(fresh) for _ in a.spans]
            spans += [
                (u, set_id, s.start, s.end, s.label, length)
                for u, s in zip(span_ids, a.spans, strict=True)
            ]
            ids_given = self.options.merge and len(a.stance_ids) == len(a.stances)
            for n, j in enumerate(a.stances):
                uuid = self._fresh(a.stance_ids[n], taken) if ids_given else new_uuid()
                stances.append(_stance_row(uuid, set_id, length, j))
            after = {
                "document": document_uuid,
                "annotator": owner,
                "status": status.value,
                "spans": len(a.spans),
                "stances": len(a.stances),
                **({"file": self.options.source} if self.options.source else {}),
                **self.options.audit,
            }
            audits.append((
                next(fresh), self.now_stored, self.actor.id, self.options.action,
                "annotation_set", row["uuid"], "null", stored_json(after),
            ))  # fmt: skip
        insert_rows(session, SpanRecord.__tablename__, SPAN_COLUMNS, spans)
        if stances:
            session.execute(insert(StanceRecord), stances)
        insert_rows(session, AuditRecord.__tablename__, AUDIT_COLUMNS, audits)

    def _fresh(self, wanted: str, taken: set[str]) -> str:
        if wanted in taken or wanted in self.claimed or valid_uuid(wanted) is None:
            replacement = new_uuid()
            self.report.uuids_replaced[wanted] = replacement
            wanted = replacement
        self.claimed.add(wanted)
        return wanted

    def _differences(
        self,
        local: Any,
        contents: tuple[dict[int, list[Any]], dict[int, list[Any]]],
        doc: _LocalDocument,
        owner: UserRecord,
        status: SetStatus,
        given: SetData,
        demoted: bool = False,
    ) -> str:
        """Why the stored set and the given one are not the same set ("" when they are).
        Span and stance UUIDs are not compared: the same labels are the same annotations. A
        set stored as submitted because its document already had a gold set (``demoted``) is
        the same set as the approved one given again."""
        spans, stances = contents
        here = sorted(s for _, s in spans.get(local.id, []))
        there = sorted(given.spans)
        same_stances = sorted((j for _, j in stances.get(local.id, [])), key=repr) == sorted(
            given.stances, key=repr
        )
        same_labels = here == there and same_stances
        if not self.options.merge:
            if same_labels:
                return ""
            return f"{owner.name} already has different annotations on this document"
        reasons = []
        if local.uuid != valid_uuid(given.uuid):
            reasons.append(f"{owner.name} already has another set on this document here")
        elif local.document_id != doc.id:
            reasons.append("the local set with this id is on another document")
        elif local.annotator_id != owner.id:
            reasons.append("the local set with this id belongs to someone else")
        if demoted and local.status == SetStatus.SUBMITTED.value:
            status = SetStatus.SUBMITTED
        if local.status != status.value:
            reasons.append(f"status differs (here {local.status}, in the pack {status.value})")
        if here != there:
            reasons.append(f"spans differ ({len(here)} here, {len(there)} in the pack)")
        if not same_stances:
            reasons.append("stances differ")
        if local.comment != given.comment:
            reasons.append("comments differ")
        reviewer = self._name_of(local.reviewed_by_id)
        if reviewer != (None if status is SetStatus.SUBMITTED else given.reviewed_by):
            here_by, there_by = reviewer or "nobody", given.reviewed_by or "nobody"
            reasons.append(f"reviewed by {here_by} here, by {there_by} in the pack")
        if len(reasons) == 1 and local.uuid != valid_uuid(given.uuid):
            reasons.append("contents identical")
        return "; ".join(reasons)

    def _name_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self.names:
            name = self.session.scalar(select(UserRecord.name).where(UserRecord.id == user_id))
            self.names[user_id] = name or ""
        return self.names[user_id]

    def _conflict(
        self, record: Record, doc: _LocalDocument, owner: UserRecord, local_uuid: str, reason: str
    ) -> None:
        a = record.annotation
        assert a is not None
        self.report.conflicts.append(
            Conflict(
                where=record.where,
                set_uuid=a.uuid or "",
                local_set_uuid=local_uuid,
                document_uuid=doc.uuid,
                document_title=doc.title,
                annotator=owner.name,
                reason=reason,
            )
        )


@dataclass(slots=True)
class _Stored:
    """A set stored earlier in this ingest, as the queries above would return it."""

    id: int
    uuid: str
    document_id: int
    annotator_id: int
    status: str
    comment: str
    reviewed_by_id: int | None


def _stance_row(uuid: str, set_id: int, length: int, j: StanceJudgement) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "set_id": set_id,
        "text_length": length,
        "target": j.target,
        "value": j.value,
        "evidence": [[r.start, r.end] for r in j.evidence],
        "holder_start": j.holder.start if j.holder else None,
        "holder_end": j.holder.end if j.holder else None,
    }


def ingest(
    session: Session,
    actor: UserRecord,
    records: Iterable[Record],
    options: IngestOptions,
    progress: Progress | None = None,
) -> IngestReport:
    """Store ``records`` in the caller's transaction (see the module docstring)."""
    report = IngestReport()
    Ingest(session, actor, options, report).run(records, progress)
    return report
