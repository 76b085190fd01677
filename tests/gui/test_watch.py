"""Watching: the round's choice of keys, its limits, the settings, the tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.status import Light, Status
from sipstory_desktop.gui.watch import (
    DEFAULT_PER_KEY_BUDGET,
    MIN_INTERVAL_MINUTES,
    Tray,
    Watcher,
    WatchSettings,
)

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
