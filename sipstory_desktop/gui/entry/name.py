"""The Name row of the entry dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ...core.entries import MAX_NAME_LENGTH, EntryError, check_name
from ..result_texts import translated
from ..widgets import InlineMessage, Tone
from .section import Section, column

_NEAR_LIMIT = 10  # characters before the limit from which the field counts them


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
        if shown:
            self._message.show_message(shown, Tone.ERROR)
        else:  # the field stops taking characters at the limit: say so before it does
            shown, tone = self._length_hint()
            self._message.show_message(shown, tone)
        self.edit.setAccessibleDescription(shown)

    def _length_hint(self) -> tuple[str, Tone]:
        length = len(self.edit.text())
        if length >= MAX_NAME_LENGTH:
            text = self.tr(
                "A name has at most {limit} characters: the field takes no more, and a "
                "longer name pasted here is cut."
            )
            return text.format(limit=MAX_NAME_LENGTH), Tone.WARNING
        if length >= MAX_NAME_LENGTH - _NEAR_LIMIT:
            text = self.tr("{length} of at most {limit} characters.")
            return text.format(length=length, limit=MAX_NAME_LENGTH), Tone.PLAIN
        return "", Tone.PLAIN

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def _check(self) -> tuple[str | None, str | None]:
        try:
            name = check_name(self.edit.text())
        except EntryError as exc:
            return None, translated(str(exc))
        if name.casefold() in self._taken:
            return None, self.tr("There is already a key called “{name}”.").format(name=name)
        return name, None
