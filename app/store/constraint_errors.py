"""The database's refusals in words: an integrity error becomes a message a person can act on."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict

# (what the database says, what it means) — SQLite names columns or CHECK names, PostgreSQL
# constraint names; triggers raise their own text.
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
    (("beyond the text",), "a span or stance holder ends beyond the text of its document"),
    (("content_hash",), "a document with the same text is already stored"),
    (("uuid",), "an id given in the data is already used by another record"),
)


def explain(exc: IntegrityError) -> Conflict:
    said = str(exc.orig)
    for needles, meaning in _MEANINGS:
        if any(n in said for n in needles):
            return Conflict(f"refused by the database: {meaning}")
    return Conflict(f"refused by the database: {said}")
