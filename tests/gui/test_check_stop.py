"""Check all with more keys than the pool runs at once: the rows waiting their turn say
"Queued", the running ones turn the spinner, and the run can be stopped (the button, or
Esc): what waits is not sent and keeps its last result, what runs finishes whole."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon, QKeySequence
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.entries import Entry
from sipstory_desktop.core.secrets import KeyBatch
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.check_session import CheckSession
from sipstory_desktop.gui.roles import Column, Role
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

Check = Callable[[Entry, KeyBatch], CheckResult]


class Gate:
    """Holds every check of ``session`` on its pool thread until :meth:`release`, then
    lets it make its real request. ``began``: the entries whose check began, in order."""

    def __init__(self, session: CheckSession, max_threads: int) -> None:
        session._worker.pool.setMaxThreadCount(max_threads)
        self.began: list[str] = []
        self._open = threading.Event()
        real: Check = session._check

        def held(entry: Entry, keys: KeyBatch) -> CheckResult:
            self.began.append(entry.id)
            self._open.wait(WAIT_MS / 1000)
            return real(entry, keys)

        session._check = held  # type: ignore[method-assign]

    def release(self) -> None:
        self._open.set()

    def wait_running(self, qtbot: QtBot, session: CheckSession, count: int) -> None:
        """Until ``count`` checks are held here and the GUI thread was told they run."""
        qtbot.waitUntil(
            lambda: len(self.began) == count and len(session.running_checks) == count,
            timeout=WAIT_MS,
        )


@pytest.fixture
def six(server: SipstoryTestServer, known_key: KnownKey, seed: Seed) -> list[Entry]:
    return seed([(f"Org {i}", server.api_base, known_key()) for i in range(6)])


def test_stopping_drops_the_queued_checks_and_lets_the_running_ones_finish(
    qtbot: QtBot, vault: Vault, server: SipstoryTestServer, six: list[Entry], owner: QObject
) -> None:
    session = CheckSession(vault, ApiClient(Timeouts(connect=2, read=3)), parent=owner)
    gate = Gate(session, max_threads=2)
    told_running: list[str] = []
    session.running.connect(told_running.extend)
    delivered: list[str] = []
    session.delivered.connect(lambda batch: delivered.extend(i for i, _ in batch))
    try:
        assert session.check(six) == 6
        gate.wait_running(qtbot, session, 2)
        running = set(gate.began)
        assert session.running_checks == running and set(told_running) == running
        assert session.checking == {e.id for e in six}  # four wait their turn

        with qtbot.assertNotEmitted(session.idle):
            dropped = session.stop()
        assert sorted(dropped) == sorted({e.id for e in six} - running)
        assert session.checking == running  # on their way: they finish

        with qtbot.waitSignal(session.idle, timeout=WAIT_MS):
            gate.release()
    finally:
        gate.release()
        assert session.shutdown(WAIT_MS)

    assert set(delivered) == running and set(gate.began) == running  # none sent later
    assert sum(1 for r in server.requests if r.path.endswith("/is-connected")) == 2
    state = vault.load_state()
    assert {e.id for e in six if state.latest(e.id)} == running  # no half results
    assert all(state.latest(i).status is Status.CONNECTED for i in running)  # type: ignore[union-attr]


def test_stopping_a_run_that_only_waits_ends_it_at_once(
    qtbot: QtBot, vault: Vault, six: list[Entry], owner: QObject
) -> None:
    session = CheckSession(vault, ApiClient(Timeouts(connect=2, read=3)), parent=owner)
    gate = Gate(session, max_threads=1)
    busy = threading.Event()
    session._worker.pool.start(lambda: (busy.set(), gate._open.wait(WAIT_MS / 1000)))
    try:
        assert busy.wait(WAIT_MS / 1000)  # the pool's one thread is taken
        session.check(six)
        ended: list[bool] = []
        session.idle.connect(lambda: ended.append(True))
        assert sorted(session.stop()) == sorted(e.id for e in six)
        assert ended == [True]  # within stop(): no request to wait for
    finally:
        gate.release()
        assert session.shutdown(WAIT_MS)
    assert not session.active and gate.began == []
    assert session.stop() == []  # nothing to stop


def light(window: MainWindow, entry_id: str, role: int) -> object:
    return window.model.index_of(entry_id, Column.LIGHT).data(role)


def icon_key(window: MainWindow, entry_id: str) -> int:
    icon = light(window, entry_id, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    return icon.cacheKey()


def test_check_all_shows_queued_and_running_rows_and_esc_stops_it(
    qtbot: QtBot, window: MakeWindow, six: list[Entry]
) -> None:
    shown = window()
    gate = Gate(shown.session, max_threads=2)
    action = shown.window_actions["check_all"]
    assert action.text().replace("&", "") == "Check all"
    try:
        shown.check_all()
        gate.wait_running(qtbot, shown.session, 2)
        running = set(gate.began)
        queued = [e.id for e in six if e.id not in running]
        waiting = shown.model.art.waiting().cacheKey()  # no spinner, the room of one
        qtbot.waitUntil(  # rows are shown as being checked a few per turn
            lambda: all(light(shown, i, Role.CHECKING) for i in [*running, *queued]),
            timeout=WAIT_MS,
        )
        for entry_id in queued:
            assert light(shown, entry_id, Qt.ItemDataRole.DisplayRole) == "Queued"
            assert light(shown, entry_id, Qt.ItemDataRole.AccessibleTextRole) == "Queued"
            assert icon_key(shown, entry_id) == waiting
        for entry_id in running:
            assert light(shown, entry_id, Qt.ItemDataRole.DisplayRole) == "Checking…"
            assert light(shown, entry_id, Qt.ItemDataRole.AccessibleTextRole) == "Checking…"
            assert icon_key(shown, entry_id) != waiting
        assert action.text().replace("&", "") == "Stop"
        status = shown.details._status.text
        select(shown, queued[0])
        assert status() == "Queued"
        select(shown, next(iter(running)))
        assert status() == "Checking…"
        assert action.shortcut() == QKeySequence(Qt.Key.Key_Escape)

        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow, timeout=WAIT_MS)
        qtbot.keyClick(shown.entry_list, Qt.Key.Key_Escape)
        assert shown.session.checking == running
        for entry_id in queued:  # as before the run: never checked
            assert not light(shown, entry_id, Role.CHECKING)
            assert light(shown, entry_id, Role.STATUS) == Status.UNCHECKED.value
            assert shown.model.result(entry_id) is None

        with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
            gate.release()
    finally:
        gate.release()
    assert all(light(shown, i, Role.STATUS) == Status.CONNECTED.value for i in running)
    assert shown.statusBar().currentMessage() == (
        "Checked 2 keys: 2 working. Stopped: 4 key(s) not checked"
    )
    assert action.text().replace("&", "") == "Check all"
    assert action.shortcut() == QKeySequence(Qt.Key.Key_F5)


def test_the_stop_button_stops_a_run(qtbot: QtBot, window: MakeWindow, six: list[Entry]) -> None:
    shown = window()
    gate = Gate(shown.session, max_threads=1)
    try:
        shown.window_actions["check_all"].trigger()
        gate.wait_running(qtbot, shown.session, 1)
        with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
            shown.window_actions["check_all"].trigger()  # now Stop
            gate.release()
    finally:
        gate.release()
    assert len(gate.began) == 1
    assert sum(1 for e in six if shown.model.result(e.id) is not None) == 1


def test_f5_checks_every_entry_while_a_single_test_runs(
    qtbot: QtBot, window: MakeWindow, six: list[Entry]
) -> None:
    """The keyboard contract: F5 checks every entry, also while one is being tested (the
    button is Stop then, on Esc; F5 still adds the entries not being checked)."""
    shown = window()
    gate = Gate(shown.session, max_threads=1)
    try:
        select(shown, six[0].id)
        shown.window_actions["check"].trigger()
        gate.wait_running(qtbot, shown.session, 1)
        assert shown.window_actions["check_all"].text().replace("&", "") == "Stop"
        shown.activateWindow()
        qtbot.waitUntil(shown.isActiveWindow, timeout=WAIT_MS)
        qtbot.keyClick(shown.entry_list, Qt.Key.Key_F5)
        assert shown.session.checking == {e.id for e in six}
        assert shown.window_actions["check_all"].text().replace("&", "") == "Stop"
        with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
            gate.release()
    finally:
        gate.release()
    assert all(shown.model.result(e.id) is not None for e in six)
    assert shown.window_actions["check_all"].shortcut() == QKeySequence(Qt.Key.Key_F5)


def test_check_all_again_while_stopping_checks_the_dropped_keys_and_says_no_stop(
    qtbot: QtBot, window: MakeWindow, six: list[Entry]
) -> None:
    """Stop, then Check all (F5, or the tray's) before the running checks are in: the
    dropped keys are checked after all, and the summary does not call them not checked."""
    shown = window()
    gate = Gate(shown.session, max_threads=2)
    try:
        shown.check_all()
        gate.wait_running(qtbot, shown.session, 2)
        shown.window_actions["check_all"].trigger()  # Stop: four dropped
        assert len(shown.session.checking) == 2
        shown.check_all()  # as F5 and the tray's "Check all now" do
        assert shown.session.checking == {e.id for e in six}
        with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
            gate.release()
    finally:
        gate.release()
    assert all(shown.model.result(e.id) is not None for e in six)
    message = shown.statusBar().currentMessage()
    assert message.startswith("Checked 6 keys") and "Stopped" not in message, message
