"""Selecting rows in item views the same way whatever keys the user holds."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView


def select_row(view: QAbstractItemView, row: int) -> None:
    """Select exactly ``row`` (``selectRow`` extends or toggles while Shift or Ctrl is held)."""
    model, selection = view.model(), view.selectionModel()
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows
        | QItemSelectionModel.SelectionFlag.Current
    )
    selection.setCurrentIndex(model.index(row, 0), flags)
