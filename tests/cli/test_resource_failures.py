"""Running out of memory or disk gives a clear message, exit 1, no traceback, and leaves
nothing half-written (the failures are simulated where they would arise)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from app.cli.main import main
from app.core.errors import resource_failure
from app.io.formats import jsonl
from app.store import ingest
from tests.conftest import write_jsonl


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(argv)
    except SystemExit as stopped:
        return int(stopped.code or 0), capsys.readouterr().err
    return 0, capsys.readouterr().err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "t.db"
    source = write_jsonl(tmp_path / "d.jsonl", {"text": "وصل جوزيب بوريل إلى طوكيو"})
    assert run(["--db", str(path), "--user", "admin", "import", str(source)], capsys)[0] == 0
    return path


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (OSError(errno.ENOSPC, "No space left", "out.jsonl"), "no space left on the disk"),
        (MemoryError(), "ran out of memory"),
    ],
)
def test_an_export_that_runs_out_says_so_and_leaves_no_file(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    said: str,
) -> None:
    def fail(self: object, record: object) -> None:
        raise failure

    monkeypatch.setattr(jsonl.NativeWriter, "write", fail)
    monkeypatch.setattr(jsonl.NativeWriter, "write_lines", fail)  # the lines SQLite rendered
    out = tmp_path / "out.jsonl"
    code, err = run(
        ["--db", str(db), "--user", "admin", "export", "--include", "all", str(out)], capsys
    )
    assert code == 1 and said in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("out", ".out"))] == []


def test_a_full_disk_during_an_import_says_so_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(ingest, "insert_rows", full)
    source = write_jsonl(tmp_path / "more.jsonl", {"text": "نص آخر", "spans": []})
    code, err = run(["--db", str(db), "--user", "admin", "import", str(source)], capsys)
    assert code == 1 and "the disk is full" in err and "Traceback" not in err
    import json

    main(["--db", str(db), "stats", "--json"])
    assert json.loads(capsys.readouterr().out)["documents"] == 1  # the import left nothing


def test_a_bug_is_not_disguised_as_a_resource_failure() -> None:
    assert resource_failure(ValueError("bug")) is None
    assert resource_failure(KeyError("x")) is None


def test_an_import_into_a_database_another_program_holds_says_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from app.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    source = write_jsonl(tmp_path / "more.jsonl", {"text": "نص آخر"})
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, err = run(["--db", str(db), "--user", "admin", "import", str(source)], capsys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1 and "the database is busy" in err and "Traceback" not in err
    assert run(["--db", str(db), "--user", "admin", "import", str(source)], capsys)[0] == 0
