"""The invariants as constraints, after repairing databases that break them

- at most one approved (gold) set per document: a partial unique index. A document with
  several keeps its first (lowest id); the others become submitted sets again;
- no span twice in a set (same extent and label): a unique index, which replaces the
  ``(set_id, start)`` index. Exact duplicates are removed (the first is kept);
- a stance's holder is a range or nothing: a CHECK. Half, empty or too long holders are
  cleared (the stance is kept);
- spans and holders end inside their document's text: ``documents.length`` (code points,
  written once with the text) and triggers on ``spans`` and ``stances``;
- ``settings.database_uuid``: this database's own id, made here if no pack made it before;
- ``settings.search_key_version``: the version of the folding rules that built the search keys
  (:data:`app.core.arabic.FOLD_VERSION`); opening a database whose keys are older rebuilds them.

Every repair is written to the audit log (action ``repair.*``) and listed in
``config.attributes["notes"]``, which the command line and the GUI show after the upgrade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from app.core.errors import DatabaseError

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FIRST_FOLD_VERSION = "1"  # the rules of 0002, unchanged until a later Tawsim bumps them

SPAN_TRIGGERS_SQLITE = (
    """CREATE TRIGGER spans_within_text_insert BEFORE INSERT ON spans
    WHEN NEW."end" > (SELECT d.length FROM annotation_sets s JOIN documents d
                      ON d.id = s.document_id WHERE s.id = NEW.set_id)
    BEGIN SELECT RAISE(ABORT, 'span ends beyond the text of its document'); END""",
    """CREATE TRIGGER spans_within_text_update BEFORE UPDATE OF start, "end", set_id ON spans
    WHEN NEW."end" > (SELECT d.length FROM annotation_sets s JOIN documents d
                      ON d.id = s.document_id WHERE s.id = NEW.set_id)
    BEGIN SELECT RAISE(ABORT, 'span ends beyond the text of its document'); END""",
    """CREATE TRIGGER stances_within_text_insert BEFORE INSERT ON stances
    WHEN NEW.holder_end > (SELECT d.length FROM annotation_sets s JOIN documents d
                           ON d.id = s.document_id WHERE s.id = NEW.set_id)
    BEGIN SELECT RAISE(ABORT, 'stance holder ends beyond the text of its document'); END""",
    """CREATE TRIGGER stances_within_text_update
    BEFORE UPDATE OF holder_start, holder_end, set_id ON stances
    WHEN NEW.holder_end > (SELECT d.length FROM annotation_sets s JOIN documents d
                           ON d.id = s.document_id WHERE s.id = NEW.set_id)
    BEGIN SELECT RAISE(ABORT, 'stance holder ends beyond the text of its document'); END""",
)
TRIGGER_NAMES = (
    "spans_within_text_insert",
    "spans_within_text_update",
    "stances_within_text_insert",
    "stances_within_text_update",
)

SPAN_TRIGGERS_POSTGRESQL = (
    """CREATE FUNCTION tawsim_span_within_text() RETURNS trigger AS $$
    BEGIN
      IF NEW."end" > (SELECT d.length FROM annotation_sets s JOIN documents d
                      ON d.id = s.document_id WHERE s.id = NEW.set_id) THEN
        RAISE EXCEPTION 'span ends beyond the text of its document'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION tawsim_holder_within_text() RETURNS trigger AS $$
    BEGIN
      IF NEW.holder_end > (SELECT d.length FROM annotation_sets s JOIN documents d
                           ON d.id = s.document_id WHERE s.id = NEW.set_id) THEN
        RAISE EXCEPTION 'stance holder ends beyond the text of its document'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER spans_within_text BEFORE INSERT OR UPDATE ON spans
    FOR EACH ROW EXECUTE FUNCTION tawsim_span_within_text()""",
    """CREATE TRIGGER stances_within_text BEFORE INSERT OR UPDATE ON stances
    FOR EACH ROW EXECUTE FUNCTION tawsim_holder_within_text()""",
)


def _note(text: str) -> None:
    context.config.attributes.setdefault("notes", []).append(text)


AUDIT = sa.table(
    "audit_log",
    sa.column("uuid", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_uuid", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def _audit(conn: sa.Connection, user_id: int, action: str, entity: str, entity_uuid: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:  # fmt: skip
    conn.execute(
        AUDIT.insert().values(
            uuid=str(uuid.uuid4()),
            at=datetime.now(UTC),
            user_id=user_id,
            action=action,
            entity=entity,
            entity_uuid=entity_uuid,
            before=before,
            after=after,
        )
    )


def _repair_gold_sets(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT s.id, s.uuid, s.document_id, d.uuid, u.name, "
            "coalesce(s.reviewed_by_id, s.annotator_id) FROM annotation_sets s "
            "JOIN documents d ON d.id = s.document_id JOIN users u ON u.id = s.annotator_id "
            "WHERE s.status = 'approved' ORDER BY s.document_id, s.id"
        )
    ).all()
    kept: dict[int, tuple[str, str]] = {}
    for set_id, set_uuid, document_id, document_uuid, annotator, user_id in rows:
        if document_id not in kept:
            kept[document_id] = (set_uuid, annotator)
            continue
        gold_uuid, gold_annotator = kept[document_id]
        conn.execute(
            sa.text("UPDATE annotation_sets SET status = 'submitted' WHERE id = :id"),
            {"id": set_id},
        )
        _audit(conn, user_id, "repair.gold", "annotation_set", set_uuid,
               {"status": "approved"}, {"status": "submitted", "kept": gold_uuid})  # fmt: skip
        _note(
            f"document {document_uuid} had two approved sets: kept {gold_annotator}'s "
            f"(set {gold_uuid}) as its gold set; {annotator}'s set {set_uuid} is submitted "
            "again, for a reviewer to decide"
        )


def _repair_duplicate_spans(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            'SELECT sp.id, sp.uuid, sp.start, sp."end", sp.label, s.uuid, s.annotator_id, '
            "d.uuid FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id "
            "JOIN documents d ON d.id = s.document_id WHERE EXISTS ("
            "SELECT 1 FROM spans o WHERE o.set_id = sp.set_id AND o.start = sp.start AND "
            'o."end" = sp."end" AND o.label = sp.label AND o.id < sp.id)'
        )
    ).all()
    for span_id, span_uuid, start, end, label, _set_uuid, user_id, _doc_uuid in rows:
        conn.execute(sa.text("DELETE FROM spans WHERE id = :id"), {"id": span_id})
        before = {"uuid": span_uuid, "start": start, "end": end, "label": label}
        _audit(conn, user_id, "repair.span", "span", span_uuid, before, None)
    if rows:
        _note(
            f"removed {len(rows)} span(s) that were in their set twice (the first is kept), "
            f"in {_where(rows)}"
        )


def _where(rows: Any) -> str:
    """``set S on document D, ...`` for rows ending in (set uuid, user id, document uuid)."""
    return ", ".join(sorted({f"set {row[-3]} on document {row[-1]}" for row in rows}))


def _repair_holders(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT st.id, st.uuid, st.holder_start, st.holder_end, s.uuid, s.annotator_id, "
            "d.uuid FROM stances st JOIN annotation_sets s ON s.id = st.set_id "
            "JOIN documents d ON d.id = s.document_id "
            "WHERE (st.holder_start IS NULL) <> (st.holder_end IS NULL) "
            "OR st.holder_start < 0 OR st.holder_end <= st.holder_start "
            "OR st.holder_end > d.length"
        )
    ).all()
    for stance_id, stance_uuid, start, end, _set_uuid, user_id, _doc_uuid in rows:
        conn.execute(
            sa.text("UPDATE stances SET holder_start = NULL, holder_end = NULL WHERE id = :id"),
            {"id": stance_id},
        )
        _audit(conn, user_id, "repair.holder", "stance", stance_uuid,
               {"holder": [start, end]}, {"holder": None})  # fmt: skip
    if rows:
        _note(
            f"cleared {len(rows)} stance holder(s) that were not a range of the text, "
            f"in {_where(rows)}"
        )


def _fill_lengths(conn: sa.Connection) -> None:
    """Code points, counted by Python (SQL ``length`` stops at a NUL in SQLite), in batches."""
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("length", sa.Integer))
    update = (
        documents.update()
        .where(documents.c.id == sa.bindparam("doc_id"))
        .values(length=sa.bindparam("n"))
    )
    rows = conn.execute(sa.text("SELECT id, text FROM documents"))
    while batch := rows.fetchmany(1000):
        conn.execute(update, [{"doc_id": doc_id, "n": len(text)} for doc_id, text in batch])


def _out_of_bounds(conn: sa.Connection) -> None:
    """Spans beyond their text cannot be repaired without guessing: refuse to upgrade."""
    bad = conn.execute(
        sa.text(
            "SELECT count(*) FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id "
            'JOIN documents d ON d.id = s.document_id WHERE sp."end" > d.length'
        )
    ).scalar()
    if bad:
        raise DatabaseError(
            f"{bad} span(s) end beyond the text of their document; this database is damaged "
            "(the backup made before the upgrade is unchanged)"
        )


def upgrade() -> None:
    conn = op.get_bind()
    _repair_gold_sets(conn)
    _repair_duplicate_spans(conn)
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(sa.Column("length", sa.Integer(), nullable=False, server_default="0"))
    _fill_lengths(conn)
    _repair_holders(conn)
    _out_of_bounds(conn)
    with op.batch_alter_table("annotation_sets") as batch_op:
        batch_op.create_index(
            "uq_annotation_sets_one_gold",
            ["document_id"],
            unique=True,
            sqlite_where=sa.text("status = 'approved'"),
            postgresql_where=sa.text("status = 'approved'"),
        )
    with op.batch_alter_table("spans") as batch_op:
        batch_op.drop_index("ix_spans_set_start")
        batch_op.create_index(
            "uq_spans_set_extent_label", ["set_id", "start", "end", "label"], unique=True
        )
    with op.batch_alter_table("stances", recreate="always") as batch_op:
        batch_op.create_check_constraint(
            "holder_range",
            "(holder_start IS NULL AND holder_end IS NULL) OR (holder_start IS NOT NULL AND "
            "holder_end IS NOT NULL AND holder_start >= 0 AND holder_end > holder_start)",
        )
    for statement in (
        SPAN_TRIGGERS_SQLITE if conn.dialect.name == "sqlite" else SPAN_TRIGGERS_POSTGRESQL
    ):
        op.execute(statement)
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(settings.insert().values(key="search_key_version", value=FIRST_FOLD_VERSION))
    # The database's own id (packs name where they come from), made now, not on first use.
    has_id = conn.execute(sa.text("SELECT 1 FROM settings WHERE key = 'database_uuid'")).first()
    if has_id is None:
        op.execute(settings.insert().values(key="database_uuid", value=str(uuid.uuid4())))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS spans_within_text ON spans")
        op.execute("DROP TRIGGER IF EXISTS stances_within_text ON stances")
        op.execute("DROP FUNCTION IF EXISTS tawsim_span_within_text()")
        op.execute("DROP FUNCTION IF EXISTS tawsim_holder_within_text()")
    op.execute("DELETE FROM settings WHERE key = 'search_key_version'")
    with op.batch_alter_table("stances", recreate="always") as batch_op:
        batch_op.drop_constraint("holder_range", type_="check")
    with op.batch_alter_table("spans") as batch_op:
        batch_op.drop_index("uq_spans_set_extent_label")
        batch_op.create_index("ix_spans_set_start", ["set_id", "start"], unique=False)
    with op.batch_alter_table("annotation_sets") as batch_op:
        batch_op.drop_index("uq_annotation_sets_one_gold")
    # Not batch mode: recreating ``documents`` would drop the search index triggers (0003).
    op.execute("ALTER TABLE documents DROP COLUMN length")
