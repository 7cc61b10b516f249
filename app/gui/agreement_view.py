"""Inter-annotator agreement: entity F1 per pair, stance coefficients, F1 per label as a chart.

The figures are those of ``tawsim agree`` (:func:`app.core.agreement.compute_agreement`),
computed on a pool thread (:func:`app.gui.worker.run_in_background`); a newer refresh supersedes
(and cancels) an older one, whose result is dropped.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

os.environ.setdefault("QT_API", "pyside6")  # before matplotlib picks a Qt binding

from matplotlib import font_manager
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from app.core.domain import Selection
from app.gui.fonts import ARABIC_FAMILY, LATIN_FAMILY, bundled_font_files, load_bundled_fonts
from app.gui.worker import LatestJob
from app.store.core import Tawsim

# Marked for translation (lupdate reads the literal context); translated where shown.
INCLUDE_CHOICES: tuple[tuple[str, Selection], ...] = (
    (str(QT_TRANSLATE_NOOP("AgreementView", "Submitted and reviewed")), Selection.SUBMITTED),
    (str(QT_TRANSLATE_NOOP("AgreementView", "All (with work in progress)")), Selection.ALL),
)
NO_OVERLAP_TEXT = str(QT_TRANSLATE_NOOP("AgreementView", "no overlap"))
MISSING = "—"
ENTITY_COLUMNS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("AgreementView", "A")),
    str(QT_TRANSLATE_NOOP("AgreementView", "B")),
    str(QT_TRANSLATE_NOOP("AgreementView", "documents")),
    str(QT_TRANSLATE_NOOP("AgreementView", "exact F1")),
    str(QT_TRANSLATE_NOOP("AgreementView", "overlap F1")),
)
STANCE_COLUMNS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("AgreementView", "items")),
    str(QT_TRANSLATE_NOOP("AgreementView", "% agreement")),
    str(QT_TRANSLATE_NOOP("AgreementView", "Cohen's kappa")),
    str(QT_TRANSLATE_NOOP("AgreementView", "Krippendorff's alpha")),
    str(QT_TRANSLATE_NOOP("AgreementView", "Gwet's AC1")),
)
COEFFICIENTS = ("cohen_kappa", "krippendorff_alpha", "gwet_ac1")
CHART_FONTS = [LATIN_FAMILY, ARABIC_FAMILY, "DejaVu Sans"]


def _f1_text(scores: dict[str, Any] | None) -> str:
    value = (scores or {}).get("overall", {}).get("f1")
    return MISSING if value is None else f"{value:.3f}"


def _cell(text: str, tooltip: str = "", *, number: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(name: str, columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


@cache
def _use_bundled_fonts_in_charts() -> None:
    for path in bundled_font_files():  # Arabic label names (imports may add some) render too
        font_manager.fontManager.addfont(str(path))


class AgreementView(QWidget):
    """Agreement between annotators; computes on first show and on :meth:`refresh`."""

    computed = Signal(dict)
    """The report dict (:meth:`AgreementReport.to_dict`), once it is shown."""
    failed = Signal(str)

    def __init__(self, core: Tawsim, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agreement-view")
        self.core = core
        self.report: dict[str, Any] | None = None
        self._jobs = LatestJob()
        load_bundled_fonts()
        font = self.font()
        font.setFamilies([LATIN_FAMILY, ARABIC_FAMILY])  # Arabic names and targets as-is
        self.setFont(font)

        self.include = QComboBox()
        self.include.setObjectName("agreement-include")
        for text, statuses in INCLUDE_CHOICES:
            self.include.addItem(self.tr(text), statuses)
        self.include.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Sets:")))
        controls.addWidget(self.include)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.summary, 1)

        self.entity_table = _table("entity-agreement", [self.tr(c) for c in ENTITY_COLUMNS])
        self.entity_table.verticalHeader().hide()
        self.stance_table = _table("stance-agreement", [self.tr(c) for c in STANCE_COLUMNS])
        _use_bundled_fonts_in_charts()
        self.figure = Figure(figsize=(4.2, 2.6), dpi=100, layout="constrained")
        self.axes = self.figure.add_subplot()
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("agreement-chart")
        self.canvas.setMinimumSize(360, 230)
        entities = QHBoxLayout()
        entities.addWidget(self.entity_table, 3)
        entities.addWidget(self.canvas, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(QLabel(self.tr("Entities: pairwise F1 over the documents both annotated")))
        layout.addLayout(entities, 3)
        layout.addWidget(QLabel(self.tr("Stance: overall and per target")))
        layout.addWidget(self.stance_table, 2)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.report is None and not self._jobs.running:
            self.refresh()

    def refresh(self) -> None:
        """Recompute in the background; :attr:`computed` is emitted when the figures are shown."""
        core = self.core
        selection = Selection(self.include.currentData())
        self.summary.setText(self.tr("Computing…"))
        self._jobs.start(
            lambda progress: core.agreement(selection, progress).to_dict(),
            on_success=self._done,
            on_failure=self._failed,
        )

    def _done(self, report: dict) -> None:
        self.report = report
        self.summary.setText(
            self.tr("{docs} document(s), {shared} annotated by two or more of: {who}").format(
                docs=report["documents"],
                shared=report["shared_documents"],
                who=", ".join(report["annotators"]) or self.tr("nobody"),
            )
        )
        self._fill_entities(report["entities"]["pairs"])
        self._fill_stance(report["stance"])
        self._draw_chart(report["entities"]["average_f1"])
        self.computed.emit(report)

    def _failed(self, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {exc}"
        self.summary.setText(self.tr("Could not compute agreement: ") + message)
        self.failed.emit(message)

    def _fill_entities(self, pairs: list[dict[str, Any]]) -> None:
        table = self.entity_table
        table.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            table.setItem(row, 0, _cell(pair["a"], number=False))
            table.setItem(row, 1, _cell(pair["b"], number=False))
            table.setItem(row, 2, _cell(str(pair["documents"])))
            for column, mode in ((3, "exact_match"), (4, "overlap_match")):
                if not pair["overlap"]:
                    item = _cell(self.tr(NO_OVERLAP_TEXT), self.tr("No document annotated by both"))
                else:
                    text = _f1_text(pair[mode])
                    tip = self.tr("Undefined: neither marked an entity") if text == MISSING else ""
                    item = _cell(text, tip)
                table.setItem(row, column, item)

    def _fill_stance(self, stance: dict[str, Any]) -> None:
        rows = [(self.tr("overall"), stance["overall"]), *stance["per_target"].items()]
        table = self.stance_table
        table.setRowCount(len(rows))
        table.setVerticalHeaderLabels([name for name, _ in rows])
        for row, (_name, figures) in enumerate(rows):
            table.setItem(row, 0, _cell(str(figures["items"])))
            pa = figures["percent_agreement"]
            no_items = self.tr("No item was judged by two or more annotators")
            table.setItem(row, 1, _cell(MISSING, no_items) if pa is None else _cell(f"{pa:.1%}"))
            for column, key in enumerate(COEFFICIENTS, start=2):
                value, reason = figures[key]["value"], figures[key]["reason"]
                item = _cell(MISSING, reason or "") if value is None else _cell(f"{value:.3f}")
                table.setItem(row, column, item)

    def _draw_chart(self, average_f1: dict[str, Any]) -> None:
        ax = self.axes
        ax.clear()
        exact = average_f1["exact_match"]["per_label"]
        overlap = average_f1["overlap_match"]["per_label"]
        labels = sorted(exact.keys() | overlap.keys())
        title = self.tr("Average pairwise F1 per label")
        ax.set_title(title, fontsize=9, fontfamily=CHART_FONTS)
        ax.set_ylim(0, 1.3)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.tick_params(labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        if not labels:
            ax.set_xticks([])
            ax.text(0.5, 0.5, self.tr("no shared documents"), ha="center", va="center",
                    transform=ax.transAxes, fontsize=9, color="grey",
                    fontfamily=CHART_FONTS)  # fmt: skip
            self.canvas.draw_idle()
            return
        width = 0.38
        for offset, name, per_label, colour in (
            (-width / 2, self.tr("exact"), exact, "#4363d8"),
            (width / 2, self.tr("overlap"), overlap, "#f58231"),
        ):
            f1 = [per_label.get(label, {}).get("f1") for label in labels]
            bars = ax.bar([i + offset for i in range(len(labels))], [v or 0.0 for v in f1],
                          width, label=name, color=colour)  # fmt: skip
            texts = [MISSING if v is None else f"{v:.2f}" for v in f1]
            ax.bar_label(bars, labels=texts, fontsize=7, padding=1)
        ax.set_xticks(range(len(labels)), labels, fontfamily=CHART_FONTS)
        legend_font = {"family": CHART_FONTS, "size": 7}
        ax.legend(prop=legend_font, loc="upper right", ncols=2, frameon=False)
        self.canvas.draw_idle()
