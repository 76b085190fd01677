"""One "Check all" in the window, measured (offscreen, in-memory keyring, real HTTP).

    python bench/window_check.py [--tick-ms 5] < keys     (SIPSTORY_DESKTOP_HOME holds the
                                                             entries; keys as name<TAB>key)

The window is built on the home's entries with a :class:`MemoryKeyring` holding their keys
and shown; once it has painted and its keyring probe has answered, Check all is triggered
(the F5 action) and the wall time to the check session's ``idle`` signal is taken.

With ``--tick-ms``, a timer of that interval first runs 0.5 s on the idle window (the
baseline), then from Check all until 0.5 s after ``idle`` (so the last results shown and
the batch save are included); the longest gap between two of its ticks is reported for
both: the longest time the event loop could not run. ``--trace`` explains the longest gaps
on standard error (see ``gaptrace.py``; the figures are not meant to be used then).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter

from _common import gaps

IDLE_MS = 500


def main() -> int:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("--tick-ms", type=int, default=0)
    parser.add_argument("--trace", action="store_true", help="explain the longest gaps")
    args = parser.parse_args()
    if args.trace:
        import gaptrace

        gaptrace.instrument()
    keys = dict(line.rstrip("\n").split("\t", 1) for line in sys.stdin if line.strip())

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sipstory_desktop.core.paths import app_paths
    from sipstory_desktop.core.secrets import SecretStore
    from sipstory_desktop.core.vault import Vault
    from sipstory_desktop.demo.memory_keyring import MemoryKeyring
    from sipstory_desktop.gui.app import tune_interpreter
    from sipstory_desktop.gui.window import MainWindow

    app = QApplication(sys.argv[:1])
    vault = Vault(app_paths(), SecretStore(backend=MemoryKeyring()))
    entries = vault.entries()
    for entry in entries:
        vault.secrets.set(entry.id, keys[entry.name])
    window = MainWindow(vault)
    tune_interpreter(window)  # as sipstory_desktop.gui.app.main does
    window.show()

    results: Counter[str] = Counter()
    figures: dict[str, object] = {"entries": len(entries)}
    ticks: list[float] = []
    marks: dict[str, float] = {}
    ticker = QTimer(interval=max(1, args.tick_ms))
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))

    window.session.delivered.connect(
        lambda batch: results.update(result.status.value for _, result in batch)
    )

    def idle() -> None:
        if "idle" in marks:
            return
        marks["idle"] = time.perf_counter()
        QTimer.singleShot(500 if args.tick_ms else 0, done)

    window.session.idle.connect(idle)

    def start() -> None:
        if window.keyring.backend is None:  # the keyring probe has not answered yet
            QTimer.singleShot(10, start)
            return
        if not args.tick_ms:
            go()
            return
        ticker.start()  # first the idle window, for a baseline: then Check all
        ticks.append(time.perf_counter())
        QTimer.singleShot(IDLE_MS, go)

    def go() -> None:
        marks["start"] = time.perf_counter()
        window.window_actions["check_all"].trigger()  # what F5 does

    def done() -> None:
        ticker.stop()
        figures["wall_s"] = marks["idle"] - marks["start"]
        figures["statuses"] = dict(results)
        run_ticks = ticks
        if ticks:
            idle_ticks = [t for t in ticks if t <= marks["start"]]
            run_ticks = [t for t in ticks if t >= idle_ticks[-1]]
            figures["idle_longest_gap_ms"] = gaps(idle_ticks)[0] * 1000
            figures["ticks"] = len(run_ticks)
            figures["longest_gap_ms"] = gaps(run_ticks)[0] * 1000
            figures["top_gaps_ms"] = [round(g * 1000, 1) for g in gaps(run_ticks)[:5]]
        print(json.dumps(figures), flush=True)
        if args.trace:
            print(gaptrace.explain(run_ticks), file=sys.stderr)
        os._exit(0)

    QTimer.singleShot(300, start)  # painted, probe answered: then F5
    QTimer.singleShot(120_000, lambda: (print("timed out", file=sys.stderr), os._exit(3)))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
