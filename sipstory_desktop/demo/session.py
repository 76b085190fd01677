"""A throw-away demo: the local test server, an in-memory keyring and a temporary home,
prefilled with entries that show every light. Touches none of the user's keys or config."""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import TracebackType

from ..core.entries import EntryKind
from ..core.paths import AppPaths
from ..core.secrets import SecretStore
from ..core.status import CheckResult, Status
from ..core.times import utc_now
from ..core.vault import Vault
from .fake_api import SipstoryTestServer
from .memory_keyring import MemoryKeyring


@dataclass(frozen=True)
class DemoEntry:
    name: str
    note: str
    expected_status: str
    turned_minutes_ago: int = 0  # when its light last changed (0: always this colour)


DEMO_ENTRIES = (
    DemoEntry("Acme Agency", "A working key: green.", "connected"),
    DemoEntry(
        "Globex (rotated)",
        "This key was rotated in Settings → Developers: red.",
        "invalid_key",
        turned_minutes_ago=50,
    ),
    DemoEntry(
        "Initech (web app URL)", "The URL lacks /api: the web app answers, not the API.", "not_api"
    ),
    DemoEntry(
        "Umbrella (busy)",
        "Valid, but its organization used up its 30 requests: amber.",
        "rate_limited",
        turned_minutes_ago=20,
    ),
    DemoEntry(
        "Hooli (no subscription)",
        "Valid key, but the organization has no subscription.",
        "no_subscription",
    ),
    DemoEntry(
        "Local dev (stopped)",
        "A self-hosted instance that is not running.",
        "unreachable",
        turned_minutes_ago=95,
    ),
)


def _history(demo: DemoEntry, rounds: int = 12, every_minutes: int = 15) -> list[CheckResult]:
    """Made-up earlier results of a demo entry: green until it turned, then its status."""
    now = utc_now()
    results = []
    for number in range(rounds, 0, -1):
        minutes_ago = number * every_minutes
        was_green = demo.turned_minutes_ago and minutes_ago > demo.turned_minutes_ago
        results.append(
            CheckResult(
                Status.CONNECTED if was_green else Status(demo.expected_status),
                "An earlier check (demo history).",
                latency_ms=120 + (number * 37) % 90,
                checked_at=now - timedelta(minutes=minutes_ago),
                request_sent=False,
            )
        )
    return results


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DemoSession:
    """Start with ``with DemoSession() as demo:``; ``demo.vault`` is ready to use."""

    def __init__(self, delay: float = 0.35) -> None:
        self._home = Path(tempfile.mkdtemp(prefix="sipstory-demo-"))
        self.paths = AppPaths(data_dir=self._home, log_dir=self._home / "logs")
        self.keyring = MemoryKeyring()
        self.vault = Vault(self.paths, SecretStore(backend=self.keyring, timeout=5.0))
        self.server = SipstoryTestServer(layout="proxy", delay=delay)

    def __enter__(self) -> DemoSession:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.server.start()
        api, site = self.server.api_base, self.server.url
        plan = {
            "connected": (api, "valid", "acme"),
            "invalid_key": (api, "rotated", "globex"),
            "not_api": (site, "valid", "initech"),
            "rate_limited": (api, "valid", "umbrella"),
            "no_subscription": (api, "no_subscription", "hooli"),
            "unreachable": (f"http://localhost:{_unused_port()}/api/public/v1", "valid", "dev"),
        }
        self.server.set_rate_limit("umbrella", 0)
        past: list[tuple[str, CheckResult]] = []
        for demo in DEMO_ENTRIES:
            address, state, org = plan[demo.expected_status]
            key = secrets.token_hex(32)
            self.server.add_key(key, org=org, state=state)  # type: ignore[arg-type]
            saved = self.vault.add(demo.name, EntryKind.CUSTOM, address, key, note=demo.note)
            past += [(saved.entry.id, result) for result in _history(demo)]
        self.vault.record(past)  # a few hours of earlier checks, for the sparklines

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self._home, ignore_errors=True)
