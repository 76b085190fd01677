"""Work off the GUI thread: keyring calls, config writes and network calls on a bounded pool.

A runnable never touches a widget and never owns a QObject: it emits a signal owned by
a GUI-thread object (:class:`Worker`), so its outcome arrives on the GUI thread through
a queued connection. :class:`BackgroundOp` is how the window and its dialogs use it: a
call, what to do with its value, and a failure path that always reaches the user.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from ..core.secrets import SecretStoreError
from .result_texts import translated

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


def describe_error(error: Exception) -> str:
    """A message for the user; never a traceback, never a key."""
    if isinstance(error, SecretStoreError):
        return f"{translated(error.message)}\n{translated(error.hint)}"
    return translated(str(error)) or type(error).__name__


class BackgroundOp:
    """One call on a :class:`Worker`, with its outcome handled on the GUI thread.

    ``BackgroundOp(worker, parent, call).success(shown).failure(said).run()``: without
    :meth:`failure`, a failure is shown to the user in a message box over ``parent``
    (titled with :meth:`titled`), after ``on_any_failure``, so that no error is ever lost
    in silence. With :meth:`for_widget`, nothing is called once that widget is deleted
    (a dialog closed while its work ran).
    """

    def __init__(
        self,
        worker: Worker,
        parent: QWidget,
        call: Callable[[], Any],
        on_any_failure: Callable[[], None] | None = None,
    ) -> None:
        self._worker = worker
        self._parent = parent
        self._call = call
        self._on_any_failure = on_any_failure
        self._receiver: QWidget | None = None
        self._on_done: OnDone = lambda _value: None
        self._on_error: OnError | None = None
        self._title = QCoreApplication.translate("BackgroundOp", "Something went wrong")

    def success(self, on_done: OnDone) -> BackgroundOp:
        self._on_done = on_done
        return self

    def failure(self, on_error: OnError) -> BackgroundOp:
        self._on_error = on_error
        return self

    def for_widget(self, receiver: QWidget) -> BackgroundOp:
        """Call back only while ``receiver`` exists."""
        self._receiver = receiver
        return self

    def titled(self, title: str) -> BackgroundOp:
        """The title of the default failure message: what could not be done."""
        self._title = title
        return self

    def run(self) -> int:
        return self._worker.run(self._call, self._done, self._failed)

    def _alive(self) -> bool:
        return self._receiver is None or isValid(self._receiver)

    def _done(self, value: Any) -> None:
        if self._alive():
            self._on_done(value)

    def _failed(self, error: Exception) -> None:
        if self._on_error is not None:
            if self._alive():
                self._on_error(error)
            return
        if self._on_any_failure is not None:
            self._on_any_failure()
        if isValid(self._parent):
            QMessageBox.warning(self._parent, self._title, describe_error(error))
