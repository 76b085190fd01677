"""Shared parts of the benchmarks: homes full of entries, the servers' process, subprocesses.

Nothing here imports Qt: the measuring scripts do, each in a fresh process.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable


def bench_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a measuring subprocess: offscreen Qt, ``bench/`` importable."""
    env = {**os.environ}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(BENCH), str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.pop("PYTHON_KEYRING_BACKEND", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if home is not None:
        env["SIPSTORY_DESKTOP_HOME"] = str(home)
    env.update(extra)
    return env


def run_json(
    command: Sequence[str], env: dict[str, str], timeout: float = 120, stdin: str = ""
) -> dict[str, Any]:
    """Run a measuring script; its last line of output is a JSON object."""
    done = subprocess.run(
        list(command),
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{' '.join(command[:3])} failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def gaps(ticks: Sequence[float]) -> list[float]:
    """The gaps between successive timer ticks, longest first (seconds)."""
    return sorted((b - a for a, b in itertools.pairwise(ticks)), reverse=True)


# --- entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """An entry to write, and the key it holds (handed over on stdin, never argv)."""

    name: str
    base_url: str
    key: str


def plan_entries(count: int, base_urls: Sequence[str]) -> list[Planned]:
    """``count`` entries spread evenly over ``base_urls``, each with a key of its own."""
    return [
        Planned(f"bench-{number:04d}", base_urls[number % len(base_urls)], secrets.token_hex(32))
        for number in range(count)
    ]


def fake_base_urls(count: int = 4) -> list[str]:
    """Self-hosted instances on a port nothing listens on (startup never checks)."""
    return [f"http://127.0.0.1:9/site-{n}/api/public/v1" for n in range(count)]


def write_home(home: Path, planned: Sequence[Planned], history: int = 5) -> None:
    """Write the entries with ``ConfigStore.update`` and, for realism, a ``state.json``
    with ``history`` results per entry and their budgets' requests (no keys anywhere: keys
    go to a keyring).
    """
    from sipstory_desktop.core.config import ConfigStore
    from sipstory_desktop.core.entries import Entry, EntryKind
    from sipstory_desktop.core.keys import key_hint
    from sipstory_desktop.core.paths import AppPaths
    from sipstory_desktop.core.state import StateStore
    from sipstory_desktop.core.status import CheckResult, Status
    from sipstory_desktop.core.times import utc_now

    paths = AppPaths(data_dir=home, log_dir=home / "logs")
    entries = [
        Entry(
            name=p.name,
            kind=EntryKind.CUSTOM,
            base_url=p.base_url,
            note=f"Benchmark entry {p.name}",
            key_hint=key_hint(p.key),
        )
        for p in planned
    ]
    ConfigStore(paths).update(lambda _current: entries)
    if not history:
        return
    now = utc_now()

    def fill(state: Any) -> None:
        for number, entry in enumerate(entries):
            for age in range(history, 0, -1):
                when = now - timedelta(minutes=age * 7 + number % 5)
                failed = (number + age) % 9 == 0
                result = CheckResult(
                    Status.INVALID_KEY if failed else Status.CONNECTED,
                    "Invalid API key" if failed else "Connected.",
                    "Rotated keys are the usual cause." if failed else "",
                    http_status=401 if failed else 200,
                    latency_ms=180 + (number * 7 + age) % 60,
                    checked_at=when,
                )
                state.record_result(entry.id, result)
                if result.counted:
                    state.record_request(state.budget_of(entry.id), when)
            state.secret_ids.add(entry.id)

    StateStore(paths).update(fill)


def keys_stdin(planned: Sequence[Planned]) -> str:
    """The keys as the measuring scripts read them: ``name<TAB>key`` lines on stdin."""
    return "".join(f"{p.name}\t{p.key}\n" for p in planned)


# --- the test servers, in a process of their own ------------------------------------------


@contextlib.contextmanager
def server_process(count: int, delay: float, keys: Sequence[str]) -> Iterator[list[str]]:
    """Start ``count`` SipstoryTestServers (``delay`` s per answer) in one separate process,
    so that their threads do not compete for the measured process's interpreter lock.
    The keys go over stdin. Yields the API base URLs."""
    process = subprocess.Popen(
        [PYTHON, str(BENCH / "servers.py"), "--count", str(count), "--delay", str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=bench_env(),
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("".join(f"{key}\n" for key in keys) + "\n")
        process.stdin.flush()
        urls = []
        for _ in range(count):
            line = process.stdout.readline().strip()
            if not line:
                raise RuntimeError("the servers' process did not start")
            urls.append(line)
        yield urls
    finally:
        with contextlib.suppress(OSError):
            process.stdin.close()  # the servers stop when their stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
