"""Put Sipstory Desktop into the Linux desktop's menus, and take it out again.

::

    python -m sipstory_desktop.desktop_integration install [--prefix DIR] [--exec PATH]
    python -m sipstory_desktop.desktop_integration uninstall [--prefix DIR]

``install`` copies the .desktop file, the AppStream metainfo and the icons (a PNG for every
hicolor size and the scalable SVG) into the user's XDG data dir (``$XDG_DATA_HOME``, else
``~/.local/share``), or into ``DIR/share`` with ``--prefix DIR``. The menu entry's ``Exec=``
names the launcher that is running this (the venv's ``sipstory-desktop`` script, or the frozen
executable), so that it works without the venv on ``PATH``. ``uninstall`` removes exactly the
files ``install`` writes. Menu and icon caches are refreshed where their tools exist.

Plain Python, no Qt: the files are read with ``importlib.resources``, so this works installed,
in an editable checkout and frozen alike.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from . import APP_ID

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

log = logging.getLogger(__name__)

RESOURCES = "sipstory_desktop.resources"
GUI_SCRIPT = "sipstory-desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = f"applications/{APP_ID}.desktop"

# Characters that make the desktop entry spec require an Exec argument to be quoted, and
# those that must be escaped with a backslash inside the quotes.
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#`()")
_EXEC_ESCAPED = frozenset('"`$\\')
_TOOL_TIMEOUT = 60.0


def data_dir(prefix: Path | None = None) -> Path:
    """Where the files go: ``prefix/share``, else ``$XDG_DATA_HOME``, else ~/.local/share.

    A relative ``$XDG_DATA_HOME`` is ignored, as the XDG base directory spec says.
    """
    if prefix is not None:
        return Path(prefix) / "share"
    xdg_data_home = os.environ.get("XDG_DATA_HOME", "")
    if xdg_data_home and os.path.isabs(xdg_data_home):
        return Path(xdg_data_home)
    return Path.home() / ".local" / "share"


def installed_files(prefix: Path | None = None) -> list[Path]:
    """Every file that ``install(prefix)`` writes (and ``uninstall(prefix)`` removes)."""
    target = data_dir(prefix)
    return [target / destination for _, destination in _sources()]


def exec_quote(argument: str) -> str:
    """``argument`` as one argument of an ``Exec`` key, quoted where the spec requires it.

    The result still has to go through :func:`escape_value` (the string escapes, which the
    spec applies before the quoting rules) to be written into a desktop file.
    """
    argument = argument.replace("%", "%%")
    if argument and not _EXEC_RESERVED.intersection(argument):
        return argument
    inner = "".join("\\" + char if char in _EXEC_ESCAPED else char for char in argument)
    return f'"{inner}"'


def escape_value(value: str) -> str:
    """``value`` with the desktop entry spec's escapes for values of type string."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def desktop_entry(exec_path: str | None = None) -> bytes:
    """The .desktop file, with its commands run through ``exec_path`` when it is given.

    ``Exec=sipstory-desktop …`` becomes ``Exec=<exec_path, quoted> …`` in the main entry and
    in each action, and an absolute ``exec_path`` is also the main entry's ``TryExec``, so the
    entry disappears from the menu rather than fail if that launcher is deleted.
    """
    text = (_resources() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    if exec_path is None:
        return text.encode("utf-8")
    command = escape_value(exec_quote(exec_path))
    lines: list[str] = []
    group = ""
    rewritten = 0
    for line in text.splitlines():
        if line.startswith("TryExec="):
            continue
        if line.startswith("["):
            group = line.strip()
        arguments = line.removeprefix("Exec=")
        runs_the_app = arguments == GUI_SCRIPT or arguments.startswith(GUI_SCRIPT + " ")
        if line.startswith("Exec=") and runs_the_app:
            rewritten += 1
            if group == "[Desktop Entry]" and os.path.isabs(exec_path):
                lines.append("TryExec=" + escape_value(exec_path))
            lines.append("Exec=" + command + arguments.removeprefix(GUI_SCRIPT))
        else:
            lines.append(line)
    if rewritten == 0:
        raise RuntimeError(f"{APP_ID}.desktop has no 'Exec={GUI_SCRIPT}' line to rewrite")
    return ("\n".join(lines) + "\n").encode("utf-8")


def launcher_path() -> str | None:
    """The absolute path of the program that starts the app, if it can be found.

    Frozen: the executable itself (or the AppImage it runs from). Otherwise the
    ``sipstory-desktop`` script next to this Python (the venv's own, even when the venv is
    not on PATH), else the one on PATH.
    """
    if getattr(sys, "frozen", False):
        return os.environ.get("APPIMAGE") or sys.executable
    # Not resolved: a venv's python is a symlink, and its scripts sit beside the link.
    bin_dir = Path(sys.executable).parent
    for name in (GUI_SCRIPT, GUI_SCRIPT + ".exe"):
        candidate = bin_dir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate.absolute())
    found = shutil.which(GUI_SCRIPT)
    return str(Path(found).absolute()) if found else None


def install(prefix: Path | None = None, exec_path: str | None = None) -> list[Path]:
    """Install the menu entry, metainfo and icons (see the module's docstring).

    ``exec_path`` replaces ``sipstory-desktop`` in the entry's commands; None keeps the bare
    name, found on PATH when the entry is launched. Returns the files written. A PNG size
    missing from the resources is skipped with a warning; the SVG covers every size.
    """
    target = data_dir(prefix)
    written: list[Path] = []
    for source, destination in _sources():
        if destination == DESKTOP_FILE:
            data = desktop_entry(exec_path)
        elif destination.endswith(".png") and not source.is_file():
            log.warning("no %s in the resources: skipped", destination)
            continue
        else:
            data = source.read_bytes()
        path = target / destination
        _write(path, data)
        written.append(path)
    _refresh_caches(target)
    return written


def uninstall(prefix: Path | None = None) -> list[Path]:
    """Remove the files that :func:`install` writes; returns those that were there."""
    removed: list[Path] = []
    for path in installed_files(prefix):
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
    if removed:
        _refresh_caches(data_dir(prefix))
    return removed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sipstory_desktop.desktop_integration",
        description="Add Sipstory Desktop to the desktop's application menu, or remove it.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (
        ("install", "install the menu entry, the icons and the AppStream metainfo"),
        ("uninstall", "remove what install wrote"),
    ):
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--prefix",
            type=Path,
            help="install under PREFIX/share instead of $XDG_DATA_HOME or ~/.local/share",
        )
        if name == "install":
            command.add_argument(
                "--exec",
                dest="exec_path",
                metavar="PATH",
                help="the program the menu entry runs (default: the sipstory-desktop "
                "launcher of this installation, found next to this Python or on PATH)",
            )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        if args.command == "install":
            exec_path = args.exec_path or launcher_path()
            if exec_path is None:
                log.warning("%s was not found: the menu entry runs it from PATH", GUI_SCRIPT)
            paths = install(args.prefix, exec_path)
            verb = "installed"
        else:
            paths = uninstall(args.prefix)
            verb = "removed"
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{verb} {path}")
    if not paths:
        print(f"nothing to remove under {data_dir(args.prefix)}")
    return 0


def _resources() -> Traversable:
    return files(RESOURCES)


def _sources() -> list[tuple[Traversable, str]]:
    """Each resource and where it goes, relative to the data dir."""
    resources = _resources()
    hicolor = resources / "icons" / "hicolor"
    sources = [
        (resources / f"{APP_ID}.desktop", DESKTOP_FILE),
        (resources / f"{APP_ID}.metainfo.xml", f"metainfo/{APP_ID}.metainfo.xml"),
    ]
    for size in ICON_SIZES:
        relative = f"{size}x{size}/apps/{APP_ID}.png"
        sources.append((hicolor / relative, f"icons/hicolor/{relative}"))
    sources.append((resources / f"{APP_ID}.svg", f"icons/hicolor/scalable/apps/{APP_ID}.svg"))
    return sources


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, readable by all (0644)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.chmod(0o644)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _refresh_caches(target: Path) -> None:
    """Tell menus and icon themes about the change; a tool missing or failing is no error.

    ``gtk-update-icon-cache`` only refreshes a cache that the theme dir already has (or
    could have, with an ``index.theme``), as xdg-icon-resource does: a cache made here
    would hide icons that other programs add later without updating it. Touching the theme
    dir tells GTK to rescan it either way.
    """
    applications = target / "applications"
    if applications.is_dir():
        _run_tool("update-desktop-database", "-q", str(applications))
    theme = target / "icons" / "hicolor"
    if theme.is_dir():
        try:
            os.utime(theme)
        except OSError as error:
            log.debug("could not touch %s: %s", theme, error)
        if (theme / "index.theme").is_file() or (theme / "icon-theme.cache").is_file():
            _run_tool("gtk-update-icon-cache", "-q", "-f", "-t", str(theme))


def _run_tool(name: str, *arguments: str) -> None:
    program = shutil.which(name)
    if program is None:
        log.debug("%s is not installed: skipped", name)
        return
    try:
        result = subprocess.run(
            [program, *arguments],
            capture_output=True,
            text=True,
            timeout=_TOOL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.info("%s did not run: %s", name, error)
        return
    if result.returncode != 0:
        log.info("%s failed (%d): %s", name, result.returncode, result.stderr.strip())


if __name__ == "__main__":
    sys.exit(main())
