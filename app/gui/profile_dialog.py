"""First run (and later switches): who is annotating, and in which role.

The role is the database's to give (:mod:`app.store.identity`): asking for more than a name
has is answered here, in the dialog, and the profile keeps what the database gives.
"""

from __future__ import annotations

from collections.abc import Callable

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
from app.store.values import Identity

WhoIs = Callable[[str], Identity]


class ProfileDialog(QDialog):
    def __init__(
        self,
        name: str = "",
        role: str = Role.ANNOTATOR.value,
        parent: QWidget | None = None,
        whois: WhoIs | None = None,
    ):
        super().__init__(parent)
        self._whois = whois
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
        self.notice = QLabel()
        self.notice.setObjectName("role-notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #7a1212;")
        self.notice.hide()
        form.addRow(self.notice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self.name_edit.textChanged.connect(self._update)
        self.role_box.currentIndexChanged.connect(lambda _i: self._update())
        self._update()

    def _identity(self) -> Identity | None:
        if self._whois is None or not self.name:
            return None
        return self._whois(self.name)

    def _update(self) -> None:
        self._ok.setEnabled(bool(self.name.strip()))
        who = self._identity()
        refusal = who.refusal(Role(self.role)) if who is not None else ""
        self.notice.setText(refusal)
        self.notice.setVisible(bool(refusal))

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    @property
    def role(self) -> str:
        """The role asked for."""
        return str(self.role_box.currentData())

    @property
    def granted_role(self) -> str:
        """The role the database gives this name (what was asked, without a database)."""
        who = self._identity()
        return who.role.value if who is not None else self.role
