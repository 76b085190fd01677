"""An in-memory keyring backend that notes when it is first touched, for the benchmarks.

Chosen with ``PYTHON_KEYRING_BACKEND=recording_keyring.RecordingKeyring`` (``bench/`` on
``PYTHONPATH``), it is created by keyring's own backend resolution, so the app runs its
real code path. Every touch is noted with ``time.perf_counter()``: its creation (keyring
resolves the backend on the first call that needs one) and every get/set/delete.
"""

from __future__ import annotations

import threading
import time

from sipstory_desktop.demo.memory_keyring import MemoryKeyring

CALLS: list[tuple[float, str, str]] = []  # (perf_counter, what, thread name)
_LOCK = threading.Lock()


def note(what: str) -> None:
    with _LOCK:
        CALLS.append((time.perf_counter(), what, threading.current_thread().name))


def first_call() -> tuple[float, str, str] | None:
    with _LOCK:
        return min(CALLS) if CALLS else None


class RecordingKeyring(MemoryKeyring):
    """A :class:`MemoryKeyring` that records when it is created and called."""

    priority = 0.1  # never chosen unless asked for

    def __init__(self) -> None:
        note("backend created")
        super().__init__()

    def get_password(self, service: str, username: str) -> str | None:
        note("get_password")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        note("set_password")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        note("delete_password")
        super().delete_password(service, username)
