"""The native JSON Lines of an export, rendered by SQLite itself.

A bulk export in the native shape (``tawsim export FILE.jsonl``, each split's ``.jsonl`` of a
training set) spends most of its time making a record of every row and a line of every
record. SQLite's JSON functions make the same line from the row in C, escaping the text as
orjson does: :func:`iter_native_lines` yields, in the order :func:`app.store.set_reader.
iter_records` yields records, each line as :func:`app.core.native_json.native_object` and
:func:`app.core.json_text.dumps` would write it (a test holds them equal byte for byte, on
arbitrary texts, metadata, spans and stances). A row SQLite cannot render (metadata that is
not a JSON object it reads) is rendered from its record instead. Other databases render no
lines: the export writes their records (:func:`renders_lines`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal_column, select
from sqlalchemy.orm import Session

from app.core import json_text
from app.core.domain import Selection
from app.core.native_json import native_object
from app.core.records import Record
from app.store.bulk import is_sqlite
from app.store.models import AnnotationSetRecord, DocumentRecord, UserRecord
from app.store.set_reader import BATCH, document_data, iter_sets, selected
from app.store.set_reader import within as within_ids
from app.store.values import NativeLine

_S = AnnotationSetRecord.__table__.c
_D = DocumentRecord.__table__.c
_annotator = UserRecord.__table__.alias("annotator")


_META = (
    "json_set(documents.meta, '$.title', coalesce(documents.title, ''), "
    "'$.source', documents.source)"
)
_SPANS = (
    "(SELECT json_group_array(json_object('start', p.start, 'end', p.\"end\", "
    "'label', p.label, 'text', substr(documents.text, p.start + 1, p.\"end\" - p.start))) "
    'FROM (SELECT start, "end", label FROM spans WHERE set_id = annotation_sets.id '
    'ORDER BY start, "end" DESC, id) AS p)'
)
_EVIDENCE = (
    "(SELECT json_group_array(json_object('start', json_extract(e.value, '$[0]'), "
    "'end', json_extract(e.value, '$[1]'))) FROM json_each(st.evidence) AS e)"
)
_STANCES = (
    "(SELECT json_group_array(json_object('target', st.target, 'label', st.value, "
    f"'evidence', {_EVIDENCE}, 'holder', CASE WHEN st.holder_start IS NULL THEN NULL "
    "ELSE json_object('start', st.holder_start, 'end', st.holder_end) END)) "
    "FROM (SELECT target, value, evidence, holder_start, holder_end FROM stances "
    "WHERE set_id = annotation_sets.id ORDER BY id) AS st)"
)
# Rendered only where SQLite reads the row's JSON columns as Python does (else NULL: the row
# is rendered from its record). Evidence is a list of pairs wherever Tawsim wrote it.
_READABLE = (
    "json_valid(documents.meta) AND json_type(documents.meta) = 'object' AND NOT EXISTS "
    "(SELECT 1 FROM stances WHERE set_id = annotation_sets.id AND NOT (json_valid(evidence) "
    "AND json_type(evidence) = 'array'))"
)


def _guarded(condition: str, rendered: str) -> Any:
    # CASE evaluates its branch only when the condition holds (json_set on a text that is not
    # JSON would stop the whole query). As a BLOB, the line comes as its UTF-8 bytes, what the
    # file gets, instead of being decoded and encoded again.
    return literal_column(f"CAST(CASE WHEN {condition} THEN {rendered} END AS BLOB)")


_SET_LINE = _guarded(
    _READABLE,
    "json_object('id', documents.uuid, 'text', documents.text, 'meta', "
    f"{_META}, 'set_id', annotation_sets.uuid, 'annotator', annotator.name, "
    f"'status', annotation_sets.status, 'comment', annotation_sets.comment, "
    f"'spans', {_SPANS}, 'stance', {_STANCES})",
)
_DOCUMENT_LINE = _guarded(
    "json_valid(documents.meta) AND json_type(documents.meta) = 'object'",
    "json_object('id', documents.uuid, 'text', documents.text, 'meta', "
    f"{_META}, 'set_id', NULL, 'annotator', NULL, 'status', NULL, 'comment', '', "
    "'spans', json('[]'), 'stance', json('[]'))",
)
_SPAN_COUNT: Any = literal_column("(SELECT count(*) FROM spans WHERE set_id = annotation_sets.id)")


def renders_lines(session: Session) -> bool:
    """Whether this database renders native lines itself (SQLite's JSON functions)."""
    return is_sqlite(session)


def _set_lines(
    session: Session, where: Sequence[ColumnElement[bool]], batch: int
) -> Iterator[list[NativeLine]]:
    stmt = (
        select(_S.document_id, _SET_LINE, _SPAN_COUNT, _S.id)
        .select_from(AnnotationSetRecord.__table__)
        .join(DocumentRecord.__table__, _D.id == _S.document_id)
        .join(_annotator, _annotator.c.id == _S.annotator_id)
        .where(*where)
        .order_by(_S.document_id, _S.id)
    )
    cursor = session.execute(stmt.execution_options(yield_per=batch))
    for rows in cursor.partitions():
        lines = [NativeLine(*row[:3]) for row in rows]
        for k, row in enumerate(rows):
            if row[1] is None:
                record = next(iter_sets(session, _S.id == row[3]))
                lines[k] = NativeLine(row[0], _line(native_object(record)), row[2])
        yield lines


def _document_lines(
    session: Session,
    mine: Sequence[ColumnElement[bool]],
    within: Sequence[ColumnElement[bool]],
    batch: int,
) -> Iterator[list[NativeLine]]:
    stmt = (
        select(_D.id, _DOCUMENT_LINE)
        .where(~exists().where(_S.document_id == _D.id, *mine), *within)
        .order_by(_D.id)
    )
    for rows in session.execute(stmt.execution_options(yield_per=batch)).partitions():
        lines = []
        for document_id, line in rows:
            if line is None:
                row = session.execute(_DOCUMENT.where(_D.id == document_id)).one()
                line = _line(native_object(Record(document_data(*row))))
            lines.append(NativeLine(document_id, line, 0))
        yield lines


def _line(obj: dict[str, Any]) -> bytes:
    return json_text.dumps(obj).encode()


_DOCUMENT = select(_D.id, _D.uuid, _D.text, _D.title, _D.source, _D.meta, _D.occurrence)


def iter_native_lines(
    session: Session,
    selection: Selection,
    *where: ColumnElement[bool],
    mine: Sequence[ColumnElement[bool]] = (),
    within: tuple[int | None, int | None] = (None, None),
    batch: int = BATCH,
) -> Iterator[list[NativeLine]]:
    """The native line of every record :func:`app.store.set_reader.iter_records` yields for
    the same arguments, in the same order, a batch at a time (SQLite only:
    :func:`renders_lines`); ``within`` keeps to the documents from the first id up to (not
    including) the second."""
    sets = _set_lines(
        session, [selected(selection), *where, *mine, *within_ids(_S.document_id, within)], batch
    )
    if selection is not Selection.ALL or where:
        yield from sets
        return
    documents = _document_lines(session, mine, within_ids(_D.id, within), batch)
    yield from _merged(sets, documents, batch)


def middle_document(
    session: Session,
    selection: Selection,
    *where: ColumnElement[bool],
    mine: Sequence[ColumnElement[bool]] = (),
    share: float = 0.5,
) -> int | None:
    """The document from which the last ``share`` of :func:`iter_native_lines`'s lines come
    (None: too few to part)."""
    if selection is Selection.ALL and not where:
        n = session.scalar(select(func.count()).select_from(DocumentRecord))
        ids = select(_D.id).order_by(_D.id)
    else:
        conditions = [selected(selection), *where, *mine]
        n = session.scalar(select(func.count()).select_from(AnnotationSetRecord).where(*conditions))
        ids = select(_S.document_id).where(*conditions).order_by(_S.document_id)
    if not n or n < 2:
        return None
    return session.scalar(ids.offset(int(n * (1 - share))).limit(1))


def _merged(
    a: Iterator[list[NativeLine]], b: Iterator[list[NativeLine]], batch: int
) -> Iterator[list[NativeLine]]:
    """Two streams of batches in document order, as one (a document's lines come from one)."""
    merged = heapq.merge(chain.from_iterable(a), chain.from_iterable(b), key=_DOCUMENT_ID)
    while lines := list(islice(merged, batch)):
        yield lines


_DOCUMENT_ID = attrgetter("document_id")
