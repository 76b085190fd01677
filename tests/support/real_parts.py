"""Real parts for integration tests: a D-Bus session with gnome-keyring, an X server, a
headless Wayland compositor, and a desktop's tray and notification services on a bus.

Each fixture starts the real program in a throw-away directory and stops it afterwards.
Where the program is missing the tests are skipped, unless SIPSTORY_REQUIRE_REAL_PARTS
is set (as ``./dev test`` and CI do): then a missing part fails the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass
class SessionBus:
    process: subprocess.Popen[bytes]
    address: str


def start_session_bus(socket: Path, env: dict[str, str]) -> SessionBus:
    """Start a private dbus-daemon listening on ``socket``; the caller stops it."""
    if shutil.which("dbus-daemon") is None:
        _missing("dbus-daemon")
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            "--print-address=1",
            f"--address=unix:path={socket}",
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
    return SessionBus(bus, address)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private D-Bus session bus with an unlocked gnome-keyring on it, for the session.

    Yields the environment variables that point a process at it (merge them into
    ``os.environ`` for a subprocess). The keyring's files live in a temp dir.
    """
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as env:
        yield env


@contextlib.contextmanager
def running_session_bus(root: Path) -> Iterator[dict[str, str]]:
    """Start a private D-Bus session bus under ``root``; yield the environment of a process
    on it (homes and runtime dir under ``root`` too); stop it on exit."""
    for program in ("dbus-daemon", "dbus-send"):
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
    bus = start_session_bus(root / "run" / "bus", env)
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    try:
        yield env
    finally:
        _stop(bus.process)


def _wait_for_name(env: dict[str, str], name: str, daemon: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while not _bus_has_name(env, name):
        if daemon.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{name} did not come up on the test bus")
        time.sleep(0.05)


_BUS_VARIABLES = (
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_RUNTIME_DIR",
    "DBUS_SESSION_BUS_ADDRESS",
)


@contextlib.contextmanager
def running_secret_service(root: Path, login: bool = True) -> Iterator[dict[str, str]]:
    """Start dbus-daemon and gnome-keyring-daemon under ``root``; stop them on exit.
    ``login=False``: no password given, so no "login" keyring (as on a fresh install)."""
    if shutil.which("gnome-keyring-daemon") is None:
        _missing("gnome-keyring-daemon")
    with running_session_bus(root) as env:
        unlock = ["--unlock"] if login else []
        keyring_daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", *unlock, "--components=secrets"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert keyring_daemon.stdin is not None
        if login:
            keyring_daemon.stdin.write(KEYRING_PASSWORD)
        keyring_daemon.stdin.close()
        try:
            _wait_for_name(env, "org.freedesktop.secrets", keyring_daemon)
            yield {k: env[k] for k in _BUS_VARIABLES}
        finally:
            _stop(keyring_daemon)


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


# --- a headless Wayland compositor and a desktop on a private session bus -----------------

ROOT = Path(__file__).resolve().parents[2]
WAYLAND_SIZE = (1600, 900)


@dataclass(frozen=True)
class Wayland:
    """A running Weston: its socket's name and the runtime dir (mode 0700) it is in."""

    display: str
    runtime_dir: Path
    log: Path

    def env(self) -> dict[str, str]:
        return {"WAYLAND_DISPLAY": self.display, "XDG_RUNTIME_DIR": str(self.runtime_dir)}


@pytest.fixture(scope="session")
def wayland(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wayland]:
    """A headless Weston for the session."""
    with running_weston(tmp_path_factory.mktemp("weston")) as running:
        yield running


@contextlib.contextmanager
def running_weston(root: Path) -> Iterator[Wayland]:
    """Start Weston's headless backend under ``root``; stop it on exit.

    ``--use-pixman``: the headless backend draws nothing unless given a renderer, and a
    screenshot of nothing is black. ``--debug``: Weston 10 serves weston-screenshooter only
    then ("Debug protocol must be enabled"). ``--no-config``: no weston.ini of the user's;
    ``--idle-time=0``: the output never blanks.
    """
    if shutil.which("weston") is None:
        _missing("weston")
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    runtime.chmod(0o700)  # libwayland and Weston insist on a private runtime dir
    display, log = "wayland-sipstory", root / "weston.log"
    width, height = WAYLAND_SIZE
    server = subprocess.Popen(
        [
            "weston",
            "--backend=headless-backend.so",
            f"--socket={display}",
            f"--width={width}",
            f"--height={height}",
            "--use-pixman",
            "--debug",
            "--no-config",
            "--idle-time=0",
            f"--log={log}",
        ],
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not (runtime / display).exists():  # clients are served from the socket on
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"weston did not start:\n{log.read_text() if log.exists() else ''}")
            time.sleep(0.05)
        yield Wayland(display, runtime, log)
    finally:
        _stop(server)


@dataclass(frozen=True)
class Desktop:
    """Fake desktop services (tests/support/fake_desktop_services.py) on a private bus."""

    address: str
    record: Path
    process: subprocess.Popen[bytes]

    def leave(self) -> None:
        """The services stop, as a panel or its extension does."""
        _stop(self.process)

    def calls(self, member: str) -> list[list[object]]:
        """The arguments of every call of ``member`` the services got, in order."""
        if not self.record.exists():
            return []
        lines = self.record.read_text(encoding="utf-8").splitlines()
        return [c["args"] for c in map(json.loads, lines) if c["member"] == member]

    def wait_for(self, member: str, count: int = 1, timeout: float = 20) -> list[list[object]]:
        deadline = time.monotonic() + timeout
        while len(found := self.calls(member)) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"no {member} call reached the desktop services in {timeout} s")
            time.sleep(0.05)
        return found


@contextlib.contextmanager
def running_desktop(
    root: Path, *, watcher: bool = False, host: bool = False, notifications: bool = False
) -> Iterator[Desktop]:
    """A private session bus with the chosen services on it; everything stops on exit."""
    root.mkdir(parents=True, exist_ok=True)
    bus = start_session_bus(root / "bus", dict(os.environ))
    flags = [f for f, on in (("--watcher", watcher), ("--host", host)) if on]
    flags += ["--notifications"] if notifications else []
    record = root / "calls.jsonl"
    services = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_desktop_services", str(record), *flags],
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": bus.address},
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert services.stdout is not None
        if services.stdout.readline().strip() != b"ready":
            pytest.fail("the fake desktop services did not start")
        yield Desktop(bus.address, record, services)
    finally:
        _stop(services)
        _stop(bus.process)


class DrivenApp:
    """The demo app run by tests/support/demo_driver.py: its reports, and commands to it.

    Its stderr goes to a file, read by :meth:`finish`."""

    def __init__(self, args: list[str], env: dict[str, str], errors: Path) -> None:
        self.errors_file = errors
        with errors.open("wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.demo_driver", *args],
                env=env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=sink,
            )
        self._lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def expect(self, event: str, timeout: float = 60) -> dict[str, Any]:
        """Wait for the report of ``event``; fail if the app exits or says nothing."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                pytest.fail(f"the app exited before {event}: {self.errors()[-3000:]}")
            report: dict[str, Any] = json.loads(line)
            if report["event"] == event:
                return report
        pytest.fail(f"no {event} from the app in {timeout} s: {self.errors()[-3000:]}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(b"")  # the app closed its stdout: exited

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        self.process.stdin.flush()

    def errors(self) -> str:
        return self.errors_file.read_text(errors="replace")

    def finish(self, timeout: float = 40) -> tuple[int, str]:
        """Wait for the app to exit; its exit status and stderr. Killed if it does not."""
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the app did not quit: {self.errors()[-3000:]}")
        return status, self.errors()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# Whatever the app writes to stderr is a fault: its own messages go to its log file, and
# each of Qt's warnings (qt.qpa.wayland..., QWaylandWindow..., a missing plugin, a buffer
# that could not be made) means a part of the window that does not work on Wayland.
# Nothing is tolerated today; a line that must be, goes here with the reason.
TOLERATED_STDERR: tuple[str, ...] = ()


def unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(re.search(allowed, line) for allowed in TOLERATED_STDERR)
    ]


def weston_screenshot(wayland: Wayland, into: Path) -> Path:
    """Weston's own screenshot of its whole output (weston-screenshooter)."""
    if shutil.which("weston-screenshooter") is None:
        _missing("weston-screenshooter")
    into.mkdir()
    subprocess.run(
        ["weston-screenshooter"],
        env={"PATH": "/usr/bin:/bin", **wayland.env()},
        cwd=into,
        capture_output=True,
        timeout=30,
        check=True,
    )
    (shot,) = into.glob("wayland-screenshot-*.png")
    return shot


def wayland_env(wayland: Wayland, desktop: Desktop, home: Path) -> dict[str, str]:
    """The environment of an app on ``wayland`` with ``desktop`` as its session bus."""
    env = {
        **os.environ,
        **wayland.env(),
        "QT_QPA_PLATFORM": "wayland",
        "DBUS_SESSION_BUS_ADDRESS": desktop.address,
        "SIPSTORY_DESKTOP_HOME": str(home),
    }
    env.pop("DISPLAY", None)  # nothing may fall back to X11 unseen
    return env


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


# --- what a screen reader sees: the AT-SPI bus -------------------------------------------

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-pyatspi is for this Python only
ATSPI_WALKER = Path(__file__).with_name("atspi_walker.py")
_ATSPI_DIRS = ("/usr/libexec", "/usr/lib/at-spi2-core", "/usr/libexec/at-spi2-core")


def _atspi_program(name: str) -> str:
    for directory in _ATSPI_DIRS:
        candidate = Path(directory) / name
        if candidate.is_file():
            return str(candidate)
    _missing(f"{name} (Debian package at-spi2-core)")
    raise AssertionError("unreachable")  # _missing fails or skips


def _system_python_environment() -> dict[str, str]:
    """The environment without the venv's (PYTHONHOME, VIRTUAL_ENV, ...) for the system Python."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))}


def _system_python_has_pyatspi() -> bool:
    if not Path(SYSTEM_PYTHON).is_file():
        return False
    done = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"],
        env=_system_python_environment(),
        capture_output=True,
        timeout=30,
        check=False,
    )
    return done.returncode == 0


@contextlib.contextmanager
def running_accessibility_bus(root: Path, display: str) -> Iterator[dict[str, str]]:
    """A private session bus with the AT-SPI accessibility bus on it, for an app on ``display``.

    ``at-spi-bus-launcher`` owns ``org.a11y.Bus`` on the session bus and starts the
    accessibility bus (a dbus-daemon of its own); that bus starts ``at-spi2-registryd``
    when the first app or reader asks for it. Qt joins when it finds ``org.a11y.Bus`` and
    ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` is set (no screen reader has to be running).
    Yields the environment variables of a process on that desktop.
    """
    launcher = _atspi_program("at-spi-bus-launcher")
    _atspi_program("at-spi2-registryd")
    if not _system_python_has_pyatspi():
        _missing(f"pyatspi for {SYSTEM_PYTHON} (Debian package python3-pyatspi)")
    with running_session_bus(root) as env:
        env["DISPLAY"] = display
        bus = subprocess.Popen(
            [launcher, "--launch-immediately", "--a11y=1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_name(env, "org.a11y.Bus", bus)
            yield {**{k: env[k] for k in _BUS_VARIABLES}, "DISPLAY": display}
        finally:
            _stop(bus)


Node = dict[str, Any]


class AccessibleApp:
    """A running app as a screen reader sees it: each call runs ``atspi_walker.py`` with
    the system Python on the app's accessibility bus and reads the JSON it prints."""

    def __init__(self, name: str, env: dict[str, str], process: subprocess.Popen[bytes]) -> None:
        self.name = name
        self._env = env
        self._process = process

    def _walker(self, *args: str, timeout: float = 60) -> Any:
        if self._process.poll() is not None:
            pytest.fail(f"the app exited early with status {self._process.returncode}")
        done = subprocess.run(
            [SYSTEM_PYTHON, str(ATSPI_WALKER), *args],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"atspi_walker.py {' '.join(args)}: {done.stderr.strip()[-2000:]}")
        return json.loads(done.stdout)

    def tree(self, window: str | None = None) -> list[Node]:
        """Every node of the app's windows (of the one titled ``window``), depth first."""
        return self._walker("tree", self.name, *(("--window", window) if window else ()))

    def wait_for(
        self, ready: Callable[[list[Node]], bool], window: str | None = None, timeout: float = 60
    ) -> list[Node]:
        """The tree, once ``ready(tree)`` holds (asked again every half second)."""
        deadline = time.monotonic() + timeout
        while True:
            nodes = self.tree(window)
            if ready(nodes):
                return nodes
            if time.monotonic() > deadline:
                pytest.fail(f"the accessible tree did not get ready in {timeout:.0f} s")
            time.sleep(0.5)

    def press(
        self,
        name: str,
        *,
        window: str | None = None,
        path: list[int] | None = None,
        listen: str | None = None,
        timeout: float = 30,
    ) -> list[Node]:
        """Press the showing control named ``name`` (the one at ``path``, a node's path
        in :meth:`tree`, showing or not) through AT-SPI's Action interface; with
        ``listen``, the events of that type (``object:announcement``) that followed."""
        args = ["press", self.name, name, "--timeout", str(timeout)]
        if window:
            args += ["--window", window]
        if path:
            args += ["--path", ",".join(str(i) for i in path)]
        if listen:
            args += ["--listen", listen]
        return self._walker(*args, timeout=timeout + 30)


@contextlib.contextmanager
def running_accessible_app(
    command: list[str], name: str, env: dict[str, str]
) -> Iterator[AccessibleApp]:
    """Start ``command`` (an app that calls itself ``name``) with Qt's AT-SPI bridge on, on
    the desktop of ``env`` (see :func:`running_accessibility_bus`); stop it on exit."""
    walker_env = {**_system_python_environment(), **env}
    app_env = {
        **os.environ,
        **env,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
    }
    process = subprocess.Popen(command, env=app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield AccessibleApp(name, walker_env, process)
    finally:
        _stop(process)
        _, errors = process.communicate()
        print(errors.decode(errors="replace")[-3000:])


# --- KeePassXC serving a database over the Secret Service (FdoSecrets) -------------------

KEEPASSXC_PASSWORD = "team-vault-password"
KEEPASSXC_GROUP = "Sipstory"


def make_keepassxc_database(path: Path, password: str = KEEPASSXC_PASSWORD) -> None:
    """A new KeePassXC database at ``path`` whose group "Sipstory" is the one shared over
    the Secret Service.

    KeePassXC keeps the exposed group in the database's custom data (key
    ``FDO_SECRETS_EXPOSED_GROUP``, the group's UUID in braces); ``keepassxc-cli db-create``
    cannot set it, so the database is made by ``keepassxc-cli import`` from a KeePass XML
    document that carries it.
    """
    import base64
    import uuid

    if shutil.which("keepassxc-cli") is None:
        _missing("keepassxc-cli (Debian package keepassxc)")
    root, group = uuid.uuid4(), uuid.uuid4()

    def b64(value: uuid.UUID) -> str:
        return base64.b64encode(value.bytes).decode()

    document = path.with_suffix(".xml")
    document.write_text(
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n'
        "<KeePassFile><Meta><Generator>sipstory-tests</Generator>"
        "<DatabaseName>Team vault</DatabaseName><CustomData><Item>"
        f"<Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{{{group}}}</Value>"
        "</Item></CustomData></Meta><Root>"
        f"<Group><UUID>{b64(root)}</UUID><Name>Team vault</Name>"
        f"<Group><UUID>{b64(group)}</UUID><Name>{KEEPASSXC_GROUP}</Name></Group>"
        "</Group></Root></KeePassFile>\n",
        encoding="utf-8",
    )
    subprocess.run(
        ["keepassxc-cli", "import", "-q", "-p", "-t", "100", str(document), str(path)],
        input=f"{password}\n{password}\n".encode(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    document.unlink()


def keepassxc_settings(confirm_access: bool = False) -> str:
    """KeePassXC's own settings file: its Secret Service integration on; for tests, no
    notifications, no update check, no single-instance socket; access confirmation as
    asked (KeePassXC's default is on)."""
    return (
        "[General]\nConfigVersion=2\nSingleInstance=false\nRememberLastDatabases=false\n"
        "OpenPreviousDatabasesOnStartup=false\nUpdateCheckMessageShown=true\n"
        "AutoSaveAfterEveryChange=true\n\n"
        "[GUI]\nCheckForUpdates=false\nShowTrayIcon=false\nMinimizeOnStartup=false\n\n"
        "[Security]\nLockDatabaseScreenLock=false\nLockDatabaseOnUserSwitch=false\n"
        "LockDatabaseIdle=false\nClearClipboard=false\n\n"
        "[FdoSecrets]\nEnabled=true\nShowNotification=false\nConfirmDeleteItem=false\n"
        f"ConfirmAccessItem={'true' if confirm_access else 'false'}\nUnlockBeforeSearch=false\n"
    )


@dataclass
class SecretProvider:
    """A Secret Service provider running on its own private bus.

    ``env``: the variables of a process on that bus. ``kind``: "gnome-keyring" or
    "keepassxc". ``name``: how the app should name it.
    """

    kind: str
    name: str
    env: dict[str, str]
    database: Path | None = None
    display: str | None = None
    pid: int | None = None  # KeePassXC's: its windows, not another instance's on the display

    def saved_items(self) -> list[str]:
        """The titles of the entries in the database *file* (what a sync would copy)."""
        assert self.database is not None
        done = subprocess.run(
            ["keepassxc-cli", "ls", "-q", str(self.database), KEEPASSXC_GROUP],
            input=f"{KEEPASSXC_PASSWORD}\n".encode(),
            capture_output=True,
            timeout=60,
            check=True,
        )
        return [line for line in done.stdout.decode().splitlines() if line.strip()]

    def wait_saved(self, count: int, timeout: float = 30) -> None:
        """Wait until KeePassXC has saved ``count`` entries to its file (it saves after
        each change, but on its own time)."""
        deadline = time.monotonic() + timeout
        while len(self.saved_items()) != count:
            if time.monotonic() > deadline:
                pytest.fail(f"KeePassXC did not save {count} entries: {self.saved_items()}")
            time.sleep(0.2)

    def lock(self) -> None:
        """Lock the collection, as the user's "Lock database" does (over the bus).

        KeePassXC refuses (dismisses the lock's prompt) while a change is not saved yet: it
        saves after each change, on its own time; then the lock is asked again."""
        _in_env(self.env, LOCK)

    def close_database(self, timeout: float = 30) -> None:
        """Close the database in KeePassXC's window (Ctrl+W), as a person does: its
        collection leaves the bus; the file stays."""
        assert self.display is not None and self.pid is not None
        env = {**self.env, "DISPLAY": self.display}
        mine = ["--onlyvisible", "--all", "--pid", str(self.pid)]
        window = _xdotool("search", *mine, "--name", "KeePassXC", env=env).split()[-1]
        _xdotool("windowfocus", "--sync", window, env=env)
        _xdotool("key", "--clearmodifiers", "ctrl+w", env=env)
        deadline = time.monotonic() + timeout
        while _in_env(self.env, HAS_DEFAULT).strip() != "False":
            if time.monotonic() > deadline:
                pytest.fail("KeePassXC did not close its database")
            time.sleep(0.1)

    def answer_unlock(self, timeout: float = 30) -> None:
        """Answer the unlock prompt the app asked for, as the user would: type the
        database's password into KeePassXC's unlock dialog (on Xvfb, with xdotool), or
        hand gnome-keyring its password (it has no headless prompt)."""
        if self.kind == "gnome-keyring":
            _in_env(self.env, GNOME_KEYRING_UNLOCK % KEYRING_PASSWORD)
            return
        assert self.display is not None
        env = {**self.env, "DISPLAY": self.display}
        deadline = time.monotonic() + timeout
        mine = ["--pid", str(self.pid)] if self.pid else []
        while not (
            window := _xdotool(
                "search", "--onlyvisible", "--all", *mine, "--name", "Unlock Database", env=env
            )
        ):
            if time.monotonic() > deadline:
                pytest.fail("KeePassXC showed no unlock dialog")
            time.sleep(0.1)
        window = window.splitlines()[-1]
        _xdotool("windowfocus", "--sync", window, env=env)
        _xdotool("type", "--delay", "20", "--window", window, KEEPASSXC_PASSWORD, env=env)
        _xdotool("key", "--window", window, "Return", env=env)


HAS_DEFAULT = """
import secretstorage
from secretstorage.util import DBusAddressWrapper
c = secretstorage.dbus_init()
service = DBusAddressWrapper("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", c)
print(service.call("ReadAlias", "s", "default")[0] != "/")
"""

LOCK = """
import time
from sipstory_desktop.core import secret_service as s
deadline = time.monotonic() + 30
while True:
    try:
        s.lock()
        break
    except s.PromptDismissed:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.2)
"""

# gnome-keyring's own way to unlock without its prompt (what its PAM module does): the
# password over a "plain" session to its internal interface.
GNOME_KEYRING_UNLOCK = """
import secretstorage
from jeepney import DBusAddress, new_method_call
c = secretstorage.dbus_init()
service = DBusAddress("/org/freedesktop/secrets", "org.freedesktop.secrets",
                      "org.freedesktop.Secret.Service")
_, session = c.send_and_get_reply(
    new_method_call(service, "OpenSession", "sv", ("plain", ("s", "")))).body
internal = DBusAddress("/org/freedesktop/secrets", "org.freedesktop.secrets",
                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface")
reply = c.send_and_get_reply(new_method_call(
    internal, "UnlockWithMasterPassword", "o(oayays)",
    ("/org/freedesktop/secrets/collection/login", (session, b"", %r, "text/plain"))))
assert not secretstorage.get_default_collection(c).is_locked()
"""


def _in_env(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _keepassxc_unlocked(env: dict[str, str]) -> bool:
    code = (
        "import secretstorage as s\n"
        "c = s.dbus_init()\n"
        "try:\n"
        "    print(not s.get_default_collection(c).is_locked())\n"
        "except Exception:\n"
        "    print(False)\n"
    )
    return _in_env(env, code).strip() == "True"


@contextlib.contextmanager
def running_keepassxc(
    root: Path,
    display: str | None = None,
    database: Path | None = None,
    confirm_access: bool = False,
    open_database: bool = True,
) -> Iterator[SecretProvider]:
    """KeePassXC on a private session bus (its own: gnome-keyring is not on it), on an X
    server of its own (or ``display``), with ``database`` (a new one when None) open and
    unlocked, or with no database open at all (``open_database=False``).

    Its own X server: its dialogs (unlock, access request) are answered with xdotool,
    whose keys go to the focused window; another instance's dialog must not take them."""
    if shutil.which("keepassxc") is None:
        _missing("keepassxc (Debian package keepassxc)")
    if display is None:
        with contextlib.ExitStack() as stack:
            own = stack.enter_context(running_x_server())
            yield stack.enter_context(
                running_keepassxc(root, own, database, confirm_access, open_database)
            )
        return
    with running_session_bus(root) as env:
        if database is None:
            database = root / "team.kdbx"
            make_keepassxc_database(database)
        settings = root / "config" / "keepassxc.ini"
        settings.write_text(keepassxc_settings(confirm_access), encoding="utf-8")
        log = root / "keepassxc.log"
        with log.open("wb") as sink:
            program = subprocess.Popen(
                [
                    "keepassxc",
                    "--config",
                    str(settings),
                    "--localconfig",
                    str(root / "config" / "keepassxc-local.ini"),
                    *(["--pw-stdin", str(database)] if open_database else []),
                ],
                env={**env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
                stdin=subprocess.PIPE,
                stdout=sink,
                stderr=sink,
            )
        assert program.stdin is not None
        program.stdin.write(KEEPASSXC_PASSWORD.encode() + b"\n")
        program.stdin.close()
        bus_env = {k: env[k] for k in _BUS_VARIABLES}
        try:
            _wait_for_name(env, "org.freedesktop.secrets", program)
            deadline = time.monotonic() + 30
            while open_database and not _keepassxc_unlocked(bus_env):
                if program.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"KeePassXC did not open the database: {log.read_text()[-2000:]}")
                time.sleep(0.1)
            yield SecretProvider("keepassxc", "KeePassXC", bus_env, database, display, program.pid)
        finally:
            _stop(program)


@contextlib.contextmanager
def running_provider(kind: str, root: Path, display: str | None) -> Iterator[SecretProvider]:
    if kind == "keepassxc":
        with running_keepassxc(root, display) as provider:
            yield provider
    else:
        with running_secret_service(root) as env:
            yield SecretProvider("gnome-keyring", "GNOME Keyring", env)


PROVIDERS = ("gnome-keyring", "keepassxc")


@pytest.fixture(scope="session", params=PROVIDERS)
def secret_provider(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SecretProvider]:
    """Each Secret Service provider in turn (gnome-keyring, then KeePassXC with a real
    database), each on a private bus of its own: only one can own the bus name."""
    kind: str = request.param
    with running_provider(kind, tmp_path_factory.mktemp(kind), None) as provider:
        yield provider
