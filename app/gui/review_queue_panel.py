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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.review_queue_model import LEVELS, ReviewQueueModel, level_name


class ReviewQueuePanel(QWidget):
    def __init__(
        self, labels: tuple[str, ...], model: ReviewQueueModel, parent: QWidget | None = None
    ):
        super().__init__(parent)
        column = QVBoxLayout(self)
        self.view_choice = QComboBox()
        self.view_choice.setObjectName("queue-view")
        self.view_choice.addItem(self.tr("Waiting for review"), False)
        self.view_choice.addItem(self.tr("Approved (gold)"), True)
        column.addWidget(self.view_choice)
        filters = QHBoxLayout()
        self.annotator_filter = QLineEdit()
        self.annotator_filter.setPlaceholderText(self.tr("annotator"))
        self.label_filter = QComboBox()
        self.label_filter.addItems(["", *labels])
        self.level_filter = QComboBox()
        self.level_filter.addItem("", "")
        for level in LEVELS:
            self.level_filter.addItem(level_name(level), level)
        for widget in (self.annotator_filter, self.label_filter, self.level_filter):
            filters.addWidget(widget)
        column.addLayout(filters)
        self.model = model
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setObjectName("review-queue")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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

    @property
    def approved(self) -> bool:
        return bool(self.view_choice.currentData())

    def filters(self) -> dict[str, str | None]:
        return {
            "annotator": self.annotator_filter.text().strip() or None,
            "label": self.label_filter.currentText() or None,
            "level": self.level_filter.currentData() or None,
        }

    def show_count(self) -> None:
        total = self.model.total()
        for button in (self.auto_button, self.batch_button):
            button.setEnabled(not self.approved)  # decided already
        if self.approved:
            text = self.tr("{n} approved document(s)").format(n=total)
        elif total is None:
            text = self.tr("{n} document(s) waiting at this level so far").format(
                n=self.model.rowCount()
            )
        else:
            text = self.tr("{n} document(s) waiting").format(n=total)
        self.count_label.setText(text)
