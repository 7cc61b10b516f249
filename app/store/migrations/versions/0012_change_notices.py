"""PostgreSQL tells listening windows that sets or documents changed (LISTEN/NOTIFY)

A reviewer's queue refreshes the moment an annotator on another machine hands work in:
statement-level triggers send ``NOTIFY tawsim_changes`` (no payload: a listener learns that
something changed, not what, so an annotator's connection learns nothing of others' work) and
:class:`app.store.change_feed.ChangeFeed` listens. SQLite has no server to push: its windows
compare the kept counts now and then (``Tawsim.change_token``); nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None
NEEDS_BACKUP = False
"""Read by :func:`app.store.database.migrate`: triggers on a server, no data touched."""

CHANNEL = "tawsim_changes"  # app.store.change_feed.CHANNEL

UPGRADE = (
    f"""CREATE FUNCTION tawsim_notify_change() RETURNS trigger AS $$
    BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER notify_sets AFTER INSERT OR DELETE OR UPDATE OF status, version
    ON annotation_sets FOR EACH STATEMENT EXECUTE FUNCTION tawsim_notify_change()""",
    """CREATE TRIGGER notify_documents AFTER INSERT OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION tawsim_notify_change()""",
)
DOWNGRADE = (
    "DROP TRIGGER notify_documents ON documents",
    "DROP TRIGGER notify_sets ON annotation_sets",
    "DROP FUNCTION tawsim_notify_change()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
