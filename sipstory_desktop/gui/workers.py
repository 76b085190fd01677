"""Work off the GUI thread: keyring calls, config writes and checks on a bounded pool.

A runnable never touches a widget and never owns a QObject: it emits a signal owned by
a GUI-thread object (:class:`Worker`), so its outcome arrives on the GUI thread through
a queued connection.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from ..core.budget import BudgetGrouper
from ..core.entries import Entry
from ..core.fileio import FileIdentity
from ..core.secrets import KeyBatch, SecretStoreError
from ..core.state import StateError
from ..core.status import CheckResult, Status
from ..core.vault import Vault

if TYPE_CHECKING:
    from ..core.client import ApiClient

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[Exception], None]


class Worker(QObject):
    """Runs blocking calls on its own bounded :class:`QThreadPool`.

    ``run(call, on_done, on_error)`` calls ``call()`` on a pool thread, then ``on_done``
    with its return value, or ``on_error`` with its exception, on the GUI thread.
    """

    _finished = Signal(int, object, object)  # token, value, exception

    def __init__(self, max_threads: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._tokens = itertools.count(1)
        self._callbacks: dict[int, tuple[OnDone, OnError | None]] = {}
        self._queued: set[int] = set()  # tokens not started yet; tasks remove their own
        self._dropped: set[int] = set()  # tokens cancelled before they started
        self._queued_lock = threading.Lock()
        self._finished.connect(self._deliver)

    def run(self, call: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None) -> int:
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        with self._queued_lock:
            self._queued.add(token)
        finished = self._finished

        def task() -> None:
            with self._queued_lock:  # started after all, even if cancel_queued counted it out
                self._queued.discard(token)
                self._dropped.discard(token)
            try:
                value = call()
            except Exception as exc:  # handed to on_error on the GUI thread
                finished.emit(token, None, exc)
            else:
                finished.emit(token, value, None)

        self.pool.start(task)  # PySide6 wraps a callable in a runnable the pool owns
        return token

    @property
    def busy(self) -> bool:
        """Whether a task is queued or running (or its outcome not yet delivered)."""
        with self._queued_lock:
            return bool(self._callbacks.keys() - self._dropped)

    def cancel_queued(self) -> None:
        """Drop the tasks that have not started yet (their callbacks are never called)."""
        self.pool.clear()
        with self._queued_lock:
            self._dropped |= self._queued
            self._queued.clear()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Wait for the running tasks; True when all are done."""
        return self.pool.waitForDone(timeout_ms)

    @Slot(int, object, object)
    def _deliver(self, token: int, value: object, error: object) -> None:
        on_done, on_error = self._callbacks.pop(token, (None, None))
        with self._queued_lock:
            self._dropped.discard(token)
        if isinstance(error, Exception):
            if on_error is not None:
                on_error(error)
            else:
                log.error("background task failed: %s", type(error).__name__)
        elif on_done is not None:
            on_done(value)


class CheckRunner(QObject):
    """Checks entries on a bounded pool, one check per entry at a time.

    Results are collected from the pool threads and handed to the GUI thread every
    :attr:`DELIVER_MS` (one call into Python for many results, rather than one queued
    signal each), and saved to the state file in batches (one write for many results).

    Signals:
        started(list): checks of the entries with these ids began (queued): one signal
            per :meth:`check` (a signal costs ~0.08 ms; Check all starts hundreds).
        finished(str, object): its :class:`CheckResult` arrived.
        idle(): no check is queued or running any more.
        progress(int, int): checks done and checks asked for in this run.
        saved(object): a batch of results was written to the state file, which then had
            this identity (``core.fileio.file_identity``; None when someone else had
            written the file before: see :meth:`wrote`).
    """

    started = Signal(list)
    finished = Signal(str, object)
    idle = Signal()
    saved = Signal(object)
    progress = Signal(int, int)

    SAVE_DELAY_MS = 2000  # results are saved in batches, and at once when all are in
    DELIVER_MS = 50
    OWN_SAVES_KEPT = 16

    def __init__(
        self,
        vault: Vault,
        client: ApiClient | None = None,
        max_threads: int = 8,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._client = client
        self._client_lock = threading.Lock()
        self._worker = Worker(max_threads, self)
        self._saver = Worker(1, self)
        self._in_flight: set[str] = set()
        self._unsaved: list[tuple[str, CheckResult]] = []  # handed over, not saved yet
        self._asked = 0
        self._done = 0
        self._grouper = BudgetGrouper()
        self._batches: list[KeyBatch] = []  # of this run: told when a key is replaced
        self._own_saves: list[object] = []  # identities of the state file after our saves
        self.shown_state: FileIdentity | None = None  # the state file as the window shows it
        self._own_saves_lock = threading.Lock()
        self._save_timer = QTimer(self, singleShot=True, interval=self.SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save)
        self._arrivals: list[tuple[str, CheckResult]] = []  # filled on pool threads
        self._arrivals_lock = threading.Lock()
        self._deliver_timer = QTimer(self, interval=self.DELIVER_MS)
        self._deliver_timer.timeout.connect(self._deliver)

    def is_checking(self, entry_id: str) -> bool:
        return entry_id in self._in_flight

    @property
    def active(self) -> bool:
        return bool(self._in_flight)

    def check(self, entries: Iterable[Entry]) -> int:
        """Queue checks for ``entries`` not being checked already; returns how many.

        The caller decides what is held back after a 429 (it has the results); what
        comes here is sent.
        """
        if not self._in_flight:
            self._asked = self._done = 0
            self._grouper = BudgetGrouper()  # which entries share a key: per run
        fresh: list[Entry] = []
        for entry in entries:
            if entry.id not in self._in_flight:
                self._in_flight.add(entry.id)
                fresh.append(entry)
        # Several keys are read in one keyring call (the Secret Service: one connection and
        # one session instead of one each per key), by whichever check needs one first.
        keys = KeyBatch(self._vault.secrets, [e.id for e in fresh]) if len(fresh) > 1 else None
        if keys is not None:
            self._batches.append(keys)
        if fresh:
            self.started.emit([entry.id for entry in fresh])
        for entry in fresh:
            self._worker.pool.start(partial(self._run_check, entry, keys))
        queued = len(fresh)
        if queued and not self._deliver_timer.isActive():
            self._deliver_timer.start()
        self._asked += queued
        if queued:
            self.progress.emit(self._done, self._asked)
        return queued

    def forget_key(self, entry_id: str) -> None:
        """The key of ``entry_id`` was replaced: a check of it still queued reads the new one.
        Any thread (the replacement is saved on a worker)."""
        for batch in list(self._batches):  # a copy: the GUI thread may add or clear
            batch.forget(entry_id)

    def http_client(self) -> ApiClient:
        """The HTTP client, made at the first check: requests is imported on a pool
        thread, not while the window starts."""
        with self._client_lock:
            if self._client is None:
                from ..core.client import ApiClient

                self._client = ApiClient()
            return self._client

    def _check(self, entry: Entry, keys: KeyBatch | None) -> CheckResult:
        """On a pool thread: the check, with a key from ``keys`` or read for it alone."""
        from ..core.checker import check_entry, check_with_key, keyring_error_result

        client = self.http_client()
        if keys is None:
            return check_entry(client, self._vault.secrets, entry, grouper=self._grouper)
        try:
            key = keys.get(entry.id)
        except SecretStoreError as error:
            return keyring_error_result(error)
        return check_with_key(client, entry, key, self._grouper)

    def _run_check(self, entry: Entry, keys: KeyBatch | None) -> None:
        """On a pool thread: the check, its result queued for :meth:`_deliver`."""
        try:
            result = self._check(entry, keys)
        except Exception as exc:  # a defect of ours must not leave the run waiting forever
            log.error("a check failed inside the app: %s", type(exc).__name__)
            result = CheckResult(
                Status.UNEXPECTED,
                "The check failed inside Sipstory Desktop.",
                "Try again; if it happens again, please report it with the log.",
                request_sent=False,
            )
        with self._arrivals_lock:
            self._arrivals.append((entry.id, result))

    def _hand_over(self) -> int:
        """On the GUI thread: the results that arrived since the last time, kept for the
        next save and said (``finished``) for the checks still asked for; how many."""
        with self._arrivals_lock:
            arrived, self._arrivals = self._arrivals, []
        self._unsaved.extend(arrived)
        delivered = 0
        for entry_id, result in arrived:
            if entry_id in self._in_flight:  # not dropped by shutdown() meanwhile
                self._in_flight.discard(entry_id)
                self._done += 1
                delivered += 1
                self.finished.emit(entry_id, result)
        return delivered

    def _deliver(self) -> None:
        """On the GUI thread, every DELIVER_MS while checks run: the results, the progress,
        a save now and then, and ``idle`` at the end."""
        delivered = self._hand_over()
        if delivered:
            if not self._save_timer.isActive():
                self._save_timer.start()
            self.progress.emit(self._done, self._asked)
        if not self._in_flight:
            self._deliver_timer.stop()
            self._batches.clear()
            self._save_timer.stop()
            self._save()  # the last batch at once
            if delivered:
                self.idle.emit()

    def _save(self) -> None:
        batch, self._unsaved = self._unsaved, []
        if batch:
            budgets, known = self._grouper.budgets(), self.shown_state
            self._saver.run(
                lambda: self._record(batch, budgets, known),
                self.saved.emit,
                self._save_failed,
            )

    def _record(
        self,
        batch: list[tuple[str, CheckResult]],
        budgets: dict[str, str],
        known: FileIdentity | None,
    ) -> object:
        """On the saver thread: save, and note the file as written, before anyone looks."""
        identity = self._vault.record_own(batch, budgets=budgets, known=known)
        if identity is not None:  # the file held our saves only: nothing new in it for us
            with self._own_saves_lock:  # noted before anyone can look at the file
                self._own_saves = [*self._own_saves[-self.OWN_SAVES_KEPT + 1 :], identity]
        return identity

    def wrote(self, identity: object) -> bool:
        """Whether the state file with this identity is one of our saves, made on a file
        that held nothing but ours (any thread): a window that sees it needs no reload, it
        shows those results. A save that folded in someone else's write is not counted."""
        with self._own_saves_lock:
            return identity is not None and identity in self._own_saves

    def _save_failed(self, error: Exception) -> None:
        log.warning(
            "results not saved: %s",
            error if isinstance(error, StateError) else type(error).__name__,
        )

    def shutdown(self, timeout_ms: int = 20_000) -> bool:
        """Cancel queued checks, wait for running ones, and save what arrived.

        Called on quit; True when everything finished in time.
        """
        self._worker.cancel_queued()
        finished = self._worker.wait(timeout_ms)
        self._hand_over()  # the checks that ran: said, like any other
        self._in_flight.clear()
        self._deliver_timer.stop()
        self._save_timer.stop()
        batch, self._unsaved = self._unsaved, []
        if batch:
            try:
                self._vault.record(batch, budgets=self._grouper.budgets())
            except StateError as exc:
                log.warning("results not saved on quit: %s", exc)
        return self._saver.wait(timeout_ms) and finished
