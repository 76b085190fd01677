"""CheckSession: checks on a bounded pool, results handed to the GUI thread in batches and
saved in batches, and the one record of what is being checked."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QThread
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.entries import Entry
from sipstory_desktop.core.state import StateError
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.check_session import CheckSession
from tests.support.window import WAIT_MS, KnownKey, Seed

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


def make_session(vault: Vault, owner: QObject, max_threads: int = 8) -> CheckSession:
    client = ApiClient(Timeouts(connect=2, read=3))
    return CheckSession(vault, client, max_threads=max_threads, parent=owner)


@pytest.fixture
def session(vault: Vault, owner: QObject) -> Iterator[CheckSession]:
    made = make_session(vault, owner)
    yield made
    assert made.shutdown(WAIT_MS)


def is_connected_requests(server: SipstoryTestServer) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/is-connected"))


def test_a_check_starts_then_finishes_connected(
    qtbot: QtBot,
    session: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    (entry,) = seed([("Acme", server.api_base, known_key())])
    events: list[tuple[str, object]] = []
    session.started.connect(lambda entry_ids: events.append(("started", entry_ids)))
    session.delivered.connect(lambda batch: events.extend(("delivered", r) for _, r in batch))
    session.progress.connect(lambda done, asked: events.append(("progress", (done, asked))))

    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        assert session.check([entry]) == 1
        assert session.is_checking(entry.id)
        assert session.active

    assert [kind for kind, _ in events] == ["started", "progress", "progress", "delivered"]
    assert events[0] == ("started", [entry.id])
    result = events[3][1]
    assert isinstance(result, CheckResult)
    assert result.status is Status.CONNECTED
    assert result.http_status == 200
    assert events[1][1] == (0, 1)
    assert events[2][1] == (1, 1)  # said before the results it counts
    assert not session.active
    assert not session.is_checking(entry.id)


def test_an_entry_asked_for_twice_while_in_flight_is_checked_once(
    qtbot: QtBot,
    session: CheckSession,
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
    session.started.connect(started.extend)
    session.delivered.connect(lambda batch: finished.extend(entry_id for entry_id, _ in batch))

    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        assert session.check([first]) == 1
        assert session.check([first]) == 0
        assert session.check([first, second]) == 1  # only the one not in flight

    assert sorted(started) == sorted([first.id, second.id])
    assert sorted(finished) == sorted([first.id, second.id])
    assert is_connected_requests(server) == 2


def test_results_are_saved_in_one_batch(
    qtbot: QtBot,
    session: CheckSession,
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
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries)

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
    session: CheckSession,
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
    with caplog.at_level(logging.WARNING, logger="sipstory_desktop.gui.check_session"):
        with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
            session.check([entry])
        qtbot.waitUntil(lambda: "results not saved" in caplog.text, timeout=WAIT_MS)
    assert attempts == [1]
    assert "No space left" in caplog.text


def test_shutdown_cancels_queued_checks_and_waits_for_running_ones(
    qtbot: QtBot,
    vault: Vault,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    owner: QObject,
) -> None:
    server.delay = 0.3
    key = known_key()
    entries = seed([(f"Org {i:02}", server.api_base, key) for i in range(30)])
    slow = make_session(vault, owner, max_threads=2)
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
    qtbot: QtBot, session: CheckSession, server: SipstoryTestServer, seed: Seed
) -> None:
    (entry,) = seed([("Keyless", server.api_base, None)])
    with qtbot.waitSignal(session.delivered, timeout=WAIT_MS) as blocker:
        session.check([entry])
    ((entry_id, result),) = blocker.args[0]  # type: ignore[index]
    assert entry_id == entry.id
    assert result.status is Status.NO_SECRET
    assert is_connected_requests(server) == 0


def test_the_keys_of_a_run_are_read_first_one_then_the_rest_in_one_call(
    qtbot: QtBot,
    session: CheckSession,
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
    session.delivered.connect(lambda batch: results.update({i: r.status for i, r in batch}))
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries)

    assert single == [entries[0].id]  # the first alone: a locked keyring is met once
    assert calls == [[e.id for e in entries[1:]]]  # then one call for the rest of the run
    assert results == {e.id: Status.CONNECTED for e in entries}
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries[:1])  # one check reads its one key
    assert single == [entries[0].id] * 2 and len(calls) == 1


def test_a_locked_keyring_fails_a_run_after_one_read(
    qtbot: QtBot,
    session: CheckSession,
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
    session.delivered.connect(results.update)
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries)

    assert len(reads) == 1  # one prompt, one timeout: not one per check thread
    assert {r.status for r in results.values()} == {Status.KEYRING_ERROR}
    assert all("locked" in r.message for r in results.values())
    assert is_connected_requests(server) == 0


def test_a_defect_in_a_check_still_ends_the_run(
    qtbot: QtBot,
    session: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(3)])
    check = session._check

    def broken(entry: Entry, keys: Any) -> CheckResult:
        if entry.id == entries[1].id:
            raise RuntimeError("a bug with a secret-looking text in it")
        return check(entry, keys)

    monkeypatch.setattr(session, "_check", broken)
    results: dict[str, CheckResult] = {}
    session.delivered.connect(results.update)
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries)
    assert results[entries[1].id].status is Status.UNEXPECTED
    assert results[entries[1].id].request_sent is False
    assert {results[e.id].status for e in (entries[0], entries[2])} == {Status.CONNECTED}
    assert "RuntimeError" in caplog.text and "secret-looking" not in caplog.text


def test_results_reach_the_gui_thread_in_batches(
    qtbot: QtBot,
    session: CheckSession,
    server: SipstoryTestServer,
    seed: Seed,
    known_key: KnownKey,
) -> None:
    entries = seed([(f"Org {i}", server.api_base, known_key(org=f"org{i}")) for i in range(16)])
    deliveries: list[int] = []
    seen: list[bool] = []
    session.delivered.connect(lambda batch: seen.extend(on_gui_thread() for _ in batch))
    session.progress.connect(lambda done, asked: deliveries.append(done))
    with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
        session.check(entries)
    assert len(seen) == 16 and all(seen)  # every result, on the GUI thread
    assert deliveries[0] == 0 and deliveries[-1] == 16
    assert len(deliveries) < 16  # progress once per batch, not once per result
