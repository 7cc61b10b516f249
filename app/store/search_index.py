"""The search index: which documents hold which words, built after the documents are stored.

An import commits its documents and lists them in ``search_pending``; :func:`index_batch`
then indexes them in batches, one transaction each, so documents are usable the moment their
import commits, a search knows how many documents it cannot see yet (:func:`pending`), and a
kill at any moment leaves a consistent database whose indexing resumes on the next start.

SQLite keeps the words in ``document_words``, a contentless FTS5 table (the words are not
stored twice, only their index), and each distinct word once in ``search_terms``, which turns
the prefix a search ends with into the words it can complete to (see
:func:`~app.core.arabic.search_words.match_expression`); PostgreSQL keeps the words as a
plain table searched with ``LIKE`` over a trigram index. What the words are is
:mod:`app.core.arabic.search_words`; the version of those rules that built the index is
``settings.search_index_version``. When it is not the current one, every document counts as
pending, and the next build (``Tawsim.build_search_index``: the CLI's before a search or after
an import, the GUI's at start) empties the index (:func:`reset`) and indexes every document
again. Opening a database changes nothing. With many documents pending, their words are made
by a second process one batch ahead (:mod:`app.store.word_process`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    column,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from app.core.arabic.search_words import (
    INDEX_VERSION,
    index_terms,
    index_words,
    like_patterns,
    match_expression,
)
from app.store.bulk import insert_rows
from app.store.models import DocumentRecord, SearchPendingRecord
from app.store.project import put_setting, setting

VERSION_KEY = "search_index_version"
BATCH = 2000

Progress = Callable[[int, int], None]
"""Called with (documents indexed, documents that were pending) while indexing."""

WORDS = table("document_words", column("rowid", Integer), column("words"))
TERMS = table("search_terms", column("term"))
MAX_COMPLETIONS = 100
"""A prefix that completes to more words than this is left to FTS5's own prefix query."""
PLAIN_WORDS = table("document_words", column("document_id", Integer), column("words"))


def _fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def is_current(session: Session) -> bool:
    return setting(session, VERSION_KEY) == INDEX_VERSION


def reset(session: Session) -> None:
    """Empty the index and list every document as pending (the rules changed)."""
    if _fts(session):
        session.execute(text("INSERT INTO document_words(document_words) VALUES ('delete-all')"))
        session.execute(delete(TERMS))
    else:
        session.execute(delete(PLAIN_WORDS))
    session.execute(delete(SearchPendingRecord))
    session.execute(
        insert(SearchPendingRecord).from_select(["document_id"], select(DocumentRecord.id))
    )
    put_setting(session, VERSION_KEY, INDEX_VERSION)


def mark_pending(session: Session, document_ids: list[int]) -> None:
    """List documents just stored as not indexed yet."""
    rows = [(i,) for i in document_ids]
    insert_rows(session, SearchPendingRecord.__tablename__, ("document_id",), rows)


def pending(session: Session) -> int:
    """How many documents the index does not hold yet."""
    return session.scalar(select(func.count()).select_from(SearchPendingRecord)) or 0


def index_batch(session: Session, limit: int | None = None) -> int:
    """Index up to ``limit`` pending documents (in the caller's transaction); how many.

    The batch is taken off ``search_pending`` first, so two indexers (a window and a command
    line on one database) wait for each other instead of indexing a document twice.
    """
    first = select(SearchPendingRecord.document_id).order_by(SearchPendingRecord.document_id)
    taken = session.scalars(
        delete(SearchPendingRecord)
        .where(SearchPendingRecord.document_id.in_(first.limit(limit or BATCH).scalar_subquery()))
        .returning(SearchPendingRecord.document_id)
    ).all()
    if not taken:
        return 0
    rows = session.execute(
        select(DocumentRecord.id, DocumentRecord.text).where(DocumentRecord.id.in_(taken))
    ).all()
    store_words(session, words_of([(i, body) for i, body in rows]))
    return len(taken)


def words_of(texts: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[str]]:
    """The index's words of each ``(document id, text)``, and the distinct words of them all
    (sorted): the work of indexing that needs no database (:mod:`app.store.word_process` does
    it in a second process)."""
    words = [(i, index_words(body)) for i, body in texts]
    return words, terms_of(words)


def terms_of(words: list[tuple[int, str]]) -> list[str]:
    """The distinct words of documents' index words (what FTS5 reads as its terms), sorted."""
    return sorted(index_terms(*(w for _, w in words)))


def store_words(session: Session, found: tuple[list[tuple[int, str]], list[str]]) -> None:
    """Put documents' words (:func:`words_of`) into the index, in the caller's transaction."""
    words, terms = found
    if not words:
        return
    if _fts(session):
        # Straight to the driver: a batch holds tens of thousands of distinct words.
        conn = session.connection()
        conn.exec_driver_sql("INSERT INTO document_words (rowid, words) VALUES (?, ?)", words)
        if terms:  # (an empty list would run the statement once, without its parameter)
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO search_terms (term) VALUES (?)", [(t,) for t in terms]
            )
    else:
        session.execute(
            insert(PLAIN_WORDS), [{"document_id": i, "words": " " + w} for i, w in words]
        )


def upcoming(session: Session, after: int, limit: int | None = None) -> list[tuple[int, str]]:
    """The next pending documents after id ``after`` (not taken: a reading), with their texts,
    in id order."""
    wanted = (
        select(SearchPendingRecord.document_id)
        .where(SearchPendingRecord.document_id > after)
        .order_by(SearchPendingRecord.document_id)
        .limit(limit or BATCH)
    )
    rows = session.execute(
        select(DocumentRecord.id, DocumentRecord.text)
        .where(DocumentRecord.id.in_(wanted.scalar_subquery()))
        .order_by(DocumentRecord.id)
    ).all()
    return [(i, body) for i, body in rows]


def take(session: Session, document_ids: list[int]) -> set[int]:
    """Take these documents off ``search_pending`` (in the caller's transaction); the ones
    that were still there (another indexer may have taken some)."""
    return set(
        session.scalars(
            delete(SearchPendingRecord)
            .where(SearchPendingRecord.document_id.in_(document_ids))
            .returning(SearchPendingRecord.document_id)
        ).all()
    )


def count_matches(session: Session, search: str, at_most: int | None = None) -> int:
    """How many documents' words hold ``search``, counted in the index alone (every row of
    the index is a document's; a join to ``documents`` made this several times slower).
    With ``at_most``, counting stops after ``at_most + 1`` (that answer means "more")."""
    if _fts(session):
        expression = _expression(session, search)
        if expression is None:
            return 0
        match = text("document_words MATCH :search").bindparams(search=expression)
        hits = select(WORDS.c.rowid).where(match)
    else:
        patterns = like_patterns(search)
        if not patterns:
            return 0
        hits = select(PLAIN_WORDS.c.document_id).where(
            or_(*(PLAIN_WORDS.c.words.like(p) for p in patterns))
        )
    return count_rows(session, hits, at_most)


def count_rows(session: Session, rows: Select[Any], at_most: int | None = None) -> int:
    """How many rows ``rows`` selects, up to ``at_most + 1`` when ``at_most`` is given."""
    if at_most is not None:
        rows = rows.limit(at_most + 1)
    return session.scalar(select(func.count()).select_from(rows.subquery())) or 0


def restrict(
    session: Session, stmt: Select[Any], search: str
) -> tuple[Select[Any], ColumnElement[int]]:
    """``stmt`` (over ``documents``) narrowed to the documents whose words hold ``search``,
    and the column to order them by (the index's own order, so a page of a common word reads
    only that page). A search without words finds nothing."""
    if _fts(session):
        expression = _expression(session, search)
        stmt = stmt.join(WORDS, WORDS.c.rowid == DocumentRecord.id)
        if expression is None:
            return stmt.where(false()), WORDS.c.rowid
        match = text("document_words MATCH :search").bindparams(search=expression)
        return stmt.where(match), WORDS.c.rowid
    patterns = like_patterns(search)
    stmt = stmt.join(PLAIN_WORDS, PLAIN_WORDS.c.document_id == DocumentRecord.id)
    found = or_(*(PLAIN_WORDS.c.words.like(p) for p in patterns)) if patterns else false()
    return stmt.where(found), PLAIN_WORDS.c.document_id


def completions(session: Session, prefix: str) -> list[str] | None:
    """The index's words that start with ``prefix`` (None: more than :data:`MAX_COMPLETIONS`)."""
    # Words are letters and digits (never U+10FFFF): the next code point bounds the range.
    following = ord(prefix[-1]) + 1
    after = prefix[:-1] + chr(0xE000 if 0xD800 <= following < 0xE000 else following)
    stmt = select(TERMS.c.term).where(TERMS.c.term >= prefix, TERMS.c.term < after)
    found = list(session.scalars(stmt.order_by(TERMS.c.term).limit(MAX_COMPLETIONS + 1)))
    return None if len(found) > MAX_COMPLETIONS else found


def _expression(session: Session, search: str) -> str | None:
    return match_expression(search, lambda prefix: completions(session, prefix))
