"""The real window natively on Wayland (a headless Weston, Qt's wayland platform): the demo
opens, Check all runs, Weston's screenshooter sees the window, the Quit action ends it with
exit status 0, and Qt says nothing on stderr."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from sipstory_desktop.demo.session import DEMO_ENTRIES
from tests.support.real_parts import (
    Desktop,
    DrivenApp,
    Wayland,
    running_desktop,
    unexpected_stderr,
    wayland_env,
    weston_screenshot,
)


@pytest.fixture
def plain_desktop(tmp_path: Path) -> Iterator[Desktop]:
    """A session bus as every Wayland desktop has, with no tray and no notifications."""
    with running_desktop(tmp_path / "desktop") as desktop:
        yield desktop


def test_demo_window_runs_natively_on_wayland(
    wayland: Wayland, plain_desktop: Desktop, tmp_path: Path
) -> None:
    app = DrivenApp([], wayland_env(wayland, plain_desktop, tmp_path / "home"), tmp_path / "err")
    try:
        shown = app.expect("shown")
        assert shown["platform"] == "wayland"
        assert shown["exposed"], "the compositor never showed the window"
        checked = app.expect("checked")
        expected = {demo.name: demo.expected_status for demo in DEMO_ENTRIES}
        assert {name: r["status"] for name, r in checked["results"].items()} == expected
        assert checked["visible"]

        shot = QImage(str(weston_screenshot(wayland, tmp_path / "shots")))
        assert (shot.width(), shot.height()) == (1600, 900)
        colours = {
            shot.pixel(x, y) for x in range(0, shot.width(), 7) for y in range(0, shot.height(), 7)
        }
        assert len(colours) > 100, "the screenshot shows no window"

        app.send("quit")
        status, stderr = app.finish()
    finally:
        app.stop()
    assert status == 0
    assert unexpected_stderr(stderr) == []
    # nothing of the demo leaks into the user's home
    assert not (tmp_path / "home" / "config.json").exists()
