"""documents_fts: an FTS5 trigram index over documents.search_key (SQLite)

Substring search over the Arabic matching key, so `الاوروبي` finds `الأوروبيّ` and `الاتحاد`
finds `بالاتحاد`. Other databases search with LIKE/instr instead.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
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


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS documents_fts")
