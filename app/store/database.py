"""Opening a Tawsim database: URL resolution, SQLite pragmas, migrations with a backup first."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core import json_text
from app.core.errors import DatabaseError, PasswordRefused

if TYPE_CHECKING:
    from alembic.config import Config

    from app.store.team import Team

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
PAGE_SIZE = 16384


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir("tawsim", appauthor=False)) / "tawsim.db"


def resolve_url(path_or_url: str | os.PathLike[str] | None = None) -> str:
    """``--db`` wins, then ``TAWSIM_DB``, then the file in the user data directory."""
    value = os.fspath(path_or_url) if path_or_url else os.environ.get("TAWSIM_DB", "")
    if not value:
        value = os.fspath(default_database_path())
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError:
            raise DatabaseError(f"not a database URL: {value}") from None
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` for its login (kept in memory only: the GUI's prompt)."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def login_of(url: str) -> str:
    """``login@host`` of a server URL, for a password prompt."""
    parsed = make_url(url)
    return f"{parsed.username or ''}@{parsed.host or 'localhost'}"


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    # Takes effect only on a new, empty file: a news article (~4 KB) fills a 4 KB page and
    # spills onto another; 16 KB pages hold several and waste less (measured: 10% smaller).
    cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    path = _sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create folder for database {path}: {exc}") from None
    try:
        engine = create_engine(
            url, json_serializer=json_text.dumps, json_deserializer=json_text.loads
        )
    except ImportError as exc:
        raise DatabaseError(
            f"no database driver for {make_url(url).get_backend_name()} ({exc.name}); "
            "install it into Tawsim's environment"
        ) from None
    except ArgumentError as exc:
        raise DatabaseError(f"not a usable database URL: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


HEAD_REVISION = "0013"
"""The newest migration (checked against the migrations folder by the tests): a database at
this revision opens without loading Alembic at all."""


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest migration, read from the migrations folder."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision (None: a new database), read without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a SQLite database (WAL included) with the online backup API."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.backup-{label}-{stamp}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


@dataclass(slots=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None = None
    notes: list[str] = field(default_factory=list)  # repairs the upgrade made, for the user

    @property
    def created(self) -> bool:
        return self.from_revision is None

    @property
    def upgraded(self) -> bool:
        return self.from_revision is not None and self.from_revision != self.to_revision


def migrate(engine: Engine, target: str = "head") -> MigrationReport:
    """Bring the database to ``target``, writing a backup copy before upgrading an older file."""
    current = None
    try:
        current = current_revision(engine)
        if current is None and inspect(engine).get_table_names():
            tables = set(inspect(engine).get_table_names())
            if "documents" not in tables:
                raise DatabaseError(
                    f"{engine.url.render_as_string(hide_password=True)} is not a Tawsim "
                    f"database (it has other tables: {', '.join(sorted(tables)[:5])})"
                )
        if target == "head" and current == HEAD_REVISION:
            return MigrationReport(current, current)  # the usual case: Alembic is not needed
        with migration_lock(engine):
            # Another process may have migrated it while this one waited for the lock.
            report = _upgrade(engine, current_revision(engine), target)
            if report.upgraded:
                _renew_team_policies(engine)
            return report
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            raise DatabaseError(
                f"this database is at revision {current} and this Tawsim needs "
                f"{HEAD_REVISION}; only its owner can upgrade it: ask them to run "
                "`tawsim init` once with this version"
            ) from None
        if isinstance(exc, OperationalError):
            refused = PasswordRefused if needs_password(exc) else DatabaseError
            raise refused(f"cannot open database {engine.url}: {exc.orig}") from None
        raise DatabaseError(f"database error: {exc}") from None
    except SQLAlchemyError as exc:
        raise DatabaseError(f"database error: {exc}") from None


def needs_password(exc: DBAPIError) -> bool:
    """Whether the server refused the connection for want of the right password."""
    said = str(exc.orig)
    return getattr(exc.orig, "sqlstate", None) == "28P01" or any(
        words in said for words in ("no password supplied", "password authentication failed")
    )


def _renew_team_policies(engine: Engine) -> None:
    """After an upgrade of a team database (by its owner), the team's grants and policies
    again, so that new tables and columns follow the same rules."""
    team = read_team(engine)
    if team is None:
        return
    from app.store.team import apply_policies

    with engine.begin() as conn:
        apply_policies(conn, team)


MIGRATION_WAIT_S = 600
"""How long a process waits for another one that is migrating the same database."""


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held while a database is migrated, so two processes opening an old database at once
    migrate it once: a lock file beside a SQLite file, an advisory lock on PostgreSQL."""
    path = _sqlite_path(str(engine.url))
    if path is not None:
        from filelock import FileLock, Timeout

        try:
            with FileLock(f"{path}.migration-lock", timeout=MIGRATION_WAIT_S):
                yield
        except Timeout:
            raise DatabaseError(
                f"{path} is being upgraded by another Tawsim for more than "
                f"{MIGRATION_WAIT_S // 60} minutes; try again later"
            ) from None
        except PermissionError as exc:
            raise DatabaseError(f"cannot upgrade {path}: {exc.strerror} ({exc.filename})") from None
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            conn.commit()


MIGRATION_LOCK_KEY = 0x7A5_1A  # PostgreSQL advisory lock id: "tawsim migrating"


def _upgrade(engine: Engine, current: str | None, target: str) -> MigrationReport:
    """Alembic's upgrade from ``current`` to ``target``, with a backup copy of an older file."""
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision() if target == "head" else target
    report = MigrationReport(current, head)
    if current == head:
        return report
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise DatabaseError(
            f"database revision {current} is newer than this Tawsim knows; update Tawsim"
        )
    path = _sqlite_path(str(engine.url))
    # The steps after ``current`` up to ``head`` (Alembic's walk leaves ``current`` out).
    steps = [] if current is None else list(script.iterate_revisions(head, current))
    needs_backup = any(getattr(step.module, "NEEDS_BACKUP", True) for step in steps)
    if current is not None and path is not None and path.exists() and needs_backup:
        report.backup = backup_sqlite(path, current)
    config = alembic_config(engine)
    command.upgrade(config, target)
    report.notes = list(config.attributes.get("notes", []))
    return report


def read_team(engine: Engine) -> Team | None:
    """The team a PostgreSQL database was set up for (``tawsim team init``), seen from this
    connection's login; None for SQLite and for a database without a team."""
    if engine.dialect.name != "postgresql":
        return None
    from app.store.team import TEAM_KEY, Team

    try:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT session_user, (SELECT value FROM settings WHERE key = :k)"),
                {"k": TEAM_KEY},
            ).one()
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot read database {engine.url}: {exc}") from None
    return None if row[1] is None else Team(prefix=row[1], login=row[0])


class ChangeProbe:
    """Whether anything was committed to a SQLite file since the probe was made, by any
    connection of any process (SQLite's ``PRAGMA data_version``, read on a connection of the
    probe's own that never writes).

    Two processes each reading part of one export read it in two transactions: if nothing
    was committed from before the first began until after the second ended, both read the
    same data."""

    def __init__(self, path: Path):
        self._connection = sqlite3.connect(path, check_same_thread=False)
        self._first = self._version()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        return self._version() != self._first

    def close(self) -> None:
        self._connection.close()


class Database:
    """An engine plus a session factory for one Tawsim database, migrated on open."""

    def __init__(self, url: str, *, migrate_on_open: bool = True):
        self.url = url
        self.engine = create_db_engine(url)
        self.migration = migrate(self.engine) if migrate_on_open else None
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.team = read_team(self.engine) if migrate_on_open else None
        """On a team database, who this connection is (the login acts: app.store.team)."""

    @classmethod
    def open(
        cls, path_or_url: str | os.PathLike[str] | None = None, *, create: bool = True
    ) -> Database:
        """The database at ``path_or_url`` (``--db``, ``TAWSIM_DB``, the default file),
        migrated. With ``create=False`` a SQLite file that does not exist is refused instead of
        created: a command that only reads must not answer from an empty database made by a
        typo (``--db typo.bd``)."""
        url = resolve_url(path_or_url)
        path = _sqlite_path(url)
        if not create and path is not None and not path.exists():
            raise DatabaseError(
                f"no Tawsim database at {path}: check --db (or TAWSIM_DB); "
                "`tawsim init` or `tawsim import` creates one"
            )
        return cls(url)

    def session(self) -> Session:
        return self.sessions()

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for a server or an in-memory database)."""
        return _sqlite_path(self.url)

    def change_probe(self) -> ChangeProbe | None:
        """A :class:`ChangeProbe` of a SQLite file (None for other databases)."""
        path = self.path
        return None if path is None else ChangeProbe(path)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
