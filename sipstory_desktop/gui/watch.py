"""Watching: optional periodic checks, a tray icon with the worst light, notifications.

Off by default. Never more often than every :data:`MIN_INTERVAL_MINUTES`, and never more
than the per-key hourly budget the user sets (default 4): each check may cost one of the
organization's 30 requests per hour.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ..core.budget import RATE_LIMIT
from ..core.entries import Entry
from ..core.state import State
from ..core.status import Light, Status, worst
from .desktop_services import TrayAnswer
from .lights import light_icon

MIN_INTERVAL_MINUTES = 15
DEFAULT_INTERVAL_MINUTES = 30
DEFAULT_PER_KEY_BUDGET = 4
MAX_PER_KEY_BUDGET = 30
MAX_INTERVAL_MINUTES = 24 * 60


def rounds_per_hour(interval_minutes: int) -> int:
    """The most rounds that fall within one hour (the server's fixed window)."""
    return math.ceil(60 / interval_minutes)


def fewest_minutes_for_budget(per_key_budget: int) -> int:
    """The shortest interval whose rounds stay within ``per_key_budget`` an hour."""
    return max(MIN_INTERVAL_MINUTES, math.ceil(60 / per_key_budget))


def fewest_minutes_for_shared(shared: int) -> int | None:
    """The shortest interval at which ``shared`` entries of one organization (one key)
    stay within its :data:`RATE_LIMIT` requests an hour; None: no interval does."""
    rounds = RATE_LIMIT // max(1, shared)
    return None if rounds == 0 else max(MIN_INTERVAL_MINUTES, math.ceil(60 / rounds))


def largest_shared_budget(entries: Iterable[Entry], state: State) -> int:
    """How many of ``entries`` count against one rate budget, at most (the same key on
    the same instance: one organization); 0 without entries."""
    counts = Counter(state.budget_of(entry.id) for entry in entries)
    return max(counts.values(), default=0)


@dataclass(frozen=True)
class WatchSettings:
    enabled: bool = False
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES
    per_key_budget: int = DEFAULT_PER_KEY_BUDGET
    notify: bool = True

    def clamped(self) -> WatchSettings:
        return WatchSettings(
            self.enabled,
            max(MIN_INTERVAL_MINUTES, min(MAX_INTERVAL_MINUTES, self.interval_minutes)),
            max(1, min(MAX_PER_KEY_BUDGET, self.per_key_budget)),
            self.notify,
        )

    @classmethod
    def load(cls, settings: QSettings) -> WatchSettings:
        def number(key: str, default: int) -> int:
            try:
                return int(str(settings.value(key, default)))
            except ValueError:
                return default

        def flag(key: str, default: bool) -> bool:
            return str(settings.value(key, default)).lower() in ("true", "1")

        return cls(
            flag("watch/enabled", False),
            number("watch/interval_minutes", DEFAULT_INTERVAL_MINUTES),
            number("watch/per_key_budget", DEFAULT_PER_KEY_BUDGET),
            flag("watch/notify", True),
        ).clamped()

    def save(self, settings: QSettings) -> None:
        settings.setValue("watch/enabled", self.enabled)
        settings.setValue("watch/interval_minutes", self.interval_minutes)
        settings.setValue("watch/per_key_budget", self.per_key_budget)
        settings.setValue("watch/notify", self.notify)
        settings.sync()


class Watcher(QObject):
    """Asks for checks every interval, for the entries still within their hourly budget.

    Args:
        entries: the entries to watch, read at each tick.
        used_last_hour: requests an entry's key used in the last hour.
        check: starts checks of the given entries (the window's CheckController.watch_round).

    Signals:
        ticked(int): a round of watching started this many checks.
    """

    ticked = Signal(int)

    def __init__(
        self,
        entries: Callable[[], list[Entry]],
        used_last_hour: Callable[[str], int],
        check: Callable[[list[Entry]], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._entries = entries
        self._used = used_last_hour
        self._check = check
        self.settings = WatchSettings()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)

    def apply(self, settings: WatchSettings) -> None:
        self.settings = settings.clamped()
        self._timer.stop()
        if self.settings.enabled:
            self._timer.start(self.settings.interval_minutes * 60_000)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def due(self) -> list[Entry]:
        """The entries a round would check: those under the per-key budget."""
        return [e for e in self._entries() if self._used(e.id) < self.settings.per_key_budget]

    def tick(self) -> int:
        started = self._check(self.due())
        self.ticked.emit(started)
        return started


class WatchDialog(QDialog):
    """Settings of the watch: on or off, how often, how many checks per key per hour; and
    where there is no tray, what that means for watching.

    The fields are off while watching is. A combination that cannot hold is said under
    them, and OK is disabled until it is mended: a number that is not one (an empty or
    zero interval), rounds more frequent than the checks allowed per key, or rounds that
    would send more than an organization's 30 requests an hour for the ``shared`` entries
    that hold one key.
    """

    def __init__(
        self,
        settings: WatchSettings,
        tray: TrayAnswer,
        parent: QWidget | None = None,
        *,
        shared: int = 1,
    ) -> None:
        super().__init__(parent)
        self._shared = shared
        self.setWindowTitle(self.tr("Watch keys"))
        self.enabled = QCheckBox(self.tr("&Check every key periodically"))
        self.enabled.setChecked(settings.enabled)
        self.interval = QSpinBox()
        self.interval.setRange(MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setValue(settings.interval_minutes)
        self.interval.setAccessibleName(self.tr("Minutes between rounds"))
        self.budget = QSpinBox()
        self.budget.setRange(1, MAX_PER_KEY_BUDGET)
        self.budget.setSuffix(self.tr(" per hour"))
        self.budget.setValue(settings.per_key_budget)
        self.budget.setAccessibleName(self.tr("Checks per key per hour at most"))
        self.notify = QCheckBox(self.tr("&Notify me when a key changes colour"))
        self.notify.setChecked(settings.notify)
        explanation = QLabel(
            self.tr(
                "Each check may cost one of the organization's 30 requests per hour. A round "
                "skips every key that has already used its budget in the last hour, checks "
                "made by hand included."
            )
        )
        explanation.setWordWrap(True)
        self.no_tray = QLabel(self._without_tray(tray))
        self.no_tray.setWordWrap(True)
        self.no_tray.setVisible(not tray.available)
        form = QFormLayout()
        interval_label = QLabel(self.tr("Check &every:"))
        interval_label.setBuddy(self.interval)
        budget_label = QLabel(self.tr("At &most:"))
        budget_label.setBuddy(self.budget)
        form.addRow(interval_label, self.interval)
        form.addRow(budget_label, self.budget)
        self.problem = _problem_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._fields: tuple[QWidget, ...] = (
            interval_label,
            self.interval,
            budget_label,
            self.budget,
            self.notify,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.notify)
        layout.addWidget(explanation)
        layout.addWidget(self.no_tray)
        layout.addWidget(buttons)
        self.enabled.toggled.connect(self._follow)
        for spin in (self.interval, self.budget):
            spin.textChanged.connect(self._follow)  # a value, typed or set
            # Its line edit's too: a spin box says nothing of a text it cannot take ("0").
            spin.lineEdit().textChanged.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        """The fields on only while watching is; the problem said, and OK off, while
        there is one."""
        on = self.enabled.isChecked()
        for field in self._fields:
            field.setEnabled(on)
        problem = self.problem_text() if on else ""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.interval.setAccessibleDescription(problem)
        self.ok.setEnabled(not problem)

    def problem_text(self) -> str:
        """What makes the settings impossible, in words ("" when nothing does)."""
        if not self.interval.hasAcceptableInput():
            return self.tr("Type the minutes between rounds: a number from %d to %d.") % (
                MIN_INTERVAL_MINUTES,
                MAX_INTERVAL_MINUTES,
            )
        if not self.budget.hasAcceptableInput():
            return self.tr("Type the checks per key per hour: a number from 1 to %d.") % (
                MAX_PER_KEY_BUDGET
            )
        minutes, budget = self.interval.value(), self.budget.value()
        rounds = rounds_per_hour(minutes)
        if rounds > budget:
            return self.tr(
                "A round every %d min makes %d rounds an hour, but each key may be checked "
                "at most %d time(s) an hour: most rounds would skip every key. Check every %d "
                "min or more, or allow more checks per hour."
            ) % (minutes, rounds, budget, fewest_minutes_for_budget(budget))
        if self._shared > 1 and self._shared * rounds > RATE_LIMIT:
            fewest = fewest_minutes_for_shared(self._shared)
            if fewest is None:
                return self.tr(
                    "%d entries hold the same key (one organization): a single round "
                    "would send more than its %d requests an hour."
                ) % (self._shared, RATE_LIMIT)
            return self.tr(
                "%d entries hold the same key (one organization): a round every %d min "
                "sends it up to %d requests an hour, over its limit of %d. Check every %d "
                "min or more."
            ) % (self._shared, minutes, self._shared * rounds, RATE_LIMIT, fewest)
        return ""

    def _without_tray(self, tray: TrayAnswer) -> str:
        if tray.available:
            return ""
        return (
            tray.reason
            + " "
            + self.tr(
                "Watching still works while the window is open. Closing the window while "
                "watching minimises it the first time; closing it again quits."
            )
        )

    def value(self) -> WatchSettings:
        return WatchSettings(
            self.enabled.isChecked(),
            self.interval.value(),
            self.budget.value(),
            self.notify.isChecked(),
        ).clamped()


def _problem_label() -> QLabel:
    """Where the dialog says what cannot hold (hidden while nothing is wrong)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("watch-problem")
    label.setStyleSheet("font-weight: bold")  # no colour: its words say it
    label.hide()
    return label


class Tray(QObject):
    """The tray icon: the worst light of all entries, a menu, and notifications.

    Only shown where the desktop has a system tray that shows it
    (:func:`.desktop_services.find_tray`): the watch mode decides.

    Signals:
        show_requested(), check_all_requested(), quit_requested()
    """

    show_requested = Signal()
    check_all_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(self)
        self._light = Light.GREY
        self.icon.setIcon(light_icon(Light.GREY, 32))
        menu = QMenu()
        self._menu = menu
        for text, signal in (
            (self.tr("&Show Sipstory Desktop"), self.show_requested),
            (self.tr("&Check all now"), self.check_all_requested),
            (self.tr("&Quit"), self.quit_requested),
        ):
            action = QAction(text, menu)
            action.triggered.connect(signal.emit)
            menu.addAction(action)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)

    @property
    def light(self) -> Light:
        return self._light

    def show_status(self, statuses: list[Status], summary: str) -> None:
        """Show the worst light of ``statuses`` and ``summary`` as the tooltip."""
        self._light = worst(statuses).light if statuses else Light.GREY
        self.icon.setIcon(light_icon(self._light, 32))
        self.icon.setToolTip(summary)

    def set_visible(self, visible: bool) -> None:
        self.icon.setVisible(visible)

    def can_notify(self) -> bool:
        return self.icon.isVisible() and QSystemTrayIcon.supportsMessages()

    def notify(self, title: str, message: str) -> None:
        if self.can_notify():
            self.icon.showMessage(title, message, QIcon(light_icon(self._light, 32)), 8000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()
