"""What the app remembers beside the config: results, rate budgets, keyring ids.

``state.json`` holds, per entry, its recent check results (newest last); per rate
budget, the times requests were sent; which entries share a rate budget
(entries whose keys were found equal on the same instance: one organization); and the
ids this app has written to the keyring, so that secrets left behind by a failure can be
found and cleaned up. Like the config, it is changed under the shared lock and written
atomically. No key, nor anything derived from one, is ever kept here.

A rate budget is named by an entry id: an entry's own id until it is found to share its
key with others, then the smallest id of those entries (:meth:`State.join_budgets`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .channels import ChannelCache, cache_from_dict, cache_to_dict
from .fileio import FileIdentity, LockTimeout, atomic_write, file_identity, locked
from .jsonread import loads_in_pieces
from .paths import AppPaths
from .status import CheckResult
from .times import from_iso, to_iso, utc_now

SCHEMA_VERSION = 1
HISTORY_LENGTH = 50
BUDGET_WINDOW = timedelta(hours=1)
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
    budgets: dict[str, str] = field(default_factory=dict)
    """Entry id -> the id of the rate budget it shares; absent means its own id."""
    channels: dict[str, ChannelCache] = field(default_factory=dict)
    """Entry id -> its organization's channels as last fetched."""
    unsent: dict[str, CheckResult] = field(default_factory=dict)
    """Entry id -> the outcome of its last check when that check sent no request (no key,
    a keyring error, held back after a 429) and nothing was sent since: shown as the
    entry's last status (the GUI and the CLI show what either found last), never a point
    of its history nor a new "last checked"."""

    def latest(self, entry_id: str) -> CheckResult | None:
        """The latest result of a check that sent a request (the history's last)."""
        history = self.results.get(entry_id)
        return history[-1] if history else None

    def shown(self, entry_id: str) -> CheckResult | None:
        """What to show as the entry's status: the outcome of its last check, even one that
        sent no request (:attr:`unsent`), else its latest result."""
        return self.unsent.get(entry_id) or self.latest(entry_id)

    def record_result(self, entry_id: str, result: CheckResult) -> None:
        """Keep ``result`` in the entry's history; one that sent no request only as
        :attr:`unsent` (no history point, no new "last checked")."""
        if not result.request_sent:
            self.unsent[entry_id] = result
            return
        self.unsent.pop(entry_id, None)
        history = self.results.setdefault(entry_id, [])
        history.append(result)
        del history[:-HISTORY_LENGTH]

    def with_newer_results_of(self, ours: State) -> State:
        """This state (as read from disk), plus the results of ``ours`` newer than what it
        holds (they came after the last save), with their cost, and the outcomes of
        ``ours`` that sent no request, unless a newer result is known; returns itself."""
        for entry_id in ours.results:
            mine, saved = ours.latest(entry_id), self.latest(entry_id)
            if mine is not None and (saved is None or saved.checked_at < mine.checked_at):
                known = self.unsent.get(entry_id)
                self.record_result(entry_id, mine)
                if known is not None and known.checked_at > mine.checked_at:
                    self.unsent[entry_id] = known  # saved after ours: still the last outcome
                if mine.counted:
                    self.record_request(self.budget_of(entry_id), mine.checked_at)
        for entry_id, outcome in ours.unsent.items():
            saved = self.latest(entry_id)
            if saved is not None and saved.checked_at >= outcome.checked_at:
                continue  # a check sent since
            known = self.unsent.get(entry_id)
            if known is None or known.checked_at < outcome.checked_at:
                self.unsent[entry_id] = outcome
        return self

    def record_request(self, budget_id: str, when: datetime | None = None) -> None:
        self.requests.setdefault(budget_id, []).append(when or utc_now())

    def requests_last_hour(self, budget_id: str, now: datetime | None = None) -> int:
        since = (now or utc_now()) - BUDGET_WINDOW
        return sum(1 for sent in self.requests.get(budget_id, ()) if sent > since)

    # --- rate budgets ----------------------------------------------------------------------

    def budget_of(self, entry_id: str) -> str:
        """The id of the rate budget ``entry_id`` counts against (its own id by default)."""
        return self.budgets.get(entry_id, entry_id)

    def budget_members(self, budget_id: str) -> set[str]:
        """The entries known to count against ``budget_id``."""
        members = {e for e, b in self.budgets.items() if b == budget_id}
        if budget_id not in self.budgets:
            members.add(budget_id)
        return members

    def join_budgets(self, groups: Mapping[str, str]) -> None:
        """Take in what a check run found about keys: entries with the same label in
        ``groups`` hold the same key on the same instance, entries with different labels
        hold different keys.

        Only the entries of ``groups`` were compared; any other entry that shared a budget
        with one of them keeps sharing it (its key was not read, so nothing says it
        changed). Each group's budget is named by the smallest id among its entries and
        those sharers, so a budget keeps its name as long as its entries do. The requests of
        a budget that no entry uses any more are merged into the group's budget, so no
        request is forgotten when an entry joins a shared budget.
        """
        compared = set(groups)
        labelled: dict[str, list[str]] = {}
        for entry_id, label in groups.items():
            labelled.setdefault(label, []).append(entry_id)
        claimed: set[str] = set()
        plans: list[tuple[list[str], set[str], str]] = []
        for members in sorted(labelled.values(), key=min):
            before = {self.budget_of(m) for m in members}
            sharers: set[str] = set()
            for budget_id in before:
                sharers |= self.budget_members(budget_id)
            sharers -= compared | claimed
            claimed |= sharers
            plans.append(([*members, *sharers], before, min([*members, *sharers])))
        for joined, _, budget_id in plans:
            for entry_id in joined:
                if entry_id == budget_id:
                    self.budgets.pop(entry_id, None)
                else:
                    self.budgets[entry_id] = budget_id
        for _, before, budget_id in plans:
            for old in sorted(before - {budget_id}):
                if old in self.requests and not self.budget_members(old):
                    self._move_requests(old, budget_id)

    def _move_requests(self, source: str, target: str) -> None:
        moved = self.requests.pop(source, [])
        if moved or target in self.requests:
            self.requests[target] = sorted([*self.requests.get(target, []), *moved])

    def leave_budgets(self, entry_ids: Iterable[str]) -> None:
        """Give the entries their own budgets again (an entry moved to another instance).

        Their past requests stay with the budget they shared; a budget named after one of
        them is renamed after a remaining entry.
        """
        self._release(set(entry_ids), drop_unused=False)

    def forget_results(self, entry_ids: Iterable[str]) -> None:
        """Drop the entries' results (their base URL changed: what was found of the old one
        says nothing of the new one). The requests they sent still count."""
        for entry_id in entry_ids:
            self.results.pop(entry_id, None)
            self.unsent.pop(entry_id, None)

    def forget(self, entry_ids: Iterable[str]) -> None:
        """Drop the entries' results and budget mappings; a budget's requests go only when no
        remaining entry counts against it (one named after a removed entry is renamed)."""
        gone = set(entry_ids)
        for entry_id in gone:
            self.results.pop(entry_id, None)
            self.unsent.pop(entry_id, None)
            self.channels.pop(entry_id, None)
        self._release(gone, drop_unused=True)

    def _release(self, gone: set[str], *, drop_unused: bool) -> None:
        touched = {self.budget_of(e) for e in gone} | gone
        for entry_id in gone:
            self.budgets.pop(entry_id, None)
        for budget_id in sorted(touched):
            users = self.budget_members(budget_id) - gone
            if not users:
                if drop_unused:
                    self.requests.pop(budget_id, None)
            elif budget_id in gone:
                heir = min(users)
                for user in users:
                    if user == heir:
                        self.budgets.pop(user, None)
                    else:
                        self.budgets[user] = heir
                self._move_requests(budget_id, heir)

    def prune(self, now: datetime | None = None) -> None:
        """Drop request times older than the budget's window."""
        since = (now or utc_now()) - BUDGET_WINDOW
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
            "budgets": dict(sorted(self.budgets.items())),
            "channels": cache_to_dict(self.channels),
            "unsent": {entry_id: r.to_dict() for entry_id, r in sorted(self.unsent.items())},
        }

    @classmethod
    def from_dict(cls, data: Any) -> State:
        """Read a state document, skipping whatever part of it is unreadable.

        The results are taken out of ``data`` as they are read, so that a large document
        is not held twice (as parsed JSON and as results) at any moment."""
        state = cls()
        if not isinstance(data, dict):
            return state
        results = data.get("results")
        if isinstance(results, dict):
            for entry_id in list(results):
                history = results.pop(entry_id)
                if isinstance(history, list):
                    read = _read_all(history, CheckResult.from_dict)
                    # Versions before "unsent" kept checks that sent nothing in the history.
                    if read and not read[-1].request_sent:
                        state.unsent[str(entry_id)] = read[-1]
                    state.results[str(entry_id)] = [r for r in read if r.request_sent]
        requests = data.get("requests")
        if isinstance(requests, dict):
            for budget_id, times in requests.items():
                if isinstance(times, list):
                    state.requests[str(budget_id)] = _read_all(times, lambda t: from_iso(str(t)))
        ids = data.get("secret_ids")
        if isinstance(ids, list):
            state.secret_ids = {i for i in ids if isinstance(i, str)}
        budgets = data.get("budgets")
        if isinstance(budgets, dict):
            state.budgets = {
                str(entry_id): budget_id
                for entry_id, budget_id in budgets.items()
                if isinstance(budget_id, str) and budget_id and budget_id != str(entry_id)
            }
        state.channels = cache_from_dict(data.get("channels"))
        unsent = data.get("unsent")
        if isinstance(unsent, dict):
            for entry_id, item in unsent.items():
                read = _read_all([item], CheckResult.from_dict)
                if read:
                    state.unsent[str(entry_id)] = read[0]
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
    """Reads and changes ``state.json``; shares the config's lock.

    :meth:`update` keeps the state it last wrote, with the file's identity (inode, time,
    size: every save is a new file, renamed into place): while the file is still that
    one, the next update starts from it instead of parsing the file again. A window
    saving results every few seconds thus spends no time reading back its own saves.
    """

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.state_file
        self._lock_path = paths.lock_file
        self._written: tuple[FileIdentity, State] | None = None  # under the lock

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
            text = raw.decode("utf-8")
            del raw  # a large state is not held three times while it is read
            return State.from_dict(loads_in_pieces(text))  # other threads run meanwhile
        except (UnicodeDecodeError, ValueError, RecursionError):
            log.warning("%s is damaged; starting a new one", self.path.name)
            return State()

    def update(self, change: Callable[[State], T]) -> T:
        """Apply ``change`` to the state as it is on disk now, save it, return its result."""
        return self.update_noting(change)[0]

    def update_noting(
        self, change: Callable[[State], T], *, known: FileIdentity | None = None
    ) -> tuple[T, FileIdentity | None]:
        """:meth:`update`, and the identity of the file it wrote if, before, the file was
        this store's last save or the version ``known`` to the caller; None when someone
        else had written it since: a reader that knows the returned identity and the
        changes it made has nothing new to read."""
        try:
            with locked(self._lock_path):
                written, self._written = self._written, None  # kept again once saved
                current = file_identity(self.path)
                ours = written is not None and written[0] == current
                state = written[1] if written is not None and ours else self.load()
                clean = ours or (current is not None and current == known)
                outcome = change(state)
                state.prune()
                data = json.dumps(state.to_dict(), separators=(",", ":")).encode("utf-8")
                try:
                    atomic_write(self.path, data, keep_backup=False)
                except OSError as exc:
                    raise StateError(f"Cannot save {self.path}: {exc.strerror or exc}.") from None
                identity = file_identity(self.path)
                if identity is not None:
                    self._written = (identity, state)
                return outcome, identity if clean else None
        except LockTimeout:
            raise StateError(
                "Another Sipstory Desktop process is holding the state file."
            ) from None
        except OSError as exc:  # the lock file cannot be made or opened
            raise StateError(f"Cannot lock {self._lock_path}: {exc.strerror or exc}.") from None
