"""Widgets the dialogs share: an inline message, a dialog that waits for its work, the
panel that shows a check's result and a plain label. (The yes/no question the window and
the dialogs ask is :func:`.questions.confirm`.)
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QSize, Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QWidget,
)

from ..core.status import CheckResult
from .result_texts import translated
from .status_texts import status_label

ICON_SIZE = 16  # the side of the icons next to messages, in logical pixels


class Tone(enum.Enum):
    """How an :class:`InlineMessage` speaks: plainly, as a warning or as an error."""

    PLAIN = "plain"
    WARNING = "warning"
    ERROR = "error"


_TONE_ICONS = {
    Tone.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Tone.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
}


def _tone_colour(tone: Tone, palette: QPalette) -> QColor:
    """The text colour of ``tone``, readable on ``palette``'s light or dark background."""
    if tone is Tone.PLAIN:
        return palette.color(QPalette.ColorRole.WindowText)
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    if tone is Tone.ERROR:
        return QColor("#ff8a80" if dark else "#c62828")
    return QColor("#f2c14e" if dark else "#8a5300")


class InlineMessage(QWidget):
    """A word-wrapped, selectable line of feedback, hidden while empty.

    Warnings and errors carry the style's icon as well as their colour. The text label is
    named ``object_name`` and has a ``tone`` property (``plain``, ``warning``, ``error``).
    """

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{object_name}Row")
        self._tone = Tone.PLAIN
        self._icon = QLabel(self)
        self._icon.setFixedSize(ICON_SIZE, self.fontMetrics().height())
        self._label = QLabel(self)
        self._label.setObjectName(object_name)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._label, 1)
        self.hide()

    def text(self) -> str:
        """The message shown, or ``""``."""
        return self._label.text()

    def show_message(self, text: str, tone: Tone = Tone.PLAIN) -> None:
        """Show ``text`` in ``tone``; an empty text hides the line."""
        self._tone = tone
        self._label.setText(text)
        self._label.setProperty("tone", tone.value)
        self._apply_tone()
        self.setVisible(bool(text))

    def clear(self) -> None:
        """Hide the line."""
        self.show_message("")

    def changeEvent(self, event: QEvent) -> None:
        """Follow palette and style changes (a switch to dark mode, say)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_tone()

    def _apply_tone(self) -> None:
        palette = self._label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, _tone_colour(self._tone, self.palette()))
        self._label.setPalette(palette)
        standard = _TONE_ICONS.get(self._tone)
        if standard is None:
            self._icon.clear()
            self._icon.hide()
            return
        icon = self.style().standardIcon(standard, None, self)
        self._icon.setPixmap(icon.pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF()))
        self._icon.show()


def plain_label(text: str = "", object_name: str = "") -> QLabel:
    """A word-wrapped label that shows ``text`` literally (never as rich text)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if object_name:
        label.setObjectName(object_name)
    return label


class WorkingDialog(QDialog):
    """A dialog that hands its work to the window and waits for it: meanwhile its
    :meth:`_working_widgets` are disabled, the cursor is busy, ``_message`` says what
    runs, and it cannot be closed (Cancel, Esc and the close button are ignored)."""

    _message: InlineMessage  # made by the subclass

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Show why the work failed; what was chosen is kept, to try again."""
        self._set_busy(False)
        self._message.show_message(text, Tone.ERROR)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def _set_busy(self, busy: bool, doing: str = "") -> None:
        self._busy = busy
        for widget in self._working_widgets():
            widget.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
            self._message.show_message(doing)
        else:
            self.unsetCursor()
            self._work_ended()

    def _working_widgets(self) -> list[QWidget]:
        """What is disabled while the work runs."""
        raise NotImplementedError

    def _work_ended(self) -> None:
        """After the work, before its outcome is shown."""


class ResultPanel(QFrame):
    """The outcome of a check: light, status, message and hint.

    The entry dialog shows the check it asked for before saving; the channels dialog a
    failed fetch.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkResult")
        self.setAccessibleName(self.tr("Check result"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._result: CheckResult | None = None
        self._icon = QLabel()
        self._icon.setObjectName("resultLight")
        self._icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self._status = plain_label(object_name="resultStatus")
        font = self._status.font()
        font.setBold(True)
        self._status.setFont(font)
        self._message = self._selectable("resultMessage")
        self._hint = self._selectable("resultHint")
        self._outdated = InlineMessage("resultOutdated")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.addWidget(self._icon, 0, 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self._status, 0, 1)
        grid.addWidget(self._message, 1, 1)
        grid.addWidget(self._hint, 2, 1)
        grid.addWidget(self._outdated, 3, 1)
        grid.setColumnStretch(1, 1)
        self.hide()

    def show_result(self, result: CheckResult, outdated: bool) -> None:
        """Show ``result``; ``outdated`` says the inputs changed while it was running."""
        self._result = result
        self._status.setText(status_label(result.status))
        self._message.setText(translated(result.message))
        self._hint.setText(translated(result.hint))
        self._hint.setVisible(bool(result.hint))
        self._outdated.show_message(
            self.tr("You changed the address or the key after this test started.")
            if outdated
            else "",
            Tone.WARNING,
        )
        self._paint_light()
        self.setAccessibleDescription(
            f"{status_label(result.status)}. {translated(result.message)}"
        )
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        """Repaint the light for a new palette."""
        super().changeEvent(event)
        if event.type() is QEvent.Type.PaletteChange and self._result is not None:
            self._paint_light()

    def _paint_light(self) -> None:
        from .lights import light_icon  # noqa: PLC0415  (written alongside; loaded when needed)

        assert self._result is not None
        icon = light_icon(self._result.light, ICON_SIZE, self.palette())
        self._icon.setPixmap(icon.pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF()))

    @staticmethod
    def _selectable(object_name: str) -> QLabel:
        label = plain_label(object_name=object_name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
