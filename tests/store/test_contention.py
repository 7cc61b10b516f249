"""A writer that meets a busy database waits briefly, retries what PostgreSQL says to retry,
and otherwise says clearly what is busy: never a traceback, never half a change."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from app.core.commands import AddSpan
from app.core.domain import EntitySpan, Role
from app.core.errors import DatabaseBusy
from app.core.records import DocumentData, Record
from app.store import core as core_module
from app.store import database
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, first_document

TEXT = "وصل جوزيب بوريل إلى طوكيو"


def one_article(db: Database) -> tuple[Tawsim, Tawsim, int]:
    """An admin, the annotator amal, and the one article she works on."""
    admin = as_user(db, "admin", Role.ADMIN)
    admin.ingest([Record(DocumentData(TEXT))])
    amal = as_user(db, "amal", Role.ANNOTATOR)
    return admin, amal, first_document(amal)


def add_span(core: Tawsim, doc: int) -> None:
    core.perform(AddSpan(doc, EntitySpan(4, 15, "PER"), str(uuid.uuid4())))


def test_a_locked_sqlite_database_is_reported_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "busy.db"
    with Database.open(path) as db:
        admin, amal, doc = one_article(db)
        other = sqlite3.connect(path, isolation_level=None)  # another program, writing
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseBusy, match=r"the database is busy.*Nothing was changed"):
                add_span(amal, doc)
            with pytest.raises(DatabaseBusy):
                admin.ingest([Record(DocumentData("نص آخر"))])
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert amal.document(doc).spans == ()
        add_span(amal, doc)  # free again: the same change goes through
        assert len(amal.document(doc).spans) == 1
        assert admin.stats()["documents"] == 1


class _Orig(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(f"could not serialize access ({sqlstate})")
        self.sqlstate = sqlstate


def test_a_write_postgresql_rolls_back_as_a_conflict_is_run_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _admin, amal, doc = one_article(db)
    real = Tawsim._perform
    failures = iter(["40001", "40P01"])  # a serialization failure, then a deadlock

    def flaky(self: Tawsim, session, actor, command):  # type: ignore[no-untyped-def]
        result = real(self, session, actor, command)
        state = next(failures, None)
        if state is not None:  # after the work: the transaction must be rolled back
            raise OperationalError("UPDATE", {}, _Orig(state))
        return result

    monkeypatch.setattr(Tawsim, "_perform", flaky)
    monkeypatch.setattr(core_module.time, "sleep", lambda _s: None)
    add_span(amal, doc)
    assert len(amal.document(doc).spans) == 1  # once, not three times


def test_a_write_that_keeps_failing_is_reported(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _admin, amal, doc = one_article(db)
    calls = []

    def deadlocked(self: Tawsim, session, actor, command):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise OperationalError("UPDATE", {}, _Orig("40P01"))

    monkeypatch.setattr(Tawsim, "_perform", deadlocked)
    monkeypatch.setattr(core_module.time, "sleep", lambda _s: None)
    with pytest.raises(DatabaseBusy, match="the database is busy"):
        add_span(amal, doc)
    assert len(calls) == core_module.WRITE_ATTEMPTS


def test_a_change_made_on_a_stale_view_is_refused(db: Database) -> None:
    """amal has the document open in two windows: what one did is not silently overwritten
    by the other, whose view no longer shows the set as it is."""
    from app.core.commands import SetStance
    from app.core.domain import StanceJudgement
    from app.core.errors import StaleEdit

    _admin, amal, doc = one_article(db)
    window_a, window_b = amal.document(doc), amal.document(doc)
    assert window_a.version == window_b.version == 0  # no set yet
    amal.perform(
        SetStance(doc, StanceJudgement("طوكيو", "FAVOR"), str(uuid.uuid4())), seen=window_b.version
    )
    with pytest.raises(StaleEdit, match="changed in another window or on another machine"):
        amal.perform(
            SetStance(doc, StanceJudgement("طوكيو", "AGAINST"), str(uuid.uuid4())),
            seen=window_a.version,
        )
    now = amal.document(doc)
    assert [s.judgement.value for s in now.stances] == ["FAVOR"]  # B's stance, not overwritten
    assert now.version > 0
    amal.perform(  # on the reloaded view, the change goes through
        SetStance(doc, StanceJudgement("طوكيو", "AGAINST"), str(uuid.uuid4())), seen=now.version
    )
    after = amal.document(doc)
    assert [s.judgement.value for s in after.stances] == ["AGAINST"] and after.version > now.version
    amal.submit(doc)
    assert amal.document(doc).version > after.version  # a status change counts too


def test_two_imports_of_one_file_at_once_store_it_once(db_url: str, tmp_path: Path) -> None:
    """One adds the documents; the other, refused by the database mid-way, reads the file
    again and reports them already present. No traceback, no error, nothing twice."""
    import json
    import subprocess
    import sys

    from tests.conftest import REPO

    src = tmp_path / "news.jsonl"
    with src.open("w", encoding="utf-8") as out:
        for n in range(2000):
            out.write(json.dumps({"text": f"خبر رقم {n} عن طوكيو " * 5}, ensure_ascii=False))
            out.write("\n")
    command = [sys.executable, "-m", "app", "--db", db_url, "--user", "admin", "import", str(src)]
    runs = [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    said = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0 and "Traceback" not in err, err
        said.append(out)
    assert sum("2000 document(s) added, 0 already present" in s for s in said) == 1
    assert sum("0 document(s) added, 2000 already present" in s for s in said) == 1
    with Database.open(db_url) as db:
        assert Tawsim(db).stats()["documents"] == 2000


def test_the_change_feed_hears_of_work_done_on_another_connection(db: Database) -> None:
    """PostgreSQL pushes a notice (LISTEN/NOTIFY); SQLite's kept counts are compared."""
    _admin, amal, doc = one_article(db)
    feed = Tawsim(db, "admin").change_feed()
    try:
        assert not feed.changed()
        with Database.open(db.url) as elsewhere:
            other = Tawsim(elsewhere, "amal")
            add_span(other, doc)
            other.submit(doc)
        deadline = time.monotonic() + 5
        while not feed.changed():
            assert time.monotonic() < deadline, "the submission was never heard of"
            time.sleep(0.02)
        assert not feed.changed()  # heard once
    finally:
        feed.close()
    assert amal.sets(doc)[0].status.value == "submitted"
