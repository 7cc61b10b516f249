"""The reviewer's queue as a lazy table model: pages of documents are read as the view scrolls
(``canFetchMore``/``fetchMore``), like the annotator's document list, so a queue of a hundred
thousand documents opens as fast as one of ten."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt

from app.gui.paged_model import ModelIndex, PagedTableModel
from app.store.core import Tawsim
from app.store.values import QueueFilter, QueueItem

PAGE = 200
LEVELS: dict[str, str] = {
    "single": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "single")),
    "none": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "none")),
    "minor": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "minor")),
    "major": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "major")),
}
"""Disagreement levels (:attr:`Comparison.level`), as the queue names them."""


KINDS: dict[str, str] = {
    "agreed": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "agreed")),
    "missing": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "missing")),
    "boundary": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "boundary")),
    "label": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "label")),
    "boundary+label": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "boundary+label")),
    "stance": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "stance")),
    "stance (agreed)": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "stance (agreed)")),
}
"""Kinds of disagreement (:class:`~app.core.disagreement.Kind`, and the stance rows)."""
STATUSES: dict[str, str] = {
    "in_progress": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "in progress")),
    "submitted": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "submitted")),
    "approved": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "approved")),
    "rejected": str(QT_TRANSLATE_NOOP("ReviewQueueModel", "rejected")),
}
"""A set's status (:class:`~app.core.domain.SetStatus`) as the reviewer's window names it."""


def _named(names: dict[str, str], value: str) -> str:
    return QCoreApplication.translate("ReviewQueueModel", names.get(value, value))


def level_name(level: str) -> str:
    """A disagreement level in the interface's language."""
    return _named(LEVELS, level)


def kind_name(kind: str) -> str:
    """A kind of disagreement in the interface's language (for the review window's list)."""
    return _named(KINDS, kind)


def status_name(status: str) -> str:
    """A set's status in the interface's language (for the review window's decision rows)."""
    return _named(STATUSES, status)


class ReviewQueueModel(PagedTableModel):
    TITLE, ANNOTATORS, DISAGREEMENT = range(3)

    def __init__(self, core: Tawsim, parent: QObject | None = None, *, page_size: int = PAGE):
        super().__init__(parent)
        self._core = core
        self._page_size = page_size
        self._filter = QueueFilter()
        self._items: list[QueueItem] = []
        self._more = True
        self._fetching = False

    def set_filter(self, flt: QueueFilter) -> None:
        """Show the queue under ``flt`` from its start (the first page read now)."""
        self.beginResetModel()
        self._filter = flt
        self._items = []
        self._more = True
        self._load_page()
        self.endResetModel()

    def item(self, row: int) -> QueueItem:
        return self._items[row]

    def row_of(self, document_id: int) -> int | None:
        """The row of ``document_id`` among the rows read so far."""
        return next((n for n, i in enumerate(self._items) if i.document_id == document_id), None)

    def total(self) -> int | None:
        """How many documents wait under the filter (None when the level filter makes that
        unknown until every document has been compared)."""
        return self._core.queue_count(self._filter)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Title"), self.tr("Annotators"), self.tr("Disagreement"))[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        item = self._items[index.row()]
        if index.column() == self.TITLE:
            return item.title
        if index.column() == self.ANNOTATORS:
            return ", ".join(name for _set, name in item.sets)
        return f"{level_name(item.comparison.level)} ({item.comparison.disagreements})"

    def _load_page(self, *, notify: bool = False) -> None:
        after = self._items[-1].document_id if self._items else None
        page = self._core.queue(self._filter, after=after, limit=self._page_size + 1)
        self._more = len(page) > self._page_size
        page = page[: self._page_size]
        if not page:
            return
        first = len(self._items)
        if notify:
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._items.extend(page)
        if notify:
            self.endInsertRows()
