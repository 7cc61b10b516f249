"""What the lazy table models share: rows appended a keyset page at a time, through Qt's
``canFetchMore``/``fetchMore``."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

ModelIndex = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """A table grown by :meth:`_load_page` (which sets ``_more``) when a view asks for more."""

    _more = True
    _fetching = False

    def _load_page(self, *, notify: bool = False) -> None:
        raise NotImplementedError

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: ModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        # A listener of rowsAboutToBeInserted/rowsInserted (QAbstractItemModelTester, a view)
        # may call fetchMore again: before the rows are in place that would load this page
        # twice, and a nested insert inside rowsInserted reaches later listeners out of order.
        self._fetching = True
        try:
            self._load_page(notify=True)
        finally:
            self._fetching = False
