"""Every window fits a 1366×768 laptop: no wide minimum, long titles shortened, docks that can
be closed and brought back, the layout remembered, the review window closed with its owner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.domain import Role
from app.core.preferences import Preferences
from app.gui.main_window import MainWindow
from app.gui.review_window import ReviewWindow
from app.io.importer import ImportOptions, import_paths
from app.store.core import Tawsim
from app.store.database import Database
from tests.conftest import as_user, write_jsonl
from tests.gui.conftest import show_active

LONG_TITLE = "الاتحاد الأوروبي واليابان يعلنان عن شراكة أمنية ودفاعية " * 6
MAX_MIN_WIDTH = 1200


def long_titled(db: Database, tmp_path: Path) -> Database:
    source = write_jsonl(
        tmp_path / "long.jsonl",
        {"text": "وصل جوزيب بوريل إلى طوكيو", "title": LONG_TITLE, "source": "x" * 300},
    )
    import_paths(Tawsim(db, "admin"), [source], ImportOptions())
    return db


def main_window(qtbot, db: Database) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(as_user(db, "amal", Role.ANNOTATOR), Preferences(user_name="amal"), "t")
    qtbot.addWidget(window)
    show_active(qtbot, window, 1366, 768)
    return window


def test_the_windows_fit_a_laptop_whatever_the_title(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = main_window(qtbot, long_titled(db, tmp_path))
    assert window.minimumSizeHint().width() <= MAX_MIN_WIDTH
    assert window.width() == 1366  # nothing forced it wider
    shown = window.title.text()
    assert shown != LONG_TITLE and shown.endswith("…") and window.title.toolTip() == LONG_TITLE
    assert window.title.fullText() == LONG_TITLE
    window.resize(1900, 1000)
    QApplication.processEvents()
    assert len(window.title.text()) > len(shown)  # more room, more of the title

    review = ReviewWindow(as_user(db, "rana", Role.REVIEWER))
    qtbot.addWidget(review)
    assert review.minimumSizeHint().width() <= MAX_MIN_WIDTH


def test_docks_close_and_come_back_and_the_layout_is_remembered(  # type: ignore[no-untyped-def]
    qtbot, db: Database, tmp_path: Path
) -> None:
    window = main_window(qtbot, long_titled(db, tmp_path))
    window.stance_dock.toggleViewAction().trigger()
    assert not window.stance_dock.isVisible()
    window.resize(1300, 700)
    window.close()
    again = main_window(qtbot, db)
    assert not again.stance_dock.isVisible()
    again.stance_dock.toggleViewAction().trigger()
    assert again.stance_dock.isVisible()


def test_the_review_window_closes_with_ctrl_w_esc_and_its_main_window(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    as_user(db, "rana", Role.REVIEWER)
    window = MainWindow(Tawsim(db, "rana"), Preferences(user_name="rana"), "t")
    qtbot.addWidget(window)
    for close in ("ctrl+w", "escape", "main window"):
        window.open_review()
        review = window.review_window
        assert isinstance(review, ReviewWindow)
        qtbot.addWidget(review)
        review.show()
        review.activateWindow()
        qtbot.waitUntil(lambda r=review: QApplication.activeWindow() is r)
        if close == "ctrl+w":
            qtbot.keyClick(review, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
        elif close == "escape":
            qtbot.keyClick(review, Qt.Key.Key_Escape)
        else:
            window.close()
        qtbot.waitUntil(lambda r=review: not r.isVisible())
