"""The application core: the one object every front end and every bulk path goes through.

In the manner of Anki's ``Collection``: open it on a database, acting as one named user, and
call it. Every mutation is one transaction, performed as that user (the one identity policy of
:mod:`app.store.identity` decides who that is), checked by the same rules wherever it comes
from, audited, and answered with :class:`app.core.commands.Changes` (what changed, and what
undoes it), which the GUI uses to refresh only what changed. Reads return frozen values and
:class:`app.core.records.Record` streams, never ORM objects.

Nothing above :mod:`app.store` builds rows or writes queries: the GUI, the command line,
imports, exports, packs, the review window and the training export all call this class.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.core.arabic.search_words import word_ranges
from app.core.commands import (
    Approve,
    ApproveDraft,
    Changes,
    Command,
    Reject,
    Reopen,
)
from app.core.domain import Role, Selection, User
from app.core.errors import DatabaseBusy, DatabaseError, PermissionDenied
from app.core.records import DocumentData, Record, SetData
from app.core.schema import LabelSchema
from app.core.suggestions import build_lexicon
from app.store import (
    annotating,
    document_queries,
    identity,
    native_lines,
    reviewing,
    search_index,
    team,
    word_process,
)
from app.store.change_feed import ChangeFeed
from app.store.constraint_errors import busy, explain, not_allowed, retryable
from app.store.database import Database, MigrationReport
from app.store.gold_lexicon import approved_surfaces
from app.store.ingest import Progress, ingest
from app.store.models import (
    AnnotationSetRecord,
    DocumentRecord,
    SpanRecord,
    StanceRecord,
    UserRecord,
)
from app.store.project import (
    DATABASE_UUID_KEY,
    project_schema,
    set_schema,
    setting,
)
from app.store.set_reader import (
    group_by_document,
    iter_documents,
    iter_lone_work,
    iter_records,
    iter_sets,
    selected,
)
from app.store.statistics import collect_stats
from app.store.team import Team
from app.store.values import (
    BatchResult,
    DocumentQuery,
    DocumentRow,
    DocumentState,
    Identity,
    IngestOptions,
    IngestReport,
    ListFilter,
    NativeLine,
    QueueFilter,
    QueueItem,
    ReviewSet,
    SearchHit,
)

_DECISIONS = (Approve, Reject, Reopen, ApproveDraft)
NO_FILTER = QueueFilter()
PLAIN_IMPORT = IngestOptions()


if TYPE_CHECKING:  # agreement code loads only when agreement is asked for
    from app.core.agreement import AgreementReport, AnnotatorWork
    from app.core.dashboard import Dashboard

LABEL_SEPARATOR = "\x1f"  # between the labels of one document in document_labels' query
WRITE_ATTEMPTS = 4
"""How often a write PostgreSQL rolled back as a serialization failure or deadlock is tried."""
T = TypeVar("T")


class _TryAgain(DatabaseBusy):
    """A transaction the database rolled back and says may pass if run again."""


class Tawsim:
    """One database, seen and changed by one acting user."""

    def __init__(self, db: Database, actor: str = ""):
        """``actor`` is who acts; without one, the core only reads (e.g. to look up a role)."""
        self.db = db
        self.actor_name = identity.clean_name(actor) if actor else ""
        if db.team is not None:  # the connection's login acts, whoever a profile names
            if self.actor_name and self.actor_name != db.team.login:
                raise PermissionDenied(
                    f"this is a team database: you act as your database login, "
                    f"{db.team.login}, and cannot act as {self.actor_name} (drop --user and "
                    "TAWSIM_USER, or connect with that person's own login)"
                )
            self.actor_name = db.team.login

    @property
    def migration(self) -> MigrationReport | None:
        return self.db.migration

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Tawsim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions ----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self.db.session() as session:
            yield session

    def _blind(self, session: Session) -> list[ColumnElement[bool]]:
        """What keeps an annotator's reading to their own sets (:func:`identity.blind`)."""
        return identity.blind(session, self.actor_name) if self.actor_name else []

    @contextmanager
    def _writing(self) -> Iterator[tuple[Session, UserRecord]]:
        """One transaction acting as the user (created by the identity policy if new, in this
        same transaction: a refused change leaves no trace, not even the user)."""
        if not self.actor_name:
            raise PermissionDenied("nobody is named to act: give a user name")
        try:
            with self.db.session() as session, session.begin():
                joins = self.db.team is None  # a team's users are made by `team add` only
                yield session, identity.resolve_actor(session, self.actor_name, joins=joins)
        except IntegrityError as exc:
            raise explain(exc) from None
        except DBAPIError as exc:
            refused = busy(exc) or not_allowed(exc, self.actor_name)
            if refused is None:
                raise
            raise (_TryAgain(str(refused)) if retryable(exc) else refused) from None

    def _write(self, work: Callable[[Session, UserRecord], T]) -> T:
        """``work`` in one transaction as the actor (:meth:`_writing`), run again when
        PostgreSQL rolled it back as a serialization failure or a deadlock, a few times after
        short random pauses. Only for work whose inputs can be read twice."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._writing() as (session, actor):
                    return work(session, actor)
            except _TryAgain:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise  # a DatabaseBusy: "the database is busy ... try again"
                time.sleep(random.uniform(0.01, 0.05) * 2**attempt)
        raise AssertionError("unreachable")

    # -- who ---------------------------------------------------------------------------------

    @property
    def actor(self) -> User:
        """The acting user, as they are (or would be on their first change) in this database."""
        if not self.actor_name:
            raise PermissionDenied("nobody is named to act: give a user name")
        with self._reading() as session:
            who = identity.identity(session, self.actor_name)
        return User(who.name, who.role)

    def whois(self, name: str | None = None) -> Identity:
        """What ``name`` (default: the actor) is or would be here; nothing is written."""
        with self._reading() as session:
            return identity.identity(session, name or self.actor_name)

    def join(self) -> User:
        """Make sure the actor exists (the GUI does this when a profile opens the database)."""
        return self._write(lambda _session, actor: identity.as_user(actor))

    def users(self) -> list[User]:
        with self._reading() as session:
            return identity.list_users(session)

    def add_user(self, name: str, role: Role) -> None:
        """Add a user with a role (admins only)."""
        if self.db.team is not None:
            raise PermissionDenied(
                "on a team database a user is a database login: `tawsim team add` makes both"
            )
        self._write(lambda session, actor: identity.add_user(session, actor, name, role))

    def set_role(self, name: str, role: Role) -> None:
        """Change a user's role (admins only; on a team database, their login's group too)."""
        if self.db.team is not None:
            self.team_role(name, role)
            return
        self._write(lambda session, actor: identity.set_role(session, actor, name, role))

    # -- a team on PostgreSQL (app.store.team) -----------------------------------------------

    def _team(self) -> Team:
        if self.db.team is None:
            raise PermissionDenied(
                "this database has no team: `tawsim team init` (by its owner, on PostgreSQL) "
                "sets one up"
            )
        return self.db.team

    def team_init(self) -> Team:
        """Set this PostgreSQL database up for a team (its owner, who becomes its admin and
        acts from now on): the database enforces the roles from then on."""
        if self.db.engine.dialect.name != "postgresql":
            raise DatabaseError(
                "a team works on one PostgreSQL server (--db postgresql+psycopg://...); a "
                "SQLite file has one owner, and packs carry work between laptops"
            )
        with self.db.session() as session, session.begin():
            made = team.init_team(session)
        self.db.team, self.actor_name = made, made.login
        return made

    def team_add(self, name: str, role: Role, password: str) -> bool:
        """Give ``name`` a database login in ``role`` (admins only); returns whether the login
        was created with ``password`` (an existing login keeps its own)."""
        known = self._team()
        return self._write(
            lambda session, actor: team.add_member(session, actor, known, name, role, password)
        )

    def team_role(self, name: str, role: Role) -> None:
        known = self._team()
        self._write(lambda session, actor: team.change_role(session, actor, known, name, role))

    def team_remove(self, name: str) -> bool:
        """Take ``name`` out of the team; returns whether their login was dropped."""
        known = self._team()
        return self._write(lambda session, actor: team.remove_member(session, actor, known, name))

    def team_members(self) -> list[tuple[str, Role, bool]]:
        known = self._team()
        with self._reading() as session:
            return team.members(session, known)

    @property
    def may_index(self) -> bool:
        """Whether the actor builds the search index (on a team database, reviewers and
        admins do; an annotator's connection cannot write it)."""
        return self.db.team is None or self.actor.role.can_review

    # -- the project -------------------------------------------------------------------------

    def schema(self) -> LabelSchema:
        with self._reading() as session:
            return project_schema(session)

    def set_schema(self, schema: LabelSchema) -> list[str]:
        """Store ``schema``; returns the labels kept because existing spans use them."""
        return self._write(lambda session, actor: set_schema(session, actor, schema))

    def database_uuid(self) -> str:
        """This database's own id, written into every pack it makes."""
        with self._reading() as session:
            found = setting(session, DATABASE_UUID_KEY)
        if found is None:  # migration 0004 makes it: this database was changed by hand
            raise DatabaseError("this database has lost its own id (settings.database_uuid)")
        return found

    def stats(self) -> dict[str, Any]:
        with self._reading() as session:
            return collect_stats(session)

    def search_index_pending(self) -> int:
        """How many documents search cannot see yet: imported and not indexed (all of them
        when the index was built with other rules). :meth:`build_search_index` indexes them."""
        with self._reading() as session:
            if not search_index.is_current(session):
                return session.scalar(select(func.count()).select_from(DocumentRecord)) or 0
            return search_index.pending(session)

    def build_search_index(
        self,
        progress: search_index.Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> int:
        """Index the pending documents, a batch per transaction (a kill loses at most the
        batch under way, which stays pending); returns how many were indexed. Stops early,
        between batches, when ``should_stop()`` says so."""
        if not self.may_index:
            return 0
        with self.db.session() as session, session.begin():
            if not search_index.is_current(session):
                search_index.reset(session)
        total, done = self.search_index_pending(), 0
        stop = should_stop or (lambda: False)
        if word_process.worth_it(total):  # the words made by a second process, one batch ahead
            done = word_process.index_ahead(
                self._upcoming,
                self._store_words,
                stop,
                lambda n: progress(n, max(total, n)) if progress is not None else None,
            )
        while not stop():  # what is left (or all of it: few documents)
            with self.db.session() as session, session.begin():
                n = search_index.index_batch(session)
            if not n:
                break
            done += n
            if progress is not None:
                progress(done, max(total, done))
        return done

    def _upcoming(self, after: int) -> list[tuple[int, str]]:
        with self._reading() as session:
            return search_index.upcoming(session, after)

    def _store_words(self, ids: list[int], found: word_process.Words) -> int:
        """One batch's words into the index, in a transaction of its own; how many of ``ids``
        it took (another indexer may have taken some: their words are left out)."""
        with self.db.session() as session, session.begin():
            taken = search_index.take(session, ids)
            words, terms = found
            if len(taken) < len(words):
                words = [(i, w) for i, w in words if i in taken]
                terms = search_index.terms_of(words)
            search_index.store_words(session, (words, terms))
        return len(taken)

    # -- documents, as one user sees them ----------------------------------------------------

    def _user_id(self, session: Session) -> int:
        """The actor's id; -1 (nobody's) before their first change."""
        user = identity.find_user(session, self.actor_name)
        return user.id if user is not None else -1

    def query(self, flt: ListFilter = ListFilter.ALL, search: str = "") -> DocumentQuery:
        with self._reading() as session:
            return DocumentQuery(self._user_id(session), flt, search)

    def page_ids(self, query: DocumentQuery, after_id: int | None, limit: int) -> list[int]:
        with self._reading() as session:
            return document_queries.page_ids(session, query, after_id, limit)

    def count(self, query: DocumentQuery, at_most: int | None = None) -> int:
        """How many documents ``query`` lists; with ``at_most``, a search is counted up to
        ``at_most + 1`` (meaning "more than ``at_most``"), which stays fast at any size."""
        with self._reading() as session:
            return document_queries.count(session, query, at_most)

    def rows(self, ids: list[int]) -> dict[int, DocumentRow]:
        with self._reading() as session:
            return document_queries.rows(session, self._user_id(session), ids)

    def neighbour(
        self, query: DocumentQuery, current_id: int | None, *, forward: bool = True
    ) -> int | None:
        with self._reading() as session:
            return document_queries.neighbour(session, query, current_id, forward=forward)

    def change_token(self) -> tuple[Any, ...]:
        """Changes whenever a document is added or any set changes status, in any process:
        a window compares it now and then to refresh what others handed in (a few rows of
        kept counts, whatever the size of the database)."""
        with self._reading() as session:
            return document_queries.change_token(session)

    def change_feed(self) -> ChangeFeed:
        """Tells a view when another connection changed sets or documents: pushed by
        PostgreSQL (LISTEN/NOTIFY), else :meth:`change_token` compared now and then."""
        return ChangeFeed(self.db.engine, self.change_token)

    def progress(self) -> tuple[int, int]:
        with self._reading() as session:
            return document_queries.progress(session, self._user_id(session))

    def _own_set(self, session: Session, document_id: int) -> SetData | None:
        mine = iter_sets(
            session,
            AnnotationSetRecord.document_id == document_id,
            AnnotationSetRecord.annotator_id == self._user_id(session),
        )
        return next((r.annotation for r in mine), None)

    def document(self, document_id: int) -> DocumentState:
        """The document and the actor's own set on it."""
        with self._reading() as session:
            doc = annotating.get_document(session, document_id)
            state = DocumentState(doc.id, doc.uuid, doc.title, doc.source, doc.text)
            return state.with_set(*self._own_set_and_version(session, document_id))

    def refreshed(self, state: DocumentState) -> DocumentState:
        """``state`` with the actor's set read again (after a change: the text is not)."""
        with self._reading() as session:
            return state.with_set(*self._own_set_and_version(session, state.id))

    def _own_set_and_version(self, session: Session, document_id: int) -> tuple[Any, int]:
        version = session.scalar(
            select(AnnotationSetRecord.version).where(
                AnnotationSetRecord.document_id == document_id,
                AnnotationSetRecord.annotator_id == self._user_id(session),
            )
        )
        return self._own_set(session, document_id), version or 0

    def search(self, text: str, limit: int = 20, context: int = 30) -> list[SearchHit]:
        """Documents whose text holds ``text`` (alef forms, hamza seats, tashkeel, tatweel and
        the dropped alef of لل folded), with where and a snippet of each place: what
        ``tawsim search`` prints, found as the GUI's document list finds them."""
        query = self.query(search=text)
        hits = []
        for doc_id in self.page_ids(query, None, limit):
            doc = self.document(doc_id)
            ranges = self.search_ranges(doc.text, text)
            snippets = tuple(
                " ".join(doc.text[max(0, a - context) : b + context].split()) for a, b in ranges
            )
            hits.append(SearchHit(doc.id, doc.uuid, doc.title, tuple(ranges), snippets))
        return hits

    @staticmethod
    def search_ranges(text: str, search: str) -> list[tuple[int, int]]:
        """Where ``search`` occurs in ``text`` from the start of a word, ignoring alef forms,
        hamza seats, tashkeel and tatweel: what a search highlights."""
        return word_ranges(text, search)

    # -- changing labels and deciding --------------------------------------------------------

    def suggestion_lexicon(self) -> dict[str, str]:
        """What approved spans say (folded text → label), for suggestions in any document
        (:func:`app.core.suggestions.suggest`). An annotator's blind reading holds their own
        approved sets only."""
        with self._reading() as session:
            return build_lexicon(approved_surfaces(session, *self._blind(session)))

    def perform(self, command: Command, *, seen: int | None = None) -> Changes:
        """One label command or review decision, in one transaction, as the actor. ``seen``:
        the version of the actor's set the change was made on (``DocumentState.version``);
        when the set has changed since (another window or machine), the change is refused
        with :class:`~app.core.errors.StaleEdit` instead of writing over what was not seen."""

        def work(session: Session, actor: UserRecord) -> Changes:
            if seen is not None and not isinstance(command, _DECISIONS):
                annotating.check_seen(session, actor, command.document_id, seen)
            return self._perform(session, actor, command)

        return self._write(work)

    def perform_all(self, commands: Iterable[Command]) -> Changes:
        """Several commands in one transaction: all of them or none (not undoable as one)."""
        steps = list(commands)

        def work(session: Session, actor: UserRecord) -> Changes:
            changes = Changes()
            for command in steps:
                changes = changes | self._perform(session, actor, command)
            return changes

        return self._write(work)

    def _perform(self, session: Session, actor: UserRecord, command: Command) -> Changes:
        if isinstance(command, _DECISIONS):
            return reviewing.decide(session, actor, command)
        return annotating.apply_label(session, actor, project_schema(session), command)

    def submit(self, document_id: int) -> Changes:
        """Hand the actor's set on the document in for review (not undoable)."""
        return self._write(lambda session, actor: annotating.submit(session, actor, document_id))

    def approve_many(
        self, set_uuids: tuple[str, ...] = (), flt: QueueFilter = NO_FILTER
    ) -> BatchResult:
        """Approve the named sets, or the queued sets a filter selects, in one transaction."""
        return self._write(
            lambda session, actor: reviewing.approve_many(session, actor, set_uuids, flt)
        )

    def auto_approve(self, min_agree: int) -> BatchResult:
        return self._write(lambda session, actor: reviewing.auto_approve(session, actor, min_agree))

    # -- review ------------------------------------------------------------------------------

    def queue(
        self, flt: QueueFilter = NO_FILTER, *, after: int | None = None, limit: int | None = None
    ) -> list[QueueItem]:
        """The review queue in document order: all of it, or a page of ``limit`` documents
        after document ``after`` (a page reads only what it shows)."""
        with self._reading() as session:
            only = self._blind(session)
            return list(islice(reviewing.queue(session, flt, after, *only), limit))

    def queue_count(self, flt: QueueFilter = NO_FILTER) -> int | None:
        """How many documents the queue holds (None with a level filter: not known before
        every document is compared)."""
        with self._reading() as session:
            return reviewing.queue_count(session, flt, *self._blind(session))

    def sets(self, document_id: int) -> list[SetData]:
        """Every set on the document, whatever its status, in the order they were made."""
        with self._reading() as session:
            records = iter_sets(
                session, AnnotationSetRecord.document_id == document_id, *self._blind(session)
            )
            return [r.annotation for r in records if r.annotation is not None]

    def review_sets(self, document_id: int) -> list[ReviewSet]:
        """Every annotator's handed-in set on the document, but the actor's own draft."""
        with self._reading() as session:
            return reviewing.review_sets(
                session, self._user_id(session), document_id, *self._blind(session)
            )

    # -- records in and out ------------------------------------------------------------------

    def ingest(
        self,
        records: Iterable[Record],
        options: IngestOptions = PLAIN_IMPORT,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Store records (an import, an unpack) in one transaction: all of them or none."""
        with self._writing() as (session, actor):
            if self.db.team is not None and not Role(actor.role).can_review:
                raise PermissionDenied(
                    f"{actor.name} is an annotator; on a team database a reviewer or an "
                    "admin imports documents and work"
                )
            return ingest(session, actor, records, options, progress)

    def records(
        self,
        selection: Selection,
        *,
        annotator: str | None = None,
        documents: tuple[int | None, int | None] = (None, None),
    ) -> Iterator[Record]:
        """The sets ``selection`` takes (one annotator's, with ``annotator``), streamed in
        document order; :attr:`Selection.ALL` adds the documents nobody annotated (unless one
        annotator is asked for). ``documents`` keeps to the documents from its first id up to
        (not including) its second."""
        with self._reading() as session:
            where = self._annotator_only(session, annotator)
            mine = self._blind(session)
            yield from iter_records(session, selection, *where, mine=mine, documents=documents)

    def _annotator_only(self, session: Session, annotator: str | None) -> list[Any]:
        """The condition that keeps to ``annotator``'s sets (refused for an annotator asking
        for someone else's), or none."""
        if annotator is None:
            return []
        if self.actor_name:
            identity.refuse_others_work(session, self.actor_name, annotator)
        user = identity.get_user(session, annotator)
        return [AnnotationSetRecord.annotator_id == user.id]

    def renders_native_lines(self) -> bool:
        """Whether :meth:`native_lines` can be asked (the database renders them: SQLite)."""
        with self._reading() as session:
            return native_lines.renders_lines(session)

    def native_lines(
        self,
        selection: Selection,
        *,
        annotator: str | None = None,
        within: tuple[int | None, int | None] = (None, None),
    ) -> Iterator[list[NativeLine]]:
        """The native JSON line of every record :meth:`records` yields for the same
        arguments, in the same order, a batch at a time, rendered by the database (only
        where :meth:`renders_native_lines`): what a bulk export in the native shape writes.
        ``within`` keeps to the documents from its first id up to (not including) its
        second."""
        with self._reading() as session:
            where = self._annotator_only(session, annotator)
            yield from native_lines.iter_native_lines(
                session, selection, *where, mine=self._blind(session), within=within
            )

    def native_middle(
        self, selection: Selection, share: float = 0.5, *, annotator: str | None = None
    ) -> int | None:
        """The document id from which the last ``share`` of :meth:`native_lines` come (two
        processes render a part each: ``within=(None, middle)`` and ``(middle, None)``);
        None for too few."""
        with self._reading() as session:
            where = self._annotator_only(session, annotator)
            return native_lines.middle_document(
                session, selection, *where, mine=self._blind(session), share=share
            )

    def documents(self, ids: list[int]) -> Iterator[DocumentData]:
        """The documents with these ids, in the order given, read in batches."""
        with self._reading() as session:
            for i in range(0, len(ids), 500):
                batch = ids[i : i + 500]
                found = {d.id: d for d in iter_documents(session, DocumentRecord.id.in_(batch))}
                yield from (found[k] for k in batch if k in found)

    def labels_and_targets(self, selection: Selection) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The entity labels and stance targets the sets ``selection`` takes use (sorted):
        what writers must know before the first record."""
        with self._reading() as session:
            sets = select(AnnotationSetRecord.id).where(selected(selection), *self._blind(session))
            labels = session.scalars(
                select(SpanRecord.label).where(SpanRecord.set_id.in_(sets)).distinct()
            )
            targets = session.scalars(
                select(StanceRecord.target).where(StanceRecord.set_id.in_(sets)).distinct()
            )
            return tuple(sorted(labels)), tuple(sorted(targets))

    def document_labels(
        self, selection: Selection
    ) -> Iterator[tuple[int, str, frozenset[str], str]]:
        """``(document id, source, labels, text hash)`` of every document :meth:`records`
        yields for ``selection`` (labels of all its sets together), streamed in document
        order: what splits are planned from, without reading texts."""
        D, S, P = (m.__table__.c for m in (DocumentRecord, AnnotationSetRecord, SpanRecord))
        labels = func.aggregate_strings(P.label, LABEL_SEPARATOR)
        annotated = (
            select(D.id, D.source, func.coalesce(D.text_hash, D.content_hash), labels)
            .select_from(AnnotationSetRecord.__table__)
            .join(DocumentRecord.__table__, D.id == S.document_id)
            .outerjoin(SpanRecord.__table__, P.set_id == S.id)
            .where(S.status.in_([s.value for s in selection.statuses]))
            .group_by(D.id)
            .order_by(D.id)
        )
        with self._reading() as session:
            only = self._blind(session)
            for doc_id, source, group, joined in session.execute(annotated.where(*only)):
                yield (
                    doc_id,
                    source,
                    frozenset(joined.split(LABEL_SEPARATOR) if joined else ()),
                    group,
                )
            if selection is Selection.ALL:
                unannotated = select(
                    D.id, D.source, func.coalesce(D.text_hash, D.content_hash)
                ).where(~exists().where(S.document_id == D.id, *only))
                for doc_id, source, group in session.execute(unannotated):
                    yield doc_id, source, frozenset(), group

    def stance_values_used(self, selection: Selection) -> tuple[str, ...]:
        """The stance values the sets ``selection`` takes use (sorted)."""
        with self._reading() as session:
            sets = select(AnnotationSetRecord.id).where(selected(selection), *self._blind(session))
            values = session.scalars(
                select(StanceRecord.value).where(StanceRecord.set_id.in_(sets)).distinct()
            )
            return tuple(sorted(values))

    def count_records(self, selection: Selection) -> int:
        """How many records :meth:`records` yields for ``selection``."""
        with self._reading() as session:
            only = self._blind(session)
            n = session.scalar(
                select(func.count())
                .select_from(AnnotationSetRecord)
                .where(selected(selection), *only)
            )
            if selection is Selection.ALL:
                without = ~exists().where(
                    AnnotationSetRecord.document_id == DocumentRecord.id, *only
                )
                n = (n or 0) + (
                    session.scalar(select(func.count()).select_from(DocumentRecord).where(without))
                    or 0
                )
            return n or 0

    def work(self, selection: Selection) -> Iterator[tuple[int, dict[str, AnnotatorWork]]]:
        """``(document id, {annotator: work})`` for each document with a set ``selection``
        takes, in document order: what agreement is computed from. A document only one
        annotator worked on comes with that annotator's stances and no spans (there is no
        other set to compare its spans with), read without its text."""
        from app.core.agreement import AnnotatorWork

        with self._reading() as session:
            taken = [selected(selection), *self._blind(session)]
            S = AnnotationSetRecord
            shared = select(S.document_id).where(*taken).group_by(S.document_id)
            shared = shared.having(func.count() > 1)
            records = iter_sets(session, *taken, S.document_id.in_(shared))
            both = (
                (
                    group[0].document.id or 0,
                    {
                        a.annotator or "": AnnotatorWork(
                            a.spans, {j.target: j.value for j in a.stances}
                        )
                        for r in group
                        if (a := r.annotation) is not None
                    },
                )
                for group in group_by_document(records)
            )
            lone = (
                (document_id, {annotator: AnnotatorWork((), stances)})
                for document_id, annotator, stances in iter_lone_work(
                    session, *taken, S.document_id.not_in(shared)
                )
            )
            yield from heapq.merge(both, lone, key=itemgetter(0))

    def agreement(
        self,
        selection: Selection = Selection.SUBMITTED,
        progress: Callable[[int], None] | None = None,
    ) -> AgreementReport:
        """Agreement between annotators over the sets ``selection`` takes."""
        stance_values = self.schema().stance_values

        def counted() -> Iterator[tuple[int, dict[str, AnnotatorWork]]]:
            for done, item in enumerate(self.work(selection)):
                if progress is not None and done % 500 == 0:
                    progress(done)  # may raise Cancelled
                yield item

        from app.core.agreement import compute_agreement

        return compute_agreement(counted(), stance_values=stance_values)

    def dashboard(self, progress: Callable[[int], None] | None = None) -> Dashboard:
        """Progress per annotator and label, the label and stance distributions, review
        decisions per day and agreement per week (:mod:`app.store.dashboard_queries`), as the
        actor may see them: an annotator's hold their own work only. ``progress`` may raise
        :class:`~app.core.errors.Cancelled` while agreement is being computed."""
        from app.store import dashboard_queries

        with self._reading() as session:
            only = self._blind(session)
            return dashboard_queries.dashboard(session, self.actor_name, only, progress)
