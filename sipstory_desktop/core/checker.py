"""Checking keys: one entry at a time, or many at once on a bounded pool of threads."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import requests

from .classify import classify_answer, classify_failure
from .client import ApiClient
from .entries import Entry
from .secrets import SecretStore, SecretStoreError
from .status import CheckResult, Status

MAX_PARALLEL_CHECKS = 8
IS_CONNECTED_PATH = "/is-connected"

log = logging.getLogger(__name__)


def check_key(client: ApiClient, base_url: str, key: str) -> CheckResult:
    """``GET /is-connected`` with ``key``, classified. Never raises for network trouble."""
    started = time.monotonic()
    try:
        answer = client.get(base_url, IS_CONNECTED_PATH, key)
    except (requests.RequestException, OSError, ValueError) as exc:
        elapsed = round((time.monotonic() - started) * 1000)
        log.debug("check of %s failed: %s", base_url, type(exc).__name__)
        return classify_failure(exc, base_url, client.timeouts.total, latency_ms=elapsed)
    return classify_answer(answer, base_url)


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


def check_entry(client: ApiClient, secrets: SecretStore, entry: Entry) -> CheckResult:
    """Read the entry's key from the keyring and check it. Blocks: run it off the GUI thread."""
    try:
        key = secrets.get(entry.id)
    except SecretStoreError as error:
        return keyring_error_result(error)
    if key is None:
        return no_secret_result()
    return check_key(client, entry.base_url, key)


def check_entries(
    client: ApiClient,
    secrets: SecretStore,
    entries: Sequence[Entry],
    *,
    max_workers: int = MAX_PARALLEL_CHECKS,
    on_result: Callable[[Entry, CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Check ``entries`` concurrently (at most ``max_workers`` at a time), in their order.

    Keys are read from the keyring one after another on this thread (keyring backends
    are not all safe to share between threads); only the HTTP checks run in parallel.
    """
    keys: list[str | CheckResult] = []
    keyring_failure: SecretStoreError | None = None
    for entry in entries:
        if keyring_failure is not None:
            keys.append(keyring_error_result(keyring_failure))
            continue
        try:
            key = secrets.get(entry.id)
        except SecretStoreError as error:
            keyring_failure = error
            keys.append(keyring_error_result(error))
            continue
        keys.append(key if key is not None else no_secret_result())

    def run(index: int) -> CheckResult:
        entry, key = entries[index], keys[index]
        result = key if isinstance(key, CheckResult) else check_key(client, entry.base_url, key)
        if on_result is not None:
            on_result(entry, result)
        return result

    if not entries:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(entries)))) as pool:
        return list(pool.map(run, range(len(entries))))
