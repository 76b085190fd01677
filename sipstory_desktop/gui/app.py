"""``sipstory-desktop``: start the window (or the demo)."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import APP_ID, APP_NAME, __version__
from ..core.paths import AppPaths, app_paths
from ..core.secrets import SecretStore
from ..core.vault import Vault
from . import system_check

if TYPE_CHECKING:
    from .window import MainWindow

log = logging.getLogger(__name__)


# Qt's own command-line options (QApplication, QGuiApplication), passed on to Qt: those
# that take a value, and those that do not.
QT_OPTIONS_WITH_VALUE = frozenset(
    {"style", "stylesheet", "platform", "platformpluginpath", "platformtheme", "plugin",
     "qwindowgeometry", "qwindowicon", "qwindowtitle", "display", "geometry", "name",
     "title", "session", "qmljsdebugger", "visual", "ncols", "cmap"}
)  # fmt: skip
QT_FLAGS = frozenset({"reverse", "widgetcount", "nograb", "dograb", "sync"})


def split_qt_arguments(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """``argv`` without Qt's own options, and those options (``-style fusion``,
    ``-platform=offscreen``, ``--reverse``), for QApplication."""
    ours: list[str] = []
    qt: list[str] = []
    words = iter(argv)
    for word in words:
        name = word.lstrip("-").split("=", 1)[0]
        if word.startswith("-") and not word.startswith("---") and name in QT_FLAGS:
            qt.append(word)
        elif word.startswith("-") and name in QT_OPTIONS_WITH_VALUE:
            qt.append(word)
            if "=" not in word:
                qt.append(next(words, ""))
        else:
            ours.append(word)
    return ours, qt


def qt_platform(qt_arguments: Sequence[str]) -> str:
    """The platform chosen with ``-platform`` among Qt's options, or ""."""
    for index, word in enumerate(qt_arguments):
        name, _, value = word.lstrip("-").partition("=")
        if name == "platform":
            return value or (qt_arguments[index + 1] if index + 1 < len(qt_arguments) else "")
    return ""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sipstory-desktop",
        description="Keep Sipstory API keys in the OS keyring and check that they work.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open on a local demo server with a session-only keyring; your "
        "keys and config are not touched",
    )
    parser.add_argument("--debug", action="store_true", help="log details")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop",
        action="store_true",
        help="add the app to your desktop's menu (Linux; ~/.local/share)",
    )
    desktop.add_argument(
        "--uninstall-desktop", action="store_true", help="remove it from the menu again"
    )
    parser.epilog = (
        "Qt's own options are passed on to Qt: -style NAME, -platform NAME, -reverse, "
        "-stylesheet FILE, -qwindowgeometry WxH+X+Y, ..."
    )
    ours, qt = split_qt_arguments(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(ours)
    args.qt_arguments = qt
    return args


LOG_MAX_BYTES = 512_000
LOG_BACKUPS = 2


def _rotate(log_file: Path) -> None:
    """Keep the log small: at start, a log over the limit becomes ``.1`` (``.1`` ``.2``).

    Rotated once per start rather than by ``RotatingFileHandler`` while running: its
    module (``logging.handlers``) would cost every start (docs/benchmarks.md)."""
    if not log_file.exists() or log_file.stat().st_size < LOG_MAX_BYTES:
        return
    for number in range(LOG_BACKUPS, 1, -1):
        older = log_file.with_name(f"{log_file.name}.{number - 1}")
        if older.exists():
            older.replace(log_file.with_name(f"{log_file.name}.{number}"))
    log_file.replace(log_file.with_name(f"{log_file.name}.1"))


def setup_logging(paths: AppPaths, debug: bool) -> None:
    """Log to a file in the log dir (never a key: none is ever logged)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    log_file = paths.log_dir / "sipstory-desktop.log"
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        _rotate(log_file)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


SWITCH_INTERVAL_S = 0.001


def tune_interpreter(window: MainWindow) -> None:
    """Interpreter settings for a responsive window (the app's, not the window's business).

    The GUI thread takes the interpreter lock within 1 ms rather than 5 (Python's default):
    while checks and file reads run on worker threads, each call from Qt into Python (a
    slot, a timer) otherwise waits up to 5 ms for it. And once the list is first loaded,
    what exists then (modules, entries, results) lives long: it is frozen out of the cycle
    collector's full passes, which otherwise walk all of it at random (docs/benchmarks.md).
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    def freeze_once() -> None:  # later loads replace what was loaded: not frozen for good
        window.loaded.disconnect(freeze_once)
        gc.freeze()

    window.loaded.connect(freeze_once)


def start_demo_process() -> None:
    """ "Try the demo" from the empty window: the demo in a process of its own."""
    from PySide6.QtCore import QProcess

    if getattr(sys, "frozen", False):
        QProcess.startDetached(sys.executable, ["--demo"])
    else:
        QProcess.startDetached(sys.executable, ["-m", "sipstory_desktop", "--demo"])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install_desktop or args.uninstall_desktop:
        from .. import desktop_integration

        return desktop_integration.main(["install" if args.install_desktop else "uninstall"])
    problem = system_check.no_display(chosen=qt_platform(args.qt_arguments))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if system_check.will_use_xcb() and not qt_platform(args.qt_arguments):
        missing = system_check.missing_packages()
        if missing:
            print(system_check.explain(missing), file=sys.stderr)
            return 1
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from . import skip_pyside_source_scan

    skip_pyside_source_scan()  # before the window's modules are imported

    from .icons import app_icon
    from .window import MainWindow

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([*sys.argv[:1], *args.qt_arguments])
    )
    app.setApplicationName("sipstory-desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Sipstory")
    QGuiApplication.setDesktopFileName(APP_ID)
    from .translations import install_translators

    translators = install_translators(app)  # before any text: the window is painted translated
    from .app_style import use_app_style
    from .color_scheme import ColorSchemeFollower

    use_app_style(app)
    ColorSchemeFollower(app)  # before the first paint: no flash of the other scheme
    app.setWindowIcon(app_icon())

    demo = None
    if args.demo:
        from ..demo.session import DemoSession

        demo = DemoSession()
        demo.start()
        vault = demo.vault
    else:
        vault = Vault(app_paths(), SecretStore())
    setup_logging(vault.paths, args.debug)
    log.info("starting %s %s%s", APP_NAME, __version__, " (demo)" if demo else "")
    log.info("translations: %s", ", ".join(Path(t.filePath()).name for t in translators) or "none")
    try:
        window = MainWindow(
            vault, demo=demo is not None, on_try_demo=None if demo else start_demo_process
        )
        tune_interpreter(window)
        window.show()
        return int(app.exec())
    finally:
        if demo is not None:
            demo.stop()


if __name__ == "__main__":
    sys.exit(main())
