"""Import and export from the File menu run off the GUI thread and can be cancelled."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.core.domain import Role, Selection
from app.core.preferences import Preferences
from app.gui.main_window import MainWindow
from app.gui.worker import run_in_background
from app.io.exporter import ExportOptions
from app.store.database import Database
from tests.conftest import as_user, stats, write_jsonl


def window_for(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(as_user(db, "amal", Role.ANNOTATOR), Preferences(user_name="amal"))
    qtbot.addWidget(window)
    return window


def test_work_runs_on_a_pool_thread_and_reports_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}

    def work(progress):  # type: ignore[no-untyped-def]
        seen["worker"] = threading.current_thread()
        progress(1)
        return 42

    def done(result: object) -> None:
        seen["result"] = result
        seen["callback"] = threading.current_thread()

    run_in_background(work, on_success=done, on_failure=lambda e: seen.update(error=e))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()


def test_import_from_the_window_in_the_background(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, db)
    src = write_jsonl(
        tmp_path / "news.jsonl", *({"text": f"خبر {i} عن اليابان"} for i in range(50))
    )
    with qtbot.waitSignal(window.transfer.imported, timeout=10000):
        window.transfer.run_import([src])
    assert stats(db)["documents"] == 50
    qtbot.waitUntil(lambda: window.model.rowCount() == 50)


def test_cancelled_import_leaves_the_database_as_it_was(
    qtbot, db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, db)
    src = write_jsonl(tmp_path / "news.jsonl", *({"text": f"خبر {i}"} for i in range(2000)))
    window.transfer.run_import([src])
    job = window.transfer.job
    assert job is not None
    job.cancel()
    qtbot.waitUntil(lambda: window.transfer.job is None, timeout=10000)
    assert stats(db)["documents"] == 0


def test_export_in_the_background_writes_the_whole_file(
    qtbot, seeded_db: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, seeded_db)
    out = tmp_path / "all.jsonl"
    window.transfer.run_export(out, ExportOptions(include=Selection.ALL))
    qtbot.waitUntil(lambda: window.transfer.job is None, timeout=10000)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    QApplication.processEvents()


def test_the_export_dialog_offers_every_registered_format(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.io import registry

    window = window_for(qtbot, db)
    offered: dict[str, str] = {}
    target = tmp_path / "gold.spacy"

    def save_as(_parent, _title, _name, filters):  # type: ignore[no-untyped-def]
        offered["filters"] = filters
        spacy = next(f for f in registry.export_formats() if f.name == "spacy")
        return str(target), spacy.file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    started: list[ExportOptions] = []
    monkeypatch.setattr(window.transfer, "run_export", lambda _p, o: started.append(o))
    window.transfer.export_file()
    for fmt in registry.export_formats():
        assert fmt.file_filter in offered["filters"]
    assert [o.format for o in started] == ["spacy"]


def test_an_import_that_stores_a_set_otherwise_says_so(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path
) -> None:
    """Two approved sets for one text: the second is stored as submitted, and the GUI says so."""
    from PySide6.QtWidgets import QMessageBox

    from app.core.domain import SetStatus
    from app.io.importer import ImportOptions

    text = "زار بوريل طوكيو"
    gold = write_jsonl(tmp_path / "gold.jsonl", {"text": text, "annotator": "gold", "spans": []})
    other = write_jsonl(tmp_path / "other.jsonl", {"text": text, "annotator": "omar", "spans": []})
    window = MainWindow(as_user(db, "admin", Role.ADMIN), Preferences(user_name="admin"))
    qtbot.addWidget(window)
    options = ImportOptions(status=SetStatus.APPROVED)
    window.transfer.run_import([gold, other], options)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "notice") is not None, timeout=5000)
    notice = window.findChild(QMessageBox, "notice")
    assert "stored as submitted" in notice.text() and "gold's" in notice.text()
    assert stats(db)["sets_by_status"] == {
        "in_progress": 0, "submitted": 1, "approved": 1, "rejected": 0,
    }  # fmt: skip
