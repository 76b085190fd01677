"""What a screen reader sees of the real window, over AT-SPI.

The demo runs on Xvfb with Qt's AT-SPI bridge on, on a private session bus with the
accessibility bus of at-spi2-core (``running_accessibility_bus``); ``atspi_walker.py``,
run with the system Python and its pyatspi as a screen reader would, walks the window's
accessible tree, presses buttons through the Action interface and listens for events.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest

from sipstory_desktop.core.status import Status
from sipstory_desktop.demo.session import DEMO_ENTRIES
from tests.support.real_parts import (
    AccessibleApp,
    Node,
    running_accessibility_bus,
    running_accessible_app,
)

pytestmark = [pytest.mark.xvfb, pytest.mark.atspi]

APP = "sipstory-desktop"
WINDOW = "Sipstory Desktop — Demo"
ADD_DIALOG = "Add a key"

# What a screen reader lets the user operate or read as an item: each needs a name.
CONTROL_ROLES = frozenset(
    {
        "push button",
        "toggle button",
        "check box",
        "radio button",
        "text",
        "password text",
        "entry",
        "combo box",
        "spin button",
        "slider",
        "list",
        "list item",
        "tree",
        "tree table",
        "table",
        "table cell",
        "tree item",
        "table column header",
        "table row header",
        "column header",
        "row header",
        "menu item",
        "check menu item",
        "radio menu item",
        "page tab",
        "frame",
        "dialog",
    }
)
STATUS_LABELS = tuple(sorted((status.label for status in Status), key=len, reverse=True))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, x_display: str) -> Iterator[AccessibleApp]:
    """The demo window, once its first check of every entry is done."""
    root = tmp_path_factory.mktemp("atspi")
    with running_accessibility_bus(root / "desktop", x_display) as env:
        env["SIPSTORY_DESKTOP_HOME"] = str(root / "app")
        command = [sys.executable, "-m", "sipstory_desktop", "--demo"]
        with running_accessible_app(command, APP, env) as app:
            app.wait_for(_first_checks_done, window=WINDOW)
            yield app


def _first_checks_done(nodes: list[Node]) -> bool:
    return any(n["role"] == "status bar" and n["name"].startswith("Checked") for n in nodes)


def _unnamed_controls(nodes: list[Node]) -> list[str]:
    """Controls without a name, and whatever else the focus can land on without one."""
    return [
        f"{n['role']} at {n['path']} ({n['description'] or 'no description'})"
        for n in nodes
        if not n["name"].strip() and (n["role"] in CONTROL_ROLES or _tab_stop(n))
    ]


def _tab_stop(node: Node) -> bool:
    return {"focusable", "showing"} <= set(node["states"])


def _children(nodes: list[Node], parent: Node) -> list[Node]:
    depth = len(parent["path"]) + 1
    return [n for n in nodes if len(n["path"]) == depth and n["path"][:-1] == parent["path"]]


def _one(nodes: list[Node], role: str, name: str | None = None) -> Node:
    found = [n for n in nodes if n["role"] == role and (name is None or n["name"] == name)]
    assert len(found) == 1, (role, name, [n["name"] for n in found])
    return found[0]


def _rows(nodes: list[Node]) -> tuple[list[str], list[list[Node]]]:
    """The list's column headers, and its rows of cells (instances and entries)."""
    tree = _one(nodes, "tree", "Saved keys")
    children = _children(nodes, tree)
    headers = [n["name"] for n in children if n["role"] == "table column header"]
    cells = [n for n in children if n["role"] in ("table cell", "push button")]
    assert headers and len(cells) % len(headers) == 0
    return headers, [cells[i : i + len(headers)] for i in range(0, len(cells), len(headers))]


def _status_of(light_text: str) -> str | None:
    return next((label for label in STATUS_LABELS if light_text.startswith(label)), None)


def test_every_control_of_the_window_has_a_name(demo: AccessibleApp) -> None:
    nodes = demo.tree(WINDOW)

    assert len(nodes) > 100
    assert _unnamed_controls(nodes) == []


def test_each_row_tells_its_light_in_words(demo: AccessibleApp) -> None:
    headers, rows = _rows(demo.tree(WINDOW))
    assert all(headers)
    entry_rows = [row for row in rows if "expandable" not in row[0]["states"]]
    group_rows = [row for row in rows if "expandable" in row[0]["states"]]
    assert len(entry_rows) == len(DEMO_ENTRIES) and group_rows

    expected = {e.name: Status(e.expected_status).label for e in DEMO_ENTRIES}
    for row in entry_rows:
        light, name, check = row[0], row[1], row[-1]
        status = _status_of(light["name"])
        assert status == expected[name["name"]], light
        reason = light["name"].removeprefix(status)
        assert re.match(r"^( · again at \d\d:\d\d)?: \w", reason), light["name"]
        assert "expanded" not in light["states"]  # a key's row has nothing to expand
        assert check["name"] == "Check" and "Ctrl+T" in check["description"]
        assert check["role"] == "push button" and check["actions"] == ["Press"], check
    failing = [row for row in entry_rows if _status_of(row[0]["name"]) != "Connected"]
    assert failing and all(row[0]["description"] for row in failing)  # what to do about it
    for row in group_rows:
        assert re.match(r"^\d+ of \d+ working", row[0]["name"]), row[0]
        assert all(cell["name"] for cell in row)
        assert row[-1]["role"] == "table cell"  # an instance's row has no Check button


def test_the_check_button_of_a_row_is_pressed_as_a_button(demo: AccessibleApp) -> None:
    _, rows = _rows(demo.tree(WINDOW))
    rotated = next(e for e in DEMO_ENTRIES if e.expected_status == Status.INVALID_KEY.value)
    row = next(row for row in rows if row[1]["name"] == rotated.name)

    heard = demo.press(
        "Check", path=row[-1]["path"], listen="object:announcement", window=WINDOW, timeout=30
    )

    texts = [event["text"] for event in heard if event["text"]]
    assert texts == [f"Checked “{rotated.name}”: {Status.INVALID_KEY.label}"], heard


def test_the_details_light_and_the_keyring_state_are_named(demo: AccessibleApp) -> None:
    nodes = demo.tree(WINDOW)
    details = _one(nodes, "filler", "Details of the selected key")
    light = _one(_children(nodes, details), "image")
    status_bar = next(n for n in nodes if n["role"] == "status bar")
    keyring = _children(nodes, status_bar)

    assert _status_of(light["name"]), light
    assert any(n["role"] == "image" and "keyring" in n["name"].lower() for n in keyring)
    assert any(n["role"] == "label" and "Demo keyring" in n["name"] for n in keyring)


def test_a_finished_check_is_announced(demo: AccessibleApp) -> None:
    heard = demo.press("Check all", window=WINDOW, listen="object:announcement", timeout=30)

    texts = [event["text"] for event in heard if event["text"]]
    assert texts, heard
    summary = re.fullmatch(rf"Checked {len(DEMO_ENTRIES)} keys: (.+)", texts[0])
    assert summary, texts
    counts = re.findall(r"(\d+) (working|failing|rate limited)", summary[1])
    assert {kind for _, kind in counts} == {"working", "failing", "rate limited"}  # the demo's
    assert sum(int(count) for count, _ in counts) == len(DEMO_ENTRIES)


FIRST = DEMO_ENTRIES[0].name  # selected when the window opens


@pytest.mark.parametrize(
    ("button", "title", "closer"),
    [
        ("Edit", f"Edit {FIRST}", "Cancel"),
        ("Replace key", f"Replace the key of {FIRST}", "Cancel"),
        ("Channels", f"Channels of {FIRST}", "Close"),
        ("Find API URL", "Find the API URL", "Close"),
        ("Use in a terminal", f"Use “{FIRST}” in a terminal", "Close"),
    ],
)
def test_every_control_of_the_dialogs_has_a_name(
    demo: AccessibleApp, button: str, title: str, closer: str
) -> None:
    demo.press(button, window=WINDOW)
    try:
        nodes = demo.tree(title)

        assert any(n["role"] == "push button" for n in nodes)
        assert _unnamed_controls(nodes) == []
    finally:
        demo.press(closer, window=title)


def test_the_add_dialog_labels_its_fields(demo: AccessibleApp) -> None:
    demo.press("Add key", window=WINDOW)
    nodes = demo.tree(ADD_DIALOG)
    try:
        fields = [n for n in nodes if n["role"] in ("text", "password text")]
        reveal = _one(nodes, "check box", "Show the key")

        assert _unnamed_controls(nodes) == []
        assert len(fields) == 5  # name, instance address, custom base URL, key, note
        unlabelled = [f["name"] for f in fields if not f["relations"].get("labelled-by")]
        assert unlabelled == []
        assert "focusable" in reveal["states"]
        cloud = _one(nodes, "radio button", "Sipstory Cloud")
        options = next(n for n in nodes if n["path"] == cloud["path"][:-1])
        assert options["name"] == "Where"  # the group of the options is named
    finally:
        demo.press("Cancel", window=ADD_DIALOG)
