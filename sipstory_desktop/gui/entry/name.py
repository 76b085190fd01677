"""The Name row of the entry dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ...core.entries import MAX_NAME_LENGTH, EntryError, check_name
from ..widgets import InlineMessage, Tone
from .section import Section, column


class NameSection(Section):
    """The Name row: required, and unique ignoring case."""

    def __init__(self, form: QFormLayout, taken: frozenset[str]) -> None:
        super().__init__(form)
        self._taken = taken
        self.edit = QLineEdit()
        self.edit.setObjectName("nameEdit")
        self.edit.setAccessibleName(self.tr("Name"))
        self.edit.setPlaceholderText(self.tr("e.g. Acme Corp (production)"))
        self.edit.setMaxLength(MAX_NAME_LENGTH)
        self._message = InlineMessage("nameMessage")
        label = QLabel(self.tr("&Name:"))
        label.setBuddy(self.edit)
        form.addRow(label, column(self.edit, self._message))
        self._watch(self.edit)

    def value(self) -> str | None:
        """The trimmed name, or None while it is invalid."""
        return self._check()[0]

    def refresh(self) -> None:
        error = self._check()[1]
        shown = error if error and self._speaks(self.edit) else ""
        self._message.show_message(shown, Tone.ERROR)
        self.edit.setAccessibleDescription(shown)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def _check(self) -> tuple[str | None, str | None]:
        try:
            name = check_name(self.edit.text())
        except EntryError as exc:
            return None, str(exc)
        if name.casefold() in self._taken:
            return None, self.tr("There is already a key called “{name}”.").format(name=name)
        return name, None
