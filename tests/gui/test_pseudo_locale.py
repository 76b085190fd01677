"""The window and every dialog in the pseudo-locale (each text in [brackets], a third longer,
accented; made from the sources by packaging/translations.py): no text is cut by its
widget, and none is left in English (a string that missed tr(), or that lupdate cannot
see). Only what the user typed (names, addresses) and the key masks stay as they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSize, QTimer, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipstory_desktop import APP_ID, APP_NAME, __version__
from sipstory_desktop.core.dotenv_keys import scan_files
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.env_import import plan_env_import
from sipstory_desktop.core.export_format import export_entries, read_export
from sipstory_desktop.core.import_plan import plan_import
from sipstory_desktop.core.keys import masked
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.channels_dialog import ChannelsDialog
from sipstory_desktop.gui.desktop_services import TrayAnswer
from sipstory_desktop.gui.entry.dialog import EntryDialog
from sipstory_desktop.gui.entry.draft import DialogMode
from sipstory_desktop.gui.env_import_dialog import EnvImportDialog
from sipstory_desktop.gui.find_url_dialog import FindUrlDialog
from sipstory_desktop.gui.flow_layout import flow_box
from sipstory_desktop.gui.import_dialog import ImportDialog
from sipstory_desktop.gui.orphans_dialog import OrphansDialog
from sipstory_desktop.gui.terminal_use_dialog import TerminalUseDialog
from sipstory_desktop.gui.watch import WatchDialog, WatchSettings
from tests.gui.test_translations import tool
from tests.support.dialogs import opened
from tests.support.pseudo_check import english_left, problems
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

ACME = "https://acme.example.com/api/public/v1"
NAMES = ("Acme", "Globex", "Initech", "Umbrella")
# What the user typed or the app shows as data, never translated.
DATA = (
    *NAMES,
    ACME,
    CLOUD_BASE_URL,
    "acme.example.com",
    "https://acme.example.com",
    "sipstory.example.com",
    "localhost",
    "Sipstory Desktop",
    "Sipstory",  # the product's name
    "SIPSTORY_API_URL",
    "SIPSTORY_API_KEY",
    "/api/public/v1",  # the paths of base URLs
    "/public/v1",
    "Demo keyring (in memory, this session only)",  # keyrings name themselves
)


@pytest.fixture(scope="module")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tool.make_pseudo_qm(tmp_path_factory.mktemp("pseudo"))


@pytest.fixture
def pseudo(qapp: QApplication, pseudo_qm: Path) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(pseudo_qm))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def test_the_check_finds_english_and_passes_brackets() -> None:
    assert english_left("[Çĥéçk áll ĥŵŷ] Acme", ["Acme"]) == ""
    assert english_left("[Ñámé:] Check all", []) == "Check all"
    assert english_left("<b>[Ñámé]</b> &amp; 12 ms", []) == "ms"


# Qt sizes a new dialog to its size hint, but no wider than 2/3 of the screen: the widget
# tests' offscreen screen is 800 px wide, a small laptop's 1280 px.
LAPTOP = QSize(1280 * 2 // 3, 800 * 2 // 3)


def test_the_check_finds_a_cut_label_and_button(qtbot: QtBot) -> None:
    top = QWidget()
    qtbot.addWidget(top)
    label = QLabel("[Ŵîdé téxt ĥŵŷĵĥŵŷĵ]", top)
    button = QPushButton("[Ŵîdé bûttöñ ĥŵŷĵĥŵŷĵ]", top)
    button.move(0, 40)
    wrapped = QLabel("[ŵ " * 40 + "]", top)
    wrapped.setWordWrap(True)
    wrapped.move(0, 80)
    for widget in (label, button, wrapped):
        widget.setFixedSize(40, 20)
    top.show()
    found = problems(top, [])
    assert len([f for f in found if f.startswith("cut ")]) == 3, found
    label.setFixedWidth(label.sizeHint().width())
    assert len([f for f in problems(top, []) if f.startswith("cut ")]) == 2


def assert_fine(widget: QWidget, *data: str) -> None:
    if isinstance(widget, QDialog):
        widget.resize(widget.sizeHint().boundedTo(LAPTOP).expandedTo(widget.minimumSize()))
        QApplication.processEvents()
    found = problems(widget, [*DATA, *data])
    assert not found, "\n".join(found)


@pytest.mark.usefixtures("pseudo")
def test_the_window_with_keys_checked(
    qtbot: QtBot,
    vault: Vault,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
) -> None:
    keys = [known_key(), known_key(state="rotated")]
    entries = seed([("Acme", server.api_base, keys[0]), ("Globex", server.api_base, keys[1])])
    shown = window()
    qtbot.waitUntil(lambda: "Kéýš îñ" in shown.keyring.label.text(), timeout=WAIT_MS)
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_all()
    select(shown, entries[0].id)
    shown.resize(1280, 720)
    data = (
        server.api_base,
        server.api_base.split("://", 1)[1],
        *(masked(e.key_hint) for e in entries),
    )
    host = server.api_base.split("://", 1)[1].split("/", 1)[0]
    # The check's message and hint are made in core/ in English (as the command line and
    # its JSON say them): the window says them in its language (gui/result_texts.py).
    qtbot.waitUntil(lambda: all(vault.state.load().latest(e.id) for e in entries), timeout=WAIT_MS)
    state = vault.state.load()
    said = [t for e in entries for r in state.results.get(e.id, []) for t in (r.message, r.hint)]
    assert said and all(english_left(t, [host]) for t in said if t)  # English in the state
    assert_fine(shown, *data, host, f"http://{host}")
    assert english_left(shown.statusBar().currentMessage(), NAMES) == ""
    for action in shown.findChildren(QAction):  # the menus' too, closed as they are
        for text in (action.text(), action.statusTip()):
            assert english_left(text, DATA) == "", (action.objectName(), text)


@pytest.mark.usefixtures("pseudo")
def test_the_window_without_keys(window: MakeWindow) -> None:
    assert_fine(window(), window().keyring.label.text())


@pytest.mark.usefixtures("pseudo")
def test_the_env_import_dialog(qtbot: QtBot, vault: Vault, tmp_path: Path) -> None:
    env = tmp_path / "acme" / ".env"
    env.parent.mkdir()
    key = "ab" * 32
    env.write_text(f"SIPSTORY_API_KEY={key}\nSIPSTORY_API_URL={ACME}\nOTHER_API_KEY=x\n")
    scanned = scan_files([env])
    dialog = opened(qtbot, EnvImportDialog(plan_env_import(vault, scanned), scanned))
    assert_fine(dialog, str(env), f"{env}:1", "acme", masked(key[-4:]), str(tmp_path))


@pytest.mark.usefixtures("pseudo")
@pytest.mark.parametrize("mode", list(DialogMode))
def test_the_entry_dialog(qtbot: QtBot, mode: DialogMode) -> None:
    entry = Entry("Acme", EntryKind.SELF_HOSTED, ACME, key_hint="abcd")
    dialog = opened(qtbot, EntryDialog(mode, entry=None if mode is DialogMode.ADD else entry))
    assert_fine(dialog, masked("abcd"))


@pytest.mark.usefixtures("pseudo")
def test_the_channels_dialog(qtbot: QtBot) -> None:
    assert_fine(opened(qtbot, ChannelsDialog("Acme")))


@pytest.mark.usefixtures("pseudo")
def test_the_find_url_dialog(qtbot: QtBot) -> None:
    assert_fine(opened(qtbot, FindUrlDialog("acme.example.com", current_base_url=ACME)))


@pytest.mark.usefixtures("pseudo")
def test_the_import_dialog(qtbot: QtBot) -> None:
    saved = [Entry("Acme", EntryKind.SELF_HOSTED, ACME)]
    incoming = [
        Entry("Acme", EntryKind.SELF_HOSTED, ACME.replace("acme", "social")),
        Entry("Globex", EntryKind.CLOUD, CLOUD_BASE_URL),
    ]
    plan = plan_import(saved, read_export(export_entries(incoming)))
    assert_fine(opened(qtbot, ImportDialog(plan)), ACME.replace("acme", "social"))


@pytest.mark.usefixtures("pseudo")
def test_the_orphans_dialog(qtbot: QtBot) -> None:
    ids = ["0f1e2d3c-aaaa-bbbb-cccc-000000000001"]
    assert_fine(opened(qtbot, OrphansDialog(ids)), *ids)


@pytest.mark.usefixtures("pseudo")
def test_the_terminal_use_dialog(qtbot: QtBot) -> None:
    entry = Entry("Acme", EntryKind.SELF_HOSTED, ACME, key_hint="abcd")
    dialog = opened(qtbot, TerminalUseDialog(entry))
    commands = [w.toPlainText() for w in dialog.findChildren(QWidget) if hasattr(w, "toPlainText")]
    assert_fine(dialog, *commands)


@pytest.mark.usefixtures("pseudo")
@pytest.mark.parametrize("tray", [True, False])
def test_the_watch_dialog(qtbot: QtBot, tray: bool) -> None:
    answer = (
        TrayAnswer(True)
        if tray
        else TrayAnswer(
            False, QCoreApplication.translate("DesktopServices", "This desktop has no system tray.")
        )
    )
    assert_fine(opened(qtbot, WatchDialog(WatchSettings(), answer)))


@pytest.mark.usefixtures("pseudo")
@pytest.mark.parametrize("action", ["remove", "about"])
def test_the_message_boxes(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey, seed: Seed,
    action: str,
) -> None:  # fmt: skip
    [entry] = seed([("Acme", server.api_base, known_key())])
    shown = window()
    select(shown, entry.id)
    found: list[str] = []

    def look_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        found.extend(problems(box, [*DATA, server.api_base, f"{APP_NAME} {__version__}", APP_ID]))
        found.append("looked")
        box.reject()

    QTimer.singleShot(0, look_and_close)
    shown.window_actions[action].trigger()
    assert found == ["looked"], "\n".join(found)


def test_a_flow_layout_wraps_its_buttons_when_narrow(qtbot: QtBot) -> None:
    box, flow = flow_box()
    qtbot.addWidget(box)
    buttons = [QPushButton(f"Button number {n}") for n in range(3)]
    for button in buttons:
        flow.addWidget(button)
    one_line = flow.sizeHint().width()
    assert flow.heightForWidth(one_line) == buttons[0].sizeHint().height()
    assert flow.heightForWidth(one_line // 2) > 2 * buttons[0].sizeHint().height()
    assert flow.minimumSize().width() == max(b.minimumSizeHint().width() for b in buttons)
