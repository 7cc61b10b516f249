"""The dashboard (View → Dashboard…, Ctrl+D, in the annotator's and the reviewer's windows):
progress per annotator and label, the label and stance distributions, review throughput and
agreement over time, as charts and a table of the annotators.

The figures come from :meth:`Tawsim.dashboard` on a pool thread
(:func:`app.gui.worker.run_in_background`); a newer refresh supersedes (and cancels) an older
one. The charts are those ``tawsim report`` writes (:mod:`app.io.dashboard_charts`), drawn on
one matplotlib figure in a ``FigureCanvasQTAgg``, as the agreement view does; matplotlib
shapes Arabic itself. An annotator's dashboard holds their own work only (the core's blind
reading). matplotlib is loaded when the window is first made, not with the main window.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.dashboard import Dashboard
from app.gui.fonts import ARABIC_FAMILY, LATIN_FAMILY, load_bundled_fonts
from app.gui.worker import LatestJob
from app.store.core import Tawsim

# Marked for translation (lupdate reads the literal context); translated where shown.
TABLE_COLUMNS = (
    str(QT_TRANSLATE_NOOP("DashboardWindow", "annotator")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "in progress")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "submitted")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "approved")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "rejected")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "spans handed in")),
    str(QT_TRANSLATE_NOOP("DashboardWindow", "spans approved")),
)
CHART_CONTEXT = "DashboardCharts"
CHART_TEXTS = (
    QT_TRANSLATE_NOOP("DashboardCharts", "Sets per annotator, by status"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Spans per label and annotator (handed in)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Labels: approved (gold) of handed in"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Stance per target (approved)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Review decisions per day (UTC)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Review decisions per week (UTC)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "Agreement per week of hand-in"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No annotation sets yet"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No spans handed in yet"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No approved stance yet"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No approved stance yet ({n} handed in)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No review decisions yet"),
    QT_TRANSLATE_NOOP("DashboardCharts", "No document handed in by two annotators yet"),
    QT_TRANSLATE_NOOP(
        "DashboardCharts",
        "Agreement compares annotators' work;\nannotation is blind: you see your own",
    ),
    QT_TRANSLATE_NOOP("DashboardCharts", "in progress"),
    QT_TRANSLATE_NOOP("DashboardCharts", "submitted"),
    QT_TRANSLATE_NOOP("DashboardCharts", "approved"),
    QT_TRANSLATE_NOOP("DashboardCharts", "rejected"),
    QT_TRANSLATE_NOOP("DashboardCharts", "reopened"),
    QT_TRANSLATE_NOOP("DashboardCharts", "handed in"),
    QT_TRANSLATE_NOOP("DashboardCharts", "approved (% of gold)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "sets ({n} documents in all)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "spans"),
    QT_TRANSLATE_NOOP("DashboardCharts", "judgements"),
    QT_TRANSLATE_NOOP("DashboardCharts", "decisions"),
    QT_TRANSLATE_NOOP("DashboardCharts", "entity F1, exact"),
    QT_TRANSLATE_NOOP("DashboardCharts", "entity F1, overlap"),
    QT_TRANSLATE_NOOP("DashboardCharts", "stance α (Krippendorff)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "only the work of {name} (annotation is blind)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "and {n} more annotator(s)"),
    QT_TRANSLATE_NOOP("DashboardCharts", "the {shown} most judged of {total} targets"),
    QT_TRANSLATE_NOOP(
        "DashboardCharts",
        "{total} in all: {approved} approved, {rejected} rejected, {reopened} reopened",
    ),
    QT_TRANSLATE_NOOP("DashboardCharts", "{n} shared documents"),
    QT_TRANSLATE_NOOP("DashboardCharts", "a fixed sample of {n} a week scored where more"),
    QT_TRANSLATE_NOOP("DashboardCharts", "the last {shown} of {total} weeks"),
)
"""Every template the charts (:mod:`app.io.dashboard_charts`) say, for the translations."""
SIZE = (1340, 720)
"""The window's size where the screen has room (a 1366×768 laptop's, less the panel)."""
FIGURE_INCHES = (13.2, 5.0)


def _cell(text: str, *, number: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _chart_text(text: str) -> str:
    return QCoreApplication.translate(CHART_CONTEXT, text)


def _canvas() -> tuple[Any, Any]:
    """A matplotlib figure and its Qt canvas (matplotlib imported here, on first use)."""
    os.environ.setdefault("QT_API", "pyside6")  # before matplotlib picks a Qt binding
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_INCHES, dpi=100, layout="constrained")
    return figure, FigureCanvasQTAgg(figure)


class DashboardWindow(QWidget):
    """A window of its own (closed with the window that opened it); computes when first
    shown and on :meth:`refresh`."""

    computed = Signal(object)
    """The :class:`Dashboard`, once it is drawn."""
    failed = Signal(str)

    def __init__(self, core: Tawsim, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.setWindowTitle(self.tr("Tawsim — dashboard"))
        self.core = core
        self.board: Dashboard | None = None
        self._jobs = LatestJob()
        load_bundled_fonts()
        font = self.font()
        font.setFamilies([LATIN_FAMILY, ARABIC_FAMILY])  # Arabic names as they are
        self.setFont(font)

        self.summary = QLabel(self.tr("Computing…"))
        self.summary.setObjectName("dashboard-summary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the figures again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        close.setContext(Qt.ShortcutContext.WindowShortcut)
        controls = QHBoxLayout()
        controls.addWidget(self.summary, 1)
        controls.addWidget(self.refresh_button)

        self.figure, self.canvas = _canvas()
        self.canvas.setObjectName("dashboard-charts")
        self.canvas.setMinimumSize(640, 360)
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setObjectName("dashboard-annotators")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in TABLE_COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(80)
        self.table.setMaximumHeight(150)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.table)
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = SIZE
        if room is not None:
            width, height = min(width, room.width()), min(height, room.height() - 30)
        self.resize(width, height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.board is None and not self._jobs.running:
            self.refresh()

    def refresh(self) -> None:
        """Read the figures again in the background; :attr:`computed` says when shown."""
        core = self.core
        self.summary.setText(self.tr("Computing…"))
        self.refresh_button.setEnabled(False)
        self._jobs.start(
            core.dashboard,
            on_success=self._done,
            on_failure=self._failed,
        )

    def _done(self, board: Dashboard) -> None:
        from app.io.dashboard_charts import Words, draw_dashboard

        self.board = board
        self.refresh_button.setEnabled(True)
        self.summary.setText(self._summary(board))
        self._fill_table(board)
        say = Words(_chart_text, right_to_left=self.isRightToLeft())
        draw_dashboard(self.figure, board, say)
        self.canvas.draw_idle()
        self.computed.emit(board)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        message = f"{type(exc).__name__}: {exc}"
        self.summary.setText(self.tr("Could not read the figures: ") + message)
        self.failed.emit(message)

    def _summary(self, board: Dashboard) -> str:
        figures = {
            "documents": f"{board.documents:,}",
            "sets": f"{sum(a.total for a in board.annotators):,}",
            "annotators": str(len(board.annotators)),
            "decisions": f"{board.decision_totals.total:,}",
            "weeks": str(len(board.agreement)),
            "time": board.made_at.strftime("%H:%M"),
        }
        if board.own_work_only:
            return self.tr(
                "Annotation is blind: only the work of {name}. {documents} document(s); "
                "{sets} set(s); {decisions} review decision(s) on them. Read at {time} UTC."
            ).format(name=board.viewer, **figures)
        return self.tr(
            "{documents} document(s); {sets} set(s) by {annotators} annotator(s); "
            "{decisions} review decision(s); agreement over {weeks} week(s). Read at {time} UTC."
        ).format(**figures)

    def _fill_table(self, board: Dashboard) -> None:
        spans = board.spans_by_annotator()
        gold = board.spans_by_annotator(approved=True)
        table = self.table
        table.setRowCount(len(board.annotators))
        for row, a in enumerate(board.annotators):
            figures = (
                a.in_progress,
                a.submitted,
                a.approved,
                a.rejected,
                sum(spans.get(a.annotator, {}).values()),
                sum(gold.get(a.annotator, {}).values()),
            )
            name = _cell(a.annotator, number=False)
            table.setItem(row, 0, name)
            for column, n in enumerate(figures, start=1):
                table.setItem(row, column, _cell(f"{n:,}"))


def show_dashboard(owner: QWidget, core: Tawsim) -> DashboardWindow:
    """Open the dashboard over ``owner`` (or bring it up, with its figures read again)."""
    window = owner.findChild(DashboardWindow)
    if window is None:
        window = DashboardWindow(core, owner)
    elif window.board is not None:
        window.refresh()
    window.show()
    window.raise_()
    window.activateWindow()
    return window
