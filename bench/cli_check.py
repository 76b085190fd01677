"""Wall time of ``sipstory-keys check`` for 20 entries against 20 sequential curl calls.

The server answers every request after 200 ms. The CLI runs as users run it (a new
process, the real Secret Service on a private D-Bus session); curl reads the key from a
header file, never from its command line. Prints the figures and their ratio.

    python bench/cli_check.py [--entries 20] [--delay 0.2] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.real_parts import running_secret_service


def timed(command: list[str], env: dict[str, str], stdin: str = "") -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, running_secret_service(Path(tmp) / "bus") as bus:
        env = {**os.environ, **bus, "SIPSTORY_DESKTOP_HOME": str(Path(tmp) / "home")}
        env.pop("PYTHON_KEYRING_BACKEND", None)
        cli = [sys.executable, "-m", "sipstory_desktop.cli"]
        with SipstoryTestServer(delay=args.delay) as server:
            key = secrets.token_hex(32)
            server.add_key(key)
            for number in range(args.entries):
                subprocess.run(
                    [*cli, "add", f"bench-{number}", "--base-url", server.api_base],
                    input=key,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
            header = Path(tmp) / "auth-header"
            header.write_text(f"Authorization: {key}\n")
            header.chmod(0o600)
            curl = [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-H",
                f"@{header}",
                server.api_base + "/is-connected",
            ]

            cli_times, curl_times = [], []
            for _ in range(args.runs):
                cli_times.append(timed([*cli, "check"], env))
                started = time.perf_counter()
                for _ in range(args.entries):
                    subprocess.run(curl, check=True)
                curl_times.append(time.perf_counter() - started)
            last = json.loads(
                subprocess.run(
                    [*cli, "list", "--json"], env=env, check=True, capture_output=True, text=True
                ).stdout
            )
            assert all(item["last_status"] == "connected" for item in last)

    cli_s, curl_s = statistics.median(cli_times), statistics.median(curl_times)
    ideal = -(-args.entries // 8) * args.delay
    print(f"entries: {args.entries}, server delay: {args.delay * 1000:.0f} ms, runs: {args.runs}")
    print(f"sipstory-keys check (new process, real keyring): {cli_s:.2f} s")
    print(f"{args.entries} sequential curl calls: {curl_s:.2f} s")
    print(f"ideal with 8 parallel checks: {ideal:.2f} s")
    print(f"ratio check / curl: {cli_s / curl_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
