"""The bundled fonts load, are the ones Qt picks for Arabic, and shape and order mixed text."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetricsF, QRawFont, QTextLayout
from PySide6.QtWidgets import QApplication, QTextEdit

from app.gui.fonts import (
    ARABIC_FAMILY,
    LATIN_FAMILY,
    bundled_font_files,
    document_font,
    fonts_dir,
    load_bundled_fonts,
)

MIXED = "الاتحاد الأوروبي Nvidia 2024"
# Set TAWSIM_FONT_CHECK_PNG=/tmp/font_check.png to keep the rendering for a look.
PNG_ENV = "TAWSIM_FONT_CHECK_PNG"


def _own_coverage(family: str, char: str) -> bool:
    """Whether the font file itself has the character (QFontMetricsF counts fallback fonts too)."""
    raw = QRawFont.fromFont(QFont(family))
    assert raw.isValid() and raw.familyName() == family
    return raw.supportsCharacter(ord(char))


def _glyphs(text: str, family: str) -> list[int]:
    layout = QTextLayout(text, QFont(family, 20))
    layout.beginLayout()
    layout.createLine().setLineWidth(10_000)
    layout.endLayout()
    glyphs: list[int] = []
    for run in layout.glyphRuns():
        assert run.rawFont().familyName() == family
        glyphs.extend(run.glyphIndexes())
    return glyphs


def test_bundled_files_and_licence_are_present() -> None:
    names = {p.name for p in bundled_font_files()}
    assert {
        "NotoNaskhArabic-Regular.ttf",
        "NotoNaskhArabic-Bold.ttf",
        "NotoSans-Regular.ttf",
    } <= names
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts_dir() / "OFL.txt").read_text("utf-8")


def test_bundled_families_load(qapp: QApplication) -> None:
    families = load_bundled_fonts()
    assert ARABIC_FAMILY in families
    assert LATIN_FAMILY in families
    assert load_bundled_fonts() == families  # registered once, same answer
    known = QFontDatabase.families()
    assert ARABIC_FAMILY in known and LATIN_FAMILY in known
    assert QFontDatabase.isSmoothlyScalable(ARABIC_FAMILY)
    assert QFontDatabase.bold(ARABIC_FAMILY, "Bold")


def test_document_font_resolves_to_the_bundled_arabic_family(qapp: QApplication) -> None:
    font = document_font(18)
    assert font.families() == [ARABIC_FAMILY, LATIN_FAMILY]
    assert font.pointSizeF() == 18
    resolved = QFontInfo(font).family()
    assert resolved == ARABIC_FAMILY
    assert "DejaVu" not in resolved


def test_arabic_and_latin_coverage(qapp: QApplication) -> None:
    metrics = QFontMetricsF(document_font())
    assert metrics.inFontUcs4(ord("ب"))
    assert metrics.inFontUcs4(ord("A"))
    # Each family's own file: Arabic in Naskh, Latin in Noto Sans; Naskh has no Latin letters,
    # which is why the document font chains the two.
    assert _own_coverage(ARABIC_FAMILY, "ب")
    assert _own_coverage(LATIN_FAMILY, "A")
    assert not _own_coverage(ARABIC_FAMILY, "A")


def test_arabic_letters_join(qapp: QApplication) -> None:
    load_bundled_fonts()
    (isolated,) = _glyphs("ب", ARABIC_FAMILY)
    joined = _glyphs("ببب", ARABIC_FAMILY)
    # Initial, medial and final forms: three glyphs, none of them the isolated one.
    assert len(joined) == 3
    assert len(set(joined)) == 3
    assert isolated not in joined


def test_mixed_text_renders_right_to_left_in_the_right_fonts(
    qapp: QApplication, tmp_path: Path
) -> None:
    edit = QTextEdit()
    edit.setReadOnly(True)
    edit.setFont(document_font(28))
    edit.setPlainText(MIXED)
    edit.resize(700, 120)
    edit.show()
    qapp.processEvents()

    block = edit.document().firstBlock()
    assert block.textDirection().name == "RightToLeft"
    layout = block.layout()
    assert layout.lineCount() == 1
    runs = layout.lineAt(0).glyphRuns()  # a document block's QTextLayout.glyphRuns() is empty
    arabic_runs = [r for r in runs if r.rawFont().familyName() == ARABIC_FAMILY]
    latin_runs = [r for r in runs if r.rawFont().familyName() == LATIN_FAMILY]
    assert arabic_runs and latin_runs
    assert {r.rawFont().familyName() for r in runs} <= {ARABIC_FAMILY, LATIN_FAMILY}
    assert any(r.isRightToLeft() for r in arabic_runs)
    # Right-to-left paragraph: the Arabic words sit right of "Nvidia".
    latin_right = max(r.boundingRect().right() for r in latin_runs)
    arabic_left = min(r.boundingRect().left() for r in arabic_runs if r.isRightToLeft())
    assert arabic_left >= latin_right - 1

    image = edit.viewport().grab().toImage()
    assert not image.isNull()
    path = Path(os.environ.get(PNG_ENV) or tmp_path / "font_check.png")
    assert image.save(str(path))
    ink = [
        x
        for x in range(image.width())
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y).lightness() < 128
    ]
    assert ink, "nothing was drawn"
    # Right-aligned: ink reaches the right edge, and most of it is in the right half.
    assert max(ink) > image.width() * 0.9
    assert sum(ink) / len(ink) > image.width() / 2
    edit.close()
