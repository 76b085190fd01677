"""What the app remembers beside the config: results, the request ledger, keyring ids.

``state.json`` holds, per entry, its recent check results (newest last); per rate
budget, the times requests were sent (the ledger); and the ids this app has written to
the keyring, so that secrets left behind by a failure can be found and cleaned up.
Like the config, it is changed under the shared lock and written atomically.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .fileio import LockTimeout, atomic_write, locked
from .paths import AppPaths
from .status import CheckResult
from .times import from_iso, to_iso, utc_now

SCHEMA_VERSION = 1
HISTORY_LENGTH = 50
LEDGER_WINDOW = timedelta(hours=1)
MAX_STATE_BYTES = 32 * 1024 * 1024

log = logging.getLogger(__name__)
T = TypeVar("T")


class StateError(Exception):
    """The state file cannot be written; the message says what to do."""


@dataclass
class State:
    results: dict[str, list[CheckResult]] = field(default_factory=dict)
    requests: dict[str, list[datetime]] = field(default_factory=dict)
    secret_ids: set[str] = field(default_factory=set)

    def latest(self, entry_id: str) -> CheckResult | None:
        history = self.results.get(entry_id)
        return history[-1] if history else None

    def record_result(self, entry_id: str, result: CheckResult) -> None:
        history = self.results.setdefault(entry_id, [])
        history.append(result)
        del history[:-HISTORY_LENGTH]

    def record_request(self, budget_id: str, when: datetime | None = None) -> None:
        self.requests.setdefault(budget_id, []).append(when or utc_now())

    def requests_last_hour(self, budget_id: str, now: datetime | None = None) -> int:
        since = (now or utc_now()) - LEDGER_WINDOW
        return sum(1 for sent in self.requests.get(budget_id, ()) if sent > since)

    def forget(self, entry_ids: Iterable[str]) -> None:
        for entry_id in entry_ids:
            self.results.pop(entry_id, None)
            self.requests.pop(entry_id, None)

    def prune(self, now: datetime | None = None) -> None:
        """Drop ledger times older than the window."""
        since = (now or utc_now()) - LEDGER_WINDOW
        for budget_id in list(self.requests):
            recent = [t for t in self.requests[budget_id] if t > since]
            if recent:
                self.requests[budget_id] = recent
            else:
                del self.requests[budget_id]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "results": {
                entry_id: [r.to_dict() for r in history]
                for entry_id, history in self.results.items()
            },
            "requests": {
                budget_id: [to_iso(t) for t in times] for budget_id, times in self.requests.items()
            },
            "secret_ids": sorted(self.secret_ids),
        }

    @classmethod
    def from_dict(cls, data: Any) -> State:
        """Read a state document, skipping whatever part of it is unreadable."""
        state = cls()
        if not isinstance(data, dict):
            return state
        results = data.get("results")
        if isinstance(results, dict):
            for entry_id, history in results.items():
                if isinstance(history, list):
                    state.results[str(entry_id)] = _read_all(history, CheckResult.from_dict)
        requests = data.get("requests")
        if isinstance(requests, dict):
            for budget_id, times in requests.items():
                if isinstance(times, list):
                    state.requests[str(budget_id)] = _read_all(times, lambda t: from_iso(str(t)))
        ids = data.get("secret_ids")
        if isinstance(ids, list):
            state.secret_ids = {i for i in ids if isinstance(i, str)}
        return state


def _read_all(items: list[Any], read: Callable[[Any], T]) -> list[T]:
    values = []
    for item in items:
        try:
            values.append(read(item))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return values


class StateStore:
    """Reads and changes ``state.json``; shares the config's lock."""

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.state_file
        self._lock_path = paths.lock_file

    def load(self) -> State:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return State()
        except OSError as exc:
            log.warning("cannot read %s: %s", self.path.name, exc.strerror)
            return State()
        if len(raw) > MAX_STATE_BYTES:
            log.warning("%s is too large; ignoring it", self.path.name)
            return State()
        try:
            return State.from_dict(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, RecursionError):
            log.warning("%s is damaged; starting a new one", self.path.name)
            return State()

    def update(self, change: Callable[[State], T]) -> T:
        """Apply ``change`` to the state as it is on disk now, save it, return its result."""
        try:
            with locked(self._lock_path):
                state = self.load()
                outcome = change(state)
                state.prune()
                data = json.dumps(state.to_dict(), separators=(",", ":")).encode("utf-8")
                try:
                    atomic_write(self.path, data, keep_backup=False)
                except OSError as exc:
                    raise StateError(f"Cannot save {self.path}: {exc.strerror or exc}.") from None
                return outcome
        except LockTimeout:
            raise StateError(
                "Another Sipstory Desktop process is holding the state file."
            ) from None
