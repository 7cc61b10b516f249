"""A large training export written by two processes (app.io.writer_process, the second part
of every split in a second process): the same folder as one process writes, from one state
of the data, its failures said as if they were this process's own, nothing left running or
half-written."""

from __future__ import annotations

import errno
import io
import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.core.domain import EntitySpan, SetStatus
from app.core.errors import Cancelled, InputError
from app.core.records import DocumentData, Record, SetData
from app.io import writer_process
from app.io.formats.spacy_docbin import SHARD_DOCS
from app.io.training.dataset_export import export_dataset
from app.io.writer_process import WriterProcess
from app.store.core import Tawsim
from app.store.database import Database
from tests.io.test_dataset_export import RATIOS, _files, _no_leftovers, gold_db  # noqa: F401

pytest.importorskip("spacy")

SPLITS = {"train": 0.8, "dev": 0.1, "test": 0.1}


@pytest.fixture
def elsewhere(monkeypatch: pytest.MonkeyPatch) -> list[WriterProcess]:
    """Every training export of the test writes in two processes; the processes started are
    listed."""
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0")
    started: list[WriterProcess] = []
    start = WriterProcess.start

    def watched() -> WriterProcess | None:
        process = start()
        if process is not None:
            started.append(process)
        return process

    monkeypatch.setattr(WriterProcess, "start", watched)
    return started


@pytest.fixture
def news_db(sqlite_db: Database) -> Database:
    """More documents than two spaCy files of the train split hold, a few with nested spans
    and a few with a stance."""
    records = []
    for i in range(3 * SHARD_DOCS):
        text = f"خبر {i}: قال وزير الخارجية إن الاتحاد الأوروبي سيجتمع في بروكسل."
        spans = [EntitySpan(7, 20, "PER"), EntitySpan(25, 40, "ORG")]
        if i % 50 == 0:
            spans.append(EntitySpan(33, 40, "LOC"))  # nested: written record by record
        records.append(
            Record(DocumentData(text), SetData("amal", SetStatus.APPROVED, tuple(spans)))
        )
    Tawsim(sqlite_db, "admin").ingest(records)
    return sqlite_db


def one_process(
    core: Tawsim, out: Path, monkeypatch: pytest.MonkeyPatch, ratios: dict[str, float]
) -> Any:
    with monkeypatch.context() as m:
        m.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", str(10**9))
        return export_dataset(core, out, ratios=ratios, seed=3)


def same_reports(a: Any, b: Any) -> None:
    assert [Path(r.path).name for r in a.results] == [Path(r.path).name for r in b.results]
    assert [(r.records, r.spans_in, r.spans, r.warnings) for r in a.results] == [
        (r.records, r.spans_in, r.spans, r.warnings) for r in b.results
    ]


def written_twice(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ratios: dict[str, float]
) -> tuple[Any, Any]:
    """The training set by two processes (the test's ``elsewhere``), then by one."""
    two = export_dataset(Tawsim(db), tmp_path / "two", ratios=ratios, seed=3)
    one = one_process(Tawsim(db), tmp_path / "one", monkeypatch, ratios)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    same_reports(two, one)
    card = lambda p: (p / "README.md").read_text(encoding="utf-8").split("\n", 3)[3]  # noqa: E731
    assert card(tmp_path / "two") == card(tmp_path / "one")  # but the minute it was made
    assert _no_leftovers(tmp_path)
    return two, one


def test_two_processes_write_the_folder_one_writes(
    news_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    elsewhere: list[WriterProcess],
) -> None:
    written_twice(news_db, tmp_path, monkeypatch, SPLITS)
    [process] = elsewhere  # the second export was written here alone
    assert not process.running
    # spaCy files of both processes in one folder, in order
    assert len(list((tmp_path / "two" / "train.spacy").iterdir())) == 3


def test_two_processes_write_nested_spans_token_files_and_small_splits_as_one(
    gold_db: Database,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    elsewhere: list[WriterProcess],
) -> None:
    if gold_db.path is None:
        pytest.skip("two processes read one SQLite file (a server: one process)")
    written_twice(gold_db, tmp_path, monkeypatch, RATIOS)
    assert len(elsewhere) == 1


def test_data_changed_meanwhile_is_written_again_in_one_process(
    news_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    elsewhere: list[WriterProcess],
) -> None:
    calls = [0]

    def progress(_done: int) -> None:
        calls[0] += 1
        if calls[0] == 1:  # while both parts are written: a comment changed elsewhere
            con = sqlite3.connect(news_db.path or "")
            with con:
                con.execute("UPDATE annotation_sets SET comment = 'غيّرته المراجعة' WHERE id = 1")
            con.close()

    report = export_dataset(
        Tawsim(news_db), tmp_path / "d", ratios=SPLITS, seed=3, progress=progress
    )
    assert len(elsewhere) == 1
    one = one_process(Tawsim(news_db), tmp_path / "one", monkeypatch, SPLITS)
    assert _files(tmp_path / "d") == _files(tmp_path / "one")
    assert "غيّرته المراجعة".encode() in b"".join(_files(tmp_path / "d").values())
    same_reports(report, one)
    assert _no_leftovers(tmp_path)


def test_a_cancelled_export_ends_the_second_process_and_leaves_nothing(
    news_db: Database, tmp_path: Path, elsewhere: list[WriterProcess]
) -> None:
    def cancel(done: int) -> None:
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_dataset(Tawsim(news_db), tmp_path / "d", ratios=SPLITS, seed=3, progress=cancel)
    [process] = elsewhere
    assert not process.running
    assert not (tmp_path / "d").exists() and _no_leftovers(tmp_path)


def test_what_fails_in_the_second_process_fails_here(db_path: Path, tmp_path: Path) -> None:
    process = WriterProcess.start()
    assert process is not None
    nowhere = tmp_path / "no" / "such" / "part"
    url = f"sqlite:///{db_path}"
    process.call(
        "app.io.writer_process:render_lines", url, "admin", "all", None, (None, None), str(nowhere)
    )
    with pytest.raises(OSError) as failed:
        process.result()
    assert failed.value.errno == errno.ENOENT and failed.value.filename == str(nowhere)
    assert not process.running


def test_a_second_process_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    process = WriterProcess.start()
    assert process is not None
    process._process.kill()
    process._process.wait()
    with pytest.raises(OSError, match="ended unexpectedly"):
        process.call("app.io.writer_process:render_lines", "x", "a", "all", None, (None, None), "y")
        process.result()


@pytest.mark.parametrize(
    ("exc", "rebuilt"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "train.spacy"), OSError),
        (MemoryError(), MemoryError),
        (InputError("a bad record", path="f.jsonl", line=3), InputError),
        (ValueError("a bug"), RuntimeError),
    ],
)
def test_what_fails_in_the_second_process_is_raised_here_as_it_was(
    exc: BaseException, rebuilt: type[BaseException]
) -> None:
    """What the CLI and the GUI say of a full disk or memory (tests/cli/test_resource_failures)
    depends on the exception's type and errno: both cross the pipe."""
    again = writer_process._rebuilt(pickle.loads(pickle.dumps(writer_process._what(exc))))
    assert type(again) is rebuilt
    if isinstance(exc, OSError):
        assert isinstance(again, OSError) and again.errno == errno.ENOSPC
        assert again.filename == "train.spacy"
    if isinstance(exc, InputError):
        assert str(again) == str(exc)
    if rebuilt is RuntimeError:
        assert "ValueError: a bug" in str(again)


def test_the_second_process_ends_with_its_input() -> None:
    """A parent killed mid-export: the second process meets the end of its input and ends."""
    answer = io.BytesIO()
    assert writer_process.serve(io.BytesIO(), answer) == 0
    assert answer.getvalue() == b""


def test_no_second_process_to_be_had_writes_everything_here(
    news_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.io import writer_process as module

    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0")
    monkeypatch.setattr(module, "start", lambda name: None)  # no process can be started
    report = export_dataset(Tawsim(news_db), tmp_path / "d", ratios=SPLITS, seed=3)
    assert any(r.path.endswith(".spacy") and r.records for r in report.results)
