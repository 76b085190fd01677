"""A locked keyring in the window: said as locked, an Unlock button, a bounded wait for
its prompt that quitting cancels, and where a new key will be stored, said before it is."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.export_format import export_entries, read_export
from sipstory_desktop.core.import_plan import ImportOutcome, plan_import
from sipstory_desktop.core.secrets import BackendInfo, SecretStore, locked_error
from sipstory_desktop.core.status import Status
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.entry.dialog import EntryDialog
from sipstory_desktop.gui.entry.draft import DialogMode
from sipstory_desktop.gui.import_dialog import ImportDialog
from sipstory_desktop.gui.keyring_status import LOCKED_TOPIC
from sipstory_desktop.gui.window import MainWindow
from tests.support.dialogs import opened, shown_text
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed

KEEPASSXC = BackendInfo(
    "KeePassXC (Secret Service)",
    secure=True,
    available=True,
    technical_name="keyring.backends.SecretService.Keyring",
    provider="KeePassXC",
)


class Locked:
    """A store that answers like a locked KeePassXC until :meth:`unlock` is answered."""

    def __init__(self, store: SecretStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.locked = True
        self.unlock_calls = 0
        self.answer = threading.Event()  # the user answers KeePassXC's dialog
        self.store = store
        real_get, real_many = store.get, store.get_many

        def get(entry_id: str) -> str | None:
            if self.locked:
                raise locked_error("KeePassXC")
            return real_get(entry_id)

        def get_many(entry_ids: list[str]) -> dict[str, str | None]:
            if self.locked:
                raise locked_error("KeePassXC")
            return real_many(entry_ids)

        def unlock(timeout: float = 120.0) -> bool:
            store.cancel.clear()
            self.unlock_calls += 1
            while not self.answer.wait(0.05):  # the dialog stays open until answered...
                if store.cancel.is_set():  # ...or the app stops waiting (dismissing it)
                    return False
            self.locked = False
            return True

        monkeypatch.setattr(store, "get", get)
        monkeypatch.setattr(store, "get_many", get_many)
        monkeypatch.setattr(store, "unlock", unlock)


def check_all(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.idle, timeout=WAIT_MS):
        window.check_all()


def statuses(window: MainWindow) -> set[Status]:
    return {r.status for e in window.model.entries() if (r := window.model.result(e.id))}


def test_locked_says_locked_offers_unlock_and_rechecks_once_unlocked(
    qtbot: QtBot,
    window: MakeWindow,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
    server: SipstoryTestServer,
) -> None:
    seed([("Acme", server.api_base, known_key()), ("Globex", server.api_base, known_key())])
    shown = window()
    locked = Locked(shown.keyring._vault.secrets, monkeypatch)

    check_all(qtbot, shown)
    assert statuses(shown) == {Status.KEYRING_ERROR}
    assert shown.banner.isVisible() and shown.banner.topic == LOCKED_TOPIC
    assert shown.banner.title == "KeePassXC is locked."
    assert shown.banner._action.isVisible()
    assert shown.banner._action.text() == "&Unlock"

    shown.banner._action.click()  # Unlock: the wait runs off the GUI thread
    qtbot.waitUntil(lambda: locked.unlock_calls == 1, timeout=WAIT_MS)
    assert shown.keyring.unlocking
    assert "answer its prompt" in shown.statusBar().currentMessage()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        locked.answer.set()  # the user typed the database password in KeePassXC
    qtbot.waitUntil(lambda: statuses(shown) == {Status.CONNECTED}, timeout=WAIT_MS)
    assert not shown.keyring.unlocking


def test_quitting_while_the_unlock_prompt_is_open_ends_the_wait(
    qtbot: QtBot,
    window: MakeWindow,
    seed: Seed,
    known_key: KnownKey,
    monkeypatch: pytest.MonkeyPatch,
    server: SipstoryTestServer,
) -> None:
    seed([("Acme", server.api_base, known_key())])
    shown = window()
    locked = Locked(shown.keyring._vault.secrets, monkeypatch)
    check_all(qtbot, shown)
    shown.keyring.unlock()
    qtbot.waitUntil(lambda: locked.unlock_calls == 1, timeout=WAIT_MS)
    shown.close()  # nobody answers KeePassXC: the app still quits, the prompt dismissed
    assert locked.store.cancel.is_set()
    assert shown.keyring._unlocker.pool.activeThreadCount() == 0


def test_a_prompt_waited_for_is_said_in_the_status_bar(qtbot: QtBot, window: MakeWindow) -> None:
    shown = window()
    store = shown.keyring._vault.secrets
    assert store.on_prompt is not None
    threading.Thread(target=store.on_prompt).start()  # as a check's thread calls it
    qtbot.waitUntil(lambda: "Waiting for" in shown.statusBar().currentMessage(), timeout=WAIT_MS)
    assert "allow Sipstory Desktop to read the keys" in shown.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("storage", "said"),
    [
        (KEEPASSXC, "stored in KeePassXC (Secret Service), in the group of the open database"),
        (None, "stored in the system keyring"),
        (
            BackendInfo("a plain-text file (keyrings.alt)", False, True, "x"),
            "which does NOT encrypt it",
        ),
    ],
)
def test_the_add_dialog_says_where_the_key_will_be_stored(
    qtbot: QtBot, storage: BackendInfo | None, said: str
) -> None:
    dialog = EntryDialog(DialogMode.ADD, storage=storage)
    qtbot.addWidget(dialog)
    label = dialog.findChild(QLabel, "keyStorage")
    assert label is not None
    assert said in label.text()


def test_the_import_says_which_keys_the_shared_vault_held(qtbot: QtBot) -> None:
    made = (
        Entry("Acme", EntryKind.CLOUD, CLOUD_BASE_URL),
        Entry("Globex", EntryKind.CLOUD, CLOUD_BASE_URL),
    )
    dialog = opened(qtbot, ImportDialog(plan_import([], read_export(export_entries(made)))))
    dialog.show_outcome(ImportOutcome(added=("Acme", "Globex"), created=made, found_keys=("Acme",)))

    said = shown_text(dialog, "message")
    assert "Found the keys of 1 of 2 new entries in the keyring (a shared vault): Acme." in said
    assert "These entries have no key yet: Globex." in said
