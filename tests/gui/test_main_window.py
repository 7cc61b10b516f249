"""The annotator's window driven like a user: real widgets, a real database, offscreen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from app.core.domain import Role, SetStatus
from app.core.preferences import Preferences
from app.gui.main_window import MainWindow
from app.gui.selection import select_row
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import REPO, as_user, decide, write_jsonl
from tests.gui.conftest import show_active

EMOJI_TEXT = "😀🇯🇵 وَصَلَ جوزيب بوريل إلى طوكيو للقاء وزير الخارجية الياباني"


@pytest.fixture
def emoji_db(db: Database, tmp_path: Path) -> Database:
    write_jsonl(tmp_path / "e.jsonl", {"text": EMOJI_TEXT, "title": "emoji"})
    import_paths(Tawsim(db, "admin"), [tmp_path / "e.jsonl"], ImportOptions())
    return db


def open_window(qtbot, db: Database, name: str = "amal") -> MainWindow:  # type: ignore[no-untyped-def]
    prefs = Preferences(user_name=name)
    window = MainWindow(as_user(db, name, Role.ANNOTATOR), prefs, db_label="test")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    return window


def select_utf16(window: MainWindow, start_cp: int, end_cp: int) -> None:
    """Select like a user would: a QTextCursor in Qt's own UTF-16 positions."""
    text = window.controller.state.text  # type: ignore[union-attr]
    to16 = lambda i: len(text[:i].encode("utf-16-le")) // 2  # noqa: E731
    cursor = window.view.textCursor()
    cursor.setPosition(to16(start_cp))
    cursor.setPosition(to16(end_cp), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)


def stored_spans(db: Database, name: str = "amal") -> list[tuple[int, int, str]]:
    ws = as_user(db, name)
    doc = ws.page_ids(ws.query(), None, 1)[0]
    return [(s.start, s.end, s.label) for s in ws.document(doc).spans]


def test_hotkey_labels_selection_with_code_point_offsets(qtbot, emoji_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, emoji_db)
    start = EMOJI_TEXT.index("طوكيو")
    # A sloppy selection (inside the word, with the clitic-free word around it) snaps to طوكيو.
    select_utf16(window, start + 1, start + 4)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # GPE's hotkey
    assert stored_spans(emoji_db) == [(start, start + 5, "GPE")]
    assert EMOJI_TEXT[start : start + 5] == "طوكيو"
    # The screen shows it too: one highlight at those code points.
    assert [(h.start, h.end) for h in window.view.highlights()] == [(start, start + 5)]


def test_undo_removes_from_screen_and_database_and_redo_restores(qtbot, emoji_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, emoji_db)
    start = EMOJI_TEXT.index("جوزيب")
    select_utf16(window, start, start + len("جوزيب بوريل"))
    window.controller.apply_label("PER")
    assert len(stored_spans(emoji_db)) == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(emoji_db) == [] and window.view.highlights() == []
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored_spans(emoji_db) == [(start, start + 11, "PER")]
    assert len(window.view.highlights()) == 1


def test_a_label_on_a_stale_view_is_refused_and_the_view_reloads(  # type: ignore[no-untyped-def]
    qtbot, emoji_db: Database
) -> None:
    """amal labels in two windows (or on a laptop and a server): the second, showing the set
    as it was, does not write over the first's work; it says so and shows the set as it is."""
    import uuid

    from app.core.commands import AddSpan
    from app.core.domain import EntitySpan

    window = open_window(qtbot, emoji_db)
    messages: list[str] = []
    window.controller.failed.connect(messages.append)
    start = EMOJI_TEXT.index("جوزيب")
    # Elsewhere, amal labels طوكيو.
    other = as_user(emoji_db, "amal")
    doc = window.controller.state.id  # type: ignore[union-attr]
    tokyo = EMOJI_TEXT.index("طوكيو")
    other.perform(AddSpan(doc, EntitySpan(tokyo, tokyo + 5, "GPE"), str(uuid.uuid4())))
    # Here, on the view opened before that, she labels جوزيب بوريل.
    select_utf16(window, start, start + len("جوزيب بوريل"))
    window.controller.apply_label("PER")
    assert stored_spans(emoji_db) == [(tokyo, tokyo + 5, "GPE")]  # nothing written over it
    assert messages and "changed in another window" in messages[-1]
    assert [(h.start, h.end) for h in window.view.highlights()] == [(tokyo, tokyo + 5)]
    select_utf16(window, start, start + len("جوزيب بوريل"))
    window.controller.apply_label("PER")  # on the reloaded view it goes through
    assert sorted(stored_spans(emoji_db)) == [(start, start + 11, "PER"), (tokyo, tokyo + 5, "GPE")]


def test_an_undo_on_a_stale_view_is_refused_too(qtbot, emoji_db: Database) -> None:  # type: ignore[no-untyped-def]
    import uuid

    from app.core.commands import AddSpan
    from app.core.domain import EntitySpan

    window = open_window(qtbot, emoji_db)
    messages: list[str] = []
    window.controller.failed.connect(messages.append)
    start = EMOJI_TEXT.index("جوزيب")
    select_utf16(window, start, start + len("جوزيب بوريل"))
    window.controller.apply_label("PER")
    # Elsewhere, amal labels طوكيو; here, on the view from before, she presses Ctrl+Z.
    doc = window.controller.state.id  # type: ignore[union-attr]
    tokyo = EMOJI_TEXT.index("طوكيو")
    as_user(emoji_db, "amal").perform(
        AddSpan(doc, EntitySpan(tokyo, tokyo + 5, "GPE"), str(uuid.uuid4()))
    )
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sorted(stored_spans(emoji_db)) == [(start, start + 11, "PER"), (tokyo, tokyo + 5, "GPE")]
    qtbot.waitUntil(lambda: bool(messages))
    assert "changed in another window" in messages[-1]
    assert len(window.view.highlights()) == 2  # reloaded: both shown


def test_clitic_is_left_out_by_default_and_kept_with_alt(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    text = window.controller.state.text  # type: ignore[union-attr]
    at = text.index("بالاتحاد")
    select_utf16(window, at, at + len("بالاتحاد"))
    window.controller.apply_label("ORG")
    select_utf16(window, at, at + len("بالاتحاد"))
    window.controller.apply_label("MISC", exact=True)
    spans = sorted(stored_spans(seeded_db))
    assert [(text[s:e], lab) for s, e, lab in spans] == [("بالاتحاد", "MISC"), ("الاتحاد", "ORG")]


def test_stance_with_evidence_and_holder_is_stored(qtbot, emoji_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, emoji_db)
    holder = EMOJI_TEXT.index("جوزيب بوريل")
    select_utf16(window, holder, holder + 11)
    window.controller.apply_label("PER")
    panel = window.stance_panel
    panel.target_box.setCurrentText("اليابان")
    qtbot.mouseClick(
        panel.findChild(type(panel.add_evidence_button), "stance-FAVOR"), Qt.MouseButton.LeftButton
    )
    evidence = EMOJI_TEXT.index("للقاء")
    select_utf16(window, evidence, len(EMOJI_TEXT))
    qtbot.mouseClick(panel.add_evidence_button, Qt.MouseButton.LeftButton)
    panel.holder_box.setCurrentIndex(panel.holder_box.findData(f"{holder}:{holder + 11}"))
    panel.holder_box.activated.emit(panel.holder_box.currentIndex())
    ws = as_user(emoji_db, "amal")
    [stance] = ws.document(ws.page_ids(ws.query(), None, 1)[0]).stances
    j = stance.judgement
    assert (j.target, j.value) == ("اليابان", "FAVOR")
    assert [(r.start, r.end) for r in j.evidence] == [(evidence, len(EMOJI_TEXT))]
    assert j.holder is not None and EMOJI_TEXT[j.holder.start : j.holder.end] == "جوزيب بوريل"
    assert panel.table.rowCount() == 1 and panel.evidence_list.count() == 1
    assert window.view.evidence() == [(evidence, len(EMOJI_TEXT))]  # outlined in the text


def test_reopening_shows_everything(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    from app.store.demo_annotations import annotate_sample

    window = open_window(qtbot, seeded_db)
    annotate_sample(window.core, window.controller.state.id)  # type: ignore[union-attr]
    window.controller.load(window.controller.state.id)  # type: ignore[union-attr]
    before = [(h.start, h.end) for h in window.view.highlights()]
    window.close()
    seeded_db.close()
    with Database.open(seeded_db.url) as again:
        reopened = open_window(qtbot, again)
        assert [(h.start, h.end) for h in reopened.view.highlights()] == before
        assert len(before) > 10
        assert reopened.stance_panel.table.rowCount() == 2


def test_search_finds_alef_variants_and_highlights(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    assert window.model.rowCount() == 2
    window.search_box.setText("الاوروبي")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)
    select_row(window.table, 0)
    text = window.controller.state.text  # type: ignore[union-attr]
    hits = window.view.search_hits()
    assert hits and all(text[s:e].startswith("الأوروبي") for s, e in hits)
    found = window.findChild(QLabel, "found-label")
    assert found.isVisible() and found.text() == "1 found"
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=3000)
    assert not found.isVisible()


def test_a_common_word_is_counted_up_to_a_limit(  # type: ignore[no-untyped-def]
    qtbot, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.gui.document_list_model as model
    import app.gui.document_list_panel as panel

    monkeypatch.setattr(model, "FOUND_SHOWN", 1)
    monkeypatch.setattr(panel, "FOUND_SHOWN", 1)
    window = open_window(qtbot, seeded_db)
    window.search_box.setText("اليابان")  # in both seed articles
    qtbot.waitUntil(lambda: window.findChild(QLabel, "found-label").isVisible(), timeout=3000)
    assert window.findChild(QLabel, "found-label").text() == "more than 1 found"
    assert window.model.rowCount() == 2  # the list itself is not capped


def test_unindexed_documents_become_searchable_in_the_background(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path
) -> None:
    write_jsonl(tmp_path / "d.jsonl", *({"text": f"خبر {n} عن طوكيو"} for n in range(3)))
    import_paths(Tawsim(db, "admin"), [tmp_path / "d.jsonl"], ImportOptions())
    window = open_window(qtbot, db)
    assert window.model.rowCount() == 3  # usable before they are indexed
    window.search_box.setText("طوكيو")
    label = window.search_indexer.label
    # Indexing runs off the GUI thread and says so; once done, the search runs again.
    qtbot.waitUntil(lambda: not window.search_indexer.busy and label.isHidden(), timeout=10000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
    assert window.core.search_index_pending() == 0


def test_submit_moves_on_and_rejected_comment_is_shown(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    first = window.controller.state.id  # type: ignore[union-attr]
    # Ctrl+Enter on a document with no labels is refused (no accidental empty submission)...
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.state.id == first  # type: ignore[union-attr]
    assert "0 of 2" in window.progress_label.text()
    # ... and Ctrl+Shift+Enter says "no entities here" on purpose, then moves on.
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.controller.state.id != first  # type: ignore[union-attr]
    assert "1 of 2" in window.progress_label.text()
    decide(seeded_db, first, "amal", reject="الصين دولة: وسمها GPE")
    window.controller.load(first)
    assert window.banner.isVisible() and "الصين دولة" in window.banner.text()


def test_kill_loses_nothing_shown(tmp_path: Path, db_path: Path) -> None:
    """A process killed right after an action (no clean shutdown) keeps what it showed."""
    script = f"""
import os, signal, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from app.core.domain import Role
from app.core.preferences import Preferences
from app.gui.app import application
from app.gui.main_window import MainWindow
from app.io.importer import ImportOptions, import_paths
from app.store.database import Database
from app.store.core import Tawsim
from tests.conftest import as_user
app = application()
db = Database.open({str(db_path)!r})
seeds = __import__("pathlib").Path({str(REPO / "seeds")!r})
import_paths(Tawsim(db, "admin"), [seeds], ImportOptions())
window = MainWindow(as_user(db, "amal", Role.ANNOTATOR), Preferences(user_name="amal"))
window.show()
text = window.controller.state.text
at = text.index("طوكيو")
window.view.set_selection(at, at + 5)
window.controller.apply_label("GPE")
QApplication.processEvents()
print("shown", len(window.view.highlights()), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "shown 1" in result.stdout
    with Database.open(db_path) as db:
        ws = as_user(db, "amal")
        doc = ws.page_ids(ws.query(), None, 1)[0]
        [(start, end, label)] = [(s.start, s.end, s.label) for s in ws.document(doc).spans]
        assert ws.document(doc).text[start:end] == "طوكيو" and label == "GPE"


def test_a_submitted_document_is_frozen_with_a_hint_not_an_error(
    qtbot, seeded_db: Database
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    window = open_window(qtbot, seeded_db)
    first = window.controller.state.id  # type: ignore[union-attr]
    assert window.palette_bar.isEnabled()
    assert window.controller.submit(allow_empty=True)  # submitted: frozen for its annotator
    assert not window.palette_bar.isEnabled() and "review" in window.palette_bar.toolTip()
    text = window.controller.state.text  # type: ignore[union-attr]
    at = text.index("طوكيو")
    select_utf16(window, at, at + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    assert window.findChild(QMessageBox, "notice") is None  # no modal error
    assert "submitted" in window.statusBar().currentMessage()
    assert stored_spans(seeded_db) == [] and window.view.highlights() == []
    assert window.undo_stack.count() == 0
    window.controller.load(first + 1 if first == 1 else 1)  # an untouched document
    assert window.palette_bar.isEnabled() and window.palette_bar.toolTip() == ""


def test_a_change_the_core_refuses_is_explained_and_not_stored(  # type: ignore[no-untyped-def]
    qtbot, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.core.errors import PermissionDenied

    window = open_window(qtbot, seeded_db)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionDenied("the database does not let amal make this change")

    monkeypatch.setattr(window.core, "perform", refuse)
    text = window.controller.state.text  # type: ignore[union-attr]
    at = text.index("طوكيو")
    select_utf16(window, at, at + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    notice = window.findChild(QMessageBox, "notice")
    assert notice is not None and notice.isVisible()
    assert "does not let amal" in notice.text()
    assert stored_spans(seeded_db) == [] and window.view.highlights() == []
    assert window.undo_stack.count() == 0


def test_a_span_that_cuts_a_character_is_shown_for_fixing(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    """An import keeps a gazetteer's span cut before tanween; the annotator sees which, and
    fixing its edge makes the notice go away."""
    from app.core.domain import EntitySpan
    from app.core.records import DocumentData, Record, SetData

    text = "قال الوزير أيضًا إن الاتفاق نافذ"
    start = text.index("أيض")
    amal = as_user(db, "amal", Role.ANNOTATOR)
    cut = EntitySpan(start, start + 3, "MISC")
    Tawsim(db, "admin").ingest(
        [Record(DocumentData(text), SetData("amal", SetStatus.IN_PROGRESS, (cut,)))]
    )
    window = MainWindow(amal, Preferences(user_name="amal"))
    qtbot.addWidget(window)
    window.show()
    problems = window.findChild(QLabel, "span-problems")
    assert problems is not None and problems.isVisible()
    assert "fathatan" in problems.text() and "Alt+arrows" in problems.text()
    [span] = window.controller.state.spans  # type: ignore[union-attr]
    window.controller.select_span(span.uuid)
    window.controller.move_edge(start=False, later=True)  # take the tanween in
    assert not problems.isVisible()


def test_the_status_bar_says_the_new_label_and_what_undo_and_redo_did(  # type: ignore[no-untyped-def]
    qtbot, emoji_db: Database
) -> None:
    window = open_window(qtbot, emoji_db)
    start = EMOJI_TEXT.index("جوزيب")
    select_utf16(window, start, start + len("جوزيب بوريل"))
    window.controller.apply_label("PER")
    window.controller.select_span(window.controller.state.spans[0].uuid)  # type: ignore[union-attr]
    window.controller.apply_label("ORG")  # relabel the selected span
    assert window.statusBar().currentMessage().startswith("ORG: جوزيب بوريل")
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Undone: change span to ORG"
    assert stored_spans(emoji_db) == [(start, start + 11, "PER")]
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Redone: change span to ORG"
    assert stored_spans(emoji_db) == [(start, start + 11, "ORG")]


def test_guidelines_beside_the_text_and_label_help_in_the_palette(  # type: ignore[no-untyped-def]
    qtbot, seeded_db: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, seeded_db)
    schema = window.controller.schema
    assert schema.guidelines and all(e.examples for e in schema.entities)
    window.guidelines_dock.raise_()
    shown = window.guidelines.toPlainText()
    assert "إرشادات الوسم" in shown and "بالاتحاد الأوروبي" in shown
    assert all(e.examples[0] in shown for e in schema.entities)
    tip = window.palette_bar.buttons["ORG"].toolTip()
    assert "منظمة" in tip and "أرامكو" in tip and "Alt+2" in tip
    assert window.guidelines_dock.toggleViewAction() in window._menus["&View"].actions()
    window.resize(1366, 768)
    window.grab().save(str(tmp_path / "guidelines.png"))
