"""Counts kept, not recounted: documents, and each annotator's sets by status

The window shows after every edit how many documents there are and how many of them the user
has done; at a million documents counting them took 20–80 ms each time. ``tallies`` holds the
number of documents (``name = 'documents'``) and ``set_tallies`` the number of each
annotator's sets in each status; triggers keep both in step with every insert, update and
delete, whichever path makes it, so they cannot drift. This revision fills them from the
rows already there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ADD_SET = """INSERT INTO set_tallies (annotator_id, status, n) VALUES ({who}, {status}, 1)
    ON CONFLICT (annotator_id, status) DO UPDATE SET n = set_tallies.n + 1"""
_REMOVE_SET = """UPDATE set_tallies SET n = n - 1
    WHERE annotator_id = {who} AND status = {status}"""

SQLITE = (
    """CREATE TRIGGER tally_documents_insert AFTER INSERT ON documents
    BEGIN UPDATE tallies SET n = n + 1 WHERE name = 'documents'; END""",
    """CREATE TRIGGER tally_documents_delete AFTER DELETE ON documents
    BEGIN UPDATE tallies SET n = n - 1 WHERE name = 'documents'; END""",
    f"""CREATE TRIGGER tally_sets_insert AFTER INSERT ON annotation_sets
    BEGIN {_ADD_SET.format(who="NEW.annotator_id", status="NEW.status")}; END""",
    f"""CREATE TRIGGER tally_sets_delete AFTER DELETE ON annotation_sets
    BEGIN {_REMOVE_SET.format(who="OLD.annotator_id", status="OLD.status")}; END""",
    f"""CREATE TRIGGER tally_sets_update AFTER UPDATE OF annotator_id, status ON annotation_sets
    BEGIN {_REMOVE_SET.format(who="OLD.annotator_id", status="OLD.status")};
    {_ADD_SET.format(who="NEW.annotator_id", status="NEW.status")}; END""",
)
SQLITE_NAMES = (
    "tally_documents_insert", "tally_documents_delete", "tally_sets_insert", "tally_sets_delete",
    "tally_sets_update",
)  # fmt: skip

POSTGRESQL = (
    """CREATE FUNCTION tawsim_tally_documents() RETURNS trigger AS $$
    BEGIN
      UPDATE tallies SET n = n + (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
        WHERE name = 'documents';
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION tawsim_tally_sets() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_REMOVE_SET.format(who="OLD.annotator_id", status="OLD.status")};
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {_ADD_SET.format(who="NEW.annotator_id", status="NEW.status")};
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER tally_documents AFTER INSERT OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION tawsim_tally_documents()""",
    """CREATE TRIGGER tally_sets AFTER INSERT OR DELETE OR UPDATE OF annotator_id, status
    ON annotation_sets FOR EACH ROW EXECUTE FUNCTION tawsim_tally_sets()""",
)


def upgrade() -> None:
    op.create_table(
        "tallies",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "set_tallies",
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("annotator_id", "status", name="pk_set_tallies"),
    )
    op.execute("INSERT INTO tallies (name, n) SELECT 'documents', count(*) FROM documents")
    op.execute(
        "INSERT INTO set_tallies (annotator_id, status, n) "
        "SELECT annotator_id, status, count(*) FROM annotation_sets GROUP BY annotator_id, status"
    )
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS tally_documents ON documents")
        op.execute("DROP TRIGGER IF EXISTS tally_sets ON annotation_sets")
        op.execute("DROP FUNCTION IF EXISTS tawsim_tally_documents()")
        op.execute("DROP FUNCTION IF EXISTS tawsim_tally_sets()")
    op.drop_table("set_tallies")
    op.drop_table("tallies")
