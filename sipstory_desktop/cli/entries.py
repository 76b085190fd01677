"""``list``, ``add``, ``remove`` and ``replace-key``: the saved entries and their keys."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import datetime
from typing import Any

from ..core.budget import limit_of, shown_used, used_last_hour
from ..core.checker import has_no_key
from ..core.entries import Entry, EntryKind
from ..core.keys import masked
from ..core.secrets import SecretErrorKind, SecretStore, SecretStoreError
from ..core.state import State
from ..core.status import Status
from ..core.times import ago, to_iso, utc_now
from ..core.vault import Vault
from .output import EXIT_OK, Printer, UsageError, print_notices
from .vault_access import find_entry, open_vault


def cmd_list(args: argparse.Namespace) -> int:
    vault = open_vault()
    entries = vault.entries()
    state = vault.load_state()
    print_notices(vault)
    now = utc_now()
    if args.json:
        print(json.dumps([_entry_json(e, state, now) for e in entries], indent=2))
        return EXIT_OK
    if not entries:
        print(
            "No entries yet. Add one with: sipstory-keys add NAME --cloud  (the key is read "
            "from standard input or a hidden prompt)"
        )
        return EXIT_OK
    printer = Printer(sys.stdout)
    rows, widths = [], []
    for entry in entries:
        result = state.shown(entry.id)  # even a check that sent nothing (no key...)
        sent = state.latest(entry.id)  # "checked": when a request was last sent
        status = result.status if result else Status.UNCHECKED
        plain = f"{printer.symbols[status.light]} {status.label}"
        used = f"{shown_used(state, entry.id, now)}/{limit_of(state, entry.id, now)}"
        checked = ago(sent.checked_at if sent else None, now)
        cells = [
            printer.light(status),
            entry.name,
            entry.base_url,
            "No key saved" if has_no_key(state, entry) else masked(entry.key_hint),
            checked,
            used,
        ]
        rows.append(cells)
        widths.append([len(plain), *(len(c) for c in cells[1:])])
    printer.table(["STATUS", "NAME", "BASE URL", "KEY", "CHECKED", "LAST HOUR"], rows, widths)
    print(_keyring_line(vault))
    return EXIT_OK


def _keyring_line(vault: Vault) -> str:
    """Which keyring holds the keys: "Keys in KeePassXC (Secret Service)."."""
    try:
        info = vault.backend_info()
    except SecretStoreError as exc:
        return f"Keys: {exc.message}"
    if not info.available:
        return "Keys: no keyring is available."
    return f"Keys in {info.name}."


def _entry_json(entry: Entry, state: State, now: datetime) -> dict[str, Any]:
    result = state.shown(entry.id)  # even a check that sent nothing (no key...)
    sent = state.latest(entry.id)
    return {
        "name": entry.name,
        "base_url": entry.base_url,
        "kind": entry.kind.value,
        "key_hint": entry.key_hint,
        "note": entry.note,
        "last_status": (result.status if result else Status.UNCHECKED).value,
        "last_checked_at": to_iso(sent.checked_at) if sent else None,
        "last_message": result.message if result else None,
        "checks_last_hour": used_last_hour(state, entry.id, now),
        "created_at": to_iso(entry.created_at),
        "updated_at": to_iso(entry.updated_at),
    }


def _read_key() -> str:
    """The key from a hidden prompt on a terminal, else the first line of standard input."""
    if sys.stdin is None:
        raise UsageError("No key given: pipe it on standard input.")
    if sys.stdin.isatty():
        try:
            return getpass.getpass("API key (typing is hidden): ")
        except (EOFError, KeyboardInterrupt):
            raise UsageError("No key entered.") from None
    line = sys.stdin.readline()
    if not line.strip():
        raise UsageError(
            "No key on standard input: pipe the key as the first line, for example "
            "'sipstory-keys add NAME --cloud < keyfile'."
        )
    return line


def cmd_add(args: argparse.Namespace) -> int:
    if args.cloud:
        kind, address = EntryKind.CLOUD, ""
    elif args.instance is not None:
        kind, address = EntryKind.SELF_HOSTED, args.instance
    else:
        kind, address = EntryKind.CUSTOM, args.base_url
    vault = open_vault()
    saved = vault.add(args.name, kind, address, _read_key(), note=args.note or "")
    print_notices(vault)
    for note in saved.notes:
        print(f"note: {note}", file=sys.stderr)
    info = vault.backend_info()
    print(
        f"Added '{saved.entry.name}' ({saved.entry.base_url}), key "
        f"{masked(saved.entry.key_hint)} stored in {info.name}."
    )
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    vault = open_vault()
    entry = find_entry(vault, args.name)
    vault.remove(entry.id)
    print(f"Removed '{entry.name}' and deleted its key from the keyring.")
    return EXIT_OK


def cmd_replace_key(args: argparse.Namespace) -> int:
    vault = open_vault()
    entry = find_entry(vault, args.name)
    saved = vault.replace_key(entry.id, _read_key())
    for note in saved.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"Stored a new key {masked(saved.entry.key_hint)} for '{entry.name}'.")
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace) -> int:
    """Ask the keyring to unlock: KeePassXC shows its unlock dialog; wait for the answer."""
    store = SecretStore(on_prompt=None)
    info = store.backend_info()
    print(
        f"Asking {info.name} to unlock; answer its prompt (waiting up to {args.timeout:.0f} s).",
        file=sys.stderr,
    )
    if store.unlock(timeout=args.timeout):
        print(f"{info.name} is unlocked.")
        return EXIT_OK
    raise SecretStoreError(
        SecretErrorKind.LOCKED,
        f"{info.name} stays locked (the prompt was dismissed, or it cannot be unlocked from here).",
        "Unlock it in the keyring's own window, then check again.",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    unlock = commands.add_parser(
        "unlock", help="ask the keyring (KeePassXC, GNOME Keyring) to unlock; answer its prompt"
    )
    unlock.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for an answer (120)"
    )
    unlock.set_defaults(run=cmd_unlock)

    listing = commands.add_parser("list", help="list the saved entries and their last status")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=cmd_list)

    add = commands.add_parser(
        "add",
        help="save a key (read from standard input, or a hidden prompt)",
        description="Save a key. The key is read from the first line of standard input or, "
        "on a terminal, from a prompt that does not echo. Never pass it as an argument.",
    )
    add.add_argument("name", help="a name for this key, unique")
    server = add.add_mutually_exclusive_group(required=True)
    server.add_argument("--cloud", action="store_true", help="a Sipstory Cloud key")
    server.add_argument(
        "--instance",
        metavar="ADDRESS",
        help="a self-hosted instance: sipstory.example.com means "
        "https://sipstory.example.com/api/public/v1",
    )
    server.add_argument("--base-url", metavar="URL", help="the API base URL, taken as given")
    add.add_argument("--note", help="a note to keep with the entry")
    add.set_defaults(run=cmd_add)

    remove = commands.add_parser("remove", help="remove an entry and delete its key")
    remove.add_argument("name")
    remove.set_defaults(run=cmd_remove)

    # "Replace key" in the window. Its first name, set-key, still works (scripts use it) but
    # is not listed: argparse lists only the commands given a help=, and an alias (aliases=)
    # would widen the whole list to fit "replace-key (set-key)".
    replace_key = commands.add_parser(
        "replace-key", help="store a new key for an entry (after a rotation, or an import)"
    )
    set_key = commands.add_parser("set-key")
    for parser in (replace_key, set_key):
        parser.add_argument("name")
        parser.set_defaults(run=cmd_replace_key)
