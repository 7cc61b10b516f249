"""The Arabic interface, the themes and the document font: what the user sees switch, and what
must not (the document view draws Arabic text and its highlights the same in either layout).

Every test here leaves English, left to right and the platform's look behind it (the autouse
fixture of tests/gui/conftest.py takes the translators out again)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from app.core.domain import Role
from app.core.preferences import Preferences, preferences_path
from app.gui import appearance, fonts
from app.gui.document_view import DocumentView, Highlight
from app.gui.main_window import MainWindow
from app.gui.settings_dialog import SettingsDialog
from app.store.database import Database
from tests.conftest import SEEDS, as_user
from tests.gui.conftest import show_active

ARABIC_SEED = sorted(SEEDS.glob("*.txt"))[0]


def window_colour(app: QApplication) -> QColor:
    return app.palette().color(QPalette.ColorRole.Window)


def system_locale(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(name)))


def test_arabic_translations_load_and_come_out_again(qapp) -> None:  # type: ignore[no-untyped-def]
    assert appearance.apply_language(qapp, "ar") == "ar"
    assert QCoreApplication.translate("MainWindow", "&File") == "&ملف"
    assert QCoreApplication.translate("StancePanel", "Holder") == "صاحب الموقف"
    # Qt's own catalogue too, for the standard buttons and dialogs.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") not in ("", "Cancel")
    assert appearance.apply_language(qapp, "en") == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    appearance.apply_language(qapp, "ar")
    appearance.remove_translators(qapp)
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_arabic_mirrors_the_interface_and_english_does_not(qapp) -> None:  # type: ignore[no-untyped-def]
    appearance.apply_language(qapp, "ar")
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    appearance.apply_language(qapp, "en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_system_locale_chooses_when_the_user_has_not(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    system_locale(monkeypatch, "ar_EG")
    assert appearance.system_language() == "ar"
    assert appearance.apply_language(qapp, "") == "ar"
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert appearance.apply_language(qapp, "en") == "en"  # a choice beats the system
    for other in ("fr_FR", "en_GB", "C"):
        system_locale(monkeypatch, other)
        assert appearance.apply_language(qapp, "") == "en"
        assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_window_in_arabic_is_mirrored(qtbot, qapp, workspace) -> None:  # type: ignore[no-untyped-def]
    appearance.apply_language(qapp, "ar")
    window = MainWindow(workspace, Preferences(user_name="amal"), "t")
    qtbot.addWidget(window)
    show_active(qtbot, window, 1366, 768)
    middle = window.width() / 2
    assert window.documents_dock.geometry().center().x() > middle  # documents on the right
    assert window.stance_dock.geometry().center().x() < middle
    assert window.isRightToLeft()
    assert window.menuBar().actions()[0].text() == "&ملف"
    assert window.documents_dock.windowTitle() == "المستندات"
    # The document itself reads right to left as it always does, right-aligned.
    option = window.view.document().defaultTextOption()
    assert window.view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert option.alignment() & Qt.AlignmentFlag.AlignRight


def test_a_window_in_english_keeps_the_documents_on_the_left(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(workspace, Preferences(user_name="amal"), "t")
    qtbot.addWidget(window)
    show_active(qtbot, window, 1366, 768)
    assert window.documents_dock.geometry().center().x() < window.width() / 2
    assert window.menuBar().actions()[0].text() == "&File"


def _document_picture(qtbot) -> QImage:  # type: ignore[no-untyped-def]
    view = DocumentView()
    qtbot.addWidget(view)
    text = ARABIC_SEED.read_text(encoding="utf-8")[:600]
    view.set_document(text)
    start = text.index("الاتحاد")  # a span whose edge meets the lam-alef ligature of the article
    view.set_highlights(
        [
            Highlight(start, start + len("الاتحاد الأوروبي"), "#3cb44b", "a"),
            Highlight(start + len("الاتحاد "), start + len("الاتحاد الأوروبي"), "#4363d8", "b"),
        ]
    )
    view.resize(640, 420)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return view.grab().toImage()


def test_the_document_and_its_highlights_look_the_same_in_either_layout(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    english = _document_picture(qtbot)
    appearance.apply_language(qapp, "ar")
    arabic = _document_picture(qtbot)
    assert english == arabic  # pixel for pixel: text, highlights and scroll bar in place


def test_dark_theme_changes_the_palette_and_light_and_reset_bring_it_back(qapp) -> None:  # type: ignore[no-untyped-def]
    before = window_colour(qapp)
    assert appearance.apply_theme(qapp, "dark") == "dark"
    assert window_colour(qapp).lightnessF() < 0.3
    assert qapp.palette().color(QPalette.ColorRole.Text).lightnessF() > 0.7
    assert appearance.apply_theme(qapp, "light") == "light"
    assert window_colour(qapp).lightnessF() > 0.8
    appearance.reset(qapp)
    assert window_colour(qapp) == before


def test_following_the_system_theme(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = window_colour(qapp)
    monkeypatch.setattr(appearance, "system_theme", lambda app: "dark")
    assert appearance.apply_theme(qapp, "") == "dark"
    assert window_colour(qapp).lightnessF() < 0.3
    monkeypatch.setattr(appearance, "system_theme", lambda app: "light")
    appearance._system_changed(qapp)  # what the platform's colorSchemeChanged calls
    assert window_colour(qapp) == before  # the platform's own look
    appearance.apply_theme(qapp, "dark")
    appearance._system_changed(qapp)  # a chosen theme stays, whatever the system does
    assert window_colour(qapp).lightnessF() < 0.3


def test_preferences_at_start_up(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    prefs = Preferences(language="ar", theme="dark", font_family="DejaVu Sans")
    assert appearance.apply_preferences(qapp, prefs) == "ar"
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window_colour(qapp).lightnessF() < 0.3
    view = DocumentView()
    qtbot.addWidget(view)
    assert view.font().families()[0] == "DejaVu Sans"
    assert fonts.ARABIC_FAMILY in view.font().families()  # behind it, for what it lacks


def test_settings_dialog_keeps_and_applies_the_choices(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    prefs = Preferences(user_name="amal")
    view = DocumentView()
    qtbot.addWidget(view)
    dialog = SettingsDialog(prefs)
    qtbot.addWidget(dialog)
    assert (dialog.language, dialog.theme, dialog.font_family) == ("", "", "")
    assert not dialog.restart_note.isVisibleTo(dialog)
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("ar"))
    assert dialog.restart_note.isVisibleTo(dialog)  # the language waits for a restart
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    assert dialog.font_box.findData("DejaVu Sans") >= 0  # fonts with Arabic letters are offered
    dialog.font_box.setCurrentIndex(dialog.font_box.findData("DejaVu Sans"))
    dialog.size_box.setValue(20)
    dialog.accept()

    saved = Preferences.load()
    assert (saved.language, saved.theme, saved.font_family, saved.font_size) == (
        "ar",
        "dark",
        "DejaVu Sans",
        20.0,
    )
    assert window_colour(qapp).lightnessF() < 0.3  # the theme at once
    assert view.font().families()[0] == "DejaVu Sans" and view.point_size() == 20.0
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight  # not until a restart


def test_settings_open_from_the_file_menu(qtbot, seeded_db: Database) -> None:  # type: ignore[no-untyped-def]
    core = as_user(seeded_db, "amal", Role.ANNOTATOR)
    window = MainWindow(core, Preferences(user_name="amal"), "t")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    action = next(a for a in window._menus["&File"].actions() if a.text() == "&Settings…")
    action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("light"))
    dialog.accept()
    assert json.loads(preferences_path().read_text(encoding="utf-8"))["theme"] == "light"


def test_screenshots_in_arabic_and_dark_leave_english_behind(qtbot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.gui.screenshots import main

    before = window_colour(qapp)
    assert main([str(tmp_path), "--size", "1366x768", "--lang", "ar", "--theme", "dark"]) == 0
    shot = QImage(str(tmp_path / "annotation-view.png"))
    assert (shot.width(), shot.height()) == (1366, 768)
    assert QColor(shot.pixel(shot.width() - 5, shot.height() - 5)).lightnessF() < 0.3
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    assert window_colour(qapp) == before


def test_the_restart_note_compares_with_the_language_shown(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    prefs = Preferences(language="ar")  # chosen earlier in this session, not yet applied
    dialog = SettingsDialog(prefs)
    qtbot.addWidget(dialog)
    assert dialog.language == "ar" and dialog.restart_note.isVisibleTo(dialog)
    appearance.apply_language(qapp, "ar")
    again = SettingsDialog(prefs)
    qtbot.addWidget(again)
    assert not again.restart_note.isVisibleTo(again)
    assert again.windowTitle() == "الإعدادات — توسيم"
