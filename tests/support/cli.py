"""Running ``sipstory-keys`` as users do: a subprocess with its own home; helpers."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def everything(self) -> str:
        return self.out + self.err


class Cli:
    """Runs ``sipstory-keys`` with its own home and the test keyring; remembers all output."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env
        self.outputs: list[str] = []

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 60) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "sipstory_desktop.cli", *args],
            input=stdin if stdin is not None else "",
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        run = Run(done.returncode, done.stdout, done.stderr)
        self.outputs.append(run.everything)
        return run

    def check_json(
        self, *names: str, timeout_s: str = "10"
    ) -> tuple[int, dict[str, dict[str, object]]]:
        run = self("check", "--json", "--timeout", timeout_s, *names)
        assert run.code in (0, 1), run.err
        return run.code, {item["name"]: item for item in json.loads(run.out)}


def new_key() -> str:
    return secrets.token_hex(32)
