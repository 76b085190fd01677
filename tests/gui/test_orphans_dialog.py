"""The orphaned-keys dialog: the list, deleting the checked keys after asking, failures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.gui.orphans_dialog import OrphansDialog
from tests.support.dialogs import (
    assert_accessible,
    assert_escape_closes,
    assert_tab_reaches_every_control,
    child,
    click_in_message_box,
    opened,
    shown_text,
)

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


IDS = ["5f1c3a9e0b7d4e2c8a6f1b3d9e7c5a20", "a83e77d2c1f94b0e9d6a2c4b8f1e3d57", "0c9b2e4f"]


def orphan_list(dialog: OrphansDialog) -> QListWidget:
    return child(dialog, QListWidget, "orphanList")


def test_orphans_are_explained_and_listed_checked(qtbot: QtBot) -> None:
    dialog = opened(qtbot, OrphansDialog(IDS))

    intro = shown_text(dialog, "intro")
    assert "no entry uses" in intro
    assert "interrupted" in intro and "locked" in intro
    listed = orphan_list(dialog)
    assert [listed.item(i).text() for i in range(listed.count())] == IDS
    assert dialog.checked_ids() == IDS
    assert child(dialog, QPushButton, "deleteButton").isEnabled()
    assert not child(dialog, QPushButton, "deleteButton").isDefault()
    assert_accessible(dialog)


def test_no_orphans_means_nothing_to_clean(qtbot: QtBot) -> None:
    dialog = opened(qtbot, OrphansDialog([]))

    assert shown_text(dialog, "message").startswith("Nothing to clean")
    assert not orphan_list(dialog).isVisible()
    assert not child(dialog, QPushButton, "deleteButton").isVisible()


def test_delete_needs_a_checked_key(qtbot: QtBot) -> None:
    dialog = opened(qtbot, OrphansDialog(IDS))
    listed = orphan_list(dialog)

    for i in range(listed.count()):
        listed.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not child(dialog, QPushButton, "deleteButton").isEnabled()
    listed.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.checked_ids() == [IDS[1]]
    assert child(dialog, QPushButton, "deleteButton").isEnabled()


@pytest.mark.parametrize("answer", [None, "cancel"])
def test_delete_asks_first_and_cancel_deletes_nothing(qtbot: QtBot, answer: str | None) -> None:
    dialog = opened(qtbot, OrphansDialog(IDS))

    def cancel_button() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "Delete 3 orphaned keys" in box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()

    with qtbot.assertNotEmitted(dialog.delete_requested):
        if answer is None:
            click_in_message_box(qtbot, None)
        else:
            QTimer.singleShot(0, cancel_button)
        child(dialog, QPushButton, "deleteButton").click()
    assert dialog.checked_ids() == IDS
    assert child(dialog, QPushButton, "deleteButton").isEnabled()


def test_delete_hands_the_checked_ids_over_and_shows_the_result(qtbot: QtBot) -> None:
    dialog = opened(qtbot, OrphansDialog(IDS))
    orphan_list(dialog).item(2).setCheckState(Qt.CheckState.Unchecked)

    click_in_message_box(qtbot, "confirmDelete")
    with qtbot.waitSignal(dialog.delete_requested) as asked:
        child(dialog, QPushButton, "deleteButton").click()
    assert asked.args == [IDS[:2]]
    assert not child(dialog, QPushButton, "deleteButton").isEnabled()
    assert shown_text(dialog, "message") == "Deleting…"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # not while deleting

    dialog.show_deleted(IDS[:2])
    assert [orphan_list(dialog).item(0).text()] == IDS[2:]
    assert orphan_list(dialog).count() == 1
    assert shown_text(dialog, "message") == "Deleted 2 keys from the keyring."
    dialog.show_deleted(IDS[2:])
    assert shown_text(dialog, "message") == (
        "Deleted 1 key from the keyring. Nothing is left to clean."
    )
    assert not orphan_list(dialog).isVisible()


def test_a_failed_delete_keeps_the_list(qtbot: QtBot) -> None:
    dialog = opened(qtbot, OrphansDialog(IDS))
    click_in_message_box(qtbot, "confirmDelete")
    child(dialog, QPushButton, "deleteButton").click()

    dialog.show_error("The keyring is locked.")
    assert shown_text(dialog, "message") == "The keyring is locked."
    assert child(dialog, QLabel, "message").property("tone") == "error"
    assert dialog.checked_ids() == IDS
    assert child(dialog, QPushButton, "deleteButton").isEnabled()


# --- keyboard -------------------------------------------------------------------------------


def test_escape_closes_the_dialog(qtbot: QtBot) -> None:
    assert_escape_closes(opened(qtbot, OrphansDialog(IDS)))


def test_tab_reaches_every_control(qtbot: QtBot) -> None:
    assert_tab_reaches_every_control(opened(qtbot, OrphansDialog(IDS)))
