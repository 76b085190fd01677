"""Watching with and without a tray, on a real session bus with a minimal desktop on it
(a StatusNotifier watcher, a notification service: tests/support/fake_desktop_services.py)
and the real window on a headless Weston."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection

from sipstory_desktop import APP_ID, APP_NAME
from sipstory_desktop.core.status import Status
from sipstory_desktop.gui.desktop_services import (
    ask_bus,
    send_notification,
    status_notifier_host,
)
from tests.support.real_parts import (
    Desktop,
    DrivenApp,
    Wayland,
    running_desktop,
    unexpected_stderr,
    wayland_env,
)

StartApp = Callable[..., DrivenApp]

HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")  # a demo key is 64 hex digits


@contextlib.contextmanager
def private_bus(desktop: Desktop, name: str) -> Iterator[QDBusConnection]:
    """A QtDBus connection of this process to the desktop's bus."""
    bus = QDBusConnection.connectToBus(desktop.address, name)
    assert bus.isConnected()
    yield bus
    QDBusConnection.disconnectFromBus(name)


def item_property(bus: QDBusConnection, service: str, name: str) -> object:
    """A property of a StatusNotifier item (the tray icon an app put on the bus)."""
    get = "org.freedesktop.DBus.Properties.Get"
    return ask_bus(bus, service, "/StatusNotifierItem", get, "org.kde.StatusNotifierItem", name)


def notifications(desktop: Desktop, count: int) -> list[tuple[str, str]]:
    """(summary, body) of the first ``count`` notifications, after checking the rest."""
    found = desktop.wait_for("Notify", count)
    for app_name, replaces, icon, _summary, _body, actions, hints, timeout in found:
        assert (app_name, replaces, icon, actions, timeout) == (APP_NAME, 0, APP_ID, [], -1)
        assert hints == {"desktop-entry": ["s", APP_ID]}
    return [(str(call[3]), str(call[4])) for call in found[:count]]


def test_the_probe_needs_a_watcher_and_a_registered_host(qapp, tmp_path: Path) -> None:
    with running_desktop(tmp_path / "none") as desktop, private_bus(desktop, "none") as bus:
        answer = status_notifier_host(bus)
        assert not answer.available and "StatusNotifier watcher" in answer.reason
    hostless = running_desktop(tmp_path / "hostless", watcher=True)
    with hostless as desktop, private_bus(desktop, "hostless") as bus:
        answer = status_notifier_host(bus)
        assert not answer.available and "no StatusNotifier host" in answer.reason
    tray = running_desktop(tmp_path / "tray", watcher=True, host=True)
    with tray as desktop, private_bus(desktop, "tray") as bus:
        assert status_notifier_host(bus).available
        assert desktop.calls("Get") == [
            ["org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered"]
        ]


def test_a_notification_has_the_specs_types(tmp_path: Path) -> None:
    """The fake server refuses a Notify whose signature is not the spec's, as GNOME does."""
    with running_desktop(tmp_path / "desktop", notifications=True) as desktop:
        assert send_notification("Acme: Invalid key", "Rotated <maybe> & gone", desktop.address)
        assert notifications(desktop, 1) == [
            ("Acme: Invalid key", "Rotated &lt;maybe&gt; &amp; gone")
        ]
    with running_desktop(tmp_path / "silent") as desktop:
        assert not send_notification("Acme", "no service here", desktop.address)


@pytest.fixture
def run_app(wayland: Wayland, tmp_path: Path) -> Iterator[StartApp]:
    """``run_app(desktop, *driver_args)``: the demo app on Weston, with ``desktop`` as its
    session bus; killed at the end if it is still running."""
    started: list[DrivenApp] = []

    def start(desktop: Desktop, *args: str) -> DrivenApp:
        env = wayland_env(wayland, desktop, tmp_path / "home")
        app = DrivenApp([*args], env, tmp_path / f"stderr-{len(started)}")
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


def test_without_a_tray_watching_keeps_the_window_and_says_why(
    run_app: StartApp, tmp_path: Path
) -> None:
    with running_desktop(tmp_path / "desktop", notifications=True) as desktop:
        app = run_app(desktop, "--watch", "--turn", "acme")
        watching = app.expect("watching")
        assert not watching["tray_available"]
        assert "StatusNotifier watcher" in watching["reason"]
        assert not watching["tray_visible"]
        assert "No tray here: watching runs while the window is open." in watching["status_bar"]

        checked = app.expect("checked")
        acme = checked["results"]["Acme Agency"]
        assert acme["status"] == "rate_limited"  # green before: its light changed
        ((summary, body),) = notifications(desktop, 1)
        assert summary == f"Acme Agency: {Status.RATE_LIMITED.label}"
        assert body == acme["message"].replace("&", "&amp;").replace("<", "&lt;")

        app.send("close")  # the first close minimises, and says why
        closed = app.expect("closed")
        assert closed["visible"] and not closed["tray_visible"]
        assert "Minimised to keep watching your keys" in closed["status_bar"]
        assert "no system tray" in closed["status_bar"]
        assert "Close the window again to quit." in closed["status_bar"]
        (_, (title, said)) = notifications(desktop, 2)
        assert (title, said) == (APP_NAME, closed["status_bar"])

        app.send("close")  # the second one quits
        status, stderr = app.finish()
        assert desktop.calls("RegisterStatusNotifierItem") == []
        for call in desktop.calls("Notify"):
            assert not HEX_RUN.search(str(call)), "a key in a notification"
    assert status == 0
    assert unexpected_stderr(stderr) == []


def test_with_a_tray_host_closing_hides_the_window_to_the_tray(
    run_app: StartApp, tmp_path: Path
) -> None:
    with running_desktop(
        tmp_path / "desktop", watcher=True, host=True, notifications=True
    ) as desktop:
        app = run_app(desktop, "--watch")
        watching = app.expect("watching")
        assert watching["tray_available"] and watching["tray_visible"]
        ((item,),) = desktop.wait_for("RegisterStatusNotifierItem")  # Qt's tray icon
        with private_bus(desktop, "host") as bus:  # what a panel would read to draw it
            assert item_property(bus, str(item), "Status") == "Active"
            assert item_property(bus, str(item), "Category") == "ApplicationStatus"

        app.expect("checked")
        app.send("close")
        closed = app.expect("closed")
        assert not closed["visible"] and closed["tray_visible"]
        ((title, said),) = notifications(desktop, 1)
        assert (title, said) == (
            APP_NAME,
            "Still watching your keys from the tray. Quit from its menu.",
        )

        desktop.leave()  # the tray goes: the window must come back
        back = app.expect("back")
        assert back["visible"] and not back["tray_visible"]
        assert (
            back["status_bar"] == "The system tray went away: the window is back, still watching."
        )

        app.send("quit")
        status, stderr = app.finish()
    assert status == 0
    assert unexpected_stderr(stderr) == []
