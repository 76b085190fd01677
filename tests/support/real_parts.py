"""Real parts for integration tests: a D-Bus session with gnome-keyring, and an X server.

Each fixture starts the real program in a throw-away directory and stops it afterwards.
Where the program is missing the tests are skipped, unless SIPSTORY_REQUIRE_REAL_PARTS
is set (as ``./dev test`` and CI do): then a missing part fails the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

KEYRING_PASSWORD = b"test-keyring-password"


def _missing(what: str) -> None:
    if os.environ.get("SIPSTORY_REQUIRE_REAL_PARTS"):
        pytest.fail(f"{what} is required (SIPSTORY_REQUIRE_REAL_PARTS is set) but missing")
    pytest.skip(f"{what} is not installed")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _bus_has_name(env: dict[str, str], name: str) -> bool:
    reply = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return "boolean true" in reply.stdout


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private D-Bus session bus with an unlocked gnome-keyring on it, for the session.

    Yields the environment variables that point a process at it (merge them into
    ``os.environ`` for a subprocess). The keyring's files live in a temp dir.
    """
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as env:
        yield env


@contextlib.contextmanager
def running_secret_service(root: Path) -> Iterator[dict[str, str]]:
    """Start dbus-daemon and gnome-keyring-daemon under ``root``; stop them on exit."""
    for program in ("dbus-daemon", "dbus-send", "gnome-keyring-daemon"):
        if shutil.which(program) is None:
            _missing(program)
    env = {
        **os.environ,
        "HOME": str(root / "home"),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_RUNTIME_DIR": str(root / "run"),
    }
    for key in ("home", "data", "config", "run"):
        (root / key).mkdir(mode=0o700, parents=True)
    env.pop("PYTHON_KEYRING_BACKEND", None)
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            "--print-address=1",
            f"--address=unix:path={root / 'run' / 'bus'}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    if not address:
        _stop(bus)
        pytest.fail("dbus-daemon did not start")
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert keyring_daemon.stdin is not None
    keyring_daemon.stdin.write(KEYRING_PASSWORD)
    keyring_daemon.stdin.close()
    try:
        deadline = time.monotonic() + 20
        while not _bus_has_name(env, "org.freedesktop.secrets"):
            if keyring_daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gnome-keyring-daemon did not come up on the test bus")
            time.sleep(0.05)
        yield {
            k: env[k]
            for k in (
                "HOME",
                "XDG_DATA_HOME",
                "XDG_CONFIG_HOME",
                "XDG_RUNTIME_DIR",
                "DBUS_SESSION_BUS_ADDRESS",
            )
        }
    finally:
        _stop(keyring_daemon)
        _stop(bus)


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """A real X server (Xvfb) for the session; yields its DISPLAY value, such as ``:5``."""
    with running_x_server() as display:
        yield display


@contextlib.contextmanager
def running_x_server() -> Iterator[str]:
    """Start Xvfb on a free display number; yield the DISPLAY value; stop it on exit."""
    if shutil.which("Xvfb") is None:
        _missing("Xvfb")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        _stop(server)
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        _stop(server)


def read_all_files(directory: Path) -> bytes:
    """Every byte of every file under ``directory``, for scans that a key is nowhere."""
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


# --- a real window on a real X server ----------------------------------------------------

WINDOW_TITLE = "Sipstory Desktop"

SCREENSHOT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
image = app.primaryScreen().grabWindow(0).toImage()
image.save(sys.argv[1])
colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
           for y in range(0, image.height(), 7)}
print(len(colours))
"""


def _xdotool(*args: str, env: dict[str, str], timeout: float = 20) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return done.stdout.strip()


def wait_for_window(
    env: dict[str, str], process: subprocess.Popen[bytes], poll: float = 0.2
) -> str:
    """Wait until ``process`` shows a visible window titled Sipstory Desktop; its X id."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited early with status {process.returncode}")
        found = _xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE, env=env)
        if found:
            return found.splitlines()[-1]
        time.sleep(poll)
    pytest.fail("no window appeared within 60 s")


def launch_and_quit(
    command: list[str],
    x_display: str,
    tmp_path: Path,
    screenshot: Path,
    extra_env: dict[str, str] | None = None,
) -> int:
    """Start ``command``, wait for its window, screenshot it, press Ctrl+Q; its exit status."""
    if shutil.which("xdotool") is None:
        if os.environ.get("SIPSTORY_REQUIRE_REAL_PARTS"):
            pytest.fail("xdotool is required but missing")
        pytest.skip("xdotool is not installed")
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "SIPSTORY_DESKTOP_HOME": str(tmp_path / "home"),
        **(extra_env or {}),
    }
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        window = wait_for_window(env, process)
        time.sleep(2.0)  # let the demo's first checks come back and paint
        shot = subprocess.run(
            [sys.executable, "-c", SCREENSHOT, str(screenshot)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert int(shot.stdout.strip()) > 20, "the screenshot is blank"
        _xdotool("windowfocus", "--sync", window, env=env)
        _xdotool("key", "--clearmodifiers", "ctrl+q", env=env)
        return process.wait(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        _, errors = process.communicate()
        print(errors.decode(errors="replace")[-3000:])
