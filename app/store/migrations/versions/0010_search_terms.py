"""search_terms: every word of the SQLite search index, once (SQLite only)

A search's last word is a prefix (the list narrows while it is typed). SQLite's FTS5 answers
``"word" *`` by merging the lists of every word with that prefix before it returns anything:
60-90 ms for a common prefix in a million articles, most of a search's time. With the index's
words listed here, the prefix becomes the exact words it completes to, which FTS5 reads
lazily (1-2 ms for the first page). The words rules change with it (version 2 of
:mod:`app.core.arabic.search_words`), so the next index build re-indexes every document and
fills this table as it goes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None
NEEDS_BACKUP = False
"""Read by :func:`app.store.database.migrate`: adding an empty table cannot lose anything, so
no backup copy of a SQLite file is made for this step."""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_terms")
