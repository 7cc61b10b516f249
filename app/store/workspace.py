"""One user's view of a Tawsim database: the facade the GUI (and scripts) work through.

Every method is one unit of work in its own transaction; label changes are
:mod:`app.core.commands` executed through the role-checking, auditing services.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.arabic import matching_key
from app.core.commands import (
    AddSpan,
    Change,
    ChangeSpan,
    Command,
    RemoveSpan,
    RemoveStance,
    SetStance,
)
from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement, User
from app.core.errors import NotFound
from app.core.schema import LabelSchema
from app.store import document_queries
from app.store.database import Database
from app.store.document_queries import DocumentQuery, DocumentRow, ListFilter
from app.store.models import AnnotationSetRecord, DocumentRecord, UserRecord
from app.store.services import annotations as svc
from app.store.services import review
from app.store.services.project import project_schema
from app.store.services.users import ensure_user


@dataclass(frozen=True, slots=True)
class SpanView:
    uuid: str
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class StanceView:
    uuid: str
    judgement: StanceJudgement


@dataclass(frozen=True, slots=True)
class DocumentState:
    """A document and the current user's annotation set on it."""

    id: int
    uuid: str
    title: str
    source: str
    text: str
    status: str  # "unlabelled" when the user has no set yet
    comment: str
    spans: tuple[SpanView, ...]
    stances: tuple[StanceView, ...]

    @property
    def editable(self) -> bool:
        return self.status in ("unlabelled", SetStatus.IN_PROGRESS, SetStatus.REJECTED)


class Workspace:
    def __init__(self, db: Database, user_name: str, role: Role | None = None):
        self.db = db
        with db.session() as session, session.begin():
            # A new user gets the role asked for; an existing user keeps the role the database
            # gives them (only an admin changes roles), so a profile cannot promote itself.
            user = ensure_user(session, user_name, role or Role.ANNOTATOR)
            self._user_id = user.id
            self.user = User(user.name, Role(user.role))

    # -- reading -----------------------------------------------------------------------------

    def schema(self) -> LabelSchema:
        with self.db.session() as session:
            return project_schema(session)

    def query(self, flt: ListFilter = ListFilter.ALL, search: str = "") -> DocumentQuery:
        return DocumentQuery(self._user_id, flt, search)

    def page_ids(self, query: DocumentQuery, after_id: int | None, limit: int) -> list[int]:
        with self.db.session() as session:
            return document_queries.page_ids(session, query, after_id, limit)

    def count(self, query: DocumentQuery) -> int:
        with self.db.session() as session:
            return document_queries.count(session, query)

    def rows(self, ids: list[int]) -> dict[int, DocumentRow]:
        with self.db.session() as session:
            return document_queries.rows(session, self._user_id, ids)

    def neighbour(
        self, query: DocumentQuery, current_id: int | None, *, forward: bool = True
    ) -> int | None:
        with self.db.session() as session:
            return document_queries.neighbour(session, query, current_id, forward=forward)

    def progress(self) -> tuple[int, int]:
        with self.db.session() as session:
            return document_queries.progress(session, self._user_id)

    def document(self, document_id: int) -> DocumentState:
        with self.db.session() as session:
            doc = session.get(DocumentRecord, document_id)
            if doc is None:
                raise NotFound(f"no document {document_id}")
            aset = svc.find_set(session, doc, self._me(session))
            spans = (
                tuple(SpanView(s.uuid, s.start, s.end, s.label) for s in aset.spans) if aset else ()
            )
            stances = (
                tuple(
                    StanceView(r.uuid, j)
                    for r, j in zip(aset.stances, svc.to_stances(aset), strict=True)
                )
                if aset
                else ()
            )
            return DocumentState(
                id=doc.id,
                uuid=doc.uuid,
                title=doc.title,
                source=doc.source,
                text=doc.text,
                status=aset.status if aset else "unlabelled",
                comment=aset.comment if aset else "",
                spans=spans,
                stances=stances,
            )

    @staticmethod
    def search_ranges(text: str, search: str) -> list[tuple[int, int]]:
        """Where ``search`` occurs in ``text``, ignoring alef forms, tashkeel and tatweel."""
        if not search.strip():
            return []
        return matching_key(text).find(search.strip())

    # -- changing ----------------------------------------------------------------------------

    def execute(self, command: Command) -> Change:
        """Run one label change in its own transaction and return what undoes it."""
        with self.db.session() as session, session.begin():
            return self._execute(session, command)

    def submit(self, document_id: int) -> None:
        with self.db.session() as session, session.begin():
            svc.submit(session, self._me(session), self._my_set(session, document_id))

    def _me(self, session: Session) -> UserRecord:
        user = session.get(UserRecord, self._user_id)
        assert user is not None
        return user

    def _my_set(self, session: Session, document_id: int) -> AnnotationSetRecord:
        doc = session.get(DocumentRecord, document_id)
        if doc is None:
            raise NotFound(f"no document {document_id}")
        me = self._me(session)
        return svc.open_set(session, me, doc, me)

    def _execute(self, session: Session, command: Command) -> Change:
        me = self._me(session)
        doc_id = command.document_id
        match command:
            case AddSpan(span=span, span_uuid=uuid):
                svc.add_span(session, me, self._my_set(session, doc_id), span, span_uuid=uuid)
                return Change(doc_id, RemoveSpan(doc_id, uuid), spans_changed=True)
            case RemoveSpan(span_uuid=uuid):
                record = svc.get_span(session, uuid)
                was = EntitySpan(record.start, record.end, record.label)
                svc.remove_span(session, me, uuid)
                return Change(doc_id, AddSpan(doc_id, was, uuid), spans_changed=True)
            case ChangeSpan(span_uuid=uuid, span=new):
                record = svc.get_span(session, uuid)
                was = EntitySpan(record.start, record.end, record.label)
                svc.change_span(session, me, uuid, label=new.label, start=new.start, end=new.end)
                return Change(doc_id, ChangeSpan(doc_id, uuid, was), spans_changed=True)
            case SetStance(judgement=judgement, stance_uuid=uuid):
                aset = self._my_set(session, doc_id)
                previous = next((s for s in aset.stances if s.target == judgement.target), None)
                undo: Command
                if previous is None:
                    undo = RemoveStance(doc_id, judgement.target)
                else:
                    before = svc.to_stances(aset)[aset.stances.index(previous)]
                    undo = SetStance(doc_id, before, previous.uuid)
                svc.set_stance(session, me, aset, judgement, stance_uuid=uuid)
                return Change(doc_id, undo, stances_changed=True)
            case RemoveStance(target=target):
                aset = self._my_set(session, doc_id)
                previous = next((s for s in aset.stances if s.target == target), None)
                if previous is None:
                    raise NotFound(f"no stance towards {target}")
                before = svc.to_stances(aset)[aset.stances.index(previous)]
                svc.remove_stance(session, me, aset, target)
                return Change(
                    doc_id, SetStance(doc_id, before, previous.uuid), stances_changed=True
                )
        raise TypeError(f"unknown command {command!r}")


@dataclass(frozen=True, slots=True)
class ReviewSet:
    """One annotator's set as the reviewer sees it."""

    uuid: str
    annotator: str
    status: str
    comment: str
    spans: tuple[SpanView, ...]
    stances: dict[str, str]


class ReviewWorkspace(Workspace):
    """The reviewer's facade: the queue, every annotator's work side by side, decisions.

    The reviewer's own set on a document is the gold draft: accepting an annotator's span
    copies it there (an undoable :class:`AddSpan`), and approving the draft makes it the
    document's one approved set.
    """

    def queue(
        self, *, annotator: str | None = None, label: str | None = None, level: str | None = None
    ) -> list[review.QueueItem]:
        with self.db.session() as session:
            return list(review.queue(session, annotator=annotator, label=label, level=level))

    def review_sets(self, document_id: int) -> list[ReviewSet]:
        """Every annotator's submitted, approved or rejected set on the document (not ours)."""
        with self.db.session() as session:
            sets = session.scalars(
                select(AnnotationSetRecord)
                .where(
                    AnnotationSetRecord.document_id == document_id,
                    AnnotationSetRecord.annotator_id != self._user_id,
                    AnnotationSetRecord.status != SetStatus.IN_PROGRESS.value,
                )
                .order_by(AnnotationSetRecord.id)
            ).all()
            return [
                ReviewSet(
                    s.uuid,
                    s.annotator.name,
                    s.status,
                    s.comment,
                    tuple(SpanView(x.uuid, x.start, x.end, x.label) for x in s.spans),
                    {x.target: x.value for x in s.stances},
                )
                for s in sets
            ]

    def approve(self, set_uuid: str) -> None:
        with self.db.session() as session, session.begin():
            review.approve_as_gold(session, self._me(session), svc.get_set(session, set_uuid))

    def reject(self, set_uuid: str, comment: str) -> None:
        with self.db.session() as session, session.begin():
            svc.reject(session, self._me(session), svc.get_set(session, set_uuid), comment)

    def auto_approve(self, min_agree: int) -> list[str]:
        with self.db.session() as session, session.begin():
            return review.auto_approve(session, self._me(session), min_agree)

    def approve_gold(self, document_id: int) -> None:
        """Submit and approve the reviewer's own draft as the document's gold set."""
        with self.db.session() as session, session.begin():
            aset = self._my_set(session, document_id)
            if aset.status in (SetStatus.IN_PROGRESS.value, SetStatus.REJECTED.value):
                svc.submit(session, self._me(session), aset)
            review.approve_as_gold(session, self._me(session), aset)
