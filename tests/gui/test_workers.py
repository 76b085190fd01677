"""Worker and CheckSession: work on pool threads, outcomes on the GUI thread, batched saves."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.entries import Entry
from sipstory_desktop.core.state import StateError
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.check_session import CheckSession
from sipstory_desktop.gui.workers import Worker
from tests.support.window import WAIT_MS, KnownKey, Seed

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


@pytest.fixture
def worker() -> Iterator[Worker]:
    made = Worker(2)
    yield made
    assert made.wait(WAIT_MS)


def make_runner(vault: Vault, max_threads: int = 8) -> CheckSession:
    return CheckSession(vault, ApiClient(Timeouts(connect=2, read=3)), max_threads=max_threads)


@pytest.fixture
def runner(vault: Vault) -> Iterator[CheckSession]:
    made = make_runner(vault)
    yield made
    assert made.shutdown(WAIT_MS)


def is_connected_requests(server: SipstoryTestServer) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/is-connected"))


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


def test_worker_cancel_queued_drops_tasks_that_have_not_started(qtbot: QtBot) -> None:
    single = Worker(1)
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
from sipstory_desktop.gui.workers import Worker

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


# --- CheckSession --------------------------------------------------------------------------


def test_a_check_starts_then_finishes_connected(
    qtbot: QtBot,
    runner: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    (entry,) = seed([("Acme", server.api_base, known_key())])
    events: list[tuple[str, object]] = []
    runner.started.connect(lambda entry_ids: events.append(("started", entry_ids)))
    runner.delivered.connect(lambda batch: events.extend(("delivered", r) for _, r in batch))
    runner.progress.connect(lambda done, asked: events.append(("progress", (done, asked))))

    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        assert runner.check([entry]) == 1
        assert runner.is_checking(entry.id)
        assert runner.active

    assert [kind for kind, _ in events] == ["started", "progress", "progress", "delivered"]
    assert events[0] == ("started", [entry.id])
    result = events[3][1]
    assert isinstance(result, CheckResult)
    assert result.status is Status.CONNECTED
    assert result.http_status == 200
    assert events[1][1] == (0, 1)
    assert events[2][1] == (1, 1)  # said before the results it counts
    assert not runner.active
    assert not runner.is_checking(entry.id)


def test_an_entry_asked_for_twice_while_in_flight_is_checked_once(
    qtbot: QtBot,
    runner: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    server.delay = 0.2
    first, second = seed(
        [("Acme", server.api_base, known_key()), ("Globex", server.api_base, known_key())]
    )
    started: list[str] = []
    finished: list[str] = []
    runner.started.connect(started.extend)
    runner.delivered.connect(lambda batch: finished.extend(entry_id for entry_id, _ in batch))

    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        assert runner.check([first]) == 1
        assert runner.check([first]) == 0
        assert runner.check([first, second]) == 1  # only the one not in flight

    assert sorted(started) == sorted([first.id, second.id])
    assert sorted(finished) == sorted([first.id, second.id])
    assert is_connected_requests(server) == 2


def test_results_are_saved_in_one_batch(
    qtbot: QtBot,
    runner: CheckSession,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(4)])
    batches: list[int] = []
    record = vault.record_own

    def counting_record(results: Any, **options: Any) -> Any:
        results = list(results)
        batches.append(len(results))
        return record(results, **options)

    monkeypatch.setattr(vault, "record_own", counting_record)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries)

    def all_saved() -> bool:
        state = vault.load_state()
        return all(state.latest(e.id) is not None for e in entries)

    qtbot.waitUntil(all_saved, timeout=WAIT_MS)
    state = vault.load_state()
    assert {state.latest(e.id).status for e in entries} == {Status.CONNECTED}  # type: ignore[union-attr]
    assert batches == [4]
    assert all(state.requests_last_hour(e.id) == 1 for e in entries)


def test_a_failed_save_is_logged_not_raised(
    qtbot: QtBot,
    runner: CheckSession,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (entry,) = seed([("Acme", server.api_base, known_key())])
    attempts: list[int] = []

    def failing_record(results: Any, **_options: Any) -> Any:
        attempts.append(len(list(results)))
        raise StateError("Cannot save state.json: No space left on device.")

    monkeypatch.setattr(vault, "record_own", failing_record)
    with caplog.at_level(logging.WARNING, logger="sipstory_desktop.gui.workers"):
        with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
            runner.check([entry])
        qtbot.waitUntil(lambda: "results not saved" in caplog.text, timeout=WAIT_MS)
    assert attempts == [1]
    assert "No space left" in caplog.text


def test_shutdown_cancels_queued_checks_and_waits_for_running_ones(
    qtbot: QtBot,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    server.delay = 0.3
    key = known_key()
    entries = seed([(f"Org {i:02}", server.api_base, key) for i in range(30)])
    slow = make_runner(vault, max_threads=2)
    finished: list[str] = []
    slow.delivered.connect(lambda batch: finished.extend(entry_id for entry_id, _ in batch))

    assert slow.check(entries) == 30
    qtbot.waitUntil(lambda: is_connected_requests(server) >= 2, timeout=WAIT_MS)
    assert slow.shutdown(WAIT_MS) is True

    assert not slow.active
    for pool in (slow._worker.pool, slow._saver.pool):
        assert pool.activeThreadCount() == 0
    sent = is_connected_requests(server)
    assert 2 <= sent < 30  # the queued ones were never sent
    state = vault.load_state()
    saved = [e for e in entries if state.latest(e.id) is not None]
    assert len(saved) == sent  # every check that ran was saved on the way out
    assert {state.latest(e.id).status for e in saved} == {Status.CONNECTED}  # type: ignore[union-attr]
    QCoreApplication.processEvents()  # the deliveries of the checks that ran, already posted
    assert sorted(finished) == sorted(e.id for e in saved)
    assert is_connected_requests(server) == sent


def test_an_entry_without_a_key_is_no_secret(
    qtbot: QtBot, runner: CheckSession, server: SipstoryTestServer, seed: Seed
) -> None:
    (entry,) = seed([("Keyless", server.api_base, None)])
    with qtbot.waitSignal(runner.delivered, timeout=WAIT_MS) as blocker:
        runner.check([entry])
    ((entry_id, result),) = blocker.args[0]  # type: ignore[index]
    assert entry_id == entry.id
    assert result.status is Status.NO_SECRET
    assert is_connected_requests(server) == 0


def test_the_keys_of_a_run_are_read_first_one_then_the_rest_in_one_call(
    qtbot: QtBot,
    runner: CheckSession,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(10)])
    calls: list[list[str]] = []
    single: list[str] = []
    get_many, get = vault.secrets.get_many, vault.secrets.get
    monkeypatch.setattr(
        vault.secrets, "get_many", lambda ids: calls.append(list(ids)) or get_many(ids)
    )
    monkeypatch.setattr(vault.secrets, "get", lambda i: single.append(i) or get(i))

    results: dict[str, Status] = {}
    runner.delivered.connect(lambda batch: results.update({i: r.status for i, r in batch}))
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries)

    assert single == [entries[0].id]  # the first alone: a locked keyring is met once
    assert calls == [[e.id for e in entries[1:]]]  # then one call for the rest of the run
    assert results == {e.id: Status.CONNECTED for e in entries}
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries[:1])  # one check reads its one key
    assert single == [entries[0].id] * 2 and len(calls) == 1


def test_a_locked_keyring_fails_a_run_after_one_read(
    qtbot: QtBot,
    runner: CheckSession,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.errors

    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(6)])
    reads: list[str] = []

    def locked(service: str, entry_id: str) -> str | None:
        reads.append(entry_id)
        raise keyring.errors.KeyringLocked("Collection is locked")

    backend = vault.secrets._resolve()
    monkeypatch.setattr(backend, "get_password", locked)
    results: dict[str, CheckResult] = {}
    runner.delivered.connect(results.update)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries)

    assert len(reads) == 1  # one prompt, one timeout: not one per check thread
    assert {r.status for r in results.values()} == {Status.KEYRING_ERROR}
    assert all("locked" in r.message for r in results.values())
    assert is_connected_requests(server) == 0


def test_a_defect_in_a_check_still_ends_the_run(
    qtbot: QtBot,
    runner: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(3)])
    check = runner._check

    def broken(entry: Entry, keys: Any) -> CheckResult:
        if entry.id == entries[1].id:
            raise RuntimeError("a bug with a secret-looking text in it")
        return check(entry, keys)

    monkeypatch.setattr(runner, "_check", broken)
    results: dict[str, CheckResult] = {}
    runner.delivered.connect(results.update)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries)
    assert results[entries[1].id].status is Status.UNEXPECTED
    assert results[entries[1].id].request_sent is False
    assert {results[e.id].status for e in (entries[0], entries[2])} == {Status.CONNECTED}
    assert "RuntimeError" in caplog.text and "secret-looking" not in caplog.text


def test_results_reach_the_gui_thread_in_batches(
    qtbot: QtBot,
    runner: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(16)])
    deliveries: list[int] = []
    seen: list[bool] = []
    runner.delivered.connect(lambda batch: seen.extend(on_gui_thread() for _ in batch))
    runner.progress.connect(lambda done, asked: deliveries.append(done))
    with qtbot.waitSignal(runner.idle, timeout=WAIT_MS):
        runner.check(entries)
    assert len(seen) == 16 and all(seen)  # every result, on the GUI thread
    assert deliveries[0] == 0 and deliveries[-1] == 16
    assert len(deliveries) < 16  # progress once per batch, not once per result
