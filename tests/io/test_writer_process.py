"""The spaCy files of a large training export written by a second process
(app.io.writer_process): the same bytes as written here, its failures said as if they were
this process's own, nothing left running or half-written."""

from __future__ import annotations

import errno
import io
import pickle
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import Cancelled, InputError
from app.io import writer_process
from app.io.registry import WriteOptions
from app.io.training.dataset_export import export_dataset
from app.io.writer_process import WriterProcess
from app.store.core import Tawsim
from app.store.database import Database
from tests.io.test_dataset_export import RATIOS, _files, _no_leftovers, gold_db  # noqa: F401

pytest.importorskip("spacy")


@pytest.fixture
def elsewhere(monkeypatch: pytest.MonkeyPatch) -> list[WriterProcess]:
    """Every training export of the test writes its spaCy files in a second process; the
    processes started are listed."""
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


def running(process: WriterProcess) -> bool:
    return process.running


def started() -> WriterProcess:
    process = WriterProcess.start()
    assert process is not None
    return process


def test_the_second_process_writes_the_same_files(
    gold_db: Database,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    elsewhere: list[WriterProcess],
) -> None:
    two = export_dataset(Tawsim(gold_db), tmp_path / "two", ratios=RATIOS, seed=3)
    [process] = elsewhere
    assert not running(process)
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", str(10**9))
    one = export_dataset(Tawsim(gold_db), tmp_path / "one", ratios=RATIOS, seed=3)
    assert len(elsewhere) == 1  # the second export wrote everything here
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert [r.path.replace("/two/", "/") for r in two.results] == [
        r.path.replace("/one/", "/") for r in one.results
    ]
    assert [(r.records, r.spans_in, r.spans, r.warnings) for r in two.results] == [
        (r.records, r.spans_in, r.spans, r.warnings) for r in one.results
    ]
    assert any(r.path.endswith(".spacy") and r.records for r in two.results)


def test_a_cancelled_export_ends_the_second_process_and_leaves_nothing(
    gold_db: Database,  # noqa: F811
    tmp_path: Path,
    elsewhere: list[WriterProcess],
) -> None:
    def cancel(done: int) -> None:
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_dataset(Tawsim(gold_db), tmp_path / "d", ratios=RATIOS, seed=3, progress=cancel)
    [process] = elsewhere
    assert not running(process)
    assert not (tmp_path / "d").exists() and _no_leftovers(tmp_path)


def test_a_writer_the_second_process_refuses_is_refused_here(tmp_path: Path) -> None:
    process = started()
    with pytest.raises(InputError, match="give a file name in an existing folder"):
        process.open("spacy", tmp_path / "no" / "such" / "x.spacy", WriteOptions())
    assert not running(process)


def test_a_second_process_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    process = started()
    writer = process.open("spacy", tmp_path / "x.spacy", WriteOptions())
    process._process.kill()
    process._process.wait()
    with pytest.raises(OSError, match="ended unexpectedly"):
        writer.close()
    assert not (tmp_path / "x.spacy").exists()


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


def test_the_second_process_stops_at_the_end_of_its_input_without_finishing_a_file(
    tmp_path: Path,
) -> None:
    """A parent killed mid-export: the second process meets the end of its input, and the
    files it was writing are not finished (the staging folder is discarded later)."""
    given = io.BytesIO()
    messages: list[tuple[Any, ...]] = [
        ("open", 0, "spacy", str(tmp_path / "x.spacy"), WriteOptions()),
    ]
    for message in messages:
        pickle.dump(message, given)
    given.seek(0)
    answer = io.BytesIO()
    assert writer_process.serve(given, answer) == 0
    answer.seek(0)
    assert pickle.load(answer) == ("done", None)
    assert not (tmp_path / "x.spacy").exists()


def test_no_second_process_to_be_had_writes_everything_here(
    gold_db: Database,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.io import writer_process as module

    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0")
    monkeypatch.setattr(module, "start", lambda name: None)  # no process can be started
    report = export_dataset(Tawsim(gold_db), tmp_path / "d", ratios=RATIOS, seed=3)
    assert any(r.path.endswith(".spacy") and r.records for r in report.results)
