"""PostgreSQL: a trigram index over the stored words, which are re-indexed (SQLite: nothing)

PostgreSQL keeps each document's search words in ``document_words.words`` and finds them with
``LIKE '% word%'`` (:mod:`app.store.search_index`). Without an index every search read every
row; ``pg_trgm``'s GIN index answers such patterns from the trigrams of their words. The
stored words also change: an underscore now separates words, as it does in SQLite's FTS5 (and
it is a ``LIKE`` wildcard), so every document is listed for indexing again.

``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database's owner may create it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None
NEEDS_BACKUP = False
"""Read by :func:`app.store.database.migrate`: this step leaves a SQLite file as it is, so no
backup copy is made for it."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("DELETE FROM document_words")
    op.execute(
        "INSERT INTO search_pending (document_id) SELECT id FROM documents ON CONFLICT DO NOTHING"
    )
    op.execute(
        "CREATE INDEX ix_document_words_trigrams ON document_words USING gin (words gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_document_words_trigrams")
