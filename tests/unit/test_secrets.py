"""The keyring store: reads and writes, backend names, error mapping and timeouts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import ClassVar

import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from sipstory_desktop.core.secrets import (
    SERVICE_NAME,
    KeyBatch,
    SecretErrorKind,
    SecretStore,
    SecretStoreError,
    describe_backend,
)
from sipstory_desktop.demo.memory_keyring import MemoryKeyring

KEY = "5e" * 32


def _no_key_in(text: str) -> None:
    leaked = KEY in text or KEY[:16] in text
    assert not leaked, "the key text appears in an error"


class _Raising(KeyringBackend):
    """A backend whose every call raises what ``make`` returns."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, make: Callable[[], BaseException]) -> None:
        super().__init__()
        self._make = make

    def get_password(self, service: str, username: str) -> str | None:
        raise self._make()

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self._make()

    def delete_password(self, service: str, username: str) -> None:
        raise self._make()


class _DeleteFails(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("Item is locked")


class _SetFails(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("Failed to unlock the collection!")


class _Blocking(KeyringBackend):
    """A backend whose calls wait on ``release``, like an unlock prompt nobody answers."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release
        self.entered = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.entered.set()
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entered.set()
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(30)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # let the blocked worker threads end


# --- reads and writes ------------------------------------------------------------------------


def test_set_get_delete(secrets: SecretStore, memory_keyring: MemoryKeyring) -> None:
    assert secrets.get("entry1") is None
    secrets.set("entry1", KEY)
    stored = secrets.get("entry1")
    same = stored == KEY
    assert same, "the key read back differs"
    in_backend = memory_keyring.get_password(SERVICE_NAME, "entry1") == KEY
    assert in_backend, "the key is not stored under the app's service name"
    assert secrets.delete("entry1") is True
    assert secrets.get("entry1") is None
    assert len(memory_keyring) == 0


def test_delete_of_an_absent_key_is_false(secrets: SecretStore) -> None:
    assert secrets.delete("never-stored") is False


def test_keys_are_per_entry(secrets: SecretStore) -> None:
    secrets.set("a", KEY)
    secrets.set("b", KEY[::-1])
    secrets.delete("a")
    assert secrets.get("a") is None
    assert secrets.get("b") is not None


def test_get_many_reads_every_key_once_in_one_call(
    secrets: SecretStore, memory_keyring: MemoryKeyring
) -> None:
    secrets.set("a", KEY)
    secrets.set("b", KEY[::-1])
    keys = secrets.get_many(["b", "missing", "a", "b"])
    assert list(keys) == ["b", "missing", "a"]  # in order, each once
    assert keys["missing"] is None
    assert (keys["a"], keys["b"]) == (KEY, KEY[::-1])
    assert secrets.get_many([]) == {}


def test_get_many_fails_as_get_does() -> None:
    store = SecretStore(backend=_Raising(lambda: keyring.errors.KeyringLocked("locked")))
    with pytest.raises(SecretStoreError) as raised:
        store.get_many(["a", "b"])
    assert raised.value.kind is SecretErrorKind.LOCKED


def test_default_backend_is_keyrings_choice() -> None:
    store = SecretStore(timeout=5.0)  # the autouse fixture made it a MemoryKeyring
    store.set("x", KEY)
    assert store.get("x") is not None
    assert store.backend_info().name.startswith("Demo keyring")


# --- backend names ---------------------------------------------------------------------------


def test_describe_memory_keyring() -> None:
    info = describe_backend(MemoryKeyring())
    assert info.name == "Demo keyring (in memory, this session only)"
    assert info.available
    assert info.secure
    assert info.technical_name == "sipstory_desktop.demo.memory_keyring.MemoryKeyring"


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()]
)
def test_describe_no_keyring(backend: KeyringBackend) -> None:
    info = describe_backend(backend)
    assert info.available is False
    assert info.secure is False
    assert info.name == "no keyring"


def test_describe_a_chainer_names_its_first_backend() -> None:
    class _Chain(ChainerBackend):
        backends: ClassVar[list[KeyringBackend]] = [  # type: ignore[misc]
            MemoryKeyring(),
            keyring.backends.fail.Keyring(),
        ]

    info = describe_backend(_Chain())
    assert info.name.startswith("Demo keyring")
    assert info.available


def test_describe_an_unknown_backend_by_its_class_name() -> None:
    class SomeVendorKeyring(MemoryKeyring):
        pass

    info = describe_backend(SomeVendorKeyring())
    assert info.name == "SomeVendorKeyring"
    assert info.available
    assert info.technical_name.endswith(".SomeVendorKeyring")


def test_backend_info_is_probed_once(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(backend=memory_keyring, timeout=5.0)
    first = store.backend_info()
    assert store.backend_info() is first


def test_fail_keyring_is_unavailable_for_every_call() -> None:
    store = SecretStore(backend=keyring.backends.fail.Keyring(), timeout=5.0)
    for call in (lambda: store.get("a"), lambda: store.set("a", KEY), lambda: store.delete("a")):
        with pytest.raises(SecretStoreError) as caught:
            call()
        assert caught.value.kind is SecretErrorKind.UNAVAILABLE
        assert caught.value.hint
        _no_key_in(str(caught.value))


# --- error mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind", "words"),
    [
        (keyring.errors.NoKeyringError, SecretErrorKind.UNAVAILABLE, "No system keyring"),
        (lambda: keyring.errors.KeyringLocked("locked"), SecretErrorKind.LOCKED, "locked"),
        (
            lambda: keyring.errors.InitError("Failed to create the collection: Prompt dismissed."),
            SecretErrorKind.LOCKED,
            "prompt was dismissed",
        ),
        (
            lambda: keyring.errors.InitError("Failed to open the D-Bus session"),
            SecretErrorKind.UNAVAILABLE,
            "could not be opened",
        ),
        (
            lambda: keyring.errors.PasswordSetError("Failed to unlock the collection!"),
            SecretErrorKind.FAILED,
            "refused to store",
        ),
        (
            lambda: keyring.errors.PasswordDeleteError("Item not found"),
            SecretErrorKind.FAILED,
            "refused to delete",
        ),
        (lambda: RuntimeError("dbus went away"), SecretErrorKind.FAILED, "RuntimeError"),
        (lambda: OSError(5, "I/O error"), SecretErrorKind.FAILED, "OSError"),
    ],
)
@pytest.mark.parametrize("operation", ["get", "set", "delete"])
def test_errors_are_mapped(
    make: Callable[[], BaseException], kind: SecretErrorKind, words: str, operation: str
) -> None:
    store = SecretStore(backend=_Raising(make), timeout=5.0)
    calls = {
        "get": lambda: store.get("entry"),
        "set": lambda: store.set("entry", KEY),
        "delete": lambda: store.delete("entry"),
    }
    with pytest.raises(SecretStoreError) as caught:
        calls[operation]()
    error = caught.value
    assert error.kind is kind
    assert words.lower() in error.message.lower()
    assert error.hint.strip()
    assert error.__cause__ is None  # raised "from None": no backend traceback attached
    _no_key_in(str(error))
    _no_key_in(error.message + error.hint)


def test_generic_failure_names_the_operation() -> None:
    store = SecretStore(backend=_Raising(lambda: RuntimeError("boom")), timeout=5.0)
    with pytest.raises(SecretStoreError, match="store"):
        store.set("entry", KEY)
    with pytest.raises(SecretStoreError, match="read"):
        store.get("entry")


def test_generic_failure_message_is_bounded() -> None:
    store = SecretStore(backend=_Raising(lambda: RuntimeError("x" * 10_000)), timeout=5.0)
    with pytest.raises(SecretStoreError) as caught:
        store.get("entry")
    assert len(caught.value.message) < 400


def test_error_str_is_message_and_hint() -> None:
    error = SecretStoreError(SecretErrorKind.LOCKED, "It is locked.", "Unlock it.")
    assert str(error) == "It is locked. Unlock it."


def test_set_failure_on_a_real_backend_class(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(backend=_SetFails(), timeout=5.0)
    with pytest.raises(SecretStoreError) as caught:
        store.set("a", KEY)
    assert caught.value.kind is SecretErrorKind.FAILED
    assert "unlock" in caught.value.message.lower()
    _no_key_in(str(caught.value))


def test_delete_failure_is_mapped_after_a_successful_read() -> None:
    backend = _DeleteFails()
    backend.set_password(SERVICE_NAME, "a", KEY)
    store = SecretStore(backend=backend, timeout=5.0)
    with pytest.raises(SecretStoreError) as caught:
        store.delete("a")
    assert caught.value.kind is SecretErrorKind.FAILED
    assert store.get("a") is not None


def test_base_exceptions_pass_through_untranslated() -> None:
    """Only ``Exception`` is translated; a BaseException passes through as it is."""
    store = SecretStore(backend=_Raising(SystemExit), timeout=5.0)
    with pytest.raises(SystemExit):
        store.get("a")


# --- timeouts --------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["get", "set", "delete"])
def test_a_blocking_backend_times_out(release: threading.Event, operation: str) -> None:
    backend = _Blocking(release)
    store = SecretStore(backend=backend, timeout=0.2)
    calls = {
        "get": lambda: store.get("a"),
        "set": lambda: store.set("a", KEY),
        "delete": lambda: store.delete("a"),
    }
    with pytest.raises(SecretStoreError) as caught:
        calls[operation]()
    assert caught.value.kind is SecretErrorKind.TIMEOUT
    assert "did not answer" in caught.value.message
    assert "prompt" in caught.value.hint
    _no_key_in(str(caught.value))


def test_store_works_again_once_the_backend_answers(release: threading.Event) -> None:
    backend = _Blocking(release)
    store = SecretStore(backend=backend, timeout=0.2)
    with pytest.raises(SecretStoreError):
        store.get("a")
    release.set()
    assert store.get("a") is None


def test_a_blocking_probe_times_out(
    release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_get_keyring() -> KeyringBackend:
        release.wait(30)
        return MemoryKeyring()

    monkeypatch.setattr(keyring, "get_keyring", slow_get_keyring)
    store = SecretStore(timeout=0.2)
    with pytest.raises(SecretStoreError) as caught:
        store.backend_info()
    assert caught.value.kind is SecretErrorKind.TIMEOUT


# --- a batch of keys for a run of checks ----------------------------------------------------


class _Reading(MemoryKeyring):
    """Counts reads; every read raises ``failure`` when set (made anew each time)."""

    def __init__(self, failure: Callable[[], Exception] | None = None) -> None:
        super().__init__()
        self.failure = failure
        self.reads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append(username)
        if self.failure is not None:
            raise self.failure()
        return super().get_password(service, username)


def _batch_of(backend: _Reading, ids: list[str]) -> tuple[KeyBatch, list[list[str]]]:
    store = SecretStore(backend=backend, timeout=5.0)
    calls: list[list[str]] = []
    get_many = store.get_many

    def counted(entry_ids: list[str]) -> dict[str, str | None]:
        calls.append(list(entry_ids))
        return get_many(entry_ids)

    store.get_many = counted  # type: ignore[method-assign]
    return KeyBatch(store, ids), calls


def test_a_batch_reads_the_first_key_alone_and_the_rest_in_one_call_whoever_asks_first() -> None:
    backend = _Reading()
    ids = [f"e{n}" for n in range(12)]
    for entry_id in ids[:-1]:
        backend.set_password(SERVICE_NAME, entry_id, KEY + entry_id)
    batch, calls = _batch_of(backend, ids)
    got: dict[str, str | None] = {}
    threads = [threading.Thread(target=lambda i=i: got.update({i: batch.get(i)})) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert calls == [ids[1:]]  # one call for the eleven others, whichever thread asked
    assert backend.reads[0] == ids[0]  # the first alone: a locked keyring is met once
    assert sorted(backend.reads) == sorted(ids)  # each key read once
    assert got == {**{i: KEY + i for i in ids[:-1]}, ids[-1]: None}


def test_a_locked_keyring_fails_the_whole_batch_after_one_read() -> None:
    backend = _Reading(lambda: keyring.errors.KeyringLocked("locked"))
    batch, calls = _batch_of(backend, ["a", "b", "c"])
    for entry_id in ("a", "b", "c"):
        with pytest.raises(SecretStoreError) as raised:
            batch.get(entry_id)
        assert raised.value.kind is SecretErrorKind.LOCKED
    assert backend.reads == ["a"]  # one prompt, not one per entry
    assert calls == []  # the others are not even asked for


def test_after_another_failure_each_entry_reads_its_own_key() -> None:
    backend = _Reading(lambda: RuntimeError("one item is damaged"))
    batch, calls = _batch_of(backend, ["a", "b", "c"])
    backend.set_password(SERVICE_NAME, "c", KEY)
    with pytest.raises(SecretStoreError) as raised:
        batch.get("a")  # the first read fails, and so does the read of the others
    assert raised.value.kind is SecretErrorKind.FAILED
    assert calls == [["b", "c"]]  # a damaged item is not a locked keyring: read on
    with pytest.raises(SecretStoreError):
        batch.get("b")  # its own read fails too
    backend.failure = None  # "c" reads fine on its own
    assert batch.get("c") == KEY
    assert backend.reads == ["a", "b", "b", "c"]


def test_a_replaced_key_is_read_again_by_its_check() -> None:
    backend = _Reading()
    backend.set_password(SERVICE_NAME, "a", "old")
    backend.set_password(SERVICE_NAME, "b", "bee")
    batch, calls = _batch_of(backend, ["a", "b"])
    assert batch.get("b") == "bee"  # the batch is read: "a" is "old" in it
    backend.set_password(SERVICE_NAME, "a", "new")
    batch.forget("a")
    assert batch.get("a") == "new"
    assert len(calls) == 1


def test_get_many_gives_each_key_its_own_time_on_a_slow_keyring(release: threading.Event) -> None:
    store = SecretStore(backend=_Blocking(release), timeout=0.2)
    started = time.monotonic()
    with pytest.raises(SecretStoreError) as raised:
        store.get_many(["a", "b", "c"])
    assert raised.value.kind is SecretErrorKind.TIMEOUT
    assert 0.5 < time.monotonic() - started < 5  # 3 keys x 0.2 s, not 0.2 s for all


def test_a_keyring_that_stops_answering_after_the_first_key_fails_the_rest_once() -> None:
    backend = _Reading()
    ids = [f"e{n}" for n in range(20)]
    for entry_id in ids:
        backend.set_password(SERVICE_NAME, entry_id, KEY + entry_id)
    batch, calls = _batch_of(backend, ids)
    store = batch._store

    def hung(_ids: list[str]) -> dict[str, str | None]:
        calls.append(list(_ids))
        raise SecretStoreError(SecretErrorKind.TIMEOUT, "The keyring did not answer.", "Retry.")

    store.get_many = hung  # type: ignore[method-assign]
    assert batch.get(ids[0]) == KEY + ids[0]  # read alone, before
    for entry_id in ids[1:]:
        with pytest.raises(SecretStoreError) as raised:
            batch.get(entry_id)
        assert raised.value.kind is SecretErrorKind.TIMEOUT
    assert calls == [ids[1:]] and backend.reads == [ids[0]]  # no 19 more waits of their own


class _Undecodable(MemoryKeyring):
    """An item whose secret is not UTF-8 (written by another program): decoding fails
    with a text that quotes a byte of the secret."""

    def get_password(self, service: str, username: str) -> str | None:
        raise UnicodeDecodeError("utf-8", b"sk-\xe9\x9fsecret", 3, 4, "invalid continuation")


def test_an_undecodable_secret_is_reported_without_any_byte_of_it() -> None:
    with pytest.raises(SecretStoreError) as raised:
        SecretStore(backend=_Undecodable(), timeout=5.0).get("a")
    said = f"{raised.value.message} {raised.value.hint} {raised.value}"
    assert "UnicodeDecodeError" in said
    assert "0xe9" not in said and "position" not in said
