"""The check for Qt's X11 libraries, which runs before Qt is imported."""

from __future__ import annotations

import pytest

from sipstory_desktop.gui import system_check


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux", False),
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({"DISPLAY": ":0"}, "win32", False),
    ],
)
def test_will_use_xcb(env: dict[str, str], platform: str, expected: bool) -> None:
    assert system_check.will_use_xcb(env, platform) is expected


def test_missing_libraries_are_named_by_package() -> None:
    missing = system_check.missing_packages(lambda name: name != "libxcb-cursor.so.0")
    assert missing == ["libxcb-cursor0"]
    message = system_check.explain(missing)
    assert "sudo apt install libxcb-cursor0" in message


def test_nothing_missing_on_this_machine_when_qt_runs_here() -> None:
    assert system_check.missing_packages(lambda name: True) == []


@pytest.mark.parametrize(
    ("env", "chosen", "fine"),
    [
        ({}, "", False),  # over ssh, in a text console
        ({"DISPLAY": ":0"}, "", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "", False),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "", True),
        ({}, "offscreen", True),
        ({"DISPLAY": ":0"}, "wayland", False),
    ],
)
def test_no_display_is_said(env: dict[str, str], chosen: str, fine: bool) -> None:
    problem = system_check.no_display(env, "linux", chosen)
    assert (problem is None) is fine
    if problem:
        assert "sipstory-keys" in problem


def test_qt_options_are_split_from_ours() -> None:
    from sipstory_desktop.gui.app import qt_platform, split_qt_arguments

    ours, qt = split_qt_arguments(
        ["--demo", "-style", "fusion", "-reverse", "--platform=offscreen", "--debug"]
    )
    assert ours == ["--demo", "--debug"]
    assert qt == ["-style", "fusion", "-reverse", "--platform=offscreen"]
    assert qt_platform(qt) == "offscreen"
    assert qt_platform(["-platform", "wayland"]) == "wayland" and qt_platform([]) == ""
