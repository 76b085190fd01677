"""The clipboard for texts that hold a key: cleared again after 30 s, if still there."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class SecretClipboard(QObject):
    """Puts a text holding a key on the clipboard and takes it off after :data:`CLEAR_AFTER_MS`,
    unless something else was copied meanwhile. Only a digest of the text is kept.

    Signals:
        cleared(): the text was taken off the clipboard.
    """

    cleared = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._digest: bytes | None = None
        self.timer = QTimer(self, singleShot=True, interval=CLEAR_AFTER_MS)
        self.timer.timeout.connect(self.clear)

    def copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self._digest = _digest(text)
        self.timer.start()

    def clear(self) -> None:
        """Take our text off the clipboard now, if it is still there."""
        clipboard = QGuiApplication.clipboard()
        if self._digest and _digest(clipboard.text()) == self._digest:
            clipboard.clear()
            self.cleared.emit()
        self._digest = None
        self.timer.stop()
