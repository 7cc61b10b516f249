"""The documents panel: status filter, Arabic-aware search box, lazy list, progress."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.document_list_model import FOUND_SHOWN, DocumentListModel
from app.store.core import Tawsim
from app.store.values import ListFilter

FILTERS = [
    (ListFilter.ALL, QT_TRANSLATE_NOOP("DocumentListPanel", "All documents")),
    (ListFilter.UNLABELLED, QT_TRANSLATE_NOOP("DocumentListPanel", "Unlabelled")),
    (ListFilter.IN_PROGRESS, QT_TRANSLATE_NOOP("DocumentListPanel", "In progress")),
    (ListFilter.SUBMITTED, QT_TRANSLATE_NOOP("DocumentListPanel", "Submitted")),
    (ListFilter.REJECTED, QT_TRANSLATE_NOOP("DocumentListPanel", "Rejected (with comment)")),
    (ListFilter.APPROVED, QT_TRANSLATE_NOOP("DocumentListPanel", "Approved")),
]


class RightToLeftDelegate(QStyledItemDelegate):
    """Lays out Arabic cells right to left, so long titles are cut at their end, not start."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.direction = Qt.LayoutDirection.RightToLeft  # type: ignore[attr-defined]


class DocumentListPanel(QWidget):
    def __init__(self, core: Tawsim, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = DocumentListModel(core)
        self.table = QTableView()
        self.table.setObjectName("document-list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DocumentListModel.SOURCE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DocumentListModel.SOURCE, 70)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setItemDelegateForColumn(
            DocumentListModel.TITLE, RightToLeftDelegate(self.table)
        )
        self.table.verticalHeader().hide()
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("document-filter")
        for flt, label in FILTERS:
            self.filter_box.addItem(self.tr(str(label)), flt)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search-box")
        self.search_box.setPlaceholderText(self.tr("Search (ignores hamza, tashkeel, tatweel)…"))
        self.search_box.setClearButtonEnabled(True)
        self.found_label = QLabel()
        self.found_label.setObjectName("found-label")
        self.found_label.hide()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress-label")
        column = QVBoxLayout(self)
        column.addWidget(self.filter_box)
        column.addWidget(self.search_box)
        column.addWidget(self.found_label)
        column.addWidget(self.table, 1)
        column.addWidget(self.progress_label)
        self.setMinimumWidth(320)

    def show_found(self, found: int | None) -> None:
        """How many documents a search lists (None: no search, nothing shown)."""
        self.found_label.setVisible(found is not None)
        if found is None:
            return
        if found > FOUND_SHOWN:
            text = self.tr("more than {n} found").format(n=f"{FOUND_SHOWN:,}")
        else:
            text = self.tr("{n} found").format(n=f"{found:,}")
        self.found_label.setText(text)

    @property
    def list_filter(self) -> ListFilter:
        return ListFilter(self.filter_box.currentData() or ListFilter.ALL)
