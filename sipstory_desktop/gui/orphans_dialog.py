"""The dialog that lists orphaned keys and deletes the ones the user picks from the keyring.

An orphaned key is one this app stored in the keyring that no entry uses. The dialog shows
only their ids (never a key); deleting is the window's job, off the GUI thread, asked for
with :attr:`OrphansDialog.delete_requested` and answered with
:meth:`OrphansDialog.show_deleted` or :meth:`OrphansDialog.show_error`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .questions import confirm
from .widgets import InlineMessage, WorkingDialog, plain_label


class OrphansDialog(WorkingDialog):
    """List orphaned keys, checkable, and delete the checked ones after asking.

    Signals:
        delete_requested(list[str]): delete the keys with these ids from the keyring.
    """

    delete_requested = Signal(list)

    def __init__(self, orphan_ids: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Orphaned keys"))
        intro = plain_label(
            self.tr(
                "An orphaned key is one this app stored in the keyring that no entry uses. "
                "It is left behind when adding or removing an entry is interrupted, or when an "
                "entry is removed while the keyring is locked. Deleting it changes no entry."
            ),
            "intro",
        )
        self._list = QListWidget()
        self._list.setObjectName("orphanList")
        self._list.setAccessibleName(self.tr("Orphaned keys"))
        self._list.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        for orphan_id in orphan_ids:
            item = QListWidgetItem(orphan_id, self._list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self._list.itemChanged.connect(self._refresh)
        self._message = InlineMessage("message")
        self._buttons = QDialogButtonBox(self)
        self._delete = self._buttons.addButton(
            self.tr("&Delete from keyring"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self._delete.setObjectName("deleteButton")
        self._delete.setAccessibleName(self.tr("Delete from keyring"))
        self._delete.clicked.connect(self._ask_to_delete)
        close = self._buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)  # Enter never deletes
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self._heading = QLabel(self.tr("&Keys that no entry uses:"))
        self._heading.setBuddy(self._list)
        for widget in (intro, self._heading, self._list, self._message):
            layout.addWidget(widget, 1 if widget is self._list else 0)
        layout.addStretch(0)  # takes the list's room once it is empty
        layout.addWidget(self._buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 20)
        self._refresh()
        if not orphan_ids:
            self._message.show_message(
                self.tr("Nothing to clean: every key this app stored belongs to an entry.")
            )

    # --- public --------------------------------------------------------------------------

    def checked_ids(self) -> list[str]:
        """The ids of the keys checked for deletion, in list order."""
        items = (self._list.item(row) for row in range(self._list.count()))
        return [item.text() for item in items if item.checkState() is Qt.CheckState.Checked]

    @Slot(list)
    def show_deleted(self, ids: Iterable[str]) -> None:
        """Take the deleted keys off the list and say so."""
        deleted = set(ids)
        for row in reversed(range(self._list.count())):
            if self._list.item(row).text() in deleted:
                self._list.takeItem(row)
        self._set_busy(False)
        text = (
            self.tr("Deleted 1 key from the keyring.")
            if len(deleted) == 1
            else self.tr("Deleted {n} keys from the keyring.").format(n=len(deleted))
        )
        if not self._list.count():
            text += " " + self.tr("Nothing is left to clean.")
        self._message.show_message(text)

    # --- behaviour -----------------------------------------------------------------------

    @Slot()
    def _refresh(self) -> None:
        empty = self._list.count() == 0
        self._list.setVisible(not empty)
        self._heading.setVisible(not empty)
        self._delete.setVisible(not empty)
        self._delete.setEnabled(bool(self.checked_ids()) and not self._busy)

    @Slot()
    def _ask_to_delete(self) -> None:
        ids = self.checked_ids()
        if not ids or not self._confirm(len(ids)):
            return
        self._set_busy(True, self.tr("Deleting…"))
        self.delete_requested.emit(ids)

    def _confirm(self, count: int) -> bool:
        return confirm(
            self,
            self.tr("Delete orphaned keys"),
            self.tr("Delete 1 orphaned key from the keyring?")
            if count == 1
            else self.tr("Delete {n} orphaned keys from the keyring?").format(n=count),
            details=self.tr(
                "No entry uses them. A deleted key cannot be recovered from the keyring."
            ),
            action=self.tr("Delete"),
            action_name="confirmDelete",
        )

    def _working_widgets(self) -> list[QWidget]:
        return [self._list, self._buttons]

    def _work_ended(self) -> None:
        self._message.clear()
        self._refresh()
