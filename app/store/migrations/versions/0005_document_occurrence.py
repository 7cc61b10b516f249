"""documents.occurrence and documents.text_hash: a corpus may hold the same sentence twice

A CoNLL corpus is a list of sentences, and a sentence such as a lone ``.`` may occur many
times; each occurrence is a document of its own (so the corpus round-trips sentence for
sentence). ``content_hash`` stays the unique key of a document: the SHA-256 of its text for the
first occurrence (as before), of the text and its occurrence number for later ones.
``text_hash`` is the SHA-256 of the text alone, for keeping identical texts in one training
split. Both columns are added without rebuilding the table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.add_column(
            sa.Column("occurrence", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True))
    op.execute("UPDATE documents SET text_hash = content_hash")


def downgrade() -> None:
    # Not batch mode: recreating ``documents`` would drop the search index triggers (0003).
    op.execute("ALTER TABLE documents DROP COLUMN text_hash")
    op.execute("ALTER TABLE documents DROP COLUMN occurrence")
