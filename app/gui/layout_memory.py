"""Each window's size, place and docks, remembered between runs (``QSettings``).

The docks are remembered per layout direction: a mirrored (Arabic) interface has them on the
other sides, and each direction gets back the arrangement last left in it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow


def _state_key(window: QMainWindow, key: str) -> str:
    mirrored = window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return f"{key}/state-rtl" if mirrored else f"{key}/state"


def restore_layout(window: QMainWindow, key: str) -> None:
    """The layout ``window`` had when it was last closed, if any."""
    settings = QSettings("tawsim", "tawsim")
    geometry = settings.value(f"{key}/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # type: ignore[arg-type]
    state = settings.value(_state_key(window, key))
    if state is not None:
        window.restoreState(state)  # type: ignore[arg-type]


def save_layout(window: QMainWindow, key: str) -> None:
    settings = QSettings("tawsim", "tawsim")
    settings.setValue(f"{key}/geometry", window.saveGeometry())
    settings.setValue(_state_key(window, key), window.saveState())
