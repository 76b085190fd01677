"""The window's size and the list's columns and splitter, kept from one session to the next."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

_KEYS = ("window/geometry", "window/header", "window/splitter")


class WindowLayout:
    """Saves and restores the layout of ``window`` in ``settings`` (the app's window.ini)."""

    def __init__(
        self, settings: QSettings, window: QMainWindow, header: QHeaderView, splitter: QSplitter
    ) -> None:
        self._settings = settings
        self._parts = (
            (window.saveGeometry, window.restoreGeometry),
            (header.saveState, header.restoreState),
            (splitter.saveState, splitter.restoreState),
        )

    def restore(self) -> None:
        for key, (_save, restore) in zip(_KEYS, self._parts, strict=True):
            value = self._settings.value(key)
            if isinstance(value, QByteArray):
                restore(value)

    def save(self) -> None:
        for key, (save, _restore) in zip(_KEYS, self._parts, strict=True):
            self._settings.setValue(key, save())
        self._settings.sync()
