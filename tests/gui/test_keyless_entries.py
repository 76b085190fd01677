"""Issue 15, item 5: an imported entry comes without its key, and the window says so: "No
key saved", an action to add it, and a Test that says the key is missing (no blame on
"another program", no history point, no request)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.export_format import export_entries
from sipstory_desktop.core.status import Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.roles import Column, Role
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, select

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def imported(vault: Vault, base_url: str) -> Entry:
    """An entry as Import (of an export, which holds no keys) makes it."""
    data = export_entries([Entry("Acme", EntryKind.CUSTOM, base_url)])
    vault.import_entries(vault.preview_import(data), {})
    (entry,) = vault.entries()
    return entry


def visible_key_edit(window: MainWindow) -> QLineEdit | None:
    shown = [edit for edit in window.findChildren(QLineEdit, "keyEdit") if edit.isVisible()]
    return shown[0] if shown else None


def key_cell(window: MainWindow, entry_id: str) -> str:
    return str(window.model.index_of(entry_id, Column.KEY).data())


def test_an_imported_entry_says_it_has_no_key_and_test_says_so(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, vault: Vault
) -> None:
    entry = imported(vault, server.api_base)
    shown = window()
    select(shown, entry.id)

    assert key_cell(shown, entry.id) == "No key saved"
    assert shown.details._key.text() == "No key saved"
    assert shown.details._keyring.text() == "—"  # not "Stored in <keyring>"
    add = shown.details.buttons["replace_key"]
    assert add.accessibleName() == "Add the key"
    assert "No key is saved" in shown.details._message.text()
    assert not shown.details.buttons["copy_key"].isEnabled()  # nothing to copy

    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_selected()
    result = shown.model.result(entry.id)
    assert result is not None and result.status is Status.NO_SECRET
    assert result.message == "No key is saved for this entry yet."
    assert "another program" not in result.message + result.hint
    assert shown.details._message.text() == result.message
    assert shown.model.index_of(entry.id).data(Role.STATUS) == Status.NO_SECRET.value
    assert shown.model.history(entry.id) == []  # nothing was sent
    assert server.requests == []


def test_adding_the_key_of_an_imported_entry_shows_it_masked(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    vault: Vault,
) -> None:
    entry = imported(vault, server.api_base)
    key = known_key()
    shown = window()
    select(shown, entry.id)
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_selected()  # "No key saved yet"

    shown.details.buttons["replace_key"].click()
    qtbot.waitUntil(lambda: visible_key_edit(shown) is not None, timeout=WAIT_MS)
    edit = visible_key_edit(shown)
    assert edit is not None
    qtbot.keyClicks(edit, key)
    dialog = edit.window()
    assert isinstance(dialog, QDialog)
    assert dialog.windowTitle() == "Add the key of Acme"
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        box.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: key_cell(shown, entry.id) == "••••" + key[-4:], timeout=WAIT_MS)
    select(shown, entry.id)
    assert shown.details.buttons["replace_key"].accessibleName() == "Replace key"
    assert shown.model.index_of(entry.id).data(Role.STATUS) == Status.UNCHECKED.value
    assert shown.entry_commands.replaced.get(entry.id) is None  # there was no key to keep
