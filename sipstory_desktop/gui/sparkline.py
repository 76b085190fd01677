"""The HISTORY column's delegate: an entry's last checks as a row of small bars.

Each bar is one check, oldest on the left, newest on the right. A bar has the colour
of the check's light and, so that it reads without colour, a height by light: green
full height, amber two thirds, red one third, grey (not checked) a short tick. The
tooltip explaining the bars is the model's business.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from ..core.status import CheckResult, Light
from .lights import is_dark_palette, light_colour
from .roles import Role
from .status_delegate import AnyIndex, draw_item_background, is_group

DEFAULT_BARS = 20
_CACHE_SIZE = 512  # rendered sparklines kept

_MARGIN = 4  # logical pixels between the cell's left and right edges and the bars
_BAR_WIDTH = 4  # logical pixels
_GAP = 2  # logical pixels between two bars
_TICK = 2  # logical pixels: the height of a grey bar
_HEIGHTS = {Light.GREEN: 1.0, Light.AMBER: 2 / 3, Light.RED: 1 / 3, Light.GREY: 0.0}


def history_of(index: AnyIndex) -> list[CheckResult]:
    """The row's check results, oldest first; empty on a group row or without any."""
    if is_group(index):
        return []
    value = index.data(Role.HISTORY)
    if not isinstance(value, Sequence):
        return []
    return [result for result in value if isinstance(result, CheckResult)]


class SparklineDelegate(QStyledItemDelegate):
    """Paints the last ``bars`` check results of an entry row as bars (see the module).

    The bars fill slots from the right of a strip of ``bars`` slots, so the newest result
    is at the same place in every row. Group rows and rows without history show only the
    background (and the selection).
    """

    def __init__(self, parent: QObject | None = None, bars: int = DEFAULT_BARS) -> None:
        super().__init__(parent)
        if bars < 1:
            raise ValueError("a sparkline needs room for at least one bar")
        self._cache: dict[tuple[object, ...], QPixmap] = {}
        self._bars = bars

    @property
    def bars(self) -> int:
        """How many results are shown at most: the newest ones."""
        return self._bars

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Paint the background through the style, then one bar per recent result."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        draw_item_background(painter, opt)
        lights = tuple(result.light for result in history_of(index)[-self._bars :])
        if not lights:
            return
        device = painter.device()
        ratio = device.devicePixelRatioF() if device else 1.0
        size = opt.rect.size()
        key = (lights, size.width(), size.height(), ratio, is_dark_palette(opt.palette))
        pixmap = self._cache.get(key)
        if pixmap is None:  # many rows share a history, and checks repaint rows often
            pixmap = self._render(opt, lights, ratio)
            if len(self._cache) > _CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = pixmap
        painter.drawPixmap(opt.rect.topLeft(), pixmap)

    def _render(self, opt: QStyleOptionViewItem, lights: Sequence[Light], ratio: float) -> QPixmap:
        """The bars of ``lights`` on a transparent pixmap the size of the cell."""
        local = QStyleOptionViewItem(opt)
        local.rect = QRect(QPoint(0, 0), opt.rect.size())
        pixmap = QPixmap(local.rect.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            for rect, light in zip(self._bar_rects(local, lights), lights, strict=True):
                if rect.isValid():
                    painter.fillRect(rect, light_colour(light, opt.palette))
        finally:
            painter.end()
        return pixmap

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """Room for ``bars`` bars and the margins; the height of a row of text."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = 2 * _MARGIN + self._bars * (_BAR_WIDTH + _GAP) - _GAP
        height = max(super().sizeHint(option, index).height(), _chart_height(opt) + 4)
        return QSize(width, height)

    def _bar_rects(self, opt: QStyleOptionViewItem, lights: Sequence[Light]) -> list[QRect]:
        """Where each bar of ``lights`` (oldest first) goes in the cell ``opt.rect``.

        Bars narrow down (to one pixel, with a one-pixel gap) in a narrow cell; a bar that
        still does not fit comes back as an invalid rect, the oldest first.
        """
        area = opt.rect.adjusted(_MARGIN, 2, -_MARGIN, -2)
        step = _BAR_WIDTH + _GAP
        if self._bars * step - _GAP > area.width():
            step = max(2, (area.width() + 1) // self._bars)
        width = max(1, step - _GAP)
        height = min(_chart_height(opt), area.height())
        bottom = area.top() + (area.height() + height) // 2  # the chart, centred vertically
        first_slot = self._bars - len(lights)
        rects = []
        for slot, light in enumerate(lights, start=first_slot):
            left = area.left() + slot * step
            bar = max(_TICK, round(height * _HEIGHTS[light]))
            rect = QRect(left, bottom - bar, width, bar)
            rects.append(rect if area.contains(rect) else QRect())
        return rects


def _chart_height(opt: QStyleOptionViewItem) -> int:
    """The full height of a bar: about the height of the text of the cell."""
    return QFontMetrics(opt.font).height()
