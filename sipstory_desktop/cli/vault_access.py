"""The vault a command works on, and the entry it names."""

from __future__ import annotations

import sys

from ..core.entries import Entry
from ..core.paths import app_paths
from ..core.secrets import SecretStore
from ..core.vault import Vault
from .output import UsageError, print_notices


def open_vault() -> Vault:
    store = SecretStore()

    def say_waiting() -> None:  # a keyring call waits for the user (KeePassXC asks)
        info = store.known_info()
        print(
            f"Waiting for {info.name if info else 'the keyring'}: answer its prompt to allow "
            "sipstory-keys to read the keys.",
            file=sys.stderr,
            flush=True,
        )

    store.on_prompt = say_waiting
    return Vault(app_paths(), store)


def no_entry(name: str) -> UsageError:
    return UsageError(f"No entry called '{name}'; 'sipstory-keys list' shows the names.")


def find_entry(vault: Vault, name: str) -> Entry:
    """The entry called ``name``, after the vault's notices; a UsageError if there is none."""
    entry = vault.find(name)
    print_notices(vault)
    if entry is None:
        raise no_entry(name)
    return entry
