"""``import-env``: Sipstory keys found in dotenv files, previewed, checked if asked, saved
into the keyring, and (with ``--scrub``) taken out of the files, with a backup."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..core.dotenv_keys import ScannedFile, scan_files
from ..core.env_import import (
    EnvKey,
    Outcome,
    check_env_keys,
    plan_env_import,
    save_env_keys,
    scrub_files,
)
from .output import EXIT_ERROR, EXIT_OK, Printer
from .vault_access import open_vault

_WHAT = {
    Outcome.NEW: "new entry '{}'",
    Outcome.KEY_OF: "key of '{}' (it has none)",
    Outcome.SAVED: "already saved as '{}'",
}


def cmd_import_env(args: argparse.Namespace) -> int:
    vault = open_vault()
    scanned = scan_files(Path(name) for name in args.files)
    for file in scanned:
        if file.problem:
            print(f"warning: {file.problem}", file=sys.stderr)
    planned = plan_env_import(vault, scanned)
    if args.check and planned:
        from ..core.client import ApiClient  # requests: only when checking

        planned = check_env_keys(ApiClient(), vault, planned)
    if args.json:
        print(json.dumps([item.to_json() for item in planned], indent=2))
    else:
        _print_preview(planned, sum(f.others for f in scanned))
    to_save = [item for item in planned if item.outcome is not Outcome.SAVED]
    failed = any(file.problem for file in scanned)
    if not planned or not (to_save or args.scrub):
        return EXIT_ERROR if failed else EXIT_OK
    if not args.yes and not _agreed(len(to_save), args.scrub):
        print("Nothing was saved or changed.", file=sys.stderr)
        return EXIT_ERROR if failed else EXIT_OK
    for saved in save_env_keys(vault, to_save):
        print(f"Saved the key of '{saved.entry.name}' in the keyring.")
        for note in saved.notes:
            print(f"note: {note}", file=sys.stderr)
    if args.scrub:
        failed = not _scrub(scanned, planned) or failed
    return EXIT_ERROR if failed else EXIT_OK


def _print_preview(planned: list[EnvKey], others: int) -> None:
    if not planned:
        print("No Sipstory keys found.")
    else:
        rows = [
            [
                item.where,
                ", ".join(sorted({p.variable for p in item.places})),
                item.shown_key,
                item.base_url,
                _WHAT[item.outcome].format(item.entry_name),
                item.check.status.label if item.check else "",
            ]
            for item in planned
        ]
        header = ["WHERE", "VARIABLE", "KEY", "BASE URL", "SAVED AS", "CHECK"]
        Printer(sys.stdout).table(header, rows)
    if others:
        print(f"({others} other *_API_KEY line(s) left alone: not Sipstory's.)")


def _agreed(count: int, scrubbing: bool) -> bool:
    if not sys.stdin.isatty():
        print("Add --yes to save them (a preview only, without it).", file=sys.stderr)
        return False
    what = f"Save {count} key(s) in the keyring" + (" and scrub the files" if scrubbing else "")
    answer = input(f"{what}? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _scrub(scanned: list[ScannedFile], planned: list[EnvKey]) -> bool:
    done = True
    for file in scrub_files(scanned, planned):
        if file.backup is None:
            print(f"error: {file.problem}", file=sys.stderr)
            done = False
        else:
            print(f"Scrubbed {file.path} (the old version, keys included, is in {file.backup}, "
                  "mode 0600).")  # fmt: skip
    if done:
        print(
            'From now on: sipstory-keys run NAME -- COMMAND, or eval "$(sipstory-keys env NAME)".'
        )
    return done


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import-env",
        help="move Sipstory keys from .env files into the keyring",
        description="Find Sipstory keys in dotenv files (SIPSTORY_API_KEY=, POSTIZ_API_KEY=, "
        "or any *_API_KEY= with a Sipstory URL beside it), show them masked with their file "
        "and line, and save them in the keyring as new entries (or as the key of an entry "
        "that has none). Asks first on a terminal; --yes elsewhere.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="dotenv files to read")
    parser.add_argument("--check", action="store_true", help="check each key first (1 request)")
    parser.add_argument(
        "--scrub",
        action="store_true",
        help="then replace the key lines in the files with a comment that holds no key, "
        "keeping each old file as FILE.bak (mode 0600); a file changed since it was read, or "
        "a link, is left as it is",
    )
    parser.add_argument("--yes", action="store_true", help="save (and scrub) without asking")
    parser.add_argument("--json", action="store_true", help="print the finds as JSON")
    parser.set_defaults(run=cmd_import_env)
