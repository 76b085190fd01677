"""``check``: do the keys work against their servers, right now."""

from __future__ import annotations

import argparse
import json
import sys

from ..core.checker import MAX_PARALLEL_CHECKS, check_entries, plan_checks
from ..core.client import ApiClient, Timeouts
from ..core.entries import Entry
from ..core.state import StateError
from ..core.status import CheckResult, Status
from .output import EXIT_ERROR, EXIT_NOT_CONNECTED, EXIT_OK, Printer, print_notices
from .vault_access import no_entry, open_vault


def _checked_row(
    printer: Printer, entry: Entry, result: CheckResult | None
) -> tuple[list[str], list[int]]:
    status = result.status if result else Status.UNCHECKED
    light = printer.light(status)
    plain = f"{printer.symbols[status.light]} {status.label}"
    latency = f"{result.latency_ms} ms" if result and result.latency_ms is not None else ""
    cells = [light, entry.name, latency, result.message if result else ""]
    return cells, [len(plain), len(entry.name), len(latency), len(cells[3])]


def cmd_check(args: argparse.Namespace) -> int:
    vault = open_vault()
    everything = vault.entries()
    print_notices(vault)
    if args.names:
        chosen = []
        for name in args.names:
            entry = vault.find(name)
            if entry is None:
                raise no_entry(name)
            if entry not in chosen:
                chosen.append(entry)
    else:
        chosen = everything
    client = ApiClient(Timeouts(connect=min(args.timeout, 5.0), read=args.timeout))
    state = vault.load_state()
    for warning in plan_checks(state, chosen, force=args.force).warnings:
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


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
