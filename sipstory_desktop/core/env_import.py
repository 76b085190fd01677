"""Moving keys out of dotenv files into the keyring: what each find becomes (a new entry,
the key of an entry that has none, or nothing: already saved), checking the finds if asked,
and saving the chosen ones. Used by ``sipstory-keys import-env`` and the window's
File -> Import keys from .env files. Scrubbing the files is :func:`.dotenv_keys.scrub`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .checker import check_key, plan_checks
from .dotenv_keys import FoundKey, ScannedFile, ScrubError, scrub
from .entries import EntryKind, check_name, free_name
from .keys import clean_key, masked
from .status import CheckResult
from .urls import CLOUD_BASE_URL

if TYPE_CHECKING:
    from .client import ApiClient
    from .vault import Saved, Vault


class Outcome(str, enum.Enum):
    NEW = "new"  # a new entry
    KEY_OF = "key_of"  # the key of an entry whose keyring holds none
    SAVED = "saved"  # this key is an entry's already: nothing to store


@dataclass(frozen=True)
class EnvKey:
    """One key found in one or more places, and what saving it does."""

    places: tuple[FoundKey, ...]
    key: str = field(repr=False)
    base_url: str
    outcome: Outcome
    entry_name: str  # the new entry's name, or the existing entry's
    entry_id: str | None = None  # the existing entry's
    check: CheckResult | None = None

    @property
    def shown_key(self) -> str:
        return masked(self.key[-4:])

    @property
    def where(self) -> str:
        return "; ".join(place.where for place in self.places)

    def to_json(self) -> dict[str, object]:
        """For ``--json``: no key, only its last four characters."""
        return {
            "places": [
                {"file": str(p.path), "lines": list(p.lines), "variable": p.variable}
                for p in self.places
            ],
            "key": self.shown_key,
            "base_url": self.base_url,
            "outcome": self.outcome.value,
            "entry": self.entry_name,
            "status": self.check.status.value if self.check else None,
        }


def plan_env_import(vault: Vault, scanned: Sequence[ScannedFile]) -> list[EnvKey]:
    """What each key found would become, in the order found. Reads the keys of the
    entries on the same base URLs from the keyring (to tell a key already saved)."""
    grouped: dict[tuple[str, str], list[FoundKey]] = {}
    for file in scanned:
        for found in file.found:
            try:
                key = clean_key(found.key).key
            except ValueError:
                continue  # not a key (spaces inside, empty): not offered
            grouped.setdefault((key, found.base_url), []).append(found)
    entries = vault.entries()
    urls = {base_url for _, base_url in grouped}
    nearby = [e for e in entries if e.base_url in urls]
    stored = vault.secrets.get_many([e.id for e in nearby]) if nearby else {}
    taken = {e.name.casefold() for e in entries}
    planned = []
    for (key, base_url), places in grouped.items():
        same = next((e for e in nearby if e.base_url == base_url and stored.get(e.id) == key), None)
        keyless = [e for e in nearby if e.base_url == base_url and stored.get(e.id) is None]
        if same is not None:
            planned.append(EnvKey(tuple(places), key, base_url, Outcome.SAVED, same.name, same.id))
        elif len(keyless) == 1:
            entry = keyless[0]
            planned.append(
                EnvKey(tuple(places), key, base_url, Outcome.KEY_OF, entry.name, entry.id)
            )
            nearby.remove(entry)  # one key for it
        else:
            name = _suggested_name(places, scanned)
            name = name if name.casefold() not in taken else free_name(name, taken)
            taken.add(name.casefold())
            planned.append(EnvKey(tuple(places), key, base_url, Outcome.NEW, name))
    return planned


def check_env_keys(client: ApiClient, vault: Vault, keys: Iterable[EnvKey]) -> list[EnvKey]:
    """The keys with their checks (one request each); an existing entry held back after a
    429 is not sent (its held-back result instead). Blocks: not on a GUI thread."""
    state = vault.load_state()
    by_id = {e.id: e for e in vault.entries()}
    checked = []
    for env_key in keys:
        entry = by_id.get(env_key.entry_id or "")
        held = plan_checks(state, [entry]).result_of(entry) if entry else None
        checked.append(
            replace(env_key, check=held or check_key(client, env_key.base_url, env_key.key))
        )
    return checked


def save_env_keys(vault: Vault, keys: Iterable[EnvKey]) -> list[Saved]:
    """Store the keys (those already saved are left as they are): new entries, or the key
    of the entry that had none. Stops at the first failure, which it raises."""
    saved = []
    for env_key in keys:
        if env_key.outcome is Outcome.NEW:
            kind = EntryKind.CLOUD if env_key.base_url == CLOUD_BASE_URL else EntryKind.CUSTOM
            address = "" if kind is EntryKind.CLOUD else env_key.base_url
            note = f"Imported from {env_key.where}."
            saved.append(vault.add(env_key.entry_name, kind, address, env_key.key, note=note))
        elif env_key.outcome is Outcome.KEY_OF and env_key.entry_id:
            saved.append(vault.replace_key(env_key.entry_id, env_key.key))
    return saved


def _suggested_name(places: Sequence[FoundKey], scanned: Sequence[ScannedFile]) -> str:
    """The project's folder ("acme" for ~/code/acme/.env), with the variable when its file
    holds more than one key."""
    first = places[0]
    folder = first.path.resolve().parent.name or first.path.name
    same_file = next((f for f in scanned if f.path == first.path), None)
    alone = same_file is None or len({p.key for p in same_file.found}) <= 1
    name = folder if alone else f"{folder} {first.variable}"
    try:
        return check_name(name[:80])
    except ValueError:
        return check_name(first.variable)


@dataclass(frozen=True)
class Scrubbed:
    """One file after :func:`scrub_files`: its backup, or why it was left as it was."""

    path: Path
    backup: Path | None
    problem: str = ""


def scrub_files(scanned: Sequence[ScannedFile], keys: Iterable[EnvKey]) -> list[Scrubbed]:
    """Take ``keys`` out of the files they were found in (see :func:`.dotenv_keys.scrub`):
    each file is done or left alone on its own."""
    moved = [(place, key.entry_name) for key in keys for place in key.places]
    done = []
    for file in scanned:
        mine = [(place, name) for place, name in moved if place.path == file.path]
        if not mine:
            continue
        try:
            done.append(Scrubbed(file.path, scrub(file, mine)))
        except ScrubError as error:
            done.append(Scrubbed(file.path, None, str(error)))
    return done
