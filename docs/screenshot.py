"""Render the demo window to docs/screenshot.png: python docs/screenshot.py [OUT.png]

The demo runs as users see it (local demo server, session-only keyring), every entry is
checked once, and the rotated key is selected so the details pane shows a reason and a fix.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from sipstory_desktop.demo.session import DemoSession
from sipstory_desktop.gui.roles import Role
from sipstory_desktop.gui.window import MainWindow


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("screenshot.png"))
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Sipstory Desktop")
    with DemoSession() as demo:
        window = MainWindow(demo.vault, demo=True)
        window.resize(1480, 700)
        window.show()

        def shoot() -> None:
            rotated = next(e for e in window.model.entries() if "rotated" in e.name)
            window.entry_list.setCurrentIndex(
                window.entry_list.proxy.mapFromSource(window.model.index_of(rotated.id))
            )
            assert window.entry_list.currentIndex().data(Role.ENTRY) == rotated
            QTimer.singleShot(200, lambda: (window.grab().save(str(out)), window.close()))

        window.session.idle.connect(lambda: QTimer.singleShot(300, shoot))
        QTimer.singleShot(20_000, window.close)
        app.exec()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
