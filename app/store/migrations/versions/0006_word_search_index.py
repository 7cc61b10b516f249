"""A word index for search, built after the rows: document_words and search_pending

The FTS5 trigram index over a stored copy of every text (``documents.search_key``) made the
database four times the size of the text it holds and cost most of an import. It is replaced
by a word index over the folded text with the article split off
(:mod:`app.core.arabic.search_words`), stored without a copy of the text (a contentless FTS5
table in SQLite; a plain table of the words elsewhere), and filled after the documents are
committed: ``search_pending`` lists the documents not indexed yet (here: all of them), and
Tawsim indexes them in batches (``Tawsim.build_search_index``), each in its own transaction,
so a kill at any moment leaves a consistent database whose indexing resumes on the next start.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.arabic import fold
from app.core.arabic.search_words import INDEX_VERSION

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SETTINGS = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
FTS_TRIGGERS = ("insert", "delete", "update")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for trigger in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    # Not batch mode: recreating ``documents`` would drop the span triggers (0004).
    op.execute("ALTER TABLE documents DROP COLUMN search_key")
    if sqlite:
        op.execute(
            "CREATE VIRTUAL TABLE document_words USING fts5("
            "words, content='', tokenize='unicode61 remove_diacritics 0')"
        )
    else:
        op.create_table(
            "document_words",
            sa.Column("document_id", sa.Integer(), primary_key=True),
            sa.Column("words", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        )
    op.create_table(
        "search_pending",
        sa.Column("document_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_search_pending_document_id_documents",
            ondelete="CASCADE",
        ),
    )  # fmt: skip
    op.execute("INSERT INTO search_pending (document_id) SELECT id FROM documents")
    op.execute("DELETE FROM settings WHERE key = 'search_key_version'")
    op.execute(SETTINGS.insert().values(key="search_index_version", value=INDEX_VERSION))


def downgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.drop_table("search_pending")
    if sqlite:
        op.execute("DROP TABLE IF EXISTS document_words")
    else:
        op.drop_table("document_words")
    op.execute("DELETE FROM settings WHERE key = 'search_index_version'")
    op.add_column(
        "documents", sa.Column("search_key", sa.Text(), nullable=False, server_default="")
    )
    documents = sa.table(
        "documents", sa.column("id", sa.Integer), sa.column("text", sa.Text),
        sa.column("search_key", sa.Text),
    )  # fmt: skip
    for doc_id, text in conn.execute(sa.select(documents.c.id, documents.c.text)).all():
        conn.execute(
            documents.update().where(documents.c.id == doc_id).values(search_key=fold(text))
        )
    op.execute(SETTINGS.insert().values(key="search_key_version", value="2"))
    if sqlite:
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "search_key, content='documents', content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, search_key) "
            "VALUES ('delete', old.id, old.search_key); END"
        )
        op.execute(
            "CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_key ON documents BEGIN "
            "INSERT INTO documents_fts(documents_fts, rowid, search_key) "
            "VALUES ('delete', old.id, old.search_key); "
            "INSERT INTO documents_fts(rowid, search_key) VALUES (new.id, new.search_key); END"
        )
        op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
