"""The vault a command works on, and the entry it names."""

from __future__ import annotations

from ..core.entries import Entry
from ..core.paths import app_paths
from ..core.secrets import SecretStore
from ..core.vault import Vault
from .output import UsageError, print_notices


def open_vault() -> Vault:
    return Vault(app_paths(), SecretStore())


def no_entry(name: str) -> UsageError:
    return UsageError(f"No entry called '{name}'; 'sipstory-keys list' shows the names.")


def find_entry(vault: Vault, name: str) -> Entry:
    """The entry called ``name``, after the vault's notices; a UsageError if there is none."""
    entry = vault.find(name)
    print_notices(vault)
    if entry is None:
        raise no_entry(name)
    return entry
