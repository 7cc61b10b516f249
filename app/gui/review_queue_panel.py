"""The reviewer's queue panel: filters, the waiting documents, bulk approval controls."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.values import QueueItem

LEVELS = ["", "single", "none", "minor", "major"]


class ReviewQueuePanel(QWidget):
    def __init__(self, labels: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.annotator_filter = QLineEdit()
        self.annotator_filter.setPlaceholderText(self.tr("annotator"))
        self.label_filter = QComboBox()
        self.label_filter.addItems(["", *labels])
        self.level_filter = QComboBox()
        self.level_filter.addItems(LEVELS)
        for widget in (self.annotator_filter, self.label_filter, self.level_filter):
            filters.addWidget(widget)
        column.addLayout(filters)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("review-queue")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Title"), self.tr("Annotators"), self.tr("Disagreement")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        column.addWidget(self.table, 1)
        bulk = QHBoxLayout()
        self.min_agree = QSpinBox()
        self.min_agree.setRange(1, 20)
        self.min_agree.setValue(2)
        self.auto_button = QPushButton(self.tr("Approve where N agree"))
        self.auto_button.setObjectName("auto-approve")
        bulk.addWidget(self.min_agree)
        bulk.addWidget(self.auto_button)
        column.addLayout(bulk)
        self.batch_button = QPushButton(self.tr("Approve the filtered sets"))
        self.batch_button.setObjectName("approve-batch")
        self.batch_button.setToolTip(
            self.tr(
                "Approves, on every document listed, the filtered annotator's set (or the only "
                "set); one transaction"
            )
        )
        column.addWidget(self.batch_button)
        self.count_label = QLabel()
        column.addWidget(self.count_label)
        self.setMinimumWidth(330)

    def filters(self) -> dict[str, str | None]:
        return {
            "annotator": self.annotator_filter.text().strip() or None,
            "label": self.label_filter.currentText() or None,
            "level": self.level_filter.currentText() or None,
        }

    def show_items(self, items: list[QueueItem]) -> None:
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            names = ", ".join(name for _s, name in item.sets)
            cells = [
                item.title,
                names,
                f"{item.comparison.level} ({item.comparison.disagreements})",
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.count_label.setText(self.tr("{n} document(s) waiting").format(n=len(items)))
