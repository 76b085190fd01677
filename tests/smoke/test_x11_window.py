"""The real window on a real X server (Xvfb, Qt's xcb platform): start the demo, see the
window, take a screenshot, quit with Ctrl+Q, expect exit status 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.real_parts import launch_and_quit

pytestmark = pytest.mark.xvfb


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


def test_qt_s_own_options_are_passed_on_to_qt(x_display: str, tmp_path: Path):
    screenshot = tmp_path / "reversed.png"
    status = launch_and_quit(
        [sys.executable, "-m", "sipstory_desktop", "--demo", "-style", "fusion", "-reverse"],
        x_display,
        tmp_path,
        screenshot,
    )
    assert status == 0  # not "unrecognized arguments"
    assert screenshot.stat().st_size > 10_000


NO_DISPLAY = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}


def test_no_display_gets_a_clear_message_and_status_2(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    env["SIPSTORY_DESKTOP_HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-m", "sipstory_desktop"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "found no display" in done.stderr and "sipstory-keys" in done.stderr
    assert "libxcb-cursor0" not in done.stderr  # not Qt's misleading plugin message
