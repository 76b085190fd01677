"""The config file: the saved entries, never their keys.

Writes are atomic with a backup of the previous version. Every change runs under a lock
between processes and re-reads the file first, so the window and ``sipstory-keys`` can
change it at the same time without losing each other's work. A damaged file is set aside
under a timestamped name and the backup restored, and the user is told.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from . import messages as M
from .entries import Entry, EntryError
from .fileio import LockTimeout, atomic_write, backup_path, locked
from .paths import AppPaths
from .times import utc_now

SCHEMA_VERSION = 1
MAX_CONFIG_BYTES = 8 * 1024 * 1024

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """The config cannot be read or written; the message says what to do."""


def _lock_failure(lock_path: object, exc: OSError) -> str:
    return (
        f"Cannot lock {lock_path}: {exc.strerror or exc}. Check that the folder is writable "
        "by you; nothing was changed."
    )


class _Damaged(Exception):
    """The file exists but is not a config we can read."""


def _parse(raw: bytes) -> list[Entry]:
    if len(raw) > MAX_CONFIG_BYTES:
        raise _Damaged("the file is too large to be a config")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: huge ints
        raise _Damaged(f"not valid JSON ({type(exc).__name__})") from None
    if not isinstance(document, dict):
        raise _Damaged("not a JSON object")
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise _Damaged("no schema version")
    if schema > SCHEMA_VERSION:
        raise ConfigError(
            f"The config was written by a newer Sipstory Desktop (schema {schema}); "
            "update the app to use it. It was left untouched."
        )
    items = document.get("entries")
    if not isinstance(items, list):
        raise _Damaged("'entries' is not a list")
    try:
        return [Entry.from_dict(item) for item in items]
    except EntryError as exc:
        raise _Damaged(str(exc)) from None


def _serialize(entries: list[Entry]) -> bytes:
    document: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "entries": [entry.to_dict() for entry in entries],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class ConfigStore:
    """Reads and changes ``config.json``.

    ``notices`` collects what the user must be told (a damaged file set aside, say).
    """

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.config_file
        self._lock_path = paths.lock_file
        self.notices: list[str] = []

    def load(self) -> list[Entry]:
        """The saved entries; an absent file means none."""
        try:
            return self._read()
        except _Damaged:
            return self._recover()

    def update(self, change: Callable[[list[Entry]], list[Entry]]) -> list[Entry]:
        """Apply ``change`` to the entries as they are on disk now, and save the result.

        ``change`` may raise to abort; nothing is written then.
        """
        try:
            with locked(self._lock_path):
                try:
                    current = self._read()
                except _Damaged:
                    current = self._recover_locked()
                result = change(list(current))
                self._write(result)
                return result
        except LockTimeout:
            raise ConfigError(
                "Another Sipstory Desktop process is holding the config; try again in a moment."
            ) from None
        except OSError as exc:  # the lock file cannot be made or opened
            raise ConfigError(_lock_failure(self._lock_path, exc)) from None

    def _read(self) -> list[Entry]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ConfigError(f"Cannot read {self.path}: {exc.strerror}.") from None
        return _parse(raw)

    def _write(self, entries: list[Entry]) -> None:
        try:
            atomic_write(self.path, _serialize(entries))
        except OSError as exc:
            raise ConfigError(
                f"Cannot save {self.path}: {exc.strerror or exc}. Nothing was changed."
            ) from None

    def _recover(self) -> list[Entry]:
        try:
            with locked(self._lock_path):
                try:  # another process may have recovered it meanwhile
                    return self._read()
                except _Damaged:
                    return self._recover_locked()
        except LockTimeout:
            raise ConfigError(
                "The config is damaged and another process is holding it; try again."
            ) from None
        except OSError as exc:
            raise ConfigError(_lock_failure(self._lock_path, exc)) from None

    def _recover_locked(self) -> list[Entry]:
        try:
            _parse(self.path.read_bytes())
            reason = "unreadable"
        except _Damaged as exc:
            reason = str(exc)
        try:  # first: a backup we may not use stops us before anything moves
            entries = self._read_backup()
        except ConfigError:
            raise ConfigError(
                f"The config file is damaged ({reason}) and its backup was written by a newer "
                "Sipstory Desktop: update the app to recover it. Both files were left "
                "untouched."
            ) from None
        stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        number = 1
        while aside.exists():  # never overwrite a file set aside earlier
            number += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{number}")
        self.path.replace(aside)
        log.warning("config damaged (%s); set aside as %s", reason, aside.name)
        if entries is None:
            self.notices.append(M.CONFIG_LOST.format(reason=reason, aside=aside))
            return []
        self._write(entries)
        self.notices.append(
            M.CONFIG_RESTORED.format(reason=reason, aside=aside, count=len(entries))
        )
        return entries

    def _read_backup(self) -> list[Entry] | None:
        try:
            return _parse(backup_path(self.path).read_bytes())
        except (OSError, _Damaged):
            return None
