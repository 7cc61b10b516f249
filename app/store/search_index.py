"""The search key of every document, kept in step with the folding rules that built it.

``documents.search_key`` is :func:`app.core.arabic.fold` of the text; the FTS5 trigram index
(SQLite) follows it through triggers. The version of the rules that built the stored keys is in
``settings.search_key_version``; when this Tawsim folds differently
(:data:`app.core.arabic.FOLD_VERSION` is newer), opening the database rebuilds every key, in
batches, with progress, and only then records the new version, so an interrupted rebuild simply
runs again on the next start.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.arabic import FOLD_VERSION, fold
from app.store.models import DocumentRecord
from app.store.project import put_setting, setting

VERSION_KEY = "search_key_version"
BATCH = 1000

Progress = Callable[[int, int], None]
"""Called with (documents done, documents in all) while keys are rebuilt."""


def stored_version(session: Session) -> int:
    value = setting(session, VERSION_KEY)
    return int(value) if value and value.isdigit() else 0


def is_current(session: Session) -> bool:
    return stored_version(session) >= FOLD_VERSION


def rebuild(session: Session, progress: Progress | None = None) -> int:
    """Recompute every document's key (in the caller's transaction); returns how many."""
    total = session.scalar(select(func.count()).select_from(DocumentRecord)) or 0
    done, after = 0, 0
    while True:
        rows = session.execute(
            select(DocumentRecord.id, DocumentRecord.text)
            .where(DocumentRecord.id > after)
            .order_by(DocumentRecord.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        session.execute(
            update(DocumentRecord),
            [{"id": doc_id, "search_key": fold(text)} for doc_id, text in rows],
        )
        done += len(rows)
        after = rows[-1][0]
        if progress is not None:
            progress(done, total)
    put_setting(session, VERSION_KEY, str(FOLD_VERSION))
    return done
