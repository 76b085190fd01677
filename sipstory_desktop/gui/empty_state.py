"""What the window shows before any key is saved: what a key is, where to find it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    def __init__(self, on_add: Callable[[], Any], on_try_demo: Callable[[], Any] | None) -> None:
        super().__init__()
        self.setObjectName("empty-state")
        title = QLabel(self.tr("Keep your Sipstory API keys safe, and know they work"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        text = QLabel(
            self.tr(
                "<p>An <b>API key</b> lets scripts and tools act for one Sipstory organization. "
                "Each organization has its own key, on Sipstory Cloud or on your own instance.</p>"
                "<p>Find yours in Sipstory under <b>Settings → Developers → API Key</b>. "
                "Sipstory Desktop keeps it in your system's keyring, never in a plain file, and "
                "checks at one click that it still works.</p>"
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(560)
        text.setMinimumHeight(text.heightForWidth(560))
        self.add_button = QPushButton(self.tr("&Add a key…"))
        self.add_button.setDefault(True)
        self.add_button.setAccessibleName(self.tr("Add a key"))
        self.add_button.clicked.connect(on_add)
        self.demo_button = QPushButton(self.tr("Try the &demo"))
        self.demo_button.setAccessibleName(self.tr("Try the demo"))
        self.demo_button.setToolTip(
            self.tr(
                "Opens a second window on a local demo server with sample keys; your own keys "
                "and settings are not touched."
            )
        )
        if on_try_demo is None:
            self.demo_button.hide()
        else:
            self.demo_button.clicked.connect(on_try_demo)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addSpacing(12)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(text)
        centred.addStretch(1)
        layout.addLayout(centred)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addStretch(2)
