"""The window's watch mode: periodic checks (:class:`Watcher`), the tray icon with the
worst light, notifications of a changed light, and what closing the window does while
watching.

The tray is used only where one really shows our icon (:func:`find_tray`); elsewhere the
window is never hidden: closing it while watching minimises it once, with a message that
says why, and closing it again quits. Notifications go to the desktop's notification
service, else the tray's balloon, else the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMainWindow

from .. import APP_NAME
from ..core.entries import Entry
from ..core.status import CheckResult
from .desktop_services import Notifier, TrayAnswer, find_tray, when_tray_leaves
from .entry_model import EntryModel
from .result_texts import translated
from .status_texts import status_label
from .watch import Tray, WatchDialog, Watcher, WatchSettings, largest_shared_budget

NOTIFIER_WAIT_MS = 2000
MESSAGE_MS = 15_000


class WatchMode(QObject):
    """Watching the keys from the window, and from the tray while the window is closed.

    ``tray.check_all_requested`` and ``tray.quit_requested`` are for the window to wire.
    ``probe_tray`` and ``notifier`` stand in for the desktop in tests.
    """

    def __init__(
        self,
        window: QMainWindow,
        model: EntryModel,
        settings: QSettings,
        check: Callable[[list[Entry]], int],
        say: Callable[[str, int], None],
        *,
        probe_tray: Callable[[], TrayAnswer] = find_tray,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._say = say
        self._model = model
        self._settings = settings
        self._probe_tray = probe_tray
        self._minimised_once = False
        self._tray_leaving: QObject | None = None  # while hidden to the tray
        self.tray_answer = TrayAnswer(False)  # asked when watching is turned on
        self.watcher = Watcher(model.entries, model.requests_last_hour, check, self)
        self.tray = Tray(self)
        self.tray.show_requested.connect(self._show_window)
        self.notifier = Notifier(self._notify_in_app, parent=self)
        self.apply(WatchSettings.load(settings))

    def edit(self) -> None:
        shared = largest_shared_budget(self._model.entries(), self._model.state)
        dialog = WatchDialog(self.watcher.settings, self._probe_tray(), self._window, shared=shared)
        if dialog.exec() == WatchDialog.DialogCode.Accepted:
            settings = dialog.value()
            settings.save(self._settings)
            self.apply(settings)

    def apply(self, settings: WatchSettings) -> None:
        self.watcher.apply(settings)
        self._follow_tray()
        self.update_tray()
        if not settings.enabled:
            return
        said = self.tr("Watching: every %d min, at most %d checks per key per hour.") % (
            settings.interval_minutes,
            settings.per_key_budget,
        )
        if not self.tray_answer.available:
            said += " " + self.tr("No tray here: watching runs while the window is open.")
        self._say(said, MESSAGE_MS)

    def _follow_tray(self) -> TrayAnswer:
        """Ask the desktop again (a tray may have come or gone) while watching; show the
        icon only where it can be seen."""
        if self.watcher.active:
            self.tray_answer = self._probe_tray()
        self.tray.set_visible(self.watcher.active and self.tray_answer.available)
        return self.tray_answer

    def update_tray(self) -> None:
        statuses, working, total = self._model.summary()  # from the instances' rows: cheap
        self.tray.show_status(
            statuses, self.tr("%s: %d of %d keys working") % (APP_NAME, working, total)
        )

    def notify_colour(self, entry_id: str, result: CheckResult) -> None:
        """An entry's light changed: say so, while watching. Never a key: the entry's
        name, the status and the check's message."""
        entry = self._model.entry(entry_id)
        if entry is None or not (self.watcher.active and self.watcher.settings.notify):
            return
        self.notifier.notify(
            f"{entry.name}: {status_label(result.status)}", translated(result.message)
        )

    def _notify_in_app(self, title: str, body: str) -> None:
        """No notification service took it: the tray's balloon, else the status bar."""
        if self.tray.can_notify():
            self.tray.notify(title, body)
        else:
            self._say(f"{title}: {body}", MESSAGE_MS)

    def keep_on_close(self) -> bool:
        """The window is being closed: whether it stays (hidden to the tray, or minimised
        where there is no tray), which this says. False: let it close and quit."""
        if not self.watcher.active:
            return False
        if self._follow_tray().available:
            self._window.hide()
            self._tray_leaving = when_tray_leaves(self._tray_left, self)
            self.notifier.notify(
                APP_NAME, self.tr("Still watching your keys from the tray. Quit from its menu.")
            )
            return True
        if self._minimised_once:
            return False
        self._minimised_once = True
        self._window.showMinimized()
        message = (
            self.tr("Minimised to keep watching your keys: %s Close the window again to quit.")
            % self.tray_answer.reason
        )
        self._say(message, 0)  # stays until the next message: the user is away
        self.notifier.notify(APP_NAME, message)
        return True

    def shutdown(self) -> None:
        """Quitting: the icon goes, a notification on its way may finish."""
        self.tray.set_visible(False)
        self.notifier.worker.wait(NOTIFIER_WAIT_MS)

    def _tray_left(self) -> None:
        """The tray went away while the window was hidden to it: the window comes back."""
        self._show_window()
        self._follow_tray()  # no icon now
        self._say(self.tr("The system tray went away: the window is back, still watching."), 0)

    def _show_window(self) -> None:
        if self._tray_leaving is not None:
            self._tray_leaving.deleteLater()
            self._tray_leaving = None
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
