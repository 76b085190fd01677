"""``find-url``: the API base URL of a self-hosted instance, found without sending a key."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.client import ApiClient, Timeouts
from ..core.find_url import find_api_url
from .output import EXIT_NOT_CONNECTED, EXIT_OK


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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    find_url = commands.add_parser(
        "find-url", help="find the API base URL of a self-hosted instance (sends no key)"
    )
    find_url.add_argument("address", help="sipstory.example.com, http://localhost:4007, ...")
    find_url.add_argument("--json", action="store_true", help="print JSON")
    find_url.set_defaults(run=cmd_find_url)
