"""First run (and later switches): who is annotating, and in which role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.core.domain import Role


class ProfileDialog(QDialog):
    def __init__(
        self, name: str = "", role: str = Role.ANNOTATOR.value, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Who is annotating? — Tawsim"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(self.tr("Your name is stored with every label you make; reviewers see it."))
        )
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(self.tr("e.g. Amal / أمل"))
        form.addRow(self.tr("Name"), self.name_edit)
        self.role_box = QComboBox()
        self.role_box.addItem(self.tr("Annotator"), Role.ANNOTATOR.value)
        self.role_box.addItem(self.tr("Reviewer"), Role.REVIEWER.value)
        self.role_box.setCurrentIndex(max(0, self.role_box.findData(role)))
        form.addRow(self.tr("Role"), self.role_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self.name_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self._ok.setEnabled(bool(self.name.strip()))

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def role(self) -> str:
        return str(self.role_box.currentData())
