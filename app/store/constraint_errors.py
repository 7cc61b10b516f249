"""The database's refusals in words: an integrity error becomes a message a person can act on."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, DatabaseBusy, PermissionDenied

# (what the database says, what it means) — SQLite names columns or CHECK names, PostgreSQL
# constraint names; triggers raise their own text.
# ("holder_within_text" holds neither "holder_range" nor "range": the order below holds.)
_MEANINGS = (
    # Before the gold set: SQLite's message for it is a prefix of this one.
    (
        ("document_annotator", "annotation_sets.document_id, annotation_sets.annotator_id"),
        "this annotator already has a set on this document",
    ),
    (
        ("uq_annotation_sets_one_gold", "UNIQUE constraint failed: annotation_sets.document_id"),
        "the document already has an approved set (a document has one gold set; someone may "
        "have approved another set at the same moment)",
    ),
    (
        ("uq_spans_set_extent_label", "spans.set_id, spans.start"),
        "the same span (extent and label) is already in this set",
    ),
    (
        ("set_target", "stances.set_id, stances.target"),
        "there is already a stance towards this target",
    ),
    (("holder_range",), "a stance holder must be a range of the text"),
    (("ck_spans_range", "range"), "a span must satisfy 0 <= start < end"),
    (
        ("within_text", "beyond the text"),
        "a span or stance holder ends beyond the text of its document",
    ),
    (("content_hash",), "a document with the same text is already stored"),
    (("text length of a set",), "the text length of a set is the length of its document"),
    (("length of a stored text",), "the length of a stored text cannot change"),
    (
        ("FOREIGN KEY constraint failed", "violates foreign key constraint"),
        "the row refers to a document, set or user that is not stored (or a span or stance "
        "to another text length than its set's)",
    ),
    (("uuid",), "an id given in the data is already used by another record"),
)


def explain(exc: IntegrityError) -> Conflict:
    said = str(exc.orig)
    for needles, meaning in _MEANINGS:
        if any(n in said for n in needles):
            return Conflict(f"refused by the database: {meaning}")
    return Conflict(f"refused by the database: {said}")


# SQLSTATEs of PostgreSQL's transient refusals, which the same transaction run again may pass.
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def busy(exc: BaseException) -> DatabaseBusy | None:
    """A clear message when the database was held by another writer past Tawsim's wait
    (SQLite's "database is locked"; PostgreSQL's lock timeouts, serialization failures and
    deadlocks, once retries are spent), else None."""
    orig = getattr(exc, "orig", None)
    said = str(orig if orig is not None else exc)
    state = getattr(orig, "sqlstate", None)
    if "database is locked" in said or "database table is locked" in said:
        from app.store.database import BUSY_TIMEOUT_MS

        waited = f"for more than {BUSY_TIMEOUT_MS / 1000:g} seconds "
    elif state in RETRYABLE_SQLSTATES or state == "55P03":
        waited = ""
    else:
        return None
    return DatabaseBusy(
        f"the database is busy: another Tawsim window or command has been writing to it "
        f"{waited}and this change could not wait longer. Nothing was changed; try again "
        "when the other one has finished"
    )


def retryable(exc: BaseException) -> bool:
    """Whether running the same transaction again may succeed (PostgreSQL's serialization
    failures and deadlocks: the database rolled the transaction back and says to retry)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRYABLE_SQLSTATES


def not_allowed(exc: BaseException, login: str) -> PermissionDenied | None:
    """A clear message when PostgreSQL refused a team member's change itself (its grants and
    row-level security, :mod:`app.store.team`), else None."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) != "42501":  # insufficient_privilege
        return None
    diag = getattr(orig, "diag", None)
    said = getattr(diag, "message_primary", None) or str(orig)
    return PermissionDenied(
        f"the database does not let {login} make this change ({said}); nothing was changed"
    )
