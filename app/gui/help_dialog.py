"""The keyboard shortcuts, listed in one place for the menus and the help dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


@dataclass(frozen=True)
class _Shortcuts:
    # (menu text, moves the start edge?, later in the text?, key). In right-to-left text the
    # right arrow points towards the beginning, so Alt+Right moves an edge earlier. The main
    # window's menu translates the texts (context MainWindow).
    edge_moves: tuple[tuple[str, bool, bool, str], ...] = (
        (
            str(QT_TRANSLATE_NOOP("MainWindow", "Move start one character earlier")),
            True,
            False,
            "Alt+Right",
        ),
        (
            str(QT_TRANSLATE_NOOP("MainWindow", "Move start one character later")),
            True,
            True,
            "Alt+Left",
        ),
        (
            str(QT_TRANSLATE_NOOP("MainWindow", "Move end one character earlier")),
            False,
            False,
            "Alt+Shift+Right",
        ),
        (
            str(QT_TRANSLATE_NOOP("MainWindow", "Move end one character later")),
            False,
            True,
            "Alt+Shift+Left",
        ),
    )
    # Suggestions (dashed: approved elsewhere in the corpus), the first in reading order.
    accept_suggestion: str = "Return"
    reject_suggestion: str = "Backspace"


SHORTCUTS = _Shortcuts()

CONTEXT = "HelpDialog"
# (what, keys): both translated when shown; key names (Ctrl, Alt...) stay as on the keyboard.
HELP_ROWS: list[tuple[str, str]] = [
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Label the selection")),
        str(QT_TRANSLATE_NOOP("HelpDialog", "1 … 9 (the label's key), or click the label")),
    ),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Label exactly, without snapping to words")),
        "Alt+1 … Alt+9",
    ),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Select text by keyboard")),
        str(QT_TRANSLATE_NOOP("HelpDialog", "Shift+arrows (Ctrl+Shift+arrows: by word)")),
    ),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Relabel a span")),
        str(QT_TRANSLATE_NOOP("HelpDialog", "click it, then press a label key")),
    ),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Delete a span")),
        str(QT_TRANSLATE_NOOP("HelpDialog", "click it, then Delete")),
    ),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Deselect the span")), "Escape"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Strip a leading clitic (و ف ب ل ك)")), "Alt+C"),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Accept / turn down the first suggestion (dashed)")),
        "Enter / Backspace",
    ),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Set the stance towards the target")),
        str(QT_TRANSLATE_NOOP("HelpDialog", "Ctrl+1 … Ctrl+9 (its values, in order)")),
    ),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Undo / redo")), "Ctrl+Z / Ctrl+Shift+Z"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Submit for review")), "Ctrl+Enter"),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Submit a document that has no entities")),
        "Ctrl+Shift+Enter",
    ),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Next / previous document")), "Ctrl+PgDown / Ctrl+PgUp"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Next unlabelled document")), "Ctrl+U"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Search documents")), "Ctrl+F"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Zoom in / out")), "Ctrl++ / Ctrl+-"),
    (
        str(QT_TRANSLATE_NOOP("HelpDialog", "Show invisible and bidi control characters")),
        "Ctrl+Shift+I",
    ),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "Import / export")), "Ctrl+I / Ctrl+E"),
    (str(QT_TRANSLATE_NOOP("HelpDialog", "This help")), "F1"),
]
EDGE_ROWS_AFTER = 6
"""The edge moves are listed after this many rows (after "Deselect the span")."""


def _tr(text: str, context: str = CONTEXT) -> str:
    return QCoreApplication.translate(context, text)


def help_rows() -> list[tuple[str, str]]:
    """The shortcut rows, translated."""
    rows = [(_tr(what), _tr(keys)) for what, keys in HELP_ROWS]
    edges = [(_tr(text, "MainWindow"), key) for text, _s, _l, key in SHORTCUTS.edge_moves]
    return rows[:EDGE_ROWS_AFTER] + edges + rows[EDGE_ROWS_AFTER:]


def help_html() -> str:
    rows = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in help_rows())
    return (
        "<h3>"
        + QCoreApplication.translate("HelpDialog", "Keyboard shortcuts")
        + "</h3><table cellpadding='4'>"
        + rows
        + "</table>"
        "<p>"
        + QCoreApplication.translate(
            "HelpDialog", "Every change is saved the moment you make it; there is no Save button."
        )
        + "</p><p>"
        + QCoreApplication.translate(
            "HelpDialog",
            "Selections snap to whole words and leave out proclitics (و ف ب ل ك) before the "
            "article; hold Alt with the label key, or turn snapping off in the View menu, to "
            "label exactly what you selected.",
        )
        + "</p>"
    )


def show_help(parent: QWidget) -> None:
    dialog = QDialog(parent)
    dialog.setObjectName("help-dialog")
    dialog.setWindowTitle(QCoreApplication.translate("HelpDialog", "Tawsim — keyboard shortcuts"))
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setHtml(help_html())
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(560, 560)
    dialog.show()
