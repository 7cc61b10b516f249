"""Settings: the interface's language, the colour theme, and the font and size of document text.

Theme and font apply at once; the language applies when Tawsim starts again (the dialog says
so), since windows already open keep the strings they were built with. Everything is kept in
the preferences file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from app.core.preferences import Preferences
from app.gui import appearance
from app.gui.document_view import MAX_POINT_SIZE, MIN_POINT_SIZE
from app.gui.fonts import ARABIC_FAMILY, load_bundled_fonts

LANGUAGE_NAMES = {"ar": "العربية", "en": "English"}
"""Each language named in itself, as language menus do."""


class SettingsDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settings-dialog")
        self.setWindowTitle(self.tr("Settings — Tawsim"))
        self.prefs = prefs
        self.language_in_use = appearance.language_in_use()
        form = QFormLayout(self)

        self.language_box = QComboBox()
        self.language_box.setObjectName("settings-language")
        system = LANGUAGE_NAMES.get(appearance.system_language(), appearance.system_language())
        self.language_box.addItem(
            self.tr("System default ({language})").format(language=system), ""
        )
        for code in appearance.available_languages():
            self.language_box.addItem(LANGUAGE_NAMES.get(code, code), code)
        self._choose(self.language_box, prefs.language)
        form.addRow(self.tr("&Language"), self.language_box)
        self.restart_note = QLabel(self.tr("The language changes when Tawsim is restarted."))
        self.restart_note.setObjectName("settings-restart-note")
        self.restart_note.setWordWrap(True)
        form.addRow(self.restart_note)
        self.language_box.currentIndexChanged.connect(lambda _i: self._update_note())

        self.theme_box = QComboBox()
        self.theme_box.setObjectName("settings-theme")
        self.theme_box.addItem(self.tr("Follow the system"), "")
        self.theme_box.addItem(self.tr("Light"), appearance.LIGHT)
        self.theme_box.addItem(self.tr("Dark"), appearance.DARK)
        self._choose(self.theme_box, prefs.theme)
        form.addRow(self.tr("&Theme"), self.theme_box)

        self.font_box = QComboBox()
        self.font_box.setObjectName("settings-font")
        self.font_box.addItem(self.tr("{family} (bundled)").format(family=ARABIC_FAMILY), "")
        load_bundled_fonts()
        for family in QFontDatabase.families(QFontDatabase.WritingSystem.Arabic):
            if family != ARABIC_FAMILY and not QFontDatabase.isPrivateFamily(family):
                self.font_box.addItem(family, family)
        self._choose(self.font_box, prefs.font_family)
        if self.font_box.currentData() != prefs.font_family:  # a font no longer installed
            self.font_box.addItem(prefs.font_family, prefs.font_family)
            self._choose(self.font_box, prefs.font_family)
        form.addRow(self.tr("Document &font"), self.font_box)

        self.size_box = QDoubleSpinBox()
        self.size_box.setObjectName("settings-size")
        self.size_box.setRange(MIN_POINT_SIZE, MAX_POINT_SIZE)
        self.size_box.setDecimals(1)
        self.size_box.setSingleStep(1.0)
        self.size_box.setSuffix(self.tr(" pt"))
        self.size_box.setValue(prefs.font_size)
        form.addRow(self.tr("Document text &size"), self.size_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_note()

    @staticmethod
    def _choose(box: QComboBox, data: str) -> None:
        index = box.findData(data)
        if index >= 0:
            box.setCurrentIndex(index)

    @property
    def language(self) -> str:
        return str(self.language_box.currentData())

    @property
    def theme(self) -> str:
        return str(self.theme_box.currentData())

    @property
    def font_family(self) -> str:
        return str(self.font_box.currentData())

    @property
    def language_changes(self) -> bool:
        """The chosen language differs from the one the interface is shown in."""
        return appearance.resolve_language(self.language) != self.language_in_use

    def _update_note(self) -> None:
        self.restart_note.setVisible(self.language_changes)

    def accept(self) -> None:
        """Keep the choices; theme and font apply now, the language at the next start."""
        prefs = self.prefs
        prefs.language, prefs.theme = self.language, self.theme
        prefs.font_family, prefs.font_size = self.font_family, self.size_box.value()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            appearance.apply_theme(app, prefs.theme)
            appearance.apply_document_font(app, prefs.font_family, prefs.font_size)
        prefs.save()  # last: a window that remembers its zoom saves its own copy on the way
        super().accept()


def open_settings(parent: QWidget, prefs: Preferences) -> SettingsDialog:
    """Show the settings dialog over ``parent`` (window-modal, without blocking)."""
    dialog = SettingsDialog(prefs, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
