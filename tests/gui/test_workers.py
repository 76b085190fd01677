"""Worker and BackgroundOp: work on pool threads, outcomes (and failures) on the GUI thread."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QThread
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from sipstory_desktop.core.secrets import SecretErrorKind, SecretStoreError
from sipstory_desktop.core.state import StateError
from sipstory_desktop.gui.workers import BackgroundOp, Worker
from tests.support.window import WAIT_MS

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


@pytest.fixture
def worker(owner: QObject) -> Iterator[Worker]:
    made = Worker(2, owner)
    yield made
    assert made.wait(WAIT_MS)


# --- Worker -------------------------------------------------------------------------------


def test_worker_runs_off_the_gui_thread_and_delivers_the_value_on_it(
    qtbot: QtBot, worker: Worker
) -> None:
    seen: dict[str, Any] = {}

    def call() -> int:
        seen["call_on_gui"] = on_gui_thread()
        seen["call_on_main"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["done_on_gui"] = on_gui_thread()
        seen["value"] = value

    worker.run(call, done, lambda error: seen.setdefault("error", error))
    qtbot.waitUntil(lambda: "value" in seen, timeout=WAIT_MS)

    assert seen == {"call_on_gui": False, "call_on_main": False, "done_on_gui": True, "value": 42}
    assert not worker.busy


def test_worker_hands_an_exception_to_on_error_on_the_gui_thread(
    qtbot: QtBot, worker: Worker
) -> None:
    seen: dict[str, Any] = {}

    def call() -> None:
        raise StateError("disk full")

    def failed(error: Exception) -> None:
        seen["on_gui"] = on_gui_thread()
        seen["error"] = error

    worker.run(call, lambda value: seen.setdefault("value", value), failed)
    qtbot.waitUntil(lambda: "error" in seen, timeout=WAIT_MS)

    assert seen["on_gui"] is True
    assert isinstance(seen["error"], StateError)
    assert str(seen["error"]) == "disk full"
    assert "value" not in seen


def test_worker_logs_an_error_nobody_handles(
    qtbot: QtBot, worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    def call() -> None:
        raise ValueError("secret-free detail")

    with caplog.at_level(logging.ERROR, logger="sipstory_desktop.gui.workers"):
        worker.run(call, lambda _value: None)
        qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_MS)
    assert "background task failed: ValueError" in caplog.text


def test_worker_cancel_queued_drops_tasks_that_have_not_started(
    qtbot: QtBot, owner: QObject
) -> None:
    single = Worker(1, owner)
    release = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def blocking() -> str:
        release.wait(WAIT_MS / 1000)
        ran.append("first")
        return "first"

    single.run(blocking, delivered.append)
    single.run(lambda: ran.append("second"), delivered.append)
    qtbot.waitUntil(lambda: single.pool.activeThreadCount() == 1, timeout=WAIT_MS)
    single.cancel_queued()
    release.set()
    assert single.wait(WAIT_MS)
    qtbot.waitUntil(lambda: delivered == ["first"], timeout=WAIT_MS)
    assert ran == ["first"]


def test_finished_tasks_leave_no_stale_python_wrappers() -> None:
    # In a child process: with the bug, the stale wrappers may also crash the interpreter.
    child = subprocess.run(
        [sys.executable, "-c", STALE_WRAPPERS_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert (child.returncode, child.stdout.strip()) == (0, "stale wrappers: 0")


STALE_WRAPPERS_SCRIPT = """
from PySide6.QtCore import QEvent, QItemSelectionModel, QStringListModel
from PySide6.QtWidgets import QApplication, QTreeView
from sipstory_desktop.gui.workers import BackgroundOp, Worker

app = QApplication([])
worker = Worker(2)
stale = 0
for _ in range(40):
    done = []
    for _ in range(50):
        worker.run(lambda: None, done.append)
    worker.wait()
    while len(done) < 50:
        app.processEvents()
    for _ in range(20):  # C++ makes each view's selection model; Python asks for it
        view = QTreeView()
        view.setModel(QStringListModel(["a"], view))
        if not isinstance(view.selectionModel(), QItemSelectionModel):
            stale += 1
        view.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
print("stale wrappers:", stale)
"""


# --- BackgroundOp -------------------------------------------------------------------------


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, str, str]]:
    shown: list[tuple[object, str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda parent, title, text, *_: shown.append((parent, title, text))),
    )
    return shown


def test_an_op_hands_its_value_to_success(
    qtbot: QtBot, worker: Worker, warnings_shown: list[tuple[object, str, str]]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    got: list[int] = []
    BackgroundOp(worker, parent, lambda: 6 * 7).success(got.append).run()
    qtbot.waitUntil(lambda: got == [42], timeout=WAIT_MS)
    assert warnings_shown == []


def test_an_op_without_a_failure_path_tells_the_user(
    qtbot: QtBot, worker: Worker, warnings_shown: list[tuple[object, str, str]]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def locked() -> None:
        raise SecretStoreError(SecretErrorKind.LOCKED, "The keyring is locked.", "Unlock it.")

    BackgroundOp(worker, parent, locked).titled("Could not read the key").run()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=WAIT_MS)
    assert warnings_shown == [
        (parent, "Could not read the key", "The keyring is locked.\nUnlock it.")
    ]


def test_an_op_with_a_failure_path_takes_it_instead(
    qtbot: QtBot, worker: Worker, warnings_shown: list[tuple[object, str, str]]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    failures: list[Exception] = []

    def broken() -> None:
        raise StateError("disk full")

    BackgroundOp(worker, parent, broken).success(lambda _: None).failure(failures.append).run()
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert [str(error) for error in failures] == ["disk full"] and warnings_shown == []


def test_an_op_whose_window_is_gone_shows_nothing(
    qtbot: QtBot, worker: Worker, warnings_shown: list[tuple[object, str, str]]
) -> None:
    parent = QWidget()
    release = threading.Event()

    def slow_failure() -> None:
        release.wait(WAIT_MS / 1000)
        raise StateError("too late")

    BackgroundOp(worker, parent, slow_failure).run()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not isValid(parent), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=WAIT_MS)
    assert warnings_shown == []  # no box over a window that no longer exists
