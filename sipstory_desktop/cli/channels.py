"""``channels``: the channels an entry's key posts to (one request to its server)."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.channels import NoKeyError, refresh_channels
from ..core.client import ApiClient
from .output import EXIT_NOT_CONNECTED, EXIT_OK, Printer, UsageError
from .vault_access import find_entry, open_vault


def cmd_channels(args: argparse.Namespace) -> int:
    vault = open_vault()
    entry = find_entry(vault, args.name)
    try:  # held back after a 429 (unless --force): nothing sent, the result says until when
        fetched = refresh_channels(ApiClient(), vault, entry, force=args.force)
    except NoKeyError:
        raise UsageError(
            f"The keyring holds no key for '{entry.name}': sipstory-keys replace-key."
        ) from None
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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    channels = commands.add_parser("channels", help="list the channels an entry's key posts to")
    channels.add_argument("name")
    channels.add_argument("--json", action="store_true", help="print JSON")
    channels.add_argument("--force", action="store_true", help="even after a 429")
    channels.set_defaults(run=cmd_channels)
