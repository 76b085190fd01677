"""The package as pip builds it: quiet (no setuptools warnings about data folders missing
from the packages list) and holding every resource the app reads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_builds_without_warnings_and_holds_every_resource(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    said = done.stdout + done.stderr
    assert "is absent from the `packages` configuration" not in said
    (wheel,) = tmp_path.glob("sipstory_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "resources"
    wanted = {
        "sipstory_desktop/resources/" + path.relative_to(resources).as_posix()
        for path in resources.rglob("*")
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
    }
    assert wanted and wanted <= names, sorted(wanted - names)
