"""Shared fixtures. Every folder Tawsim might touch is redirected into the test's tmp_path."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from app.core.domain import EntitySpan, Role, SetStatus, StanceJudgement
from app.core.records import DocumentData, Record, SetData
from app.store.core import Tawsim
from app.store.database import Database
from tests.postgres import PostgresServer

# Property tests draw the same examples on every run (CI must not fail on a draw nobody saw
# locally); TAWSIM_HYPOTHESIS=explore draws new ones (run it before a release, and keep what
# it finds as @example cases).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("TAWSIM_HYPOTHESIS", "ci"))

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("TAWSIM_USER", "tester")
    monkeypatch.delenv("TAWSIM_DB", raising=False)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated database, built once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    Database.open(path).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    path = tmp_path / "tawsim.db"
    shutil.copy(_template_db, path)
    return path


BACKENDS = [b for b in os.environ.get("TAWSIM_TEST_DATABASES", "sqlite").split(",") if b]
"""The databases the ``db`` and ``db_url`` tests run against: ``sqlite`` (the default) and/or
``postgresql`` (``TAWSIM_TEST_DATABASES=sqlite,postgresql``; a throwaway server, see
:mod:`tests.postgres`)."""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session, with a migrated template database."""
    try:
        server = PostgresServer.start()
    except RuntimeError as exc:
        if "postgresql" in BACKENDS:
            raise
        pytest.skip(str(exc))
    try:
        server.make_template()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file's path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(request.getfixturevalue("db_path"))
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def sqlite_db(db_path: Path) -> Iterator[Database]:
    """A SQLite database, for what only SQLite has (pragmas, files, its query planner)."""
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url)
    yield database
    database.close()


def seed_sentences() -> list[str]:
    """The demo articles' sentences (split at . ؟ ! and line ends), for generated corpora."""
    return [
        s.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for s in re.split(r"[.؟!\n]+", path.read_text(encoding="utf-8"))
        if s.strip()
    ]


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data; the test is skipped when it is absent (fresh clones)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def write_jsonl(path: Path, *records: dict) -> Path:
    """Write records as UTF-8 JSON Lines (Arabic kept readable) and return the path."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def as_user(db: Database, name: str, role: Role | None = None) -> Tawsim:
    """The core acting as ``name``. A new name with a ``role`` is added with that role by the
    database's admin (an ``admin`` user is the first user of an empty database)."""
    core = Tawsim(db, name)
    if role is None or core.whois(name).exists:
        return core
    boss = next((u.name for u in core.users() if u.role is Role.ADMIN), None)
    if boss is None:
        if role is Role.ADMIN:
            core.join()
            return core
        boss = Tawsim(db, "admin").join().name
    Tawsim(db, boss).add_user(name, role)
    return core


def stats(db: Database) -> dict:
    return Tawsim(db).stats()


def first_document(core: Tawsim) -> int:
    return core.page_ids(core.query(), None, 1)[0]


def store_set(
    core: Tawsim,
    text: str,
    annotator: str,
    status: SetStatus,
    spans: Iterable[EntitySpan] = (),
    stances: Iterable[StanceJudgement] = (),
    comment: str = "",
    **document: Any,
) -> None:
    """Store a document with one filled set, as an import would (``core`` must be allowed)."""
    data = SetData(annotator, status, tuple(spans), tuple(stances), comment)
    report = core.ingest([Record(DocumentData(text, **document), data)])
    assert not report.conflicts and not report.notices, (report.conflicts, report.notices)


def set_uuid(core: Tawsim, document_id: int, annotator: str) -> str:
    """The id of ``annotator``'s set on the document."""
    return next(s.uuid for s in core.sets(document_id) if s.annotator == annotator)


def decide(db: Database, document_id: int, annotator: str, *, reject: str = "") -> None:
    """A reviewer (rana) approves ``annotator``'s submitted set, or rejects it with a comment."""
    from app.core.commands import Approve, Reject

    rana = as_user(db, "rana", Role.REVIEWER)
    uuid = set_uuid(rana, document_id, annotator)
    rana.perform(Reject(uuid, reject) if reject else Approve(uuid))
