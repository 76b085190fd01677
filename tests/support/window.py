"""Helpers of the tests of the main window: the gui fixtures' types, selecting a row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex

from sipstory_desktop.core.entries import Entry
from sipstory_desktop.gui.window import MainWindow

WAIT_MS = 10_000

# The fixtures of tests/gui/conftest.py: window(), known_key(), seed().
MakeWindow = Callable[..., MainWindow]
KnownKey = Callable[..., str]
Seed = Callable[..., list[Entry]]


def view_index(window: MainWindow, entry_id: str, column: int = 0) -> QModelIndex:
    return window.entry_list.proxy.mapFromSource(window.model.index_of(entry_id, column))


def select(window: MainWindow, entry_id: str) -> None:
    window.entry_list.setCurrentIndex(view_index(window, entry_id))
    entry = window.selected_entry()
    assert entry is not None and entry.id == entry_id
