"""The fonts Tawsim ships (resources/fonts) and the font documents are shown in.

Without a named Arabic font, fontconfig falls back to DejaVu Sans or to empty boxes, and which one
depends on the machine. So the bundled fonts are registered with Qt and named explicitly:
Noto Naskh Arabic for Arabic, chained to Noto Sans for Latin letters and digits (Naskh has none).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from app.core.resources import resource_path

log = logging.getLogger(__name__)

ARABIC_FAMILY = "Noto Naskh Arabic"
LATIN_FAMILY = "Noto Sans"
DOCUMENT_FAMILIES: tuple[str, ...] = (ARABIC_FAMILY, LATIN_FAMILY)
FONT_SUFFIXES = frozenset({".ttf", ".otf"})

_loaded_families: list[str] | None = None
_document_family = ""  # the user's choice (preferences); "" = the bundled families


def fonts_dir() -> Path:
    return resource_path("fonts")


def bundled_font_files() -> list[Path]:
    """The .ttf/.otf files in resources/fonts, sorted by name."""
    folder = fonts_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def load_bundled_fonts() -> list[str]:
    """Register every bundled font with Qt (once per process) and return their family names.

    Needs a QGuiApplication (or QApplication). A file Qt cannot read is logged and skipped.
    """
    global _loaded_families
    if _loaded_families is not None and _still_registered(_loaded_families):
        return list(_loaded_families)
    if QGuiApplication.instance() is None:
        raise RuntimeError("load_bundled_fonts() needs a QGuiApplication; create it first")

    families: list[str] = []
    for path in bundled_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load the bundled font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    missing = [f for f in DOCUMENT_FAMILIES if f not in families]
    if missing:
        log.warning("Bundled fonts missing from %s: %s", fonts_dir(), ", ".join(missing))
    _loaded_families = families
    return list(families)


def _still_registered(families: list[str]) -> bool:
    # A new QGuiApplication after the first one was destroyed starts a fresh font database.
    known = set(QFontDatabase.families())
    return all(f in known for f in families)


def set_document_family(family: str) -> None:
    """Show document text in ``family`` from now on ("" = the bundled Arabic family); the
    bundled families stay behind it for any character it lacks."""
    global _document_family
    _document_family = family.strip()


def document_families() -> list[str]:
    """The families document text is drawn with, in order of preference."""
    chosen = [_document_family] if _document_family else []
    return chosen + [f for f in DOCUMENT_FAMILIES if f != _document_family]


def document_font(point_size: float = 16) -> QFont:
    """The font article text is shown in: the chosen family, else the bundled Arabic family,
    then the Latin one."""
    load_bundled_fonts()
    font = QFont()
    font.setFamilies(document_families())
    font.setPointSizeF(point_size)
    return font
