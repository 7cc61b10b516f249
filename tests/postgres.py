"""A throwaway PostgreSQL server for the tests: a cluster in a temporary folder, on loopback.

``TAWSIM_TEST_PG`` may name an existing server instead (a superuser's URL without a database,
``postgresql+psycopg://postgres:secret@127.0.0.1:5432/``). Otherwise the server's own programs
(Debian's ``postgresql`` package: ``/usr/lib/postgresql/N/bin``) start one for the test session
and remove it afterwards. Run as root, the cluster belongs to the ``postgres`` account (initdb
refuses root). Clients authenticate with passwords (SCRAM) over TCP, as a team's would.

Each test gets a database of its own, copied from a migrated template (a few tens of ms).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEMPLATE = "tawsim_template"


def server_programs() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (the newest installed), or None."""
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A server the tests may create and drop databases on, as its superuser."""

    admin_url: str  # no database part
    folder: Path | None = None  # a throwaway cluster's (None: a server given from outside)
    _programs: Path | None = None
    _run_as: list[str] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def start(cls) -> PostgresServer:
        given = os.environ.get("TAWSIM_TEST_PG")
        if given:
            return cls(given.rstrip("/") + "/")
        programs = server_programs()
        if programs is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        folder = Path(tempfile.mkdtemp(prefix="tawsim-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        password = secrets.token_urlsafe(16)
        (folder / "pw").write_text(password + "\n")
        if run_as:
            os.chown(folder / "pw", owner.pw_uid, owner.pw_gid)
        port = _free_port()
        server = cls(
            f"postgresql+psycopg://postgres:{password}@127.0.0.1:{port}/",
            folder,
            programs,
            run_as,
        )
        server._run(
            "initdb", "-D", str(folder / "data"), "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
            f"--pwfile={folder / 'pw'}",
        )  # fmt: skip
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        server._run(
            "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "log"), "-w", "-o", options,
            "start",
        )  # fmt: skip
        return server

    def _run(self, program: str, *args: str) -> None:
        assert self._programs is not None
        done = subprocess.run(
            [*self._run_as, str(self._programs / program), *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}")

    def url(self, database: str) -> str:
        return self.admin_url + database

    def execute(self, *statements: str) -> None:
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for statement in statements:
                    conn.execute(text(statement))
        finally:
            engine.dispose()

    def make_template(self) -> None:
        """A migrated, empty Tawsim database to copy for each test."""
        from app.store.database import Database

        self.execute(
            f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}"
        )
        Database.open(self.url(TEMPLATE)).close()

    def new_database(self) -> str:
        """A fresh, migrated Tawsim database's URL."""
        name = f"tawsim_{os.getpid()}_{next(self._numbers)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def drop(self, url: str) -> None:
        database = make_url(url).database
        self.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
