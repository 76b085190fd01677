"""Watching: the round's choice of keys, its limits, the settings, the tray; closing the
window and notifications with and without a tray (the desktop stood in for)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSpinBox

from sipstory_desktop import APP_NAME
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.state import State
from sipstory_desktop.core.status import Light, Status
from sipstory_desktop.gui.desktop_services import Notifier, TrayAnswer, find_tray
from sipstory_desktop.gui.entry_model import EntryModel
from sipstory_desktop.gui.watch import (
    DEFAULT_PER_KEY_BUDGET,
    MIN_INTERVAL_MINUTES,
    Tray,
    WatchDialog,
    Watcher,
    WatchSettings,
    largest_shared_budget,
)
from sipstory_desktop.gui.watch_mode import WatchMode

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def entry(name: str) -> Entry:
    return Entry(name=name, kind=EntryKind.CLOUD, base_url="https://api.sipstory.tech/public/v1")


def test_watching_is_off_by_default_and_never_faster_than_15_minutes(qtbot) -> None:
    assert WatchSettings().enabled is False
    assert WatchSettings().per_key_budget == DEFAULT_PER_KEY_BUDGET == 4
    assert WatchSettings(True, 1, 99).clamped() == WatchSettings(True, MIN_INTERVAL_MINUTES, 30)
    watcher = Watcher(lambda: [], lambda _: 0, lambda _: 0)
    watcher.apply(WatchSettings(enabled=True, interval_minutes=2))
    assert watcher.active
    assert watcher._timer.interval() == MIN_INTERVAL_MINUTES * 60_000
    watcher.apply(WatchSettings(enabled=False))
    assert not watcher.active


def test_a_round_skips_keys_that_used_their_hourly_budget(qtbot) -> None:
    fresh, busy, spent = entry("fresh"), entry("busy"), entry("spent")
    used = {fresh.id: 0, busy.id: 3, spent.id: 4}
    asked: list[list[Entry]] = []
    watcher = Watcher(
        lambda: [fresh, busy, spent],
        used.__getitem__,
        lambda entries: asked.append(entries) or len(entries),
    )
    watcher.apply(WatchSettings(enabled=True, per_key_budget=4))
    with qtbot.waitSignal(watcher.ticked) as ticked:
        watcher.tick()
    assert ticked.args == [2]
    assert asked == [[fresh, busy]]
    watcher.apply(WatchSettings(enabled=True, per_key_budget=1))
    assert watcher.due() == [fresh]


def test_settings_survive_a_restart(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    WatchSettings(True, 45, 2, False).save(settings)
    again = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    assert WatchSettings.load(again) == WatchSettings(True, 45, 2, False)
    (tmp_path / "bad.ini").write_text("[watch]\ninterval_minutes=soon\nper_key_budget=-3\n")
    damaged = QSettings(str(tmp_path / "bad.ini"), QSettings.Format.IniFormat)
    assert WatchSettings.load(damaged) == WatchSettings(False, 30, 1, True)


def test_the_tray_shows_the_worst_light(qtbot) -> None:
    tray = Tray()
    tray.show_status([Status.CONNECTED, Status.RATE_LIMITED], "1 of 2 working")
    assert tray.light is Light.AMBER
    assert tray.icon.toolTip() == "1 of 2 working"
    tray.show_status([Status.CONNECTED, Status.INVALID_KEY, Status.RATE_LIMITED], "")
    assert tray.light is Light.RED
    tray.show_status([], "")
    assert tray.light is Light.GREY


# --- where there is a tray, and where there is none -----------------------------------------

NO_TRAY = TrayAnswer(False, "This desktop has no system tray.")
# Showing a tray icon on the offscreen platform makes Qt note that the platform has no
# tray window: a fact of the test platform, not of the app (the real tray is tested on a
# real bus in tests/integration/test_tray_and_notifications.py).
OFFSCREEN_TRAY = pytest.mark.qt_log_ignore("systemTrayWindowChanged")


class Desk:
    """What WatchMode sees of the desktop: a tray or none, and who got each notification."""

    def __init__(self, tray: TrayAnswer) -> None:
        self.tray = tray
        self.probes = 0
        self.said: list[str] = []
        self.notified: list[tuple[str, str]] = []

    def probe(self) -> TrayAnswer:
        self.probes += 1
        return self.tray

    def say(self, text: str, _timeout_ms: int = 0) -> None:
        self.said.append(text)


@pytest.fixture
def watch_mode(qtbot, tmp_path: Path):
    """``watch_mode(tray)``: a WatchMode on a plain window, watching, over ``Desk(tray)``."""

    def make(tray: TrayAnswer) -> tuple[WatchMode, QMainWindow, Desk]:
        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        desk = Desk(tray)
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        mode = WatchMode(
            window, EntryModel(window), settings, lambda _: 0, desk.say, probe_tray=desk.probe
        )
        mode.notifier = Notifier(
            lambda title, body: desk.notified.append((title, body)), platform="darwin"
        )
        mode.apply(WatchSettings(enabled=True))
        return mode, window, desk

    return make


def test_watching_without_a_tray_shows_no_icon_and_says_so(watch_mode) -> None:
    mode, _, desk = watch_mode(NO_TRAY)
    assert desk.probes == 1  # asked when watching was turned on
    assert not mode.tray.icon.isVisible()
    assert desk.said[-1].endswith("No tray here: watching runs while the window is open.")


def test_without_a_tray_closing_minimises_once_then_quits(watch_mode, qtbot) -> None:
    mode, window, desk = watch_mode(NO_TRAY)
    assert mode.keep_on_close()
    assert window.isVisible()  # never hidden: minimised, on the taskbar
    qtbot.waitUntil(window.isMinimized)
    message = desk.said[-1]
    assert message.startswith("Minimised to keep watching your keys: This desktop has no")
    assert message.endswith("Close the window again to quit.")
    assert desk.notified == [(APP_NAME, message)]
    assert not mode.keep_on_close()  # the second close quits


@OFFSCREEN_TRAY
def test_with_a_tray_closing_hides_to_it_and_says_so(watch_mode) -> None:
    mode, window, desk = watch_mode(TrayAnswer(True))
    assert mode.tray.icon.isVisible()
    assert mode.keep_on_close()
    assert not window.isVisible()
    assert desk.probes == 2  # asked again: the tray may have gone meanwhile
    mode.tray.set_visible(False)
    assert desk.notified == [
        (APP_NAME, "Still watching your keys from the tray. Quit from its menu.")
    ]


@OFFSCREEN_TRAY
def test_a_tray_that_went_away_is_not_closed_to(watch_mode) -> None:
    mode, window, desk = watch_mode(TrayAnswer(True))
    desk.tray = NO_TRAY
    assert mode.keep_on_close()
    assert window.isVisible() and not mode.tray.icon.isVisible()


@OFFSCREEN_TRAY
def test_closing_while_not_watching_quits(watch_mode) -> None:
    mode, _, desk = watch_mode(TrayAnswer(True))
    mode.apply(WatchSettings(enabled=False))
    assert not mode.tray.icon.isVisible()
    assert not mode.keep_on_close()
    assert desk.probes == 1


def test_the_watch_dialog_says_when_there_is_no_tray(qtbot) -> None:
    without = WatchDialog(WatchSettings(), NO_TRAY)
    qtbot.addWidget(without)
    assert not without.no_tray.isHidden()
    assert without.no_tray.text().startswith("This desktop has no system tray. Watching still")
    assert "closing it again quits" in without.no_tray.text()
    with_tray = WatchDialog(WatchSettings(), TrayAnswer(True))
    qtbot.addWidget(with_tray)
    assert with_tray.no_tray.isHidden()


def test_notifications_fall_back_to_the_tray_then_the_status_bar(qtbot) -> None:
    said: list[tuple[str, str]] = []
    elsewhere = Notifier(lambda title, body: said.append((title, body)), platform="win32")
    elsewhere.notify("Acme: Invalid key", "Rotated?")
    assert said == [("Acme: Invalid key", "Rotated?")]  # no freedesktop service off Linux
    no_bus = Notifier(
        lambda title, body: said.append((title, body)), address="unix:path=/nonexistent"
    )
    no_bus.notify("Acme: Connected", "Works.")
    qtbot.waitUntil(lambda: len(said) == 2)  # the service could not be reached
    assert said[1] == ("Acme: Connected", "Works.")
    assert no_bus.worker.wait(5000)


def test_in_the_window_a_notification_goes_to_the_status_bar_without_a_tray(watch_mode) -> None:
    mode, _, desk = watch_mode(NO_TRAY)
    mode._notify_in_app("Acme: Invalid key", "Rotated?")
    assert desk.said[-1] == "Acme: Invalid key: Rotated?"


def test_off_linux_the_tray_is_what_qt_says() -> None:
    assert find_tray(platform="win32", qt_says=lambda: True) == TrayAnswer(True)
    assert not find_tray(platform="darwin", qt_says=lambda: False).available


def watch_dialog(qtbot, settings: WatchSettings, shared: int = 1) -> WatchDialog:
    dialog = WatchDialog(settings, TrayAnswer(True), shared=shared)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def retype(qtbot, spin: QSpinBox, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClick(spin, Qt.Key.Key_Delete)
    qtbot.keyClicks(spin, text)


def test_the_watch_dialog_s_fields_are_off_while_watching_is(qtbot) -> None:
    dialog = watch_dialog(qtbot, WatchSettings(enabled=False))
    fields = (dialog.interval, dialog.budget, dialog.notify)
    assert not any(field.isEnabled() for field in fields)
    assert dialog.ok.isEnabled()  # off is a choice that always holds

    dialog.enabled.setChecked(True)
    assert all(field.isEnabled() for field in fields)
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()


def test_the_watch_dialog_refuses_an_interval_that_is_no_number(qtbot) -> None:
    dialog = watch_dialog(qtbot, WatchSettings(enabled=True))
    for typed in ("", "0"):
        retype(qtbot, dialog.interval, typed)
        assert not dialog.ok.isEnabled(), typed
        assert not dialog.problem.isHidden()
        assert dialog.problem.text() == "Type the minutes between rounds: a number from 15 to 1440."
        assert dialog.interval.accessibleDescription() == dialog.problem.text()
    retype(qtbot, dialog.interval, "20")
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()
    assert dialog.value().interval_minutes == 20


def test_the_watch_dialog_refuses_rounds_more_frequent_than_the_checks_per_key(qtbot) -> None:
    dialog = watch_dialog(qtbot, WatchSettings(enabled=True, interval_minutes=15))
    dialog.budget.setValue(1)  # 4 rounds an hour, 1 check per key an hour

    assert not dialog.ok.isEnabled()
    assert "4 rounds an hour" in dialog.problem.text()
    assert "Check every 60 min or more" in dialog.problem.text()
    dialog.interval.setValue(60)
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()
    dialog.enabled.setChecked(False)
    dialog.interval.setValue(15)
    assert dialog.ok.isEnabled()  # not watching: nothing to hold


def test_the_watch_dialog_keeps_entries_sharing_a_key_within_30_an_hour(qtbot) -> None:
    settings = WatchSettings(enabled=True, interval_minutes=15, per_key_budget=4)
    assert watch_dialog(qtbot, settings, shared=7).ok.isEnabled()  # 28 an hour
    dialog = watch_dialog(qtbot, settings, shared=10)  # 40 an hour

    assert not dialog.ok.isEnabled()
    assert dialog.problem.text().startswith("10 entries hold the same key")
    assert "Check every 20 min or more" in dialog.problem.text()
    dialog.interval.setValue(20)  # 3 rounds an hour: 30
    assert dialog.ok.isEnabled()
    never = watch_dialog(qtbot, settings, shared=31)
    assert not never.ok.isEnabled() and "single round" in never.problem.text()


def test_the_largest_group_of_entries_sharing_a_budget_is_counted() -> None:
    first, second, third = entry("a"), entry("b"), entry("c")
    state = State()
    assert largest_shared_budget([], state) == 0
    assert largest_shared_budget([first, second, third], state) == 1
    state.budgets.update({first.id: first.id, second.id: first.id})
    assert largest_shared_budget([first, second, third], state) == 2
