"""Spans and stance holders kept inside the text by keys and CHECKs, not a trigger per row

0004 checked each span's end against its document's length with a trigger on ``spans`` (and
``stances``): a sub-program run for every row written, which cost an import of news articles
(ten spans each) more than inserting the spans themselves. Now:

- ``annotation_sets.text_length`` is the length of the set's document, set by the database
  whatever a writer gives (SQLite: a trigger after each new set; PostgreSQL: before), and
  refused if changed to anything else; ``documents.length`` cannot change (it never did: a
  stored text is never altered);
- each span and stance carries its set's ``text_length``, held to it by a foreign key on
  ``(set_id, text_length)`` (which replaces the one on ``set_id``), and a CHECK keeps its end
  (its holder's end) within that length. A foreign key is checked by an index lookup, far
  cheaper than a trigger; a set's trigger runs once per set, not once per span.

Same rule, same refusals: a raw ``INSERT`` of a span past the end fails its CHECK, and one that
claims a longer text than its set's fails the foreign key.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None
NEEDS_BACKUP = True
"""Read by :func:`app.store.database.migrate`: ``spans`` and ``stances`` are rebuilt."""

SET_LENGTH = "(SELECT length FROM documents WHERE id = NEW.document_id)"
LENGTH_FIXED = "the length of a stored text cannot change (a stored text is never altered)"
SET_LENGTH_FIXED = "the text length of a set is the length of its document"


def _spans_table(keyed: bool) -> str:
    """SQLite's ``spans`` table (made as ``spans_0013``) after 0013 (``keyed``) or before it."""
    if keyed:
        length = "text_length INTEGER NOT NULL,"
        within = 'CONSTRAINT ck_spans_within_text CHECK ("end" <= text_length),'
        key = "(set_id, text_length) REFERENCES annotation_sets (id, text_length)"
    else:
        length = within = ""
        key = "(set_id) REFERENCES annotation_sets (id)"
    return f"""CREATE TABLE spans_0013 (
    set_id INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label VARCHAR(64) NOT NULL,
    id INTEGER NOT NULL,
    uuid VARCHAR(36) NOT NULL,
    {length}
    CONSTRAINT pk_spans PRIMARY KEY (id),
    CONSTRAINT ck_spans_range CHECK (start >= 0 AND "end" > start),
    {within}
    CONSTRAINT fk_spans_set_id_annotation_sets FOREIGN KEY {key} ON DELETE CASCADE,
    CONSTRAINT uq_spans_uuid UNIQUE (uuid)
)"""


def _stances_table(keyed: bool) -> str:
    """SQLite's ``stances`` table (made as ``stances_0013``) after 0013 or before it."""
    if keyed:
        length = "text_length INTEGER NOT NULL,"
        within = (
            "CONSTRAINT ck_stances_holder_within_text CHECK "
            "(holder_end IS NULL OR holder_end <= text_length),"
        )
        key = "(set_id, text_length) REFERENCES annotation_sets (id, text_length)"
    else:
        length = within = ""
        key = "(set_id) REFERENCES annotation_sets (id)"
    return f"""CREATE TABLE stances_0013 (
    set_id INTEGER NOT NULL,
    target TEXT NOT NULL,
    value VARCHAR(32) NOT NULL,
    holder_start INTEGER,
    holder_end INTEGER,
    evidence JSON NOT NULL,
    id INTEGER NOT NULL,
    uuid VARCHAR(36) NOT NULL,
    {length}
    CONSTRAINT pk_stances PRIMARY KEY (id),
    CONSTRAINT uq_stances_uuid UNIQUE (uuid),
    CONSTRAINT set_target UNIQUE (set_id, target),
    CONSTRAINT ck_stances_holder_range CHECK ((holder_start IS NULL AND holder_end IS NULL) OR
        (holder_start IS NOT NULL AND holder_end IS NOT NULL AND holder_start >= 0 AND
         holder_end > holder_start)),
    {within}
    CONSTRAINT fk_stances_set_id_annotation_sets FOREIGN KEY {key} ON DELETE CASCADE
)"""


SPAN_COLUMNS = 'set_id, start, "end", label, id, uuid'
STANCE_COLUMNS = "set_id, target, value, holder_start, holder_end, evidence, id, uuid"

SQLITE_UPGRADE = (
    "ALTER TABLE annotation_sets ADD COLUMN text_length INTEGER NOT NULL DEFAULT 0",
    f"UPDATE annotation_sets SET text_length = {SET_LENGTH.replace('NEW.', '')}",
    "CREATE UNIQUE INDEX uq_annotation_sets_id_text_length ON annotation_sets (id, text_length)",
    f"""CREATE TRIGGER annotation_sets_text_length AFTER INSERT ON annotation_sets
    BEGIN UPDATE annotation_sets SET text_length = {SET_LENGTH} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER annotation_sets_text_length_fixed
    BEFORE UPDATE OF document_id, text_length ON annotation_sets
    WHEN NEW.text_length IS NOT {SET_LENGTH}
    BEGIN SELECT RAISE(ABORT, '{SET_LENGTH_FIXED}'); END""",
    f"""CREATE TRIGGER documents_length_fixed BEFORE UPDATE OF length ON documents
    WHEN NEW.length IS NOT OLD.length
    BEGIN SELECT RAISE(ABORT, '{LENGTH_FIXED}'); END""",
    _spans_table(keyed=True),
    f"INSERT INTO spans_0013 ({SPAN_COLUMNS}, text_length) SELECT "
    f"{', '.join('sp.' + c for c in SPAN_COLUMNS.split(', '))}, s.text_length "
    "FROM spans sp JOIN annotation_sets s ON s.id = sp.set_id",
    "DROP TABLE spans",  # and its triggers (0004)
    "ALTER TABLE spans_0013 RENAME TO spans",
    'CREATE UNIQUE INDEX uq_spans_set_extent_label ON spans (set_id, start, "end", label)',
    _stances_table(keyed=True),
    f"INSERT INTO stances_0013 ({STANCE_COLUMNS}, text_length) SELECT "
    f"{', '.join('st.' + c for c in STANCE_COLUMNS.split(', '))}, s.text_length "
    "FROM stances st JOIN annotation_sets s ON s.id = st.set_id",
    "DROP TABLE stances",  # and its triggers (0004)
    "ALTER TABLE stances_0013 RENAME TO stances",
)

POSTGRESQL_UPGRADE = (
    "ALTER TABLE annotation_sets ADD COLUMN text_length INTEGER NOT NULL DEFAULT 0",
    "UPDATE annotation_sets s SET text_length = d.length FROM documents d "
    "WHERE d.id = s.document_id",
    "CREATE UNIQUE INDEX uq_annotation_sets_id_text_length ON annotation_sets (id, text_length)",
    f"""CREATE FUNCTION tawsim_set_text_length() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.text_length IS DISTINCT FROM {SET_LENGTH} THEN
        RAISE EXCEPTION '{SET_LENGTH_FIXED}' USING ERRCODE = 'check_violation';
      END IF;
      NEW.text_length := {SET_LENGTH};
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER annotation_sets_text_length
    BEFORE INSERT OR UPDATE OF document_id, text_length ON annotation_sets
    FOR EACH ROW EXECUTE FUNCTION tawsim_set_text_length()""",
    f"""CREATE FUNCTION tawsim_length_fixed() RETURNS trigger AS $$
    BEGIN
      IF NEW.length IS DISTINCT FROM OLD.length THEN
        RAISE EXCEPTION '{LENGTH_FIXED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER documents_length_fixed BEFORE UPDATE OF length ON documents
    FOR EACH ROW EXECUTE FUNCTION tawsim_length_fixed()""",
    "DROP TRIGGER spans_within_text ON spans",
    "DROP TRIGGER stances_within_text ON stances",
    "DROP FUNCTION tawsim_span_within_text()",
    "DROP FUNCTION tawsim_holder_within_text()",
    *(
        statement
        for table in ("spans", "stances")
        for statement in (
            f"ALTER TABLE {table} ADD COLUMN text_length INTEGER",
            f"UPDATE {table} t SET text_length = s.text_length FROM annotation_sets s "
            "WHERE s.id = t.set_id",
            f"ALTER TABLE {table} ALTER COLUMN text_length SET NOT NULL",
            f"ALTER TABLE {table} DROP CONSTRAINT fk_{table}_set_id_annotation_sets",
            f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_set_id_annotation_sets "
            "FOREIGN KEY (set_id, text_length) REFERENCES annotation_sets (id, text_length) "
            "ON DELETE CASCADE",
        )
    ),
    'ALTER TABLE spans ADD CONSTRAINT ck_spans_within_text CHECK ("end" <= text_length)',
    "ALTER TABLE stances ADD CONSTRAINT ck_stances_holder_within_text "
    "CHECK (holder_end IS NULL OR holder_end <= text_length)",
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UPGRADE if sqlite else POSTGRESQL_UPGRADE:
        op.execute(statement)


def _rebuilt(create: str, table: str, columns: str) -> tuple[str, ...]:
    """SQLite: ``table`` made again by ``create`` (of ``<table>_0013``), its rows copied."""
    return (
        create,
        f"INSERT INTO {table}_0013 ({columns}) SELECT {columns} FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {table}_0013 RENAME TO {table}",
    )


SQLITE_DOWNGRADE = (
    *_rebuilt(_spans_table(keyed=False), "spans", SPAN_COLUMNS),
    'CREATE UNIQUE INDEX uq_spans_set_extent_label ON spans (set_id, start, "end", label)',
    *_rebuilt(_stances_table(keyed=False), "stances", STANCE_COLUMNS),
    "DROP TRIGGER annotation_sets_text_length",
    "DROP TRIGGER annotation_sets_text_length_fixed",
    "DROP TRIGGER documents_length_fixed",
    "DROP INDEX uq_annotation_sets_id_text_length",
    "ALTER TABLE annotation_sets DROP COLUMN text_length",
)
POSTGRESQL_DOWNGRADE = (
    "ALTER TABLE spans DROP CONSTRAINT ck_spans_within_text",
    "ALTER TABLE stances DROP CONSTRAINT ck_stances_holder_within_text",
    *(
        statement
        for table in ("spans", "stances")
        for statement in (
            f"ALTER TABLE {table} DROP CONSTRAINT fk_{table}_set_id_annotation_sets",
            f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_set_id_annotation_sets "
            "FOREIGN KEY (set_id) REFERENCES annotation_sets (id) ON DELETE CASCADE",
            f"ALTER TABLE {table} DROP COLUMN text_length",
        )
    ),
    "DROP TRIGGER annotation_sets_text_length ON annotation_sets",
    "DROP FUNCTION tawsim_set_text_length()",
    "DROP TRIGGER documents_length_fixed ON documents",
    "DROP FUNCTION tawsim_length_fixed()",
    "DROP INDEX uq_annotation_sets_id_text_length",
    "ALTER TABLE annotation_sets DROP COLUMN text_length",
)


def _invariants() -> Any:
    """Migration 0004, whose triggers a downgrade puts back (loaded from its file, as Alembic
    loads it: the versions folder is not a package)."""
    path = Path(__file__).with_name("0004_invariants.py")
    spec = importlib.util.spec_from_file_location("tawsim_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    old = _invariants()
    for statement in (
        *(SQLITE_DOWNGRADE if sqlite else POSTGRESQL_DOWNGRADE),
        *(old.SPAN_TRIGGERS_SQLITE if sqlite else old.SPAN_TRIGGERS_POSTGRESQL),
    ):
        op.execute(statement)
