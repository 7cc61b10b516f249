"""The keyboard shortcuts, listed in one place for the menus and the help dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


@dataclass(frozen=True)
class _Shortcuts:
    # (menu text, moves the start edge?, later in the text?, key). In right-to-left text the
    # right arrow points towards the beginning, so Alt+Right moves an edge earlier.
    edge_moves: tuple[tuple[str, bool, bool, str], ...] = (
        ("Move start one character earlier", True, False, "Alt+Right"),
        ("Move start one character later", True, True, "Alt+Left"),
        ("Move end one character earlier", False, False, "Alt+Shift+Right"),
        ("Move end one character later", False, True, "Alt+Shift+Left"),
    )
    # Suggestions (dashed: approved elsewhere in the corpus), the first in reading order.
    accept_suggestion: str = "Return"
    reject_suggestion: str = "Backspace"


SHORTCUTS = _Shortcuts()

HELP_ROWS = [
    ("Label the selection", "1 … 9 (the label's key), or click the label"),
    ("Label exactly, without snapping to words", "Alt+1 … Alt+9"),
    ("Select text by keyboard", "Shift+arrows (Ctrl+Shift+arrows: by word)"),
    ("Relabel a span", "click it, then press a label key"),
    ("Delete a span", "click it, then Delete"),
    ("Deselect the span", "Escape"),
    *[(text, key) for text, _s, _l, key in SHORTCUTS.edge_moves],
    ("Strip a leading clitic (و ف ب ل ك)", "Alt+C"),
    ("Accept / turn down the first suggestion (dashed)", "Enter / Backspace"),
    ("Set the stance towards the target", "Ctrl+1 … Ctrl+9 (its values, in order)"),
    ("Undo / redo", "Ctrl+Z / Ctrl+Shift+Z"),
    ("Submit for review", "Ctrl+Enter"),
    ("Submit a document that has no entities", "Ctrl+Shift+Enter"),
    ("Next / previous document", "Ctrl+PgDown / Ctrl+PgUp"),
    ("Next unlabelled document", "Ctrl+U"),
    ("Search documents", "Ctrl+F"),
    ("Zoom in / out", "Ctrl++ / Ctrl+-"),
    ("Show invisible and bidi control characters", "Ctrl+Shift+I"),
    ("Import / export", "Ctrl+I / Ctrl+E"),
    ("This help", "F1"),
]


def help_html() -> str:
    rows = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in HELP_ROWS)
    return (
        "<h3>Keyboard shortcuts</h3><table cellpadding='4'>" + rows + "</table>"
        "<p>Every change is saved the moment you make it; there is no Save button.</p>"
        "<p>Selections snap to whole words and leave out proclitics (و ف ب ل ك) before the "
        "article; hold Alt with the label key, or turn snapping off in the View menu, to label "
        "exactly what you selected.</p>"
    )


def show_help(parent: QWidget) -> None:
    dialog = QDialog(parent)
    dialog.setObjectName("help-dialog")
    dialog.setWindowTitle(dialog.tr("Tawsim — keyboard shortcuts"))
    layout = QVBoxLayout(dialog)
    browser = QTextBrowser()
    browser.setHtml(help_html())
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(560, 560)
    dialog.show()
