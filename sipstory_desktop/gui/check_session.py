"""The window's checks, with one owner: what is being checked, the results not saved yet,
and the identities of our own saves of the state file.

What a run sends and holds back is decided in core (:func:`core.checker.plan_checks`);
this object only runs what it is given, on a bounded pool, and keeps the record.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterable, Set
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.budget import BudgetGrouper
from ..core.entries import Entry
from ..core.fileio import FileIdentity
from ..core.secrets import KeyBatch
from ..core.state import StateError
from ..core.status import CheckResult, Status
from ..core.vault import Vault
from .workers import Worker

if TYPE_CHECKING:
    from ..core.client import ApiClient

log = logging.getLogger(__name__)

Results = list[tuple[str, CheckResult]]


class CheckSession(QObject):
    """Checks entries on a bounded pool, one check per entry at a time, and keeps the record.

    Results are collected from the pool threads and handed to the GUI thread every
    :attr:`DELIVER_MS`, many in one ``delivered`` signal, and saved to the state file in
    batches (one write for many results). A "run" lasts from the first :meth:`check`
    until nothing is being checked: entries sharing a key are found over the whole run.

    Signals:
        started(list): checks of the entries with these ids began (queued): one signal
            per :meth:`check`.
        running(list): the checks of these entries left the queue: their requests are
            on their way (a pool has room for only so many at once).
        delivered(list): results arrived, as (entry id, :class:`CheckResult`) pairs; those
            entries are no longer being checked.
        idle(): nothing is being checked any more (the run ended, or was stopped).
        progress(int, int): checks done and checks asked for in this run.
        saved(object): a batch of results was written to the state file, which then had
            this identity (``core.fileio.file_identity``; None when someone else had
            written the file before: see :meth:`wrote`).
    """

    started = Signal(list)
    running = Signal(list)
    delivered = Signal(list)
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
        self._checking: set[str] = set()  # queued or running: the one record of it
        self._running: set[str] = set()  # of those, the ones whose check began (as told)
        self._tokens: dict[str, int] = {}  # entry id -> its queued check, while checking
        self._next_token = itertools.count(1)
        self._stopping = False  # stop() ended the run: idle even without a result
        self._unsaved: Results = []  # handed over, not saved yet
        self._asked = 0
        self._done = 0
        self._grouper = BudgetGrouper()
        self._batches: list[KeyBatch] = []  # of this run: told when a key is replaced
        self._own_saves: list[object] = []  # identities of the state file after our saves
        self._shown_state: FileIdentity | None = None  # the state file as the window shows it
        self._own_saves_lock = threading.Lock()
        self._save_timer = QTimer(self, singleShot=True, interval=self.SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save)
        self._arrivals: Results = []  # filled on pool threads
        self._began: list[str] = []  # entry ids whose check began, filled on pool threads
        self._begun: set[int] = set()  # tokens of the checks begun and not handed over
        self._cancelled: set[int] = set()  # tokens of checks stop() dropped from the queue
        self._arrivals_lock = threading.Lock()  # guards the four above
        self._deliver_timer = QTimer(self, interval=self.DELIVER_MS)
        self._deliver_timer.timeout.connect(self._deliver)

    # --- what is being checked -------------------------------------------------------------

    @property
    def checking(self) -> Set[str]:
        """The ids of the entries being checked (queued or running): read it, never change it."""
        return self._checking

    def is_checking(self, entry_id: str) -> bool:
        return entry_id in self._checking

    @property
    def running_checks(self) -> Set[str]:
        """Of :attr:`checking`, the ids whose check has left the queue (as last handed
        over to the GUI thread): read it, never change it. The others wait their turn."""
        return self._running

    @property
    def active(self) -> bool:
        return bool(self._checking)

    def check(self, entries: Iterable[Entry]) -> int:
        """Queue checks for ``entries`` not being checked already; returns how many.

        What is held back after a 429 is decided before (``core.checker.plan_checks``):
        what comes here is sent.
        """
        if not self._checking:
            self._asked = self._done = 0
            self._grouper = BudgetGrouper()  # which entries share a key: per run
        fresh = [entry for entry in entries if entry.id not in self._checking]
        self._checking.update(entry.id for entry in fresh)
        if not fresh:
            return 0
        keys = KeyBatch(self._vault.secrets, [e.id for e in fresh])  # one keyring call
        self._batches.append(keys)
        self.started.emit([entry.id for entry in fresh])
        for entry in fresh:
            token = self._tokens[entry.id] = next(self._next_token)
            self._worker.pool.start(partial(self._run_check, entry, keys, token))
        if not self._deliver_timer.isActive():
            self._deliver_timer.start()
        self._asked += len(fresh)
        self.progress.emit(self._done, self._asked)
        return len(fresh)

    def stop(self) -> list[str]:
        """Stop the run: the checks still queued are dropped (no request sent, their
        entries keep their last result); those whose request is on its way finish and
        are delivered as usual, whole. Returns the ids of the entries dropped.

        ``idle`` follows once the running ones are in (at once when none runs).
        """
        if not self._checking:
            return []
        with self._arrivals_lock:  # no check can begin meanwhile
            self._worker.pool.clear()
            dropped = [i for i in self._checking if self._tokens.get(i) not in self._begun]
            self._cancelled.update(self._tokens.pop(i) for i in dropped)
        for entry_id in dropped:
            self._checking.discard(entry_id)
            self._running.discard(entry_id)
        self._asked -= len(dropped)
        self._stopping = True
        self.progress.emit(self._done, self._asked)
        self._deliver()  # the end of the run, now if nothing runs
        return dropped

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

    def _check(self, entry: Entry, keys: KeyBatch) -> CheckResult:
        """On a pool thread: the check, with its key from the run's batch."""
        from ..core.checker import check_from_batch

        return check_from_batch(self.http_client(), keys, entry, self._grouper)

    def _run_check(self, entry: Entry, keys: KeyBatch, token: int) -> None:
        """On a pool thread: the check, its result queued for :meth:`_deliver`; nothing
        when :meth:`stop` dropped it before it began."""
        with self._arrivals_lock:
            if token in self._cancelled:
                self._cancelled.discard(token)
                return
            self._begun.add(token)
            self._began.append(entry.id)
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

    def _hand_over(self) -> tuple[Results, list[str]]:
        """On the GUI thread: the results that arrived since the last time, kept for the
        next save; those of the checks still asked for are returned (and no longer being
        checked), with the ids of the checks that began meanwhile and still run."""
        with self._arrivals_lock:
            arrived, self._arrivals = self._arrivals, []
            began, self._began = self._began, []
            for entry_id, _ in arrived:
                self._begun.discard(self._tokens.get(entry_id, 0))
        self._unsaved.extend(arrived)
        self._running.update(i for i in began if i in self._checking)
        delivered = [(i, result) for i, result in arrived if i in self._checking]
        for entry_id, _ in delivered:  # not those dropped by shutdown() meanwhile
            self._checking.discard(entry_id)
            self._running.discard(entry_id)
            self._tokens.pop(entry_id, None)
        self._done += len(delivered)
        return delivered, [i for i in dict.fromkeys(began) if i in self._running]

    def _deliver(self) -> None:
        """On the GUI thread, every DELIVER_MS while checks run: the progress and the
        results, a save now and then, and ``idle`` at the end."""
        delivered, began = self._hand_over()
        if began:
            self.running.emit(began)
        if delivered:
            if not self._save_timer.isActive():
                self._save_timer.start()
            self.progress.emit(self._done, self._asked)
            self.delivered.emit(delivered)
        if not self._checking:
            self._deliver_timer.stop()
            self._batches.clear()
            self._save_timer.stop()
            self._save()  # the last batch at once
            if delivered or self._stopping:
                self._stopping = False
                self.idle.emit()

    # --- keeping the results ---------------------------------------------------------------

    def _save(self) -> None:
        batch, self._unsaved = self._unsaved, []
        if batch:
            budgets, known = self._grouper.budgets(), self._shown_state
            self._saver.run(
                lambda: self._record(batch, budgets, known),
                self.saved.emit,
                self._save_failed,
            )

    def _record(
        self, batch: Results, budgets: dict[str, str], known: FileIdentity | None
    ) -> object:
        """On the saver thread: save, and note the file as written, before anyone looks."""
        identity = self._vault.record_own(batch, budgets=budgets, known=known)
        if identity is not None:  # the file held our saves only: nothing new in it for us
            with self._own_saves_lock:  # noted before anyone can look at the file
                self._own_saves = [*self._own_saves[-self.OWN_SAVES_KEPT + 1 :], identity]
        return identity

    def showing(self, identity: FileIdentity | None) -> None:
        """The window now shows the state file with this identity (read, ours, or
        unchanged): our next save starts from it when the file is still the same."""
        self._shown_state = identity

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
        delivered, _ = self._hand_over()
        self._checking.clear()
        self._running.clear()
        self._tokens.clear()
        if delivered:  # the checks that ran: said, like any other
            self.delivered.emit(delivered)
        self._deliver_timer.stop()
        self._save_timer.stop()
        batch, self._unsaved = self._unsaved, []
        if batch:
            try:
                self._vault.record(batch, budgets=self._grouper.budgets())
            except StateError as exc:
                log.warning("results not saved on quit: %s", exc)
        return self._saver.wait(timeout_ms) and finished
