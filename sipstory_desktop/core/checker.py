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
    try:
        return classify_answer(answer, base_url)
    except Exception as exc:  # a server answer we failed to read must not stop a whole run
        log.exception("could not classify an answer from %s", base_url)
        return CheckResult(
            Status.UNEXPECTED,
            f"The answer (HTTP {answer.status}) could not be read: {type(exc).__name__}.",
            "Check the base URL; if this persists, report it with the app's log.",
            http_status=answer.status,
            latency_ms=answer.latency_ms,
        )


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

    The first key is read alone, so that a keyring that is locked, missing or slow to
    answer is met once (one prompt, one timeout) rather than by every worker; when that
    fails, every entry gets the failure without asking the keyring again.
    """
    if not entries:
        return []
    try:
        first_key = secrets.get(entries[0].id)
    except SecretStoreError as error:
        failed = keyring_error_result(error)
        for entry in entries:
            if on_result is not None:
                on_result(entry, failed)
        return [failed] * len(entries)

    def run(index: int) -> CheckResult:
        entry = entries[index]
        if index:
            result = check_entry(client, secrets, entry)
        elif first_key is None:
            result = no_secret_result()
        else:
            result = check_key(client, entry.base_url, first_key)
        if on_result is not None:
            on_result(entry, result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(entries)))) as pool:
        return list(pool.map(run, range(len(entries))))
