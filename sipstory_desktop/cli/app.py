"""The ``sipstory-keys`` parser and ``main``: each command module adds its own commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from . import channels, checks, entries, find_url, import_env, key_use, transfer
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
    for module in (entries, checks, key_use, import_env, channels, find_url, transfer):
        module.register(commands)
    return parser


def _split_command(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """``run ... -- COMMAND ARGS``: the words after ``--`` are the command's own, whatever
    they look like; for other commands ``--`` keeps its usual meaning."""
    if "--" not in argv:
        return argv, None
    cut = argv.index("--")
    words = [word for word in argv[:cut] if not word.startswith("-")]
    if words[:1] != ["run"]:
        return argv, None
    return argv[:cut], argv[cut + 1 :]


def main(argv: Sequence[str] | None = None) -> int:
    words, command = _split_command(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(words)
    if args.command == "run":
        args.command_line = command
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    return run_reporting_errors(args.run, args)
