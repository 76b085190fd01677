"""Labels that fit any pane width: text that wraps anywhere, and secondary text.

A :class:`QLabel` that word-wraps still needs the width of its longest word: a long name
without spaces, or a revealed key, would widen the whole details pane (and push its buttons
out of view). :class:`WrapAnywhereLabel` wraps at word boundaries where it can and anywhere
where it must, so it asks for a few characters of width only.

:func:`secondary_text_colour` is the muted colour of a secondary line ("Working since ..."):
between the text and the background, but at WCAG's 4.5:1 contrast at least (a disabled
label is about 1.6:1, and a screen reader calls it unavailable).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from .lights import contrast

MIN_CONTRAST = 4.5  # WCAG AA for normal text
_MIN_CHARACTERS = 4  # the narrowest a wrapping label asks to be, in average characters


def secondary_text_colour(palette: QPalette) -> QColor:
    """The text colour of ``palette`` moved towards its background as far as a contrast of
    :data:`MIN_CONTRAST` allows (at most 40% of the way)."""
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Window)
    for step in range(40, -1, -2):
        share = step / 100
        mixed = QColor.fromRgbF(
            text.redF() + (background.redF() - text.redF()) * share,
            text.greenF() + (background.greenF() - text.greenF()) * share,
            text.blueF() + (background.blueF() - text.blueF()) * share,
        )
        if contrast(mixed, background) >= MIN_CONTRAST:
            return mixed
    return QColor(text)


class SecondaryLabel(QLabel):
    """A plain, enabled label in :func:`secondary_text_colour`, following palette changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recolouring = False  # our own palette change is no cause to recolour
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._recolour()

    def changeEvent(self, event: QEvent) -> None:
        """Follow palette changes (a switch to dark mode)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._recolouring:
            self._recolour()

    def _recolour(self) -> None:
        self._recolouring = True
        try:
            palette = QPalette(self.palette())
            parent = self.parentWidget()
            base = parent.palette() if parent is not None else palette
            palette.setColor(QPalette.ColorRole.WindowText, secondary_text_colour(base))
            self.setPalette(palette)
        finally:
            self._recolouring = False


class WrapAnywhereLabel(QLabel):
    """A plain-text label that wraps at word boundaries, and anywhere inside a word too long
    for its width; its full text is also its tooltip unless ``tooltip`` is False (a key).

    It paints its own text (no mouse selection: the pane has Copy buttons)."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, tooltip: bool = True
    ) -> None:
        super().__init__(parent)
        self._tooltip = tooltip
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        """Show ``text``; the tooltip says it whole as well."""
        self.setText(text)
        if self._tooltip:
            self.setToolTip(text)
        self.updateGeometry()
        self.update()

    def _lines(self, width: int) -> tuple[QTextLayout, float]:
        layout = QTextLayout(self.text(), self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        height = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return layout, max(height, float(self.fontMetrics().height()))

    def _margins_width(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right() + 2 * self.margin()

    def _margins_height(self) -> int:
        margins = self.contentsMargins()
        return margins.top() + margins.bottom() + 2 * self.margin()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        _, height = self._lines(width - self._margins_width())
        return int(height + 0.999) + self._margins_height()

    def minimumSizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * _MIN_CHARACTERS + self._margins_width()
        return QSize(width, self.fontMetrics().height() + self._margins_height())

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self.text()) + self._margins_width() + 1
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect().adjusted(
            self.margin(), self.margin(), -self.margin(), -self.margin()
        )
        layout, _ = self._lines(rect.width())
        painter = QPainter(self)
        try:
            painter.setPen(self.palette().color(self.foregroundRole()))
            layout.draw(painter, QPointF(rect.topLeft()))
        finally:
            painter.end()
