"""Issue 15, item 1 and the first point of item 5: a key its own test just rejected is not
saved on a bare Enter, a replaced key can be put back for the session, and the Add
dialog's test is the new entry's first result."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.secrets import SERVICE_NAME, SecretErrorKind, SecretStoreError
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.gui.entry.dialog import EntryDialog
from sipstory_desktop.gui.entry.draft import DialogMode
from sipstory_desktop.gui.roles import Role
from sipstory_desktop.gui.window import MainWindow
from tests.support.dialogs import click_in_message_box, opened
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

KEY = "3c9f" * 16
OTHER_KEY = "5e7a" * 16
REJECTED = CheckResult(
    Status.INVALID_KEY, "The server rejected the key: Invalid API key.", http_status=401
)
CONNECTED = CheckResult(Status.CONNECTED, "Connected.", http_status=200)


def child(parent: QWidget, kind: type[Any], name: str) -> Any:
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def ok_button(dialog: EntryDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(QDialogButtonBox.StandardButton.Ok)


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def replace_dialog(qtbot: QtBot) -> EntryDialog:
    entry = Entry("Acme", EntryKind.CUSTOM, "https://sipstory.example.com/api/public/v1")
    return opened(qtbot, EntryDialog(DialogMode.REPLACE_KEY, entry=entry))


def after_a_test(qtbot: QtBot, dialog: EntryDialog, key: str, result: CheckResult) -> None:
    """Type ``key``, press Check before saving, and answer with ``result``."""
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), key)
    with qtbot.waitSignal(dialog.check_requested, timeout=WAIT_MS):
        child(dialog, QPushButton, "checkButton").click()
    dialog.show_check_result(result)


# --- the dialog ---------------------------------------------------------------------------


def test_enter_after_a_rejecting_test_asks_and_cancel_is_the_default(qtbot: QtBot) -> None:
    dialog = replace_dialog(qtbot)
    after_a_test(qtbot, dialog, KEY, REJECTED)

    click_in_message_box(qtbot, None)  # Escape: the box's default is Cancel
    with qtbot.assertNotEmitted(dialog.save_requested):
        qtbot.keyClick(child(dialog, QLineEdit, "keyEdit"), Qt.Key.Key_Return)
        qtbot.wait(0)
    assert dialog.isVisible()
    kept = child(dialog, QLineEdit, "keyEdit").text() == KEY  # bound: a failure shows no key
    assert kept, "the typed key was lost"


def test_a_rejected_key_is_saved_only_when_confirmed(qtbot: QtBot) -> None:
    dialog = replace_dialog(qtbot)
    after_a_test(qtbot, dialog, KEY, REJECTED)

    click_in_message_box(qtbot, "saveRejectedKey")
    with qtbot.waitSignal(dialog.save_requested, timeout=WAIT_MS) as saved:
        ok_button(dialog).click()
    same = saved.args[0].key == KEY  # bound: a failure shows no key
    assert same, "another key was saved"
    assert saved.args[0].checked is REJECTED


def test_add_with_a_rejected_key_asks_too(qtbot: QtBot) -> None:
    dialog = opened(qtbot, EntryDialog(DialogMode.ADD))
    type_into(qtbot, child(dialog, QLineEdit, "nameEdit"), "Acme")
    child(dialog, QRadioButton, "customRadio").click()
    type_into(qtbot, child(dialog, QLineEdit, "urlEdit"), "https://acme.example.com/api/public/v1")
    after_a_test(qtbot, dialog, KEY, REJECTED)

    click_in_message_box(qtbot, None)
    with qtbot.assertNotEmitted(dialog.save_requested):
        ok_button(dialog).click()
        qtbot.wait(0)


def test_a_key_changed_after_its_test_is_saved_without_a_question(qtbot: QtBot) -> None:
    dialog = replace_dialog(qtbot)
    after_a_test(qtbot, dialog, KEY, REJECTED)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), OTHER_KEY)  # not what was tested

    with qtbot.waitSignal(dialog.save_requested, timeout=WAIT_MS) as saved:
        ok_button(dialog).click()  # no message box: a question here would block the test
    assert saved.args[0].checked is None


def test_a_working_key_is_saved_without_a_question_and_carries_its_test(qtbot: QtBot) -> None:
    dialog = replace_dialog(qtbot)
    after_a_test(qtbot, dialog, KEY, CONNECTED)

    with qtbot.waitSignal(dialog.save_requested, timeout=WAIT_MS) as saved:
        ok_button(dialog).click()
    assert saved.args[0].checked is CONNECTED


# --- the window ---------------------------------------------------------------------------


def stored_key(memory_keyring: MemoryKeyring, entry_id: str) -> str | None:
    return memory_keyring.get_password(SERVICE_NAME, entry_id)


def visible_dialog(qtbot: QtBot, window: MainWindow) -> EntryDialog:
    def find() -> EntryDialog | None:
        shown = [d for d in window.findChildren(EntryDialog) if d.isVisible()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: find() is not None, timeout=WAIT_MS)
    dialog = find()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_a_replaced_key_can_be_put_back_until_quit(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    vault: Vault,
) -> None:
    good = known_key()
    (entry,) = seed([("Acme", server.api_base, good)])
    wrong = known_key(state="rotated")
    shown = window()
    select(shown, entry.id)
    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), wrong)
    with qtbot.waitSignal(dialog.check_requested, timeout=WAIT_MS):
        child(dialog, QPushButton, "checkButton").click()
    qtbot.waitUntil(lambda: dialog.verdict() is not None, timeout=WAIT_MS)  # a real request
    assert dialog.verdict().status is Status.INVALID_KEY  # type: ignore[union-attr]

    click_in_message_box(qtbot, "saveRejectedKey")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == wrong, timeout=WAIT_MS)
    undo = child(shown.banner, QPushButton, "bannerAction")
    qtbot.waitUntil(undo.isVisible, timeout=WAIT_MS)
    assert undo.accessibleName() == "Undo replace"
    assert "••••" + good[-4:] in shown.banner.text
    assert wrong not in shown.banner.text and good not in shown.banner.text

    undo.click()
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == good, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: vault.entries()[0].key_hint == good[-4:], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not shown.banner.isVisible(), timeout=WAIT_MS)
    assert entry.id not in shown.entry_commands.replaced  # undone: nothing kept


def test_the_kept_key_is_wiped_on_quit(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
) -> None:
    (entry,) = seed([("Acme", server.api_base, known_key())])
    shown = window()
    select(shown, entry.id)
    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), OTHER_KEY)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()  # not tested: no question
    qtbot.waitUntil(lambda: entry.id in shown.entry_commands.replaced, timeout=WAIT_MS)

    shown.close()
    assert entry.id not in shown.entry_commands.replaced
    assert "kept" in repr(shown.entry_commands.replaced)  # and the key is not in its repr


def test_the_add_dialogs_test_is_the_entrys_first_result(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    vault: Vault,
) -> None:
    key = known_key()
    shown = window()
    shown.entry_commands.add()
    dialog = visible_dialog(qtbot, shown)
    type_into(qtbot, child(dialog, QLineEdit, "nameEdit"), "Acme")
    child(dialog, QRadioButton, "customRadio").click()
    type_into(qtbot, child(dialog, QLineEdit, "urlEdit"), server.api_base)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), key)
    with qtbot.waitSignal(dialog.check_requested, timeout=WAIT_MS):
        child(dialog, QPushButton, "checkButton").click()
    qtbot.waitUntil(lambda: dialog.verdict() is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()

    qtbot.waitUntil(lambda: len(vault.entries()) == 1, timeout=WAIT_MS)
    (entry,) = vault.entries()
    qtbot.waitUntil(
        lambda: shown.model.index_of(entry.id).data(Role.STATUS) == Status.CONNECTED.value,
        timeout=WAIT_MS,
    )
    assert [r.status for r in shown.model.history(entry.id)] == [Status.CONNECTED]
    assert [r.status for r in vault.load_state().results[entry.id]] == [Status.CONNECTED]
    assert shown.model.requests_last_hour(entry.id) == 1  # the request it spent


def test_undo_replace_stays_in_the_details_when_the_banner_is_gone(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
) -> None:
    good = known_key()
    (entry,) = seed([("Acme", server.api_base, good)])
    shown = window()
    select(shown, entry.id)
    undo = child(shown.details, QPushButton, "undoReplace")
    assert not undo.isVisible()  # nothing replaced yet
    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), OTHER_KEY)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == OTHER_KEY, timeout=WAIT_MS)
    shown.banner.hide_message()  # another message took its place, or it was dismissed

    select(shown, entry.id)
    qtbot.waitUntil(undo.isVisible, timeout=WAIT_MS)
    undo.click()
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == good, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not undo.isVisible(), timeout=WAIT_MS)


def test_undo_replace_never_overwrites_a_key_changed_elsewhere_since(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After Replace key, the key was changed again by sipstory-keys (or a teammate, in a
    shared vault): Undo replace says so and leaves that newer key in the keyring."""
    good = known_key()
    (entry,) = seed([("Acme", server.api_base, good)])
    shown = window()
    select(shown, entry.id)
    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), OTHER_KEY)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()
    qtbot.waitUntil(lambda: entry.id in shown.entry_commands.replaced, timeout=WAIT_MS)
    newer = "7b1d" * 16
    memory_keyring.set_password(SERVICE_NAME, entry.id, newer)  # sipstory-keys replace-key

    warned: list[str] = []
    monkeypatch.setattr(
        "sipstory_desktop.gui.workers.QMessageBox.warning",
        lambda _parent, _title, text: warned.append(text),
    )
    assert shown.entry_commands.undo_replace(entry.id)
    qtbot.waitUntil(lambda: bool(warned), timeout=WAIT_MS)
    assert "changed elsewhere" in warned[0]
    kept = stored_key(memory_keyring, entry.id) == newer  # bound: a failure shows no key
    assert kept, "the newer key was overwritten"
    assert not any(k in warned[0] for k in (good, OTHER_KEY, newer))


def test_replace_key_repairs_a_damaged_item_with_no_undo(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The old key cannot be read (a damaged item): Replace key still stores the new one,
    as it is the way to repair it, and offers no Undo (there is nothing to give back)."""
    (entry,) = seed([("Acme", server.api_base, known_key())])
    shown = window()
    select(shown, entry.id)
    secrets = shown.vault.secrets

    def damaged(_entry_id: str) -> str | None:
        raise SecretStoreError(SecretErrorKind.FAILED, "The key's item is damaged.", "")

    monkeypatch.setattr(secrets, "get", damaged)
    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), OTHER_KEY)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        ok_button(dialog).click()
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == OTHER_KEY, timeout=WAIT_MS)
    assert shown.entry_commands.replaced.get(entry.id) is None
