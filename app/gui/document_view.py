"""Read-only, right-to-left view of one document with entity spans painted under the text.

Every offset in this API is a Python code-point index into the stored text. Qt counts UTF-16
units; the conversion happens here and nowhere else (:class:`~app.core.utf16.Utf16Map`). All
logic (snapping, hit-testing, invisible characters) runs on the stored text, never on the
widget's: ``toPlainText()`` turns NBSP into a space and paragraph separators into ``\\n``.

Spans are never applied as character formats, which would split ligatures at span edges
(``ال|اتفاقية``); they are painted under the glyphs (see :mod:`app.gui.span_paint`). Nesting:
a top-level span gets a translucent background in its colour; a span nested in it (layer 1)
a solid bar under the line, layer 2 a dashed bar below that, layer 3 dotted, layer 4 dash-dot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QTextEdit, QWidget

from app.core.arabic.invisible import find_invisible, visible_symbol
from app.core.arabic.span_snapping import snap_span
from app.core.graphemes import (
    next_grapheme_boundary,
    previous_grapheme_boundary,
    snap_to_grapheme,
)
from app.core.utf16 import Utf16Map
from app.gui import span_paint
from app.gui.fonts import document_font

DEFAULT_POINT_SIZE = 16.0
MIN_POINT_SIZE, MAX_POINT_SIZE = 6.0, 96.0
ZOOM_FACTOR = 1.125
LINE_HEIGHT_PERCENT = 135.0
"""Line spacing; the extra space under each line holds the bars of nested spans."""


@dataclass(frozen=True)
class Highlight:
    """A span to show: code-point range ``[start, end)``, its label colour and its id."""

    start: int
    end: int
    color: QColor | str
    key: str


class DocumentView(QTextEdit):
    """Shows one document right-to-left; selection, spans and hit-testing in code points."""

    spanClicked = Signal(str)  # the span's key, or "" for a click outside every span
    zoomChanged = Signal(float)
    """Emitted with the key of the innermost span under a click (press and release, no drag)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.document().setUndoRedoEnabled(False)
        self._text = ""
        self._map = Utf16Map("")
        self._base_point_size = DEFAULT_POINT_SIZE
        self._point_size = DEFAULT_POINT_SIZE
        self._spans: list[span_paint.Placed] = []
        self._highlights: list[Highlight] = []
        self._hits_cp: list[tuple[int, int]] = []
        self._search_hits: list[tuple[int, int]] = []
        self._evidence: list[tuple[int, int]] = []
        self._evidence_cp: list[tuple[int, int]] = []
        self._suggestions: list[tuple[int, int, QColor, bool]] = []  # UTF-16, focused?
        self._suggestions_shown: list[Highlight] = []
        self._selected_key: str | None = None
        self._show_invisible = False
        self._invisible: list[tuple[int, str]] = []
        self._rects: dict[tuple[int, int], list[QRectF]] = {}
        self._rects_state: tuple[object, ...] = ()
        self._press_pos: QPoint | None = None
        self._apply_font()
        self.document().documentLayout().documentSizeChanged.connect(self._forget_geometry)

    # -- document -------------------------------------------------------------------------------

    def set_document(self, text: str) -> None:
        """Show ``text`` (paragraphs separated by ``\\n``) right-to-left; clears all spans.

        Raises:
            ValueError: Qt would index ``text`` differently from the stored text (e.g. it
                contains ``\\r\\n``, which Qt makes one separator); normalise it at import.
        """
        self._text = text
        self._map = Utf16Map(text)
        self._spans, self._search_hits, self._selected_key = [], [], None
        self._evidence, self._evidence_cp = [], []
        self._suggestions, self._suggestions_shown = [], []
        self._highlights, self._hits_cp = [], []
        self._invisible = find_invisible(text)
        self.setPlainText(text)
        document = self.document()
        document.setUndoRedoEnabled(False)
        option = QTextOption(document.defaultTextOption())
        option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        option.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute)
        document.setDefaultTextOption(option)
        spacing = QTextBlockFormat()
        spacing.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeBlockFormat(spacing)  # a block format: shaping is not affected
        self._reserve_bottom_margin()
        raw = document.toRawText().replace("\u2029", "\n")
        if raw != text.replace("\r", "\n").replace("\u2029", "\n"):
            self.set_document("")  # show nothing rather than spans at shifted offsets
            raise ValueError("Qt indexes this text differently; normalise its newlines first")
        self._forget_geometry()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def text(self) -> str:
        """The stored text (not the widget's, which differs for NBSP and separators)."""
        return self._text

    # -- spans ----------------------------------------------------------------------------------

    def set_highlights(self, spans: Sequence[Highlight]) -> None:
        """Paint ``spans``; overlapping ones get nesting layers (see the module docstring)."""
        valid = [s for s in spans if 0 <= s.start < s.end <= len(self._text)]
        self._highlights = valid
        ranges = [(self._map.to_utf16(s.start), self._map.to_utf16(s.end)) for s in valid]
        layers = span_paint.assign_layers(ranges)
        self._spans = [
            span_paint.Placed(a, b, QColor(s.color), s.key, layer)
            for s, (a, b), layer in zip(valid, ranges, layers, strict=True)
        ]
        self._spans.sort(key=lambda p: (p.layer, p.start))
        self.viewport().update()

    def set_search_hits(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Paint a yellow background under ``ranges`` (code points), below every span."""
        n = len(self._text)
        self._hits_cp = [(a, b) for a, b in ranges if 0 <= a < b <= n]
        self._search_hits = [
            (self._map.to_utf16(a), self._map.to_utf16(b)) for a, b in self._hits_cp
        ]
        self.viewport().update()

    def set_evidence(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Outline ``ranges`` (code points): the evidence of the stance being edited."""
        n = len(self._text)
        self._evidence_cp = [(a, b) for a, b in ranges if 0 <= a < b <= n]
        self._evidence = [
            (self._map.to_utf16(a), self._map.to_utf16(b)) for a, b in self._evidence_cp
        ]
        self.viewport().update()

    def set_suggestions(self, suggestions: Sequence[Highlight], focused: str | None) -> None:
        """Outline ``suggestions`` (code points) dashed in their label's colour, the
        ``focused`` one (its key) bolder: proposals, not labels, drawn over the text's own."""
        n = len(self._text)
        self._suggestions_shown = [s for s in suggestions if 0 <= s.start < s.end <= n]
        self._suggestions = [
            (self._map.to_utf16(s.start), self._map.to_utf16(s.end), QColor(s.color),
             s.key == focused)
            for s in self._suggestions_shown
        ]  # fmt: skip
        self.viewport().update()

    def suggestions(self) -> list[Highlight]:
        """The suggestions outlined (code points)."""
        return list(self._suggestions_shown)

    def evidence(self) -> list[tuple[int, int]]:
        """The evidence ranges outlined, in code points."""
        return list(self._evidence_cp)

    def highlights(self) -> list[Highlight]:
        """The spans shown (those of the last :meth:`set_highlights` that fit the text)."""
        return list(self._highlights)

    def search_hits(self) -> list[tuple[int, int]]:
        """The search hits shown, in code points."""
        return list(self._hits_cp)

    def set_selected_span(self, key: str | None) -> None:
        """Outline the span ``key`` (and strengthen its colour); ``None`` for no span."""
        self._selected_key = key
        self.viewport().update()

    def span_at(self, position_cp: int) -> str | None:
        """Return the key of the innermost span containing the character at ``position_cp``."""
        if not 0 <= position_cp < len(self._text):
            return None
        u = self._map.to_utf16(position_cp)
        hits = [s for s in self._spans if s.start <= u < s.end]
        if not hits:
            return None
        return min(hits, key=lambda s: (s.end - s.start, -s.layer)).key

    def set_show_invisible(self, on: bool) -> None:
        """Mark bidi controls, joiners etc. with a red bar and their name; the text is unchanged."""
        self._show_invisible = on
        self.viewport().update()

    # -- selection ------------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The current selection as code points ``(start, end)``, ``start < end``, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._map.to_code_point(min(cursor.selectionStart(), self._map.utf16_length))
        end = self._map.to_code_point(min(cursor.selectionEnd(), self._map.utf16_length))
        return (start, end) if start < end else None

    def set_selection(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points): anchor at ``start``, caret at ``end``."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def snapped_selection(
        self, *, snap: bool = True, strip_proclitics: bool = True, strip_article: bool = False
    ) -> tuple[int, int] | None:
        """The selection made a clean span, or None when nothing (usable) is selected.

        With ``snap``, :func:`~app.core.arabic.span_snapping.snap_span` (whole words, clitics
        stripped as asked); without, only widened to grapheme-cluster boundaries.
        """
        selected = self.selection()
        if selected is None:
            return None
        start, end = selected
        if snap:
            start, end = snap_span(
                self._text,
                start,
                end,
                strip_proclitics=strip_proclitics,
                strip_article=strip_article,
            )
        else:
            start = snap_to_grapheme(self._text, start, forward=False)
            end = snap_to_grapheme(self._text, end, forward=True)
        return (start, end) if start < end else None

    def move_selection_start(self, delta_graphemes: int) -> None:
        """Move the selection's start by whole grapheme clusters (+1 = later in the text)."""
        start, end = self._selection_or_caret()
        moved = self._step(start, delta_graphemes)
        if moved >= end:
            moved = previous_grapheme_boundary(self._text, end) if start < end else start
        self.set_selection(max(moved, 0), end)

    def move_selection_end(self, delta_graphemes: int) -> None:
        """Move the selection's end by whole grapheme clusters (+1 = later in the text)."""
        start, end = self._selection_or_caret()
        moved = self._step(end, delta_graphemes)
        if moved <= start:
            moved = next_grapheme_boundary(self._text, start) if start < end else end
        self.set_selection(start, moved)

    def _selection_or_caret(self) -> tuple[int, int]:
        selected = self.selection()
        if selected is not None:
            return selected
        caret = self._map.to_code_point(min(self.textCursor().position(), self._map.utf16_length))
        return caret, caret

    def _step(self, position: int, delta: int) -> int:
        for _ in range(abs(delta)):
            if delta > 0 and position < len(self._text):
                position = next_grapheme_boundary(self._text, position)
            elif delta < 0 and position > 0:
                position = previous_grapheme_boundary(self._text, position)
        return position

    # -- view -----------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._set_point_size(self._point_size * ZOOM_FACTOR)

    def zoom_out(self) -> None:
        self._set_point_size(self._point_size / ZOOM_FACTOR)

    def reset_zoom(self) -> None:
        self._set_point_size(self._base_point_size)

    def point_size(self) -> float:
        return self._point_size

    def scroll_to(self, position_cp: int) -> None:
        """Scroll so that the line holding ``position_cp`` is in the middle of the view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(max(0, min(position_cp, len(self._text)))))
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.center().y() - self.viewport().height() // 2)
        self.horizontalScrollBar().setValue(
            self.horizontalScrollBar().value() + rect.x() - self.viewport().width() // 2
        )

    def set_point_size(self, size: float) -> None:
        """Set the text size (e.g. the one the user zoomed to last time)."""
        self._set_point_size(size)

    def _set_point_size(self, size: float) -> None:
        self._point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        self._apply_font()
        self.zoomChanged.emit(self._point_size)

    def _apply_font(self) -> None:
        font = document_font(self._point_size)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._reserve_bottom_margin()
        self._forget_geometry()

    def _reserve_bottom_margin(self) -> None:
        """Leave room under the last line for its nesting bars (other lines have spacing)."""
        document = self.document()
        frame = document.rootFrame().frameFormat()
        frame.setBottomMargin(document.documentMargin() + self.fontMetrics().height() * 0.4)
        document.rootFrame().setFrameFormat(frame)

    # -- events ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus)
        ):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (ctrl and key == Qt.Key.Key_Minus):
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.reset_zoom()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or pressed is None:
            return
        point = event.position().toPoint()
        if (point - pressed).manhattanLength() >= QApplication.startDragDistance():
            return
        character = self.character_at(point)
        key = None if character is None else self.span_at(character)
        self.spanClicked.emit(key or "")  # "": a click beside every span deselects

    def character_at(self, point: QPoint) -> int | None:
        """Return the code point of the character drawn at viewport ``point``, or None.

        ``cursorForPosition`` gives a caret position, which may be on either side of the
        character (and is off by one in wrapped right-to-left lines), so the glyph boxes of the
        characters around it are checked.
        """
        if not self._text:
            return None
        at = QPointF(point) + self._scroll_offset()
        caret = self.cursorForPosition(point).position()
        for u in sorted(range(caret - 2, caret + 2), key=lambda u: abs(u - caret + 0.5)):
            if not 0 <= u < self._map.utf16_length:
                continue
            if any(r.contains(at) for r in span_paint.range_rects(self.document(), u, u + 1)):
                return self._map.to_code_point(u)
        return None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._forget_geometry()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        offset = self._scroll_offset()
        painter.translate(-offset)
        visible = QRectF(event.rect()).translated(offset)
        try:
            self._paint_spans(painter, visible)
        finally:
            painter.end()
        super().paintEvent(event)
        if self._show_invisible and self._invisible:
            painter = QPainter(self.viewport())
            painter.translate(-offset)
            try:
                self._paint_invisible(painter, visible)
            finally:
                painter.end()

    # -- painting -------------------------------------------------------------------------------

    def _paint_spans(self, painter: QPainter, visible: QRectF) -> None:
        hits = [self._visible_rects(a, b, visible) for a, b in self._search_hits]
        spans = [(s, self._visible_rects(s.start, s.end, visible)) for s in self._spans]
        font = self.document().defaultFont()
        span_paint.paint_spans(painter, hits, spans, self._selected_key, font)
        on_dark = self.palette().base().color().lightness() < 128
        for a, b, color, focused in self._suggestions:
            rects = self._visible_rects(a, b, visible)
            span_paint.paint_suggestion(painter, rects, color, focused=focused, on_dark=on_dark)
        for a, b in self._evidence:
            span_paint.paint_evidence(painter, self._visible_rects(a, b, visible))

    def _paint_invisible(self, painter: QPainter, visible: QRectF) -> None:
        font = self.document().defaultFont()
        for index, _name in self._invisible:
            rect = span_paint.caret_rect(self.document(), self._map.to_utf16(index))
            if rect is not None and rect.adjusted(-1, 0, 60, 0).intersects(visible):
                label = visible_symbol(self._text[index])
                span_paint.paint_invisible_marker(painter, rect, label, font)

    def _visible_rects(self, start: int, end: int, visible: QRectF) -> list[QRectF]:
        state = (self.viewport().width(), self.lineWrapMode(), self._point_size)
        if state != self._rects_state:
            self._rects, self._rects_state = {}, state
        rects = self._rects.get((start, end))
        if rects is None:
            rects = self._rects[(start, end)] = span_paint.range_rects(self.document(), start, end)
        margin = visible.adjusted(0, -self.fontMetrics().height(), 0, self.fontMetrics().height())
        return [r for r in rects if r.intersects(margin)]

    def _forget_geometry(self, *_: object) -> None:
        self._rects = {}

    def _scroll_offset(self) -> QPointF:
        bar = self.horizontalScrollBar()
        x = bar.maximum() - bar.value() if self.isRightToLeft() else bar.value()
        return QPointF(x, self.verticalScrollBar().value())
