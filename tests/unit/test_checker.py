"""Checking entries: keys from the keyring, results in order, bounded concurrency."""

from __future__ import annotations

import threading

import keyring.errors
import pytest
import requests
import responses

from sipstory_desktop.core.checker import (
    IS_CONNECTED_PATH,
    check_entries,
    check_entry,
    keyring_error_result,
    no_secret_result,
)
from sipstory_desktop.core.client import ApiClient
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.secrets import (
    SERVICE_NAME,
    SecretErrorKind,
    SecretStore,
    SecretStoreError,
)
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.demo.memory_keyring import MemoryKeyring

GOOD = "11" * 32
ROTATED = "22" * 32


def _entry(name: str, host: str) -> Entry:
    return Entry(
        name=name, kind=EntryKind.CUSTOM, base_url=f"https://{host}.example.com/api/public/v1"
    )


def _url(entry: Entry) -> str:
    return entry.base_url + IS_CONNECTED_PATH


class _CountingKeyring(MemoryKeyring):
    """Counts reads; raises KeyringLocked for ids in ``locked``, a damaged item's error for
    ids in ``damaged``."""

    def __init__(self, locked: set[str] | None = None, damaged: set[str] | None = None) -> None:
        super().__init__()
        self.locked = locked or set()
        self.damaged = damaged or set()
        self.reads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append(username)
        if username in self.locked or "*" in self.locked:
            raise keyring.errors.KeyringLocked("Collection is locked")
        if username in self.damaged:
            raise RuntimeError("this item cannot be decoded")
        return super().get_password(service, username)


def test_no_secret_result_sends_nothing() -> None:
    result = no_secret_result()
    assert result.status is Status.NO_SECRET
    assert result.request_sent is False
    assert not result.counted
    assert result.hint


def test_keyring_error_result_carries_the_message_and_hint() -> None:
    error = SecretStoreError(SecretErrorKind.LOCKED, "The keyring is locked.", "Unlock it.")
    result = keyring_error_result(error)
    assert result.status is Status.KEYRING_ERROR
    assert result.message == "The keyring is locked."
    assert result.hint == "Unlock it."
    assert result.request_sent is False


def test_check_entry_without_a_key(
    mocked: responses.RequestsMock, client: ApiClient, secrets: SecretStore
) -> None:
    entry = _entry("a", "a")
    result = check_entry(client, secrets, entry)
    assert result.status is Status.NO_SECRET
    assert result.request_sent is False
    assert len(mocked.calls) == 0


def test_check_entry_with_a_key(
    mocked: responses.RequestsMock, client: ApiClient, secrets: SecretStore
) -> None:
    entry = _entry("a", "a")
    secrets.set(entry.id, GOOD)
    mocked.get(_url(entry), json={"connected": True})
    assert check_entry(client, secrets, entry).status is Status.CONNECTED
    sent = mocked.calls[0].request.headers["Authorization"] == GOOD
    assert sent, "the entry's own key was not sent"


def test_check_entry_with_a_locked_keyring(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    store = SecretStore(backend=_CountingKeyring({"*"}), timeout=5.0)
    result = check_entry(client, store, _entry("a", "a"))
    assert result.status is Status.KEYRING_ERROR
    assert "locked" in result.message
    assert len(mocked.calls) == 0


def test_check_entries_in_order_with_each_status(
    mocked: responses.RequestsMock,
    client: ApiClient,
    secrets: SecretStore,
) -> None:
    good, rotated, missing, web = (
        _entry("good", "good"),
        _entry("rotated", "rotated"),
        _entry("missing", "missing"),
        Entry(name="web", kind=EntryKind.CUSTOM, base_url="https://web.example.com"),
    )
    secrets.set(good.id, GOOD)
    secrets.set(rotated.id, ROTATED)
    secrets.set(web.id, GOOD)

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        if request.headers["Authorization"] == GOOD:
            return 200, {"Content-Type": "application/json"}, '{"connected": true}'
        return 401, {"Content-Type": "application/json"}, '{"msg": "Invalid API key"}'

    for entry in (good, rotated, missing):
        mocked.add_callback(responses.GET, _url(entry), callback=answer)
    mocked.get(web.base_url + IS_CONNECTED_PATH, body="<html></html>", content_type="text/html")

    seen: list[tuple[str, Status]] = []
    lock = threading.Lock()

    def on_result(entry: Entry, result: CheckResult) -> None:
        with lock:
            seen.append((entry.name, result.status))

    entries = [good, rotated, missing, web]
    results = check_entries(client, secrets, entries, on_result=on_result)
    assert [r.status for r in results] == [
        Status.CONNECTED,
        Status.INVALID_KEY,
        Status.NO_SECRET,
        Status.NOT_API,
    ]
    assert results[2].request_sent is False
    assert sorted(seen) == sorted((e.name, r.status) for e, r in zip(entries, results, strict=True))
    assert len(mocked.calls) == 3  # nothing sent for the entry without a key


def test_check_entries_of_nothing(client: ApiClient, secrets: SecretStore) -> None:
    calls: list[object] = []
    assert check_entries(client, secrets, [], on_result=lambda e, r: calls.append(e)) == []
    assert calls == []


def test_a_keyring_failing_at_once_fails_every_entry_asking_once(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    entries = [_entry(f"e{i}", f"h{i}") for i in range(5)]
    backend = _CountingKeyring(locked={"*"})
    store = SecretStore(backend=backend, timeout=5.0)
    for entry in entries:
        mocked.get(_url(entry), json={"connected": True})
    seen: list[str] = []

    results = check_entries(client, store, entries, on_result=lambda e, r: seen.append(e.name))

    assert [r.status for r in results] == [Status.KEYRING_ERROR] * 5
    assert all(not r.request_sent for r in results)
    assert all("locked" in r.message and r.hint for r in results)
    assert backend.reads == [entries[0].id]  # one prompt, one timeout: not one per entry
    assert sorted(seen) == [e.name for e in entries]
    assert len(mocked.calls) == 0


def test_a_damaged_item_fails_that_entry_only(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    entries = [_entry(f"e{i}", f"h{i}") for i in range(5)]
    backend = _CountingKeyring(damaged={entries[2].id})
    for entry in entries:
        backend.set_password(SERVICE_NAME, entry.id, GOOD)
    store = SecretStore(backend=backend, timeout=5.0)
    for entry in entries:
        mocked.get(_url(entry), json={"connected": True})

    results = check_entries(client, store, entries)

    assert results[2].status is Status.KEYRING_ERROR
    assert results[2].request_sent is False
    assert [r.status for r in results[:2]] == [Status.CONNECTED] * 2
    sent_to = {call.request.url for call in mocked.calls}
    assert _url(entries[2]) not in sent_to
    for entry, result in zip(entries, results, strict=True):
        assert (result.status is Status.CONNECTED) == (_url(entry) in sent_to)
    assert [r.status for r in results[3:]] == [Status.CONNECTED] * 2  # read on their own


def test_a_keyring_locked_after_the_first_key_fails_the_rest_with_one_prompt(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    entries = [_entry(f"e{i}", f"h{i}") for i in range(5)]
    backend = _CountingKeyring(locked={e.id for e in entries[2:]})
    for entry in entries:
        backend.set_password(SERVICE_NAME, entry.id, GOOD)
    store = SecretStore(backend=backend, timeout=5.0)
    for entry in entries:
        mocked.get(_url(entry), json={"connected": True})

    results = check_entries(client, store, entries)

    assert results[0].status is Status.CONNECTED  # read alone, before
    assert [r.status for r in results[1:]] == [Status.KEYRING_ERROR] * 4
    assert all("locked" in r.message for r in results[1:])
    assert backend.reads.count(entries[2].id) == 1  # one prompt: not one more per entry
    assert backend.reads[3:] == []  # the batch stopped at the locked item; nobody asked again


def test_the_first_key_is_read_alone_and_the_rest_in_one_call(
    mocked: responses.RequestsMock, client: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = [_entry(f"e{i}", f"h{i}") for i in range(6)]
    backend = _CountingKeyring()
    for entry in entries[:-1]:
        backend.set_password(SERVICE_NAME, entry.id, GOOD)
    store = SecretStore(backend=backend, timeout=5.0)
    batches: list[list[str]] = []
    get_many = store.get_many
    monkeypatch.setattr(store, "get_many", lambda ids: batches.append(list(ids)) or get_many(ids))
    for entry in entries:
        mocked.get(_url(entry), json={"connected": True})

    results = check_entries(client, store, entries)

    assert batches == [[e.id for e in entries[1:]]]
    assert sorted(backend.reads) == sorted(e.id for e in entries)  # each key read once
    assert backend.reads[0] == entries[0].id
    assert [r.status for r in results] == [Status.CONNECTED] * 5 + [Status.NO_SECRET]
    assert len(mocked.calls) == 5


def test_an_unavailable_keyring_fails_every_entry(client: ApiClient) -> None:
    import keyring.backends.fail

    store = SecretStore(backend=keyring.backends.fail.Keyring(), timeout=5.0)
    results = check_entries(client, store, [_entry("a", "a"), _entry("b", "b")])
    assert [r.status for r in results] == [Status.KEYRING_ERROR, Status.KEYRING_ERROR]
    assert all(r.hint for r in results)


@pytest.mark.parametrize("max_workers", [1, 3])
def test_concurrency_is_bounded(
    mocked: responses.RequestsMock,
    client: ApiClient,
    secrets: SecretStore,
    max_workers: int,
) -> None:
    """Each answer waits at a barrier of ``max_workers``: the checks must run that many at
    a time (or the barrier breaks), and never more (or the count exceeds it)."""
    entries = [_entry(f"e{i}", f"h{i}") for i in range(max_workers * 3)]
    for entry in entries:
        secrets.set(entry.id, GOOD)
    barrier = threading.Barrier(max_workers)
    lock = threading.Lock()
    active = [0]
    peak = [0]

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            barrier.wait(timeout=10)
        finally:
            with lock:
                active[0] -= 1
        return 200, {"Content-Type": "application/json"}, '{"connected": true}'

    for entry in entries:
        mocked.add_callback(responses.GET, _url(entry), callback=answer)

    results = check_entries(client, secrets, entries, max_workers=max_workers)

    assert [r.status for r in results] == [Status.CONNECTED] * len(entries)
    assert peak[0] == max_workers


def test_default_bound_with_more_entries_than_workers(
    mocked: responses.RequestsMock, client: ApiClient, secrets: SecretStore
) -> None:
    entries = [_entry(f"e{i}", f"h{i}") for i in range(20)]
    for index, entry in enumerate(entries):
        if index % 2 == 0:
            secrets.set(entry.id, GOOD)
        mocked.get(_url(entry), json={"connected": True})
    results = check_entries(client, secrets, entries)
    expected = [Status.CONNECTED if i % 2 == 0 else Status.NO_SECRET for i in range(20)]
    assert [r.status for r in results] == expected
    assert len(mocked.calls) == 10


def test_network_failure_of_one_entry_does_not_stop_the_others(
    mocked: responses.RequestsMock, client: ApiClient, secrets: SecretStore
) -> None:
    down, up = _entry("down", "down"), _entry("up", "up")
    secrets.set(down.id, GOOD)
    secrets.set(up.id, GOOD)
    mocked.get(_url(down), body=requests.exceptions.ConnectionError("refused"))
    mocked.get(_url(up), json={"connected": True})
    results = check_entries(client, secrets, [down, up])
    assert [r.status for r in results] == [Status.UNREACHABLE, Status.CONNECTED]


def test_a_server_that_echoes_the_key_has_it_masked_in_the_result(
    mocked: responses.RequestsMock, client: ApiClient, secrets: SecretStore
) -> None:
    """A proxy or an older server may quote the key it refused: the result (shown, kept in
    state.json, confirmed in the Replace key dialog) never holds it."""
    entry = _entry("a", "a")
    secrets.set(entry.id, GOOD)
    mocked.get(_url(entry), status=401, json={"message": f"Invalid API key '{GOOD}'"})
    result = check_entry(client, secrets, entry)
    assert result.status is Status.INVALID_KEY
    said = f"{result.message} {result.hint} {result.to_dict()}"
    leaked = GOOD in said  # bound: a failure shows no key
    assert not leaked, "the key is in the result"
    assert "Invalid API key" in result.message
