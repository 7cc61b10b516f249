"""One measured step of the benchmark, run in a process of its own (so its peak memory is its
own): ``python -m benchmarks.phases PHASE WORKDIR``. Prints one JSON object.

The phases share ``WORKDIR``: ``corpus.jsonl`` (made by the runner), ``tawsim.db`` (made by
``import``), ``raw.db`` (by ``raw_insert``).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Result = dict[str, Any]
RAW_BLOCK = 50_000
"""Articles prepared at a time for the raw insert."""
SEARCH_SAMPLE_LINES = 2_000
"""Articles whose words the search queries are drawn from."""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest peak of the second processes this phase started (0: none)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def phase_import(work: Path) -> Result:
    from app.core.domain import SetStatus
    from app.io.importer import ImportOptions, import_paths
    from app.store.core import Tawsim
    from app.store.database import Database

    db = Database.open(work / "tawsim.db")
    options = ImportOptions(annotator="bench", status=SetStatus.APPROVED)
    core = Tawsim(db, "bench")
    seconds, summary = timed(lambda: import_paths(core, [work / "corpus.jsonl"], options))
    if summary.rejected:
        raise SystemExit(f"import failed: {summary.rejected[0].error}")
    index_seconds, _ = timed(core.build_search_index)
    db.close()
    n = summary.total("documents_added")
    size = (work / "tawsim.db").stat().st_size
    span_bytes = _span_bytes(work / "tawsim.db")
    text_bytes = sum(
        len(json.loads(line)["text"].encode())
        for line in (work / "corpus.jsonl").open(encoding="utf-8")
    )
    return {
        "documents": n,
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "index_seconds": index_seconds,
        "total_seconds": seconds + index_seconds,
        "with_index_docs_per_s": n / (seconds + index_seconds),
        "text_bytes": text_bytes,
        "db_bytes": size,
        "db_bytes_per_doc": size / max(n, 1),
        "span_bytes": span_bytes,
        "span_bytes_per_doc": None if span_bytes is None else span_bytes / max(n, 1),
        "peak_rss_mb": peak_rss_mb(),
        "second_process_peak_rss_mb": children_peak_rss_mb(),
    }


def _span_bytes(path: Path) -> int | None:
    """The pages of the spans table and its indexes (SQLite's ``dbstat``, when built in)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master "
            "WHERE tbl_name = 'spans')"
        ).fetchone()[0]
    except sqlite3.OperationalError:  # no dbstat in this SQLite
        return None
    finally:
        con.close()


def phase_raw_insert(work: Path) -> Result:
    """The same rows, prepared beforehand, into the same tables (and search index) of an empty
    Tawsim database, with plain ``sqlite3.executemany``: what an import cannot beat."""
    import hashlib
    import itertools
    import uuid

    from app.core.arabic.search_words import index_words
    from app.store.database import Database

    template = work / "raw.db"
    Database.open(template).close()
    now = "2026-12-01 00:00:00"
    con = sqlite3.connect(template)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "INSERT INTO users (id, uuid, name, role, created_at) VALUES (1, 'u', 'bench', 'admin', ?)",
        (now,),
    )

    def prepared(lines: list[tuple[int, str]]) -> tuple[list[Any], ...]:
        docs, words, sets, spans = [], [], [], []
        for doc_id, line in lines:
            obj = json.loads(line)
            text = obj["text"]
            digest = hashlib.sha256(text.encode()).hexdigest()
            docs.append(
                (doc_id, str(uuid.uuid4()), digest, digest, 1, "", obj["meta"]["source"], text,
                 len(text), json.dumps({}), now)
            )  # fmt: skip
            words.append((doc_id, index_words(text)))
            sets.append((doc_id, str(uuid.uuid4()), doc_id, 1, "approved", "", now, now))
            spans += [
                (str(uuid.uuid4()), doc_id, s["start"], s["end"], s["label"], len(text))
                for s in obj["spans"]
            ]
        return docs, words, sets, spans

    def rows(docs: list[Any], sets: list[Any], spans: list[Any]) -> None:
        con.executemany(
            "INSERT INTO documents (id, uuid, content_hash, text_hash, occurrence, title, "
            "source, text, length, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            docs,
        )
        con.executemany(
            "INSERT INTO annotation_sets (id, uuid, document_id, annotator_id, status, "
            "comment, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            sets,
        )
        con.executemany(
            'INSERT INTO spans (uuid, set_id, start, "end", label, text_length) '
            "VALUES (?,?,?,?,?,?)",
            spans,
        )

    # Rows are prepared beforehand, a block at a time (memory stays bounded at a million
    # articles); only the executemany calls are timed, in one transaction as an import is.
    rows_seconds = index_seconds = 0.0
    n = 0
    with con, (work / "corpus.jsonl").open(encoding="utf-8") as handle:
        numbered = enumerate(handle, start=1)
        while block := list(itertools.islice(numbered, RAW_BLOCK)):
            docs, words, sets, spans = prepared(block)
            seconds, _ = timed(lambda d=docs, s=sets, sp=spans: rows(d, s, sp))
            rows_seconds += seconds
            seconds, _ = timed(
                lambda w=words: con.executemany(
                    "INSERT INTO document_words (rowid, words) VALUES (?, ?)", w
                )
            )
            index_seconds += seconds
            n += len(docs)
    con.close()
    seconds = rows_seconds + index_seconds
    return {
        "documents": n,
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "rows_seconds": rows_seconds,
        "rows_docs_per_s": n / rows_seconds,
    }


def _core(work: Path) -> Any:
    from app.store.core import Tawsim
    from app.store.database import Database

    return Tawsim(Database.open(work / "tawsim.db"), "bench")


def phase_export(work: Path) -> Result:
    from app.core.domain import Selection
    from app.io.exporter import ExportOptions, export

    core = _core(work)
    out = work / "export.jsonl"
    seconds, report = timed(
        lambda: export(core, out, ExportOptions(format="jsonl", include=Selection.APPROVED))
    )
    return {
        "documents": report.records,
        "seconds": seconds,
        "docs_per_s": report.records / seconds,
        "peak_rss_mb": peak_rss_mb(),
        "second_process_peak_rss_mb": children_peak_rss_mb(),
    }


def phase_raw_dump(work: Path) -> Result:
    """The same dicts the JSONL export writes, read with plain sqlite3 and dumped with json."""
    con = sqlite3.connect(work / "tawsim.db")
    out = (work / "raw_dump.jsonl").open("w", encoding="utf-8")

    def dump() -> int:
        n = 0
        spans: dict[int, list[dict[str, Any]]] = {}
        for set_id, start, end, label in con.execute(
            'SELECT set_id, start, "end", label FROM spans ORDER BY set_id, start'
        ):
            spans.setdefault(set_id, []).append({"start": start, "end": end, "label": label})
        for set_id, uuid, text, meta in con.execute(
            "SELECT s.id, d.uuid, d.text, d.meta FROM annotation_sets s JOIN documents d "
            "ON d.id = s.document_id WHERE s.status = 'approved' ORDER BY s.document_id"
        ):
            obj = {
                "id": uuid,
                "text": text,
                "meta": json.loads(meta),
                "spans": spans.get(set_id, []),
            }
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
        return n

    seconds, n = timed(dump)
    out.close()
    return {"documents": n, "seconds": seconds, "docs_per_s": n / seconds}


def phase_split(work: Path) -> Result:
    from app.io.training.dataset_export import export_dataset

    core = _core(work)
    out = work / "dataset"
    shutil.rmtree(out, ignore_errors=True)
    seconds, report = timed(
        lambda: export_dataset(core, out, ratios={"train": 0.8, "dev": 0.1, "test": 0.1}, seed=1)
    )
    n = sum(report.documents.values())
    return {
        "documents": n,
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "peak_rss_mb": peak_rss_mb(),
        "second_process_peak_rss_mb": children_peak_rss_mb(),
    }


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def phase_search(work: Path) -> Result:
    """Search and count over words of the corpus (and one that is not there), p50/p95."""
    import itertools

    from app.store.values import FOUND_SHOWN

    core = _core(work)
    rng = random.Random(7)
    with (work / "corpus.jsonl").open(encoding="utf-8") as handle:
        lines = itertools.islice(handle, SEARCH_SAMPLE_LINES)
        words = [w for line in lines for w in json.loads(line)["text"].split() if len(w) > 3]
        queries = [*rng.sample(words, min(40, len(words))), "لا يوجد هذا"]
    search_ms, count_ms, exact_ms = [], [], []
    for q in queries:
        query = core.query(search=q)
        seconds, _ = timed(lambda q=query: core.page_ids(q, None, 100))
        search_ms.append(seconds * 1000)
        # What the document list shows ("N found", "more than 1,000 found"), then the exact
        # number, which walks every document a common word is in.
        seconds, _ = timed(lambda q=query: core.count(q, at_most=FOUND_SHOWN))
        count_ms.append(seconds * 1000)
        seconds, _ = timed(lambda q=query: core.count(q))
        exact_ms.append(seconds * 1000)
    ids = core.page_ids(core.query(), None, 10**9)
    open_ms = [
        timed(lambda i=i: core.document(i))[0] * 1000 for i in rng.sample(ids, min(50, len(ids)))
    ]
    return {
        "search_p50_ms": _p(search_ms, 50),
        "search_p95_ms": _p(search_ms, 95),
        "count_p95_ms": _p(count_ms, 95),
        "count_exact_p95_ms": _p(exact_ms, 95),
        "open_doc_ms": _p(open_ms, 50),
        "open_doc_p95_ms": _p(open_ms, 95),
    }


SUGGESTIONS_WAIT_S = 900
"""How long the GUI phase waits for the suggestion lexicon (minutes at a million articles)."""


def phase_gui(work: Path) -> Result:
    """The annotator's window offscreen: time to show, then scroll to the end of the list, then
    wait for the suggestions (the lexicon of every approved span, read in the background):
    the peak memory holds all of it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from app.core.preferences import Preferences
    from app.gui.annotation_controller import AnnotationController
    from app.gui.app import application
    from app.gui.main_window import MainWindow

    suggestions: list[float] = []  # when the lexicon arrived
    given = AnnotationController.set_lexicon

    def set_lexicon(controller: AnnotationController, lexicon: dict[str, str]) -> None:
        suggestions.append(time.perf_counter() - start)
        given(controller, lexicon)

    AnnotationController.set_lexicon = set_lexicon  # type: ignore[method-assign]
    application()
    core = _core(work)
    core.join()
    window = MainWindow(core, Preferences(user_name="bench"))
    window.show()
    QApplication.processEvents()
    shown = time.perf_counter() - start
    model = window.model
    scroll_start = time.perf_counter()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    window.table.scrollToBottom()
    QApplication.processEvents()
    scrolled = time.perf_counter() - scroll_start
    while not suggestions and time.perf_counter() - start < SUGGESTIONS_WAIT_S:
        QApplication.processEvents()
        time.sleep(0.05)
    return {
        "gui_start_s": shown,
        "gui_scroll_to_end_s": scrolled,
        "gui_rows": model.rowCount(),
        "gui_suggestions_s": suggestions[0] if suggestions else None,
        "gui_lexicon_keys": len(window.controller.lexicon),
        "gui_peak_rss_mb": peak_rss_mb(),
    }


def phase_review(work: Path) -> Result:
    """The reviewer's window with every set submitted (the last phase: it hands the
    benchmark's approved sets back as submitted), and the reviewer's queue from the CLI."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    con = sqlite3.connect(work / "tawsim.db")
    with con:
        con.execute("UPDATE annotation_sets SET status = 'submitted'")
        con.execute(
            "INSERT OR IGNORE INTO users (uuid, name, role, created_at) "
            "VALUES ('reviewer-uuid', 'rana', 'reviewer', '2026-12-01 00:00:00')"
        )
    submitted = con.execute("SELECT count(*) FROM annotation_sets").fetchone()[0]
    con.close()
    start = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from app.gui.app import application
    from app.gui.review_window import ReviewWindow
    from app.store.core import Tawsim
    from app.store.database import Database

    application()
    window = ReviewWindow(Tawsim(Database.open(work / "tawsim.db"), "rana"))
    window.show()
    QApplication.processEvents()
    shown = time.perf_counter() - start
    first_page = window.queue_model.rowCount()
    return {
        "submitted_sets": submitted,
        "review_window_s": shown,
        "review_first_page_rows": first_page,
        "review_peak_rss_mb": peak_rss_mb(),
    }


PHASES: dict[str, Callable[[Path], Result]] = {
    "import": phase_import,
    "raw_insert": phase_raw_insert,
    "export": phase_export,
    "raw_dump": phase_raw_dump,
    "split": phase_split,
    "search": phase_search,
    "gui": phase_gui,
    "review": phase_review,
}


def main(argv: list[str]) -> int:
    name, work = argv[0], Path(argv[1])
    result = PHASES[name](work)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
