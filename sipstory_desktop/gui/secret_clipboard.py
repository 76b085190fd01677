"""The clipboard for texts that hold a key: marked as a secret for clipboard managers, and
cleared again after 30 s if still there.

The text goes with the ``x-kde-passwordManagerHint: secret`` MIME type, which KDE's Klipper,
CopyQ and other clipboard managers read as "keep this out of the history". On Wayland an
app may change the clipboard only while it has the focus: a clear due while another app is
in front waits until Sipstory Desktop is active again, and the user is told so.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000
HISTORY_HINT_MIME = "x-kde-passwordManagerHint"  # value: b"secret"


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class SecretClipboard(QObject):
    """Puts a text holding a key on the clipboard and takes it off after :data:`CLEAR_AFTER_MS`,
    unless something else was copied meanwhile. Only a digest of the text is kept.

    Signals:
        cleared(): the text was taken off the clipboard.
        clear_delayed(): the text is still there: it is cleared when the app is active again.
    """

    cleared = Signal()
    clear_delayed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._digest: bytes | None = None
        self.timer = QTimer(self, singleShot=True, interval=CLEAR_AFTER_MS)
        self.timer.timeout.connect(self._due)
        self._waiting_for_focus = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._state_changed)

    def copy(self, text: str) -> None:
        data = QMimeData()
        data.setText(text)
        data.setData(HISTORY_HINT_MIME, b"secret")
        QGuiApplication.clipboard().setMimeData(data)
        self._digest = _digest(text)
        self._waiting_for_focus = False
        self.timer.start()

    def clear(self) -> None:
        """Take our text off the clipboard now, if it is still there."""
        clipboard = QGuiApplication.clipboard()
        if self._digest and _digest(clipboard.text()) == self._digest:
            clipboard.clear()
            self.cleared.emit()
        self._digest = None
        self._waiting_for_focus = False
        self.timer.stop()

    def _due(self) -> None:
        if self._digest and _needs_focus() and not _active():
            self._waiting_for_focus = True  # Wayland would ignore a clear now
            self.clear_delayed.emit()
            return
        self.clear()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if self._waiting_for_focus and state == Qt.ApplicationState.ApplicationActive:
            self.clear()


def _needs_focus() -> bool:
    """Whether the clipboard may be changed only by the app in front (Wayland)."""
    return QGuiApplication.platformName().startswith("wayland")


def _active() -> bool:
    return QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
