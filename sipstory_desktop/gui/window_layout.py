"""The window's size and the list's columns and splitter, kept from one session to the next;
the first window sized to its screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

_KEYS = ("window/geometry", "window/header", "window/splitter")
PREFERRED_SIZE = QSize(1480, 740)  # room for every column and the details pane
_SHARE_OF_SCREEN = 0.92  # at most this much of the screen's free width and height


class WindowLayout:
    """Saves and restores the layout of ``window`` in ``settings`` (the app's window.ini)."""

    def __init__(
        self, settings: QSettings, window: QMainWindow, header: QHeaderView, splitter: QSplitter
    ) -> None:
        self._settings = settings
        self._window = window
        self._parts = (
            (header.saveState, header.restoreState),
            (splitter.saveState, splitter.restoreState),
        )

    def restore(self) -> None:
        """The saved layout, where it still fits a screen; else a size that fits."""
        for key, (_save, restore) in zip(_KEYS[1:], self._parts, strict=True):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)
        geometry = self._settings.value(_KEYS[0])
        if not (
            isinstance(geometry, QByteArray)
            and self._window.restoreGeometry(geometry)
            and _on_a_screen(self._window.frameGeometry())
        ):
            self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """The preferred size, or less on a small (or strongly scaled) screen, centred."""
        screen = self._window.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self._window.resize(PREFERRED_SIZE)
            return
        free = screen.availableGeometry()
        size = PREFERRED_SIZE.boundedTo(
            QSize(int(free.width() * _SHARE_OF_SCREEN), int(free.height() * _SHARE_OF_SCREEN))
        )
        self._window.resize(size)
        frame = self._window.frameGeometry()
        frame.moveCenter(free.center())
        self._window.move(frame.topLeft())

    def save(self) -> None:
        self._settings.setValue(_KEYS[0], self._window.saveGeometry())
        for key, (save, _restore) in zip(_KEYS[1:], self._parts, strict=True):
            self._settings.setValue(key, save())
        self._settings.sync()


def _on_a_screen(frame: QRect) -> bool:
    return any(screen.availableGeometry().contains(frame) for screen in QGuiApplication.screens())
