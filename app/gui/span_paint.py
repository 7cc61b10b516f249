"""Geometry and painting of span highlights for :class:`~app.gui.document_view.DocumentView`.

Spans are painted *under* the text by the widget itself, never with character formats: a format
boundary inside a ligature (``ال|اتفاقية``) makes Qt shape the two sides separately and the
lam-alef ligature falls apart. Painting leaves the document, and so the glyphs, untouched.

Geometry comes from the laid-out glyphs: for a range of a line, ``QTextLayout.glyphRuns`` returns
exactly the glyphs of that range with their positions, so the union of ``[x, x + advance]`` boxes
is the range's visual extent, correct in mixed Arabic/Latin lines (where one logical range can be
several visual pieces) and where ``QTextLine.cursorToX`` is ambiguous at direction changes.
All positions in this module are Qt's: UTF-16 units, document coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTextDocument, QTextLayout

_GLYPHS = (
    QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphIndexes
    | QTextLayout.GlyphRunRetrievalFlag.RetrieveGlyphPositions
)
BAR_STYLES: tuple[Qt.PenStyle, ...] = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
)
"""Pen style of the bar of nesting layer 1, 2, 3, 4 (then repeating)."""
SEARCH_HIT_COLOR = QColor(255, 221, 0, 150)
BACKGROUND_ALPHA = 80
SELECTED_ALPHA = 70
INVISIBLE_COLOR = QColor(220, 0, 0)
_MERGE_GAP = 2.0  # px; glyph boxes of one range closer than this are one piece


@dataclass(frozen=True)
class Placed:
    """A span to paint: Qt range ``[start, end)``, its colour and its nesting layer."""

    start: int
    end: int
    color: QColor
    key: str
    layer: int


def assign_layers(ranges: Sequence[tuple[int, int]]) -> list[int]:
    """Give every range a layer so that ranges that overlap never share one.

    Ranges are visited by ``(start, -end)`` (outermost first) and take the smallest layer no
    overlapping, still open range holds: a top-level span gets 0, a span nested in it 1, a span
    nested in that 2, and so on. Returns the layers in the order of ``ranges``.
    """
    order = sorted(range(len(ranges)), key=lambda i: (ranges[i][0], -ranges[i][1]))
    layers = [0] * len(ranges)
    open_spans: list[tuple[int, int]] = []  # (end, layer)
    for i in order:
        start, end = ranges[i]
        open_spans = [(e, layer) for e, layer in open_spans if e > start]
        taken = {layer for _, layer in open_spans}
        layer = next(n for n in range(len(taken) + 1) if n not in taken)
        layers[i] = layer
        open_spans.append((end, layer))
    return layers


def range_rects(document: QTextDocument, start: int, end: int) -> list[QRectF]:
    """Return the visual rectangles (one per line piece) covering the text ``[start, end)``.

    Each rectangle is a full line high. A range made only of zero-width glyphs (a mark, the
    hidden half of a ligature, a control character) gets a 1-pixel-wide rectangle at its place.
    """
    rects: list[QRectF] = []
    layout_engine = document.documentLayout()
    block = document.findBlock(start)
    while block.isValid() and block.position() < end:
        layout_engine.blockBoundingRect(block)  # lays the block out if it is not yet
        layout = block.layout()
        origin = layout.position()
        first = max(start, block.position()) - block.position()
        last = min(end, block.position() + block.length() - 1) - block.position()
        for index in range(layout.lineCount() if last > first else 0):
            line = layout.lineAt(index)
            a = max(first, line.textStart())
            b = min(last, line.textStart() + line.textLength())
            if b <= a:
                continue
            top = origin.y() + line.y()
            for x0, x1 in _glyph_extents(layout, a, b - a):
                rects.append(QRectF(origin.x() + x0, top, max(x1 - x0, 1.0), line.height()))
        block = block.next()
    return rects


def caret_rect(document: QTextDocument, position: int) -> QRectF | None:
    """Return a zero-width, line-high rectangle at caret ``position`` (document coordinates)."""
    block = document.findBlock(position)
    if not block.isValid():
        return None
    document.documentLayout().blockBoundingRect(block)
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position())
    if not line.isValid():
        return None
    x, _ = line.cursorToX(position - block.position())
    origin = layout.position()
    return QRectF(origin.x() + x, origin.y() + line.y(), 0.0, line.height())


def _glyph_extents(layout: QTextLayout, start: int, length: int) -> list[tuple[float, float]]:
    boxes: list[tuple[float, float]] = []
    for run in layout.glyphRuns(start, length, _GLYPHS):
        font = run.rawFont()
        glyphs = run.glyphIndexes()
        advances = font.advancesForGlyphIndexes(glyphs)
        for glyph, position, advance in zip(glyphs, run.positions(), advances, strict=False):
            if advance.x() > 0.01:
                boxes.append((position.x(), position.x() + advance.x()))
            else:  # a mark, or the alef hidden in a lam-alef ligature: take its ink
                ink = font.boundingRect(glyph)
                boxes.append((position.x() + ink.left(), position.x() + ink.right()))
    wide = sorted(box for box in boxes if box[1] - box[0] > 0.01)
    if not wide:
        return [boxes[0]] if boxes else []
    merged = [wide[0]]
    for x0, x1 in wide[1:]:
        if x0 <= merged[-1][1] + _MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    return merged


def with_alpha(color: QColor, alpha: int) -> QColor:
    translucent = QColor(color)
    translucent.setAlpha(alpha)
    return translucent


def bar_metrics(font: QFont) -> tuple[float, float]:
    """Return ``(thickness, gap)`` of nesting bars for text in ``font``."""
    size = font.pointSizeF() if font.pointSizeF() > 0 else 12.0
    return max(2.0, round(size * 0.16)), max(1.0, round(size * 0.08))


def paint_spans(
    painter: QPainter,
    search_hits: Iterable[list[QRectF]],
    spans: Iterable[tuple[Placed, list[QRectF]]],
    selected_key: str | None,
    font: QFont,
) -> None:
    """Paint, bottom to top: search hits, top-level backgrounds, nested bars, the selected span.

    ``spans`` pairs each span with its rectangles (from :func:`range_rects`).
    """
    for rects in search_hits:
        paint_backgrounds(painter, rects, SEARCH_HIT_COLOR)
    selected: tuple[Placed, list[QRectF]] | None = None
    for span, rects in spans:
        if span.key == selected_key:
            selected = (span, rects)
        if span.layer == 0:
            paint_backgrounds(painter, rects, with_alpha(span.color, BACKGROUND_ALPHA))
        else:
            paint_bar(painter, rects, span.color, span.layer, font)
    if selected is not None:
        span, rects = selected
        paint_backgrounds(painter, rects, with_alpha(span.color, SELECTED_ALPHA), outline=True)
        if span.layer:
            paint_bar(painter, rects, span.color, span.layer, font, selected=True)


EVIDENCE_COLOR = QColor("#1f4e9c")


def paint_evidence(painter: QPainter, rects: Iterable[QRectF]) -> None:
    """A dashed frame around stance evidence, over everything else, text left untouched."""
    pen = QPen(EVIDENCE_COLOR, 1.5, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))


def paint_suggestion(
    painter: QPainter,
    rects: Iterable[QRectF],
    color: QColor,
    *,
    focused: bool = False,
    on_dark: bool = False,
) -> None:
    """A dashed frame in the label's colour around a suggestion (bolder when it is the one the
    accept and reject keys act on), text left untouched; lighter on a dark background."""
    pen_color = color.lighter(160) if on_dark else color.darker(130)
    painter.setPen(QPen(pen_color, 2.5 if focused else 1.5, Qt.PenStyle.DashLine))
    painter.setBrush(with_alpha(color, SUGGESTION_ALPHA) if focused else Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRect(rect.adjusted(1, 1, -1, -1))


SUGGESTION_ALPHA = 40


def paint_backgrounds(
    painter: QPainter, rects: Iterable[QRectF], color: QColor, *, outline: bool = False
) -> None:
    painter.setPen(QPen(color.darker(170), 2.0) if outline else Qt.PenStyle.NoPen)
    painter.setBrush(color)
    for rect in rects:
        painter.drawRect(rect.adjusted(1, 1, -1, -1) if outline else rect)


def paint_bar(
    painter: QPainter,
    rects: Iterable[QRectF],
    color: QColor,
    layer: int,
    font: QFont,
    *,
    selected: bool = False,
) -> None:
    """Draw the bar of a nested span (``layer >= 1``) below the glyphs of each line piece.

    Layer 1 sits just under the line box, each deeper layer one bar lower, each with its own
    pen style; the widget reserves room for them with extra line spacing.
    """
    thickness, gap = bar_metrics(font)
    width = thickness * (1.6 if selected else 1.0)
    pen = QPen(color, width)
    pen.setStyle(BAR_STYLES[(layer - 1) % len(BAR_STYLES)])
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    painter.setPen(pen)
    for rect in rects:
        y = rect.bottom() - thickness / 2 + (layer - 1) * (thickness + gap) + gap
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


def paint_invisible_marker(painter: QPainter, rect: QRectF, label: str, font: QFont) -> None:
    """Mark a zero-width control character: a thin red bar and its short name above it."""
    painter.setPen(QPen(INVISIBLE_COLOR, 1.5))
    painter.drawLine(QPointF(rect.x(), rect.top() + 2), QPointF(rect.x(), rect.bottom() - 2))
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.4))
    painter.setFont(small)
    box = painter.fontMetrics().boundingRect(label).toRectF()
    box.moveTopLeft(QPointF(rect.x() + 2, rect.top() + 1))
    painter.fillRect(box.adjusted(-1, 0, 1, 0), QColor(255, 255, 255, 200))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
