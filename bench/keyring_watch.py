"""When the keyring is first touched: notes kept without importing keyring, for the benchmarks.

:func:`watch_keyring_module` wraps keyring's module-level functions (``keyring.get_keyring()``
first of all: with a real backend it may already talk to D-Bus) as soon as the app imports
keyring, and ``recording_keyring.RecordingKeyring`` notes its creation and every call on it.
All notes are ``(time.perf_counter(), what, thread name)``.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import time
from collections.abc import Sequence
from types import ModuleType
from typing import Any

CALLS: list[tuple[float, str, str]] = []
_LOCK = threading.Lock()
_MODULE_FUNCTIONS = ("get_keyring", "get_password", "set_password", "delete_password")


def note(what: str) -> None:
    with _LOCK:
        CALLS.append((time.perf_counter(), what, threading.current_thread().name))


def first_call() -> tuple[float, str, str] | None:
    with _LOCK:
        return min(CALLS) if CALLS else None


class _KeyringWatcher(importlib.abc.MetaPathFinder):
    """Wraps keyring's module-level functions as soon as ``keyring`` is imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "keyring":
            return None
        sys.meta_path.remove(self)  # once: find the real package
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            for name in _MODULE_FUNCTIONS:
                setattr(module, name, _noting(f"keyring.{name}()", getattr(module, name)))

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _noting(what: str, function: Any) -> Any:
    @functools.wraps(function)
    def noted(*args: Any, **kwargs: Any) -> Any:
        note(what)
        return function(*args, **kwargs)

    return noted


def watch_keyring_module() -> None:
    """Note calls of ``keyring.get_keyring()`` and friends; call before keyring is imported."""
    if "keyring" in sys.modules:
        raise RuntimeError("keyring is imported already")
    sys.meta_path.insert(0, _KeyringWatcher())
