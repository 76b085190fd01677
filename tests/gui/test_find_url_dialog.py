"""The channels, find-URL, import and orphaned-keys dialogs: states, signals and keyboard."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.channels import Channel, ChannelCache, parse_channels
from sipstory_desktop.core.config import ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.find_url import FindResult, Probe, ProbeOutcome, candidates
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.core.transfer import (
    ImportOutcome,
    ImportPlan,
    Resolution,
    apply_import,
    export_entries,
    plan_import,
    read_export,
)
from sipstory_desktop.core.urls import CLOUD_BASE_URL, UrlError
from sipstory_desktop.gui.channels_dialog import ChannelsDialog
from sipstory_desktop.gui.find_url_dialog import FindUrlDialog
from sipstory_desktop.gui.import_dialog import ImportDialog
from sipstory_desktop.gui.lights import light_icon
from sipstory_desktop.gui.orphans_dialog import OrphansDialog
from sipstory_desktop.gui.platforms import platform_icon

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

W = TypeVar("W", bound=QWidget)
D = TypeVar("D", bound=QDialog)

NOW = datetime(2026, 11, 28, 18, 5, tzinfo=timezone.utc)
ACME = "https://sipstory.acme.example/api/public/v1"


# --- helpers ------------------------------------------------------------------------------


def opened(qtbot: QtBot, dialog: D) -> D:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def child(parent: QWidget, kind: type[W], name: str) -> W:
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def shown_text(dialog: QWidget, name: str) -> str:
    """The text of a label, or "" while it is hidden."""
    found = child(dialog, QLabel, name)
    return found.text() if found.isVisibleTo(dialog) else ""


def button(dialog: QWidget, text: str) -> QPushButton:
    """The push button whose accessible name is ``text``."""
    found = [b for b in dialog.findChildren(QPushButton) if b.accessibleName() == text]
    assert len(found) == 1, text
    return found[0]


def rows(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    found = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in found if item is not None]


def children(item: QTreeWidgetItem) -> list[str]:
    found = [item.child(i) for i in range(item.childCount())]
    return [each.text(0) for each in found if each is not None]


def image(icon: QIcon) -> QImage:
    return icon.pixmap(QSize(16, 16), 1.0).toImage()


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


def controls_of(dialog: QDialog) -> list[QWidget]:
    """The visible controls of ``dialog`` (lists, buttons, fields, not list headers)."""
    return [
        widget
        for widget in dialog.findChildren(QWidget)
        if isinstance(widget, CONTROLS)
        and not isinstance(widget, QHeaderView)
        and widget.isVisibleTo(dialog)
    ]


def assert_accessible(dialog: QDialog) -> None:
    """Every control has an accessible name."""
    for widget in controls_of(dialog):
        assert widget.accessibleName(), widget


def click_in_message_box(qtbot: QtBot, name: str | None) -> None:
    """Once the next message box opens, press its button ``name`` (None: Escape)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        if name is None:
            QTest.keyClick(box, Qt.Key.Key_Escape)
        else:
            child(box, QPushButton, name).click()

    QTimer.singleShot(0, press)


# --- ChannelsDialog -------------------------------------------------------------------------


def channel(
    name: str, identifier: str, disabled: bool = False, customer: str | None = None
) -> Channel:
    profile = "@" + name.lower().replace(" ", "")
    return Channel(f"id-{name}", name, identifier, "", disabled, profile, customer)


CHANNELS = (
    channel("Acme Coffee", "x", customer="Acme Corp"),
    channel("Acme Tips", "youtube", disabled=True, customer="Acme Corp"),
    channel("Globex", "linkedin-page"),
)


def channels_dialog(qtbot: QtBot) -> ChannelsDialog:
    return opened(qtbot, ChannelsDialog("Acme Corp (production)"))


def test_channels_start_not_fetched(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)

    assert dialog.windowTitle() == "Channels of Acme Corp (production)"
    assert shown_text(dialog, "fetchedLabel") == "Not fetched yet"
    assert not child(dialog, QTreeWidget, "channelList").isVisible()
    assert "Fetch channels" in shown_text(dialog, "emptyLabel")
    fetch = child(dialog, QPushButton, "fetchButton")
    assert "30 requests per hour" in fetch.toolTip()
    assert "30 requests per hour" in shown_text(dialog, "costLabel")
    assert_accessible(dialog)


def test_channels_are_listed_with_platform_profile_state_and_customer(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    dialog.show_cache(ChannelCache(NOW - timedelta(minutes=3), CHANNELS), now=NOW)

    tree = child(dialog, QTreeWidget, "channelList")
    assert tree.isVisible()
    texts = [[item.text(c) for c in range(5)] for item in rows(tree)]
    assert texts == [
        ["LinkedIn Page", "Globex", "@globex", "Active", ""],
        ["X", "Acme Coffee", "@acmecoffee", "Active", "Acme Corp"],
        ["YouTube", "Acme Tips", "@acmetips", "Disabled", "Acme Corp"],
    ]
    assert not tree.isColumnHidden(4)
    local = (NOW - timedelta(minutes=3)).astimezone()
    fetched = shown_text(dialog, "fetchedLabel")
    assert re.fullmatch(r"Fetched 3 min ago \(\d{1,2} \S+ \d\d:\d\d\)", fetched), fetched
    assert fetched.endswith(f"{local:%H:%M})")
    assert shown_text(dialog, "countLabel") == "3 channels, 1 disabled"


def test_a_disabled_channel_is_greyed_with_a_grey_badge(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    dialog.show_cache(ChannelCache(NOW, CHANNELS), now=NOW)

    tree = child(dialog, QTreeWidget, "channelList")
    active, disabled = rows(tree)[1], rows(tree)[2]
    grey = dialog.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert disabled.foreground(1).color() == grey
    assert active.foreground(1).color() != grey
    assert image(disabled.icon(0)) == image(platform_icon("youtube", 20, disabled=True))
    assert image(active.icon(0)) == image(platform_icon("x", 20))


def test_server_spellings_of_a_platform_get_its_name(qtbot: QtBot) -> None:
    items = [
        {"id": 1, "name": "Cast", "identifier": "wrapcast", "disabled": None},
        {"id": "2", "name": "Odd", "identifier": "newthing"},
    ]
    found, skipped = parse_channels(items)
    assert skipped == 0
    dialog = channels_dialog(qtbot)
    dialog.show_cache(ChannelCache(NOW, tuple(found)), now=NOW)

    tree = child(dialog, QTreeWidget, "channelList")
    assert [item.text(0) for item in rows(tree)] == ["Newthing", "Warpcast"]
    assert tree.isColumnHidden(4)  # no channel has a customer


def test_an_organization_without_channels_says_so(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    dialog.show_cache(ChannelCache(NOW - timedelta(seconds=20), ()), now=NOW)

    assert shown_text(dialog, "emptyLabel") == "This organization has no channels yet."
    assert shown_text(dialog, "fetchedLabel").startswith("Fetched just now (")
    assert shown_text(dialog, "countLabel") == ""


def test_fetch_asks_the_window_and_shows_busy(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    fetch = child(dialog, QPushButton, "fetchButton")

    with qtbot.waitSignal(dialog.refresh_requested):
        QTest.mouseClick(fetch, Qt.MouseButton.LeftButton)
    dialog.set_busy(True)
    assert not fetch.isEnabled()
    assert fetch.text() == "Fetching…"
    dialog.show_cache(ChannelCache(NOW, CHANNELS), now=NOW)
    assert fetch.isEnabled()
    assert fetch.text() == "&Fetch channels"


def test_a_failed_fetch_is_shown_inline_and_keeps_the_list(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    dialog.show_cache(ChannelCache(NOW, CHANNELS), now=NOW)
    dialog.set_busy(True)
    dialog.show_failure(
        CheckResult(
            Status.RATE_LIMITED,
            "Too many requests (HTTP 429).",
            "Try again after 19:42.",
            http_status=429,
        )
    )

    assert child(dialog, QWidget, "fetchFailure").isVisible()
    assert shown_text(dialog, "resultStatus") == "Rate limited"
    assert shown_text(dialog, "resultMessage") == "Too many requests (HTTP 429)."
    assert shown_text(dialog, "resultHint") == "Try again after 19:42."
    assert child(dialog, QTreeWidget, "channelList").topLevelItemCount() == 3
    assert child(dialog, QPushButton, "fetchButton").isEnabled()
    dialog.show_cache(ChannelCache(NOW, CHANNELS), now=NOW)
    assert not child(dialog, QWidget, "fetchFailure").isVisible()


def test_enter_closes_the_channels_and_never_fetches(qtbot: QtBot) -> None:
    dialog = channels_dialog(qtbot)
    child(dialog, QPushButton, "fetchButton").setFocus()

    with qtbot.assertNotEmitted(dialog.refresh_requested):
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.isVisible()


# --- FindUrlDialog --------------------------------------------------------------------------

SIPSTORY = "a Sipstory API: it asks for a key (HTTP 401, No API Key found)"


def find_dialog(
    qtbot: QtBot, address: str = "localhost", current_base_url: str | None = None
) -> FindUrlDialog:
    return opened(qtbot, FindUrlDialog(address, current_base_url=current_base_url))


def probe_rows(dialog: FindUrlDialog) -> dict[str, tuple[str, str]]:
    """Each row's base URL: (result, detail)."""
    tree = child(dialog, QTreeWidget, "probeList")
    return {item.toolTip(0): (item.text(1), item.text(2)) for item in rows(tree)}


def refused(base_url: str) -> Probe:
    return Probe(base_url, ProbeOutcome.UNREACHABLE, "connection refused", None, 1)


def test_every_candidate_starts_pending(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)

    assert list(probe_rows(dialog)) == candidates("localhost")
    assert set(probe_rows(dialog).values()) == {("Waiting…", "")}
    tree = child(dialog, QTreeWidget, "probeList")
    assert image(rows(tree)[0].icon(0)) == image(light_icon(Light.GREY, 16, dialog.palette()))
    assert not child(dialog, QPushButton, "useButton").isEnabled()
    assert not child(dialog, QPushButton, "searchButton").isEnabled()  # already searching
    assert "send no key" in shown_text(dialog, "intro")
    assert child(dialog, QLineEdit, "addressEdit").text() == "localhost"
    assert_accessible(dialog)


def test_an_invalid_address_says_why(qtbot: QtBot) -> None:
    with pytest.raises(UrlError) as error:
        candidates("ftp://example.com")
    dialog = find_dialog(qtbot, "ftp://example.com")

    assert probe_rows(dialog) == {}
    assert shown_text(dialog, "conclusion") == str(error.value)
    assert child(dialog, QLabel, "conclusion").property("tone") == "error"


def test_probes_update_their_own_rows_in_any_order(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    bases = candidates("localhost")
    probes = [
        Probe(base, ProbeOutcome.NOT_FOUND, f"nothing here ({i})", 404, 3)
        for i, base in enumerate(bases)
    ]
    random.Random(5).shuffle(probes)

    for done, probe in enumerate(probes, 1):
        dialog.probe_done(probe)
        shown = probe_rows(dialog)
        assert shown[probe.base_url] == ("Not found", probe.detail)
        assert sum(result == "Waiting…" for result, _ in shown.values()) == len(bases) - done
    for i, base in enumerate(bases):
        assert probe_rows(dialog)[base] == ("Not found", f"nothing here ({i})")


def test_use_this_url_only_after_a_sipstory_probe(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    bases = candidates("localhost")
    use = child(dialog, QPushButton, "useButton")

    dialog.probe_done(refused(bases[0]))
    dialog.probe_done(Probe(bases[3], ProbeOutcome.WEB_APP, "a web page", 200, 4))
    assert not use.isEnabled()
    dialog.probe_done(Probe(bases[2], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))
    assert use.isEnabled()
    assert use.isDefault()
    assert shown_text(dialog, "conclusion") == f"Sipstory answers at {bases[2]}"
    tree = child(dialog, QTreeWidget, "probeList")
    green = image(light_icon(Light.GREEN, 16, dialog.palette()))
    red = image(light_icon(Light.RED, 16, dialog.palette()))
    assert [image(item.icon(0)) == green for item in rows(tree)][:4] == [False, False, True, False]
    assert image(rows(tree)[3].icon(0)) == red

    with qtbot.waitSignal(dialog.use_requested) as used:
        QTest.mouseClick(use, Qt.MouseButton.LeftButton)
    assert used.args == [bases[2]]
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_most_likely_sipstory_candidate_wins(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    bases = candidates("localhost")

    dialog.probe_done(Probe(bases[4], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))
    dialog.probe_done(Probe(bases[2], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))
    dialog.probe_done(Probe(bases[5], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))
    assert shown_text(dialog, "conclusion") == f"Sipstory answers at {bases[2]}"


def test_a_search_that_finds_nothing_says_why_and_what_to_check(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    bases = candidates("localhost")
    probes = [refused(base) for base in bases[:-1]]
    probes.append(Probe(bases[-1], ProbeOutcome.WEB_APP, "a web page", 200, 4))
    for probe in probes:
        dialog.probe_done(probe)
    dialog.search_finished(FindResult(None, probes, "localhost", bases))

    conclusion = shown_text(dialog, "conclusion")
    assert conclusion == (
        f"Sipstory answers at none of the {len(bases)} addresses tried "
        f"(unreachable: {len(bases) - 1}, web app: 1)."
    )
    hints = shown_text(dialog, "hints")
    assert "Is the instance running" in hints
    assert "4007" in hints and "5000" in hints and "3000" in hints
    assert "reverse proxy" in hints
    assert "Check the address" in hints
    assert not child(dialog, QPushButton, "useButton").isEnabled()
    assert child(dialog, QPushButton, "searchButton").isEnabled()


def test_a_remote_address_gets_hints_of_its_own(qtbot: QtBot) -> None:
    address = "sipstory.example.com"
    dialog = find_dialog(qtbot, address)
    bases = candidates(address)
    probes = [Probe(base, ProbeOutcome.TLS_ERROR, "certificate verify failed") for base in bases]
    dialog.search_finished(FindResult(None, probes, address, bases))

    hints = shown_text(dialog, "hints")
    assert "certificate" in hints
    assert "4007" not in hints
    assert "another port or under a path" in hints
    assert set(probe_rows(dialog).values()) == {("TLS error", "certificate verify failed")}


def test_a_found_url_on_plain_http_is_warned_about(qtbot: QtBot) -> None:
    address = "http://sipstory.lan"
    dialog = find_dialog(qtbot, address)
    bases = candidates(address)
    probes = [Probe(bases[0], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5), refused(bases[1])]
    result = FindResult(bases[0], probes, address, bases)
    dialog.search_finished(result)

    assert result.warning
    assert shown_text(dialog, "httpWarning") == result.warning
    assert child(dialog, QPushButton, "useButton").isEnabled()
    dialog.set_warning("")
    assert shown_text(dialog, "httpWarning") == ""


def test_search_again_with_a_corrected_address(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot, "sipstory.exmaple.com")
    bases = candidates("sipstory.exmaple.com")
    dialog.search_finished(FindResult(None, [refused(b) for b in bases], "sipstory.exmaple.com"))
    edit = child(dialog, QLineEdit, "addressEdit")
    search = child(dialog, QPushButton, "searchButton")

    edit.clear()
    QTest.keyClicks(edit, "ftp://nowhere")
    with qtbot.assertNotEmitted(dialog.search_requested):
        QTest.mouseClick(search, Qt.MouseButton.LeftButton)
    assert child(dialog, QLabel, "conclusion").property("tone") == "error"

    edit.clear()
    QTest.keyClicks(edit, " sipstory.example.com ")
    with qtbot.waitSignal(dialog.search_requested) as asked:
        QTest.keyClick(edit, Qt.Key.Key_Return)  # the search button is the default
    assert asked.args == ["sipstory.example.com"]
    assert list(probe_rows(dialog)) == candidates("sipstory.example.com")
    assert not search.isEnabled()


def test_editing_the_address_after_a_find_turns_use_off(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    bases = candidates("localhost")
    probes = [Probe(bases[0], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5)]
    dialog.search_finished(FindResult(bases[0], probes, "localhost", bases))
    use = child(dialog, QPushButton, "useButton")
    edit = child(dialog, QLineEdit, "addressEdit")

    QTest.keyClicks(edit, ":8080")
    assert not use.isEnabled()
    assert child(dialog, QPushButton, "searchButton").isDefault()
    edit.setText("localhost")
    assert use.isEnabled()


def test_the_url_already_in_use_is_not_offered_again(qtbot: QtBot) -> None:
    bases = candidates("localhost")
    dialog = find_dialog(qtbot, current_base_url=bases[0])
    dialog.probe_done(Probe(bases[0], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))

    assert "uses already" in shown_text(dialog, "conclusion")
    assert not child(dialog, QPushButton, "useButton").isEnabled()
    assert shown_text(dialog, "current") == f"The entry uses {bases[0]} now."


def test_answers_of_an_earlier_search_are_ignored(qtbot: QtBot) -> None:
    dialog = find_dialog(qtbot)
    edit = child(dialog, QLineEdit, "addressEdit")
    edit.setText("sipstory.example.com")
    with qtbot.waitSignal(dialog.search_requested):
        child(dialog, QPushButton, "searchButton").click()

    old = candidates("localhost")
    dialog.probe_done(Probe(old[0], ProbeOutcome.SIPSTORY, SIPSTORY, 401, 5))
    dialog.search_finished(FindResult(old[0], [], "localhost", old))
    assert list(probe_rows(dialog)) == candidates("sipstory.example.com")
    assert not child(dialog, QPushButton, "useButton").isEnabled()
    assert shown_text(dialog, "conclusion") == "Trying 2 addresses…"


# --- ImportDialog ---------------------------------------------------------------------------


def saved_entries() -> list[Entry]:
    return [
        Entry("Acme", EntryKind.SELF_HOSTED, ACME, note="Main client"),
        Entry("Globex", EntryKind.CLOUD, CLOUD_BASE_URL),
        Entry("Initech", EntryKind.CUSTOM, "http://localhost:3000/public/v1"),
    ]


def a_plan(saved: list[Entry] | None = None) -> ImportPlan:
    incoming = [
        Entry("Acme", EntryKind.SELF_HOSTED, ACME.replace("acme", "social"), note="Moved"),
        Entry("globex", EntryKind.CLOUD, CLOUD_BASE_URL),
        Entry("Initech", EntryKind.SELF_HOSTED, "http://localhost:4007/api/public/v1"),
        Entry("Umbrella", EntryKind.CLOUD, CLOUD_BASE_URL),
    ]
    return plan_import(saved or saved_entries(), read_export(export_entries(incoming)))


def combos(dialog: ImportDialog) -> dict[str, QComboBox]:
    """The choice box of each conflict, by the conflict's name."""
    return {
        box.accessibleName().removeprefix("What to do with "): box
        for box in dialog.findChildren(QComboBox)
    }


def choose(box: QComboBox, resolution: Resolution) -> None:
    box.setCurrentIndex(box.findData(resolution.value))


def test_the_preview_lists_every_entry_and_the_differences(qtbot: QtBot) -> None:
    plan = a_plan()
    dialog = opened(qtbot, ImportDialog(plan))

    assert shown_text(dialog, "summary") == str(plan.summary())
    tree = child(dialog, QTreeWidget, "previewList")
    assert [(item.text(0), item.text(1)) for item in rows(tree)] == [
        ("Acme", "Conflict"),
        ("globex", "Already there"),
        ("Initech", "Conflict"),
        ("Umbrella", "New"),
    ]
    assert children(rows(tree)[0]) == [
        f"Base URL: {ACME} → {ACME.replace('acme', 'social')}",
        "Note: Main client → Moved",
    ]
    assert children(rows(tree)[2])[0] == "Kind: Custom base URL → Self-hosted instance"
    assert "Keys are not part of an export" in shown_text(dialog, "keyNote")
    assert "Replace key" in shown_text(dialog, "keyNote")
    assert_accessible(dialog)


def test_conflicts_block_import_until_each_has_a_choice(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ImportDialog(a_plan()))
    boxes = combos(dialog)
    import_button = child(dialog, QPushButton, "importButton")

    assert sorted(boxes) == ["Acme", "Initech"]
    assert all(box.currentData() is None for box in boxes.values())  # nothing by default
    assert dialog.choices() == {}
    assert not import_button.isEnabled()
    assert shown_text(dialog, "message") == "Choose what to do with 2 conflicts."
    with qtbot.assertNotEmitted(dialog.import_requested):
        QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()

    choose(boxes["Acme"], Resolution.REPLACE)
    assert not import_button.isEnabled()
    assert shown_text(dialog, "message") == "Choose what to do with the conflict."
    choose(boxes["Initech"], Resolution.RENAME)
    assert import_button.isEnabled()
    assert shown_text(dialog, "message") == ""
    assert dialog.choices() == {"Acme": Resolution.REPLACE, "Initech": Resolution.RENAME}
    assert all(isinstance(v, Resolution) for v in dialog.choices().values())
    with qtbot.waitSignal(dialog.import_requested) as asked:
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # Import is the default button
    assert asked.args == [{"Acme": Resolution.REPLACE, "Initech": Resolution.RENAME}]


def test_rename_names_the_new_name(qtbot: QtBot) -> None:
    plan = a_plan()
    dialog = opened(qtbot, ImportDialog(plan))
    box = combos(dialog)["Initech"]

    texts = [box.itemText(i) for i in range(box.count())]
    assert texts[0] == "Choose…"
    assert f"Rename to “{plan.conflicts[1].rename_to}”" in texts
    assert plan.conflicts[1].rename_to == "Initech (imported)"


def test_skip_all_conflicts(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ImportDialog(a_plan()))

    child(dialog, QPushButton, "skipAllButton").click()
    assert dialog.choices() == {"Acme": Resolution.SKIP, "Initech": Resolution.SKIP}
    assert child(dialog, QPushButton, "importButton").isEnabled()


def test_import_hands_the_choices_over_and_waits(qtbot: QtBot, paths: AppPaths) -> None:
    config = ConfigStore(paths)
    config.update(lambda _entries: saved_entries())
    plan = a_plan(config.load())
    dialog = opened(qtbot, ImportDialog(plan))
    boxes = combos(dialog)
    choose(boxes["Acme"], Resolution.REPLACE)
    choose(boxes["Initech"], Resolution.RENAME)

    with qtbot.waitSignal(dialog.import_requested) as asked:
        QTest.mouseClick(child(dialog, QPushButton, "importButton"), Qt.MouseButton.LeftButton)
    assert shown_text(dialog, "message") == "Importing…"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # not while the import runs

    outcome = apply_import(config, plan, asked.args[0])
    assert outcome.renamed == (("Initech", "Initech (imported)"),)
    dialog.show_outcome(outcome)
    message = shown_text(dialog, "message")
    assert message.startswith("Imported: 1 added, 1 added under a new name, 1 replaced")
    assert "have no key yet: Initech (imported), Umbrella." in message
    assert not child(dialog, QPushButton, "importButton").isVisible()
    close = button(dialog, "Close")
    assert close.isDefault()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_import_error_keeps_the_choices(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ImportDialog(a_plan()))
    child(dialog, QPushButton, "skipAllButton").click()
    child(dialog, QPushButton, "importButton").click()

    dialog.show_error("The saved entries changed since this import was previewed.")
    assert shown_text(dialog, "message").startswith("The saved entries changed")
    assert child(dialog, QLabel, "message").property("tone") == "error"
    assert child(dialog, QPushButton, "importButton").isEnabled()
    assert dialog.choices() == {"Acme": Resolution.SKIP, "Initech": Resolution.SKIP}


def test_an_import_of_nothing_new_says_so(qtbot: QtBot) -> None:
    saved = saved_entries()
    plan = plan_import(saved, read_export(export_entries(saved)))
    dialog = opened(qtbot, ImportDialog(plan))

    assert "nothing to import" in shown_text(dialog, "message")
    assert not child(dialog, QPushButton, "importButton").isEnabled()
    assert not child(dialog, QPushButton, "skipAllButton").isVisible()


def test_an_outcome_without_new_entries_mentions_no_key(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ImportDialog(a_plan()))
    dialog.show_outcome(ImportOutcome(skipped=("Acme", "Initech"), unchanged=("globex",)))

    assert shown_text(dialog, "message") == "Imported: 2 skipped, 1 already there."


# --- OrphansDialog --------------------------------------------------------------------------

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


# --- all four -----------------------------------------------------------------------------

MAKERS: dict[str, Callable[[], QDialog]] = {
    "channels": lambda: ChannelsDialog("Acme"),
    "find_url": lambda: FindUrlDialog("localhost"),
    "import": lambda: ImportDialog(a_plan()),
    "orphans": lambda: OrphansDialog(IDS),
}


@pytest.mark.parametrize("which", list(MAKERS))
def test_escape_closes_every_dialog(qtbot: QtBot, which: str) -> None:
    dialog = opened(qtbot, MAKERS[which]())

    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


@pytest.mark.parametrize("which", list(MAKERS))
def test_tab_reaches_every_control(qtbot: QtBot, which: str) -> None:
    dialog = opened(qtbot, MAKERS[which]())
    controls = {widget for widget in controls_of(dialog) if widget.isEnabled()}
    assert controls

    reached: set[QWidget] = set()
    widget: QWidget | None = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:  # the focus chain is a ring
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            reached.add(widget)
        widget = widget.nextInFocusChain()
    assert controls <= reached
