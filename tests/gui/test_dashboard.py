"""The dashboard window: opens offscreen from both windows, computes in the background, draws
six charts and the annotators' table, keeps an annotator to their own work, fits a laptop."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget

from app.core.dashboard import Dashboard
from app.core.domain import Role
from app.core.preferences import Preferences
from app.gui import appearance
from app.gui.dashboard import CHART_TEXTS, DashboardWindow, show_dashboard
from app.gui.main_window import MainWindow
from app.gui.review_window import ReviewWindow
from app.store.database import Database
from tests.conftest import as_user
from tests.dashboard_corpus import SARA, build_corpus
from tests.gui.conftest import show_active

TITLES = {
    "Sets per annotator, by status",
    "Spans per label and annotator (handed in)",
    "Labels: approved (gold) of handed in",
    "Stance per target (approved)",
    "Review decisions per day (UTC)",
    "Agreement per week of hand-in",
}


@pytest.fixture
def corpus_db(db: Database, tmp_path: Path) -> Database:
    build_corpus(db, tmp_path)
    return db


def _table(window: DashboardWindow) -> list[list[str]]:
    table = window.findChild(QTableWidget, "dashboard-annotators")
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _texts(window: DashboardWindow) -> str:
    """Every word the charts show: tick labels, texts, legends."""
    found = []
    for ax in window.figure.axes:
        found += [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels(), *ax.texts)]
        legend = ax.get_legend()
        found += [t.get_text() for t in legend.get_texts()] if legend is not None else []
    return " ".join(found)


def _opened(qtbot, window: DashboardWindow) -> Dashboard:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.computed, timeout=20000) as signal:
        window.show()  # the first show computes, on a pool thread
    return signal.args[0]


def test_a_reviewer_sees_every_annotator_and_six_charts(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = DashboardWindow(as_user(corpus_db, "rana", Role.REVIEWER))
    qtbot.addWidget(window)
    board = _opened(qtbot, window)
    assert not board.own_work_only
    assert _table(window) == [
        ["amal", "0", "3", "1", "0", "6", "2"],
        ["omar", "1", "2", "0", "1", "5", "0"],
        [SARA, "0", "0", "1", "0", "1", "1"],
    ]
    axes = window.figure.axes
    assert {ax.get_title(loc="left") for ax in axes} == TITLES
    sets = next(ax for ax in axes if ax.get_title(loc="left").startswith("Sets"))
    assert [t.get_text() for t in sets.get_yticklabels()] == ["amal", "omar", SARA]
    agreement = next(ax for ax in axes if ax.get_title(loc="left").startswith("Agreement"))
    assert len(agreement.get_lines()) == 3
    summary = window.findChild(QLabel, "dashboard-summary").text()
    assert "5 document(s); 9 set(s) by 3 annotator(s); 5 review decision(s)" in summary
    image = window.canvas.grab().toImage()  # the canvas painted something: not one colour
    assert image.width() > 600
    assert len({image.pixel(x, image.height() // 3) for x in range(0, image.width(), 7)}) > 2


def test_an_annotator_sees_only_their_own_work(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = DashboardWindow(as_user(corpus_db, "amal"))
    qtbot.addWidget(window)
    board = _opened(qtbot, window)
    assert board.own_work_only
    assert _table(window) == [["amal", "0", "3", "1", "0", "6", "2"]]
    summary = window.findChild(QLabel, "dashboard-summary").text()
    assert summary.startswith("Annotation is blind: only the work of amal.")
    shown = _texts(window)
    assert "amal" in shown and "omar" not in shown and SARA not in shown
    assert "الصين" not in {s.target for s in board.stances if s.approved}


def test_opened_from_the_annotators_window_with_ctrl_d(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(as_user(corpus_db, "amal"), Preferences(user_name="amal"), "t")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    [action] = [a for a in window.findChildren(QAction) if a.text() == "&Dashboard…"]
    assert action.shortcut().toString() == "Ctrl+D"
    action.trigger()
    dashboard = window.findChild(DashboardWindow)
    assert dashboard is not None and dashboard.isVisible()
    qtbot.waitUntil(lambda: dashboard.board is not None, timeout=20000)
    assert dashboard.board is not None and dashboard.board.own_work_only
    assert show_dashboard(window, window.core) is dashboard  # one window, brought up again
    qtbot.waitUntil(lambda: not dashboard._jobs.running, timeout=20000)


def test_opened_from_the_review_window(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    review = ReviewWindow(as_user(corpus_db, "rana", Role.REVIEWER))
    qtbot.addWidget(review)
    review.show()
    [action] = [a for a in review.findChildren(QAction) if a.text() == "&Dashboard…"]
    assert action.shortcut().toString() == "Ctrl+D"
    action.trigger()
    dashboard = review.findChild(DashboardWindow)
    qtbot.waitUntil(lambda: dashboard.board is not None, timeout=20000)
    assert not dashboard.board.own_work_only
    review.close()


def test_it_fits_a_laptop_screen(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = DashboardWindow(as_user(corpus_db, "rana", Role.REVIEWER))
    qtbot.addWidget(window)
    _opened(qtbot, window)
    assert window.minimumSizeHint().width() <= 1200
    assert window.minimumSizeHint().height() <= 700
    window.resize(1366, 740)
    QApplication.processEvents()
    assert window.width() == 1366 and window.height() == 740
    canvas, table = window.canvas, window.findChild(QTableWidget, "dashboard-annotators")
    assert canvas.height() >= 450 and table.height() >= 80
    bottom = table.geometry().bottom()
    assert bottom <= window.height()


def test_a_refresh_while_computing_shows_only_the_newest(qtbot, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    window = DashboardWindow(as_user(corpus_db, "rana", Role.REVIEWER))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.computed, timeout=20000):
        window.show()
        window.refresh()
        window.refresh()
    QThreadPool.globalInstance().waitForDone(20000)
    QApplication.processEvents()
    assert window.board is not None and not window._jobs.running
    assert window.refresh_button.isEnabled()


def _said_by_the_charts() -> set[str]:
    """Every English template app/io/dashboard_charts.py passes to ``say``, literally or from
    its tables of status and decision names."""
    from app.io import dashboard_charts

    tree = ast.parse(Path(dashboard_charts.__file__).read_text(encoding="utf-8"))
    said = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "say"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    return (
        said | set(dashboard_charts.STATUS_NAMES.values()) | set(dashboard_charts.DECISION_COLOURS)
    )


def test_every_word_of_the_charts_is_listed_for_translation() -> None:
    assert _said_by_the_charts() == set(CHART_TEXTS)


def test_in_arabic_the_charts_speak_arabic_from_the_right(qtbot, qapp, corpus_db: Database) -> None:  # type: ignore[no-untyped-def]
    appearance.apply_language(qapp, "ar")
    window = DashboardWindow(as_user(corpus_db, "rana", Role.REVIEWER))
    qtbot.addWidget(window)
    _opened(qtbot, window)
    assert window.isRightToLeft()
    assert window.windowTitle() == "توسيم — لوحة المتابعة"
    titles = {ax.get_title(loc="right") for ax in window.figure.axes}
    assert "المجموعات لكل موسِّم، حسب الحالة" in titles and "" not in titles
    assert all(ax.get_title(loc="left") == "" for ax in window.figure.axes)
    header = window.findChild(QTableWidget, "dashboard-annotators").horizontalHeaderItem(0)
    assert header.text() == "الموسِّم"
    assert window.findChild(QLabel, "dashboard-summary").text().startswith("المستندات: 5؛")
