"""Span highlighting must never change how Arabic is shaped; screenshots of the real thing.

The glyph-level tests compare ``QTextLayout.glyphRuns`` (glyph ids and positions) of every block
with and without highlights. They also show that the check can see breakage: a character format
starting inside the lam-alef ligature of الاتفاقية does change the glyphs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontInfo, QImage, QTextCharFormat, QTextCursor

from app.gui import span_paint
from app.gui.document_view import DocumentView, Highlight

SEED = "000_21805d7ab441cd75.txt"
CHECK_PNG = Path("/tmp/docview_check.png")
ZOOM_PNG = Path("/tmp/docview_zoom.png")
ORG, GPE, PER, MISC = QColor("#E5484D"), QColor("#30A46C"), QColor("#4C9AFF"), QColor("#8E4EC6")

GlyphRuns = list[tuple[tuple[int, ...], tuple[tuple[float, float], ...]]]


def glyph_runs(view: DocumentView) -> GlyphRuns:
    """Glyph ids and positions of every laid-out block, in order."""
    document = view.document()
    runs: GlyphRuns = []
    block = document.firstBlock()
    while block.isValid():
        document.documentLayout().blockBoundingRect(block)  # make sure it is laid out
        # PySide6 6.11 returns nothing for glyphRuns() without arguments: pass the range.
        for run in block.layout().glyphRuns(0, block.length()):
            positions = tuple((round(p.x(), 3), round(p.y(), 3)) for p in run.positions())
            runs.append((tuple(run.glyphIndexes()), positions))
        block = block.next()
    return runs


def glyph_ids(runs: GlyphRuns) -> list[int]:
    return sorted(glyph for ids, _ in runs for glyph in ids)


@pytest.fixture
def view(qtbot) -> DocumentView:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_document_font_is_the_bundled_naskh(view: DocumentView) -> None:
    assert QFontInfo(view.document().defaultFont()).family() == "Noto Naskh Arabic"


@pytest.mark.parametrize(
    ("word", "span_start"),
    [
        ("بالاتحاد", 1),  # span edge just after the clitic ب, inside a joined word
        ("الاتفاقية", 2),  # ال|اتفاقية: span edge inside the lam-alef ligature
    ],
)
def test_highlights_do_not_change_glyphs(view: DocumentView, word: str, span_start: int) -> None:
    text = f"قال إن {word} مهمة"
    view.set_document(text)
    start = text.index(word) + span_start
    end = text.index(word) + len(word)
    plain = glyph_runs(view)
    assert plain  # the check is not vacuous

    view.set_highlights([Highlight(start, end, ORG, "span")])
    view.set_search_hits([(start, end)])
    view.set_selected_span("span")
    view.set_show_invisible(True)
    view.grab()
    assert glyph_runs(view) == plain

    view.set_highlights(
        [Highlight(start - span_start, end, PER, "outer"), Highlight(start, end, ORG, "inner")]
    )
    view.grab()
    assert glyph_runs(view) == plain


def test_char_formats_break_the_lam_alef_ligature(view: DocumentView) -> None:
    """The failure mode DocumentView avoids, detected by the same comparison."""
    text = "قال إن الاتفاقية مهمة"
    view.set_document(text)
    plain = glyph_runs(view)
    cursor = QTextCursor(view.document())
    cursor.setPosition(text.index("الاتفاقية") + 2)
    cursor.setPosition(text.index("الاتفاقية") + len("الاتفاقية"), QTextCursor.MoveMode.KeepAnchor)
    background = QTextCharFormat()
    background.setBackground(QColor("#E5484D"))
    cursor.mergeCharFormat(background)
    formatted = glyph_runs(view)
    assert formatted != plain
    assert glyph_ids(formatted) != glyph_ids(plain)  # different glyphs, not only split runs


def test_highlights_do_not_change_glyphs_of_a_whole_article(
    view: DocumentView, seeds_dir: Path
) -> None:
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    view.set_document(text)
    plain = glyph_runs(view)
    view.set_highlights(_article_spans(text))
    view.grab()
    assert glyph_runs(view) == plain


def _at(text: str, needle: str, occurrence: int = 0) -> int:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return index


def _article_spans(text: str) -> list[Highlight]:
    person = _at(text, "منسق السياسة الخارجية بالاتحاد الأوروبي جوزيب بوريل")
    union = _at(text, "الاتحاد الأوروبي جوزيب")
    agreement = _at(text, "الاتفاقية")
    ministry = _at(text, "وزارة الدفاع اليابانية")
    return [
        Highlight(
            person, person + len("منسق السياسة الخارجية بالاتحاد الأوروبي جوزيب بوريل"), PER, "per"
        ),
        Highlight(union, union + len("الاتحاد الأوروبي"), ORG, "org-eu"),  # inside بالاتحاد
        Highlight(union + len("الاتحاد "), union + len("الاتحاد الأوروبي"), GPE, "gpe-eu"),
        Highlight(agreement + 2, agreement + len("الاتفاقية"), MISC, "lam-alef"),
        Highlight(ministry, ministry + len("وزارة الدفاع اليابانية"), ORG, "org-mod"),
        Highlight(
            ministry + len("وزارة الدفاع "), ministry + len("وزارة الدفاع اليابانية"), GPE, "gpe-jp"
        ),
        Highlight(_at(text, "ICBM"), _at(text, "ICBM") + 4, ORG, "icbm"),
        Highlight(_at(text, "2022"), _at(text, "2022") + 4, MISC, "year"),
        Highlight(_at(text, "اليابان"), _at(text, "اليابان") + len("اليابان"), GPE, "jp"),
    ]


def _colours(image: QImage, rect: QRect | None = None) -> set[int]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    if rect is not None:
        image = image.copy(rect)
    pixels = memoryview(image.constBits()).cast("I")
    return {value & 0xFFFFFF for value in pixels}


def _blend(colour: QColor, alpha: int) -> tuple[int, int, int]:
    """``colour`` at ``alpha`` painted over white."""
    a = alpha / 255
    return tuple(round(c * a + 255 * (1 - a)) for c in colour.getRgb()[:3])  # type: ignore[return-value]


def _present(colours: set[int], rgb: tuple[int, int, int], tolerance: int = 3) -> bool:
    return any(
        all(
            abs(((value >> shift) & 0xFF) - c) <= tolerance
            for shift, c in zip((16, 8, 0), rgb, strict=True)
        )
        for value in colours
    )


def test_screenshot_of_a_highlighted_article(
    view: DocumentView, seeds_dir: Path, tmp_path: Path
) -> None:
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    view.resize(900, 1300)
    view.set_document(text)
    view.set_highlights(_article_spans(text))
    view.set_search_hits([(_at(text, "طوكيو", k), _at(text, "طوكيو", k) + 5) for k in range(3)])
    view.set_selected_span("org-eu")
    pixmap = view.grab()
    path = tmp_path / "docview.png"
    assert pixmap.save(str(path))
    shutil.copyfile(path, CHECK_PNG)

    colours = _colours(pixmap.toImage())
    assert len(colours) > 50  # text, anti-aliasing and highlights: not a blank widget
    alpha = span_paint.BACKGROUND_ALPHA
    for top_level in (PER, MISC, GPE):
        assert _present(colours, _blend(top_level, alpha)), top_level.name()
    assert _present(colours, (GPE.red(), GPE.green(), GPE.blue()), tolerance=12)  # nested bar
    hit = span_paint.SEARCH_HIT_COLOR
    assert _present(colours, _blend(hit, hit.alpha()))


def test_zoomed_crop_around_a_clitic_edge(view: DocumentView, seeds_dir: Path, tmp_path: Path):
    text = (seeds_dir / SEED).read_text(encoding="utf-8")
    view.resize(1500, 900)
    view.set_document(text)
    while view.point_size() < 40:
        view.zoom_in()
    start = _at(text, "بالاتحاد الأوروبي جوزيب") + 1  # الاتحاد inside بالاتحاد
    view.set_highlights([Highlight(start, start + len("الاتحاد"), ORG, "org")])
    view.scroll_to(start)
    rect = view.cursorRect(_cursor(view, start)).united(view.cursorRect(_cursor(view, start + 7)))
    crop = rect.adjusted(-260, -40, 260, 60).intersected(view.viewport().rect())
    image = view.viewport().grab(crop)
    path = tmp_path / "docview_zoom.png"
    assert image.save(str(path))
    shutil.copyfile(path, ZOOM_PNG)
    assert _present(_colours(image.toImage()), _blend(ORG, span_paint.BACKGROUND_ALPHA))


def _cursor(view: DocumentView, position: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)  # the seed has no astral characters: UTF-16 == code points
    return cursor
