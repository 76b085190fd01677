"""``export``, ``import`` and ``orphans``: entries in and out without their keys, and the
keys left behind without an entry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.export_format import MAX_EXPORT_BYTES
from ..core.import_plan import Resolution
from .output import EXIT_OK, UsageError
from .vault_access import open_vault


def cmd_export(args: argparse.Namespace) -> int:
    vault = open_vault()
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
    vault = open_vault()
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
    if outcome.created and (outcome.found_keys or vault.backend_info().provider):
        found = f": {', '.join(outcome.found_keys)}" if outcome.found_keys else ""
        print(
            f"Found the keys of {len(outcome.found_keys)} of {len(outcome.created)} new "
            f"entries in {vault.backend_info().name}{found}."
        )
    for name in outcome.needs_key:
        print(f"'{name}' has no key yet: sipstory-keys replace-key '{name}'")
    return EXIT_OK


def cmd_orphans(args: argparse.Namespace) -> int:
    vault = open_vault()
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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
