"""The interface's language, colour theme and text font, applied to the running application.

Language: Tawsim's own catalogue (``resources/translations/tawsim_<code>.qm``, built from the
``.ts`` files and committed) plus Qt's (``qtbase_<code>.qm``, shipped with PySide6) for the
standard dialogs and buttons. Arabic mirrors every window (``setLayoutDirection``, and the
dock areas, which Qt leaves as they are: :func:`leading_dock_area`); the document view stays
right to left in either direction, it sets its own.

Theme: an explicit light or dark palette on the Fusion style, the same on every platform
(``QStyleHints.setColorScheme`` is asked too, but a platform without a theme that supports it,
such as the offscreen one, ignores it). Following the system keeps the platform's own style
and palette unless the platform says the system is dark, and follows its later changes.

Text font: the family (and size) of document text; every open document view follows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from app.core.preferences import Preferences
from app.core.resources import resource_path
from app.gui import fonts

CATALOGUE = "tawsim"
QT_CATALOGUES = ("qtbase",)
RIGHT_TO_LEFT = frozenset({"ar"})
FALLBACK_LANGUAGE = "en"
LIGHT, DARK = "light", "dark"

_translators: list[QTranslator] = []
_language = FALLBACK_LANGUAGE  # the language the interface is being built in
_platform_look: tuple[str, QPalette] | None = None  # style and palette before any theme
_themed = False  # a palette of ours is set
_following = False  # the theme follows the system's changes
_listening: list[QApplication] = []  # apps whose colorSchemeChanged is connected


def translations_dir() -> Path:
    return resource_path("translations")


def available_languages() -> list[str]:
    """The interface languages shipped (a ``tawsim_<code>.qm`` each), English always."""
    found = {p.stem.removeprefix(f"{CATALOGUE}_") for p in translations_dir().glob("*.qm")}
    return sorted(found | {FALLBACK_LANGUAGE})


def system_language() -> str:
    """The first of the system's preferred languages Tawsim speaks (English if none)."""
    available = available_languages()
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in available:
            return code
    return FALLBACK_LANGUAGE


def resolve_language(language: str) -> str:
    """``language`` if shipped; "" (or an unknown code) means the system's."""
    return language if language in available_languages() else system_language()


def direction_of(language: str) -> Qt.LayoutDirection:
    if language in RIGHT_TO_LEFT:
        return Qt.LayoutDirection.RightToLeft
    return Qt.LayoutDirection.LeftToRight


def leading_dock_area() -> Qt.DockWidgetArea:
    """Where reading starts: the left dock area in English, the right one in Arabic. Qt mirrors
    layouts but not a main window's dock areas, so windows ask here."""
    if QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        return Qt.DockWidgetArea.RightDockWidgetArea
    return Qt.DockWidgetArea.LeftDockWidgetArea


def trailing_dock_area() -> Qt.DockWidgetArea:
    """The other side: right in English, left in Arabic."""
    if leading_dock_area() == Qt.DockWidgetArea.LeftDockWidgetArea:
        return Qt.DockWidgetArea.RightDockWidgetArea
    return Qt.DockWidgetArea.LeftDockWidgetArea


def apply_language(app: QCoreApplication, language: str) -> str:
    """Install the translators of ``language`` ("" = the system's) in place of any installed
    before, and mirror the interface for a right-to-left language. Returns the code used.

    Strings already shown keep their language: windows built afterwards use the new one.
    """
    global _language
    remove_translators(app)
    code = _language = resolve_language(language)
    catalogues = [(translations_dir(), CATALOGUE)]
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    catalogues += [(qt_dir, name) for name in QT_CATALOGUES]
    for folder, name in catalogues:
        translator = QTranslator(app)
        if translator.load(f"{name}_{code}", str(folder)):
            app.installTranslator(translator)
            _translators.append(translator)
        else:
            translator.deleteLater()
    if isinstance(app, QGuiApplication):
        # Explicitly, every time: installing qtbase_ar would flip it on its own, and removing
        # it later would not flip it back.
        app.setLayoutDirection(direction_of(code))
    return code


def language_in_use() -> str:
    """The language of the strings being shown: the last one applied (English at first)."""
    return _language


def remove_translators(app: QCoreApplication) -> None:
    """Take out every translator :func:`apply_language` installed (the interface is English)."""
    global _language
    _language = FALLBACK_LANGUAGE
    while _translators:
        translator = _translators.pop()
        app.removeTranslator(translator)
        translator.deleteLater()


# -- theme ---------------------------------------------------------------------------------------


def system_theme(app: QGuiApplication) -> str:
    """``dark`` when the platform says the system is dark, else ``light``."""
    dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return DARK if dark else LIGHT


Colours = dict[QPalette.ColorRole, str]
R = QPalette.ColorRole

LIGHT_COLOURS: Colours = {
    R.Window: "#efefef", R.WindowText: "#000000", R.Base: "#ffffff", R.AlternateBase: "#f7f7f7",
    R.ToolTipBase: "#ffffdc", R.ToolTipText: "#000000", R.PlaceholderText: "#80000000",
    R.Text: "#000000", R.Button: "#efefef", R.ButtonText: "#000000", R.BrightText: "#ffffff",
    R.Light: "#ffffff", R.Midlight: "#cacaca", R.Mid: "#b8b8b8", R.Dark: "#9f9f9f",
    R.Shadow: "#767676", R.Highlight: "#308cc6", R.HighlightedText: "#ffffff",
    R.Link: "#0000ff", R.LinkVisited: "#ff00ff", R.Accent: "#308cc6",
}  # fmt: skip
"""Fusion's light palette as Qt 6.11 has it, spelled out: Fusion's standard palette follows
the system's colour scheme, and "light" must stay light on a dark system."""
LIGHT_DISABLED: Colours = {
    R.WindowText: "#bebebe", R.Text: "#bebebe", R.ButtonText: "#bebebe", R.Base: "#efefef",
    R.Dark: "#bebebe", R.Shadow: "#b1b1b1", R.Highlight: "#919191", R.Accent: "#919191",
}  # fmt: skip
DARK_COLOURS: Colours = {
    R.Window: "#2b2b2e", R.WindowText: "#e8e8e8", R.Base: "#1e1e20", R.AlternateBase: "#28282b",
    R.ToolTipBase: "#3a3a3e", R.ToolTipText: "#f0f0f0", R.PlaceholderText: "#8c8c8c",
    R.Text: "#e8e8e8", R.Button: "#3a3a3e", R.ButtonText: "#e8e8e8", R.BrightText: "#ff6e6e",
    R.Light: "#4a4a4f", R.Midlight: "#3f3f44", R.Mid: "#303034", R.Dark: "#18181a",
    R.Shadow: "#0a0a0a", R.Highlight: "#3d7bd9", R.HighlightedText: "#ffffff",
    R.Link: "#7fb2ff", R.LinkVisited: "#c29bff", R.Accent: "#3d7bd9",
}  # fmt: skip
"""Light text on dark grey; the label colours of highlights stay recognisable on it."""
DARK_DISABLED: Colours = {
    R.WindowText: "#7a7a7a", R.Text: "#7a7a7a", R.ButtonText: "#7a7a7a", R.Base: "#262629",
    R.Button: "#323236", R.Highlight: "#4a4a4f", R.Accent: "#4a4a4f",
}  # fmt: skip


def _palette(colours: Colours, disabled: Colours) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))  # every group
    for role, colour in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return _palette(LIGHT_COLOURS, LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _palette(DARK_COLOURS, DARK_DISABLED)


DARK_STYLE_SHEET = """
QPushButton:checked {
    background-color: #3d5f99; color: #ffffff;
    border: 1px solid #6f95d6; border-radius: 3px; padding: 3px 8px;
}
"""
"""Fusion draws a pressed (checked) button a shade darker, which on dark grey hardly shows:
the stance value chosen is marked in the highlight colour instead. Buttons with a style sheet
of their own (the label palette's) keep theirs."""


def apply_theme(app: QApplication, theme: str) -> str:
    """Light, dark, or "" to follow the system (and its later changes). Returns the theme
    shown: ``light`` or ``dark``."""
    global _platform_look, _themed
    if _platform_look is None:
        _platform_look = (app.style().name(), QPalette(app.palette()))
    hints = app.styleHints()
    if theme in (LIGHT, DARK):
        hints.setColorScheme(Qt.ColorScheme.Dark if theme == DARK else Qt.ColorScheme.Light)
    else:
        hints.unsetColorScheme()
    _follow_system(app, follow=theme not in (LIGHT, DARK))
    shown = theme if theme in (LIGHT, DARK) else system_theme(app)
    if theme not in (LIGHT, DARK) and shown == LIGHT:
        _restore_platform_look(app)
        return shown
    _themed = True
    app.setStyle("Fusion")
    palette = dark_palette() if shown == DARK else light_palette()
    app.setPalette(palette)
    QToolTip.setPalette(palette)
    app.setStyleSheet(DARK_STYLE_SHEET if shown == DARK else "")
    return shown


def _restore_platform_look(app: QApplication) -> None:
    global _themed
    if _platform_look is None or not _themed:
        return
    _themed = False
    style, palette = _platform_look
    if app.style().name().lower() != style.lower():
        app.setStyle(style)
    app.setPalette(palette)
    QToolTip.setPalette(palette)
    app.setStyleSheet("")


def _follow_system(app: QApplication, *, follow: bool) -> None:
    global _following
    _following = follow
    if follow and app not in _listening:
        _listening.append(app)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _system_changed(app))


def _system_changed(app: QApplication) -> None:
    if _following:
        apply_theme(app, "")


def reset_theme(app: QApplication) -> None:
    """Back to the platform's style and palette, following nothing."""
    if _platform_look is None:
        return  # no theme was ever applied
    app.styleHints().unsetColorScheme()
    _follow_system(app, follow=False)
    _restore_platform_look(app)


# -- fonts ---------------------------------------------------------------------------------------


def apply_document_font(app: QApplication, family: str, point_size: float | None = None) -> None:
    """Document text in ``family`` ("" = the bundled Arabic font), at ``point_size`` if given;
    every open document view follows at once."""
    from app.gui.document_view import DocumentView

    fonts.set_document_family(family)
    for widget in app.allWidgets():
        if isinstance(widget, DocumentView):
            widget.set_point_size(widget.point_size() if point_size is None else point_size)


def apply_preferences(app: QApplication, prefs: Preferences) -> str:
    """Language, theme and text font as ``prefs`` say (at start-up); returns the language."""
    code = apply_language(app, prefs.language)
    apply_theme(app, prefs.theme)
    apply_document_font(app, prefs.font_family)
    return code


def reset(app: QApplication) -> None:
    """English, left to right, the platform's look and the bundled text font (tests, and the
    screenshot tool when it is done)."""
    remove_translators(app)
    if app.layoutDirection() != Qt.LayoutDirection.LeftToRight:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    reset_theme(app)
    fonts.set_document_family("")
