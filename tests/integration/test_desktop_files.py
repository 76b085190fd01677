"""The .desktop file and the AppStream metainfo, checked by the real validators and against
the package they describe (its app id, version and scripts), and the real window's WM_CLASS
against ``StartupWMClass``.

A validator that is not installed skips its test, unless SIPSTORY_REQUIRE_REAL_PARTS is set:
then it fails (Debian: ``desktop-file-utils``, ``appstream``, ``x11-utils``, ``xdotool``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree

import pytest

import sipstory_desktop
from sipstory_desktop import APP_ID, APP_NAME
from sipstory_desktop.desktop_integration import install, launcher_path

RESOURCES = Path(str(files("sipstory_desktop.resources")))
DESKTOP_FILE = RESOURCES / f"{APP_ID}.desktop"
METAINFO_FILE = RESOURCES / f"{APP_ID}.metainfo.xml"
DISTRIBUTION = "sipstory-desktop"


def _program(name: str) -> str:
    """The path of ``name``; skips (or, with SIPSTORY_REQUIRE_REAL_PARTS, fails) without it."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("SIPSTORY_REQUIRE_REAL_PARTS"):
            pytest.fail(f"{name} is required (SIPSTORY_REQUIRE_REAL_PARTS is set) but missing")
        pytest.skip(f"{name} is not installed")
    return path


def _scripts(group: str) -> list[str]:
    entry_points = metadata.distribution(DISTRIBUTION).entry_points
    return sorted(entry_point.name for entry_point in entry_points if entry_point.group == group)


def _desktop_entry(path: Path) -> dict[str, dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], {})
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            current[key] = value
    return groups


def _metainfo() -> ElementTree.Element:
    return ElementTree.parse(METAINFO_FILE).getroot()  # noqa: S314  (our own file)


def _validate_desktop_file(path: Path) -> None:
    result = subprocess.run(
        [_program("desktop-file-validate"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if ": hint: " not in line]
    assert problems == [], "only hints are allowed"


def test_desktop_file_validates() -> None:
    _validate_desktop_file(DESKTOP_FILE)


def test_installed_desktop_file_with_an_awkward_launcher_path_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    install(exec_path="/home/ann/My Apps/$dollar `tick` \\back/100%/sipstory-desktop")
    _validate_desktop_file(tmp_path / "data" / "applications" / f"{APP_ID}.desktop")


def test_metainfo_validates_without_errors_or_warnings() -> None:
    result = subprocess.run(
        [_program("appstreamcli"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    issues = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert issues == [], "infos and pedantic notes are allowed, errors and warnings are not"


def test_metainfo_release_is_the_package_version() -> None:
    releases = _metainfo().findall("./releases/release")
    assert releases, "the metainfo lists no release"
    version = metadata.version(DISTRIBUTION)
    assert version == sipstory_desktop.__version__
    assert releases[0].get("version") == version, "the newest release comes first"


def test_metainfo_names_the_app_its_entry_and_its_programs() -> None:
    root = _metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == metadata.metadata(DISTRIBUTION)["License-Expression"]
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    binaries = sorted(binary.text or "" for binary in root.findall("./provides/binary"))
    assert binaries == sorted(_scripts("console_scripts") + _scripts("gui_scripts"))


def test_desktop_entry_matches_the_app_id_and_the_gui_script() -> None:
    (gui_script,) = _scripts("gui_scripts")
    entry = _desktop_entry(DESKTOP_FILE)
    main = entry["Desktop Entry"]
    assert DESKTOP_FILE.name == f"{APP_ID}.desktop"
    assert main["Name"] == APP_NAME
    assert main["Icon"] == APP_ID
    assert (RESOURCES / f"{APP_ID}.svg").is_file()
    assert main["Exec"] == gui_script
    assert main["StartupWMClass"] == gui_script
    assert main["Actions"] == "demo;"
    assert entry["Desktop Action demo"]["Exec"] == f"{gui_script} --demo"


@pytest.mark.xvfb
def test_the_window_class_is_the_desktop_entrys_startup_wm_class(
    x_display: str, tmp_path: Path
) -> None:
    """On X11 the shell matches a window to its menu entry by WM_CLASS: Qt's xcb plugin
    sets the class part from QCoreApplication.applicationName()."""
    xdotool, xprop = _program("xdotool"), _program("xprop")
    launcher = launcher_path()
    command = [launcher, "--demo"] if launcher else [sys.executable, "-m", "sipstory_desktop"]
    if not launcher:
        command.append("--demo")
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "SIPSTORY_DESKTOP_HOME": str(tmp_path / "home"),
    }
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        found = subprocess.run(
            [xdotool, "search", "--sync", "--onlyvisible", "--pid", str(process.pid)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        window = found.stdout.split()[0]
        wm_class = subprocess.run(
            [xprop, "-id", window, "WM_CLASS"],
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # WM_CLASS(STRING) = "instance", "class"
    _, values = wm_class.split("=", 1)
    _instance, window_class = (value.strip().strip('"') for value in values.split(","))
    assert window_class == _desktop_entry(DESKTOP_FILE)["Desktop Entry"]["StartupWMClass"]
