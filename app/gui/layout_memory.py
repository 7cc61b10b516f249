"""Each window's size, place and docks, remembered between runs (``QSettings``)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow


def restore_layout(window: QMainWindow, key: str) -> None:
    """The layout ``window`` had when it was last closed, if any."""
    settings = QSettings("tawsim", "tawsim")
    geometry = settings.value(f"{key}/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # type: ignore[arg-type]
    state = settings.value(f"{key}/state")
    if state is not None:
        window.restoreState(state)  # type: ignore[arg-type]


def save_layout(window: QMainWindow, key: str) -> None:
    settings = QSettings("tawsim", "tawsim")
    settings.setValue(f"{key}/geometry", window.saveGeometry())
    settings.setValue(f"{key}/state", window.saveState())
