"""File -> Import keys from .env files: every Sipstory key found, masked, with its file and
line and what saving it would do; checked if asked; the chosen ones saved; the files
scrubbed only if asked. The dialog does no work itself: it asks the window with signals
and shows the answers (:meth:`show_checks`, :meth:`show_saved`, :meth:`show_error`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.dotenv_keys import ScannedFile
from ..core.env_import import EnvKey, Outcome
from .lights import light_icon
from .result_texts import translated
from .status_texts import status_label
from .widgets import InlineMessage, Tone, WorkingDialog, plain_label

_CHOSEN, _WHERE, _KEY, _BASE_URL, _SAVED_AS, _CHECK = range(6)


class EnvImportDialog(WorkingDialog):
    """Choose which keys found in dotenv files go into the keyring.

    Signals:
        check_requested(list): check these keys (one request each).
        save_requested(list, bool): save these keys; scrub their files afterwards when True.
    """

    check_requested = Signal(list)
    save_requested = Signal(list, bool)

    def __init__(
        self, planned: list[EnvKey], scanned: list[ScannedFile], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._planned = planned
        self.setWindowTitle(self.tr("Import keys from .env files"))
        self.setObjectName("envImportDialog")
        self._build(scanned)
        self._refresh()

    def chosen(self) -> list[EnvKey]:
        """The keys ticked (a key already saved can be ticked too: its file is scrubbed)."""
        return [
            key
            for key, item in zip(self._planned, self._items, strict=True)
            if item.checkState(_CHOSEN) == Qt.CheckState.Checked
        ]

    @Slot(list)
    def show_checks(self, checked: list[EnvKey]) -> None:
        self._set_busy(False)
        by_key = {(k.key, k.base_url): k for k in checked}
        for index, key in enumerate(self._planned):
            found = by_key.get((key.key, key.base_url))
            if found is not None and found.check is not None:
                self._planned[index] = found
                item = self._items[index]
                item.setText(_CHECK, status_label(found.check.status))
                item.setIcon(_CHECK, light_icon(found.check.light, 16))
                item.setToolTip(
                    _CHECK,
                    f"{translated(found.check.message)}\n{translated(found.check.hint)}".strip(),
                )
        self._message.show_message(self.tr("Checked %n key(s).", "", len(checked)))

    @Slot(str)
    def show_saved(self, text: str) -> None:
        """Say what was saved (and scrubbed); the dialog stays, to be closed."""
        self._set_busy(False)
        self._message.show_message(text)
        for widget in (self._tree, self._check, self._import, self._scrub):
            widget.setEnabled(False)
        self._close.setText(self.tr("Close"))
        self._close.setDefault(True)
        self._close.setFocus()

    def _build(self, scanned: list[ScannedFile]) -> None:
        self._tree = QTreeWidget()
        self._tree.setObjectName("foundKeys")
        self._tree.setAccessibleName(self.tr("Keys found"))
        self._tree.setRootIsDecorated(False)
        self._tree.setHeaderLabels(
            [
                self.tr("Import"),
                self.tr("File and line"),
                self.tr("Key"),
                self.tr("Base URL"),
                self.tr("Saved as"),
                self.tr("Check"),
            ]
        )
        self._tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._items = [self._row(key) for key in self._planned]
        self._tree.addTopLevelItems(self._items)
        self._tree.itemChanged.connect(lambda *_: self._refresh())
        problems = [f.problem for f in scanned if f.problem]
        others = sum(f.others for f in scanned)
        notes = [*problems]
        if others:
            notes.append(
                self.tr("%n other *_API_KEY line(s) left alone: not Sipstory's.", "", others)
            )
        if not self._planned:
            notes.insert(0, self.tr("No Sipstory keys were found in these files."))
        self._notes = plain_label("\n".join(notes), "notes")
        self._notes.setWordWrap(True)
        self._notes.setVisible(bool(notes))
        self._scrub = QCheckBox(
            self.tr("&Scrub the files afterwards (a backup of each is kept, mode 0600)")
        )
        self._scrub.setObjectName("scrubBox")
        self._scrub.setToolTip(
            self.tr(
                "Each key line becomes a comment that holds no key and says how to use "
                "sipstory-keys run instead. A file changed since it was read is left alone."
            )
        )
        self._message = InlineMessage("message")
        buttons = QDialogButtonBox(self)
        self._check = QPushButton(self.tr("C&heck selected"))
        self._check.setObjectName("checkButton")
        self._check.setAutoDefault(False)
        self._check.clicked.connect(self._request_check)
        buttons.addButton(self._check, QDialogButtonBox.ButtonRole.ActionRole)
        self._import = buttons.addButton(self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self._import.setObjectName("importButton")
        self._import.clicked.connect(self._request_save)
        self._close = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr(
                    "Keys are shown masked. Saving one puts it in the keyring: as a new entry, "
                    "or as the key of an entry that has none."
                ),
                "intro",
            )
        )
        layout.addWidget(self._tree, 1)
        layout.addWidget(self._notes)
        layout.addWidget(self._scrub)
        layout.addWidget(self._message)
        layout.addWidget(buttons)
        self.resize(900, 420)

    def _row(self, key: EnvKey) -> QTreeWidgetItem:
        saved_as = {
            Outcome.NEW: self.tr("new entry “%s”"),
            Outcome.KEY_OF: self.tr("key of “%s” (it has none)"),
            Outcome.SAVED: self.tr("already saved as “%s”"),
        }[key.outcome] % key.entry_name
        variables = ", ".join(sorted({p.variable for p in key.places}))
        item = QTreeWidgetItem(
            ["", key.where, f"{key.shown_key}  ({variables})", key.base_url, saved_as, ""]
        )
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        chosen = key.outcome is not Outcome.SAVED
        item.setCheckState(_CHOSEN, Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        return item

    def _refresh(self) -> None:
        chosen = bool(self.chosen())
        self._import.setEnabled(chosen)
        self._check.setEnabled(chosen)

    def _request_check(self) -> None:
        chosen = self.chosen()
        if chosen:
            self._set_busy(True, self.tr("Checking %n key(s)…", "", len(chosen)))
            self.check_requested.emit(chosen)

    def _request_save(self) -> None:
        chosen = self.chosen()
        if chosen:
            self._set_busy(True, self.tr("Saving…"))
            self.save_requested.emit(chosen, self._scrub.isChecked())

    def _working_widgets(self) -> list[QWidget]:
        return [self._tree, self._check, self._import, self._scrub, self._close]

    def _work_ended(self) -> None:
        self._refresh()

    def show_problem(self, text: str) -> None:
        self._message.show_message(text, Tone.WARNING)
