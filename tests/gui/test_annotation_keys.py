"""Keyboard-first annotation: relabel, delete, sub-word edges, clitics, navigation, resubmit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTextBrowser

from app.store.database import Database
from tests.conftest import decide
from tests.gui.test_main_window import open_window, select_utf16, stored_spans

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def label_word(qtbot, window, word: str, key: Qt.Key, occurrence: int = 0) -> int:  # type: ignore[no-untyped-def]
    text = window.controller.state.text
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(word, at + 1)
    select_utf16(window, at, at + len(word))
    qtbot.keyClick(window.view, key)
    return at


def test_relabel_and_delete_a_clicked_span(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    at = label_word(qtbot, window, "طوكيو", Qt.Key.Key_3)
    key = window.controller.selected_span  # the new span is selected
    assert key is not None
    qtbot.keyClick(window.view, Qt.Key.Key_4)  # relabel GPE -> LOC
    assert stored_spans(seeded_db) == [(at, at + 5, "LOC")]
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored_spans(seeded_db) == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(seeded_db) == [(at, at + 5, "LOC")]


def test_a_text_selection_wins_over_an_old_selected_span(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    tokyo = label_word(qtbot, window, "طوكيو", Qt.Key.Key_3)
    assert window.controller.selected_span is not None
    borrell = label_word(qtbot, window, "بوريل", Qt.Key.Key_1)  # selecting text deselects
    assert sorted(stored_spans(seeded_db)) == sorted(
        [(tokyo, tokyo + 5, "GPE"), (borrell, borrell + 5, "PER")]
    )
    window.controller.select_span(None)
    window.view.spanClicked.emit("")  # a click beside every span
    assert window.controller.selected_span is None
    qtbot.keyClick(window.view, Qt.Key.Key_4)  # nothing selected: nothing relabelled
    assert "LOC" not in {lab for _s, _e, lab in stored_spans(seeded_db)}


def test_edges_move_by_one_character_and_clitic_strips(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    text = window.controller.state.text  # type: ignore[union-attr]
    at = text.index("بالاتحاد")
    select_utf16(window, at, at + len("بالاتحاد"))
    qtbot.keyClick(window.view, Qt.Key.Key_2, ALT)  # exact: keeps the ب
    assert stored_spans(seeded_db) == [(at, at + 8, "ORG")]
    qtbot.keyClick(window.view, Qt.Key.Key_C, ALT)  # strip the clitic ب
    assert stored_spans(seeded_db) == [(at + 1, at + 8, "ORG")]
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT)  # start one character earlier
    assert stored_spans(seeded_db) == [(at, at + 8, "ORG")]
    qtbot.keyClick(window.view, Qt.Key.Key_Left, ALT)  # start one later
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT | SHIFT)  # end one earlier
    assert stored_spans(seeded_db) == [(at + 1, at + 7, "ORG")]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(seeded_db) == [(at + 1, at + 8, "ORG")]


def test_navigation_keys(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    first = window.controller.state.id  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, CTRL)
    second = window.controller.state.id  # type: ignore[union-attr]
    assert second != first
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, CTRL)
    assert window.controller.state.id == first  # type: ignore[union-attr]
    label_word(qtbot, window, "طوكيو", Qt.Key.Key_3)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)  # submit, then next unlabelled
    assert window.controller.state.id == second  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL)
    assert window.controller.state.id == second  # type: ignore[union-attr]


def test_rejected_set_is_fixed_and_resubmitted(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    first = window.controller.state.id  # type: ignore[union-attr]
    label_word(qtbot, window, "طوكيو", Qt.Key.Key_4)  # LOC: wrong
    assert window.controller.submit()
    decide(seeded_db, first, "amal", reject="طوكيو مدينة: GPE")
    window.controller.load(first)
    assert window.banner.isVisible()
    span = window.controller.state.spans[0]  # type: ignore[union-attr]
    window.controller.select_span(span.uuid)
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # fix: GPE
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)  # resubmit
    assert window.controller.core.document(first).status == "submitted"
    assert [s[2] for s in stored_spans(seeded_db)] == ["GPE"]


def test_help_lists_the_shortcuts(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, seeded_db)
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "help-dialog")
    assert dialog is not None and dialog.isVisible()
    browser = dialog.findChild(QTextBrowser)
    assert "Ctrl+Shift+Enter" in browser.toPlainText() and "Alt+C" in browser.toPlainText()
