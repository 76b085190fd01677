"""``run``, ``env`` and ``get``: an entry's key used by another program without ever being
written down (``op run`` and ``gh auth token`` style). The key is read from the keyring when
asked for and goes only where it is asked to go."""

from __future__ import annotations

import argparse
import os
import sys

from ..core.checker import check_with_key, plan_checks
from ..core.entries import Entry, choose_entry
from ..core.key_environment import (
    ENTRY_VARIABLE,
    KEY_VARIABLE,
    SHELLS,
    URL_VARIABLE,
    KeyVariables,
    VariableError,
    child_environment,
    environment_lines,
    nesting_problem,
)
from ..core.key_runner import CommandError, exec_command, run_masked
from ..core.state import StateError
from ..core.status import Light
from ..core.vault import Vault
from .output import EXIT_ERROR, EXIT_OK, UsageError, print_notices
from .vault_access import open_vault

RUN_USAGE = "sipstory-keys run [NAME] [options] -- COMMAND [ARGS...]"


def cmd_run(args: argparse.Namespace) -> int:
    command = args.command_line
    if not command:
        raise UsageError(f"No command to run: {RUN_USAGE}")
    vault, entry = _chosen(args)
    problem = nesting_problem(os.environ, entry.name)
    if problem:
        raise UsageError(problem)
    names = _variables(args)
    key = _read_key(vault, entry)
    if args.check and not _passes_check(vault, entry, key):
        return EXIT_ERROR
    env = child_environment(os.environ, names.values(key, entry.base_url), entry.name)
    mask = args.mask if args.mask is not None else not (_tty(sys.stdout) and _tty(sys.stderr))
    try:
        if mask:
            return run_masked(command, env, key)
        exec_command(command, env)  # does not return
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.status


def cmd_env(args: argparse.Namespace) -> int:
    _refuse_terminal(args, "lines holding the key")
    vault, entry = _chosen(args)
    names = _variables(args)
    key = _read_key(vault, entry)
    try:
        sys.stdout.write(environment_lines(names.values(key, entry.base_url), args.shell))
    except VariableError as error:
        raise UsageError(str(error)) from None
    return EXIT_OK


def cmd_get(args: argparse.Namespace) -> int:
    _refuse_terminal(args, "the key")
    vault, entry = _chosen(args)
    sys.stdout.write(_read_key(vault, entry) + "\n")
    return EXIT_OK


def _chosen(args: argparse.Namespace) -> tuple[Vault, Entry]:
    vault = open_vault()
    entries = vault.entries()
    print_notices(vault)
    return vault, choose_entry(entries, args.name, args.instance, os.environ.get(ENTRY_VARIABLE))


def _variables(args: argparse.Namespace) -> KeyVariables:
    try:
        return KeyVariables.chosen(args.key_var, args.url_var)
    except VariableError as error:
        raise UsageError(str(error)) from None


def _read_key(vault: Vault, entry: Entry) -> str:
    key = vault.secrets.get(entry.id)
    if key is None:
        raise UsageError(
            f"The keyring holds no key for '{entry.name}': store it with "
            f"sipstory-keys replace-key '{entry.name}'."
        )
    return key


def _passes_check(vault: Vault, entry: Entry, key: str) -> bool:
    """``--check``: the key checked first, within its rate budget; False (said why) when
    its light is red. A key held back after a 429 is valid (the server said so): it runs."""
    from ..core.client import ApiClient  # requests: only when checking

    held = plan_checks(vault.load_state(), [entry]).result_of(entry)
    if held is not None:
        print(f"note: not checked: {held.message}", file=sys.stderr)
        return True
    result = check_with_key(ApiClient(), entry, key)
    try:
        vault.record([(entry.id, result)])
    except StateError as exc:
        print(f"warning: result not saved: {exc}", file=sys.stderr)
    if result.light is Light.RED:
        print(
            f"error: '{entry.name}': {result.status.label}. {result.message}\n"
            f"hint: {result.hint}\nThe command was not started.",
            file=sys.stderr,
        )
        return False
    return True


def _refuse_terminal(args: argparse.Namespace, what: str) -> None:
    if _tty(sys.stdout) and not args.reveal:
        raise UsageError(
            f"This would show {what} on the screen. Use it in a script or "
            f'eval "$(sipstory-keys env NAME)", or add --reveal to show it anyway.'
        )


def _tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _entry_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help=f"the entry (default: --instance, or ${ENTRY_VARIABLE})",
    )
    parser.add_argument(
        "--instance",
        metavar="ADDRESS",
        help="the entry on this instance (an address or base URL), when it is the only one",
    )


def _variable_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-var",
        action="append",
        metavar="NAME",
        help=f"the variable that holds the key (default {KEY_VARIABLE}); repeat it to set "
        "several, e.g. for two tools",
    )
    parser.add_argument(
        "--url-var",
        action="append",
        metavar="NAME",
        help=f"the variable that holds the base URL (default {URL_VARIABLE}); repeatable",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run",
        usage=RUN_USAGE,
        help="run a command with an entry's key in its environment",
        description="Run COMMAND with the entry's key and base URL in its environment "
        f"({KEY_VARIABLE}, {URL_VARIABLE}), read from the keyring now: not on a command line, "
        f"not in a file. {ENTRY_VARIABLE} names the entry when no NAME is given. Its exit "
        "status is the command's; on a terminal, this process becomes the command (its "
        "signals, input and output are its own).",
    )
    _entry_arguments(run)
    _variable_arguments(run)
    masking = run.add_mutually_exclusive_group()
    masking.add_argument(
        "--mask",
        dest="mask",
        action="store_true",
        default=None,
        help="replace the key with ••••last4 in the command's output and errors (the "
        "default when they are not a terminal, e.g. in CI). It costs: the command writes "
        "to pipes, not a terminal (so no colours, its own buffering), and its output "
        "passes through this process",
    )
    masking.add_argument(
        "--no-mask",
        dest="mask",
        action="store_false",
        help="never mask (the default on a terminal)",
    )
    run.add_argument(
        "--check",
        action="store_true",
        help="check the key first (within its rate budget) and do not start the command "
        "if its light is red (exit status 2)",
    )
    run.set_defaults(run=cmd_run, command_line=None)

    env = commands.add_parser(
        "env",
        help="print the lines that set an entry's key and URL, for eval",
        description='For eval "$(sipstory-keys env NAME)" (or the --shell given). Refuses to '
        "print to a terminal without --reveal.",
    )
    _entry_arguments(env)
    _variable_arguments(env)
    env.add_argument(
        "--shell", choices=SHELLS, default="sh", help="quote for this shell (default sh)"
    )
    env.add_argument("--reveal", action="store_true", help="print even to a terminal")
    env.set_defaults(run=cmd_env)

    get = commands.add_parser(
        "get",
        help="print an entry's key alone, for scripts",
        description="The key and a newline on standard output, for scripts. Refuses to print "
        "to a terminal without --reveal.",
    )
    _entry_arguments(get)
    get.add_argument("--reveal", action="store_true", help="print even to a terminal")
    get.set_defaults(run=cmd_get)
