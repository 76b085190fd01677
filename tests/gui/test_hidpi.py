"""HiDPI: at 1.25, 1.5 and 2 (QT_SCALE_FACTOR) every picture of the window is drawn at the
screen's ratio (none scaled up), and no text is cut (labels, buttons, the list's headers
and cells). Each scale in a process of its own: the ratio is set before Qt starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("scale", ["1.25", "1.5", "2"])
def test_pictures_are_sharp_and_no_text_is_cut(scale: str) -> None:
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.hidpi_probe"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ratio"] == float(scale)
    assert report["blurry"] == []
    assert report["cut"] == []
