"""Before Qt starts on X11: are the system libraries its xcb plugin needs there?

Without them Qt aborts with a list of platform plugins that tells a user nothing. This
check names the packages to install instead. No Qt import here: it runs first.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

# The libraries Qt 6's xcb platform plugin loads, and the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libEGL.so.1": "libegl1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def will_use_xcb(environ: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt is about to start on X11 (and not offscreen, Wayland, macOS, Windows)."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


_NEEDS_NO_DISPLAY = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def no_display(
    environ: dict[str, str] | None = None, platform: str = sys.platform, chosen: str = ""
) -> str | None:
    """Why the window cannot open here (no X11 or Wayland display: over ssh, in a text
    console), or None. ``chosen`` is a ``-platform`` given on the command line."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    plugin = (chosen or env.get("QT_QPA_PLATFORM", "")).split(";")[0].split(":")[0].strip()
    if plugin in _NEEDS_NO_DISPLAY:
        return None
    wayland, x11 = bool(env.get("WAYLAND_DISPLAY")), bool(env.get("DISPLAY"))
    if (plugin.startswith("wayland") and wayland) or (plugin == "xcb" and x11):
        return None
    if not plugin and (wayland or x11):
        return None
    return (
        "Sipstory Desktop found no display to open its window on: neither DISPLAY (X11) nor "
        "WAYLAND_DISPLAY (Wayland) is set"
        + (f" for the '{plugin}' platform" if plugin else "")
        + ".\n\nStart it from a desktop session (a terminal on your desktop, the app menu), or "
        "over ssh with X forwarding (ssh -X). Without a display, the command line works: "
        "sipstory-keys list, sipstory-keys check (sipstory-keys --help)."
    )


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The packages whose libraries cannot be loaded, in a stable order."""
    return [package for library, package in XCB_LIBRARIES.items() if not loads(library)]


def explain(packages: list[str]) -> str:
    return (
        "Sipstory Desktop cannot open its window: Qt's X11 support needs system libraries "
        "that are not installed.\n\n"
        f"On Debian or Ubuntu, install them with:\n\n    sudo apt install {' '.join(packages)}\n\n"
        "then start the app again. (On other systems, install the packages that provide "
        "the same libraries.) The command line, sipstory-keys, works without them."
    )
