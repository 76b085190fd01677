"""Rate budgets: how many of an organization's 30 requests an hour are spent, and when to wait.

A Sipstory server counts requests per organization, in a fixed one-hour window, and may
count every check (docs/api-facts.md). Entries holding the same key on the same instance
belong to one organization there, so they share one budget; :class:`BudgetGrouper` finds
them while a check run reads the keys anyway, and :meth:`State.join_budgets` remembers
the grouping (entry ids only: no key, hash or fingerprint of a key is ever kept).

What a budget has used is the larger of the app's own count and the server's own figure
(``X-RateLimit-*``) while its window lasts. After a 429 the budget is held back until
``Retry-After`` has passed: a check then sends nothing and reports :data:`Status.RATE_LIMITED`,
unless the user forces it.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import messages as M
from .entries import Entry
from .state import BUDGET_WINDOW, State
from .status import CheckResult, Status
from .times import local_clock, utc_now
from .urls import Origin, origin_of

RATE_LIMIT = 30
"""Requests an organization may send per hour, as the published API description says."""

HOLD_BACK_HINT = M.HOLD_BACK_HINT


# --- which entries share a budget ------------------------------------------------------------


class BudgetGrouper:
    """Collects the keys a check run reads and tells which entries share a budget.

    Keys are not kept: only a digest keyed with a random secret of this object, in
    memory, so the grouping cannot be matched with anything outside this run.
    Safe to feed from several threads.
    """

    def __init__(self) -> None:
        self._secret = os.urandom(32)
        self._lock = threading.Lock()
        self._groups: dict[tuple[Origin, bytes], list[str]] = {}
        self._seen: set[str] = set()

    def add(self, entry: Entry, key: str) -> None:
        """Note that ``entry`` holds ``key`` (on its own instance)."""
        digest = hashlib.blake2b(key.encode("utf-8"), key=self._secret, digest_size=32).digest()
        label = (origin_of(entry.base_url), digest)
        with self._lock:
            if entry.id in self._seen:
                return
            self._seen.add(entry.id)
            self._groups.setdefault(label, []).append(entry.id)

    def budgets(self) -> dict[str, str]:
        """Entry id -> budget id (the smallest entry id of its group) for every entry added."""
        with self._lock:
            groups = [list(members) for members in self._groups.values()]
        return {entry_id: min(members) for members in groups for entry_id in members}


def group_budgets(pairs: Iterable[tuple[Entry, str]]) -> dict[str, str]:
    """Entry id -> budget id: entries with equal keys on the same origin share one budget,
    named by the smallest entry id among them."""
    grouper = BudgetGrouper()
    for entry, key in pairs:
        grouper.add(entry, key)
    return grouper.budgets()


# --- what a budget has used ------------------------------------------------------------------


def _budget_results(state: State, entry_id: str) -> Iterator[CheckResult]:
    """Every kept result of every entry that shares ``entry_id``'s budget, and the outcome
    of its last check if that sent no request (a check held back keeps holding)."""
    for member in sorted(state.budget_members(state.budget_of(entry_id))):
        yield from state.results.get(member, ())
        if member in state.unsent:
            yield state.unsent[member]


def _server_window_open(result: CheckResult, now: datetime) -> bool:
    """Whether the server's window that ``result``'s figures describe may still be running.

    Without ``X-RateLimit-Reset`` a window is taken to last at most an hour.
    """
    figures = result.rate_limit
    if figures is None:
        return False
    if figures.reset_seconds is None:
        return result.checked_at + BUDGET_WINDOW > now
    return result.checked_at + timedelta(seconds=max(0, figures.reset_seconds)) > now


def limit_of(state: State, entry_id: str, now: datetime | None = None) -> int:
    """The budget's hourly limit: the server's ``X-RateLimit-Limit`` when it has sent one
    (the newest), else :data:`RATE_LIMIT`."""
    newest: CheckResult | None = None
    for result in _budget_results(state, entry_id):
        figures = result.rate_limit
        if figures is None or figures.limit is None or figures.limit <= 0:
            continue
        if newest is None or result.checked_at > newest.checked_at:
            newest = result
    if newest is None or newest.rate_limit is None or newest.rate_limit.limit is None:
        return RATE_LIMIT
    return newest.rate_limit.limit


def server_used(state: State, entry_id: str, now: datetime | None = None) -> int | None:
    """Requests used in the server's current window, as its own headers last said; None
    when no result of the budget carries figures whose window is still running."""
    now = now or utc_now()
    used: int | None = None
    for result in _budget_results(state, entry_id):
        figures = result.rate_limit
        if figures is None or figures.limit is None or figures.remaining is None:
            continue
        if not _server_window_open(result, now):
            continue
        said = min(max(0, figures.limit - figures.remaining), max(0, figures.limit))
        used = said if used is None else max(used, said)
    return used


def used_last_hour(state: State, entry_id: str, now: datetime | None = None) -> int:
    """Requests the entry's budget has used in the last hour: the larger of the app's
    count and the server's own figure while its window lasts."""
    now = now or utc_now()
    counted = state.requests_last_hour(state.budget_of(entry_id), now)
    server = server_used(state, entry_id, now)
    return counted if server is None else max(counted, server)


def shown_used(state: State, entry_id: str, now: datetime | None = None) -> int:
    """The "used" figure to show beside the limit (the list's "1/30"): what the budget used
    in the last hour, or the whole limit while a 429 holds it back; the server said none
    is left, and the 429's own message says the same figures (``classify``)."""
    now = now or utc_now()
    used = used_last_hour(state, entry_id, now)
    if held_back_until(state, entry_id, now) is not None:
        return max(used, limit_of(state, entry_id, now))
    return used


def remaining(state: State, entry_id: str, now: datetime | None = None) -> int:
    """Requests the entry's budget has left this hour (never below 0)."""
    now = now or utc_now()
    return max(0, limit_of(state, entry_id, now) - used_last_hour(state, entry_id, now))


# --- holding back after a 429 ----------------------------------------------------------------


def held_back_until(state: State, entry_id: str, now: datetime | None = None) -> datetime | None:
    """Until when the entry's budget must not be checked, or None.

    A budget is held back after a 429 (or a check held back because of one) whose
    ``retry_at`` is still ahead, unless the server has answered something other than
    429 for the budget since then. Results that reached no server (no key, a keyring
    error, no connection) release nothing.
    """
    now = now or utc_now()
    results = list(_budget_results(state, entry_id))
    released = max(
        (r.checked_at for r in results if r.http_status is not None and r.http_status != 429),
        default=None,
    )
    until = [
        r.retry_at
        for r in results
        if r.status is Status.RATE_LIMITED
        and r.retry_at is not None
        and r.retry_at > now
        and (released is None or r.checked_at >= released)
    ]
    return max(until, default=None)


def held_back_result(until: datetime, now: datetime | None = None) -> CheckResult:
    """The result of a check held back until ``until``: no request was sent."""
    now = now or utc_now()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return CheckResult(
        Status.RATE_LIMITED,
        M.HELD_BACK.format(clock=local_clock(until), minutes=minutes),
        HOLD_BACK_HINT,
        checked_at=now,
        retry_at=until,
        request_sent=False,
    )


# --- before checking many --------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetWarning:
    """Checking the entries named would take a budget over its limit."""

    budget_id: str
    entry_names: list[str]
    used: int
    planned: int
    limit: int

    @property
    def message(self) -> str:
        names = ", ".join(self.entry_names)
        template = M.OVER_SHARED_BUDGET if len(self.entry_names) > 1 else M.OVER_BUDGET
        return template.format(names=names, used=self.used, limit=self.limit, planned=self.planned)


def forecast(
    state: State, entries: Sequence[Entry], now: datetime | None = None
) -> list[BudgetWarning]:
    """A warning for each budget that checking ``entries`` would take over its limit:
    where the requests used plus the checks that would send one (those not held back)
    exceed the limit. Empty when all is well."""
    now = now or utc_now()
    by_budget: dict[str, list[Entry]] = {}
    seen: set[str] = set()
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            by_budget.setdefault(state.budget_of(entry.id), []).append(entry)
    warnings = []
    for budget_id, members in by_budget.items():
        sending = [e for e in members if held_back_until(state, e.id, now) is None]
        if not sending:
            continue
        used = used_last_hour(state, sending[0].id, now)
        limit = limit_of(state, sending[0].id, now)
        if used + len(sending) > limit:
            warnings.append(
                BudgetWarning(budget_id, [e.name for e in sending], used, len(sending), limit)
            )
    return warnings
