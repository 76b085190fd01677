"""An in-memory keyring backend that notes when it is touched, for the benchmarks.

Chosen with ``PYTHON_KEYRING_BACKEND=recording_keyring.RecordingKeyring`` (``bench/`` on
``PYTHONPATH``), it is created by keyring's own backend resolution, so the app runs its
real code path. Its creation and every get/set/delete are noted in ``keyring_watch``.
"""

from __future__ import annotations

from keyring_watch import note

from sipstory_desktop.demo.memory_keyring import MemoryKeyring


class RecordingKeyring(MemoryKeyring):
    """A :class:`MemoryKeyring` that notes when it is created and called."""

    priority = 0.1  # never chosen unless asked for

    def __init__(self) -> None:
        note("backend created")
        super().__init__()

    def __bool__(self) -> bool:
        # MemoryKeyring has __len__, so an empty one is falsy, and keyring's
        # ``load_env() or load_config() or <detect>`` would then ignore it and detect a
        # backend of its own (every installed backend imported and probed).
        return True

    def get_password(self, service: str, username: str) -> str | None:
        note("get_password")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        note("set_password")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        note("delete_password")
        super().delete_password(service, username)
