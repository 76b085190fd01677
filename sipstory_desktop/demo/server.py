"""``python -m sipstory_desktop.demo.server``: run the demo's fake Sipstory server by hand.

It serves on 127.0.0.1 and prints its API base URL; ``--key``, ``--rate-limit``, ``--fault``
and ``--layout`` set it up (see :func:`main`). The server itself is
:class:`.fake_api.SipstoryTestServer`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from .fake_api import KEY_STATES, LAYOUTS, KeyState, SipstoryTestServer
from .faults import FAULTS

__all__ = ["main"]


def _key_argument(text: str) -> tuple[str, KeyState, str]:
    # Error messages never repeat the argument: it holds a key.
    parts = text.split(":")
    if len(parts) > 3 or not parts[0]:
        raise argparse.ArgumentTypeError("expected KEY[:STATE[:ORG]]")
    state = parts[1] if len(parts) > 1 and parts[1] else "valid"
    org = parts[2] if len(parts) > 2 and parts[2] else "default"
    for known in KEY_STATES:
        if state == known:
            return parts[0], known, org
    raise argparse.ArgumentTypeError(f"unknown key state; expected one of {', '.join(KEY_STATES)}")


def _rate_limit_argument(text: str) -> tuple[str, int]:
    org, _, number = text.rpartition(":")
    try:
        limit = int(number)
    except ValueError:
        limit = -1
    if not org or limit < 0:
        raise argparse.ArgumentTypeError(f"expected ORG:N with N >= 0, got {text!r}")
    return org, limit


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sipstory_desktop.demo.server",
        description="A local server that answers like a Sipstory server (for tests and demos). "
        "Prints the API base URL, then serves until Ctrl+C.",
    )
    parser.add_argument(
        "--port", type=int, default=4007, help="port on 127.0.0.1 (0: any free port; default 4007)"
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="proxy",
        help="proxy: API under /api/public/v1 (default); backend: API under /public/v1",
    )
    parser.add_argument(
        "--delay", type=_non_negative, default=0.0, help="seconds to wait before every answer"
    )
    parser.add_argument(
        "--key",
        type=_key_argument,
        action="append",
        default=[],
        metavar="KEY[:STATE[:ORG]]",
        help=f"a known key (repeatable); STATE is one of {', '.join(KEY_STATES)} "
        "(default valid); ORG defaults to 'default'",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit_argument,
        action="append",
        default=[],
        metavar="ORG:N",
        help="allow ORG N counted requests per hour (repeatable; default unlimited)",
    )
    parser.add_argument(
        "--fault", choices=FAULTS, default=None, help="a fault for every API request"
    )
    parser.add_argument(
        "--slow-seconds",
        type=_non_negative,
        default=30.0,
        help="how long the 'slow' fault waits (default 30)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server until Ctrl+C (or SIGTERM). Prints the API base URL on standard output."""
    args = _parser().parse_args(argv)
    server = SipstoryTestServer(
        layout=args.layout, delay=args.delay, port=args.port, slow_seconds=args.slow_seconds
    )
    for key, state, org in args.key:
        server.add_key(key, org=org, state=state)
    for org, limit in args.rate_limit:
        server.set_rate_limit(org, limit)
    server.fault = args.fault
    done = threading.Event()
    previous = _stop_on_signals(done)
    try:
        return _serve_until(done, server, args.port, keys=len(args.key))
    finally:
        for stop, handler in previous.items():
            if handler is not None:
                signal.signal(stop, handler)


def _stop_on_signals(
    done: threading.Event,
) -> dict[signal.Signals, Callable[[int, FrameType | None], Any] | int | None]:
    """Make SIGINT and SIGTERM set `done`; returns the handlers they had.

    SIGINT as SIGTERM: a process started by a script that ignores SIGINT (a background
    job) inherits that, and Python then raises no KeyboardInterrupt on Ctrl+C. Called
    before the URL is printed, as a script that reads it may signal at once.
    """
    previous: dict[signal.Signals, Callable[[int, FrameType | None], Any] | int | None] = {}
    if threading.current_thread() is threading.main_thread():
        for stop in (signal.SIGINT, signal.SIGTERM):
            previous[stop] = signal.signal(stop, lambda _signum, _frame: done.set())
    return previous


def _serve_until(done: threading.Event, server: SipstoryTestServer, port: int, keys: int) -> int:
    try:
        server.start()
    except OSError as error:
        reason = error.strerror or error
        print(f"error: cannot listen on port {port}: {reason}", file=sys.stderr)
        return 1
    print(server.api_base, flush=True)
    note = "" if keys else "; no keys given, so every API request gets 401"
    print(
        f"Sipstory test server ({server.layout} layout) on {server.url}, "
        f"{keys} key(s){note}. Ctrl+C stops it.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
