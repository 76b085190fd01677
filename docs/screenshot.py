"""Render the demo window: python docs/screenshot.py [--dark] [--scale N] [OUT.png]

The demo runs as users see it (local demo server, session-only keyring), every entry is
checked once, and the rotated key is selected so the details pane shows a reason and a fix.
``--dark`` renders it as on a desktop with a dark colour scheme (docs/screenshot-dark.png),
``--scale 2`` at twice the pixels (QT_SCALE_FACTOR, docs/screenshot-2x.png). In the
system's language, as the app: ``LANGUAGE=de python docs/screenshot.py docs/screenshot-de.png``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from sipstory_desktop.demo.session import DemoSession
from sipstory_desktop.gui.app_style import use_app_style
from sipstory_desktop.gui.color_scheme import ColorSchemeFollower
from sipstory_desktop.gui.roles import Role
from sipstory_desktop.gui.translations import install_translators
from sipstory_desktop.gui.window import MainWindow


def main() -> int:
    words = sys.argv[1:]
    dark = "--dark" in words
    scale = words[words.index("--scale") + 1] if "--scale" in words else ""
    names = [w for w in words if w not in ("--dark", "--scale", scale)]
    default = "screenshot" + ("-dark" if dark else "") + (f"-{scale}x" if scale else "")
    out = Path(names[0] if names else Path(__file__).with_name(default + ".png"))
    if scale:
        os.environ["QT_SCALE_FACTOR"] = scale
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Sipstory Desktop")
    use_app_style(app)
    install_translators(app)  # the system's language, as the app: LANGUAGE=de for German
    if dark:
        ColorSchemeFollower(app).follow(Qt.ColorScheme.Dark)
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
