"""annotation_sets.version: every change of a set counts, so a stale edit is refused

A set's version goes up with every label change and every status change (submit, decisions).
A window sends the version it shows with each change (``Tawsim.perform(command, seen=...)``);
when the set has changed since (another window, another machine on the same server), the change
is refused and the window reloads instead of silently writing over what it did not see.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None
NEEDS_BACKUP = False
"""Read by :func:`app.store.database.migrate`: adding a column with a default loses nothing."""


def upgrade() -> None:
    # Not batch mode on SQLite: recreating the table would drop its triggers (0004, 0007).
    op.execute("ALTER TABLE annotation_sets ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def downgrade() -> None:
    op.execute("ALTER TABLE annotation_sets DROP COLUMN version")
