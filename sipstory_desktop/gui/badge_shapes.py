"""The building blocks of the platform badges: paths on a grid of 100 x 100 units, made
of filled outlines (strokes are turned into outlines), so that cut-outs are true holes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainterPath, QPainterPathStroker, QPolygonF, QTransform

WHITE = "#ffffff"
GRID = 100.0  # the badge's side in glyph units
FONT_FAMILIES = ["Inter", "Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans"]

Point = tuple[float, float]
Layers = list[tuple[QPainterPath, str]]  # filled paths and their colours, painted in order
Glyph = Callable[[], Layers]


def text_path(
    text: str, width: float = 62, height: float = 50, centre_y: float = 50
) -> QPainterPath:
    """``text`` in a bold sans font, as large as fits ``width`` x ``height``, centred."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setWeight(QFont.Weight.Bold)
    font.setPixelSize(100)
    path = QPainterPath()
    path.addText(0, 0, font, text)
    bounds = path.boundingRect()
    scale = min(width / bounds.width(), height / bounds.height())
    fit = QTransform().translate(50, centre_y).scale(scale, scale)
    return fit.translate(-bounds.center().x(), -bounds.center().y()).map(path)


def stroke(path: QPainterPath, width: float) -> QPainterPath:
    """``path`` stroked ``width`` wide with round caps and joins, as a fillable outline."""
    stroker = QPainterPathStroker()
    stroker.setWidth(width)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return stroker.createStroke(path).simplified()


def line(*points: Point) -> QPainterPath:
    path = QPainterPath(QPointF(*points[0]))
    for point in points[1:]:
        path.lineTo(QPointF(*point))
    return path


def curve(start: Point, *segments: tuple[Point, Point, Point]) -> QPainterPath:
    """A chain of cubic Bézier segments, each (control, control, end)."""
    path = QPainterPath(QPointF(*start))
    for first, second, end in segments:
        path.cubicTo(QPointF(*first), QPointF(*second), QPointF(*end))
    return path


def polygon(*points: Point) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def ellipse(x: float, y: float, rx: float, ry: float | None = None) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(QPointF(x, y), rx, rx if ry is None else ry)
    return path


def rounded(x: float, y: float, width: float, height: float, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(QRectF(x, y, width, height), radius, radius)
    return path


def union(*paths: QPainterPath) -> QPainterPath:
    out = QPainterPath()
    for path in paths:
        out = out.united(path)
    return out


def mirrored(path: QPainterPath) -> QPainterPath:
    """``path`` and its mirror image about the vertical centre line."""
    return path.united(QTransform(-1, 0, 0, 1, GRID, 0).map(path))


def white(path: QPainterPath) -> Layers:
    return [(path, WHITE)]


def letters(text: str, width: float = 62, height: float = 50) -> Glyph:
    return lambda: white(text_path(text, width, height))


def with_corner_mark(glyph: Glyph, mark: QPainterPath) -> Glyph:
    """``glyph`` shrunk towards the top left, ``mark`` cut out of a white disc at the bottom right.

    The mark tells a variant (a LinkedIn page) from the main platform (LinkedIn).
    """

    def layers() -> Layers:
        shrink = QTransform().translate(4, 4).scale(0.84, 0.84)
        gap = ellipse(77, 77, 27)
        shrunk = [(shrink.map(path).subtracted(gap), colour) for path, colour in glyph()]
        return [*shrunk, (ellipse(77, 77, 21).subtracted(mark), WHITE)]

    return layers
