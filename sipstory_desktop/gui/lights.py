"""The status lights, painted as vector shapes with QPainter (no images, no emoji).

Each light has its own silhouette and glyph, so that it reads without colour
(design.md: "the light is never colour alone"):

* GREEN: a filled circle with a check mark;
* AMBER: a filled, rounded triangle with an exclamation mark;
* RED: a filled octagon (a stop sign) with a cross;
* GREY: a hollow circle with a short dash.

The colours come in a light-palette and a dark-palette variant, each with a contrast of
at least 3:1 (WCAG's minimum for graphics) against the rows of its palette. Green leans
towards blue and red towards orange-red so that, with the lightness steps between
them, they stay apart for the common forms of colour blindness as well. On a selected row,
whose highlight no light contrasts with, a light sits on a disc of the row's own colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from ..core.status import Light

# Fill colours as (on a light palette, on a dark palette).
_COLOURS: dict[Light, tuple[str, str]] = {
    Light.GREEN: ("#0a8670", "#1f9e7c"),
    Light.AMBER: ("#b87400", "#f2b233"),  # darker on light: 3:1 against a white row
    Light.RED: ("#d1352b", "#e5534b"),
    Light.GREY: ("#737b84", "#9aa2ab"),
}
_GLYPH_LIGHT = QColor("#ffffff")
_GLYPH_DARK = QColor("#1f1f1f")
_MIN_GLYPH_CONTRAST = 3.0  # WCAG's minimum for graphical objects
SELECTION_CONTRAST = 3.5  # a light's disc on the highlight: 3:1 and a margin for its edge

_MARGIN = 0.06  # of the side, kept free around the shape
_GLYPH_WIDTH = 0.125  # of the side: the stroke width of check, cross, dash, exclamation
_RING_WIDTH = 0.11  # of the side: the outline of the hollow grey circle
_SPINNER_SPAN = 270  # degrees of arc the spinner draws
_BACKING_RING = 0.12  # of the side: the ring of backing colour around a backed light

_icon_cache: dict[tuple[Light, int, bool, tuple[float, ...]], QIcon] = {}
_pixmap_cache: dict[tuple[Light, int, float, bool, int | None], QPixmap] = {}
_spinner_cache: dict[tuple[int, int, float, int], QPixmap] = {}


def is_dark_palette(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark one (a dark window background)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def light_colour(light: Light, palette: QPalette) -> QColor:
    """The fill colour of ``light``, chosen to read well on ``palette``'s background."""
    on_light, on_dark = _COLOURS[light]
    return QColor(on_dark if is_dark_palette(palette) else on_light)


def glyph_colour(fill: QColor) -> QColor:
    """White, or near-black where white would not stand out enough on ``fill``."""
    if _contrast(_GLYPH_LIGHT, fill) >= _MIN_GLYPH_CONTRAST:
        return QColor(_GLYPH_LIGHT)
    return QColor(_GLYPH_DARK)


def paint_light(painter: QPainter, rect: QRectF, light: Light, palette: QPalette) -> None:
    """Paint ``light`` into the largest square centred in ``rect``.

    The painter's state is saved and restored. Everything is vector, so the light
    is sharp at any size and device pixel ratio.
    """
    square = _shape_square(rect)
    if square.isEmpty():
        return
    fill = light_colour(light, palette)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _PAINTERS[light](painter, square, fill)
    finally:
        painter.restore()


def paint_spinner(painter: QPainter, rect: QRectF, angle: int, palette: QPalette) -> None:
    """Paint the "checking" spinner: an arc of about 270° in the highlight colour.

    ``angle`` is where the arc starts, in degrees clockwise from three o'clock, so a
    growing angle turns the spinner clockwise. A faint full ring shows the track.
    """
    square = _shape_square(rect)
    if square.isEmpty():
        return
    colour = palette.color(QPalette.ColorRole.Highlight)
    width = square.width() * _RING_WIDTH * 1.2
    arc_rect = square.adjusted(width / 2, width / 2, -width / 2, -width / 2)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        track = QColor(colour)
        track.setAlphaF(0.2)
        painter.setPen(_round_pen(track, width))
        painter.drawEllipse(arc_rect)
        painter.setPen(_round_pen(colour, width))
        # Qt counts angles counter-clockwise in 1/16 degree: negate for clockwise.
        painter.drawArc(arc_rect, -angle * 16, -_SPINNER_SPAN * 16)
    finally:
        painter.restore()


def light_pixmap(
    light: Light,
    size: int,
    device_pixel_ratio: float,
    palette: QPalette,
    backing: QColor | None = None,
) -> QPixmap:
    """A transparent ``size`` x ``size`` (logical pixels) pixmap with ``light`` painted on
    it; on a disc of ``backing`` when given (for a selected row)."""
    pixmap, painter = _pixmap(size, device_pixel_ratio)
    square = QRectF(0, 0, size, size)
    try:
        if backing is not None:  # the light a little smaller, in a visible ring of backing
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(backing)
            painter.drawEllipse(square)
            inset = size * _BACKING_RING
            square = square.adjusted(inset, inset, -inset, -inset)
        paint_light(painter, square, light, palette)
    finally:
        painter.end()
    return pixmap


def selection_backing(palette: QPalette) -> QColor:
    """The disc a light sits on in a selected row: the row's base colour, moved towards
    white (light palette) or black (dark palette) until it stands out from the highlight
    by :data:`SELECTION_CONTRAST` (the dark palette's base is about 3.2:1 on its highlight,
    and less where the disc's edge blends into it: the grey light's ring was lost)."""
    base = palette.color(QPalette.ColorRole.Base)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    towards = QColor("#000000") if is_dark_palette(palette) else QColor("#ffffff")
    for step in range(0, 101, 5):
        share = step / 100
        moved = QColor.fromRgbF(
            base.redF() + (towards.redF() - base.redF()) * share,
            base.greenF() + (towards.greenF() - base.greenF()) * share,
            base.blueF() + (towards.blueF() - base.blueF()) * share,
        )
        if _contrast(moved, highlight) >= SELECTION_CONTRAST:
            return moved
    return towards


def _pixmap(size: int, device_pixel_ratio: float) -> tuple[QPixmap, QPainter]:
    side = max(1, round(size * device_pixel_ratio))
    pixmap = QPixmap(side, side)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap, QPainter(pixmap)


def cached_light_pixmap(
    light: Light,
    size: int,
    device_pixel_ratio: float,
    palette: QPalette,
    backing: QColor | None = None,
) -> QPixmap:
    """:func:`light_pixmap`, painted once per light, size, ratio, palette shade and backing:
    a list repaints hundreds of lights a second while checks run."""
    key = (light, size, device_pixel_ratio, is_dark_palette(palette), _rgba(backing))
    pixmap = _pixmap_cache.get(key)
    if pixmap is None:
        pixmap = light_pixmap(light, size, device_pixel_ratio, palette, backing)
        _pixmap_cache[key] = pixmap
    return pixmap


def _rgba(colour: QColor | None) -> int | None:
    return None if colour is None else colour.rgba()


def cached_spinner_pixmap(
    angle: int, size: int, device_pixel_ratio: float, palette: QPalette
) -> QPixmap:
    """The spinner at ``angle`` as a pixmap, painted once per frame, size, ratio, colour."""
    colour = palette.color(QPalette.ColorRole.Highlight).rgba()
    key = (angle % 360, size, device_pixel_ratio, colour)
    pixmap = _spinner_cache.get(key)
    if pixmap is None:
        pixmap, painter = _pixmap(size, device_pixel_ratio)
        try:
            paint_spinner(painter, QRectF(0, 0, size, size), angle, palette)
        finally:
            painter.end()
        _spinner_cache[key] = pixmap
    return pixmap


def light_icon(light: Light, size: int = 16, palette: QPalette | None = None) -> QIcon:
    """An icon of ``light`` drawn at 1x, 2x and the screen's own ratio (1.25, 1.5...: no
    picture is scaled), cached per light, size, palette shade and ratio.

    ``palette`` defaults to the application's. Needs a QGuiApplication.
    """
    if palette is None:
        palette = QGuiApplication.palette()
    screen = QGuiApplication.primaryScreen()
    ratios = sorted({1.0, 2.0, screen.devicePixelRatio() if screen else 1.0})
    key = (light, size, is_dark_palette(palette), tuple(ratios))
    icon = _icon_cache.get(key)
    if icon is None:
        icon = QIcon()
        for ratio in ratios:
            icon.addPixmap(light_pixmap(light, size, ratio, palette))
        _icon_cache[key] = icon
    return QIcon(icon)


def light_label_pixmap(light: Light, size: int, widget: QWidget) -> QPixmap:
    """``light`` for a label of ``widget``'s: drawn at its screen's ratio, in its palette."""
    return cached_light_pixmap(light, size, widget.devicePixelRatioF(), widget.palette())


# --- the four shapes ---------------------------------------------------------------


def _paint_green(painter: QPainter, square: QRectF, fill: QColor) -> None:
    """A filled circle with a check mark."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawEllipse(square)
    _stroke_glyph(painter, square, fill, [[(0.28, 0.53), (0.44, 0.69), (0.73, 0.36)]])


def _paint_amber(painter: QPainter, square: QRectF, fill: QColor) -> None:
    """A filled triangle with rounded corners and an exclamation mark."""
    corner = square.width() * 0.14
    points = [(0.5, 0.02), (1.02, 0.92), (-0.02, 0.92)]
    inset = _inset_triangle(square, points, corner / 2)
    painter.setPen(_round_pen(fill, corner))
    painter.setBrush(fill)
    painter.drawPolygon(inset)
    _stroke_glyph(painter, square, fill, [[(0.5, 0.38), (0.5, 0.6)], [(0.5, 0.8)]])


def _paint_red(painter: QPainter, square: QRectF, fill: QColor) -> None:
    """A filled octagon (a stop sign) with a cross."""
    rounding = square.width() * 0.04
    inner = square.adjusted(rounding / 2, rounding / 2, -rounding / 2, -rounding / 2)
    painter.setPen(_round_pen(fill, rounding))
    painter.setBrush(fill)
    painter.drawPolygon(_octagon(inner))
    _stroke_glyph(
        painter, square, fill, [[(0.34, 0.34), (0.66, 0.66)], [(0.66, 0.34), (0.34, 0.66)]]
    )


def _paint_grey(painter: QPainter, square: QRectF, fill: QColor) -> None:
    """A hollow circle (outline only) with a short dash."""
    width = square.width() * _RING_WIDTH
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(_round_pen(fill, width))
    painter.drawEllipse(square.adjusted(width / 2, width / 2, -width / 2, -width / 2))
    _stroke_lines(painter, square, fill, [[(0.34, 0.5), (0.66, 0.5)]])


_PAINTERS = {
    Light.GREEN: _paint_green,
    Light.AMBER: _paint_amber,
    Light.RED: _paint_red,
    Light.GREY: _paint_grey,
}


# --- helpers ----------------------------------------------------------------------


def _shape_square(rect: QRectF) -> QRectF:
    """The largest square centred in ``rect``, less the margin kept around shapes."""
    side = min(rect.width(), rect.height())
    square = QRectF(0, 0, side, side)
    square.moveCenter(rect.center())
    margin = side * _MARGIN
    return square.adjusted(margin, margin, -margin, -margin)


def _stroke_glyph(
    painter: QPainter,
    square: QRectF,
    fill: QColor,
    strokes: Sequence[Sequence[tuple[float, float]]],
) -> None:
    """Stroke a glyph over a filled shape, in the colour that contrasts with ``fill``."""
    _stroke_lines(painter, square, glyph_colour(fill), strokes)


def _stroke_lines(
    painter: QPainter,
    square: QRectF,
    colour: QColor,
    strokes: Sequence[Sequence[tuple[float, float]]],
) -> None:
    """Stroke polylines given in fractions of ``square``; a single point is a round dot."""
    painter.setPen(_round_pen(colour, square.width() * _GLYPH_WIDTH))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in strokes:
        points = [_at(square, x, y) for x, y in stroke]
        if len(points) == 1:
            painter.drawPoint(points[0])
            continue
        path = QPainterPath(points[0])
        for point in points[1:]:
            path.lineTo(point)
        painter.drawPath(path)


def _round_pen(colour: QColor, width: float) -> QPen:
    """A solid pen with round caps and joins."""
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _at(square: QRectF, x: float, y: float) -> QPointF:
    """The point at fractions ``x``, ``y`` of ``square``."""
    return QPointF(square.left() + x * square.width(), square.top() + y * square.height())


def _inset_triangle(
    square: QRectF, points: Sequence[tuple[float, float]], inset: float
) -> QPolygonF:
    """The triangle at ``points`` (fractions of ``square``) moved ``inset`` towards its centre.

    Stroking the result with a round pen of width ``2 * inset`` gives a triangle of
    about the original size with rounded corners.
    """
    corners = [_at(square, x, y) for x, y in points]
    centre = sum(corners, QPointF()) / len(corners)
    moved = []
    for corner in corners:
        towards = centre - corner
        length = math.hypot(towards.x(), towards.y())
        moved.append(corner + towards * (2 * inset / length))
    return QPolygonF(moved)


def _octagon(square: QRectF) -> QPolygonF:
    """A regular octagon with flat sides touching the edges of ``square``."""
    radius = square.width() / 2 / math.cos(math.pi / 8)
    centre = square.center()
    return QPolygonF(
        [
            centre
            + QPointF(
                radius * math.cos(math.pi / 8 + k * math.pi / 4),
                radius * math.sin(math.pi / 8 + k * math.pi / 4),
            )
            for k in range(8)
        ]
    )


def _contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    brighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (brighter + 0.05) / (darker + 0.05)


def _luminance(colour: QColor) -> float:
    """The WCAG relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    return _contrast(first, second)
