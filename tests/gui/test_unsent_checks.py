"""Issue 15, item 5: what the window records of a check is what happened. A check that
sent no request (held back after a 429, no keyring) is shown, but makes no history point
and changes no "last checked"."""

from __future__ import annotations

import keyring.backends.fail
import pytest
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.status import Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.moments import date_time_text
from sipstory_desktop.gui.roles import Column, Role
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def cell(window: MainWindow, entry_id: str, column: Column) -> str:
    return str(window.model.index_of(entry_id, column).data() or "")


def test_a_held_back_check_makes_no_history_point(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    vault: Vault,
) -> None:
    server.set_rate_limit("busy", 0)
    (entry,) = seed([("Umbrella", server.api_base, known_key(org="busy"))])
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_all()
    (first,) = shown.model.history(entry.id)
    assert first.status is Status.RATE_LIMITED
    qtbot.waitUntil(lambda: len(vault.load_state().results.get(entry.id, [])) == 1)
    shown.details.show_entry(None)

    shown.check_all()  # held back: no request
    qtbot.waitUntil(lambda: not shown.session.active, timeout=WAIT_MS)
    held = shown.model.result(entry.id)
    assert held is not None and held.request_sent is False  # shown...
    assert shown.model.history(entry.id) == [first]  # ... but no history point
    assert shown.model.state.latest(entry.id) == first  # "last checked" is the 429's
    select(shown, entry.id)
    checked = shown.details._checked.text()
    assert checked == date_time_text(first.checked_at)  # the 429's time, not "just now"'s
    shown.session.shutdown()  # what the window kept is saved
    assert [r.checked_at for r in vault.load_state().results[entry.id]] == [first.checked_at]


def test_without_a_keyring_test_shows_the_error_but_records_nothing(
    qtbot: QtBot, window: MakeWindow, seed: Seed, paths: AppPaths, server: SipstoryTestServer
) -> None:
    (entry,) = seed([("Acme", server.api_base, "a" * 20)])
    keyless = Vault(paths, SecretStore(backend=keyring.backends.fail.Keyring(), timeout=5.0))
    shown = window(keyless)
    select(shown, entry.id)
    never = cell(shown, entry.id, Column.CHECKED)
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_selected()

    index = shown.model.index_of(entry.id)
    assert index.data(Role.STATUS) == Status.KEYRING_ERROR.value  # shown
    assert shown.model.history(entry.id) == []  # not recorded
    assert cell(shown, entry.id, Column.CHECKED) == never
    assert shown.details._checked.text() == "never"
    shown.session.shutdown()
    assert entry.id not in keyless.load_state().results
    assert len(server.requests) == 0


def test_use_this_url_leaves_no_not_the_api_behind(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    vault: Vault,
) -> None:
    (entry,) = seed([("Acme", server.url, known_key())])  # the web app, not the API
    shown = window()
    select(shown, entry.id)
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_selected()
    qtbot.waitUntil(lambda: vault.load_state().latest(entry.id) is not None, timeout=WAIT_MS)
    assert shown.model.result(entry.id).status is Status.NOT_API  # type: ignore[union-attr]

    shown.entry_commands.use_base_url(entry, server.api_base)  # Find API URL's Use this URL

    qtbot.waitUntil(lambda: vault.entries()[0].base_url == server.api_base, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown.model.result(entry.id) is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not shown.loading, timeout=WAIT_MS)
    assert shown.model.index_of(entry.id).data(Role.STATUS) == Status.UNCHECKED.value
    assert shown.model.history(entry.id) == []
    select(shown, entry.id)
    assert server.api_base not in shown.details._hint.text()  # no "use <its own URL>"
    assert vault.load_state().latest(entry.id) is None


def test_after_a_429_the_last_hour_cell_says_what_the_429_says(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
) -> None:
    server.set_rate_limit("busy", 0)
    (entry,) = seed([("Umbrella", server.api_base, known_key(org="busy"))])
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_all()

    result = shown.model.result(entry.id)
    assert result is not None and result.status is Status.RATE_LIMITED
    figures = cell(shown, entry.id, Column.BUDGET)
    assert figures == "30/30"  # not 1/30: the server said the hour's requests are used up
    assert f"({figures} used; HTTP 429)" in result.message
    tooltip = shown.model.tooltip(shown.model.index_of(entry.id, Column.BUDGET))
    assert tooltip is not None and "used up its 30 requests" in tooltip
