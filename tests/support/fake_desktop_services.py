"""A minimal desktop on a D-Bus session bus: a StatusNotifier watcher and a notification
service, each optional, in a process of their own (jeepney, no Qt).

Run as ``python -m tests.support.fake_desktop_services RECORD [--watcher] [--host]
[--notifications]`` with ``DBUS_SESSION_BUS_ADDRESS`` pointing at a private bus. It prints
``ready`` once its names are owned, then answers until terminated. Every call it gets is
appended to RECORD as a JSON line (``{"member": ..., "args": [...]}``). Like GDBus and
Qt's adaptors, it refuses a call whose signature is not the specification's, so a
``Notify`` with an ``int32`` where the spec says ``uint32`` fails here as it would on GNOME.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jeepney import HeaderFields, Message, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"

WATCHER_XML = f"""<node>
 <interface name="{WATCHER}">
  <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
  <method name="RegisterStatusNotifierHost"><arg name="service" type="s" direction="in"/></method>
  <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
  <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
  <property name="ProtocolVersion" type="i" access="read"/>
  <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  <signal name="StatusNotifierItemUnregistered"><arg type="s"/></signal>
  <signal name="StatusNotifierHostRegistered"/>
 </interface>
</node>"""

NOTIFICATIONS_XML = f"""<node>
 <interface name="{NOTIFICATIONS}">
  <method name="Notify">
   <arg name="app_name" type="s" direction="in"/><arg name="replaces_id" type="u" direction="in"/>
   <arg name="app_icon" type="s" direction="in"/><arg name="summary" type="s" direction="in"/>
   <arg name="body" type="s" direction="in"/><arg name="actions" type="as" direction="in"/>
   <arg name="hints" type="a{{sv}}" direction="in"/>
   <arg name="expire_timeout" type="i" direction="in"/><arg name="id" type="u" direction="out"/>
  </method>
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="GetServerInformation">
   <arg type="s" direction="out"/><arg type="s" direction="out"/>
   <arg type="s" direction="out"/><arg type="s" direction="out"/>
  </method>
  <method name="CloseNotification"><arg name="id" type="u" direction="in"/></method>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
 </interface>
</node>"""


def _plain(value: Any) -> Any:
    """A message body made JSON-friendly (variants are ``(signature, value)`` tuples)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return value


class Desktop:
    def __init__(self, record: Path, watcher: bool, host: bool, notifications: bool) -> None:
        self.record = record
        self.watcher = watcher
        self.host = host
        self.notifications = notifications
        self.items: list[str] = []
        self.next_id = 0

    def names(self) -> list[str]:
        return [n for n, on in ((WATCHER, self.watcher), (NOTIFICATIONS, self.notifications)) if on]

    def note(self, member: str, args: Any) -> None:
        with self.record.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"member": member, "args": _plain(args)}) + "\n")

    def answer(self, call: Message) -> Message:
        fields = call.header.fields
        path = fields.get(HeaderFields.path, "")
        interface = fields.get(HeaderFields.interface, "")
        member = fields.get(HeaderFields.member, "")
        signature = fields.get(HeaderFields.signature, "")
        self.note(member, call.body)
        expected, handler = self._methods(path).get((interface, member), (None, None))
        if handler is None:
            return new_error(call, "org.freedesktop.DBus.Error.UnknownMethod", "s", (member,))
        if signature != expected:
            return new_error(
                call,
                "org.freedesktop.DBus.Error.InvalidArgs",
                "s",
                (f"Type of message, ({signature}), does not match expected type ({expected})",),
            )
        reply_signature, body = handler(*call.body)
        return new_method_return(call, reply_signature, body)

    def _methods(self, path: str) -> dict[tuple[str, str], tuple[str, Any]]:
        if path == WATCHER_PATH and self.watcher:
            return {
                (INTROSPECTABLE, "Introspect"): ("", lambda: ("s", (WATCHER_XML,))),
                (PROPERTIES, "Get"): ("ss", self._watcher_property),
                (PROPERTIES, "GetAll"): ("s", self._watcher_properties),
                (WATCHER, "RegisterStatusNotifierItem"): ("s", self._register_item),
                (WATCHER, "RegisterStatusNotifierHost"): ("s", lambda _s: ("", ())),
            }
        if path == NOTIFICATIONS_PATH and self.notifications:
            return {
                (INTROSPECTABLE, "Introspect"): ("", lambda: ("s", (NOTIFICATIONS_XML,))),
                (NOTIFICATIONS, "Notify"): ("susssasa{sv}i", self._notify),
                (NOTIFICATIONS, "GetCapabilities"): ("", lambda: ("as", (["body"],))),
                (NOTIFICATIONS, "GetServerInformation"): (
                    "",
                    lambda: ("ssss", ("fake", "tests", "1", "1.2")),
                ),
                (NOTIFICATIONS, "CloseNotification"): ("u", lambda _id: ("", ())),
            }
        return {}

    def _watcher_values(self) -> dict[str, tuple[str, Any]]:
        return {
            "IsStatusNotifierHostRegistered": ("b", self.host),
            "RegisteredStatusNotifierItems": ("as", list(self.items)),
            "ProtocolVersion": ("i", 0),
        }

    def _watcher_property(self, _interface: str, name: str) -> tuple[str, Any]:
        return "v", (self._watcher_values()[name],)

    def _watcher_properties(self, _interface: str) -> tuple[str, Any]:
        return "a{sv}", (self._watcher_values(),)

    def _register_item(self, service: str) -> tuple[str, Any]:
        self.items.append(service)
        return "", ()

    def _notify(self, *_args: Any) -> tuple[str, Any]:
        self.next_id += 1
        return "u", (self.next_id,)


def serve(desktop: Desktop, connection: DBusConnection) -> None:
    for name in desktop.names():
        reply = connection.send_and_get_reply(message_bus.RequestName(name, 4))  # do not queue
        if reply.body[0] != 1:
            sys.exit(f"could not own {name}")
    print("ready", flush=True)
    while True:
        message = connection.receive()
        if message.header.message_type is MessageType.method_call:
            connection.send(desktop.answer(message))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("record", type=Path)
    parser.add_argument("--watcher", action="store_true")
    parser.add_argument("--host", action="store_true")
    parser.add_argument("--notifications", action="store_true")
    args = parser.parse_args()
    desktop = Desktop(args.record, args.watcher, args.host, args.notifications)
    with open_dbus_connection(bus="SESSION") as connection:
        serve(desktop, connection)


if __name__ == "__main__":
    main()
