"""ix_documents_order: document ids in order, without their text (SQLite)

A document list pages through ids in id order (``WHERE id > ? ORDER BY id LIMIT ?``). On
SQLite the documents table is itself the b-tree of ids, but each of its leaves holds a few
whole articles, so listing every id read every page of text: 200 ms at 100k documents, seconds
at a million. This index holds the ids alone (about 12 bytes a document) and serves such
queries as a covering index: 100k ids in 23 ms. PostgreSQL's primary key index already does.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE INDEX IF NOT EXISTS ix_documents_order ON documents (id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_documents_order")
