"""What the parts of the main window share: a small interface, so that no part reaches
into another's widgets (see docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QMainWindow, QWidget

from ..core.entries import Entry
from ..core.vault import Vault
from .banner import Banner
from .check_session import CheckSession
from .entry_list import EntryListView
from .entry_model import EntryModel
from .list_loader import ListLoader
from .workers import BackgroundOp, Worker


@dataclass(frozen=True)
class WindowContext:
    """The window, its vault and model, its workers, the banner, the list and its loader.

    ``worker`` runs keyring and config calls (add, edit, remove, copy, the probe);
    ``session`` runs and records checks.
    """

    window: QMainWindow
    vault: Vault
    worker: Worker
    model: EntryModel
    session: CheckSession
    banner: Banner
    entries: EntryListView
    loader: ListLoader

    def op(self, call: Callable[[], Any], parent: QWidget | None = None) -> BackgroundOp:
        """A background operation whose failure is shown over ``parent`` (the window), after
        the list is read again: a failure halfway may have changed the files."""
        return BackgroundOp(self.worker, parent or self.window, call, self.loader.reload)

    def say(self, text: str, timeout_ms: int = 0) -> None:
        """A message in the status bar (for ``timeout_ms``; until the next one with 0)."""
        self.window.statusBar().showMessage(text, timeout_ms)

    def selected(self) -> Entry | None:
        return self.entries.selected_entry()
