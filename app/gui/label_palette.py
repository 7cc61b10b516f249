"""The label palette: one button per schema label, with its colour, hotkey and description.

It doubles as the legend. Clicking a button emits ``labelChosen``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

from app.core.schema import LabelSchema, label_help


def text_colour_on(background: str) -> str:
    colour = QColor(background)
    return "#000000" if colour.lightnessF() > 0.55 else "#ffffff"


class LabelPalette(QScrollArea):
    labelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inner = QWidget()
        self._layout = QHBoxLayout(self._inner)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self.setWidget(self._inner)
        self.buttons: dict[str, QPushButton] = {}

    def set_schema(self, schema: LabelSchema) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self._layout.addWidget(QLabel(self.tr("Labels:")))
        for label in schema.entities:
            key = f"{label.hotkey} " if label.hotkey else ""
            name_ar = f" {label.name_ar}" if label.name_ar else ""
            button = QPushButton(f"{key}{label.name}{name_ar}")
            button.setObjectName(f"label-{label.name}")
            button.setToolTip(label_help(label))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet(
                f"QPushButton {{ background: {label.color}; color: {text_colour_on(label.color)};"
                " border-radius: 4px; padding: 3px 8px; }"
                "QPushButton:checked { border: 2px solid #000; }"
            )
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            self._layout.addWidget(button)
            self.buttons[label.name] = button
        self._layout.addStretch(1)

    def mark(self, label: str | None) -> None:
        """Show which label the selected span has (or none)."""
        for name, button in self.buttons.items():
            button.setChecked(name == label)
