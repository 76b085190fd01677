"""The dialog that adds an entry, edits one, or replaces an entry's key.

The dialog only checks what the user types. It never touches the keyring, the config or the
network: it hands a validated :class:`EntryDraft` (or a base URL and key to test) to the window
with signals, and the window answers through slots once its worker threads are done.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import pairwise

from PySide6.QtCore import QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..core.entries import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Entry,
    EntryError,
    EntryKind,
    check_name,
    resolve_base_url,
)
from ..core.keys import InvalidKeyText, clean_key, masked
from ..core.status import CheckResult
from ..core.urls import (
    SELF_HOSTED_API_PATH,
    UrlError,
    base_url_for_instance,
    plain_http_warning,
)
from .widgets import ICON_SIZE, InlineMessage, ResultPanel, Tone, plain_label

log = logging.getLogger(__name__)

_REVEAL_SHORTCUT = "Alt+F8"  # the shortcut of Windows' own password reveal button
_BEARER_PREFIX = re.compile(r"^bearer(\s|$)", re.IGNORECASE)
_NOTE_LINES = 3

_Where = tuple[EntryKind, str, str]  # kind, what the user typed, the resolved base URL


class DialogMode(enum.Enum):
    """What the dialog is for."""

    ADD = "add"
    EDIT = "edit"
    REPLACE_KEY = "replace_key"


@dataclass(frozen=True)
class EntryDraft:
    """What the user asked to save, validated.

    ``where`` is the instance address for ``SELF_HOSTED``, the base URL for ``CUSTOM`` and
    ``""`` for ``CLOUD``; ``base_url`` is what it resolves to. ``key`` is the cleaned key, or
    None in Edit mode, where the key is not changed. The key is left out of ``repr()``.
    """

    name: str
    kind: EntryKind
    where: str
    base_url: str
    key: str | None = field(repr=False)
    note: str


def instance_address_of(base_url: str) -> str:
    """The instance address that resolves to ``base_url`` again (see ``base_url_for_instance``).

    ``https://sipstory.example.com/api/public/v1`` gives ``sipstory.example.com``;
    ``http://localhost:4007/api/public/v1`` gives ``http://localhost:4007``; a base URL that
    cannot be shortened is returned as it is (it resolves to itself).
    """
    origin_and_prefix = base_url.removesuffix(SELF_HOSTED_API_PATH)
    for address in (origin_and_prefix.removeprefix("https://"), origin_and_prefix):
        try:
            if base_url_for_instance(address) == base_url:
                return address
        except UrlError:
            continue
    return base_url


# --- small widgets ------------------------------------------------------------------------


def _column(*widgets: QWidget) -> QWidget:
    """``widgets`` stacked tightly, as one form field."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def _eye_icon(crossed: bool, colour: QColor) -> QIcon:
    """The theme's reveal (or conceal) icon, else an eye painted in ``colour``."""
    names = (
        ("view-conceal-symbolic", "view-hidden")
        if crossed
        else ("view-reveal-symbolic", "view-visible")
    )
    for name in names:
        if QIcon.hasThemeIcon(name):
            return QIcon.fromTheme(name)
    icon = QIcon()
    for ratio in (1.0, 2.0):
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


# --- sections of the form -----------------------------------------------------------------


class _Section(QObject):
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


class _NameSection(_Section):
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
        form.addRow(label, _column(self.edit, self._message))
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


class _WhereSection(_Section):
    """Cloud, a self-hosted instance, or a custom base URL, with the base URL shown live.

    Signals:
        find_requested(str): the user asked to find the API URL of the typed address.
    """

    find_requested = Signal(str)

    def __init__(self, form: QFormLayout) -> None:
        super().__init__(form)
        self._cloud = self._radio(
            self.tr("Sipstory C&loud"), "cloudRadio", self.tr("Sipstory Cloud")
        )
        self._instance = self._radio(
            self.tr("&Self-hosted instance"), "instanceRadio", self.tr("Self-hosted instance")
        )
        self._custom = self._radio(
            self.tr("Custom base &URL"), "customRadio", self.tr("Custom base URL")
        )
        self._address = self._field(
            "addressEdit", self.tr("Instance address"), "sipstory.example.com"
        )
        self._url = self._field(
            "urlEdit", self.tr("Custom base URL"), "http://localhost:3000/public/v1"
        )
        self._find = QPushButton(self.tr("&Find API URL…"))
        self._find.setObjectName("findUrlButton")
        self._find.setAccessibleName(self.tr("Find the API URL of this address"))
        self._find.setToolTip(
            self.tr(
                "Try the likely API addresses of this instance (sends no key) and use the one "
                "that answers like Sipstory"
            )
        )
        self._find.clicked.connect(lambda: self.find_requested.emit(self._address.text().strip()))
        self._address.textChanged.connect(self._update_find)
        self._group = QButtonGroup(self)
        for radio in self._radios().values():
            self._group.addButton(radio)
            radio.toggled.connect(self._kind_toggled)
        self._base_url = InlineMessage("baseUrlMessage")
        self._http_warning = InlineMessage("httpWarning")
        form.addRow(QLabel(self.tr("Where:")), self._layout())
        self._cloud.setChecked(True)

    def set_entry(self, entry: Entry) -> None:
        """Show where ``entry`` belongs."""
        self._radios()[entry.kind].setChecked(True)
        if entry.kind is EntryKind.SELF_HOSTED:
            self._address.setText(instance_address_of(entry.base_url))
        elif entry.kind is EntryKind.CUSTOM:
            self._url.setText(entry.base_url)

    def use_base_url(self, base_url: str) -> None:
        """Switch to a custom base URL, as found by Find API URL."""
        self._custom.setChecked(True)
        self._url.setText(base_url)

    def _update_find(self) -> None:
        self._find.setEnabled(
            self.kind() is EntryKind.SELF_HOSTED and bool(self._address.text().strip())
        )

    def kind(self) -> EntryKind:
        """The chosen option."""
        return next(kind for kind, radio in self._radios().items() if radio.isChecked())

    def value(self) -> _Where | None:
        """Kind, typed text and resolved base URL, or None while the URL is invalid."""
        kind, where, base_url, _error = self._check()
        return None if base_url is None else (kind, where, base_url)

    def base_url(self) -> str | None:
        """The resolved base URL, or None while it is invalid."""
        return self._check()[2]

    def refresh(self) -> None:
        kind, where, base_url, error = self._check()
        warning = plain_http_warning(base_url) if base_url else None
        self._http_warning.show_message(warning or "", Tone.WARNING)
        if base_url is not None:
            self._base_url.show_message(self.tr("Base URL: {url}").format(url=base_url))
        elif where or self._speaks(self._field_of(kind)):
            self._base_url.show_message(error or "", Tone.ERROR)
        else:
            self._base_url.show_message(self._guidance(kind))
        field_of_kind = self._field_of(kind)
        field_of_kind.setAccessibleDescription(self._base_url.text())

    def inputs(self) -> list[QWidget]:
        return [self._cloud, self._instance, self._address, self._find, self._custom, self._url]

    def _check(self) -> tuple[EntryKind, str, str | None, str | None]:
        kind = self.kind()
        where = self._field_of(kind).text().strip() if kind is not EntryKind.CLOUD else ""
        try:
            return kind, where, resolve_base_url(kind, where), None
        except UrlError as exc:
            return kind, where, None, str(exc)

    def _guidance(self, kind: EntryKind) -> str:
        if kind is EntryKind.SELF_HOSTED:
            return self.tr(
                "Enter your server's address, e.g. sipstory.example.com or http://localhost:4007."
            )
        return self.tr("Enter the full API base URL, e.g. http://localhost:3000/public/v1.")

    def _radios(self) -> dict[EntryKind, QRadioButton]:
        return {
            EntryKind.CLOUD: self._cloud,
            EntryKind.SELF_HOSTED: self._instance,
            EntryKind.CUSTOM: self._custom,
        }

    def _field_of(self, kind: EntryKind) -> QLineEdit:
        return self._url if kind is EntryKind.CUSTOM else self._address

    def _radio(self, text: str, object_name: str, accessible: str) -> QRadioButton:
        radio = QRadioButton(text)
        radio.setObjectName(object_name)
        radio.setAccessibleName(accessible)
        return radio

    def _field(self, object_name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setEnabled(False)
        self._watch(edit)
        return edit

    def _layout(self) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        grid.addWidget(self._cloud, 0, 0)
        grid.addWidget(self._instance, 1, 0)
        grid.addWidget(self._address, 1, 1)
        grid.addWidget(self._find, 1, 2)
        grid.addWidget(self._custom, 2, 0)
        grid.addWidget(self._url, 2, 1, 1, 2)
        grid.addWidget(self._base_url, 3, 0, 1, 3)
        grid.addWidget(self._http_warning, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        return box

    @Slot(bool)
    def _kind_toggled(self, checked: bool) -> None:
        if not checked:
            return  # the newly checked radio reports too
        kind = self.kind()
        self._address.setEnabled(kind is EntryKind.SELF_HOSTED)
        self._url.setEnabled(kind is EntryKind.CUSTOM)
        self._update_find()
        self._make_tab_stop(self._radios()[kind])
        self.changed.emit()

    def _make_tab_stop(self, checked: QRadioButton) -> None:
        """Let Tab enter the group at the checked radio, as Qt does for the last focused one."""
        for radio in self._radios().values():
            policy = Qt.FocusPolicy.StrongFocus if radio is checked else Qt.FocusPolicy.ClickFocus
            radio.setFocusPolicy(policy)


class _KeySection(_Section):
    """The key field: masked, with a reveal toggle, cleaned as the user pastes."""

    def __init__(self, form: QFormLayout, label_text: str) -> None:
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
        self._set_up_reveal()
        self._message = InlineMessage("keyMessage")
        hint = plain_label(
            self.tr("Find your key in Sipstory: Settings → Developers → API Key."), "keyHint"
        )
        label = QLabel(label_text)
        label.setBuddy(self.edit)
        form.addRow(label, _column(self.edit, self._message, hint))
        self._watch(self.edit)

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
            shown = str(exc) if text or self._speaks(self.edit) else ""
            self._message.show_message(shown, Tone.ERROR)
        else:
            self._message.show_message(self._note(text, cleaned.notes), Tone.WARNING)
        self.edit.setAccessibleDescription(self._message.text())

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def _note(self, text: str, notes: tuple[str, ...]) -> str:
        if _BEARER_PREFIX.match(text.strip()):
            return self.tr("The 'Bearer ' prefix will be removed: Sipstory expects the raw key.")
        return " ".join(notes)

    def _set_up_reveal(self) -> None:
        self._reveal.setObjectName("revealKeyAction")
        self._reveal.setCheckable(True)
        self._reveal.setShortcut(QKeySequence(_REVEAL_SHORTCUT))
        self._reveal.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._reveal.toggled.connect(self._set_revealed)
        self.edit.addAction(self._reveal, QLineEdit.ActionPosition.TrailingPosition)
        self._set_revealed(False)

    @Slot(bool)
    def _set_revealed(self, revealed: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        text = self.tr("Hide the key") if revealed else self.tr("Show the key")
        shortcut = self._reveal.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self._reveal.setText(text)
        self._reveal.setToolTip(f"{text} ({shortcut})")
        colour = self.edit.palette().color(QPalette.ColorRole.Text)
        self._reveal.setIcon(_eye_icon(revealed, colour))


class _NoteSection(_Section):
    """The optional note: a few lines."""

    def __init__(self, form: QFormLayout) -> None:
        super().__init__(form)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("noteEdit")
        self.edit.setAccessibleName(self.tr("Note"))
        self.edit.setPlaceholderText(self.tr("Optional: whose key this is, what it is for…"))
        self.edit.setTabChangesFocus(True)
        lines = self.edit.fontMetrics().lineSpacing() * _NOTE_LINES
        frame = 2 * (self.edit.frameWidth() + round(self.edit.document().documentMargin()))
        self.edit.setFixedHeight(lines + frame)
        self._message = InlineMessage("noteMessage")
        label = QLabel(self.tr("N&ote:"))
        label.setBuddy(self.edit)
        form.addRow(label, _column(self.edit, self._message))
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


# --- the dialog ---------------------------------------------------------------------------


class EntryDialog(QDialog):
    """Add an entry, edit one (everything but the key), or replace an entry's key.

    Nothing is saved until OK: then the dialog emits :attr:`save_requested` and waits, busy,
    for :meth:`save_succeeded` (it closes) or :meth:`save_failed` (it shows why and stays).

    Signals:
        save_requested(EntryDraft): save this draft, off the GUI thread.
        test_requested(str, str): check this base URL and key, off the GUI thread; answer
            with :meth:`show_test_result`.
    """

    save_requested = Signal(object)
    test_requested = Signal(str, str)
    find_url_requested = Signal(str)

    def __init__(
        self,
        mode: DialogMode,
        parent: QWidget | None = None,
        entry: Entry | None = None,
        existing_names: Collection[str] = (),
    ) -> None:
        super().__init__(parent)
        if mode is not DialogMode.ADD and entry is None:
            raise ValueError(f"{mode.name} needs the entry")
        self._mode = mode
        self._entry = entry
        self._saving = False
        self._testing = False
        self._test_outdated = False
        self._focus_before_saving: QWidget | None = None
        self._name: _NameSection | None = None
        self._where: _WhereSection | None = None
        self._key: _KeySection | None = None
        self._note: _NoteSection | None = None
        self._test_button: QPushButton | None = None
        self._result: ResultPanel | None = None
        self._build(self._taken_names(existing_names))
        self._prefill()
        self._connect()
        self._refresh()

    # --- public --------------------------------------------------------------------------

    def draft(self) -> EntryDraft | None:
        """What OK would save, or None while something is invalid."""
        name = self._name.value() if self._name else self._existing.name
        where = self._where.value() if self._where else self._existing_where()
        note = self._note.value() if self._note else self._existing.note
        key = self._key.value() if self._key else None
        if name is None or where is None or note is None:
            return None
        if self._key is not None and key is None:
            return None
        kind, where_text, base_url = where
        return EntryDraft(name, kind, where_text, base_url, key, note)

    def use_base_url(self, base_url: str) -> None:
        """Take a base URL found by Find API URL (as a custom base URL)."""
        if self._where is not None:
            self._where.use_base_url(base_url)

    @Slot()
    def save_succeeded(self) -> None:
        """The window saved the draft: close the dialog."""
        if not self._saving:
            log.debug("save_succeeded arrived while not saving; ignored")
            return
        self._saving = False
        self.unsetCursor()
        self.accept()

    @Slot(str)
    def save_failed(self, message: str) -> None:
        """Show why saving (or testing) failed; the dialog stays open with every field kept."""
        if self._testing:
            self._end_test()
        if self._saving:
            self._set_saving(False)
        self._save_message.show_message(message, Tone.ERROR)
        self._grow_to_fit()

    @Slot(object)
    def show_test_result(self, result: CheckResult) -> None:
        """Show the result of the check asked for with :attr:`test_requested`."""
        if self._result is None:
            log.debug("a test result arrived at a dialog without a test; ignored")
            return
        self._result.show_result(result, outdated=self._test_outdated)
        self._end_test()  # refreshes, and so grows the dialog to the result

    # --- Qt overrides --------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Close, and clear the key field so that the key does not linger in the widget."""
        if self._key is not None:
            self._key.clear()
        super().done(result)

    def reject(self) -> None:
        """Cancel, Esc or the window's close button: ignored while saving."""
        if not self._saving:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on an invalid form shows every error instead of doing nothing."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not self._saving and self.draft() is None:
            self._reveal_errors()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- building ------------------------------------------------------------------------

    @property
    def _existing(self) -> Entry:
        if self._entry is None:
            raise RuntimeError("no entry in ADD mode")
        return self._entry

    def _taken_names(self, names: Collection[str]) -> frozenset[str]:
        taken = {name.strip().casefold() for name in names}
        if self._mode is DialogMode.EDIT:
            taken.discard(self._existing.name.casefold())
        return frozenset(taken)

    def _build(self, taken: frozenset[str]) -> None:
        self.setWindowTitle(self._title())
        self._fields = QWidget(self)
        fields = QVBoxLayout(self._fields)
        fields.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if self._mode is DialogMode.REPLACE_KEY:
            fields.addWidget(self._intro())
            fields.addSpacing(self.fontMetrics().height() // 2)
            self._add_replace_rows(form)
        else:
            self._name = _NameSection(form, taken)
            self._where = _WhereSection(form)
            self._where.find_requested.connect(self.find_url_requested)
        if self._mode is DialogMode.EDIT:
            self._add_kept_key_row(form)
        else:
            label = (
                self.tr("&New key:") if self._mode is DialogMode.REPLACE_KEY else self.tr("&Key:")
            )
            self._key = _KeySection(form, label)
        if self._mode is not DialogMode.REPLACE_KEY:
            self._note = _NoteSection(form)
        fields.addLayout(form)
        if self._key is not None:
            self._add_test_rows(fields)
        self._build_bottom()

    def _title(self) -> str:
        if self._mode is DialogMode.ADD:
            return self.tr("Add a key")
        if self._mode is DialogMode.EDIT:
            return self.tr("Edit {name}").format(name=self._existing.name)
        return self.tr("Replace the key of {name}").format(name=self._existing.name)

    def _intro(self) -> QLabel:
        return plain_label(
            self.tr(
                "Only the key changes: the entry and its check history are kept. After a "
                "rotation in Sipstory (Settings → Developers → API Key), the old key stops "
                "working at once."
            ),
            "intro",
        )

    def _add_replace_rows(self, form: QFormLayout) -> None:
        instance = plain_label(self._existing.base_url, "instanceValue")
        instance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(QLabel(self.tr("Base URL:")), instance)
        form.addRow(QLabel(self.tr("Current key:")), QLabel(masked(self._existing.key_hint)))

    def _add_kept_key_row(self, form: QFormLayout) -> None:
        kept = plain_label(
            self.tr("{masked} (unchanged: use Replace key to change it)").format(
                masked=masked(self._existing.key_hint)
            ),
            "keptKey",
        )
        form.addRow(QLabel(self.tr("Key:")), kept)

    def _add_test_rows(self, layout: QVBoxLayout) -> None:
        self._test_button = QPushButton(self.tr("&Test before saving"))
        self._test_button.setObjectName("testButton")
        self._test_button.setAccessibleName(self.tr("Test before saving"))
        self._test_button.setToolTip(
            self.tr(
                "Send one request to the server with this key. It may count as one of "
                "the 30 requests per hour that Sipstory allows."
            )
        )
        row = QHBoxLayout()
        row.addWidget(self._test_button)
        row.addStretch(1)
        self._result = ResultPanel()
        layout.addLayout(row)
        layout.addWidget(self._result)

    def _build_bottom(self) -> None:
        self._save_message = InlineMessage("saveMessage", self)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok_text = {
            DialogMode.ADD: self.tr("Add"),
            DialogMode.EDIT: self.tr("Save"),
            DialogMode.REPLACE_KEY: self.tr("Replace key"),
        }[self._mode]
        self._ok.setText(ok_text)
        self._ok.setAccessibleName(ok_text)
        self._ok.setDefault(True)
        self._cancel.setAccessibleName(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(self._fields)
        layout.addStretch(1)
        layout.addWidget(self._save_message)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)

    @property
    def _ok(self) -> QPushButton:
        return self._buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def _cancel(self) -> QPushButton:
        return self._buttons.button(QDialogButtonBox.StandardButton.Cancel)

    def _prefill(self) -> None:
        if self._mode is not DialogMode.EDIT:
            return
        assert self._name and self._where and self._note
        self._name.edit.setText(self._existing.name)
        self._where.set_entry(self._existing)
        self._note.set_text(self._existing.note)

    def _connect(self) -> None:
        for section in self._sections():
            section.changed.connect(self._refresh)
        for test_input in (self._where, self._key):
            if test_input is not None:
                test_input.changed.connect(self._test_inputs_changed)
        if self._test_button is not None:
            self._test_button.clicked.connect(self._request_test)
        self._buttons.accepted.connect(self._request_save)
        self._buttons.rejected.connect(self.reject)
        self._set_tab_order()
        self._tab_chain()[0].setFocus()

    def _sections(self) -> list[_Section]:
        sections = (self._name, self._where, self._key, self._note)
        return [section for section in sections if section is not None]

    def _tab_chain(self) -> list[QWidget]:
        chain = [widget for section in self._sections() for widget in section.inputs()]
        if self._test_button is not None:
            chain.append(self._test_button)
        return [*chain, self._ok, self._cancel]

    def _set_tab_order(self) -> None:
        for first, second in pairwise(self._tab_chain()):
            QWidget.setTabOrder(first, second)

    def _existing_where(self) -> _Where:
        entry = self._existing
        if entry.kind is EntryKind.SELF_HOSTED:
            return entry.kind, instance_address_of(entry.base_url), entry.base_url
        where = entry.base_url if entry.kind is EntryKind.CUSTOM else ""
        return entry.kind, where, entry.base_url

    # --- behaviour -----------------------------------------------------------------------

    @Slot()
    def _refresh(self) -> None:
        for section in self._sections():
            section.refresh()
        self._ok.setEnabled(self.draft() is not None)
        if self._test_button is not None:
            self._test_button.setEnabled(not self._testing and self._test_target() is not None)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Grow (never shrink) to show messages that appeared: Qt does not for wrapped text."""
        layout = self.layout()
        if not self.isVisible() or layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _reveal_errors(self) -> None:
        for section in self._sections():
            section.reveal_errors()

    def _test_target(self) -> tuple[str, str] | None:
        base_url = self._where.base_url() if self._where else self._existing.base_url
        key = self._key.value() if self._key else None
        return None if base_url is None or key is None else (base_url, key)

    @Slot()
    def _test_inputs_changed(self) -> None:
        if self._testing:
            self._test_outdated = True
        elif self._result is not None:
            self._result.hide()

    @Slot()
    def _request_test(self) -> None:
        target = self._test_target()
        if target is None or self._test_button is None or self._result is None:
            return
        self._testing = True
        self._test_outdated = False
        self._result.hide()
        self._test_button.setText(self.tr("Checking…"))
        self._refresh()
        self.test_requested.emit(*target)

    def _end_test(self) -> None:
        self._testing = False
        self._test_outdated = False
        if self._test_button is not None:
            self._test_button.setText(self.tr("&Test before saving"))
        self._refresh()

    @Slot()
    def _request_save(self) -> None:
        draft = self.draft()
        if draft is None:
            self._reveal_errors()
            return
        self._set_saving(True)
        self.save_requested.emit(draft)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        if saving:
            self._focus_before_saving = self.focusWidget()
            self.setCursor(Qt.CursorShape.BusyCursor)
            self._save_message.show_message(self.tr("Saving…"))
        else:
            self.unsetCursor()
            self._save_message.clear()
        self._fields.setEnabled(not saving)
        self._buttons.setEnabled(not saving)
        if not saving and self._focus_before_saving is not None:
            self._focus_before_saving.setFocus()
