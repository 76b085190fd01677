"""An entry: one API key, the instance it belongs to, and what the user calls it."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from . import messages as M
from .times import from_iso, to_iso, utc_now
from .urls import (
    CLOUD_BASE_URL,
    UrlError,
    base_url_for_instance,
    normalize_base_url,
    origin_of,
)

MAX_NAME_LENGTH = 80
MAX_NOTE_LENGTH = 2000


class EntryKind(str, enum.Enum):
    """Where the key belongs."""

    CLOUD = "cloud"
    SELF_HOSTED = "self_hosted"
    CUSTOM = "custom"


class EntryError(ValueError):
    """An entry that cannot be saved as it is; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One saved key. The key itself lives in the keyring under :attr:`id`."""

    name: str
    kind: EntryKind
    base_url: str
    id: str = field(default_factory=lambda: os.urandom(16).hex())  # 32 hex digits, random
    note: str = ""
    key_hint: str = ""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)

    def edited(self, **changes: Any) -> Entry:
        """A copy with ``changes`` applied and ``updated_at`` set to now."""
        return replace(self, updated_at=utc_now(), **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "base_url": self.base_url,
            "note": self.note,
            "key_hint": self.key_hint,
            "created_at": to_iso(self.created_at),
            "updated_at": to_iso(self.updated_at),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Entry:
        """Read one entry of the config file; raises :class:`EntryError` on anything odd."""
        if not isinstance(data, dict):
            raise EntryError("an entry is not an object")
        try:
            strings = {
                k: data[k] for k in ("id", "name", "kind", "base_url", "created_at", "updated_at")
            }
        except KeyError as exc:
            raise EntryError(f"an entry lacks '{exc.args[0]}'") from None
        optional = {k: data.get(k, "") for k in ("note", "key_hint")}
        for key, value in {**strings, **optional}.items():
            if not isinstance(value, str):
                raise EntryError(f"an entry's '{key}' is not text")
        try:
            kind = EntryKind(strings["kind"])
            created, updated = from_iso(strings["created_at"]), from_iso(strings["updated_at"])
        except ValueError as exc:
            raise EntryError(f"an entry has a bad value: {exc}") from None
        name = check_name(strings["name"])
        if not strings["id"] or not strings["id"].isalnum():
            raise EntryError("an entry has a bad id")
        try:
            base_url = normalize_base_url(strings["base_url"])
        except UrlError as exc:
            raise EntryError(f"entry '{name}': {exc}") from None
        return cls(
            name=name,
            kind=kind,
            base_url=base_url,
            id=strings["id"],
            note=optional["note"][:MAX_NOTE_LENGTH],
            key_hint=optional["key_hint"][-4:],
            created_at=created,
            updated_at=updated,
        )


def check_name(name: str) -> str:
    """A name trimmed and checked; raises :class:`EntryError` with the reason."""
    name = name.strip()
    if not name:
        raise EntryError(M.NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise EntryError(M.NAME_TOO_LONG.format(limit=MAX_NAME_LENGTH))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise EntryError(M.NAME_CONTROL)
    return name


def resolve_base_url(kind: EntryKind, address: str = "") -> str:
    """The base URL for ``kind``: the cloud's, an instance address's, or a custom URL."""
    if kind is EntryKind.CLOUD:
        return CLOUD_BASE_URL
    if kind is EntryKind.SELF_HOSTED:
        return base_url_for_instance(address)
    return normalize_base_url(address)


def find_by_name(entries: list[Entry], name: str) -> Entry | None:
    """The entry called ``name``, ignoring case and surrounding spaces."""
    wanted = name.strip().casefold()
    return next((e for e in entries if e.name.casefold() == wanted), None)


def choose_entry(
    entries: list[Entry], name: str | None, instance: str | None, default_name: str | None
) -> Entry:
    """The entry a command is about: the one called ``name``; else the only one on
    ``instance`` (an address or base URL); else the one called ``default_name`` (from
    ``SIPSTORY_ENTRY``). Raises :class:`EntryError` saying what to do, with the candidates
    when there are several."""
    if name:
        found = find_by_name(entries, name)
        if found is None:
            raise EntryError(f"No entry called '{name}'; 'sipstory-keys list' shows the names.")
        return found
    if instance:
        try:
            wanted = origin_of(base_url_for_instance(instance))
        except UrlError:
            wanted = origin_of(normalize_base_url(instance))  # a base URL; raises if neither
        on_it = [e for e in entries if origin_of(e.base_url) == wanted]
        if len(on_it) == 1:
            return on_it[0]
        if not on_it:
            raise EntryError(f"No entry belongs to {wanted}; 'sipstory-keys list' shows them.")
        names = ", ".join(f"'{e.name}'" for e in on_it)
        raise EntryError(f"{len(on_it)} entries belong to {wanted} ({names}): name one.")
    if default_name:
        found = find_by_name(entries, default_name)
        if found is None:
            raise EntryError(
                f"SIPSTORY_ENTRY names '{default_name}', but no entry is called that; "
                "'sipstory-keys list' shows the names."
            )
        return found
    raise EntryError(
        "Which entry? Name it (sipstory-keys list shows them), or give --instance ADDRESS, "
        "or set SIPSTORY_ENTRY."
    )


def free_name(name: str, taken: set[str]) -> str:
    """``Name (imported)``, else ``Name (imported 2)``, ...: the first not in ``taken``
    (casefolded), shortened to fit :data:`MAX_NAME_LENGTH`."""
    number = 1
    while True:
        suffix = " (imported)" if number == 1 else f" (imported {number})"
        candidate = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1
