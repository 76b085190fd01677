"""The window loading 1000 entries from disk, with a 5 ms timer watching the event loop.

    python bench/window_load.py STAGE_DIR [--tick-ms 5]     (SIPSTORY_DESKTOP_HOME: empty)

The window starts on an empty home and is shown. Once it has painted and probed the keyring,
a timer of ``--tick-ms`` starts (its first 0.2 s, on the idle window, are the baseline);
then ``config.json`` and ``state.json`` prepared in ``STAGE_DIR`` (same file system) are
moved into the home with ``os.replace``, as another process (``sipstory-keys import``, a
sync tool) would leave them. The window notices the change (its file watcher), reloads and
shows the entries. The timer runs until 0.5 s after the list holds them all; the longest
gap between two ticks is reported, and how long the entries took to appear. ``--trace``
explains the longest gaps on standard error (see ``gaptrace.py``). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from _common import gaps

IDLE_MS = 200


def main() -> int:  # noqa: PLR0915
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", type=Path)
    parser.add_argument("--tick-ms", type=int, default=5)
    parser.add_argument("--expect", type=int, default=1000)
    parser.add_argument("--trace", action="store_true", help="explain the longest gaps")
    args = parser.parse_args()
    if args.trace:
        import gaptrace

        gaptrace.instrument()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sipstory_desktop.core.paths import app_paths
    from sipstory_desktop.core.secrets import SecretStore
    from sipstory_desktop.core.vault import Vault
    from sipstory_desktop.demo.memory_keyring import MemoryKeyring
    from sipstory_desktop.gui.app import tune_interpreter
    from sipstory_desktop.gui.window import MainWindow

    app = QApplication(sys.argv[:1])
    paths = app_paths()
    vault = Vault(paths, SecretStore(backend=MemoryKeyring()))
    window = MainWindow(vault)
    tune_interpreter(window)  # as sipstory_desktop.gui.app.main does
    window.show()

    ticks: list[float] = []
    marks: dict[str, float] = {}
    ticker = QTimer(interval=args.tick_ms)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def start() -> None:
        if window.keyring.backend is None:
            QTimer.singleShot(10, start)
            return
        ticker.start()
        ticks.append(time.perf_counter())
        QTimer.singleShot(IDLE_MS, write)

    def write() -> None:
        marks["written"] = time.perf_counter()
        os.replace(args.stage / "state.json", paths.state_file)
        os.replace(args.stage / "config.json", paths.config_file)
        poll()

    def poll() -> None:
        if len(window.model.entries()) >= args.expect and not window.loading:
            marks["shown"] = time.perf_counter()
            QTimer.singleShot(500, done)
        elif time.perf_counter() - marks["written"] > 30:
            print("the entries never appeared", file=sys.stderr)
            os._exit(3)
        else:
            QTimer.singleShot(1, poll)

    def done() -> None:
        ticker.stop()
        idle_ticks = [t for t in ticks if t <= marks["written"]]
        run_ticks = [t for t in ticks if t >= idle_ticks[-1]]
        run_gaps = gaps(run_ticks)
        model = window.model
        figures = {
            "entries": len(model.entries()),
            "rows": sum(model.rowCount(model.index(g, 0)) for g in range(model.rowCount())),
            "shown_after_s": marks["shown"] - marks["written"],
            "idle_longest_gap_ms": gaps(idle_ticks)[0] * 1000,
            "ticks": len(run_ticks),
            "longest_gap_ms": run_gaps[0] * 1000,
            "top_gaps_ms": [round(g * 1000, 1) for g in run_gaps[:5]],
        }
        print(json.dumps(figures), flush=True)
        if args.trace:
            print(gaptrace.explain(run_ticks), file=sys.stderr)
        os._exit(0)

    QTimer.singleShot(300, start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
