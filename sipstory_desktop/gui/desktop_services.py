"""What the desktop around the window offers: a system tray that really shows icons, and
a notification service.

On Linux both live on the D-Bus session bus. A tray exists only where a StatusNotifier
host (a panel that draws the icons) is registered with ``org.kde.StatusNotifierWatcher``:
GNOME without its AppIndicator extension has none, and an icon put there would be seen
by nobody (Qt itself only asks whether the watcher exists). Notifications go to
``org.freedesktop.Notifications``; where that service is missing or fails, the caller's
fallback says it another way.

The tray probe is two short calls (to the bus daemon, then to the watcher), each given
:data:`CALL_TIMEOUT_MS`, made only while watching: when it is turned on (at start, if it
was left on), when its dialog opens, and when the window is closed. QtDBus is imported
only then (and to notice a tray leaving), and only on Linux. A notification is sent from a
pool thread.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QSystemTrayIcon

from .. import APP_ID, APP_NAME
from .workers import Worker

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
CALL_TIMEOUT_MS = 1000
NOTIFY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class TrayAnswer:
    """Whether a tray shows our icon here, and if not, why (a sentence for the user)."""

    available: bool
    reason: str = ""


def ask_bus(bus: QDBusConnection, service: str, path: str, member: str, *args: str) -> object:
    """The first value of a method's reply, or None on an error or a timeout (logged,
    never raised). ``member`` is ``interface.method``."""
    from PySide6.QtDBus import QDBus, QDBusMessage, QDBusVariant  # noqa: PLC0415  (Linux)

    interface, _, method = member.rpartition(".")
    message = QDBusMessage.createMethodCall(service, path, interface, method)
    message.setArguments(list(args))
    reply = bus.call(message, QDBus.CallMode.Block, CALL_TIMEOUT_MS)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage:
        log.info("D-Bus %s: %s", method, reply.errorName())
        return None
    values = reply.arguments()
    first = values[0] if values else None
    return first.variant() if isinstance(first, QDBusVariant) else first


def status_notifier_host(bus: QDBusConnection) -> TrayAnswer:
    """Whether a StatusNotifier watcher is on ``bus`` and says a host is registered."""
    daemon = "org.freedesktop.DBus"
    if ask_bus(bus, daemon, "/org/freedesktop/DBus", f"{daemon}.NameHasOwner", WATCHER) is not True:
        return TrayAnswer(
            False,
            QCoreApplication.translate(
                "DesktopServices",
                "This desktop has no system tray for app icons (no StatusNotifier watcher "
                "on the session bus; on GNOME, the AppIndicator extension adds one).",
            ),
        )
    host = ask_bus(
        bus,
        WATCHER,
        WATCHER_PATH,
        "org.freedesktop.DBus.Properties.Get",
        WATCHER,
        "IsStatusNotifierHostRegistered",
    )
    if host is not True:
        return TrayAnswer(
            False,
            QCoreApplication.translate(
                "DesktopServices",
                "This desktop's system tray is not shown right now (no StatusNotifier "
                "host is registered on the session bus).",
            ),
        )
    return TrayAnswer(True)


def find_tray(
    bus: QDBusConnection | None = None,
    platform: str = sys.platform,
    qt_says: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
) -> TrayAnswer:
    """Whether closing the window to a tray icon leaves the user a way back."""
    if platform.startswith("linux"):
        from PySide6.QtDBus import QDBusConnection  # noqa: PLC0415  (Linux only)

        bus = QDBusConnection.sessionBus() if bus is None else bus
        if not bus.isConnected():
            return TrayAnswer(
                False,
                QCoreApplication.translate(
                    "DesktopServices",
                    "There is no D-Bus session bus, so there is no system tray either.",
                ),
            )
        host = status_notifier_host(bus)
        if not host.available:
            return host
    if not qt_says():
        return TrayAnswer(
            False, QCoreApplication.translate("DesktopServices", "This desktop has no system tray.")
        )
    return TrayAnswer(True)


def when_tray_leaves(callback: Callable[[], None], parent: QObject) -> QObject | None:
    """Call ``callback`` when the StatusNotifier watcher leaves the session bus (its panel
    or extension stopped), so that a window hidden to the tray can come back. The watcher
    goes with ``parent``; None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    from PySide6.QtDBus import (  # noqa: PLC0415  (Linux only)
        QDBusConnection,
        QDBusServiceWatcher,
    )

    watcher = QDBusServiceWatcher(
        WATCHER,
        QDBusConnection.sessionBus(),
        QDBusServiceWatcher.WatchModeFlag.WatchForUnregistration,
        parent,
    )
    watcher.serviceUnregistered.connect(lambda _name: callback())
    return watcher


def _escaped(text: str) -> str:
    """Body text for servers that read markup (the spec's ``body-markup``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def send_notification(title: str, body: str, address: str | None = None) -> bool:
    """Show a desktop notification through ``org.freedesktop.Notifications``; blocking.

    Over jeepney rather than QtDBus: ``Notify`` takes a ``uint32`` (``replaces_id``) that
    PySide6 cannot put in a D-Bus message (a Python int goes as ``int32``, or as ``uint16``
    through ``QDBusArgument``), and GNOME's and KDE's servers refuse any other signature.
    jeepney is there on Linux: secretstorage, which keyring uses for the Secret Service,
    depends on it (and the bundle's spec takes it in).

    Returns whether the server took it; False when there is no session bus or no service.
    """
    address = address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if not address:
        return False
    from jeepney import (  # type: ignore[import-untyped]  # noqa: PLC0415  (Linux only)
        DBusAddress,
        MessageType,
        new_method_call,
    )
    from jeepney.io.blocking import (  # type: ignore[import-untyped]  # noqa: PLC0415
        open_dbus_connection,
    )

    call = new_method_call(
        DBusAddress(NOTIFICATIONS_PATH, bus_name=NOTIFICATIONS, interface=NOTIFICATIONS),
        "Notify",
        "susssasa{sv}i",
        (
            APP_NAME,
            0,  # replaces no earlier notification
            APP_ID,  # the icon, by the name the desktop file installs
            title,
            _escaped(body),
            [],
            {"desktop-entry": ("s", APP_ID)},
            -1,  # the server's default time on screen
        ),
    )
    with open_dbus_connection(bus=address, auth_timeout=NOTIFY_TIMEOUT_S) as connection:
        reply = connection.send_and_get_reply(call, timeout=NOTIFY_TIMEOUT_S)
    return bool(reply.header.message_type is MessageType.method_return)


Fallback = Callable[[str, str], None]


class Notifier(QObject):
    """Desktop notifications where the desktop has a service for them, else ``fallback``.

    ``notify(title, body)`` returns at once: the message is sent from a pool thread, and
    ``fallback(title, body)`` is called on the GUI thread when no service took it.
    """

    def __init__(
        self,
        fallback: Fallback,
        platform: str = sys.platform,
        address: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._fallback = fallback
        self._freedesktop = platform.startswith("linux")
        self._address = address
        self.worker = Worker(1, self)

    def notify(self, title: str, body: str) -> None:
        if not self._freedesktop:
            self._fallback(title, body)
            return

        def shown(taken: object) -> None:
            if not taken:
                self._fallback(title, body)

        def failed(error: Exception) -> None:
            log.info("no desktop notification: %s", type(error).__name__)
            self._fallback(title, body)

        self.worker.run(lambda: send_notification(title, body, self._address), shown, failed)
