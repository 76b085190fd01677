"""The real app (``sipstory-desktop --demo``, through its ``main``) driven by a test from
the outside, where no keyboard can be pressed (a headless Wayland compositor has none).

Run as ``python -m tests.support.demo_driver [--watch] [--turn ORG]``. Once the demo's
own first round of checks is done: with ``--watch``, watching is turned on as the Watch
dialog's OK does; with ``--turn``, the demo server rate-limits ORG, so that its key turns
amber; then Check all runs. Each step is reported on stdout as a JSON line (``shown``,
``watching``, ``checked``, ``closed``, and ``back`` when a closed window shows again).
After ``checked``, lines on stdin steer it: ``close`` closes the window (as its title
bar's button does), ``quit`` triggers the Quit action (Ctrl+Q). Nothing printed holds a
key: names, statuses and messages only.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication

from sipstory_desktop.demo.session import DemoSession
from sipstory_desktop.gui import app as app_module
from sipstory_desktop.gui.watch import WatchSettings
from sipstory_desktop.gui.window import MainWindow


def report(event: str, **facts: Any) -> None:
    print(json.dumps({"event": event, **facts}), flush=True)


def results(window: MainWindow) -> dict[str, dict[str, str]]:
    found = {}
    for entry in window.model.entries():
        result = window.model.result(entry.id)
        if result is not None:
            found[entry.name] = {"status": result.status.value, "message": result.message}
    return found


def window_facts(window: MainWindow) -> dict[str, Any]:
    return {
        "visible": window.isVisible(),
        "minimized": window.isMinimized(),
        "status_bar": window.statusBar().currentMessage(),
        "tray_visible": window.watch.tray.icon.isVisible(),
    }


class Driver(QObject):
    def __init__(self, window: MainWindow, demo: DemoSession, args: argparse.Namespace) -> None:
        super().__init__(window)
        self.window = window
        self.demo = demo
        self.args = args
        self.rounds = 0
        self.commands: QSocketNotifier | None = None
        window.session.idle.connect(self.idle)

    def idle(self) -> None:
        self.rounds += 1
        if self.rounds == 1:
            QTimer.singleShot(0, self.first_round_done)
        elif self.rounds == 2:
            report("checked", results=results(self.window), **window_facts(self.window))
            self.commands = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
            self.commands.activated.connect(self.command)

    def first_round_done(self) -> None:
        handle = self.window.windowHandle()
        report(
            "shown",
            platform=QGuiApplication.platformName(),
            exposed=handle is not None and handle.isExposed(),
            results=results(self.window),
        )
        if self.args.watch:
            self.window.watch.apply(WatchSettings(enabled=True))
            answer = self.window.watch.tray_answer
            report(
                "watching",
                tray_available=answer.available,
                reason=answer.reason,
                **window_facts(self.window),
            )
        if self.args.turn:
            self.demo.server.set_rate_limit(self.args.turn, 0)
        self.window.window_actions["check_all"].trigger()

    def command(self) -> None:
        line = sys.stdin.readline().strip()
        if line == "close":
            self.window.close()
            report("closed", **window_facts(self.window))
            self.window.installEventFilter(self)  # to report it if it comes back
        elif line == "quit":
            self.window.window_actions["quit"].trigger()
        elif not line:  # the test went away
            assert self.commands is not None
            self.commands.setEnabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, lambda: report("back", **window_facts(self.window)))
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watch", action="store_true")
    parser.add_argument("--turn", metavar="ORG")
    args = parser.parse_args()
    demos: list[DemoSession] = []
    drivers: list[Driver] = []  # kept alive for the app's life
    start_demo = DemoSession.start
    tune = app_module.tune_interpreter

    def remember_demo(demo: DemoSession) -> None:
        demos.append(demo)
        start_demo(demo)

    def drive(window: MainWindow) -> None:
        tune(window)
        drivers.append(Driver(window, demos[0], args))

    DemoSession.start = remember_demo  # type: ignore[method-assign]
    app_module.tune_interpreter = drive
    return app_module.main(["--demo"])


if __name__ == "__main__":
    sys.exit(main())
