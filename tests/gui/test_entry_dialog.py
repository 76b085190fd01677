"""The Add / Edit / Replace key dialog: validation, signals, busy states, keyboard and privacy."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import MAX_NAME_LENGTH, Entry, EntryKind
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.urls import CLOUD_BASE_URL, instance_address_of
from sipstory_desktop.gui.color_scheme import dark_palette
from sipstory_desktop.gui.entry.dialog import EntryDialog
from sipstory_desktop.gui.entry.draft import DialogMode, EntryDraft
from sipstory_desktop.gui.entry.name import NameSection
from sipstory_desktop.gui.lights import light_icon
from tests.support.dialogs import click_in_message_box

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

KEY = "3c9f" * 16  # 64 hex characters, like today's keys
OTHER_KEY = "pos_" + "Ab1" * 13 + "x"
RESULT = CheckResult(
    Status.INVALID_KEY,
    "The server rejected the key: Invalid API key.",
    hint="A key stops working at once when it is rotated: paste the new one.",
    http_status=401,
)

# --- helpers ------------------------------------------------------------------------------

OpenDialog = Callable[..., EntryDialog]


@pytest.fixture
def open_dialog(qtbot: QtBot) -> Iterator[OpenDialog]:
    def open_(
        mode: DialogMode = DialogMode.ADD,
        entry: Entry | None = None,
        existing_names: Collection[str] = (),
    ) -> EntryDialog:
        dialog = EntryDialog(mode, entry=entry, existing_names=existing_names)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    yield open_


def line_edit(dialog: QWidget, name: str) -> QLineEdit:
    edit = dialog.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def radio(dialog: QWidget, name: str) -> QRadioButton:
    button = dialog.findChild(QRadioButton, name)
    assert button is not None, name
    return button


def label(dialog: QWidget, name: str) -> QLabel:
    found = dialog.findChild(QLabel, name)
    assert found is not None, name
    return found


def shown_text(dialog: QWidget, name: str) -> str:
    """The text of a message label, or "" while it is hidden."""
    found = label(dialog, name)
    return found.text() if found.isVisible() else ""


def button(dialog: QDialog, which: QDialogButtonBox.StandardButton) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(which)


def ok_button(dialog: QDialog) -> QPushButton:
    return button(dialog, QDialogButtonBox.StandardButton.Ok)


def cancel_button(dialog: QDialog) -> QPushButton:
    return button(dialog, QDialogButtonBox.StandardButton.Cancel)


def check_button(dialog: QDialog) -> QPushButton:
    found = dialog.findChild(QPushButton, "checkButton")
    assert found is not None
    return found


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type as the user does (so that textEdited fires), replacing what was there."""
    edit.clear()
    qtbot.keyClicks(edit, text)


def fill_add(
    qtbot: QtBot,
    dialog: EntryDialog,
    name: str = "Globex",
    address: str = "sipstory.example.com",
    key: str = KEY,
) -> None:
    type_into(qtbot, line_edit(dialog, "nameEdit"), name)
    radio(dialog, "instanceRadio").click()
    type_into(qtbot, line_edit(dialog, "addressEdit"), address)
    type_into(qtbot, line_edit(dialog, "keyEdit"), key)


def all_shown_texts(dialog: QDialog) -> list[str]:
    """Every text the dialog shows or tells assistive tools, apart from its inputs."""
    texts = [dialog.windowTitle()]
    texts += [found.text() for found in dialog.findChildren(QLabel)]
    for widget in dialog.findChildren(QWidget):
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
    return texts


def entry(kind: EntryKind, base_url: str, name: str = "Acme") -> Entry:
    return Entry(name=name, kind=kind, base_url=base_url, note="Client since 2024", key_hint="9f3a")


# --- where the key belongs --------------------------------------------------------------


def test_cloud_is_chosen_at_first_and_shows_its_base_url(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()

    assert radio(dialog, "cloudRadio").isChecked()
    assert shown_text(dialog, "baseUrlMessage") == f"Base URL: {CLOUD_BASE_URL}"
    assert not line_edit(dialog, "addressEdit").isEnabled()
    assert not line_edit(dialog, "urlEdit").isEnabled()


FIELD_OF = {EntryKind.SELF_HOSTED: "addressEdit", EntryKind.CUSTOM: "urlEdit"}
RADIO_OF = {EntryKind.SELF_HOSTED: "instanceRadio", EntryKind.CUSTOM: "customRadio"}


@pytest.mark.parametrize(
    ("kind", "typed", "base_url"),
    [
        (
            EntryKind.SELF_HOSTED,
            "sipstory.example.com",
            "https://sipstory.example.com/api/public/v1",
        ),
        (EntryKind.SELF_HOSTED, "http://localhost:4007", "http://localhost:4007/api/public/v1"),
        (EntryKind.CUSTOM, "http://localhost:3000/public/v1", "http://localhost:3000/public/v1"),
        (
            EntryKind.CUSTOM,
            "https://example.org/sipstory/api/public/v1/",
            "https://example.org/sipstory/api/public/v1",
        ),
    ],
)
def test_the_base_url_is_shown_live(
    qtbot: QtBot, open_dialog: OpenDialog, kind: EntryKind, typed: str, base_url: str
) -> None:
    dialog = open_dialog()
    radio(dialog, RADIO_OF[kind]).click()
    type_into(qtbot, line_edit(dialog, FIELD_OF[kind]), typed)

    assert shown_text(dialog, "baseUrlMessage") == f"Base URL: {base_url}"
    assert label(dialog, "baseUrlMessage").property("tone") == "plain"
    assert shown_text(dialog, "httpWarning") == ""


def test_only_the_chosen_options_field_is_enabled(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    address, url = line_edit(dialog, "addressEdit"), line_edit(dialog, "urlEdit")

    radio(dialog, "instanceRadio").click()
    assert (address.isEnabled(), url.isEnabled()) == (True, False)
    radio(dialog, "customRadio").click()
    assert (address.isEnabled(), url.isEnabled()) == (False, True)
    radio(dialog, "cloudRadio").click()
    assert (address.isEnabled(), url.isEnabled()) == (False, False)


def test_an_empty_address_guides_before_it_scolds(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    radio(dialog, "instanceRadio").click()

    assert "sipstory.example.com" in shown_text(dialog, "baseUrlMessage")
    assert label(dialog, "baseUrlMessage").property("tone") == "plain"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("ftp://sipstory.example.com/public/v1", "only https://"),
        ("sipstory.example.com/api/public/v1", "needs a scheme"),
        ("https://sipstory.example.com/public/v1?x=1", "query"),
    ],
)
def test_an_invalid_url_shows_why_in_the_error_colour(
    qtbot: QtBot, open_dialog: OpenDialog, typed: str, says: str
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    radio(dialog, "customRadio").click()
    type_into(qtbot, line_edit(dialog, "urlEdit"), typed)

    assert says in shown_text(dialog, "baseUrlMessage")
    assert label(dialog, "baseUrlMessage").property("tone") == "error"
    assert not ok_button(dialog).isEnabled()
    assert not check_button(dialog).isEnabled()


def test_plain_http_to_another_machine_is_warned_about(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, address="http://sipstory.lan")

    assert "travels unencrypted" in shown_text(dialog, "httpWarning")
    assert label(dialog, "httpWarning").property("tone") == "warning"
    assert ok_button(dialog).isEnabled()  # a warning, not an error

    type_into(qtbot, line_edit(dialog, "addressEdit"), "http://localhost:4007")
    assert shown_text(dialog, "httpWarning") == ""


# --- name ---------------------------------------------------------------------------------


def test_a_duplicate_name_ignoring_case_blocks_ok(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog(existing_names=["Acme", "Initech"])
    fill_add(qtbot, dialog, name="  aCME ")

    assert "already" in shown_text(dialog, "nameMessage")
    assert not ok_button(dialog).isEnabled()
    assert dialog.draft() is None

    type_into(qtbot, line_edit(dialog, "nameEdit"), "Acme staging")
    assert shown_text(dialog, "nameMessage") == ""
    assert ok_button(dialog).isEnabled()


def test_an_empty_name_is_an_error_once_typed_into(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    assert shown_text(dialog, "nameMessage") == ""

    type_into(qtbot, line_edit(dialog, "nameEdit"), "   ")
    assert shown_text(dialog, "nameMessage") == "The name is empty."


def test_the_name_field_says_so_as_the_user_reaches_its_limit(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    edit = line_edit(dialog, "nameEdit")
    type_into(qtbot, edit, "N" * (MAX_NAME_LENGTH - 11))
    assert shown_text(dialog, "nameMessage") == ""  # no count far from the limit
    qtbot.keyClicks(edit, "N")
    assert shown_text(dialog, "nameMessage") == f"70 of at most {MAX_NAME_LENGTH} characters."

    edit.clear()
    edit.insert("P" * (MAX_NAME_LENGTH + 20))  # a paste: the field keeps 80 characters
    assert len(edit.text()) == MAX_NAME_LENGTH
    said = shown_text(dialog, "nameMessage")
    assert f"at most {MAX_NAME_LENGTH} characters" in said and "cut" in said
    assert edit.accessibleDescription() == said
    assert label(dialog, "nameMessage").property("tone") == "warning"  # a hint, not an error
    assert dialog.findChild(NameSection).value() == "P" * MAX_NAME_LENGTH  # the name is valid


# --- key ----------------------------------------------------------------------------------


def test_a_bearer_prefix_is_warned_about_and_stripped(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, key=f"Bearer {KEY}")

    assert shown_text(dialog, "keyMessage") == (
        "The 'Bearer ' prefix will be removed: Sipstory expects the raw key."
    )
    assert label(dialog, "keyMessage").property("tone") == "warning"
    draft = dialog.draft()
    assert draft is not None
    assert draft.key == KEY


def test_an_empty_key_blocks_ok_without_an_error_until_typed(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, key="")

    assert shown_text(dialog, "keyMessage") == ""
    assert not ok_button(dialog).isEnabled()

    type_into(qtbot, line_edit(dialog, "keyEdit"), "   ")
    assert shown_text(dialog, "keyMessage").startswith("The key is empty")
    assert label(dialog, "keyMessage").property("tone") == "error"
    assert not ok_button(dialog).isEnabled()
    assert dialog.draft() is None


def test_enter_on_an_invalid_form_shows_every_error(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()

    with qtbot.assertNotEmitted(dialog.save_requested):
        qtbot.keyClick(line_edit(dialog, "nameEdit"), Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert shown_text(dialog, "nameMessage") == "The name is empty."
    assert shown_text(dialog, "keyMessage").startswith("The key is empty")


def test_a_key_with_spaces_inside_is_an_error(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, key="abc def")

    assert "one word" in shown_text(dialog, "keyMessage")
    assert label(dialog, "keyMessage").property("tone") == "error"
    assert not ok_button(dialog).isEnabled()


def test_the_key_hint_says_where_to_find_the_key(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()

    assert shown_text(dialog, "keyHint") == (
        "Find your key in Sipstory: Settings → Developers → API Key."
    )


def test_the_key_is_masked_and_can_be_revealed(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    key_edit = line_edit(dialog, "keyEdit")
    type_into(qtbot, key_edit, KEY)
    reveal = next(a for a in key_edit.actions() if a.objectName() == "revealKeyAction")

    assert key_edit.echoMode() is QLineEdit.EchoMode.Password
    assert key_edit.maxLength() == 32767  # Qt's default: no length tricks
    assert key_edit.inputMask() == ""
    reveal.trigger()
    assert key_edit.echoMode() is QLineEdit.EchoMode.Normal
    assert reveal.text() == "Hide the key"
    reveal.trigger()
    assert key_edit.echoMode() is QLineEdit.EchoMode.Password


# --- saving -------------------------------------------------------------------------------


def test_ok_emits_the_exact_draft(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, name=" Globex ")
    line_edit(dialog, "keyEdit").setText(f"  {KEY}\n")  # as pasted, with a line break
    note = dialog.findChild(QPlainTextEdit, "noteEdit")
    assert note is not None
    note.setPlainText("  Staging server  ")

    assert ok_button(dialog).text() == "Add"
    with qtbot.waitSignal(dialog.save_requested, timeout=1000) as blocker:
        qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    assert blocker.args == [
        EntryDraft(
            name="Globex",
            kind=EntryKind.SELF_HOSTED,
            address="sipstory.example.com",
            base_url="https://sipstory.example.com/api/public/v1",
            key=KEY,
            note="Staging server",
        )
    ]


def test_the_cloud_draft_has_no_where(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    type_into(qtbot, line_edit(dialog, "nameEdit"), "Cloud")
    type_into(qtbot, line_edit(dialog, "keyEdit"), KEY)

    assert dialog.draft() == EntryDraft("Cloud", EntryKind.CLOUD, "", CLOUD_BASE_URL, KEY, "")


def test_saving_is_busy_then_a_failure_keeps_everything(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    assert shown_text(dialog, "saveMessage") == "Saving…"
    assert not line_edit(dialog, "nameEdit").isEnabled()
    assert not line_edit(dialog, "keyEdit").isEnabled()
    assert not check_button(dialog).isEnabled()
    assert not ok_button(dialog).isEnabled()
    assert not cancel_button(dialog).isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # no cancelling halfway through a save

    dialog.save_failed("The keyring is locked: unlock it and try again.")

    assert shown_text(dialog, "saveMessage") == "The keyring is locked: unlock it and try again."
    assert label(dialog, "saveMessage").property("tone") == "error"
    assert dialog.isVisible()
    assert line_edit(dialog, "nameEdit").isEnabled()
    assert line_edit(dialog, "nameEdit").text() == "Globex"
    assert line_edit(dialog, "addressEdit").text() == "sipstory.example.com"
    assert line_edit(dialog, "keyEdit").text() == KEY
    assert ok_button(dialog).isEnabled()
    assert cancel_button(dialog).isEnabled()
    assert check_button(dialog).isEnabled()


def test_save_succeeded_accepts_and_clears_the_key(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        dialog.save_succeeded()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert line_edit(dialog, "keyEdit").text() == ""


def test_a_save_succeeded_without_a_save_is_ignored(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()

    with qtbot.assertNotEmitted(dialog.accepted):
        dialog.save_succeeded()
    assert dialog.isVisible()


def test_enter_is_ok_when_the_form_is_valid(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)

    with qtbot.waitSignal(dialog.save_requested, timeout=1000):
        qtbot.keyClick(line_edit(dialog, "nameEdit"), Qt.Key.Key_Return)


def test_escape_cancels_and_clears_the_key(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)

    with (
        qtbot.assertNotEmitted(dialog.save_requested),
        qtbot.waitSignal(dialog.rejected, timeout=1000),
    ):
        qtbot.keyClick(line_edit(dialog, "nameEdit"), Qt.Key.Key_Escape)

    assert line_edit(dialog, "keyEdit").text() == ""
    assert line_edit(dialog, "keyEdit").echoMode() is QLineEdit.EchoMode.Password


# --- testing before saving ----------------------------------------------------------------


def test_check_before_saving_asks_the_window_and_shows_the_result(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    assert not check_button(dialog).isEnabled()
    fill_add(qtbot, dialog, key=f"Bearer {KEY}")
    assert check_button(dialog).isEnabled()

    with qtbot.waitSignal(dialog.check_requested, timeout=1000) as blocker:
        qtbot.mouseClick(check_button(dialog), Qt.MouseButton.LeftButton)

    assert blocker.args == ["https://sipstory.example.com/api/public/v1", KEY]
    assert check_button(dialog).text() == "Checking…"
    assert not check_button(dialog).isEnabled()

    dialog.show_check_result(RESULT)

    assert shown_text(dialog, "resultStatus") == "Invalid key"
    assert shown_text(dialog, "resultMessage") == RESULT.message
    assert shown_text(dialog, "resultHint") == RESULT.hint
    light = label(dialog, "resultLight").pixmap()  # never None in Qt 6: null until set
    assert not light.isNull()
    assert light.deviceIndependentSize().toSize() == QSize(16, 16)
    red = light_icon(RESULT.light, 16, dialog.palette())  # the light of an invalid key
    expected = red.pixmap(QSize(16, 16), light.devicePixelRatio())
    assert light.toImage() == expected.toImage()
    assert shown_text(dialog, "resultOutdated") == ""
    assert check_button(dialog).isEnabled()
    assert "Checking" not in check_button(dialog).text()


def test_a_result_for_changed_inputs_says_so(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    check_button(dialog).click()
    type_into(qtbot, line_edit(dialog, "keyEdit"), OTHER_KEY)

    dialog.show_check_result(RESULT)

    assert "changed" in shown_text(dialog, "resultOutdated")
    type_into(qtbot, line_edit(dialog, "addressEdit"), "sipstory.example.org")
    assert shown_text(dialog, "resultMessage") == ""  # hidden: it no longer applies


def test_a_failed_test_reported_through_save_failed_ends_checking(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    check_button(dialog).click()

    dialog.save_failed("The check could not run.")

    assert shown_text(dialog, "saveMessage") == "The check could not run."
    assert check_button(dialog).isEnabled()
    assert ok_button(dialog).isEnabled()


# --- edit and replace ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "address"),
    [
        ("https://sipstory.example.com/api/public/v1", "sipstory.example.com"),
        ("http://localhost:4007/api/public/v1", "http://localhost:4007"),
        ("https://example.org/tools/sipstory/api/public/v1", "example.org/tools/sipstory"),
        ("https://sipstory.example.com:8443/api/public/v1", "sipstory.example.com:8443"),
        ("http://localhost:3000/public/v1", "http://localhost:3000/public/v1"),
    ],
)
def test_edit_prefills_a_self_hosted_address_that_gives_the_same_base_url(
    open_dialog: OpenDialog, base_url: str, address: str
) -> None:
    assert instance_address_of(base_url) == address
    existing = entry(EntryKind.SELF_HOSTED, base_url)
    dialog = open_dialog(DialogMode.EDIT, existing, existing_names=["Acme", "Initech"])

    assert radio(dialog, "instanceRadio").isChecked()
    assert line_edit(dialog, "addressEdit").text() == address
    assert shown_text(dialog, "baseUrlMessage") == f"Base URL: {base_url}"
    assert dialog.draft() == EntryDraft(
        "Acme", EntryKind.SELF_HOSTED, address, base_url, None, "Client since 2024"
    )


def test_edit_shows_everything_but_the_key(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    existing = entry(EntryKind.CUSTOM, "http://localhost:3000/public/v1")
    dialog = open_dialog(DialogMode.EDIT, existing, existing_names=["acme", "Initech"])

    assert dialog.windowTitle() == "Edit Acme"
    assert dialog.findChild(QLineEdit, "keyEdit") is None
    assert dialog.findChild(QPushButton, "checkButton") is None
    assert "••••9f3a" in shown_text(dialog, "keptKey")
    assert line_edit(dialog, "nameEdit").text() == "Acme"
    assert radio(dialog, "customRadio").isChecked()
    assert line_edit(dialog, "urlEdit").text() == "http://localhost:3000/public/v1"
    assert ok_button(dialog).text() == "Save"
    assert ok_button(dialog).isEnabled()  # its own name is no duplicate

    type_into(qtbot, line_edit(dialog, "nameEdit"), "INITECH")
    assert not ok_button(dialog).isEnabled()
    type_into(qtbot, line_edit(dialog, "nameEdit"), "Acme Corp")
    radio(dialog, "cloudRadio").click()
    with qtbot.waitSignal(dialog.save_requested, timeout=1000) as blocker:
        ok_button(dialog).click()
    assert blocker.args == [
        EntryDraft("Acme Corp", EntryKind.CLOUD, "", CLOUD_BASE_URL, None, "Client since 2024")
    ]


def test_replace_key_shows_only_the_key(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    existing = entry(EntryKind.SELF_HOSTED, "https://sipstory.example.com/api/public/v1")
    dialog = open_dialog(DialogMode.REPLACE_KEY, existing)

    assert dialog.windowTitle() == "Replace the key of Acme"
    assert [edit.objectName() for edit in dialog.findChildren(QLineEdit)] == ["keyEdit"]
    assert dialog.findChildren(QRadioButton) == []
    assert dialog.findChild(QPlainTextEdit) is None
    intro = shown_text(dialog, "intro")
    assert "history are kept" in intro
    assert "Settings → Developers → API Key" in intro
    assert "at once" in intro
    assert ok_button(dialog).text() == "Replace key"
    assert not ok_button(dialog).isEnabled()

    type_into(qtbot, line_edit(dialog, "keyEdit"), OTHER_KEY)
    with qtbot.waitSignal(dialog.check_requested, timeout=1000) as tested:
        check_button(dialog).click()
    assert tested.args == [existing.base_url, OTHER_KEY]
    dialog.show_check_result(CheckResult(Status.CONNECTED, "Connected."))
    with qtbot.waitSignal(dialog.save_requested, timeout=1000) as saved:
        ok_button(dialog).click()
    assert saved.args == [
        EntryDraft(
            "Acme",
            EntryKind.SELF_HOSTED,
            "sipstory.example.com",
            existing.base_url,
            OTHER_KEY,
            "Client since 2024",
        )
    ]


@pytest.mark.parametrize("mode", [DialogMode.EDIT, DialogMode.REPLACE_KEY])
def test_edit_and_replace_need_the_entry(qtbot: QtBot, mode: DialogMode) -> None:
    with pytest.raises(ValueError, match="needs the entry"):
        EntryDialog(mode)


# --- privacy ------------------------------------------------------------------------------


def test_the_key_never_appears_in_a_label_tooltip_or_title(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog, key=f"Bearer {KEY}")
    reveal = next(
        a for a in line_edit(dialog, "keyEdit").actions() if a.objectName() == "revealKeyAction"
    )
    reveal.trigger()
    check_button(dialog).click()
    dialog.show_check_result(RESULT)
    click_in_message_box(qtbot, "saveRejectedKey")  # the test rejected it: saved if confirmed
    ok_button(dialog).click()
    dialog.save_failed("The keyring is locked.")

    for text in all_shown_texts(dialog):
        assert KEY not in text
        assert KEY[-8:] not in text


def test_the_draft_repr_leaves_the_key_out() -> None:
    draft = EntryDraft("Acme", EntryKind.CLOUD, "", CLOUD_BASE_URL, KEY, "")

    assert KEY not in repr(draft)


# --- keyboard and accessibility -----------------------------------------------------------


def _tab_through(qtbot: QtBot, dialog: QDialog, start: QWidget, steps: int) -> list[QWidget]:
    """The widgets that have the focus as Tab is pressed ``steps`` times from ``start``."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=1000)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(steps):
        qtbot.keyClick(seen[-1], Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.append(focused)
    return seen


def test_tab_reaches_every_input_in_order(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    fill_add(qtbot, dialog)
    name = line_edit(dialog, "nameEdit")

    seen = _tab_through(qtbot, dialog, name, 10)

    expected = [
        name,
        radio(dialog, "instanceRadio"),  # the checked option is the group's tab stop
        line_edit(dialog, "addressEdit"),
        dialog.findChild(QPushButton, "findUrlButton"),
        line_edit(dialog, "keyEdit"),
        dialog.findChild(QToolButton, "revealKeyButton"),
        dialog.findChild(QPlainTextEdit, "noteEdit"),  # Tab leaves the note, no tab inserted
        check_button(dialog),
        ok_button(dialog),
        cancel_button(dialog),
        name,
    ]
    assert seen == expected


def test_tab_enters_the_options_at_the_checked_one(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    radio(dialog, "customRadio").click()

    seen = _tab_through(qtbot, dialog, line_edit(dialog, "nameEdit"), 2)

    assert seen[1:] == [radio(dialog, "customRadio"), line_edit(dialog, "urlEdit")]


@pytest.mark.parametrize("mode", list(DialogMode))
def test_every_control_has_an_accessible_name(open_dialog: OpenDialog, mode: DialogMode) -> None:
    existing = entry(EntryKind.CLOUD, CLOUD_BASE_URL)
    dialog = open_dialog(mode, None if mode is DialogMode.ADD else existing)
    controls: list[QWidget] = [
        *dialog.findChildren(QLineEdit),
        *dialog.findChildren(QPlainTextEdit),
        *dialog.findChildren(QRadioButton),
        *dialog.findChildren(QPushButton),
    ]

    assert controls
    for control in controls:
        assert control.accessibleName(), control.objectName() or type(control).__name__


def _eye_pixels_near(dialog: EntryDialog, colour: QColor) -> int:
    button = dialog.findChild(QToolButton, "revealKeyButton")
    assert button is not None
    image = button.icon().pixmap(QSize(16, 16), 1.0).toImage()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if (c := image.pixelColor(x, y)).alpha() > 200
        and max(abs(c.red() - colour.red()), abs(c.green() - colour.green())) < 24
        and abs(c.blue() - colour.blue()) < 24
    )


def test_the_eye_is_painted_in_the_text_colour_also_after_a_switch_to_dark(
    qtbot: QtBot, qapp: QApplication, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    light_text = dialog.palette().color(QPalette.ColorRole.Text)
    assert _eye_pixels_near(dialog, light_text) > 10
    before = QPalette(qapp.palette())
    try:
        qapp.setPalette(dark_palette())  # the desktop turned dark with the dialog open
        dark_text = dark_palette().color(QPalette.ColorRole.Text)
        qtbot.waitUntil(lambda: dialog.palette().color(QPalette.ColorRole.Text) == dark_text)
        assert _eye_pixels_near(dialog, dark_text) > 10  # visible on the dark field
        assert _eye_pixels_near(dialog, light_text) == 0
    finally:
        qapp.setPalette(before)


def test_the_reveal_toggle_is_a_named_button_that_takes_the_focus(
    qtbot: QtBot, open_dialog: OpenDialog
) -> None:
    dialog = open_dialog()
    reveal = dialog.findChild(QToolButton, "revealKeyButton")
    assert reveal is not None

    def spoken() -> str:
        interface = QAccessible.queryAccessibleInterface(reveal)
        assert interface is not None
        return interface.text(QAccessible.Text.Name)

    assert reveal.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert spoken() == "Show the key"
    qtbot.mouseClick(reveal, Qt.MouseButton.LeftButton)
    assert line_edit(dialog, "keyEdit").echoMode() is QLineEdit.EchoMode.Normal
    assert spoken() == "Hide the key"


def test_the_note_shows_when_it_has_the_focus(qtbot: QtBot, open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    note = dialog.findChild(QPlainTextEdit, "noteEdit")
    assert note is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=1000)

    def top_edge() -> set[int]:
        picture = note.grab().toImage()
        return {picture.pixel(x, 0) for x in range(8, picture.width() - 8)}

    line_edit(dialog, "nameEdit").setFocus()
    unfocused = top_edge()
    note.setFocus()
    qtbot.waitUntil(note.hasFocus, timeout=1000)
    assert top_edge() != unfocused
    assert top_edge() == {note.palette().color(QPalette.ColorRole.Highlight).rgb()}


def test_field_labels_have_mnemonics_and_buddies(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    buddies = {
        found.buddy().objectName(): found.text()
        for found in dialog.findChildren(QLabel)
        if found.buddy() is not None
    }

    assert buddies == {
        "nameEdit": "&Name:",
        "addressEdit": "Address:",  # the mnemonics of these two are their options'
        "urlEdit": "URL:",
        "keyEdit": "&Key:",
        "noteEdit": "N&ote:",
    }
