"""Use in a terminal: the lines that use an entry's key from a shell, a script or CI, to
copy. None holds the key: each asks ``sipstory-keys`` for it when it runs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.entries import Entry
from ..core.key_environment import terminal_commands
from .widgets import plain_label


def keys_program() -> str:
    """How to call ``sipstory-keys`` from here: by name when PATH finds this one, else the
    one beside this program (the bundle's, or the venv's), else this Python's module."""
    beside = Path(sys.executable).with_name("sipstory-keys")  # the bundle's, or the venv's
    on_path = shutil.which("sipstory-keys")
    if on_path and (not beside.exists() or Path(on_path).resolve() == beside.resolve()):
        return "sipstory-keys"
    if beside.exists():
        return str(beside)
    return f"{sys.executable} -m sipstory_desktop.cli"


class TerminalUseDialog(QDialog):
    """The ``sipstory-keys run`` and ``env`` lines for ``entry``, each with a Copy button."""

    def __init__(self, entry: Entry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("terminalUseDialog")
        self.setWindowTitle(self.tr("Use “%s” in a terminal") % entry.name)
        commands = terminal_commands(entry.name, keys_program())
        titles = {
            "run": self.tr("Run a command with the key in its environment:"),
            "sh": self.tr("Set SIPSTORY_API_KEY and SIPSTORY_API_URL in this shell (sh, zsh):"),
            "fish": self.tr("The same in fish:"),
            "direnv": self.tr(
                "In a project's .envrc (direnv), so that commands there use this entry:"
            ),
        }
        grid = QGridLayout()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fields: dict[str, QLineEdit] = {}
        for row, (name, command) in enumerate(commands.items()):
            title = plain_label(titles[name])
            field = QLineEdit(command)
            field.setObjectName(f"{name}Line")
            field.setReadOnly(True)
            field.setFont(fixed)
            field.setAccessibleName(titles[name].rstrip(":"))
            field.setMinimumWidth(field.fontMetrics().horizontalAdvance(command) + 24)
            field.setCursorPosition(0)  # its start in view, where the command is
            copy = QPushButton(self.tr("Copy"))
            copy.setObjectName(f"{name}Copy")
            copy.setAccessibleName(self.tr("Copy: %s") % titles[name].rstrip(":"))
            copy.setAutoDefault(False)
            copy.clicked.connect(lambda _=False, text=command: self._copy(text))
            grid.addWidget(title, 2 * row, 0, 1, 2)
            grid.addWidget(field, 2 * row + 1, 0)
            grid.addWidget(copy, 2 * row + 1, 1)
            self.fields[name] = field
        note = plain_label(
            self.tr(
                "None of these lines holds the key: each asks sipstory-keys for it from the "
                "keyring when it runs. Replace COMMAND with your own. sipstory-keys run --mask "
                "hides the key in the command's output (the default when it is not a terminal)."
            ),
            "note",
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)  # no key in it: not cleared later
