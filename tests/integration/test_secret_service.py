"""The secret store on the real Secret Service: gnome-keyring on a private D-Bus session."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.SecretService
import pytest
import secretstorage

from sipstory_desktop.core.secrets import SecretErrorKind, SecretStore, SecretStoreError
from tests.support.real_parts import running_secret_service

pytestmark = pytest.mark.secret_service


@pytest.fixture
def on_test_bus(secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in secret_service.items():
        monkeypatch.setenv(name, value)


def real_store(timeout: float = 10.0) -> SecretStore:
    return SecretStore(backend=keyring.backends.SecretService.Keyring(), timeout=timeout)


@pytest.mark.usefixtures("on_test_bus")
def test_store_read_and_delete_a_key():
    store = real_store()
    key, entry_id = secrets.token_hex(32), secrets.token_hex(16)
    info = store.backend_info()
    assert (info.name, info.secure, info.available) == (
        "GNOME Keyring (Secret Service)",
        True,
        True,
    )
    assert store.get(entry_id) is None
    store.set(entry_id, key)
    assert store.get(entry_id) == key
    assert real_store().get(entry_id) == key  # a second connection sees it too
    assert store.delete(entry_id) is True
    assert store.get(entry_id) is None
    assert store.delete(entry_id) is False


def test_keyring_default_backend_is_found_on_the_bus(secret_service: dict[str, str]):
    """In a fresh process, as the app starts: keyring's own choice is the Secret Service."""
    env = {**os.environ, **secret_service}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    probe = (
        "from sipstory_desktop.core.secrets import SecretStore\n"
        "print(SecretStore(timeout=10).backend_info().name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "GNOME Keyring (Secret Service)"


@pytest.fixture
def locked_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with running_secret_service(tmp_path) as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield


@pytest.mark.usefixtures("locked_bus")
def test_a_locked_collection_gives_a_clear_error_not_a_hang():
    store = real_store(timeout=10)
    entry_id, key = secrets.token_hex(16), secrets.token_hex(32)
    store.set(entry_id, key)
    connection = secretstorage.dbus_init()
    secretstorage.get_default_collection(connection).lock()
    with pytest.raises(SecretStoreError) as caught:
        store.get(entry_id)
    assert caught.value.kind in (SecretErrorKind.LOCKED, SecretErrorKind.TIMEOUT)
    assert "lock" in caught.value.message.lower() or "answer" in caught.value.message.lower()
    assert caught.value.hint
    assert key not in str(caught.value)


@pytest.mark.usefixtures("on_test_bus")
def test_many_keys_are_read_over_one_connection(monkeypatch: pytest.MonkeyPatch):
    store = real_store()
    stored = {secrets.token_hex(16): secrets.token_hex(32) for _ in range(12)}
    for entry_id, key in stored.items():
        store.set(entry_id, key)
    other = SecretStore(backend=keyring.backends.SecretService.Keyring(), timeout=10.0)
    other.set("not-asked-for", "x" * 40)  # another entry of the app: not returned
    missing = secrets.token_hex(16)
    connections: list[int] = []
    dbus_init = secretstorage.dbus_init

    def counted() -> object:
        connections.append(1)
        return dbus_init()

    monkeypatch.setattr(secretstorage, "dbus_init", counted)
    keys = store.get_many([*stored, missing])

    assert len(connections) == 1  # one connection, one session: not one per key
    assert keys == {**stored, missing: None}
    for entry_id in [*stored, "not-asked-for"]:
        store.delete(entry_id)
