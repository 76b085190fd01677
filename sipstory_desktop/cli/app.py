"""The ``sipstory-keys`` parser and ``main``: each command module adds its own commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from . import channels, checks, entries, find_url, transfer
from .output import run_reporting_errors

log = logging.getLogger(__name__)


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
    for module in (entries, checks, channels, find_url, transfer):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return run_reporting_errors(args.run, args)
