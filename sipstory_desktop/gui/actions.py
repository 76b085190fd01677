"""The window's actions: one table of what can be done, with texts and shortcuts, from
which the menu bar, the toolbar and the list's context menu are made.

To add a command: a row in :data:`ACTIONS`, its name in the menus below where it belongs,
and a slot for it where the window wires its parts (``MainWindow._wire``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QSizePolicy, QToolBar, QToolButton, QWidget

_CONTEXT = "WindowActions"
Shortcut = QKeySequence.StandardKey | Qt.Key | str | None
_NATIVE = QKeySequence.SequenceFormat.NativeText


@dataclass(frozen=True)
class ActionSpec:
    """A row of the table: ``text`` and ``tip`` are translated (context "WindowActions")
    when the action is made.

    ``per_entry``: enabled only while an entry is selected. ``list_only``: the shortcut
    works while the list has the focus (Ctrl+C and Delete mean other things elsewhere).
    """

    name: str
    text: str
    tip: str = ""
    shortcut: Shortcut = None
    per_entry: bool = False
    list_only: bool = False


ACTIONS = (
    ActionSpec("add", "&Add key…", "Add a key", QKeySequence.StandardKey.New),
    ActionSpec("check_all", "Check &all", "Check every key", Qt.Key.Key_F5),
    ActionSpec("check", "&Check", "Check the selected key", "Ctrl+T", per_entry=True),
    ActionSpec("edit", "&Edit…", "Rename the entry or change its server", per_entry=True),
    ActionSpec("replace_key", "Re&place key…", "Store a new key after a rotation", per_entry=True),
    ActionSpec(
        "remove",
        "&Remove…",
        "Remove the entry and delete its key",
        QKeySequence.StandardKey.Delete,
        per_entry=True,
        list_only=True,
    ),
    ActionSpec(
        "copy_key",
        "Cop&y key",
        "Copy the key; cleared from the clipboard after 30 s",
        QKeySequence.StandardKey.Copy,
        per_entry=True,
        list_only=True,
    ),
    ActionSpec("reveal_key", "Re&veal key", "Show the key for 10 seconds", per_entry=True),
    ActionSpec(
        "copy_curl",
        "Copy as c&url",
        "Copy a curl command that checks this key (cleared after 30 s)",
        per_entry=True,
    ),
    ActionSpec(
        "copy_environment",
        "Copy as e&nvironment line",
        "Copy SIPSTORY_API_URL and SIPSTORY_API_KEY (cleared after 30 s)",
        per_entry=True,
    ),
    ActionSpec(
        "use_in_terminal",
        "Use in a &terminal…",
        "The lines that use this key from a shell, a script or CI (no key in them)",
        per_entry=True,
    ),
    ActionSpec(
        "channels", "Cha&nnels…", "The channels this key's organization can post to", per_entry=True
    ),
    ActionSpec(
        "find_url",
        "&Find API URL…",
        "Try the likely API addresses of this entry's instance (sends no key)",
        per_entry=True,
    ),
    ActionSpec("export", "&Export entries…", "Save the entries, without their keys, to a file"),
    ActionSpec("import", "&Import entries…", "Add entries from an export, with a preview"),
    ActionSpec(
        "import_env",
        "Import &keys from .env files…",
        "Move Sipstory keys written in .env files into the keyring",
    ),
    ActionSpec(
        "orphans", "Clean up &orphaned keys…", "Keys of this app in the keyring that no entry uses"
    ),
    ActionSpec("filter", "&Filter", "Filter the list", QKeySequence.StandardKey.Find),
    ActionSpec("quit", "&Quit", "Quit after the running checks", "Ctrl+Q"),
    ActionSpec("watch", "&Watch…", "Check keys periodically"),
    ActionSpec("about", "&About Sipstory Desktop"),
)

# Where each action appears; None is a separator.
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("add", None, "import", "import_env", "export", None, "quit")),
    (
        "&Edit",
        (
            "copy_key",
            "copy_curl",
            "copy_environment",
            "use_in_terminal",
            "reveal_key",
            None,
            "filter",
        ),
    ),
    (
        "&Keys",
        (
            "check",
            "check_all",
            None,
            "edit",
            "replace_key",
            "remove",
            None,
            "channels",
            "find_url",
            None,
            "watch",
            "orphans",
        ),
    ),
    ("&Help", ("about",)),
)
TOOLBAR = ("add", "check_all", "check", None, "edit", "remove")
CONTEXT_MENU = (
    "check",
    "edit",
    "replace_key",
    None,
    "copy_key",
    "copy_curl",
    "copy_environment",
    "use_in_terminal",
    "reveal_key",
    None,
    "channels",
    "find_url",
    None,
    "remove",
)
LIST_ACTIONS = ("copy_key", "remove")  # their shortcuts act on the list


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class WindowActions(QObject):
    """The :class:`QAction` of every row of :data:`ACTIONS`, by name (``actions["check"]``)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._actions = {spec.name: self._make(spec, parent) for spec in ACTIONS}
        self.per_entry = [self._actions[s.name] for s in ACTIONS if s.per_entry]
        self.set_entry_selected(False)
        # F5 checks every entry, also while checks run and Check all is Stop (on Esc):
        # this action has F5 then (none otherwise: one action on a key at a time).
        self.check_all_while_running = QAction(_tr("Check all"), parent)
        self.check_all_while_running.setObjectName("action-check_all_while_running")
        parent.addAction(self.check_all_while_running)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def connect_slots(self, slots: dict[str, Callable[[], Any]]) -> None:
        """Connect each named action to its slot."""
        for name, slot in slots.items():
            self._actions[name].triggered.connect(slot)

    def set_entry_selected(self, selected: bool) -> None:
        for action in self.per_entry:
            action.setEnabled(selected)

    def show_run(self, running: bool) -> None:
        """While checks run, Check all is Stop, on Esc (F5 still checks every entry);
        afterwards Check all again, on F5."""
        action = self._actions["check_all"]
        if running:
            action.setText(_tr("&Stop"))
            action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
            tip = _tr("Stop checking: keys still waiting their turn are not checked")
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(_NATIVE)})")
            self.check_all_while_running.setShortcut(QKeySequence(Qt.Key.Key_F5))
        else:
            self.check_all_while_running.setShortcut(QKeySequence())
            self._describe(next(s for s in ACTIONS if s.name == "check_all"), action)

    def fill_menu_bar(self, menu_bar: QMenuBar) -> None:
        for title, names in MENUS:
            self._fill(menu_bar.addMenu(_tr(title)), names)

    def toolbar(self, parent: QWidget, trailing: QWidget) -> QToolBar:
        """The main toolbar, with ``trailing`` (the filter field) at its right end."""
        toolbar = QToolBar(_tr("Main"), parent)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._fill(toolbar, TOOLBAR)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(trailing)
        more = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")  # shown when narrow
        if more is not None:
            more.setAccessibleName(_tr("More tools"))
        return toolbar

    def context_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        self._fill(menu, CONTEXT_MENU)
        return menu

    def list_actions(self) -> list[QAction]:
        return [self._actions[name] for name in LIST_ACTIONS]

    def _fill(self, target: QMenu | QToolBar, names: Iterable[str | None]) -> None:
        for name in names:
            if name is None:
                target.addSeparator()
            else:
                target.addAction(self._actions[name])

    @staticmethod
    def _make(spec: ActionSpec, parent: QWidget) -> QAction:
        action = QAction(parent)
        action.setObjectName(f"action-{spec.name}")
        WindowActions._describe(spec, action)
        if spec.list_only:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        return action

    @staticmethod
    def _describe(spec: ActionSpec, action: QAction) -> None:
        """The text, shortcut and tips of ``spec`` on ``action``."""
        action.setText(_tr(spec.text))
        action.setShortcut(QKeySequence(spec.shortcut) if spec.shortcut is not None else "")
        if spec.tip:
            tip = _tr(spec.tip)
            action.setStatusTip(tip)
            native = action.shortcut().toString(_NATIVE)
            action.setToolTip(f"{tip} ({native})" if spec.shortcut is not None else tip)
