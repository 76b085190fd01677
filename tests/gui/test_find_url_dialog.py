"""The find-URL dialog: one row per candidate, probes in any order, conclusions, hints."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.find_url import FindResult, Probe, ProbeOutcome, candidates
from sipstory_desktop.core.status import Light
from sipstory_desktop.core.urls import UrlError
from sipstory_desktop.gui.find_url_dialog import FindUrlDialog
from sipstory_desktop.gui.lights import light_icon
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
    spoken = {row.data(2, Qt.ItemDataRole.AccessibleTextRole) for row in rows(tree)}
    assert spoken == {"No details yet"}  # the empty cells are named for screen readers
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


# --- keyboard -------------------------------------------------------------------------------


def test_escape_closes_the_dialog(qtbot: QtBot) -> None:
    assert_escape_closes(opened(qtbot, FindUrlDialog("localhost")))


def test_tab_reaches_every_control(qtbot: QtBot) -> None:
    assert_tab_reaches_every_control(opened(qtbot, FindUrlDialog("localhost")))
