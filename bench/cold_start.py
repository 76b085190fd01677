"""Cold start: from launch to the visible window, frozen bundle against ``python -m``.

Both start on a real X server (Xvfb) with an empty home, so the window shows its empty
state; the time is taken when the window is mapped (polled with xdotool every 10 ms).

    python bench/cold_start.py [--bundle dist/sipstory-desktop] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from tests.support.real_parts import running_x_server, wait_for_window


def time_to_window(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_window(env, process, poll=0.01)
        return time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default="dist/sipstory-desktop")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    frozen = Path(args.bundle).resolve() / "sipstory-desktop"
    commands = {
        "python -m sipstory_desktop": [sys.executable, "-m", "sipstory_desktop"],
        "frozen bundle": [str(frozen)],
    }
    if not frozen.is_file():
        print(f"no bundle at {frozen}: build it with packaging/build.sh", file=sys.stderr)
        return 2
    figures: dict[str, list[float]] = {name: [] for name in commands}
    with running_x_server() as display, tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "SIPSTORY_DESKTOP_HOME": home,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        for _ in range(args.runs):  # interleaved, so both see the same machine state
            for name, command in commands.items():
                figures[name].append(time_to_window(command, env))
    medians = {name: statistics.median(times) for name, times in figures.items()}
    for name, times in figures.items():
        print(
            f"{name}: median {medians[name]:.2f} s to a visible window "
            f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
        )
    ratio = medians["frozen bundle"] / medians["python -m sipstory_desktop"]
    print(f"ratio frozen / python -m: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
