"""A banner across the top of the window: what is wrong, and what to do about it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
)

from ..core.status import Light
from .lights import light_colour, light_label_pixmap


class Banner(QFrame):
    """Hidden until there is something to say.

    Signals:
        retry_requested(): the user pressed Retry.
        action_requested(str): the user pressed the message's own action button (such as
            Unlock); the argument is the message's topic.
    """

    retry_requested = Signal()
    action_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.topic = ""
        self._light = Light.GREY
        self._icon = QLabel()
        self._title = QLabel()
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._text = QLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._retry = QPushButton(self.tr("&Retry"))
        self._retry.setAccessibleName(self.tr("Retry"))
        self._retry.clicked.connect(self.retry_requested.emit)
        self._action = QPushButton(self.tr("&Unlock"))  # its text is the message's own
        self._action.setObjectName("bannerAction")
        self._action.setAccessibleName(self.tr("Unlock"))
        self._action.clicked.connect(lambda: self.action_requested.emit(self.topic))
        self._action.hide()
        close = QToolButton()
        close.setText("✕")
        close.setAccessibleName(self.tr("Dismiss"))
        close.setToolTip(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)

        texts = QVBoxLayout()
        texts.addWidget(self._title)
        texts.addWidget(self._text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(texts, 1)
        layout.addWidget(self._action, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._retry, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def title(self) -> str:
        return self._title.text()

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(
        self,
        light: Light,
        title: str,
        text: str,
        *,
        retry: bool = True,
        topic: str = "",
        action: str = "",
    ) -> None:
        """Show ``title`` and ``text``; ``topic`` lets :meth:`hide_message` hide only this.
        ``action``: the text of a button of its own (translated, with its mnemonic), which
        emits :attr:`action_requested` with ``topic``."""
        self.topic = topic
        self._action.setText(action)
        if action:  # hidden without one; it keeps a name for tools that list every button
            self._action.setAccessibleName(action.replace("&", ""))
        self._action.setVisible(bool(action))
        self._light = light
        self._title.setText(title)
        self._text.setText(text)
        self._retry.setVisible(retry)
        self._tint()
        self.setAccessibleName(f"{title} {text}")
        self.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._tint()  # dark or light now: the tint follows

    def _tint(self) -> None:
        """The light's icon, and the background tinted with its colour, in the app's palette."""
        light = self._light
        self._icon.setPixmap(light_label_pixmap(light, 24, self._icon))
        palette = QApplication.palette()
        tint = light_colour(light, palette)
        base = palette.color(QPalette.ColorRole.Window)
        tint.setAlphaF(0.18)
        mixed = base.toRgb()
        mixed.setRedF(base.redF() * 0.82 + tint.redF() * 0.18)
        mixed.setGreenF(base.greenF() * 0.82 + tint.greenF() * 0.18)
        mixed.setBlueF(base.blueF() * 0.82 + tint.blueF() * 0.18)
        palette.setColor(QPalette.ColorRole.Window, mixed)
        self.setPalette(palette)

    def hide_message(self, topic: str | None = None) -> None:
        """Hide the banner, or only if it shows a message about ``topic``."""
        if topic is None or topic == self.topic:
            self.hide()
