"""The base of the entry dialog's sections: a group of form rows that checks its own input."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget


class Section(QObject):
    """A group of form rows that checks its own input.

    Errors stay quiet until the user has typed into a field or tried to save.

    Signals:
        changed(): an input changed.
    """

    changed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._touched: set[QWidget] = set()
        self._revealed = False

    def reveal_errors(self) -> None:
        """Show errors even in fields the user has not typed into yet."""
        self._revealed = True
        self.refresh()

    def refresh(self) -> None:
        """Update the section's messages to its inputs."""

    def inputs(self) -> list[QWidget]:
        """The section's inputs, in tab order."""
        return []

    def _watch(self, edit: QLineEdit) -> None:
        edit.textEdited.connect(lambda _text: self._touched.add(edit))
        edit.textChanged.connect(self.changed)

    def _speaks(self, edit: QWidget) -> bool:
        """Whether errors about ``edit`` may be shown yet."""
        return self._revealed or edit in self._touched


def column(*widgets: QWidget) -> QWidget:
    """``widgets`` stacked tightly, as one form field."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return box
