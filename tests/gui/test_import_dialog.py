"""The import dialog: the preview, conflicts and their choices, the import and its outcome."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.config import ConfigStore
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.export_format import export_entries, read_export
from sipstory_desktop.core.import_plan import (
    ImportOutcome,
    ImportPlan,
    Resolution,
    apply_import,
    plan_import,
)
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.gui.import_dialog import ImportDialog
from tests.support.dialogs import (
    assert_accessible,
    assert_escape_closes,
    assert_tab_reaches_every_control,
    button,
    child,
    children,
    opened,
    rows,
    shown_text,
)

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    # The offscreen platform says so for every top-level window with a minimum size.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

ACME = "https://sipstory.acme.example/api/public/v1"


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


# --- keyboard -------------------------------------------------------------------------------


def test_escape_closes_the_dialog(qtbot: QtBot) -> None:
    assert_escape_closes(opened(qtbot, ImportDialog(a_plan())))


def test_tab_reaches_every_control(qtbot: QtBot) -> None:
    assert_tab_reaches_every_control(opened(qtbot, ImportDialog(a_plan())))


# --- the choices at any width (issue 15) ------------------------------------------------


def _long_conflicts(count: int) -> ImportPlan:
    def url(host: str) -> str:
        return f"https://{host}.example.com/a/rather/long/path/to/the/api/public/v1"

    saved = [Entry(f"Client {n}", EntryKind.CUSTOM, url(f"old{n}")) for n in range(count)]
    incoming = [
        Entry(f"Client {n}", EntryKind.CUSTOM, url(f"social-media-scheduler{n}"))
        for n in range(count)
    ]
    return plan_import(saved, read_export(export_entries(incoming)))


def _accessible_boxes(interface: QAccessibleInterface, depth: int = 0) -> list[set[str]]:
    """What names each combo box under ``interface``: its name and its labels' texts."""
    found = []
    if interface.role() == QAccessible.Role.ComboBox:
        labels = interface.relations(QAccessible.RelationFlag.Label)
        found.append(
            {interface.text(QAccessible.Text.Name)}
            | {other.text(QAccessible.Text.Name) for other, _ in labels}
        )
    if depth < 12:
        for index in range(interface.childCount()):
            kid = interface.child(index)
            if kid is not None and kid.isValid():
                found += _accessible_boxes(kid, depth + 1)
    return found


@pytest.mark.parametrize("width", [460, 900])
def test_every_choice_is_in_view_at_any_width_beside_its_wrapped_change(
    qtbot: QtBot, width: int
) -> None:
    dialog = opened(qtbot, ImportDialog(_long_conflicts(6)))
    dialog.resize(width, 600)
    qtbot.waitUntil(lambda: dialog.width() == width)
    boxes = combos(dialog)
    assert len(boxes) == 6
    area = child(dialog, QScrollArea, "choicesArea")
    for name, box in boxes.items():
        area.ensureWidgetVisible(box)
        QApplication.processEvents()
        assert box.isVisible(), name
        where = QRect(box.mapTo(dialog, QPoint(0, 0)), box.size())
        assert where.left() >= 0 and where.right() < dialog.width(), name  # not off to the right
        seen = QRect(box.mapTo(area.viewport(), QPoint(0, 0)), box.size())
        assert area.viewport().rect().contains(seen), name
        assert "social-media-scheduler" in box.accessibleDescription()  # what it decides
    assert area.horizontalScrollBar().maximum() == 0
    tree = child(dialog, QTreeWidget, "previewList")
    assert tree.horizontalScrollBar().maximum() == 0


def test_the_choices_are_in_the_accessible_tree_with_their_names(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ImportDialog(_long_conflicts(3)))
    interface = QAccessible.queryAccessibleInterface(dialog)
    assert interface is not None
    boxes = _accessible_boxes(interface)
    assert len(boxes) == 3
    for n in range(3):
        assert sum(f"What to do with Client {n}:" in names for names in boxes) == 1
