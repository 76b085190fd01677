"""The pictures in the entry list's cells, drawn once per look and kept.

The list is painted by Qt's own item delegate (C++ only): what a cell shows besides its
text is a decoration in the model, made here on the GUI thread when a row is filled: the
status light (or a frame of the spinner while checking), the last results as bars, and
the Check button. Painting thus never calls back into Python, which matters while worker
threads hold the interpreter: each such call would make the window wait for it.

Every picture is an icon with its own pixmap for selected rows too (Qt would tint it with
the selection's colour), at its natural size: the view's icon size is the bounding box of
all of them (:attr:`CellArt.icon_size`), and Qt never scales an icon up.

History bars: each bar is one check, oldest on the left, newest on the right, always in
the same place. A bar has the colour of the check's light and, so that it reads without
colour, a height by light: green full height, amber two thirds, red one third, grey (not
checked) a short tick.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QWidget

from ..core.status import Light
from .lights import (
    cached_light_pixmap,
    cached_spinner_pixmap,
    is_dark_palette,
    light_colour,
    selection_backing,
)

DEFAULT_BARS = 20
SPINNER_FRAMES = 12  # 30 degrees a frame
_HISTORY_CACHE_SIZE = 512  # histories kept as pictures (many rows share one)

_MARGIN = 4  # logical pixels left and right of the bars, around the button
_BAR_WIDTH = 4  # logical pixels
_GAP = 2  # logical pixels between two bars
_TICK = 2  # logical pixels: the height of a grey bar
_HEIGHTS = {Light.GREEN: 1.0, Light.AMBER: 2 / 3, Light.RED: 1 / 3, Light.GREY: 0.0}
_BUTTON_PADDING = 12  # logical pixels each side of the button's label


def sharp_side(side: int, ratio: float) -> int:
    """``side``, or the next larger side that is a whole number of device pixels at
    ``ratio`` (a 15-pixel light at 1.5 is 22.5 device pixels: Qt would resample it to show
    it, and blur its edges)."""
    for candidate in range(side, side + 4):
        if abs(candidate * ratio - round(candidate * ratio)) < 1e-6:
            return candidate
    return side


class CellArt:
    """The decorations of one look: a palette, a font and a device pixel ratio.

    Args:
        palette: the list's palette (light and dark variants differ).
        font: the list's font; lights and bars are about as high as its text.
        ratio: device pixels per logical pixel of the screen the list is on.
        bars: how many results a history shows at most (the newest).
    """

    def __init__(
        self, palette: QPalette, font: QFont, ratio: float, bars: int = DEFAULT_BARS
    ) -> None:
        if bars < 1:
            raise ValueError("a history needs room for at least one bar")
        self.palette = QPalette(palette)
        self.font = QFont(font)
        self.ratio = ratio
        self.bars = bars
        metrics = QFontMetrics(font)
        self.light_side = sharp_side(metrics.height() + 2, ratio)
        self.bar_height = metrics.height()
        self._lights: dict[Light, QIcon] = {}
        self._spinner: dict[int, QIcon] = {}
        self._histories: dict[tuple[Light, ...], QPixmap] = {}
        self._buttons: dict[bool, QPixmap] = {}

    @classmethod
    def for_widget(cls, widget: QWidget) -> CellArt:
        """The look of ``widget`` where it is now."""
        return cls(widget.palette(), widget.font(), widget.devicePixelRatioF())

    @classmethod
    def for_application(cls) -> CellArt:
        """The application's look, on its primary screen (before any window exists)."""
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        return cls(QGuiApplication.palette(), QGuiApplication.font(), ratio)

    def same_look(self, other: CellArt) -> bool:
        """Whether ``other`` would draw the same pictures."""
        return (
            self.ratio == other.ratio
            and self.bars == other.bars
            and self.font == other.font
            and is_dark_palette(self.palette) == is_dark_palette(other.palette)
            and self.palette.color(QPalette.ColorRole.Highlight)
            == other.palette.color(QPalette.ColorRole.Highlight)
        )

    @property
    def icon_size(self) -> QSize:
        """The view's icon size: the light's. The history and the button are pixmaps, which
        a view shows at their own size; an icon (the light, the spinner, each with its own
        picture for a selected row) is shown at the icon size, and a larger icon size would
        make Qt scale a high-resolution light up (QIcon sizes a pixmap by its pixels)."""
        return QSize(self.light_side, self.light_side)

    @property
    def history_width(self) -> int:
        """The width of a history picture, margins included."""
        return 2 * _MARGIN + self.bars * (_BAR_WIDTH + _GAP) - _GAP

    # --- the status column -----------------------------------------------------------------

    def light(self, light: Light) -> QIcon:
        """The light, and on a selected row the light on a disc of the row's base colour
        (no light contrasts with every highlight), made lighter or darker where it would
        not stand out from the highlight (:func:`selection_backing`)."""
        icon = self._lights.get(light)
        if icon is None:
            side, ratio, palette = self.light_side, self.ratio, self.palette
            icon = self._lights[light] = QIcon(cached_light_pixmap(light, side, ratio, palette))
            backing = selection_backing(palette)
            selected = cached_light_pixmap(light, side, ratio, palette, backing=backing)
            icon.addPixmap(selected, QIcon.Mode.Selected)
        return icon

    def waiting(self) -> QIcon:
        """Nothing, the light's size: a check waiting its turn (its text says "Queued")
        keeps its text where the spinner's rows have theirs."""
        icon = self._spinner.get(-1)
        if icon is None:
            side = round(self.light_side * self.ratio)
            blank = QPixmap(side, side)
            blank.setDevicePixelRatio(self.ratio)
            blank.fill(Qt.GlobalColor.transparent)
            icon = self._spinner[-1] = QIcon(blank)
        return icon

    def spinner(self, frame: int) -> QIcon:
        """Frame ``frame`` of the spinner (any integer; it turns 30 degrees a frame).

        Drawn in the highlight colour, and in the highlighted text's on a selected row,
        where the highlight is the background."""
        frame %= SPINNER_FRAMES
        icon = self._spinner.get(frame)
        if icon is None:
            angle = frame * 360 // SPINNER_FRAMES
            icon = QIcon(cached_spinner_pixmap(angle, self.light_side, self.ratio, self.palette))
            selected = QPalette(self.palette)
            selected.setColor(
                QPalette.ColorRole.Highlight,
                self.palette.color(QPalette.ColorRole.HighlightedText),
            )
            icon.addPixmap(
                cached_spinner_pixmap(angle, self.light_side, self.ratio, selected),
                QIcon.Mode.Selected,
            )
            self._spinner[frame] = icon
        return icon

    # --- the history column ----------------------------------------------------------------

    def history(self, lights: Sequence[Light]) -> QPixmap | None:
        """The newest :attr:`bars` of ``lights`` (oldest first) as bars; None when empty."""
        key = tuple(lights[-self.bars :])
        if not key:
            return None
        pixmap = self._histories.get(key)
        if pixmap is None:
            if len(self._histories) >= _HISTORY_CACHE_SIZE:
                self._histories.clear()
            pixmap = self._histories[key] = self._draw_history(key)
        return pixmap

    def bar_rects(self, lights: Sequence[Light]) -> list[QRect]:
        """Where each bar of ``lights`` (oldest first, at most :attr:`bars`) goes in the
        picture: bottom-aligned, the newest in the last slot."""
        step = _BAR_WIDTH + _GAP
        first_slot = self.bars - len(lights)
        rects = []
        for slot, light in enumerate(lights, start=first_slot):
            height = max(_TICK, round(self.bar_height * _HEIGHTS[light]))
            rects.append(QRect(_MARGIN + slot * step, self.bar_height - height, _BAR_WIDTH, height))
        return rects

    def _draw_history(self, lights: tuple[Light, ...]) -> QPixmap:
        size = QSize(self.history_width, self.bar_height)
        pixmap = QPixmap(size * self.ratio)
        pixmap.setDevicePixelRatio(self.ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            for rect, light in zip(self.bar_rects(lights), lights, strict=True):
                painter.fillRect(rect, light_colour(light, self.palette))
        finally:
            painter.end()
        return pixmap

    # --- the Check button ------------------------------------------------------------------

    def button(self, enabled: bool) -> QPixmap:
        """The Check button as the style draws a push button; greyed out while checking."""
        pixmap = self._buttons.get(enabled)
        if pixmap is None:
            pixmap = self._buttons[enabled] = self._draw_button(enabled)
        return pixmap

    def button_size(self) -> QSize:
        """The button's size: the style's, but no wider than its label needs."""
        metrics = QFontMetrics(self.font)
        label = QApplication.translate("EntryModel", "Check")
        option = QStyleOptionButton()
        option.fontMetrics = metrics
        option.text = label
        content = QSize(metrics.horizontalAdvance(label), metrics.height())
        size = QApplication.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, content, None
        )
        return QSize(min(size.width(), content.width() + 2 * _BUTTON_PADDING), size.height())

    def _draw_button(self, enabled: bool) -> QPixmap:
        size = self.button_size()
        pixmap = QPixmap(size * self.ratio)
        pixmap.setDevicePixelRatio(self.ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        option = QStyleOptionButton()
        option.fontMetrics = QFontMetrics(self.font)
        option.rect = QRect(0, 0, size.width(), size.height())
        option.text = QApplication.translate("EntryModel", "Check")
        option.state = QStyle.StateFlag.State_Raised | QStyle.StateFlag.State_Active
        palette = QPalette(self.palette)
        if enabled:
            option.state |= QStyle.StateFlag.State_Enabled
        else:  # styles paint the label in the palette's current group: say disabled there
            palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
        option.palette = palette
        painter = QPainter(pixmap)
        try:
            painter.setFont(self.font)
            style = QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_PushButton, option, painter, None)
        finally:
            painter.end()
        return pixmap
