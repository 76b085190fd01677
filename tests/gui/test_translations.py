"""Translations: every GUI string goes through tr(), the .ts files are what lupdate makes of
the sources, the .qm files are compiled from them, and the system's language is loaded
(ours and Qt's own for the standard buttons)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QHeaderView
from pytestqt.qtbot import QtBot

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.translations import install_translators, translations_dir
from tests.gui.test_accessible_names import mnemonics
from tests.support.untranslated import ALLOWED, findings_in, untranslated
from tests.support.window import KnownKey, MakeWindow, Seed, select

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "sipstory_desktop" / "gui"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sipstory_translations_tool", ROOT / "packaging" / "translations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _load_tool()
ALL_LANGUAGES = (*tool.LANGUAGES, *tool.PLURAL_ONLY)


def test_every_gui_string_goes_through_tr() -> None:
    found = untranslated(GUI)
    assert not found, "\n".join(str(f) for f in found)


def test_every_allowed_exception_is_still_there() -> None:
    """The allow-list holds only what is in the sources today (stale entries go)."""
    sources = {p.relative_to(GUI).as_posix(): p.read_text("utf-8") for p in GUI.rglob("*.py")}
    for path, text in ALLOWED:
        assert path in sources, path
        unquoted = text.strip("f'\"")[:20]
        assert unquoted in sources[path] or text in sources[path], (path, text)


@pytest.mark.parametrize(
    "source",
    [
        'label.setText("Checked")',
        'QLabel("Name:", self)',
        'QPushButton(text="Check")',
        'QMessageBox.warning(self, "Remove", text)',
        'button.setToolTip(f"Check {name}")',
        'self.setWindowTitle("Keys of %s" % name)',
        'action = menu.addAction("Copy")',
        'bar.showMessage("Saved {}".format(n))',
        "box.setAccessibleName('Keys' if many else 'Key')",
        "def f():\n    return tr('Check')",
        "QCoreApplication.translate('Ctx', text)",
        "self.tr(text)",
        'action.setText(_tr("&Stop"))',
    ],
)
def test_the_checker_flags_literals_outside_tr(source: str) -> None:
    assert findings_in(source, "sample.py"), source


@pytest.mark.parametrize(
    "source",
    [
        'label.setText(self.tr("Checked"))',
        'QLabel(QCoreApplication.translate("Ctx", "Name:"), self)',
        'label.setText("—")',
        'label.setText("")',
        "label.setText(entry.name)",
        'label.setObjectName("statusLabel")',
        "painter.translate(3, 4)",
        'self.tr("%n key(s)", "", n)',
    ],
)
def test_the_checker_lets_translated_and_wordless_texts_pass(source: str) -> None:
    assert not findings_in(source, "sample.py"), source


def _messages(ts: Path) -> set[tuple[str, str, str, bool]]:
    return {(m.context, m.source, m.comment, m.numerus) for m in tool.read_ts(ts)}


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_ts_is_in_sync_with_the_sources(language: str, tmp_path: Path) -> None:
    """lupdate, run on a copy of the committed .ts, adds and drops nothing."""
    committed = tool.ts_file(language)
    copy = tmp_path / committed.name
    shutil.copy(committed, copy)
    tool.lupdate(copy, language)
    fresh = tmp_path / "fresh.ts"
    tool.lupdate(fresh, language)
    assert _messages(copy) == _messages(committed), "run: python packaging/translations.py --update"
    assert _messages(fresh) == _messages(committed), (
        "run: python packaging/translations.py --update"
    )


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_no_message_is_outside_a_context(language: str) -> None:
    """A tr() outside a class lands in the empty context, which Qt never asks for."""
    nameless = [m.source for m in tool.read_ts(tool.ts_file(language)) if not m.context]
    assert not nameless


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_qm_holds_every_translation_of_the_ts(language: str) -> None:
    """The shipped .qm was compiled from the .ts as it is (run --release after editing)."""
    translator = QTranslator()
    assert translator.load(str(tool.qm_file(language)))
    for message in tool.read_ts(tool.ts_file(language)):
        if message.unfinished:
            continue
        comment = message.comment or None
        if message.numerus:
            got = translator.translate(message.context, message.source, comment, 1)
            assert got in message.translations, message
        else:
            got = translator.translate(message.context, message.source, comment)
            assert got == message.translations[0], message


_PLACEHOLDER = re.compile(r"%L?\d+|%n|%[sd]|\{\w*\}|&(?!amp;)\w")


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    messages = tool.read_ts(tool.ts_file(language))
    unfinished = [m.source for m in messages if m.unfinished or not all(m.translations)]
    assert not unfinished, f"{len(unfinished)} unfinished: {unfinished[:10]}"
    for m in messages:
        wanted = sorted(p for p in _PLACEHOLDER.findall(m.source) if not p.startswith("&"))
        for translation in m.translations:
            got = sorted(p for p in _PLACEHOLDER.findall(translation) if not p.startswith("&"))
            assert got == wanted, (m.source, translation)
            in_order = [p for p in _PLACEHOLDER.findall(m.source) if p in ("%s", "%d")]
            assert [p for p in _PLACEHOLDER.findall(translation) if p in ("%s", "%d")] == in_order
            if "&" in m.source.replace("&&", "") and not m.source.startswith("<"):
                assert "&" in translation, (m.source, translation)  # a mnemonic


def test_the_qm_files_are_in_the_package() -> None:
    shipped = {p.name for p in translations_dir().glob("*.qm")}
    assert {f"sipstory_desktop_{language}.qm" for language in ALL_LANGUAGES} <= shipped


@pytest.fixture
def translators(qapp: QApplication) -> Iterator[list[QTranslator]]:
    installed: list[QTranslator] = []
    yield installed
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


def test_a_german_system_gets_german_texts_and_qt_buttons(
    qapp: QApplication, translators: list[QTranslator]
) -> None:
    translators += install_translators(
        qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany)
    )
    assert len(translators) == 2  # Qt's and ours
    assert QCoreApplication.translate("WindowActions", "Check &all") == "&Alle prüfen"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"


def test_an_english_system_keeps_the_source_texts(
    qapp: QApplication, translators: list[QTranslator]
) -> None:
    translators += install_translators(
        qapp, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    assert QCoreApplication.translate("WindowActions", "Check &all") == "Check &all"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"


def test_the_pseudo_locale_brackets_lengthens_and_keeps_placeholders() -> None:
    text = "Check %n key(s) on {host} in <b>%1</b> &now"
    pseudo = tool.pseudo(text)
    assert pseudo.startswith("[") and pseudo.endswith("]")
    for kept in ("%n", "{host}", "<b>", "%1", "</b>", "&"):
        assert kept in pseudo
    assert len(pseudo) >= len(text) * 1.3
    assert "Check" not in pseudo


def test_a_broken_install_without_translations_still_starts_in_english(
    qapp: QApplication, translators: list[QTranslator], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Path:
        raise ModuleNotFoundError("sipstory_desktop.resources.translations")

    monkeypatch.setattr("sipstory_desktop.gui.translations.translations_dir", missing)
    translators += install_translators(qapp, QLocale(QLocale.Language.German))
    assert len(translators) == 1  # Qt's own only
    assert QCoreApplication.translate("WindowActions", "Check &all") == "Check &all"
    for translator in translators:
        QCoreApplication.removeTranslator(translator)
    translators.clear()
    monkeypatch.setattr(
        "sipstory_desktop.gui.translations.translations_dir", lambda: Path("/no/such/dir")
    )
    translators += install_translators(qapp, QLocale(QLocale.Language.German))
    assert len(translators) == 1


@pytest.fixture
def german(qapp: QApplication, translators: list[QTranslator]) -> None:
    translators += install_translators(qapp, QLocale(QLocale.Language.German))


@pytest.mark.usefixtures("german")
def test_the_german_mnemonics_of_the_window_are_unique(
    window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey, seed: Seed
) -> None:
    [entry] = seed([("Acme", server.api_base, known_key())])
    shown = window()
    select(shown, entry.id)
    keys = mnemonics(shown)

    assert "Alt+D" in keys  # &Datei: German indeed
    assert {key: found for key, found in keys.items() if len(found) > 1} == {}


@pytest.mark.usefixtures("german")
def test_the_german_mnemonics_of_the_empty_window_are_unique(window: MakeWindow) -> None:
    keys = mnemonics(window())

    assert "Alt+D" in keys
    assert {key: found for key, found in keys.items() if len(found) > 1} == {}


TITLE_MARGIN = 8  # the style's padding either side (the sort arrow shows on one column)


def text_width(header: QHeaderView, column: int) -> int:
    title = str(header.model().headerData(column, Qt.Orientation.Horizontal))
    return header.fontMetrics().horizontalAdvance(title)


@pytest.mark.usefixtures("german")
def test_the_german_column_titles_fit_a_laptop_window(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, known_key: KnownKey, seed: Seed
) -> None:
    """At 1280x720 the list's titles are whole in German (the stretched Instance column
    takes what is left, and elides its cells)."""
    seed([("Acme", server.api_base, known_key())])
    shown = window()
    shown.resize(1280, 720)
    qtbot.waitUntil(lambda: shown.entry_list.viewport().width() > 600)
    header = shown.entry_list.header()
    cut = [
        (header.model().headerData(c, Qt.Orientation.Horizontal), header.sectionSize(c))
        for c in range(header.count())
        if header.model().headerData(c, Qt.Orientation.Horizontal)
        and header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch
        and header.sectionSize(c) < text_width(header, c) + TITLE_MARGIN
    ]
    assert cut == []
