"""The window's watch mode: periodic checks (:class:`Watcher`), the tray icon with the
worst light, notifications of a changed light, and closing to the tray while watching."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMainWindow

from .. import APP_NAME
from ..core.entries import Entry
from ..core.status import CheckResult
from .entry_model import EntryModel
from .watch import Tray, WatchDialog, Watcher, WatchSettings


class WatchMode(QObject):
    """Watching the keys from the window, and from the tray while the window is closed.

    ``tray.check_all_requested`` and ``tray.quit_requested`` are for the window to wire.
    """

    def __init__(
        self,
        window: QMainWindow,
        model: EntryModel,
        settings: QSettings,
        check: Callable[[list[Entry]], int],
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._say = say
        self._model = model
        self._settings = settings
        self.watcher = Watcher(model.entries, model.requests_last_hour, check, self)
        self.tray = Tray(self)
        self.tray.show_requested.connect(self._show_window)
        self.apply(WatchSettings.load(settings))

    def edit(self) -> None:
        dialog = WatchDialog(self.watcher.settings, self._window)
        if dialog.exec() == WatchDialog.DialogCode.Accepted:
            settings = dialog.value()
            settings.save(self._settings)
            self.apply(settings)

    def apply(self, settings: WatchSettings) -> None:
        self.watcher.apply(settings)
        self.tray.set_visible(settings.enabled)
        self.update_tray()
        if settings.enabled:
            self._say(
                self.tr("Watching: every %d min, at most %d checks per key per hour.")
                % (settings.interval_minutes, settings.per_key_budget),
                8000,
            )

    def update_tray(self) -> None:
        statuses, working, total = self._model.summary()  # from the instances' rows: cheap
        self.tray.show_status(
            statuses, self.tr("%s: %d of %d keys working") % (APP_NAME, working, total)
        )

    def notify_colour(self, entry_id: str, result: CheckResult) -> None:
        """An entry's light changed: say so from the tray, while watching."""
        entry = self._model.entry(entry_id)
        if entry is None or not (self.watcher.active and self.watcher.settings.notify):
            return
        self.tray.notify(f"{entry.name}: {result.status.label}", result.message, result.light)

    def keeps_watching_on_close(self) -> bool:
        """Whether closing the window only hides it (watching, with a tray icon to come back)."""
        return self.watcher.active and self.tray.icon.isVisible()

    def hide_to_tray(self) -> None:
        self._window.hide()
        self.tray.notify(
            APP_NAME,
            self.tr("Still watching your keys from the tray. Quit from its menu."),
            self.tray.light,
        )

    def _show_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
