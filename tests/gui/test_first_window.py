"""The first window fits its screen: on a 1280 x 800 laptop, at 1.5x on it, and after a
layout saved on a larger screen (which is then not restored). Each screen in a process of
its own (the offscreen platform's screen is set before Qt starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

Seen = dict[str, dict[str, object]]


def _run(tmp_path: Path, width: int, height: int, scale: str) -> Seen:
    tmp_path.mkdir(parents=True, exist_ok=True)
    screens = tmp_path / "screens.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    screens.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
        "QT_SCALE_FACTOR": scale,
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.screen_fit_probe", str(home)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("size", "scale"), [((1280, 800), "1"), ((1366, 768), "1"), ((1280, 800), "1.5")]
)
def test_the_whole_window_is_on_the_screen(
    tmp_path: Path, size: tuple[int, int], scale: str
) -> None:
    seen = _run(tmp_path, *size, scale)
    for when in ("first", "again"):
        assert seen[when]["inside"], seen[when]
        assert seen[when]["minimum_fits"], seen[when]


def test_a_layout_saved_on_a_larger_screen_is_not_restored_where_it_does_not_fit(
    tmp_path: Path,
) -> None:
    big = _run(tmp_path / "big", 1920, 1200, "1")
    assert big["first"]["frame"][2] >= 1480  # type: ignore[index, operator]  # preferred size
    geometry = (tmp_path / "big" / "home" / "window.ini").read_text()
    assert "geometry" in geometry
    small = _run(tmp_path / "big", 1280, 800, "1.5")  # the same home, a smaller screen
    assert small["again"]["inside"] and small["first"]["inside"]
