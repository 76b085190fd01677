"""Checking keys: the plan of a run, then one entry at a time or many at once on a
bounded pool of threads.

Given the state, a check respects the rate budget: an entry whose budget is held back
after a 429 is not checked (its key is not even read) unless the check is forced.
The network modules (requests) are imported by the first check, not with this module:
the window plans its checks with it from its first paint on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from . import messages as M
from .budget import BudgetGrouper, BudgetWarning, forecast, held_back_result, held_back_until
from .entries import Entry
from .keys import masked
from .secrets import KeyBatch, SecretStore, SecretStoreError
from .state import State
from .status import CheckResult, Status
from .times import utc_now
from .urls import IS_CONNECTED_PATH

if TYPE_CHECKING:
    from .client import ApiClient

MAX_PARALLEL_CHECKS = 8

log = logging.getLogger(__name__)


def check_key(client: ApiClient, base_url: str, key: str) -> CheckResult:
    """``GET /is-connected`` with ``key``, classified. Never raises for network trouble."""
    from .classify import classify_answer, get_or_failure, unreadable_answer

    answer = get_or_failure(client, base_url, IS_CONNECTED_PATH, key)
    if isinstance(answer, CheckResult):
        return _without_key(answer, key)
    try:
        result = classify_answer(answer, base_url)
    except Exception as exc:  # a server answer we failed to read must not stop a whole run
        result = unreadable_answer(answer, exc, base_url)
    return _without_key(result, key)


def _without_key(result: CheckResult, key: str) -> CheckResult:
    """``result`` with the key masked wherever the server quoted it (a proxy or an older
    server naming the key it refused): results are shown, logged and kept in state.json."""
    if not key:
        return result
    shown = masked(key[-4:])

    def clean(text: str | None) -> str | None:
        return text.replace(key, shown) if text and key in text else text

    fields = {"message": result.message, "hint": result.hint, "location": result.location}
    if all(clean(v) == v for v in fields.values()):
        return result
    return replace(
        result,
        message=clean(result.message) or "",
        hint=clean(result.hint) or "",
        location=clean(result.location),
    )


def no_secret_result() -> CheckResult:
    return CheckResult(
        Status.NO_SECRET,
        M.NO_SECRET,
        M.NO_SECRET_HINT,
        request_sent=False,
    )


def no_key_saved_result() -> CheckResult:
    """The result of a check of an entry that was never given a key (an imported one)."""
    return CheckResult(
        Status.NO_SECRET,
        M.NO_KEY_SAVED,
        M.NO_KEY_SAVED_HINT,
        request_sent=False,
    )


def never_given_a_key(state: State, entry: Entry) -> bool:
    """Whether this app never stored a key for ``entry`` (imported entries come without):
    no hint of one, and its id never written to the keyring."""
    return not entry.key_hint and entry.id not in state.secret_ids


def has_no_key(state: State, entry: Entry) -> bool:
    """Whether ``entry`` is known to have no key saved: it was never given one, or its
    last check found none (a new key drops that outcome: ``Vault.replace_key``)."""
    if never_given_a_key(state, entry):
        return True
    shown = state.shown(entry.id)
    return shown is not None and shown.status is Status.NO_SECRET


def explain_missing_key(state: State, entry: Entry, result: CheckResult) -> CheckResult:
    """``result``, or, when the keyring held no key for an entry never given one, the
    result that says so (and not that another program deleted it)."""
    if result.status is Status.NO_SECRET and never_given_a_key(state, entry):
        return no_key_saved_result()
    return result


def keyring_error_result(error: SecretStoreError) -> CheckResult:
    return CheckResult(Status.KEYRING_ERROR, error.message, error.hint, request_sent=False)


@dataclass(frozen=True)
class CheckPlan:
    """What a run of checks will do, decided before anything is sent: the one place the
    rate-limit policy is applied, for ``sipstory-keys check`` and the window alike.

    ``send``: the entries to check now, in order, each once. ``held``: the entries held
    back after a 429 (no key read, nothing sent), each with the result to show and keep.
    ``warnings``: the budgets that sending would take over their hourly limit.
    """

    send: tuple[Entry, ...]
    held: tuple[tuple[Entry, CheckResult], ...] = ()
    warnings: tuple[BudgetWarning, ...] = ()

    @property
    def held_until(self) -> datetime | None:
        """Until when the latest of the held entries is held back (None: none is)."""
        return max((r.retry_at for _, r in self.held if r.retry_at), default=None)

    def result_of(self, entry: Entry) -> CheckResult | None:
        """The held-back result of ``entry``; None when it is sent."""
        return next((result for held, result in self.held if held.id == entry.id), None)


def plan_checks(
    state: State, entries: Sequence[Entry], *, force: bool = False, now: datetime | None = None
) -> CheckPlan:
    """Plan checks of ``entries`` given the results and budgets in ``state``: those whose
    budget is held back after a 429 are not sent unless ``force``; the budgets the others
    would take over their limit are warned about (not when ``force``)."""
    now = now or utc_now()
    unique = list({entry.id: entry for entry in entries}.values())
    if force:
        return CheckPlan(tuple(unique))
    send: list[Entry] = []
    held: list[tuple[Entry, CheckResult]] = []
    for entry in unique:
        until = held_back_until(state, entry.id, now)
        if until is None:
            send.append(entry)
        else:
            held.append((entry, held_back_result(until, now)))
    return CheckPlan(tuple(send), tuple(held), tuple(forecast(state, send, now)))


def check_entry(
    client: ApiClient,
    secrets: SecretStore,
    entry: Entry,
    *,
    state: State | None = None,
    force: bool = False,
    grouper: BudgetGrouper | None = None,
) -> CheckResult:
    """Read the entry's key from the keyring and check it. Blocks: run it off the GUI thread.

    With ``state``, an entry whose budget is held back after a 429 gets a ``rate_limited``
    result at once, without reading its key or sending anything, unless ``force``.
    With ``grouper``, the key read is noted there, to find the entries that share a budget.
    """
    if state is not None:
        held = plan_checks(state, [entry], force=force).result_of(entry)
        if held is not None:
            return held
    return check_from_batch(client, KeyBatch(secrets, [entry.id]), entry, grouper)


def check_with_key(
    client: ApiClient, entry: Entry, key: str | None, grouper: BudgetGrouper | None = None
) -> CheckResult:
    """Check ``entry`` with its ``key`` as read from the keyring (None: the keyring holds
    none). With ``grouper``, the key is noted there, to find the entries sharing a budget."""
    if key is None:
        return no_secret_result()
    if grouper is not None:
        grouper.add(entry, key)
    return check_key(client, entry.base_url, key)


def check_from_batch(
    client: ApiClient, keys: KeyBatch, entry: Entry, grouper: BudgetGrouper | None = None
) -> CheckResult:
    """Check ``entry`` with its key from a run's :class:`KeyBatch` (any thread): the
    check of one entry in a run, for :func:`check_entries` and the window's check session."""
    try:
        key = keys.get(entry.id)
    except SecretStoreError as error:
        return keyring_error_result(error)
    return check_with_key(client, entry, key, grouper)


def check_entries(
    client: ApiClient,
    secrets: SecretStore,
    entries: Sequence[Entry],
    *,
    max_workers: int = MAX_PARALLEL_CHECKS,
    on_result: Callable[[Entry, CheckResult], None] | None = None,
    state: State | None = None,
    force: bool = False,
    budgets_out: dict[str, str] | None = None,
) -> list[CheckResult]:
    """Check ``entries`` concurrently (at most ``max_workers`` at a time), in their order.

    Keys are read through one :class:`KeyBatch` (a locked keyring is met once). With
    ``state``, the run follows :func:`plan_checks`: entries held back after a 429 get
    their held-back result without a request, unless ``force``. ``budgets_out``, when
    given, is filled with entry id -> budget id for every entry whose key was read
    (entries with the same key on the same instance share one), for
    ``Vault.record(..., budgets=...)``.
    """
    if not entries:
        return []
    from concurrent.futures import ThreadPoolExecutor  # not at start: only runs need it

    plan = plan_checks(state, entries, force=force) if state is not None else CheckPlan(())
    held = {entry.id: result for entry, result in plan.held}
    keys = KeyBatch(secrets, [e.id for e in entries if e.id not in held])
    grouper = BudgetGrouper()

    def run(entry: Entry) -> CheckResult:
        result = held.get(entry.id) or check_from_batch(client, keys, entry, grouper)
        if state is not None:
            result = explain_missing_key(state, entry, result)
        if on_result is not None:
            on_result(entry, result)
        return result

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(entries)))) as pool:
            return list(pool.map(run, entries))
    finally:
        if budgets_out is not None:
            budgets_out.update(grouper.budgets())
