"""One start, measured: to the first painted main window, the app's or a bare QMainWindow.

    python bench/startup.py bare|app      (QT_QPA_PLATFORM=offscreen; the app reads
                                           SIPSTORY_DESKTOP_HOME and PYTHON_KEYRING_BACKEND)

Times count from the first line of this script (``time.perf_counter()`` before any other
import), the same for both modes:
  import:  PySide6 (bare), or PySide6 and the app's GUI modules (app);
  painted: the window's first paint is complete: the first ``QEvent.Paint`` of the top-level
           window, then the zero timer posted from it, which runs once the whole backing store
           (every child widget) has been painted in that same pass.
The app starts through ``sipstory_desktop.gui.app.main`` as users start it; only its
``MainWindow`` class is wrapped to watch for the paint. The window reads its list after the
first paint: when the rows are all shown is noted too (``listed``). Then the event loop runs
0.5 s more after the paint, and at least 0.2 s after the list is shown (deferred work such
as the keyring probe), peak RSS is read, and one JSON line is printed.

The keyring is ``recording_keyring.RecordingKeyring`` (``PYTHON_KEYRING_BACKEND``): it notes
when keyring resolves it and every call on it, and calls of ``keyring.get_keyring()`` and
the other module-level functions are noted too, so the first keyring call can be compared
with the paint.
"""

import time

T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

SETTLE_MS = 500
AFTER_LIST_MS = 200


def main() -> int:
    mode = sys.argv[1]
    if mode == "app":
        import keyring_watch  # imports no keyring: that is left to the app

        keyring_watch.watch_keyring_module()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    if mode == "app":
        from sipstory_desktop.gui import app as app_module
        from sipstory_desktop.gui import window as window_module
    imported = time.perf_counter()
    marks: dict[str, float] = {}

    def finish() -> None:
        listed = marks.get("listed")
        settling = listed is None or time.perf_counter() - listed < AFTER_LIST_MS / 1000
        if mode == "app" and settling and time.perf_counter() - T0 < 10:  # wait for the list
            QTimer.singleShot(20, finish)
            return
        figures = {
            "mode": mode,
            "import_s": imported - T0,
            "painted_s": marks["painted"] - T0,
            "first_paint_event_s": marks["paint_event"] - T0,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        if "window_init" in marks:
            figures["window_init_s"] = marks["window_init"] - T0
            figures["window_built_s"] = marks["window_built"] - T0
        if mode == "app":
            window = marks["window"]
            figures["listed_s"] = listed - T0 if listed is not None else None
            first = keyring_watch.first_call()
            figures["first_keyring_call_s"] = first[0] - T0 if first else None
            figures["first_keyring_call"] = f"{first[1]} on {first[2]}" if first else None
            model = window.model  # type: ignore[attr-defined]
            figures["entries"] = sum(
                model.rowCount(model.index(group, 0)) for group in range(model.rowCount())
            )
        print(json.dumps(figures), flush=True)
        os._exit(0)

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint_event" not in marks:
                marks["paint_event"] = time.perf_counter()
                QTimer.singleShot(0, painted)
            return False

    watch = PaintWatch()

    def painted() -> None:
        marks["painted"] = time.perf_counter()
        QTimer.singleShot(SETTLE_MS, finish)

    def loaded() -> None:
        if "listed" not in marks and not marks["window"].loading:  # type: ignore[attr-defined]
            marks["listed"] = time.perf_counter()

    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setWindowTitle("Bare")
        window.resize(1480, 740)  # the app window's size
        window.installEventFilter(watch)
        window.show()
        return app.exec()

    original = window_module.MainWindow

    class WatchedWindow(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            marks["window_init"] = time.perf_counter()
            super().__init__(*args, **kwargs)
            marks["window_built"] = time.perf_counter()
            marks["window"] = self  # type: ignore[assignment]
            self.installEventFilter(watch)
            self.loaded.connect(loaded)

    window_module.MainWindow = WatchedWindow
    return app_module.main([])


if __name__ == "__main__":
    sys.exit(main())
