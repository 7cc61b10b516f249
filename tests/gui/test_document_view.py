"""DocumentView: code-point API over Qt's UTF-16 positions, snapping, spans, hit-testing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit

from app.core.utf16 import Utf16Map
from app.gui import span_paint
from app.gui.document_view import DocumentView, Highlight

# Astral characters (a thumbs-up with a skin tone: two code points, four UTF-16 units) and a
# word with tashkeel before the words under test, so any UTF-16/code-point mix-up shows.
TEXT = (
    "👍🏽 وَقالَ إنَّ المنسق بالاتحاد الأوروبي أيضًا في طوكيو ICBM 2022.\n"
    "سطر ثانٍ فيه الاتفاقية\u00a0الجديدة"
)
WORD = "بالاتحاد"


def _at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def view(qtbot) -> DocumentView:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.set_document(TEXT)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_widget_text_matches_stored_text(view: DocumentView) -> None:
    document = view.document()
    assert document.toRawText().replace("\u2029", "\n") == TEXT
    assert document.toPlainText() == TEXT.replace("\u00a0", " ")  # why logic uses the stored text
    assert view.text() == TEXT
    assert view.isReadOnly()
    assert document.defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft


def test_set_document_rejects_text_qt_would_index_differently(view: DocumentView) -> None:
    with pytest.raises(ValueError, match="newlines"):
        view.set_document("سطر\r\nسطر")
    assert view.text() == "" == view.toPlainText()


def test_set_selection_round_trips_in_code_points(view: DocumentView) -> None:
    start, end = _at(WORD)
    view.set_selection(start, end)
    assert view.selection() == (start, end)
    assert TEXT[slice(*view.selection())] == WORD
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (start + 2, end + 2)  # two astral chars
    view.set_selection(end, start)  # backwards: anchor at end
    assert view.selection() == (start, end)
    assert view.textCursor().position() == start + 2


def test_selection_made_with_qt_cursor_is_converted(view: DocumentView) -> None:
    start, end = _at("الأوروبي")
    utf16 = Utf16Map(TEXT)
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16.to_utf16(start))
    cursor.setPosition(utf16.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert utf16.to_utf16(start) == start + 2
    assert view.selection() == (start, end)
    cursor.clearSelection()
    view.setTextCursor(cursor)
    assert view.selection() is None


def test_sloppy_selection_inside_clitic_word_snaps_to_the_name(view: DocumentView) -> None:
    start, end = _at(WORD)
    view.set_selection(start + 3, end - 2)  # "اتح" from inside بالاتحاد
    assert view.snapped_selection() is not None
    snapped = view.snapped_selection()
    assert snapped is not None
    assert TEXT[slice(*snapped)] == "الاتحاد"
    kept = view.snapped_selection(strip_proclitics=False)
    assert kept is not None
    assert TEXT[slice(*kept)] == WORD
    bare = view.snapped_selection(strip_article=True)
    assert bare is not None
    assert TEXT[slice(*bare)] == "اتحاد"


def test_grapheme_snapping_never_splits_a_letter_from_its_tashkeel(view: DocumentView) -> None:
    start, end = _at("أيضًا")
    tanween = TEXT.index("\u064b", start)
    view.set_selection(start, tanween)  # ends between ض and its tanween
    assert view.snapped_selection(snap=False) == (start, tanween + 1)
    view.set_selection(tanween, end)  # starts between ض and its tanween
    assert view.snapped_selection(snap=False) == (tanween - 1, end)
    assert view.snapped_selection() == (start, end)


def test_snapped_selection_of_nothing_useful_is_none(view: DocumentView) -> None:
    assert view.snapped_selection() is None
    space = TEXT.index(" ")
    view.set_selection(space, space + 1)
    assert view.snapped_selection() is None


def test_move_selection_edges_by_graphemes(view: DocumentView) -> None:
    start, end = _at("الاتحاد")
    view.set_selection(start, end)
    view.move_selection_start(-1)
    assert view.selection() == (start - 1, end)  # now بالاتحاد
    view.move_selection_start(+1)
    view.move_selection_end(+2)
    assert view.selection() == (start, end + 2)  # the space and ا of الأوروبي
    view.move_selection_start(+1000)  # clamped: one cluster stays selected
    assert view.selection() == (end + 1, end + 2)
    view.move_selection_end(-1000)
    assert view.selection() == (end + 1, end + 2)
    view.move_selection_start(-1000)
    assert view.selection() == (0, end + 2)

    word, _ = _at("أيضًا")
    view.set_selection(word, word + 2)  # أي
    view.move_selection_end(+1)
    assert view.selection() == (word, word + 4)  # ض and its tanween move together
    view.move_selection_end(-1)
    assert view.selection() == (word, word + 2)


def test_move_selection_from_a_bare_caret(view: DocumentView) -> None:
    start, _ = _at(WORD)
    view.set_selection(start, start)
    assert view.selection() is None
    view.move_selection_end(+1)
    assert view.selection() == (start, start + 1)


def test_move_selection_over_an_astral_character(view: DocumentView) -> None:
    view.set_selection(0, 0)
    view.move_selection_end(+1)  # 👍🏽 is one grapheme of two code points
    assert view.selection() == (0, 2)


def test_span_at_returns_the_innermost_span(view: DocumentView) -> None:
    outer = _at("المنسق بالاتحاد الأوروبي")
    org = _at("الاتحاد الأوروبي")
    gpe = _at("الأوروبي")
    view.set_highlights(
        [
            Highlight(*outer, color="#4C9AFF", key="per"),
            Highlight(*org, color="#E5484D", key="org"),
            Highlight(*gpe, color="#30A46C", key="gpe"),
        ]
    )
    assert [h.key for h in view.highlights()] == ["per", "org", "gpe"]
    assert view.span_at(gpe[0] + 1) == "gpe"
    assert view.span_at(org[0] + 1) == "org"
    assert view.span_at(outer[0]) == "per"
    assert view.span_at(outer[1]) is None  # end is exclusive
    assert view.span_at(0) is None
    assert view.span_at(len(TEXT)) is None


def test_layers_separate_overlapping_spans() -> None:
    assert span_paint.assign_layers([(0, 10), (2, 5), (3, 4), (6, 8), (12, 14)]) == [
        0,
        1,
        2,
        1,
        0,
    ]
    assert span_paint.assign_layers([(5, 15), (0, 10)]) == [1, 0]  # crossing spans
    assert span_paint.assign_layers([]) == []


def _character_centre(view: DocumentView, position_cp: int) -> QPoint:
    utf16 = Utf16Map(view.text())
    left, right = QTextCursor(view.document()), QTextCursor(view.document())
    left.setPosition(utf16.to_utf16(position_cp))
    right.setPosition(utf16.to_utf16(position_cp + 1))
    a, b = view.cursorRect(left), view.cursorRect(right)
    return QPoint((a.center().x() + b.center().x()) // 2, a.center().y())


def test_click_on_a_span_emits_its_key(view: DocumentView, qtbot) -> None:
    view.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
    view.resize(1600, 300)
    org = _at("الاتحاد الأوروبي")
    gpe = _at("الأوروبي")
    view.set_highlights(
        [Highlight(*org, color="#E5484D", key="org"), Highlight(*gpe, color="green", key="gpe")]
    )
    inside_org = _character_centre(view, org[0] + 4)  # the ح of الاتحاد
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside_org)
    assert blocker.args == ["org"]
    inside_gpe = _character_centre(view, gpe[0] + 4)
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside_gpe)
    assert blocker.args == ["gpe"]
    outside = _character_centre(view, TEXT.index("طوكيو") + 2)
    with qtbot.waitSignal(view.spanClicked, timeout=1000) as blocker:  # "": deselect
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=outside)
    assert blocker.args == [""]


def test_character_at_is_exact_in_wrapped_right_to_left_lines(qtbot, seeds_dir) -> None:
    """Qt's own hit-testing is about a character off in wrapped RTL lines; ours is not."""
    text = (seeds_dir / "000_21805d7ab441cd75.txt").read_text(encoding="utf-8")[:700]
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(420, 2400)
    widget.set_document(text)
    widget.show()
    wrong = []
    for index, char in enumerate(text):
        if char in " \n" or (char in "اأإآ" and text[index - 1] == "ل"):
            continue  # the alef of a lam-alef ligature shares its glyph box with the lam
        rects = span_paint.range_rects(widget.document(), index, index + 1)
        centre = rects[0].center()
        if widget.character_at(QPoint(int(centre.x()), int(centre.y()))) != index:
            wrong.append(index)
    assert wrong == []


def test_range_rects_split_a_range_across_a_direction_change(qtbot) -> None:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    text = "قال ABC DEF اليوم"
    widget.set_document(text)
    widget.show()
    # Visually: اليوم | ABC DEF | قال — so "DEF اليوم" is two pieces with ABC between them.
    start, end = text.index("DEF"), len(text)
    rects = span_paint.range_rects(widget.document(), start, end)
    abc = span_paint.range_rects(widget.document(), text.index("ABC"), text.index("ABC") + 3)
    assert len(rects) == 2
    assert len(abc) == 1
    left, right = sorted(rects, key=lambda r: r.x())
    assert left.right() <= abc[0].left() + 0.5
    assert abc[0].right() <= right.left() + 0.5


def test_highlights_and_markers_leave_the_document_untouched(view: DocumentView) -> None:
    document = view.document()
    before = (document.toHtml(), document.toRawText(), document.toPlainText())
    view.set_highlights(
        [
            Highlight(*_at("الاتحاد"), color="#E5484D", key="a"),
            Highlight(TEXT.index("الاتفاقية") + 2, _at("الاتفاقية")[1], color="blue", key="b"),
        ]
    )
    view.set_search_hits([_at("طوكيو"), (5, 2), (0, len(TEXT) + 1)])  # bad ranges are dropped
    assert view.search_hits() == [_at("طوكيو")]
    view.set_selected_span("a")
    view.set_show_invisible(True)
    view.grab()  # paint everything once
    assert (document.toHtml(), document.toRawText(), document.toPlainText()) == before


def test_show_invisible_keeps_text_and_offsets(qtbot) -> None:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    text = "قال \u200fمرحبا\u200f و\u202bنص\u202c و\u200cكلمة"
    widget.set_document(text)
    widget.show()
    plain = widget.document().toPlainText()
    widget.set_show_invisible(True)
    image = widget.grab().toImage()
    assert widget.document().toPlainText() == plain == text
    start = text.index("مرحبا")
    widget.set_selection(start, start + 5)
    assert widget.selection() == (start, start + 5)
    reds = {
        (c.red(), c.green(), c.blue())
        for y in range(0, image.height(), 2)
        for x in range(image.width())
        if (c := image.pixelColor(x, y)).red() > 180 and c.green() < 80 and c.blue() < 80
    }
    assert reds  # the markers are painted


def test_zoom(view: DocumentView, qtbot) -> None:
    base = view.point_size()
    view.zoom_in()
    assert view.point_size() > base
    assert view.document().defaultFont().pointSizeF() == pytest.approx(view.point_size())
    view.reset_zoom()
    assert view.point_size() == base
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() > base
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() == base
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() < base
    assert view.toPlainText() == TEXT.replace("\u00a0", " ")


def test_scroll_to_brings_a_position_into_view(qtbot, seeds_dir) -> None:
    text = (seeds_dir / "000_21805d7ab441cd75.txt").read_text(encoding="utf-8")
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.resize(500, 200)
    widget.set_document(text)
    widget.show()
    target = text.index("اكتشاف المزيد")
    widget.scroll_to(target)
    assert widget.verticalScrollBar().value() > 0
    cursor = QTextCursor(widget.document())
    cursor.setPosition(Utf16Map(text).to_utf16(target))
    assert widget.viewport().rect().contains(widget.cursorRect(cursor).center())


def test_empty_document(qtbot) -> None:
    widget = DocumentView()
    qtbot.addWidget(widget)
    widget.set_document("")
    widget.set_highlights([Highlight(0, 3, "red", "out-of-range")])  # ignored, not an error
    widget.move_selection_end(+1)
    assert widget.selection() is None
    assert widget.snapped_selection() is None
    assert widget.span_at(0) is None
    widget.scroll_to(0)
    widget.grab()
