"""Checking keys: one entry at a time, or many at once on a bounded pool of threads.

Given the state, a check respects the rate budget: an entry whose budget is held back
after a 429 is not checked (its key is not even read) unless the check is forced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from .budget import BudgetGrouper, held_back_result, held_back_until
from .classify import classify_answer, get_or_failure, unreadable_answer
from .client import ApiClient
from .entries import Entry
from .secrets import SecretStore, SecretStoreError
from .state import State
from .status import CheckResult, Status
from .times import utc_now
from .urls import IS_CONNECTED_PATH

MAX_PARALLEL_CHECKS = 8

log = logging.getLogger(__name__)


def check_key(client: ApiClient, base_url: str, key: str) -> CheckResult:
    """``GET /is-connected`` with ``key``, classified. Never raises for network trouble."""
    answer = get_or_failure(client, base_url, IS_CONNECTED_PATH, key)
    if isinstance(answer, CheckResult):
        return answer
    try:
        return classify_answer(answer, base_url)
    except Exception as exc:  # a server answer we failed to read must not stop a whole run
        return unreadable_answer(answer, exc, base_url)


def no_secret_result() -> CheckResult:
    return CheckResult(
        Status.NO_SECRET,
        "The keyring holds no key for this entry.",
        "It may have been deleted from the keyring by another program: replace the key "
        "(sipstory-keys remove, then add; or Replace key in the window).",
        request_sent=False,
    )


def keyring_error_result(error: SecretStoreError) -> CheckResult:
    return CheckResult(Status.KEYRING_ERROR, error.message, error.hint, request_sent=False)


def _held_back(state: State | None, force: bool, entry: Entry) -> CheckResult | None:
    if state is None or force:
        return None
    now = utc_now()
    until = held_back_until(state, entry.id, now)
    return None if until is None else held_back_result(until, now)


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
    held = _held_back(state, force, entry)
    if held is not None:
        return held
    try:
        key = secrets.get(entry.id)
    except SecretStoreError as error:
        return keyring_error_result(error)
    return check_with_key(client, entry, key, grouper)


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

    The first key is read alone, so that a keyring that is locked, missing or slow to
    answer is met once (one prompt, one timeout) rather than by every worker; when that
    fails, every entry gets the failure without asking the keyring again. The other keys
    are read in one call (:meth:`SecretStore.get_many`); if that fails, each entry reads
    its own, and a failure is that entry's only.

    With ``state``, entries whose budget is held back after a 429 are not checked (see
    :func:`check_entry`) unless ``force``. ``budgets_out``, when given, is filled with
    entry id -> budget id for every entry whose key was read (entries with the same key
    on the same instance share one), for ``Vault.record(..., budgets=...)``.
    """
    if not entries:
        return []
    held = [_held_back(state, force, entry) for entry in entries]
    to_check = [index for index, result in enumerate(held) if result is None]
    grouper = BudgetGrouper()

    def deliver(entry: Entry, result: CheckResult) -> CheckResult:
        if on_result is not None:
            on_result(entry, result)
        return result

    first_key: str | None = None
    if to_check:
        first = entries[to_check[0]]
        try:
            first_key = secrets.get(first.id)
        except SecretStoreError as error:
            failed = keyring_error_result(error)
            return [deliver(entry, held[i] or failed) for i, entry in enumerate(entries)]
    keys: dict[str, str | None] = {}
    if len(to_check) > 1:
        try:
            keys = secrets.get_many([entries[index].id for index in to_check[1:]])
        except SecretStoreError:
            keys = {}  # each entry reads its own key below

    def run(index: int) -> CheckResult:
        entry = entries[index]
        held_result = held[index]
        if held_result is not None:
            result = held_result
        elif index == to_check[0]:
            result = check_with_key(client, entry, first_key, grouper)
        elif entry.id in keys:
            result = check_with_key(client, entry, keys[entry.id], grouper)
        else:
            result = check_entry(client, secrets, entry, grouper=grouper)
        return deliver(entry, result)

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(entries)))) as pool:
            return list(pool.map(run, range(len(entries))))
    finally:
        if budgets_out is not None:
            budgets_out.update(grouper.budgets())
