"""The search index built with its words made by a second process, one batch ahead
(app.store.word_process), is the index built here alone: the same rows of every table behind
it, whatever another indexer takes meanwhile and whether or not the second process lives."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core import second_process
from app.core.records import DocumentData, Record
from app.store import search_index, word_process
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import seed_sentences

TABLES = ("document_words_data", "document_words_idx", "document_words_docsize", "search_terms")


def corpus(n: int) -> list[Record]:
    sentences = itertools.cycle(s for s in seed_sentences() if len(s) > 20)
    return [
        Record(DocumentData(f"{k} " + " ".join(next(sentences) for _ in range(3))))
        for k in range(n)
    ]


def index_rows(path: Path) -> dict[str, list[Any]]:
    """Every row behind the search index (FTS5's own tables and the word list)."""
    with Database.open(path) as db, db.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in TABLES}


def indexed(path: Path, monkeypatch: pytest.MonkeyPatch, *, second: bool) -> int:
    with monkeypatch.context() as m:
        m.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0" if second else str(10**9))
        with Database.open(path) as db:
            core = Tawsim(db, "admin")
            core.ingest(corpus(60))
            done = core.build_search_index()
            assert core.search_index_pending() == 0
    return done


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Batches of 7 documents; the sizes of the batches the second process made words for."""
    monkeypatch.setattr(search_index, "BATCH", 7)
    asked: list[int] = []
    ask = word_process.WordProcess.ask

    def watched(self: word_process.WordProcess, texts: list[tuple[int, str]]) -> None:
        asked.append(len(texts))
        ask(self, texts)

    monkeypatch.setattr(word_process.WordProcess, "ask", watched)
    return asked


def test_words_made_ahead_build_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches: list[int]
) -> None:
    assert indexed(tmp_path / "two.db", monkeypatch, second=True) == 60
    assert small_batches == [7] * 8 + [4]  # every batch went to the second process
    assert indexed(tmp_path / "one.db", monkeypatch, second=False) == 60
    assert index_rows(tmp_path / "two.db") == index_rows(tmp_path / "one.db")


@pytest.mark.parametrize("how", ["it cannot start", "it ends at once"])
def test_a_second_process_that_fails_leaves_the_words_to_this_one(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches: list[int]
) -> None:
    if how == "it cannot start":
        monkeypatch.setattr(word_process, "start", lambda module: None)
    else:
        monkeypatch.setattr(second_process, "command", lambda module: ["false"])
    assert indexed(tmp_path / "two.db", monkeypatch, second=True) == 60
    assert small_batches  # asked, and answered here
    assert indexed(tmp_path / "one.db", monkeypatch, second=False) == 60
    assert index_rows(tmp_path / "two.db") == index_rows(tmp_path / "one.db")


def test_documents_another_indexer_took_are_left_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_batches: list[int]
) -> None:
    """Another window indexes some documents of a batch between its reading and its storing:
    only the rest are stored, and the word list holds only their words."""
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", "0")
    with Database.open(tmp_path / "t.db") as db:
        core, other = Tawsim(db, "admin"), Tawsim(db, "admin")
        core.ingest(corpus(20))
        store = core._store_words
        stored: list[int] = []

        def meanwhile(ids: list[int], found: word_process.Words) -> int:
            if not stored:  # the other indexer takes the first three of the first batch
                with db.session() as session, session.begin():
                    pending = search_index.upcoming(session, 0, 3)
                    assert search_index.take(session, [i for i, _ in pending])
                    search_index.store_words(session, search_index.words_of(pending))
            n = store(ids, found)
            stored.append(n)
            return n

        monkeypatch.setattr(core, "_store_words", meanwhile)
        assert core.build_search_index() == 17
        assert stored == [4, 7, 6] and other.search_index_pending() == 0
    monkeypatch.setenv("TAWSIM_SECOND_PROCESS_FROM_DOCUMENTS", str(10**9))
    with Database.open(tmp_path / "one.db") as db:
        Tawsim(db, "admin").ingest(corpus(20))
        Tawsim(db, "admin").build_search_index()
    assert (
        index_rows(tmp_path / "t.db")["search_terms"]
        == index_rows(tmp_path / "one.db")["search_terms"]
    )


def test_a_parent_that_stops_listening_ends_the_second_process_quietly() -> None:
    """A Ctrl-C or a cancel closes the pipes while the second process is answering: it ends
    without a traceback of its own (the parent says what happened)."""
    import pickle
    import subprocess
    import sys

    from tests.conftest import REPO

    texts = [(i, "قال الوزير إن الاتفاق " * 2000) for i in range(50)]
    child = subprocess.Popen(
        [sys.executable, "-m", "app.store.word_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdout.close()  # nobody will read the answer
    pickle.dump(texts, child.stdin)
    child.stdin.close()
    assert child.wait(timeout=60) == 0
    assert child.stderr is not None and child.stderr.read() == b""
