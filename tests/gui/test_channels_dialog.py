"""The channels dialog: the list of an organization's channels, fetching, failures, keyboard."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QPushButton,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.channels import Channel, ChannelCache, parse_channels
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.gui.channels_dialog import ChannelsDialog
from sipstory_desktop.gui.platforms import platform_icon
from tests.support.dialogs import (
    assert_accessible,
    assert_escape_closes,
    assert_tab_reaches_every_control,
    child,
    image,
    opened,
    rows,
    shown_text,
)

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

NOW = datetime(2026, 11, 28, 18, 5, tzinfo=timezone.utc)


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


# --- keyboard -------------------------------------------------------------------------------


def test_escape_closes_the_dialog(qtbot: QtBot) -> None:
    assert_escape_closes(opened(qtbot, ChannelsDialog("Acme")))


def test_tab_reaches_every_control(qtbot: QtBot) -> None:
    assert_tab_reaches_every_control(opened(qtbot, ChannelsDialog("Acme")))
