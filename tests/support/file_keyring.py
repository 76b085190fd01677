"""A test-only keyring that keeps its passwords in a JSON file, for crash tests.

The real Secret Service costs a D-Bus round trip and a daemon per test; the crash tests
run hundreds of ``sipstory-keys`` subprocesses, so they use this instead. A subprocess
selects it with keyring's own mechanism, no change to the app:

    PYTHONPATH=.    (the repository's root: IMPORT_ROOT)
    PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring    (BACKEND_NAME)
    ROBUST_KEYRING_FILE=/some/dir/keyring.json

The file is replaced atomically (temp file, fsync, rename, fsync of the folder) under an
exclusive ``flock``, so a process killed at any moment leaves the old or the new file,
whole: what the tests see in it after a SIGKILL is exactly what the app managed to store.

``ROBUST_KEYRING_PAUSE`` (test rig only) names points at which the process stops itself
with SIGSTOP, once, so that the test can kill it at an exact place: ``before-set``,
``after-set``, ``before-delete``, ``after-delete``, ``after-get``. A point ``after-*``
is reached once the file on disk already holds the change.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VARIABLE = "ROBUST_KEYRING_FILE"
PAUSE_VARIABLE = "ROBUST_KEYRING_PAUSE"
BACKEND_NAME = "tests.support.file_keyring.FileKeyring"
# What PYTHONPATH must hold for keyring to import BACKEND_NAME: the repository's root.
IMPORT_ROOT = Path(__file__).resolve().parents[2]
PAUSE_POINTS = ("before-set", "after-set", "before-delete", "after-delete", "after-get")


def read_store(path: Path) -> dict[str, dict[str, str]]:
    """Everything in a keyring file: ``{service: {username: password}}``; {} if absent."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    data: Any = json.loads(raw.decode("utf-8"))  # a damaged file must fail loudly
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a keyring file")
    return {str(s): {str(u): str(p) for u, p in users.items()} for s, users in data.items()}


class FileKeyring(KeyringBackend):
    """Passwords in one JSON file, replaced atomically; see the module's docstring."""

    @properties.classproperty
    def priority(cls) -> float:
        """Low, and not viable at all without its file: keyring itself may meet this class
        (it looks at every imported backend) in a process that never asked for it."""
        if not os.environ.get(FILE_VARIABLE):
            raise RuntimeError(f"{FILE_VARIABLE} is not set")
        return 0.01

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        where = path if path is not None else os.environ.get(FILE_VARIABLE, "")
        if not where:
            raise RuntimeError(f"{FILE_VARIABLE} is not set")
        self.path = Path(where)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._pause_at = {p for p in os.environ.get(PAUSE_VARIABLE, "").split(",") if p}
        self._paused = False
        self._thread_lock = threading.Lock()

    # --- the test rig's pause points -------------------------------------------------------

    def _pause(self, point: str) -> None:
        """Stop this whole process (every thread) at ``point``, the first time only."""
        with self._thread_lock:
            if point not in self._pause_at or self._paused:
                return
            self._paused = True
        os.kill(os.getpid(), signal.SIGSTOP)

    # --- the file --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the flock

    def _write(self, store: dict[str, dict[str, str]]) -> None:
        data = json.dumps(store, sort_keys=True).encode("utf-8")
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".keyring.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    # --- KeyringBackend ----------------------------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        password = read_store(self.path).get(service, {}).get(username)
        self._pause("after-get")
        return password

    def set_password(self, service: str, username: str, password: str) -> None:
        self._pause("before-set")
        with self._locked():
            store = read_store(self.path)
            store.setdefault(service, {})[username] = password
            self._write(store)
        self._pause("after-set")

    def delete_password(self, service: str, username: str) -> None:
        self._pause("before-delete")
        with self._locked():
            store = read_store(self.path)
            if store.get(service, {}).pop(username, None) is None:
                raise PasswordDeleteError("no such password")
            if not store[service]:
                del store[service]
            self._write(store)
        self._pause("after-delete")
