"""The document list: a lazy table model over a query of the core (:class:`app.store.core.Tawsim`).

It holds only document ids (8 bytes each, in id order, so a document's row is found by bisection),
grown a keyset page at a time through ``canFetchMore``/``fetchMore``, plus a bounded LRU cache of
:class:`DocumentRow` filled on demand, one window of rows per query.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    Qt,
)

from app.core.domain import SetStatus
from app.gui.paged_model import ModelIndex, PagedTableModel
from app.store.core import Tawsim
from app.store.values import FOUND_SHOWN, DocumentQuery, DocumentRow

PAGE = 100
MAX_PAGE = 50_000
"""Each fetch loads as many ids as are loaded already (up to this): the end of a list of a
million documents is twenty fetches away, not ten thousand."""
WINDOW = 50
CACHE_SIZE = 2000

CONTEXT = "DocumentListModel"  # spelled out in each mark below: lupdate reads literals only
HEADERS = (
    QT_TRANSLATE_NOOP("DocumentListModel", "Title"),
    QT_TRANSLATE_NOOP("DocumentListModel", "Source"),
    QT_TRANSLATE_NOOP("DocumentListModel", "My status"),
    QT_TRANSLATE_NOOP("DocumentListModel", "Spans"),
)
STATUS_LABELS = {
    None: QT_TRANSLATE_NOOP("DocumentListModel", "Unlabelled"),
    SetStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("DocumentListModel", "In progress"),
    SetStatus.SUBMITTED: QT_TRANSLATE_NOOP("DocumentListModel", "Submitted"),
    SetStatus.APPROVED: QT_TRANSLATE_NOOP("DocumentListModel", "Approved"),
    SetStatus.REJECTED: QT_TRANSLATE_NOOP("DocumentListModel", "Rejected"),
}
REJECTED_WITH_COMMENT = QT_TRANSLATE_NOOP("DocumentListModel", "Rejected — see comment")

# Titles are Arabic: right-aligned whatever the UI's layout direction (hence AlignAbsolute).
TITLE_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
TITLE_ALIGNMENT |= Qt.AlignmentFlag.AlignVCenter


def tr(text: object) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP (typed ``object`` in PySide's stubs)."""
    return QCoreApplication.translate(CONTEXT, str(text))


class DocumentListModel(PagedTableModel):
    TITLE, SOURCE, STATUS, SPANS = range(4)
    DocumentIdRole = Qt.ItemDataRole.UserRole

    def __init__(
        self,
        core: Tawsim,
        query: DocumentQuery | None = None,
        *,
        page_size: int = PAGE,
        window: int = WINDOW,
        cache_size: int = CACHE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if page_size < 1 or window < 1 or cache_size < window:
            raise ValueError("page_size and window must be positive and cache_size >= window")
        self._core = core
        self._page_size = page_size
        self._window = window
        self._cache_size = cache_size
        self._query = query if query is not None else core.query()
        self._ids = array("q")  # in id order (every query lists documents by id)
        self._cache: OrderedDict[int, DocumentRow] = OrderedDict()
        self._total: int | None = None
        self._more = True
        self._fetching = False
        self._load_page()

    # -- public API --------------------------------------------------------------------------

    @property
    def query(self) -> DocumentQuery:
        return self._query

    def set_query(self, query: DocumentQuery) -> None:
        """Show another filter/search: reset, forget everything cached, load the first page."""
        self.beginResetModel()
        self._query = query
        self._ids = array("q")
        self._cache.clear()
        self._total = None
        self._more = True
        self._load_page()
        self.endResetModel()

    def refresh_rows(self, ids: Iterable[int]) -> None:
        """Re-read these documents' rows (after an edit) and tell the views they changed."""
        rows: list[int] = []
        for doc_id in ids:
            self._cache.pop(doc_id, None)
            row = self.row_of(doc_id)
            if row is not None:
                rows.append(row)
        # An edit may move a document in or out of the filter: recount on next request.
        self._total = None
        last_col = self.columnCount() - 1
        for first, last in _runs(sorted(set(rows))):
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_col))

    def document_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, document_id: int) -> int | None:
        """The row showing ``document_id``, or None if it is not loaded (or not listed)."""
        row = bisect_left(self._ids, document_id)
        return row if row < len(self._ids) and self._ids[row] == document_id else None

    def total(self) -> int:
        """How many documents the current query matches, up to :data:`FOUND_SHOWN` + 1
        (which means more than :data:`FOUND_SHOWN`)."""
        if self._total is None:
            self._total = self._core.count(self._query, at_most=FOUND_SHOWN)
        return self._total

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return tr(HEADERS[section])
        return super().headerData(section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self:
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._ids) and 0 <= col < len(HEADERS)):
            return None
        if role == self.DocumentIdRole:
            return self._ids[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return TITLE_ALIGNMENT if col == self.TITLE else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        doc = self._row(row)
        if doc is None:  # deleted since its id was listed
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return doc.comment if doc.status == SetStatus.REJECTED and doc.comment else None
        if col == self.TITLE:
            return doc.title  # as stored: Qt shapes and orders Arabic itself
        if col == self.SOURCE:
            return doc.source
        if col == self.STATUS:
            return _status_label(doc)
        return doc.span_count

    # -- internals ---------------------------------------------------------------------------

    def _load_page(self, *, notify: bool = False) -> None:
        after = self._ids[-1] if self._ids else None
        size = min(max(self._page_size, len(self._ids)), max(MAX_PAGE, self._page_size))
        # One id more than a page tells whether another page follows, without a count query.
        ids = self._core.page_ids(self._query, after, size + 1)
        self._more = len(ids) > size
        ids = ids[:size]
        if not ids:
            return
        if any(b <= a for a, b in zip([after or 0, *ids], ids, strict=False)):
            raise AssertionError("a document query listed ids out of order")  # rows bisect ids
        first = len(self._ids)
        if notify:
            self.beginInsertRows(QModelIndex(), first, first + len(ids) - 1)
        self._ids.extend(ids)
        if notify:
            self.endInsertRows()

    def _row(self, row: int) -> DocumentRow | None:
        doc_id = self._ids[row]
        doc = self._cache.get(doc_id)
        if doc is not None:
            self._cache.move_to_end(doc_id)
            return doc
        # Fetch the whole aligned window holding ``row`` in one query, so scrolling reads
        # each window once rather than one row per cell.
        start = row - row % self._window
        wanted = [i for i in self._ids[start : start + self._window] if i not in self._cache]
        fetched = self._core.rows(wanted)
        for i in wanted:
            if i in fetched:
                self._cache[i] = fetched[i]
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return fetched.get(doc_id)


def _status_label(doc: DocumentRow) -> str:
    if doc.status == SetStatus.REJECTED and doc.comment:
        return tr(REJECTED_WITH_COMMENT)
    return tr(STATUS_LABELS[doc.status])


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers grouped into (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
