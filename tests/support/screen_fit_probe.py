"""Run by tests/gui/test_first_window.py in a process of its own, on an offscreen screen of
the size given (QT_QPA_PLATFORM=offscreen:configfile=...): the window as it first opens,
then as it opens again with the layout saved on a larger screen; where it is, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.gui.window import MainWindow


def opened(home: Path) -> dict[str, object]:
    vault = Vault(AppPaths(data_dir=home, log_dir=home / "logs"), SecretStore(MemoryKeyring()))
    window = MainWindow(vault)
    window.show()
    seen: dict[str, object] = {}

    def look() -> None:
        screen = window.screen().availableGeometry()
        frame = window.frameGeometry()
        seen.update(
            screen=[screen.x(), screen.y(), screen.width(), screen.height()],
            frame=[frame.x(), frame.y(), frame.width(), frame.height()],
            inside=screen.contains(frame),
            minimum_fits=window.minimumSizeHint().width() <= screen.width()
            and window.minimumSizeHint().height() <= screen.height(),
        )
        window.close()

    QTimer.singleShot(300, look)
    QApplication.instance().exec()  # type: ignore[union-attr]
    return seen


def main() -> int:
    app = QApplication(sys.argv[:1])
    home = Path(sys.argv[1])
    first = opened(home)  # a layout saved by an earlier run (another screen) is restored
    again = opened(home)  # ... or not, where it would not fit
    print(json.dumps({"first": first, "again": again}))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
