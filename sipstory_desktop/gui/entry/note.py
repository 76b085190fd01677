"""The optional Note row of the entry dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QWidget

from ...core.entries import MAX_NOTE_LENGTH
from ..widgets import InlineMessage, Tone
from .section import Section, column

_NOTE_LINES = 3


class NoteSection(Section):
    """The optional note: a few lines."""

    def __init__(self, form: QFormLayout) -> None:
        super().__init__(form)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("noteEdit")
        self.edit.setAccessibleName(self.tr("Note"))
        self.edit.setPlaceholderText(self.tr("Optional: whose key this is, what it is for…"))
        self.edit.setTabChangesFocus(True)
        # Fusion frames a focused line edit in the highlight colour, but not a text edit.
        self.edit.setStyleSheet(
            "QPlainTextEdit:focus { border: 1px solid palette(highlight); border-radius: 2px; }"
        )
        lines = self.edit.fontMetrics().lineSpacing() * _NOTE_LINES
        frame = 2 * (self.edit.frameWidth() + round(self.edit.document().documentMargin()))
        self.edit.setFixedHeight(lines + frame)
        self._message = InlineMessage("noteMessage")
        label = QLabel(self.tr("N&ote:"))
        label.setBuddy(self.edit)
        form.addRow(label, column(self.edit, self._message))
        self.edit.textChanged.connect(self.changed)

    def set_text(self, text: str) -> None:
        """Show ``text`` in the field."""
        self.edit.setPlainText(text)

    def value(self) -> str | None:
        """The trimmed note, or None while it is too long."""
        note = self.edit.toPlainText().strip()
        return note if len(note) <= MAX_NOTE_LENGTH else None

    def refresh(self) -> None:
        too_long = self.value() is None
        message = self.tr("The note is longer than {count} characters.").format(
            count=MAX_NOTE_LENGTH
        )
        self._message.show_message(message if too_long else "", Tone.ERROR)

    def inputs(self) -> list[QWidget]:
        return [self.edit]
