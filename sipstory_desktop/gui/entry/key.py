"""The key row of the entry dialog: a masked field with a reveal toggle (an eye)."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ...core.keys import InvalidKeyText, clean_key
from ...core.secrets import BackendInfo
from ..result_texts import translated
from ..widgets import ICON_SIZE, InlineMessage, Tone, plain_label
from .section import Section, column

_REVEAL_SHORTCUT = "Alt+F8"  # the shortcut of Windows' own password reveal button
_BEARER_PREFIX = re.compile(r"^bearer(\s|$)", re.IGNORECASE)


class KeySection(Section):
    """The key field: masked, with a reveal toggle, cleaned as the user pastes."""

    def __init__(
        self, form: QFormLayout, label_text: str, storage: BackendInfo | None = None
    ) -> None:
        super().__init__(form)
        self.edit = QLineEdit()
        self.edit.setObjectName("keyEdit")
        self.edit.setAccessibleName(self.tr("API key"))
        self.edit.setPlaceholderText(self.tr("Paste the API key"))
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self._reveal = QAction(self.edit)
        self._reveal_button = QToolButton()  # beside the field: it takes the focus (Tab)
        self._set_up_reveal()
        self._message = InlineMessage("keyMessage")
        hint = plain_label(
            self.tr("Find your key in Sipstory: Settings → Developers → API Key."), "keyHint"
        )
        self.storage = InlineMessage("keyStorage")  # where the key goes, before it goes
        text, tone = self._storage_text(storage)
        self.storage.show_message(text, tone)
        label = QLabel(label_text)
        label.setBuddy(self.edit)
        form.addRow(
            label,
            column(_beside(self.edit, self._reveal_button), self._message, hint, self.storage),
        )
        self._watch(self.edit)

    def _storage_text(self, storage: BackendInfo | None) -> tuple[str, Tone]:
        """Where the key will be stored, said under the field (after vorta's backend
        warning): the keyring by name; a warning when it does not encrypt."""
        if storage is None:
            return self.tr("The key will be stored in the system keyring."), Tone.PLAIN
        if not storage.available:
            return (
                self.tr("No keyring is available: the key cannot be saved until there is one."),
                Tone.ERROR,
            )
        if not storage.secure:
            return (
                self.tr("The key will be stored in %s, which does NOT encrypt it.") % storage.name,
                Tone.WARNING,
            )
        if storage.is_keepassxc:
            return (
                self.tr(
                    "The key will be stored in %s, in the group of the open database that "
                    "KeePassXC shares: everyone who opens that database can use it."
                )
                % storage.name,
                Tone.PLAIN,
            )
        return self.tr("The key will be stored in %s, encrypted.") % storage.name, Tone.PLAIN

    def value(self) -> str | None:
        """The cleaned key, or None while the text cannot be a key."""
        try:
            return clean_key(self.edit.text()).key
        except InvalidKeyText:
            return None

    def clear(self) -> None:
        """Forget the key: empty the field and mask it again."""
        self.edit.clear()
        self._reveal.setChecked(False)

    def refresh(self) -> None:
        text = self.edit.text()
        try:
            cleaned = clean_key(text)
        except InvalidKeyText as exc:
            shown = translated(str(exc)) if text or self._speaks(self.edit) else ""
            self._message.show_message(shown, Tone.ERROR)
        else:
            self._message.show_message(self._note(text, cleaned.notes), Tone.WARNING)
        self.edit.setAccessibleDescription(self._message.text())

    def inputs(self) -> list[QWidget]:
        return [self.edit, self._reveal_button]

    def _note(self, text: str, notes: tuple[str, ...]) -> str:
        if _BEARER_PREFIX.match(text.strip()):
            return self.tr("The 'Bearer ' prefix will be removed: Sipstory expects the raw key.")
        return " ".join(map(translated, notes))

    def _set_up_reveal(self) -> None:
        self._reveal.setObjectName("revealKeyAction")
        self._reveal.setCheckable(True)
        self._reveal.setShortcut(QKeySequence(_REVEAL_SHORTCUT))
        self._reveal.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._reveal.toggled.connect(self._set_revealed)
        self.edit.addAction(self._reveal)  # its shortcut works in the field too
        self._reveal_button.setObjectName("revealKeyButton")
        self._reveal_button.setDefaultAction(self._reveal)  # its name is the action's text
        self._reveal_button.setAutoRaise(True)
        self._set_revealed(False)
        self.edit.installEventFilter(self)

    @Slot(bool)
    def _set_revealed(self, revealed: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        text = self.tr("Hide the key") if revealed else self.tr("Show the key")
        shortcut = self._reveal.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self._reveal.setText(text)
        self._reveal.setToolTip(f"{text} ({shortcut})")
        self._paint_eye()

    def _paint_eye(self) -> None:
        colour = self.edit.palette().color(QPalette.ColorRole.Text)
        ratio = self.edit.devicePixelRatioF()
        self._reveal.setIcon(_eye_icon(self._reveal.isChecked(), colour, ratio))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The eye in the new colours when the palette changes (dark mode turned on)."""
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_eye()
        return False


def _beside(field: QLineEdit, button: QToolButton) -> QWidget:
    """``field`` with ``button`` at its right."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return box


def _eye_icon(crossed: bool, colour: QColor, screen_ratio: float) -> QIcon:
    """An eye painted in ``colour`` (the field's text colour), struck through when
    ``crossed``. Not the theme's icon: a theme's symbolic icon is often dark whatever the
    palette, and invisible on a dark one."""
    icon = QIcon()
    for ratio in sorted({1.0, 2.0, screen_ratio}):
        icon.addPixmap(_eye_pixmap(crossed, colour, ratio))
    return icon


def _eye_pixmap(crossed: bool, colour: QColor, ratio: float) -> QPixmap:
    """An outlined eye with a pupil, struck through when ``crossed``; 16 logical pixels."""
    side = round(ICON_SIZE * ratio)
    pixmap = QPixmap(side, side)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.4))
        outline = QPainterPath(QPointF(1.5, 8))
        outline.quadTo(QPointF(8, 1), QPointF(14.5, 8))
        outline.quadTo(QPointF(8, 15), QPointF(1.5, 8))
        painter.drawPath(outline)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(8, 8), 2.2, 2.2)
        if crossed:
            painter.drawLine(QPointF(2.5, 13.5), QPointF(13.5, 2.5))
    finally:
        painter.end()
    return pixmap
