"""The main window, end to end: a real local server, real pools, an in-memory keyring."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QToolBar,
    QToolButton,
    QWidget,
    QWidgetAction,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.secrets import SERVICE_NAME, BackendInfo, SecretStore
from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.demo.session import DEMO_ENTRIES, DemoSession
from sipstory_desktop.gui.entry.dialog import EntryDialog
from sipstory_desktop.gui.roles import Column, Role
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select, view_index

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

CTRL = Qt.KeyboardModifier.ControlModifier
YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


# --- helpers ------------------------------------------------------------------------------


def shown_groups(window: MainWindow) -> list[tuple[str, list[str]]]:
    """The tree as shown (sorted and filtered): group names and their entries' names."""
    proxy = window.entry_list.proxy
    shown = []
    for row in range(proxy.rowCount()):
        group = proxy.index(row, Column.NAME)
        names = [
            proxy.index(child, Column.NAME, proxy.index(row, 0)).data()
            for child in range(proxy.rowCount(proxy.index(row, 0)))
        ]
        shown.append((group.data(), names))
    return shown


def shown_names(window: MainWindow) -> list[str]:
    return [name for _, names in shown_groups(window) for name in names]


def status_of(window: MainWindow, entry_id: str) -> Status | None:
    value = window.model.index_of(entry_id).data(Role.STATUS)
    return Status(value) if value else None


def wait_checked(qtbot: QtBot, window: MainWindow, entries: list[Entry]) -> None:
    qtbot.waitUntil(
        lambda: (
            all(window.model.result(e.id) is not None for e in entries)
            and not window.session.active
        ),
        timeout=WAIT_MS,
    )


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """Shortcuts of the window context only work in the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def open_dialog(qtbot: QtBot, window: MainWindow) -> EntryDialog:
    qtbot.waitUntil(lambda: _visible_dialog(window) is not None, timeout=WAIT_MS)
    dialog = _visible_dialog(window)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _visible_dialog(window: MainWindow) -> EntryDialog | None:
    dialogs = [d for d in window.findChildren(EntryDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


def child(dialog: QWidget, kind: type[Any], name: str) -> Any:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def press_ok(qtbot: QtBot, dialog: EntryDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def save_through(qtbot: QtBot, dialog: EntryDialog) -> None:
    """Press OK and wait for the dialog to close after the save."""
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        press_ok(qtbot, dialog)


def fill_add(qtbot: QtBot, dialog: EntryDialog, name: str, base_url: str, key: str) -> None:
    type_into(qtbot, child(dialog, QLineEdit, "nameEdit"), name)
    child(dialog, QRadioButton, "customRadio").click()
    type_into(qtbot, child(dialog, QLineEdit, "urlEdit"), base_url)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), key)


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """As a user does it: press and release, then the double click and its release."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def files_holding(root: Path, secret: str) -> list[str]:
    """Names of the files under ``root`` that hold ``secret`` (never the secret itself)."""
    needle = secret.encode("utf-8")
    return [p.name for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def stored_key(memory_keyring: MemoryKeyring, entry_id: str) -> str | None:
    return memory_keyring.get_password(SERVICE_NAME, entry_id)


class Questions:
    """A stand-in for QMessageBox.question that answers ``answer`` and remembers the texts."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    def __call__(self, _parent: object, title: str, text: str, *_args: object) -> Any:
        self.asked.append((title, text))
        return self.answer


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Callable[[QMessageBox.StandardButton], Questions]:
    def install(answer: QMessageBox.StandardButton) -> Questions:
        fake = Questions(answer)
        monkeypatch.setattr(QMessageBox, "question", staticmethod(fake))
        return fake

    return install


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def fake(_parent: object, title: str, text: str, *_args: object) -> Any:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(fake))
    return shown


# --- empty state and listing --------------------------------------------------------------


def test_the_empty_state_is_shown_without_entries_and_its_button_adds(
    qtbot: QtBot, window: MakeWindow
) -> None:
    shown = window()
    assert shown.pages.currentWidget() is shown.empty
    assert shown.empty.add_button.isVisible()
    assert not shown.empty.demo_button.isVisible()  # no on_try_demo given

    qtbot.mouseClick(shown.empty.add_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, shown)
    assert dialog.windowTitle() == "Add a key"
    dialog.reject()


def test_entries_are_listed_grouped_and_expanded(
    window: MakeWindow, server: SipstoryTestServer, seed: Seed, closed_port: int
) -> None:
    other = f"http://localhost:{closed_port}/api/public/v1"
    seed([("Acme", server.api_base, "k" * 20), ("Globex", server.api_base, "g" * 20)])
    seed([("Local", other, "l" * 20)])
    shown = window()

    assert shown.pages.currentWidget() is shown.splitter
    assert shown_groups(shown) == [
        (f"127.0.0.1:{server.port} (2)", ["Acme", "Globex"]),
        (f"localhost:{closed_port} (1)", ["Local"]),
    ]
    for row in range(shown.entry_list.proxy.rowCount()):
        assert shown.entry_list.isExpanded(shown.entry_list.proxy.index(row, 0))
    entry = shown.selected_entry()  # the first entry is selected and detailed
    assert entry is not None and entry.name == "Acme"
    assert shown.details.entry == entry
    assert all(action.isEnabled() for action in shown.window_actions.per_entry)


def test_the_cloud_group_is_shown_first(window: MakeWindow, seed: Seed) -> None:
    seed([("Zeta", "https://zeta.example.com/api/public/v1", None)])
    seed([("Cloud key", CLOUD_BASE_URL, None)])
    seed([("Acme", "https://acme.example.com/api/public/v1", None)])
    shown = window()
    assert shown_groups(shown)[0] == ("Sipstory Cloud (1)", ["Cloud key"])


# --- add, edit, replace, remove -----------------------------------------------------------


def test_adding_a_key_through_the_dialog(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    memory_keyring: MemoryKeyring,
    vault: Vault,
) -> None:
    key = known_key()
    shown = window()
    shown.window_actions["add"].trigger()
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Acme", server.api_base, key)
    save_through(qtbot, dialog)

    qtbot.waitUntil(lambda: shown_names(shown) == ["Acme"], timeout=WAIT_MS)
    (entry,) = vault.entries()
    assert entry.base_url == server.api_base
    assert entry.key_hint == key[-4:]
    qtbot.waitUntil(lambda: shown.selected_entry() == entry, timeout=WAIT_MS)  # then selected
    assert shown.pages.currentWidget() is shown.splitter
    assert stored_key(memory_keyring, entry.id) == key
    assert files_holding(vault.paths.data_dir, key) == []
    assert not shown.banner.isVisible()  # 127.0.0.1 over http is this machine: no warning


def test_a_bearer_prefixed_key_is_stored_stripped(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    memory_keyring: MemoryKeyring,
    vault: Vault,
) -> None:
    key = known_key()
    shown = window()
    shown.entry_commands.add()
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Bearer pasted", server.api_base, "Bearer " + key)
    save_through(qtbot, dialog)

    qtbot.waitUntil(lambda: len(vault.entries()) == 1, timeout=WAIT_MS)
    (entry,) = vault.entries()
    qtbot.waitUntil(lambda: shown.selected_entry() == entry, timeout=WAIT_MS)  # shown, too
    assert stored_key(memory_keyring, entry.id) == key
    assert files_holding(vault.paths.data_dir, key) == []
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS):
        shown.window_actions["check"].trigger()
    assert status_of(shown, entry.id) is Status.CONNECTED


def test_renaming_through_the_edit_dialog(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    (entry,) = seed([("Acme", server.api_base, "a" * 20)])
    shown = window()
    select(shown, entry.id)
    dialog = shown.entry_commands.edit()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "nameEdit"), "Acme (production)")
    save_through(qtbot, dialog)

    qtbot.waitUntil(lambda: shown_names(shown) == ["Acme (production)"], timeout=WAIT_MS)
    (edited,) = vault.entries()
    assert (edited.id, edited.name, edited.base_url) == (
        entry.id,
        "Acme (production)",
        server.api_base,
    )
    qtbot.waitUntil(lambda: shown.selected_entry() == edited, timeout=WAIT_MS)  # still selected


def test_replacing_the_key_makes_the_test_green_and_keeps_the_history(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    vault: Vault,
) -> None:
    (entry,) = seed([("Globex", server.api_base, known_key(state="rotated"))])
    new_key = known_key()
    shown = window()
    select(shown, entry.id)
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS):
        shown.check_selected()
    assert status_of(shown, entry.id) is Status.INVALID_KEY

    dialog = shown.entry_commands.replace_key()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    type_into(qtbot, child(dialog, QLineEdit, "keyEdit"), new_key)
    save_through(qtbot, dialog)
    qtbot.waitUntil(lambda: stored_key(memory_keyring, entry.id) == new_key, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: vault.entries()[0].key_hint == new_key[-4:], timeout=WAIT_MS)

    select(shown, entry.id)
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS):
        shown.check_selected()
    assert status_of(shown, entry.id) is Status.CONNECTED
    kept = [Status.INVALID_KEY, Status.CONNECTED]  # once the batch save and reload are done
    qtbot.waitUntil(
        lambda: [r.status for r in shown.model.history(entry.id)] == kept, timeout=WAIT_MS
    )
    qtbot.waitUntil(
        lambda: [r.status for r in vault.load_state().results.get(entry.id, [])] == kept,
        timeout=WAIT_MS,
    )
    assert files_holding(vault.paths.data_dir, new_key) == []


def test_a_reload_after_an_edit_keeps_results_not_saved_yet(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey, seed: Seed
) -> None:
    (entry,) = seed([("Globex", server.api_base, known_key(state="rotated"))])
    shown = window()
    select(shown, entry.id)
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS):
        shown.check_selected()
    shown.vault.edit(entry.id, name="Globex (old key)")  # as the Edit dialog's save does
    shown.reload()
    assert status_of(shown, entry.id) is Status.INVALID_KEY


def test_removing_through_the_toolbar_asks_then_deletes_entry_and_key(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    vault: Vault,
    questions: Callable[[QMessageBox.StandardButton], Questions],
) -> None:
    keep, gone = seed([("Keep me", server.api_base, "k" * 20), ("Acme", server.api_base, "a" * 20)])
    asked = questions(YES)
    shown = window()
    select(shown, gone.id)
    toolbar = shown.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None
    button = toolbar.widgetForAction(shown.window_actions["remove"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: shown_names(shown) == ["Keep me"], timeout=WAIT_MS)
    assert len(asked.asked) == 1
    title, text = asked.asked[0]
    assert "Acme" in title
    assert "Acme" in text and server.api_base in text
    assert [e.id for e in vault.entries()] == [keep.id]
    qtbot.waitUntil(lambda: stored_key(memory_keyring, gone.id) is None, timeout=WAIT_MS)
    assert stored_key(memory_keyring, keep.id) is not None
    assert gone.id not in vault.load_state().secret_ids


def test_a_failed_removal_shows_the_list_as_it_is_on_disk(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    vault: Vault,
    questions: Callable[[QMessageBox.StandardButton], Questions],
    warnings_shown: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring.errors

    keep, gone = seed([("Keep me", server.api_base, "k" * 20), ("Acme", server.api_base, "a" * 20)])
    questions(YES)
    shown = window()
    shown.loader._files.blockSignals(True)  # a file system whose changes are not seen

    def refuse(*_args: object) -> None:
        raise keyring.errors.PasswordDeleteError("the keyring refused")

    monkeypatch.setattr(memory_keyring, "delete_password", refuse)
    select(shown, gone.id)
    shown.window_actions["remove"].trigger()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=WAIT_MS)
    assert warnings_shown[0][0] == "Could not remove the entry"
    assert [e.id for e in vault.entries()] == [keep.id]  # the entry went, its key stayed
    qtbot.waitUntil(
        lambda: shown_names(shown) == ["Keep me"], timeout=WAIT_MS
    )  # and so says the list
    assert vault.orphans() == [gone.id]


def test_a_save_is_shown_at_once_even_where_file_changes_are_not_seen(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey, vault: Vault
) -> None:
    shown = window()
    shown.loader._files.blockSignals(True)
    reads: list[object] = []
    shown.loader.loaded.connect(lambda: reads.append(True))
    shown.entry_commands.add()
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Acme", server.api_base, known_key())
    save_through(qtbot, dialog)
    qtbot.waitUntil(lambda: shown_names(shown) == ["Acme"], timeout=WAIT_MS)
    (entry,) = vault.entries()
    qtbot.waitUntil(lambda: shown.selected_entry() == entry, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(reads), timeout=WAIT_MS)  # read again, and found the same
    assert shown_names(shown) == ["Acme"] and shown.selected_entry() == entry


def test_a_dialog_closed_while_its_check_runs_is_left_alone(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey
) -> None:
    server.delay = 0.5
    shown = window()
    shown.entry_commands.add()
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Acme", server.api_base, known_key())
    dialog.check_requested.emit(server.api_base, "k" * 64)
    dialog.reject()  # deleted on close, while the check is on its way
    qtbot.waitUntil(lambda: not shown.worker.busy, timeout=WAIT_MS)  # and no error after


def test_cancelling_the_removal_changes_nothing(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    memory_keyring: MemoryKeyring,
    vault: Vault,
    questions: Callable[[QMessageBox.StandardButton], Questions],
) -> None:
    (entry,) = seed([("Acme", server.api_base, "a" * 20)])
    asked = questions(NO)
    shown = window()
    select(shown, entry.id)
    shown.window_actions["remove"].trigger()

    assert len(asked.asked) == 1
    assert not shown.worker.busy  # nothing was handed to the worker
    assert vault.entries() == [entry]
    assert stored_key(memory_keyring, entry.id) == "a" * 20
    assert shown_names(shown) == ["Acme"]


class RefusingKeyring(KeyringBackend):
    """A keyring that reads and deletes but refuses to store."""

    priority = 0.1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the collection is read-only")

    def delete_password(self, service: str, username: str) -> None:
        return None


def test_a_keyring_that_refuses_to_store_keeps_the_dialog_open_and_saves_nothing(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    paths: AppPaths,
) -> None:
    refusing = Vault(paths, SecretStore(backend=RefusingKeyring(), timeout=5.0))
    key = known_key()
    shown = window(refusing)
    shown.entry_commands.add()
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Acme", server.api_base, key)
    press_ok(qtbot, dialog)

    message = child(dialog, QLabel, "saveMessage")
    qtbot.waitUntil(lambda: "refused to store" in message.text(), timeout=WAIT_MS)
    assert dialog.isVisible()
    assert "read-only" in message.text()
    assert "unlocked and writable" in message.text()
    assert child(dialog, QLineEdit, "nameEdit").text() == "Acme"  # nothing typed is lost
    assert refusing.entries() == []
    assert refusing.load_state().secret_ids == set()
    assert files_holding(paths.data_dir, key) == []
    assert shown.pages.currentWidget() is shown.empty
    dialog.reject()


# --- checks -------------------------------------------------------------------------------


@pytest.fixture
def five_lights(
    server: SipstoryTestServer, known_key: KnownKey, seed: Seed, closed_port: int
) -> dict[Status, Entry]:
    server.set_rate_limit("busy", 0)
    specs = {
        Status.CONNECTED: ("Acme", server.api_base, known_key(org="acme")),
        Status.INVALID_KEY: ("Globex", server.api_base, known_key(state="rotated")),
        Status.NOT_API: ("Initech", server.url, known_key(org="initech")),
        Status.RATE_LIMITED: ("Umbrella", server.api_base, known_key(org="busy")),
        Status.UNREACHABLE: (
            "Stopped",
            f"http://127.0.0.1:{closed_port}/api/public/v1",
            known_key(org="dev"),
        ),
    }
    made = seed(list(specs.values()))
    return dict(zip(specs, made, strict=True))


LIGHTS = {
    Status.CONNECTED: Light.GREEN,
    Status.INVALID_KEY: Light.RED,
    Status.NOT_API: Light.RED,
    Status.RATE_LIMITED: Light.AMBER,
    Status.UNREACHABLE: Light.RED,
}


def test_f5_checks_every_entry_and_each_gets_its_light_and_explanation(
    qtbot: QtBot, window: MakeWindow, five_lights: dict[Status, Entry]
) -> None:
    shown = window()
    activate(qtbot, shown)
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        qtbot.keyClick(shown, Qt.Key.Key_F5)
    entries = list(five_lights.values())
    wait_checked(qtbot, shown, entries)

    for expected, entry in five_lights.items():
        assert status_of(shown, entry.id) is expected, entry.name
        assert expected.light is LIGHTS[expected]
        result = shown.model.result(entry.id)
        assert result is not None
        select(shown, entry.id)
        assert shown.details._message.text() == result.message
        assert bool(result.hint) is (expected is not Status.CONNECTED)
        assert shown.details._hint.text() == result.hint
        assert shown.details._hint.isVisible() is (expected is not Status.CONNECTED)
        assert shown.details._status.text().startswith(expected.label)
        assert not shown.session.is_checking(entry.id)
    limited = shown.model.result(five_lights[Status.RATE_LIMITED].id)
    assert limited is not None and limited.retry_at is not None
    assert shown.model.index_of(five_lights[Status.RATE_LIMITED].id).data() == (
        f"Rate limited · again at {limited.retry_at.astimezone():%H:%M}"
    )
    assert "Connection refused" in shown.model.result(five_lights[Status.UNREACHABLE].id).message  # type: ignore[union-attr]
    not_api = shown.model.result(five_lights[Status.NOT_API].id)
    assert not_api is not None and "not the API" in not_api.message
    assert not_api.suggested_base_url == five_lights[Status.NOT_API].base_url + "/api/public/v1"
    assert "rotat" in shown.model.result(five_lights[Status.INVALID_KEY].id).hint  # type: ignore[union-attr]
    group = shown.entry_list.proxy.index(0, Column.LIGHT)
    assert group.data().endswith("working")


def test_ctrl_t_checks_only_the_selected_entry(
    qtbot: QtBot, window: MakeWindow, five_lights: dict[Status, Entry]
) -> None:
    shown = window()
    activate(qtbot, shown)
    target = five_lights[Status.INVALID_KEY]
    select(shown, target.id)
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(shown, Qt.Key.Key_T, CTRL)
    assert [entry_id for entry_id, _ in blocker.args[0]] == [target.id]  # type: ignore[index]
    assert status_of(shown, target.id) is Status.INVALID_KEY
    others = [e for e in five_lights.values() if e.id != target.id]
    assert all(shown.model.result(e.id) is None for e in others)


def test_the_check_button_in_the_row_checks_that_entry(
    qtbot: QtBot, window: MakeWindow, five_lights: dict[Status, Entry]
) -> None:
    shown = window()
    target = five_lights[Status.CONNECTED]
    index = view_index(shown, target.id, Column.ACTION)
    shown.entry_list.scrollTo(index)
    rect = shown.entry_list.visualRect(index)
    assert rect.isValid()
    with qtbot.waitSignal(shown.session.delivered, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(shown.entry_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [entry_id for entry_id, _ in blocker.args[0]] == [target.id]  # type: ignore[index]
    assert status_of(shown, target.id) is Status.CONNECTED
    select(shown, target.id)
    assert shown.details._status.text() == "Connected"


def test_double_clicking_a_name_opens_the_edit_dialog(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    rect = shown.entry_list.visualRect(view_index(shown, three_entries[0].id, Column.NAME))
    double_click(qtbot, shown.entry_list.viewport(), rect.center())
    dialog = open_dialog(qtbot, shown)
    assert dialog.windowTitle() == "Edit Acme prod"
    dialog.reject()


def test_double_clicking_the_check_button_does_not_open_the_edit_dialog(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    rect = shown.entry_list.visualRect(view_index(shown, three_entries[0].id, Column.ACTION))
    double_click(qtbot, shown.entry_list.viewport(), rect.center())
    opened = [d for d in shown.findChildren(EntryDialog) if d.isVisible()]
    for dialog in opened:
        dialog.reject()
    assert opened == []


def test_check_all_honours_retry_after(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.set_rate_limit("busy", 0)
    (entry,) = seed([("Umbrella", server.api_base, known_key(org="busy"))])
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_all()
    assert status_of(shown, entry.id) is Status.RATE_LIMITED
    sent = len(server.requests)
    shown.check_all()
    qtbot.waitUntil(lambda: not shown.session.active, timeout=WAIT_MS)
    assert len(server.requests) == sent
    held = shown.model.result(entry.id)
    assert held is not None
    assert held.status is Status.RATE_LIMITED
    assert held.request_sent is False
    assert held.retry_at is not None

    # Test on the row asks first; "No" sends nothing, "Yes" sends one request.
    select(shown, entry.id)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: next(answers))
    shown.check_selected()
    assert len(server.requests) == sent
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_selected()
    assert len(server.requests) == sent + 1


# --- the keyring stays off the GUI thread -------------------------------------------------


class KeyringThreads:
    """Records, for every keyring call, whether it ran on the main (GUI) thread.

    Both levels are wrapped: the SecretStore methods the app calls (where a call on the GUI
    thread would block it) and the backend itself (SecretStore runs the backend call on a
    helper thread of its own, so that level alone could never see the GUI thread).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []

    def wrap(self, monkeypatch: pytest.MonkeyPatch, target: object, names: list[str]) -> None:
        for name in names:
            original = getattr(target, name)

            def recording(*args: Any, _original: Any = original, _name: str = name) -> Any:
                on_main = threading.current_thread() is threading.main_thread()
                self.calls.append((_name, on_main))
                return _original(*args)

            monkeypatch.setattr(target, name, recording)

    def on_main(self) -> list[str]:
        return [name for name, on_main in self.calls if on_main]

    def names(self) -> set[str]:
        return {name for name, _ in self.calls}


def test_the_keyring_is_never_called_on_the_gui_thread(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    vault: Vault,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    questions: Callable[[QMessageBox.StandardButton], Questions],
) -> None:
    existing_key = known_key()
    (existing,) = seed([("Existing", server.api_base, existing_key)])
    threads = KeyringThreads()
    threads.wrap(monkeypatch, vault.secrets, ["get", "set", "delete", "backend_info"])
    threads.wrap(monkeypatch, memory_keyring, ["get_password", "set_password", "delete_password"])
    questions(YES)
    shown = window()
    shown.details._reveal_timer.setInterval(50)

    shown.entry_commands.add()  # add
    dialog = open_dialog(qtbot, shown)
    fill_add(qtbot, dialog, "Added", server.api_base, known_key())
    save_through(qtbot, dialog)
    qtbot.waitUntil(lambda: len(shown.model.entries()) == 2, timeout=WAIT_MS)

    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):  # check
        shown.check_all()
    select(shown, existing.id)
    clipboard = QGuiApplication.clipboard()
    shown.key_commands.copy_key()  # copy
    qtbot.waitUntil(lambda: clipboard.text() == existing_key, timeout=WAIT_MS)
    with qtbot.waitSignal(shown.details._reveal_timer.timeout, timeout=WAIT_MS):
        shown.key_commands.reveal()  # reveal
    shown.entry_commands.remove()  # remove
    qtbot.waitUntil(lambda: len(vault.entries()) == 1, timeout=WAIT_MS)
    assert shown.worker.wait(WAIT_MS)

    assert {"get", "set", "delete", "backend_info"} <= threads.names()
    assert {"get_password", "set_password", "delete_password"} <= threads.names()
    assert threads.on_main() == []


# --- keyboard -----------------------------------------------------------------------------


def test_ctrl_n_opens_the_add_dialog(qtbot: QtBot, window: MakeWindow) -> None:
    shown = window()
    activate(qtbot, shown)
    qtbot.keyClick(shown, Qt.Key.Key_N, CTRL)
    dialog = open_dialog(qtbot, shown)
    assert dialog.windowTitle() == "Add a key"
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    dialog.reject()


@pytest.fixture
def three_entries(server: SipstoryTestServer, seed: Seed, closed_port: int) -> list[Entry]:
    return [
        *seed([("Acme prod", server.api_base, "p" * 20), ("Acme staging", server.api_base, None)]),
        *seed([("Globex", f"http://localhost:{closed_port}/api/public/v1", "g" * 20)]),
    ]


def test_ctrl_f_focuses_the_filter_and_typing_filters(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, three_entries: list[Entry]
) -> None:
    shown = window()
    activate(qtbot, shown)
    shown.entry_list.setFocus()
    qtbot.keyClick(shown, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(shown.filter_edit.hasFocus, timeout=WAIT_MS)

    qtbot.keyClicks(shown.filter_edit, "acme")
    assert shown_groups(shown) == [(f"127.0.0.1:{server.port} (2)", ["Acme prod", "Acme staging"])]
    assert shown.entry_list.isExpanded(shown.entry_list.proxy.index(0, 0))
    type_into(qtbot, shown.filter_edit, "STAGING")
    assert shown_names(shown) == ["Acme staging"]
    type_into(qtbot, shown.filter_edit, "glob")
    assert shown_names(shown) == ["Globex"]
    type_into(qtbot, shown.filter_edit, "no such key")
    assert shown_groups(shown) == []
    shown.filter_edit.clear()
    assert len(shown_names(shown)) == 3


def test_filtering_for_test_finds_only_entries_named_so(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    seed([("Production", server.api_base, None), ("Test server", server.api_base, None)])
    shown = window()
    qtbot.keyClicks(shown.filter_edit, "test")
    assert shown_names(shown) == ["Test server"]


def test_delete_asks_before_removing(
    qtbot: QtBot,
    window: MakeWindow,
    three_entries: list[Entry],
    vault: Vault,
    questions: Callable[[QMessageBox.StandardButton], Questions],
) -> None:
    asked = questions(NO)
    shown = window()
    activate(qtbot, shown)
    select(shown, three_entries[2].id)
    shown.entry_list.setFocus()
    qtbot.keyClick(shown.entry_list, Qt.Key.Key_Delete)
    assert [title for title, _ in asked.asked] == ["Remove “Globex”?"]
    assert vault.entries() == three_entries

    shown.filter_edit.setFocus()  # Delete in the filter edits the filter, removes nothing
    qtbot.keyClick(shown.filter_edit, Qt.Key.Key_Delete)
    assert len(asked.asked) == 1


def test_ctrl_c_copies_the_key_and_clears_it_later(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("something else")
    shown = window()
    shown.key_commands.clipboard.timer.setInterval(50)
    activate(qtbot, shown)
    select(shown, three_entries[0].id)
    shown.entry_list.setFocus()
    held: list[bool] = []
    clipboard.dataChanged.connect(lambda: held.append(clipboard.text() == "p" * 20))

    with qtbot.waitSignal(shown.key_commands.clipboard.timer.timeout, timeout=WAIT_MS):
        qtbot.keyClick(shown.entry_list, Qt.Key.Key_C, CTRL)
    clipboard.dataChanged.disconnect()

    assert held[0] is True  # copied
    assert clipboard.text() == ""  # and cleared when the timer fired
    assert held[-1] is False


def test_ctrl_c_works_as_soon_as_the_window_opens(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    QGuiApplication.clipboard().clear()
    shown = window()
    activate(qtbot, shown)
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_C, CTRL)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "p" * 20, timeout=2000)


def test_ctrl_c_in_the_filter_copies_the_filter_text_not_the_key(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    activate(qtbot, shown)
    shown.filter_edit.setFocus()
    qtbot.keyClicks(shown.filter_edit, "acme")
    shown.filter_edit.selectAll()
    qtbot.keyClick(shown.filter_edit, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().text() == "acme"
    assert not shown.worker.busy  # no key was read


def test_the_clipboard_is_left_alone_if_it_changed_meanwhile(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    clipboard = QGuiApplication.clipboard()
    shown = window()
    select(shown, three_entries[0].id)
    shown.key_commands.copy_key()
    qtbot.waitUntil(lambda: clipboard.text() == "p" * 20, timeout=WAIT_MS)
    clipboard.setText("the user copied this since")
    with qtbot.waitSignal(shown.key_commands.clipboard.timer.timeout, timeout=WAIT_MS):
        shown.key_commands.clipboard.timer.setInterval(50)  # restarts the running timer
    assert clipboard.text() == "the user copied this since"


def test_reveal_shows_the_key_then_hides_it(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    key_label = shown.details._key
    select(shown, three_entries[0].id)
    assert key_label.text() == "••••pppp"
    shown.window_actions["reveal_key"].trigger()
    qtbot.waitUntil(lambda: key_label.text() == "p" * 20, timeout=WAIT_MS)
    shown.model.refresh_times()  # updates of the pane keep it revealed
    shown.check_selected()
    qtbot.waitUntil(lambda: not shown.session.active, timeout=WAIT_MS)
    assert key_label.text() == "p" * 20

    with qtbot.waitSignal(shown.details._reveal_timer.timeout, timeout=WAIT_MS):
        shown.details._reveal_timer.setInterval(50)  # restarts the running timer
    assert key_label.text() == "••••pppp"


def test_reveal_is_hidden_when_another_entry_is_selected(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    key_label = shown.details._key
    select(shown, three_entries[0].id)
    shown.key_commands.reveal()
    qtbot.waitUntil(lambda: key_label.text() == "p" * 20, timeout=WAIT_MS)
    select(shown, three_entries[2].id)
    assert key_label.text() == "••••gggg"


def test_copying_an_entry_without_a_key_says_so(
    qtbot: QtBot,
    window: MakeWindow,
    three_entries: list[Entry],
    warnings_shown: list[tuple[str, str]],
) -> None:
    shown = window()
    select(shown, three_entries[1].id)  # "Acme staging" was seeded without a key
    shown.key_commands.copy_key()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=WAIT_MS)
    assert warnings_shown[0][0] == "No key stored"
    assert "Acme staging" in warnings_shown[0][1]


def test_ctrl_q_closes_after_the_running_checks(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    vault: Vault,
) -> None:
    server.delay = 0.4
    entries = seed([(f"Org {i}", server.api_base, known_key()) for i in range(3)])
    shown = window()
    activate(qtbot, shown)
    shown.check_all()
    qtbot.waitUntil(lambda: len(server.requests) == 3, timeout=WAIT_MS)
    assert shown.session.active

    qtbot.keyClick(shown, Qt.Key.Key_Q, CTRL)

    assert not shown.isVisible()
    assert not shown.session.active
    state = vault.load_state()
    assert all(state.latest(e.id).status is Status.CONNECTED for e in entries)  # type: ignore[union-attr]


# --- live sync and trouble ----------------------------------------------------------------


def test_changes_made_elsewhere_appear_live(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    (first,) = seed([("First", server.api_base, "f" * 20)])
    shown = window()
    other = Vault(paths, SecretStore(backend=memory_keyring, timeout=5.0))  # as sipstory-keys

    added = other.add("Added elsewhere", EntryKind.CUSTOM, server.api_base, "e" * 20).entry
    qtbot.waitUntil(lambda: shown.model.entry(added.id) is not None, timeout=WAIT_MS)
    assert shown_names(shown) == ["Added elsewhere", "First"]

    other.record([(first.id, CheckResult(Status.NO_SUBSCRIPTION, "No subscription found"))])
    qtbot.waitUntil(lambda: status_of(shown, first.id) is Status.NO_SUBSCRIPTION, timeout=WAIT_MS)
    assert shown.model.index_of(first.id).data() == "No subscription"

    other.remove(added.id)
    qtbot.waitUntil(lambda: shown_names(shown) == ["First"], timeout=WAIT_MS)


def test_changes_made_elsewhere_appear_live_on_a_fresh_home(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    paths: AppPaths,
    memory_keyring: MemoryKeyring,
) -> None:
    shown = window()
    other = Vault(paths, SecretStore(backend=memory_keyring, timeout=5.0))
    added = other.add("Added elsewhere", EntryKind.CUSTOM, server.api_base, "e" * 20).entry
    qtbot.waitUntil(lambda: shown.model.entry(added.id) is not None, timeout=2000)


def test_a_config_damaged_while_open_shows_the_banner(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry], paths: AppPaths
) -> None:
    shown = window()
    assert not shown.banner.isVisible()
    paths.config_file.write_bytes(b'{"schema": 1, "entries": [{"id": ')
    qtbot.waitUntil(shown.banner.isVisible, timeout=WAIT_MS)
    assert shown.banner.title == "Your config was repaired."
    assert "damaged" in shown.banner.text
    assert list(paths.data_dir.glob("config.json.corrupt-*"))


def test_a_config_from_a_newer_version_shows_the_banner_and_keeps_the_list(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry], paths: AppPaths
) -> None:
    shown = window()
    paths.config_file.write_bytes(b'{"schema": 99, "entries": []}')
    qtbot.waitUntil(shown.banner.isVisible, timeout=WAIT_MS)
    assert shown.banner.title == "The config cannot be read."
    assert "newer Sipstory Desktop" in shown.banner.text
    assert len(shown_names(shown)) == 3


def test_a_config_damaged_at_start_keeps_its_banner(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry], paths: AppPaths
) -> None:
    paths.config_file.write_bytes(b"not json at all")
    shown = window()  # waits for the keyring probe
    assert shown.banner.isVisible()
    assert shown.banner.title == "Your config was repaired."


def test_without_a_keyring_the_banner_says_what_to_do_and_entries_are_listed(
    window: MakeWindow, three_entries: list[Entry], paths: AppPaths
) -> None:
    keyless = Vault(paths, SecretStore(backend=keyring.backends.fail.Keyring(), timeout=5.0))
    shown = window(keyless)

    assert shown.keyring.label.text() == "No keyring"
    assert shown.banner.isVisible()
    assert shown.banner.title == "No system keyring is available."
    assert "Secret Service" in shown.banner.text  # what to install
    assert "Your entries are listed" in shown.banner.text
    assert len(shown_names(shown)) == 3


def test_layout_is_restored_by_the_next_window(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry]
) -> None:
    first = window()
    first.resize(700, 500)  # within the offscreen screen (800 x 600): not clamped
    first.entry_list.setColumnWidth(Column.NAME, 321)
    first.entry_list.setColumnWidth(Column.CHECKED, 111)
    first.splitter.setSizes([600, 400])
    sizes = first.splitter.sizes()
    first.close()

    second = window()
    assert (second.width(), second.height()) == (700, 500)
    assert second.entry_list.columnWidth(Column.NAME) == 321
    assert second.entry_list.columnWidth(Column.CHECKED) == 111
    assert second.splitter.sizes() == sizes


def test_every_action_button_and_line_edit_has_a_name(
    window: MakeWindow, three_entries: list[Entry]
) -> None:
    shown = window()
    unnamed = []
    for action in shown.findChildren(QAction):
        if action.isSeparator() or isinstance(action, QWidgetAction) or qt_own(action):
            continue  # a QWidgetAction holds a toolbar widget, named (or not a control) itself
        if not action.text().replace("&", "").strip():
            unnamed.append(f"QAction {action.objectName()!r}")
    for widget in shown.findChildren(QWidget):
        if qt_own(widget):
            continue
        if isinstance(widget, QAbstractButton):
            if not (widget.accessibleName().strip() or widget.text().replace("&", "").strip()):
                unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
        elif isinstance(widget, QLineEdit) and not widget.accessibleName().strip():
            unnamed.append(f"QLineEdit {widget.objectName()!r}")
    assert unnamed == []


def qt_own(thing: QAction | QWidget) -> bool:
    """Qt's own parts: the menu and toolbar extension buttons, a line edit's clear button."""
    if thing.objectName().startswith(("_q_", "qt_")):
        return True
    if isinstance(thing, QAction):
        return any(qt_own(o) for o in thing.associatedObjects() if isinstance(o, QToolButton))
    if isinstance(thing, QToolButton):
        action = thing.defaultAction()
        return action is not None and action.objectName().startswith("_q_")
    return False


# --- the demo -----------------------------------------------------------------------------


@pytest.fixture
def demo() -> Iterator[DemoSession]:
    with DemoSession(delay=0.05) as session:
        yield session


def test_the_demo_shows_every_light(
    qtbot: QtBot, window: MakeWindow, demo: DemoSession, tmp_path: Path
) -> None:
    shown = window(demo.vault, demo=True, wait_probe=False)
    assert shown.windowTitle().endswith("Demo")
    entries = {e.name: e for e in demo.vault.entries()}
    wait_checked(qtbot, shown, list(entries.values()))
    for expected in DEMO_ENTRIES:
        assert status_of(shown, entries[expected.name].id) is Status(expected.expected_status)
    target = Path(os.environ.get("SIPSTORY_WINDOW_PNG") or tmp_path / "window.png")
    assert shown.grab().save(str(target))


def test_the_demo_checks_everything_once_even_when_the_keyring_answers_before_the_list(
    qtbot: QtBot, demo: DemoSession
) -> None:
    shown = MainWindow(demo.vault, demo=True)  # not shown: no keyring probe of its own
    qtbot.addWidget(shown)
    assert shown.loading  # the list is read after the first paint: not yet
    shown.keyring._found(BackendInfo("Demo keyring", True, True, "demo"))
    assert not shown.session.active  # nothing to check yet: it waits for the list
    entries = demo.vault.entries()
    wait_checked(qtbot, shown, entries)
    shown.keyring._found(BackendInfo("Demo keyring", True, True, "demo"))  # again
    assert not shown.session.active  # once only
    shown.quit()
    assert shown.session.shutdown(5000) and shown.worker.wait(5000)


def test_a_reload_is_announced_once(
    qtbot: QtBot, window: MakeWindow, three_entries: list[Entry], vault: Vault
) -> None:
    shown = window()
    loads: list[int] = []
    shown.loaded.connect(lambda: loads.append(1))
    vault.add("Fourth", EntryKind.CLOUD, "", "k" * 40)  # as sipstory-keys would
    shown.reload()
    qtbot.waitUntil(lambda: len(shown.model.entries()) == 4 and not shown.loading)
    qtbot.wait(100)
    assert loads == [1]


def test_f5_before_the_list_is_read_checks_it_once_read(qtbot: QtBot, demo: DemoSession) -> None:
    shown = MainWindow(demo.vault)  # not shown: reads its list a little later
    qtbot.addWidget(shown)
    assert shown.loading
    shown.window_actions["check_all"].trigger()
    wait_checked(qtbot, shown, demo.vault.entries())
    shown.quit()
    assert shown.session.shutdown(5000) and shown.worker.wait(5000)


# --- responsiveness (last: it leaves the most finished runnables behind) -----------------


def test_the_window_stays_responsive_while_200_checks_run(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.delay = 0.05
    key = known_key()
    entries = seed([(f"Org {i:03}", server.api_base, key) for i in range(200)])
    shown = window()
    activate(qtbot, shown)

    ticks: list[float] = []
    timer = QTimer(shown, interval=20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    started = time.monotonic()
    ticks.append(started)
    timer.start()
    qtbot.keyClick(shown, Qt.Key.Key_F5)
    qtbot.waitUntil(
        lambda: all(shown.model.result(e.id) is not None for e in entries), timeout=30_000
    )
    elapsed = time.monotonic() - started
    timer.stop()

    gaps = [b - a for a, b in pairwise(ticks)]
    longest = max(gaps)
    with capsys.disabled():
        print(
            f"\n200 checks in {elapsed:.2f} s; {len(ticks) - 1} ticks of 20 ms; "
            f"longest event-loop gap {longest * 1000:.0f} ms"
        )
    assert {shown.model.result(e.id).status for e in entries} == {Status.CONNECTED}  # type: ignore[union-attr]
    assert len(server.requests) == 200  # one check each, no more
    assert len(ticks) - 1 >= 0.3 * elapsed / 0.020  # a blocked loop would tick once or twice
    assert longest < 1.0


def test_a_change_shown_at_once_is_not_taken_for_a_read_of_the_files(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    (entry,) = seed([("Acme", server.api_base, "a" * 20)])
    shown = window()
    shown.loader._files.blockSignals(True)
    reads: list[object] = []
    shown.loader.loaded.connect(lambda: reads.append(True))
    shown.model.put_entry(entry.edited(name="Acme (renamed)"))
    qtbot.waitUntil(lambda: shown_names(shown) == ["Acme (renamed)"], timeout=WAIT_MS)
    qtbot.wait(50)  # the turn in which a read would say it is done
    assert reads == [] and not shown.loading


def test_a_copied_key_is_marked_as_a_secret_for_clipboard_managers(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    (entry,) = seed([("Acme", server.api_base, "p" * 20)])
    shown = window()
    select(shown, entry.id)
    for copy in (
        shown.key_commands.copy_key,
        shown.key_commands.copy_curl,
        shown.key_commands.copy_environment,
    ):
        QGuiApplication.clipboard().clear()
        copy()
        qtbot.waitUntil(lambda: "p" * 20 in QGuiApplication.clipboard().text(), timeout=WAIT_MS)
        data = QGuiApplication.clipboard().mimeData()
        assert data is not None
        assert bytes(data.data("x-kde-passwordManagerHint").data()) == b"secret"


def test_on_wayland_a_clear_waits_for_the_focus_and_says_so(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sipstory_desktop.gui import secret_clipboard

    (entry,) = seed([("Acme", server.api_base, "p" * 20)])
    shown = window()
    select(shown, entry.id)
    monkeypatch.setattr(secret_clipboard, "_needs_focus", lambda: True)
    monkeypatch.setattr(secret_clipboard, "_active", lambda: False)
    clipboard = shown.key_commands.clipboard
    clipboard.timer.setInterval(50)
    shown.key_commands.copy_key()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "p" * 20, timeout=WAIT_MS)
    with qtbot.waitSignal(clipboard.clear_delayed, timeout=WAIT_MS):
        pass
    assert QGuiApplication.clipboard().text() == "p" * 20  # not yet: another app is in front
    assert "only the app in front" in shown.statusBar().currentMessage()
    clipboard._state_changed(Qt.ApplicationState.ApplicationActive)  # back to the app
    assert QGuiApplication.clipboard().text() == ""
