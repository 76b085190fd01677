"""The window's ways out of .env files and into terminals: Import keys from .env files (a
preview, a check, a save, a scrub only when asked) and Use in a terminal (lines to copy,
none holding the key)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QTreeWidget
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.status import Status
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.gui.env_import_dialog import EnvImportDialog
from sipstory_desktop.gui.terminal_use_dialog import TerminalUseDialog
from sipstory_desktop.gui.window import MainWindow
from tests.support.dialogs import child, rows
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _env_file(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir()
    path = folder / ".env"
    path.write_text(text)
    return path


def _the_dialog(qtbot: QtBot, shown: MainWindow) -> EnvImportDialog:
    found: list[EnvImportDialog] = []

    def visible() -> bool:
        found[:] = [d for d in shown.findChildren(EnvImportDialog) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=WAIT_MS)
    return found[0]


def test_import_from_an_env_file_checks_saves_and_scrubs(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    key = known_key()
    env = _env_file(tmp_path, f"SIPSTORY_API_KEY={key}\nSIPSTORY_API_URL={server.api_base}\n")
    shown = window()
    shown.terminal.import_env_files([env])
    dialog = _the_dialog(qtbot, shown)

    (row,) = rows(child(dialog, QTreeWidget, "foundKeys"))
    assert row.checkState(0) == Qt.CheckState.Checked
    assert key not in "".join(row.text(c) for c in range(6))
    assert f"••••{key[-4:]}" in row.text(2) and "new entry “acme”" in row.text(4)

    child(dialog, QPushButton, "checkButton").click()
    qtbot.waitUntil(lambda: row.text(5) == Status.CONNECTED.label, timeout=WAIT_MS)

    child(dialog, QCheckBox, "scrubBox").setChecked(True)
    child(dialog, QPushButton, "importButton").click()
    qtbot.waitUntil(lambda: [e.name for e in shown.model.entries()] == ["acme"], timeout=WAIT_MS)
    (entry,) = shown.model.entries()
    assert memory_keyring.get_password("tech.sipstory.Desktop", entry.id) == key
    assert key not in env.read_text() and key in env.with_name(".env.bak").read_text()


def test_nothing_is_saved_or_changed_until_import_is_pressed(
    qtbot: QtBot, window: MakeWindow, known_key: KnownKey, tmp_path: Path
) -> None:
    key = known_key()
    env = _env_file(tmp_path, f"SIPSTORY_API_KEY={key}\nOPENAI_API_KEY=sk-x\n")
    shown = window()
    shown.terminal.import_env_files([env, tmp_path / "missing.env"])
    dialog = _the_dialog(qtbot, shown)
    text = child(dialog, QLabel, "notes").text()
    assert "does not exist" in text and "1 other *_API_KEY" in text
    (row,) = rows(child(dialog, QTreeWidget, "foundKeys"))
    row.setCheckState(0, Qt.CheckState.Unchecked)
    assert not child(dialog, QPushButton, "importButton").isEnabled()
    dialog.reject()
    assert shown.model.entries() == [] and env.read_text().startswith("SIPSTORY_API_KEY=")


def test_use_in_a_terminal_shows_lines_without_the_key(
    qtbot: QtBot, window: MakeWindow, seed: Seed, server: SipstoryTestServer, known_key: KnownKey
) -> None:
    key = known_key()
    (entry,) = seed([("Acme's prod", server.api_base, key)])
    shown = window()
    select(shown, entry.id)
    shown.window_actions["use_in_terminal"].trigger()
    qtbot.waitUntil(lambda: bool(shown.findChildren(TerminalUseDialog)), timeout=WAIT_MS)
    (dialog,) = shown.findChildren(TerminalUseDialog)
    lines = {name: field.text() for name, field in dialog.fields.items()}
    assert all(key not in line for line in lines.values())
    quoted = shlex.quote("Acme's prod")
    assert lines["run"].endswith(f"run {quoted} -- COMMAND")
    assert lines["sh"].endswith(f'env {quoted})"') and lines["sh"].startswith('eval "$(')
    assert lines["direnv"] == f"export SIPSTORY_ENTRY={quoted}"
    assert shlex.split(lines["run"])[-3:] == ["Acme's prod", "--", "COMMAND"]  # one word
    child(dialog, QPushButton, "runCopy").click()
    assert QGuiApplication.clipboard().text() == lines["run"]
    assert all(isinstance(f, QLineEdit) and f.isReadOnly() for f in dialog.fields.values())
