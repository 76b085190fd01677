"""The ``sipstory-keys`` commands, their parser and ``main``."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..core.budget import forecast, held_back_result, held_back_until, limit_of, used_last_hour
from ..core.channels import fetch_channels
from ..core.checker import MAX_PARALLEL_CHECKS, check_entries
from ..core.client import ApiClient, Timeouts
from ..core.config import ConfigError
from ..core.entries import Entry, EntryError, EntryKind
from ..core.find_url import find_api_url
from ..core.keys import InvalidKeyText, masked
from ..core.paths import app_paths
from ..core.secrets import SecretStore, SecretStoreError
from ..core.state import State, StateError
from ..core.status import CheckResult, Light, Status
from ..core.times import ago, to_iso, utc_now
from ..core.transfer import MAX_EXPORT_BYTES, Resolution, TransferError
from ..core.urls import UrlError
from ..core.vault import Vault

EXIT_OK, EXIT_NOT_CONNECTED, EXIT_ERROR = 0, 1, 2

log = logging.getLogger(__name__)


class UsageError(Exception):
    """A mistake in how the command was called; exit status 2."""


# --- output ------------------------------------------------------------------------------

_SYMBOLS = {Light.GREEN: "●", Light.AMBER: "▲", Light.RED: "✖", Light.GREY: "○"}
_ASCII_SYMBOLS = {Light.GREEN: "o", Light.AMBER: "!", Light.RED: "x", Light.GREY: "-"}
_COLOURS = {Light.GREEN: "32", Light.AMBER: "33", Light.RED: "31", Light.GREY: "90"}


class Printer:
    """Writes tables with lights: coloured on a terminal, plain when piped or NO_COLOR."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.colour = (
            out.isatty() and not os.environ.get("NO_COLOR") and (os.environ.get("TERM") != "dumb")
        )
        encoding = (getattr(out, "encoding", None) or "ascii").lower()
        self.symbols = _SYMBOLS if encoding.startswith("utf") else _ASCII_SYMBOLS

    def light(self, status: Status) -> str:
        text = f"{self.symbols[status.light]} {status.label}"
        if self.colour:
            return f"\033[{_COLOURS[status.light]}m{text}\033[0m"
        return text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.colour else text

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        plain_widths: Sequence[Sequence[int]] | None = None,
    ) -> None:
        """Print columns padded to their widest cell (measured without colour codes)."""
        widths = [len(h) for h in header]
        for index, row in enumerate(rows):
            for col, cell in enumerate(row):
                visible = plain_widths[index][col] if plain_widths else len(cell)
                widths[col] = max(widths[col], visible)
        print(
            "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
            file=self.out,
        )
        for index, row in enumerate(rows):
            cells = []
            for col, cell in enumerate(row):
                visible = plain_widths[index][col] if plain_widths else len(cell)
                cells.append(cell + " " * (widths[col] - visible))
            print("  ".join(cells).rstrip(), file=self.out)


def _checked_row(
    printer: Printer, entry: Entry, result: CheckResult | None
) -> tuple[list[str], list[int]]:
    status = result.status if result else Status.UNCHECKED
    light = printer.light(status)
    plain = f"{printer.symbols[status.light]} {status.label}"
    latency = f"{result.latency_ms} ms" if result and result.latency_ms is not None else ""
    cells = [light, entry.name, latency, result.message if result else ""]
    return cells, [len(plain), len(entry.name), len(latency), len(cells[3])]


# --- commands ----------------------------------------------------------------------------


def _make_vault() -> Vault:
    return Vault(app_paths(), SecretStore())


def _print_notices(vault: Vault) -> None:
    for notice in vault.notices:
        print(f"warning: {notice}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    vault = _make_vault()
    entries = vault.entries()
    state = vault.load_state()
    _print_notices(vault)
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
        result = state.latest(entry.id)
        status = result.status if result else Status.UNCHECKED
        plain = f"{printer.symbols[status.light]} {status.label}"
        used = f"{used_last_hour(state, entry.id, now)}/{limit_of(state, entry.id, now)}"
        checked = ago(result.checked_at if result else None, now)
        cells = [
            printer.light(status),
            entry.name,
            entry.base_url,
            masked(entry.key_hint),
            checked,
            used,
        ]
        rows.append(cells)
        widths.append([len(plain), *(len(c) for c in cells[1:])])
    printer.table(["STATUS", "NAME", "BASE URL", "KEY", "CHECKED", "LAST HOUR"], rows, widths)
    return EXIT_OK


def _entry_json(entry: Entry, state: State, now: datetime) -> dict[str, Any]:
    result = state.latest(entry.id)
    return {
        "name": entry.name,
        "base_url": entry.base_url,
        "kind": entry.kind.value,
        "key_hint": entry.key_hint,
        "note": entry.note,
        "last_status": (result.status if result else Status.UNCHECKED).value,
        "last_checked_at": to_iso(result.checked_at) if result else None,
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
        kind, where = EntryKind.CLOUD, ""
    elif args.instance is not None:
        kind, where = EntryKind.SELF_HOSTED, args.instance
    else:
        kind, where = EntryKind.CUSTOM, args.base_url
    vault = _make_vault()
    saved = vault.add(args.name, kind, where, _read_key(), note=args.note or "")
    _print_notices(vault)
    for note in saved.notes:
        print(f"note: {note}", file=sys.stderr)
    info = vault.backend_info()
    print(
        f"Added '{saved.entry.name}' ({saved.entry.base_url}), key "
        f"{masked(saved.entry.key_hint)} stored in {info.name}."
    )
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    vault = _make_vault()
    entry = vault.find(args.name)
    _print_notices(vault)
    if entry is None:
        raise UsageError(f"No entry called '{args.name}'; 'sipstory-keys list' shows the names.")
    vault.remove(entry.id)
    print(f"Removed '{entry.name}' and deleted its key from the keyring.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    vault = _make_vault()
    everything = vault.entries()
    _print_notices(vault)
    if args.names:
        chosen = []
        for name in args.names:
            entry = vault.find(name)
            if entry is None:
                raise UsageError(f"No entry called '{name}'; 'sipstory-keys list' shows the names.")
            if entry not in chosen:
                chosen.append(entry)
    else:
        chosen = everything
    client = ApiClient(Timeouts(connect=min(args.timeout, 5.0), read=args.timeout))
    state = vault.load_state()
    if not args.force:
        for warning in forecast(state, chosen):
            print(f"warning: {warning.message}", file=sys.stderr)
    budgets: dict[str, str] = {}
    results = check_entries(
        client,
        vault.secrets,
        chosen,
        max_workers=args.jobs,
        state=state,
        force=args.force,
        budgets_out=budgets,
    )
    try:
        vault.record(((e.id, r) for e, r in zip(chosen, results, strict=True)), budgets=budgets)
    except StateError as exc:
        print(f"warning: results not saved: {exc}", file=sys.stderr)

    if args.json:
        print(
            json.dumps(
                [
                    {"name": e.name, "base_url": e.base_url, **r.to_dict()}
                    for e, r in zip(chosen, results, strict=True)
                ],
                indent=2,
            )
        )
    elif not chosen:
        print("No entries to check. Add one with: sipstory-keys add NAME --cloud")
    else:
        printer = Printer(sys.stdout)
        rows, widths = [], []
        for entry, result in zip(chosen, results, strict=True):
            cells, plain = _checked_row(printer, entry, result)
            rows.append(cells)
            widths.append(plain)
        printer.table(["STATUS", "NAME", "LATENCY", "MESSAGE"], rows, widths)
        hints = [(e, r) for e, r in zip(chosen, results, strict=True) if not r.ok and r.hint]
        if hints:
            print(file=sys.stdout)
        for entry, result in hints:
            print(f"{entry.name}: {result.hint}", file=sys.stdout)
    if any(r.status is Status.KEYRING_ERROR for r in results):
        first = next(r for r in results if r.status is Status.KEYRING_ERROR)
        print(f"error: {first.message} {first.hint}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK if all(r.ok for r in results) else EXIT_NOT_CONNECTED


def _find(vault: Vault, name: str) -> Entry:
    entry = vault.find(name)
    _print_notices(vault)
    if entry is None:
        raise UsageError(f"No entry called '{name}'; 'sipstory-keys list' shows the names.")
    return entry


def cmd_set_key(args: argparse.Namespace) -> int:
    vault = _make_vault()
    entry = _find(vault, args.name)
    saved = vault.replace_key(entry.id, _read_key())
    for note in saved.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"Stored a new key {masked(saved.entry.key_hint)} for '{entry.name}'.")
    return EXIT_OK


def cmd_channels(args: argparse.Namespace) -> int:
    vault = _make_vault()
    entry = _find(vault, args.name)
    until = held_back_until(vault.load_state(), entry.id)
    if until is not None and not args.force:
        held = held_back_result(until)
        print(f"error: {held.message}\nhint: {held.hint}", file=sys.stderr)
        return EXIT_NOT_CONNECTED
    key = vault.secrets.get(entry.id)
    if key is None:
        raise UsageError(f"The keyring holds no key for '{entry.name}': sipstory-keys set-key.")
    fetched = fetch_channels(ApiClient(), entry.base_url, key)
    vault.save_channels(entry.id, fetched)
    if fetched.channels is None:
        print(f"error: {fetched.check.message}\nhint: {fetched.check.hint}", file=sys.stderr)
        return EXIT_NOT_CONNECTED
    if args.json:
        print(json.dumps([c.to_json() for c in fetched.channels], indent=2, ensure_ascii=False))
    elif not fetched.channels:
        print(f"'{entry.name}' has no channels yet.")
    else:
        rows = [
            [c.platform.name, c.name, c.profile, "disabled" if c.disabled else "", c.customer or ""]
            for c in fetched.channels
        ]
        Printer(sys.stdout).table(["PLATFORM", "NAME", "PROFILE", "STATE", "CUSTOMER"], rows)
    return EXIT_OK


def cmd_find_url(args: argparse.Namespace) -> int:
    found = find_api_url(ApiClient(Timeouts(connect=3.0, read=5.0)), args.address)
    if args.json:
        print(json.dumps(found.to_dict(), indent=2))
    elif found.found:
        print(found.found)
        if found.warning:
            print(f"warning: {found.warning}", file=sys.stderr)
    else:
        print(f"No Sipstory API found at {args.address}. Tried:")
        for probe in found.probes:
            print(f"  {probe.base_url}: {probe.outcome.label}: {probe.detail}")
    return EXIT_OK if found.found else EXIT_NOT_CONNECTED


def cmd_export(args: argparse.Namespace) -> int:
    vault = _make_vault()
    data = vault.export()
    if args.file in (None, "-"):
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    target = Path(args.file)
    if target.exists() and not args.force:
        raise UsageError(f"{target} exists; use --force to replace it.")
    target.write_bytes(data)
    print(f"Exported {len(vault.entries())} entries, without their keys, to {target}.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(MAX_EXPORT_BYTES + 1)
        else:
            with Path(args.file).open("rb") as source:
                data = source.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"Cannot read {args.file}: {exc.strerror or exc}.") from None
    vault = _make_vault()
    plan = vault.preview_import(data)
    for line in plan.preview_lines():
        print(line)
    print(plan.summary())
    if args.dry_run:
        return EXIT_OK
    if plan.conflicts and args.on_conflict is None:
        raise UsageError(
            "Some entries conflict with saved ones; nothing was imported. Choose with "
            "--on-conflict skip|rename|replace (see the preview above)."
        )
    choices = plan.choose_all(Resolution(args.on_conflict)) if plan.conflicts else {}
    outcome = vault.import_entries(plan, choices)
    print(outcome)
    for name in outcome.needs_key:
        print(f"'{name}' has no key yet: sipstory-keys set-key '{name}'")
    return EXIT_OK


def cmd_orphans(args: argparse.Namespace) -> int:
    vault = _make_vault()
    orphans = vault.orphans()
    if not orphans:
        print("No orphaned keys: every key this app stored belongs to an entry.")
        return EXIT_OK
    for entry_id in orphans:
        if args.clean:
            vault.remove_orphan(entry_id)
            print(f"Deleted the orphaned key {entry_id} from the keyring.")
        else:
            print(f"Orphaned key {entry_id}: no entry uses it.")
    if not args.clean:
        print("Delete them with: sipstory-keys orphans --clean")
    return EXIT_OK


# --- parsing -----------------------------------------------------------------------------


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number of seconds") from None
    if not 0.1 <= value <= 300:
        raise argparse.ArgumentTypeError("must be between 0.1 and 300 seconds")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a whole number") from None
    if not 1 <= value <= 32:
        raise argparse.ArgumentTypeError("must be between 1 and 32")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sipstory-keys",
        description="Keep Sipstory API keys in the OS keyring and check that they work.",
        epilog="Exit status: 0 all connected, 1 some entry not connected, 2 usage, config or "
        "keyring error. SIPSTORY_DESKTOP_HOME=DIR keeps config and state under DIR.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="log details to standard error")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

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
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--cloud", action="store_true", help="a Sipstory Cloud key")
    where.add_argument(
        "--instance",
        metavar="ADDRESS",
        help="a self-hosted instance: sipstory.example.com means "
        "https://sipstory.example.com/api/public/v1",
    )
    where.add_argument("--base-url", metavar="URL", help="the API base URL, taken as given")
    add.add_argument("--note", help="a note to keep with the entry")
    add.set_defaults(run=cmd_add)

    remove = commands.add_parser("remove", help="remove an entry and delete its key")
    remove.add_argument("name")
    remove.set_defaults(run=cmd_remove)

    check = commands.add_parser("check", help="check keys against their servers")
    check.add_argument("names", nargs="*", metavar="NAME", help="entries to check (default: all)")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for each answer (default 10)",
    )
    check.add_argument(
        "--force",
        action="store_true",
        help="check even keys held back after a 429 Too Many Requests",
    )
    check.add_argument(
        "--jobs",
        type=_jobs,
        default=MAX_PARALLEL_CHECKS,
        metavar="N",
        help=f"checks run at once (default {MAX_PARALLEL_CHECKS})",
    )
    check.set_defaults(run=cmd_check)

    set_key = commands.add_parser(
        "set-key", help="store a new key for an entry (after a rotation, or an import)"
    )
    set_key.add_argument("name")
    set_key.set_defaults(run=cmd_set_key)

    channels = commands.add_parser("channels", help="list the channels an entry's key posts to")
    channels.add_argument("name")
    channels.add_argument("--json", action="store_true", help="print JSON")
    channels.add_argument("--force", action="store_true", help="even after a 429")
    channels.set_defaults(run=cmd_channels)

    find_url = commands.add_parser(
        "find-url", help="find the API base URL of a self-hosted instance (sends no key)"
    )
    find_url.add_argument("address", help="sipstory.example.com, http://localhost:4007, ...")
    find_url.add_argument("--json", action="store_true", help="print JSON")
    find_url.set_defaults(run=cmd_find_url)

    export = commands.add_parser("export", help="write the entries, without keys, as JSON")
    export.add_argument("file", nargs="?", help="the file to write (default: standard output)")
    export.add_argument("--force", action="store_true", help="replace an existing file")
    export.set_defaults(run=cmd_export)

    import_ = commands.add_parser("import", help="add entries from an export (keys not included)")
    import_.add_argument("file", help="the export to read, or - for standard input")
    import_.add_argument("--dry-run", action="store_true", help="only show what would change")
    import_.add_argument(
        "--on-conflict",
        choices=[r.value for r in Resolution],
        help="what to do with entries whose name is taken",
    )
    import_.set_defaults(run=cmd_import)

    orphans = commands.add_parser("orphans", help="list keys of this app that no entry uses")
    orphans.add_argument("--clean", action="store_true", help="delete them from the keyring")
    orphans.set_defaults(run=cmd_orphans)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        code: int = args.run(args)
    except (UsageError, EntryError, UrlError, InvalidKeyText, TransferError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ConfigError, StateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SecretStoreError as exc:
        print(f"error: {exc.message}\nhint: {exc.hint}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file or folder we cannot use; never a traceback
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    return code
