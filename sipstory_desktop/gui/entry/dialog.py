"""The dialog that adds an entry, edits one, or replaces an entry's key.

The dialog only checks what the user types. It never touches the keyring, the config or the
network: it hands a validated :class:`EntryDraft` (or a base URL and key to check) to the window
with signals, and the window answers through slots once its worker threads are done.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import replace
from itertools import pairwise

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.entries import Entry, EntryKind
from ...core.keys import masked
from ...core.secrets import BackendInfo
from ...core.status import CheckResult, Status
from ...core.urls import instance_address_of
from ..questions import confirm
from ..result_texts import translated
from ..status_texts import status_label
from ..widgets import InlineMessage, ResultPanel, Tone, plain_label
from .draft import DialogMode, EntryDraft
from .key import KeySection
from .name import NameSection
from .note import NoteSection
from .section import Section
from .server import Server, ServerSection

log = logging.getLogger(__name__)

REJECTED_KEY = frozenset({Status.INVALID_KEY, Status.NO_SUBSCRIPTION})
"""What a test says when the server refused the key itself: saving it needs a yes."""


class EntryDialog(QDialog):
    """Add an entry, edit one (everything but the key), or replace an entry's key.

    Nothing is saved until OK: then the dialog emits :attr:`save_requested` and waits, busy,
    for :meth:`save_succeeded` (it closes) or :meth:`save_failed` (it shows why and stays).

    Signals:
        save_requested(EntryDraft): save this draft, off the GUI thread.
        check_requested(str, str): check this base URL and key, off the GUI thread; answer
            with :meth:`show_check_result` ("Check before saving").
        find_url_requested(str): find the API URL of this instance address (Find API URL);
            answer with :meth:`use_base_url`.
    """

    save_requested = Signal(object)
    check_requested = Signal(str, str)
    find_url_requested = Signal(str)

    def __init__(
        self,
        mode: DialogMode,
        parent: QWidget | None = None,
        entry: Entry | None = None,
        existing_names: Collection[str] = (),
        storage: BackendInfo | None = None,
        *,
        no_key: bool = False,
    ) -> None:
        super().__init__(parent)
        self._storage = storage  # the keyring the key will go to, as probed (None: not yet)
        if mode is not DialogMode.ADD and entry is None:
            raise ValueError(f"{mode.name} needs the entry")
        self._mode = mode
        self._no_key = no_key  # Replace key of an entry without one (imported): Add the key
        self._entry = entry
        self._saving = False
        self._checking = False
        self._check_outdated = False
        self._tested: tuple[str, str] | None = None  # what the last test asked about
        self._verdict: CheckResult | None = None  # its result, while the inputs are the same
        self._focus_before_saving: QWidget | None = None
        self._name: NameSection | None = None
        self._server: ServerSection | None = None
        self._key: KeySection | None = None
        self._note: NoteSection | None = None
        self._check_button: QPushButton | None = None
        self._result: ResultPanel | None = None
        self._build(self._taken_names(existing_names))
        self._prefill()
        self._connect()
        self._refresh()

    # --- public --------------------------------------------------------------------------

    def draft(self) -> EntryDraft | None:
        """What OK would save, or None while something is invalid."""
        name = self._name.value() if self._name else self._existing.name
        server = self._server.value() if self._server else self._existing_server()
        note = self._note.value() if self._note else self._existing.note
        key = self._key.value() if self._key else None
        if name is None or server is None or note is None:
            return None
        if self._key is not None and key is None:
            return None
        kind, address, base_url = server
        return EntryDraft(name, kind, address, base_url, key, note)

    def use_base_url(self, base_url: str) -> None:
        """Take a base URL found by Find API URL (as a custom base URL)."""
        if self._server is not None:
            self._server.use_base_url(base_url)

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
        """Show why saving (or checking) failed; the dialog stays open with every field kept."""
        if self._checking:
            self._end_check()
        if self._saving:
            self._set_saving(False)
        self._save_message.show_message(message, Tone.ERROR)
        self._grow_to_fit()

    @Slot(object)
    def show_check_result(self, result: CheckResult) -> None:
        """Show the result of the check asked for with :attr:`check_requested`."""
        if self._result is None:
            log.debug("a check result arrived at a dialog without a check; ignored")
            return
        self._result.show_result(result, outdated=self._check_outdated)
        if not self._check_outdated and self._check_target() == self._tested:
            self._verdict = result
        self._end_check()  # refreshes, and so grows the dialog to the result

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
            self._name = NameSection(form, taken)
            self._server = ServerSection(form)
            self._server.find_requested.connect(self.find_url_requested)
        if self._mode is DialogMode.EDIT:
            self._add_kept_key_row(form)
        else:
            label = (
                self.tr("&New key:") if self._mode is DialogMode.REPLACE_KEY else self.tr("&Key:")
            )
            self._key = KeySection(form, label, self._storage)
        if self._mode is not DialogMode.REPLACE_KEY:
            self._note = NoteSection(form)
        fields.addLayout(form)
        if self._key is not None:
            self._add_check_rows(fields)
        self._build_bottom()

    def _title(self) -> str:
        if self._mode is DialogMode.ADD:
            return self.tr("Add a key")
        if self._mode is DialogMode.EDIT:
            return self.tr("Edit {name}").format(name=self._existing.name)
        if self._no_key:
            return self.tr("Add the key of {name}").format(name=self._existing.name)
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
        current = self.tr("None saved") if self._no_key else masked(self._existing.key_hint)
        form.addRow(QLabel(self.tr("Current key:")), QLabel(current))

    def _add_kept_key_row(self, form: QFormLayout) -> None:
        kept = plain_label(
            self.tr("{masked} (unchanged: use Replace key to change it)").format(
                masked=masked(self._existing.key_hint)
            ),
            "keptKey",
        )
        form.addRow(QLabel(self.tr("Key:")), kept)

    def _add_check_rows(self, layout: QVBoxLayout) -> None:
        self._check_button = QPushButton(self.tr("&Check before saving"))
        self._check_button.setObjectName("checkButton")
        self._check_button.setAccessibleName(self.tr("Check before saving"))
        self._check_button.setToolTip(
            self.tr(
                "Send one request to the server with this key. It may count as one of "
                "the 30 requests per hour that Sipstory allows."
            )
        )
        row = QHBoxLayout()
        row.addWidget(self._check_button)
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
        assert self._name and self._server and self._note
        self._name.edit.setText(self._existing.name)
        self._server.set_entry(self._existing)
        self._note.set_text(self._existing.note)

    def _connect(self) -> None:
        for section in self._sections():
            section.changed.connect(self._refresh)
        for check_input in (self._server, self._key):
            if check_input is not None:
                check_input.changed.connect(self._check_inputs_changed)
        if self._check_button is not None:
            self._check_button.clicked.connect(self._request_check)
        self._buttons.accepted.connect(self._request_save)
        self._buttons.rejected.connect(self.reject)
        self._set_tab_order()
        self._tab_chain()[0].setFocus()

    def _sections(self) -> list[Section]:
        sections = (self._name, self._server, self._key, self._note)
        return [section for section in sections if section is not None]

    def _tab_chain(self) -> list[QWidget]:
        chain = [widget for section in self._sections() for widget in section.inputs()]
        if self._check_button is not None:
            chain.append(self._check_button)
        return [*chain, self._ok, self._cancel]

    def _set_tab_order(self) -> None:
        for first, second in pairwise(self._tab_chain()):
            QWidget.setTabOrder(first, second)

    def _existing_server(self) -> Server:
        entry = self._existing
        if entry.kind is EntryKind.SELF_HOSTED:
            return entry.kind, instance_address_of(entry.base_url), entry.base_url
        address = entry.base_url if entry.kind is EntryKind.CUSTOM else ""
        return entry.kind, address, entry.base_url

    # --- behaviour -----------------------------------------------------------------------

    @Slot()
    def _refresh(self) -> None:
        for section in self._sections():
            section.refresh()
        self._ok.setEnabled(self.draft() is not None)
        if self._check_button is not None:
            self._check_button.setEnabled(not self._checking and self._check_target() is not None)
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

    def _check_target(self) -> tuple[str, str] | None:
        base_url = self._server.base_url() if self._server else self._existing.base_url
        key = self._key.value() if self._key else None
        return None if base_url is None or key is None else (base_url, key)

    def verdict(self) -> CheckResult | None:
        """The result of the dialog's test of the base URL and key typed in it now; None when
        they were not tested (or were changed since)."""
        if self._verdict is None or self._check_target() != self._tested:
            return None
        return self._verdict

    @Slot()
    def _check_inputs_changed(self) -> None:
        self._verdict = None
        if self._checking:
            self._check_outdated = True
        elif self._result is not None:
            self._result.hide()

    @Slot()
    def _request_check(self) -> None:
        target = self._check_target()
        if target is None or self._check_button is None or self._result is None:
            return
        self._checking = True
        self._check_outdated = False
        self._tested, self._verdict = target, None
        self._result.hide()
        self._check_button.setText(self.tr("Checking…"))
        self._refresh()
        self.check_requested.emit(*target)

    def _end_check(self) -> None:
        self._checking = False
        self._check_outdated = False
        if self._check_button is not None:
            self._check_button.setText(self.tr("&Check before saving"))
        self._refresh()

    @Slot()
    def _request_save(self) -> None:
        draft = self.draft()
        if draft is None:
            self._reveal_errors()
            return
        verdict = self.verdict()
        if (
            verdict is not None
            and verdict.status in REJECTED_KEY
            and not self._confirm_rejected(verdict)
        ):
            return
        self._set_saving(True)
        self.save_requested.emit(replace(draft, checked=verdict))

    def _confirm_rejected(self, verdict: CheckResult) -> bool:
        """Ask before saving a key its own test was just refused with (Cancel is the
        default: Enter twice does not save it)."""
        replacing = self._mode is DialogMode.REPLACE_KEY
        return confirm(
            self,
            self.tr("Replace with a rejected key?")
            if replacing
            else self.tr("Add a rejected key?"),
            self.tr("The test you just ran says “{status}”: {message}").format(
                status=status_label(verdict.status), message=translated(verdict.message)
            ),
            details=self.tr(
                "The current key is kept until you quit: Undo replace in the window "
                "stores it again."
            )
            if replacing
            else self.tr("The entry will be saved and shown as failing."),
            action=self.tr("Replace anyway") if replacing else self.tr("Add anyway"),
            action_name="saveRejectedKey",
        )

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
