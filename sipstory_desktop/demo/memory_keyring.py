"""A keyring that lives in memory for one session: for the demo and for fast tests."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict; forgets them when the process ends."""

    priority = 0.1  # never chosen unless asked for

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._store.pop((service, username), None) is None:
                raise PasswordDeleteError("no such password")

    def __len__(self) -> int:
        return len(self._store)
