"""The real window on a real X server (Xvfb, Qt's xcb platform): start the demo, see the
window, take a screenshot, quit with Ctrl+Q, expect exit status 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb

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


def _wait_for_window(env: dict[str, str], process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited early with status {process.returncode}")
        found = _xdotool("search", "--onlyvisible", "--name", WINDOW_TITLE, env=env)
        if found:
            return found.splitlines()[-1]
        time.sleep(0.2)
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
        window = _wait_for_window(env, process)
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


def test_demo_window_opens_on_x11_and_quits_with_ctrl_q(x_display: str, tmp_path: Path):
    screenshot = tmp_path / "demo-window.png"
    status = launch_and_quit(
        [sys.executable, "-m", "sipstory_desktop", "--demo"], x_display, tmp_path, screenshot
    )
    assert status == 0
    assert screenshot.stat().st_size > 10_000
    # nothing of the demo leaks into the user's home
    assert not (tmp_path / "home" / "config.json").exists()


def test_a_missing_xcb_library_gives_a_readable_message(x_display: str, tmp_path: Path):
    """A broken libxcb-cursor.so.0 first on the library path stands for a missing one."""
    broken = tmp_path / "libs"
    broken.mkdir()
    (broken / "libxcb-cursor.so.0").write_bytes(b"not a library")
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "LD_LIBRARY_PATH": str(broken),
        "SIPSTORY_DESKTOP_HOME": str(tmp_path / "home"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "sipstory_desktop", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "sudo apt install libxcb-cursor0" in done.stderr
    assert "qt.qpa.plugin" not in done.stderr  # not Qt's own abort
