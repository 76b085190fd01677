"""The window's tools beyond checks: channels, find the API URL, export and import,
orphaned keys, copy as curl. Against the real local test server, with pytest-qt."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.secrets import SERVICE_NAME
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.gui.channels_dialog import ChannelsDialog
from sipstory_desktop.gui.find_url_dialog import FindUrlDialog
from sipstory_desktop.gui.import_dialog import ImportDialog
from sipstory_desktop.gui.orphans_dialog import OrphansDialog
from tests.support.window import WAIT_MS, select

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def open_dialog(kind: type) -> object:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def test_channels_are_fetched_on_demand_and_counted(
    qtbot: QtBot, window, server, seed, known_key, vault: Vault
) -> None:
    (entry,) = seed([("Acme", server.api_base, known_key(org="acme"))])
    shown = window()
    select(shown, entry.id)
    shown.tools.channels()
    dialog = open_dialog(ChannelsDialog)
    assert isinstance(dialog, ChannelsDialog)
    assert not any(r.path.endswith("/integrations") for r in server.requests)  # on demand
    dialog.refresh_requested.emit()
    qtbot.waitUntil(lambda: entry.id in vault.load_state().channels, timeout=WAIT_MS)
    tree = dialog.findChild(QTreeWidget)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 5, timeout=WAIT_MS)
    assert sum(r.path.endswith("/integrations") for r in server.requests) == 1
    assert shown.model.requests_last_hour(entry.id) == 1
    dialog.close()


def test_find_api_url_fixes_an_entry_that_lacks_api(
    qtbot: QtBot, window, server, seed, known_key, vault: Vault
) -> None:
    (entry,) = seed([("Initech", server.url, known_key())])  # the web app, not the API
    shown = window()
    select(shown, entry.id)
    shown.tools.find_url()
    dialog = open_dialog(FindUrlDialog)
    assert isinstance(dialog, FindUrlDialog)
    use = dialog.findChild(QPushButton, "useButton")
    qtbot.waitUntil(use.isEnabled, timeout=WAIT_MS)
    use.click()
    qtbot.waitUntil(lambda: vault.entries()[0].base_url == server.api_base, timeout=WAIT_MS)
    assert not any("Authorization" in r.headers for r in server.requests)  # probes send no key


def test_export_then_import_previews_and_never_overwrites(
    qtbot: QtBot,
    window,
    server,
    seed,
    known_key,
    vault: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = known_key()
    seed([("Acme", server.api_base, key), ("Globex", server.api_base, known_key())])
    shown = window()
    target = tmp_path / "entries.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown.tools.export()
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    assert key.encode() not in target.read_bytes()

    document = json.loads(target.read_text())
    document["entries"][0]["note"] = "changed elsewhere"
    document["entries"].append(
        {"name": "Hooli", "kind": "custom", "base_url": server.api_base, "note": ""}
    )
    target.write_text(json.dumps(document))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    shown.tools.import_()
    qtbot.waitUntil(lambda: open_dialog(ImportDialog) is not None, timeout=WAIT_MS)
    dialog = open_dialog(ImportDialog)
    assert isinstance(dialog, ImportDialog)
    assert not dialog.findChild(QPushButton, "importButton").isEnabled()  # a conflict: choose
    dialog.findChild(QPushButton, "skipAllButton").click()
    dialog.findChild(QPushButton, "importButton").click()
    qtbot.waitUntil(lambda: len(vault.entries()) == 3, timeout=WAIT_MS)
    notes = {e.name: e.note for e in vault.entries()}
    assert notes["Acme"] == ""  # the conflict was skipped, not overwritten
    qtbot.waitUntil(lambda: "no key yet" in shown.banner.title, timeout=WAIT_MS)
    dialog.close()


def _orphans_dialog(
    qtbot: QtBot, window, vault: Vault, memory_keyring: MemoryKeyring
) -> tuple[object, OrphansDialog]:
    """A window whose keyring holds a key of this app that no entry uses, and its dialog."""
    memory_keyring.set_password(SERVICE_NAME, "deadbeef", "left-behind-secret-value")
    vault.state.update(lambda s: s.secret_ids.add("deadbeef"))
    shown = window()
    shown.tools.orphans()
    qtbot.waitUntil(lambda: open_dialog(OrphansDialog) is not None, timeout=WAIT_MS)
    dialog = open_dialog(OrphansDialog)
    assert isinstance(dialog, OrphansDialog)
    return shown, dialog


def test_orphaned_keys_are_listed_and_deleted(
    qtbot: QtBot, window, vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    _shown, dialog = _orphans_dialog(qtbot, window, vault, memory_keyring)
    assert dialog.checked_ids() == ["deadbeef"]
    dialog.delete_requested.emit(["deadbeef"])
    # Until the dialog has shown the outcome: closed before, it would be deleted while the
    # outcome is on its way to it.
    qtbot.waitUntil(lambda: dialog.checked_ids() == [], timeout=WAIT_MS)
    assert memory_keyring.get_password(SERVICE_NAME, "deadbeef") is None
    assert vault.orphans() == []
    dialog.close()


def test_copy_as_curl_runs_the_same_check_and_is_cleared(
    qtbot: QtBot, window, server, seed, known_key
) -> None:
    key = known_key()
    (entry,) = seed([("Acme", server.api_base, key)])
    shown = window()
    select(shown, entry.id)
    shown.key_commands.clipboard.timer.setInterval(50)
    shown.key_commands.copy_curl()
    clipboard = QGuiApplication.clipboard()
    qtbot.waitUntil(lambda: clipboard.text().startswith("curl "), timeout=WAIT_MS)
    words = shlex.split(clipboard.text())
    assert words[-1] == server.api_base + "/is-connected"
    assert (words[-2] == f"Authorization: {key}") is True
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=WAIT_MS)


def test_find_api_url_from_the_add_dialog_fills_the_base_url(qtbot: QtBot, window, server) -> None:
    from PySide6.QtWidgets import QLineEdit, QRadioButton

    shown = window()
    dialog = shown.entry_commands.add()
    qtbot.waitExposed(dialog)
    dialog.findChild(QRadioButton, "instanceRadio").setChecked(True)
    dialog.findChild(QLineEdit, "addressEdit").setText(server.url)
    dialog.findChild(QPushButton, "findUrlButton").click()
    qtbot.waitUntil(lambda: open_dialog(FindUrlDialog) is not None, timeout=WAIT_MS)
    finder = open_dialog(FindUrlDialog)
    use = finder.findChild(QPushButton, "useButton")
    qtbot.waitUntil(use.isEnabled, timeout=WAIT_MS)
    use.click()
    assert dialog.findChild(QRadioButton, "customRadio").isChecked()
    assert dialog.findChild(QLineEdit, "urlEdit").text() == server.api_base
    dialog.reject()


def test_an_orphans_dialog_closed_while_it_deletes_is_left_alone(
    qtbot: QtBot, window, vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    shown, dialog = _orphans_dialog(qtbot, window, vault, memory_keyring)
    dialog.delete_requested.emit(["deadbeef"])
    dialog.close()  # at once: deleted while the outcome is on its way (WA_DeleteOnClose)
    qtbot.waitUntil(lambda: not shown.worker.busy, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert memory_keyring.get_password(SERVICE_NAME, "deadbeef") is None  # done all the same
