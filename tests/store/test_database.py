"""Opening, migrating and backing up databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.core.errors import DatabaseError
from app.store.core import Tawsim
from app.store.database import (
    Database,
    alembic_config,
    create_db_engine,
    current_revision,
    head_revision,
    migrate,
    resolve_url,
)
from app.store.ingest import content_hash
from tests.conftest import BACKENDS


def test_default_location_is_the_user_data_folder(tmp_path: Path) -> None:
    url = resolve_url(None)
    assert url == f"sqlite:///{tmp_path / 'home' / 'data' / 'tawsim' / 'tawsim.db'}"


def test_env_and_argument_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TAWSIM_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).endswith("/env.db")
    assert resolve_url(tmp_path / "arg.db").endswith("/arg.db")
    assert resolve_url("postgresql://u@localhost/tawsim") == "postgresql://u@localhost/tawsim"


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(sqlite_db: Database) -> None:
    db = sqlite_db
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_new_database_is_at_head(tmp_path: Path) -> None:
    with Database.open(tmp_path / "new.db") as db:
        assert db.migration is not None and db.migration.created
        assert current_revision(db.engine) == head_revision()
    assert sqlite3.connect(tmp_path / "new.db").execute("PRAGMA page_size").fetchone() == (16384,)


def test_older_database_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_db_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (uuid, content_hash, title, source, text, meta, created_at) "
                "VALUES ('00000000-0000-4000-8000-000000000001', :h, 't', 's', :t, '{}', "
                "'2026-01-01')"
            ),
            {"h": content_hash("الأوروبيّ"), "t": "الأوروبيّ"},
        )
    engine.dispose()

    with Database.open(path) as db:
        report = db.migration
        assert report is not None and report.upgraded and report.from_revision == "0001"
        assert report.backup is not None and report.backup.exists()
        with db.engine.connect() as conn:
            pending = conn.execute(text("SELECT count(*) FROM search_pending")).scalar()
        assert pending == 1  # the upgraded documents wait for the word index
        core = Tawsim(db)
        assert core.build_search_index() == 1
        assert core.count(core.query(search="الاوروبي")) == 1

    backup = sqlite3.connect(report.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    backup.close()

    with Database.open(path) as again:  # already at head: no second backup
        assert again.migration is not None and again.migration.backup is None


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="not a Tawsim database"):
        Database.open(path)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Database.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="newer than this Tawsim"):
        Database.open(path)


def test_steps_that_cannot_lose_data_make_no_backup(tmp_path: Path) -> None:
    """0008 → 0012 changes PostgreSQL, adds an empty table and a column with a default: a
    large SQLite file is not copied for that; 0013, which rebuilds two tables, is."""
    path = tmp_path / "old.db"
    engine = create_db_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0008")
    report = migrate(engine, "0012")
    assert report.upgraded and report.backup is None
    assert not list(tmp_path.glob("old.db.backup-*"))
    report = migrate(engine, "0013")
    engine.dispose()
    assert report.backup is not None and report.backup.name.startswith("old.db.backup-0012")


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    """Every migration, both ways, on each database (PostgreSQL's branches included)."""
    with Database.open(db_url) as db:
        command.downgrade(alembic_config(db.engine), "base")
        assert current_revision(db.engine) is None
        command.upgrade(alembic_config(db.engine), "head")
        assert current_revision(db.engine) == head_revision()


def test_the_head_revision_named_in_code_is_the_newest_migration() -> None:
    from app.store.database import HEAD_REVISION

    assert head_revision() == HEAD_REVISION  # bump HEAD_REVISION with each new migration


def test_listing_document_ids_reads_the_id_index_not_the_articles(sqlite_db: Database) -> None:
    """The list's keyset query is served by ix_documents_order (migration 0008) alone: on
    SQLite the documents table's own b-tree would read every article's text to list ids."""
    db = sqlite_db
    from sqlalchemy import event

    from app.store.core import Tawsim

    core = Tawsim(db, "admin")
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        core.page_ids(core.query(), 1, 10)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = next(s for s in reversed(seen) if "LIMIT" in s[0])
    with db.engine.connect() as connection:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    assert any("COVERING INDEX ix_documents_order" in row[-1] for row in plan), plan


OPEN_AND_REPORT = """
import json, sys
from app.store.database import Database
with Database.open(sys.argv[1]) as db:
    r = db.migration
    print(json.dumps([r.from_revision, r.to_revision, str(r.backup) if r.backup else None]))
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_processes_opening_an_old_database_migrate_it_once(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import REPO

    if backend == "sqlite":
        url = str(tmp_path / "old.db")
        engine = create_db_engine(f"sqlite:///{url}")
    else:
        server = request.getfixturevalue("postgres")
        name = f"old_{tmp_path.name[-20:].lower().replace('-', '_')}"
        server.execute(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
        url = server.url(name)
        engine = create_db_engine(url)
    command.upgrade(alembic_config(engine), "0002")
    engine.dispose()
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_REPORT, url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    reports = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        reports.append(json.loads(out))
    head = head_revision()
    assert sorted(r[:2] for r in reports) == [["0002", head], [head, head], [head, head]]
    backups = [r[2] for r in reports if r[2]]
    assert len(backups) == (1 if backend == "sqlite" else 0)
    if backend == "sqlite":
        assert len(list(tmp_path.glob("old.db.backup-*"))) == 1
