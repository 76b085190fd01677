"""What a screen reader is told of the window, as Qt's accessibility interfaces say it.

The same, seen over the real AT-SPI bus by a screen reader's library, is tested in
tests/smoke/test_accessibility.py; these tests pin down each name and announcement.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui import check_controller
from sipstory_desktop.gui.announce import announce
from sipstory_desktop.gui.roles import Column
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select


def name_of(widget: QWidget) -> str:
    """The name Qt gives ``widget`` to assistive technology."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


@pytest.fixture
def two_keys(server: SipstoryTestServer, known_key: KnownKey, seed: Seed) -> list[Entry]:
    return seed(
        [
            ("Acme", server.api_base, known_key()),
            ("Globex", server.api_base, known_key(state="rotated")),
        ]
    )


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the window announces to a screen reader (none listens in these tests)."""
    said: list[str] = []
    monkeypatch.setattr(check_controller, "announce", lambda _source, text: said.append(text))
    return said


def check_all(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.idle, timeout=WAIT_MS):
        window.check_all()


def test_a_finished_check_all_is_announced_and_shown(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry], heard: list[str]
) -> None:
    shown = window()
    check_all(qtbot, shown)

    assert heard == ["Checked 2 keys: 1 working, 1 failing"]
    assert shown.statusBar().currentMessage() == heard[0]


def test_a_finished_check_of_one_key_names_it(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry], heard: list[str]
) -> None:
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.checks.check(two_keys[1])

    assert heard == ["Checked “Globex”: Invalid key"]


def test_a_watch_round_is_summed_up_but_not_announced(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry], heard: list[str]
) -> None:
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.checks.watch_round(two_keys)

    assert heard == []
    assert shown.statusBar().currentMessage() == "Checked 2 keys: 1 working, 1 failing"
    check_all(qtbot, shown)  # the next run the user asks for is announced again
    assert heard == ["Checked 2 keys: 1 working, 1 failing"]


def test_a_run_held_back_entirely_announces_that_nothing_was_sent(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
    heard: list[str],
) -> None:
    server.set_rate_limit("busy", 0)
    seed([("Umbrella", server.api_base, known_key(org="busy"))])
    shown = window()
    check_all(qtbot, shown)  # answered 429: held back until it says
    assert heard == ["Checked “Umbrella”: Rate limited"]

    shown.check_all()
    assert heard[-1] == "1 key held back after a 429 Too Many Requests: no request sent."
    assert not shown.session.active


def test_announcing_needs_someone_listening(window: MakeWindow) -> None:
    assert not QAccessible.isActive()  # no screen reader in the widget tests
    assert announce(window(), "Checked 2 keys") is False


def test_only_the_instance_rows_are_expanded(window: MakeWindow, two_keys: list[Entry]) -> None:
    view = window().entry_list
    group = view.proxy.index(0, 0)

    assert view.isExpanded(group)
    assert view.proxy.rowCount(group) == 2
    assert not any(view.isExpanded(view.proxy.index(row, 0, group)) for row in range(2))


def test_the_details_light_is_named_by_its_status(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry]
) -> None:
    shown = window()
    light = shown.details._icon
    select(shown, two_keys[1].id)
    assert name_of(light) == "Not checked"
    check_all(qtbot, shown)

    assert name_of(light) == "Invalid key"


def test_the_keyring_label_and_icon_say_which_keyring_holds_the_keys(
    window: MakeWindow, two_keys: list[Entry]
) -> None:
    keyring = window().keyring

    assert name_of(keyring.label) == keyring.label.text()
    assert keyring.label.text().startswith("Keys in ")
    assert name_of(keyring.icon) == "Keyring: encrypted"  # as the memory keyring claims


def test_qt_own_buttons_of_the_toolbar_and_filter_are_named(window: MakeWindow) -> None:
    shown = window()
    more = shown.findChild(QToolButton, "qt_toolbar_ext_button")
    clear = shown.filter_edit.findChild(QAction, "_q_qlineeditclearaction")

    assert more is not None and name_of(more) == "More tools"
    assert clear is not None and clear.text() == "Clear the filter"


def test_the_details_scroll_area_is_no_tab_stop(window: MakeWindow) -> None:
    areas = [a for a in window().findChildren(QScrollArea) if a.accessibleName() == "Details"]

    assert len(areas) == 1
    assert areas[0].focusPolicy() == Qt.FocusPolicy.NoFocus


def mnemonics(window: MainWindow) -> dict[str, list[str]]:
    """Alt+letter -> the texts of the menu bar's menus and the window's visible buttons
    that have it."""
    texts = [action.text() for action in window.menuBar().actions()]
    texts += [
        button.text()
        for button in window.findChildren(QAbstractButton)
        if button.isVisibleTo(window) and button.window() is window
    ]
    keys: dict[str, list[str]] = {}
    for text in texts:
        key = QKeySequence.mnemonic(text).toString()
        if key:
            keys.setdefault(key, []).append(text)
    return keys


def test_the_mnemonics_of_the_window_are_unique(window: MakeWindow, two_keys: list[Entry]) -> None:
    """Alt+letter reaches one thing only: the menu bar's menus and the visible buttons
    (a clash makes Alt+H cycle between Channels and the Help menu, never opening it)."""
    shown = window()
    select(shown, two_keys[0].id)
    keys = mnemonics(shown)

    assert len(keys) >= 10  # the menus and the details' buttons
    assert {key: found for key, found in keys.items() if len(found) > 1} == {}


def test_the_mnemonics_of_the_empty_window_are_unique(window: MakeWindow) -> None:
    keys = mnemonics(window())

    assert {"Alt+F", "Alt+H", "Alt+A"} <= keys.keys()  # the menus, "Add a key…"
    assert {key: found for key, found in keys.items() if len(found) > 1} == {}


def children(interface: QAccessibleInterface) -> list[QAccessibleInterface]:
    found = [interface.child(i) for i in range(interface.childCount())]
    return [child for child in found if child is not None]


def test_the_check_button_of_each_entry_row_is_a_button_to_press(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry]
) -> None:
    shown = window()
    tree = QAccessible.queryAccessibleInterface(shown.entry_list)
    assert tree is not None and tree.role() == QAccessible.Role.Tree
    buttons = [c for c in children(tree) if c.role() == QAccessible.Role.Button]
    names = {c.text(QAccessible.Text.Name) for c in children(tree)}

    assert len(buttons) == len(two_keys)  # not on the instance's row
    assert {"Acme", "Globex"} <= names  # the other cells are Qt's, as they were
    for button in buttons:
        assert button.text(QAccessible.Text.Name) == "Check"
        assert "Ctrl+T" in button.text(QAccessible.Text.Description)
        assert button.parent() is tree
        assert tree.indexOfChild(button) == children(tree).index(button)
        assert tree.child(tree.indexOfChild(button)) is button  # one interface each
        action = button.actionInterface()
        assert action is not None and action.actionNames() == ["Press"]
    row_of_first = tree.indexOfChild(buttons[0]) - Column.ACTION
    pressed = tree.child(row_of_first + Column.NAME).text(QAccessible.Text.Name)

    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        buttons[0].actionInterface().doAction("Press")
    assert shown.statusBar().currentMessage().startswith(f"Checked “{pressed}”")


def test_a_check_button_finds_its_place_without_walking_every_row(
    window: MakeWindow, seed: Seed, server: SipstoryTestServer
) -> None:
    """With thousands of rows, a screen reader asks each button where it is (its index in
    the list) again and again: the answer must not walk down every row each time; and it
    stays right when the rows move (sorted the other way)."""
    entries = seed([(f"Org {n:03d}", server.api_base, "k" * 20) for n in range(300)])
    shown = window()
    view = shown.entry_list
    view.expandAll()
    tree = QAccessible.queryAccessibleInterface(view)
    assert tree is not None
    buttons = [c for c in children(tree) if c.role() == QAccessible.Role.Button]
    rows = len(entries)
    assert len(buttons) == rows
    walked = 0
    real_below = view.indexBelow

    def counted_below(index):  # type: ignore[no-untyped-def]
        nonlocal walked
        walked += 1
        return real_below(index)

    view.indexBelow = counted_below  # type: ignore[method-assign]
    try:
        last = buttons[-1]
        for _ in range(20):
            assert tree.child(tree.indexOfChild(last)) is last
        assert walked < rows  # not 20 walks of 300 rows
        view.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
        view.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        view.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
        for button in (buttons[0], last):
            assert tree.child(tree.indexOfChild(button)) is button  # found where it moved
    finally:
        del view.indexBelow


def test_a_deleted_list_leaves_no_stale_accessible_wrapper(
    qtbot: QtBot, window: MakeWindow, two_keys: list[Entry]
) -> None:
    """Qt deletes a list's accessible interface with the list; the Python wrapper of Qt's
    own interface, kept by the Check buttons' bridge, must go too: left registered at that
    address, a Qt object made there later (a window's status bar) came back to Python as
    a stale QAccessibleWidget."""
    import shiboken6

    from sipstory_desktop.gui import check_button_access
    from sipstory_desktop.gui.entry_list import EntryListView

    shown = window()
    view = EntryListView(shown.model)  # a second list over the same rows, then deleted
    tree = QAccessible.queryAccessibleInterface(view)
    assert tree is not None and tree.role() == QAccessible.Role.Tree
    made = [
        m
        for m in check_button_access._kept  # earlier tests' lists are gone, and so are theirs
        if shiboken6.isValid(m) and shiboken6.isValid(m.qt_own) and m.object() is view
    ]
    assert len(made) == 1
    qt_own = made[0].qt_own
    del tree
    view.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=WAIT_MS)
    assert not shiboken6.isValid(qt_own)
