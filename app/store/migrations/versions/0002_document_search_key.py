"""documents.search_key: the Arabic matching key of each text, for search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.arabic import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    conn = op.get_bind()
    documents = sa.table(
        "documents",
        sa.column("id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("search_key", sa.Text),
    )
    rows = conn.execute(sa.select(documents.c.id, documents.c.text)).all()
    for doc_id, text in rows:
        conn.execute(
            documents.update().where(documents.c.id == doc_id).values(search_key=fold(text))
        )


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_column("search_key")
