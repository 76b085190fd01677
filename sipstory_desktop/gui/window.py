"""The main window: every key's state at a glance, and a fix one click away."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QFileSystemWatcher,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QHelpEvent,
    QKeySequence,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from .. import APP_ID, APP_NAME, __version__
from ..core.budget import BudgetWarning, forecast, held_back_result, held_back_until
from ..core.channels import ChannelsResult, fetch_channels
from ..core.entries import Entry, EntryError, EntryKind
from ..core.fileio import FileIdentity, file_identity
from ..core.secrets import BackendInfo, SecretStore, SecretStoreError, no_keyring_hint
from ..core.snippets import curl_command, environment_line
from ..core.state import State
from ..core.status import CheckResult, Light, Status
from ..core.times import utc_now
from ..core.vault import Saved, Vault
from .banner import Banner
from .cell_art import CellArt
from .details import DetailsPane
from .empty_state import EmptyState
from .entry_model import EntryFilterModel, EntryModel
from .lights import light_icon
from .roles import Column, Role
from .test_button import TestButtonDelegate
from .watch import Tray, WatchDialog, Watcher, WatchSettings
from .workers import CheckRunner, Worker

# What the first paint does not need is imported where it is used: the dialogs, and the
# network modules (requests), which load on a worker thread after the paint (start-up
# time and memory: docs/benchmarks.md).
if TYPE_CHECKING:
    from ..core.client import ApiClient
    from ..core.transfer import ImportOutcome, ImportPlan
    from .entry.dialog import EntryDialog
    from .entry.draft import DialogMode, EntryDraft
    from .find_url_dialog import FindUrlDialog

log = logging.getLogger(__name__)

CLIPBOARD_CLEAR_MS = 30_000
SPINNER_INTERVAL_MS = 100
RELOAD_DELAY_MS = 250
SHOW_RESULTS_MS = 100
CLOCK_INTERVAL_MS = 30_000
FIRST_LOAD_LATEST_MS = 300  # a window never painted (hidden) reads its list after this


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass
class _DiskRead:
    """The config and state as a worker read them for :meth:`MainWindow.reload`.

    ``entries`` is None when the config had not changed since the last read, ``state``
    when the state file had not changed either (or holds only our own saves)."""

    config_signature: FileIdentity | None
    state_signature: FileIdentity | None
    entries: list[Entry] | None = None
    state: State | None = None
    notices: list[str] = field(default_factory=list)


def _entry_at(index: QModelIndex) -> Entry | None:
    """The entry of a row of the list (its first cell holds it); None on a group row."""
    entry = index.siblingAtColumn(0).data(Role.ENTRY) if index.isValid() else None
    return entry if isinstance(entry, Entry) else None


def describe_error(error: Exception) -> str:
    """A message for the user; never a traceback, never a key."""
    if isinstance(error, SecretStoreError):
        return f"{error.message}\n{error.hint}"
    return str(error) or type(error).__name__


class MainWindow(QMainWindow):
    """The window over a :class:`Vault`.

    Args:
        vault: the entries, keys and state to show.
        demo: a demo session (shown in the title; checks everything once at start).
        on_try_demo: what "Try the demo" does (the app starts the demo in a new process).
    """

    loaded = Signal()  # a reload is done: the entries and results on disk are shown

    def __init__(
        self,
        vault: Vault,
        *,
        demo: bool = False,
        on_try_demo: Callable[[], None] | None = None,
        client: ApiClient | None = None,
    ) -> None:
        super().__init__()
        self.vault = vault
        self.demo = demo
        self._backend: BackendInfo | None = None
        self._clipboard_digest: bytes | None = None
        self._selected_id: str | None = None

        self.setObjectName("main-window")
        self.setWindowTitle(APP_NAME + (self.tr(" — Demo") if demo else ""))
        self.worker = Worker(2, self)  # keyring and config: add, edit, remove, copy, probe
        self._reader = Worker(1, self)  # reads the list: never behind a keyring prompt
        self.runner = CheckRunner(vault, client, parent=self)
        self.model = EntryModel(self)
        self.proxy = EntryFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        self._build_view(on_try_demo)
        self._build_status_bar()
        self._connect()
        self._settings = QSettings(
            str(vault.paths.data_dir / "window.ini"), QSettings.Format.IniFormat
        )
        self._restore_layout()
        self._quitting = False
        self.watcher = Watcher(
            self.model.entries, self.model.requests_last_hour, self._watch_round, self
        )
        self.tray = Tray(self)
        self.tray.show_requested.connect(self._show_from_tray)
        self.tray.check_all_requested.connect(self.check_all)
        self.tray.quit_requested.connect(self.quit)
        self._apply_watch(WatchSettings.load(self._settings))
        self._signatures: tuple[object, object] | None = None  # of the files last read
        self._loading = self._load_again = self._settling = self._loaded_once = False
        self._demo_checked = False
        # The list is read on a worker from the window's first paint on (reading competes
        # with painting for the interpreter), or soon in any case when it is not shown;
        # until then the page is a guess: the list if there is a config, else the empty state.
        self.pages.setCurrentWidget(
            self.splitter if vault.paths.config_file.exists() else self.empty
        )
        self._first_load = QTimer(self, singleShot=True, interval=FIRST_LOAD_LATEST_MS)
        self._first_load.timeout.connect(self.reload)
        self._first_load.start()
        self.tree.setFocus()  # so that Ctrl+C and Delete act on the list from the start
        self._painted = False  # the keyring is probed after the first paint (paintEvent)

    # --- building --------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: Any = None,
        tip: str = "",
        context: Qt.ShortcutContext | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(
                f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                if shortcut is not None
                else tip
            )
        if context is not None:
            action.setShortcutContext(context)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        widget_only = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.add_action = self._action(
            self.tr("&Add key…"), self.add_entry, QKeySequence.StandardKey.New, self.tr("Add a key")
        )
        self.check_all_action = self._action(
            self.tr("Check &all"), self.check_all, Qt.Key.Key_F5, self.tr("Check every key")
        )
        self.test_action = self._action(
            self.tr("&Test"), self.test_selected, "Ctrl+T", self.tr("Check the selected key")
        )
        self.edit_action = self._action(
            self.tr("&Edit…"),
            self.edit_selected,
            tip=self.tr("Rename the entry or change its server"),
        )
        self.replace_action = self._action(
            self.tr("Re&place key…"),
            self.replace_selected,
            tip=self.tr("Store a new key after a rotation"),
        )
        self.remove_action = self._action(
            self.tr("&Remove…"),
            self.remove_selected,
            QKeySequence.StandardKey.Delete,
            self.tr("Remove the entry and delete its key"),
            widget_only,
        )
        self.copy_action = self._action(
            self.tr("&Copy key"),
            self.copy_selected,
            QKeySequence.StandardKey.Copy,
            self.tr("Copy the key; cleared from the clipboard after 30 s"),
            widget_only,
        )
        self.reveal_action = self._action(
            self.tr("Re&veal key"), self.reveal_selected, tip=self.tr("Show the key for 10 seconds")
        )
        self.copy_curl_action = self._action(
            self.tr("Copy as c&url"),
            self.copy_as_curl,
            tip=self.tr("Copy a curl command that checks this key (cleared after 30 s)"),
        )
        self.copy_env_action = self._action(
            self.tr("Copy as e&nvironment line"),
            self.copy_as_environment,
            tip=self.tr("Copy SIPSTORY_API_URL and SIPSTORY_API_KEY (cleared after 30 s)"),
        )
        self.channels_action = self._action(
            self.tr("C&hannels…"),
            self.show_channels,
            tip=self.tr("The channels this key's organization can post to"),
        )
        self.find_url_action = self._action(
            self.tr("&Find API URL…"),
            self.find_api_url,
            tip=self.tr("Try the likely API addresses of this entry's instance (sends no key)"),
        )
        self.export_action = self._action(
            self.tr("&Export entries…"),
            self.export_entries,
            tip=self.tr("Save the entries, without their keys, to a file"),
        )
        self.import_action = self._action(
            self.tr("&Import entries…"),
            self.import_entries,
            tip=self.tr("Add entries from an export, with a preview"),
        )
        self.orphans_action = self._action(
            self.tr("Clean up &orphaned keys…"),
            self.clean_orphans,
            tip=self.tr("Keys of this app in the keyring that no entry uses"),
        )
        self.filter_action = self._action(
            self.tr("&Filter"),
            self._focus_filter,
            QKeySequence.StandardKey.Find,
            self.tr("Filter the list"),
        )
        self.quit_action = self._action(
            self.tr("&Quit"), self.quit, "Ctrl+Q", self.tr("Quit after the running checks")
        )
        self.watch_action = self._action(
            self.tr("&Watch…"), self.edit_watch, tip=self.tr("Check keys periodically")
        )
        self.about_action = self._action(self.tr("&About Sipstory Desktop"), self.show_about)
        self.selection_actions = [
            self.test_action,
            self.edit_action,
            self.replace_action,
            self.remove_action,
            self.copy_action,
            self.reveal_action,
            self.copy_curl_action,
            self.copy_env_action,
            self.channels_action,
            self.find_url_action,
        ]
        for action in self.selection_actions:
            action.setEnabled(False)  # until an entry is selected

        self._build_menus()

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addActions([self.add_action])
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu(self.tr("&Edit"))
        edit_menu.addActions(
            [self.copy_action, self.copy_curl_action, self.copy_env_action, self.reveal_action]
        )
        edit_menu.addSeparator()
        edit_menu.addAction(self.filter_action)
        keys_menu = menu.addMenu(self.tr("&Keys"))
        keys_menu.addActions([self.test_action, self.check_all_action])
        keys_menu.addSeparator()
        keys_menu.addActions([self.edit_action, self.replace_action, self.remove_action])
        keys_menu.addSeparator()
        keys_menu.addActions([self.channels_action, self.find_url_action])
        keys_menu.addSeparator()
        keys_menu.addActions([self.watch_action, self.orphans_action])
        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.add_action, self.check_all_action, self.test_action])
        toolbar.addSeparator()
        toolbar.addActions([self.edit_action, self.remove_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter (Ctrl+F)"))
        self.filter_edit.setAccessibleName(self.tr("Filter the keys"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(260)
        toolbar.addWidget(self.filter_edit)
        self.addToolBar(toolbar)

    def _build_view(self, on_try_demo: Callable[[], None] | None) -> None:
        self._build_tree()
        self._build_pages(on_try_demo)

    def _build_tree(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("entries")
        self.tree.setAccessibleName(self.tr("Saved keys"))
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.viewport().installEventFilter(self)  # tooltips, made on demand
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setMouseTracking(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        # Qt paints every cell (the pictures are in the model: see cell_art.py); Python
        # only hears the Test button's clicks.
        self.button_delegate = TestButtonDelegate(self.tree)
        self.tree.setItemDelegateForColumn(Column.ACTION, self.button_delegate)
        self._restyle_list()
        self.tree.addActions([self.copy_action, self.remove_action])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.INSTANCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.HISTORY, QHeaderView.ResizeMode.Fixed)
        for column, width in (
            (Column.LIGHT, 250),
            (Column.NAME, 190),
            (Column.KEY, 80),
            (Column.CHECKED, 95),
            (Column.LATENCY, 70),
            (Column.BUDGET, 75),
            (Column.HISTORY, self.model.art.history_width + 8),
        ):
            self.tree.setColumnWidth(column, width)

    def _build_pages(self, on_try_demo: Callable[[], None] | None) -> None:
        self.details = DetailsPane()
        details_area = QScrollArea()  # a short window scrolls the details, not clips them
        details_area.setWidget(self.details)
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        details_area.setMinimumWidth(320)
        self.splitter = QSplitter()
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(details_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1120, 360])

        self.empty = EmptyState(self.add_entry, on_try_demo)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.splitter)

        self.banner = Banner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.resize(1480, 740)

    def _build_status_bar(self) -> None:
        self.keyring_label = QLabel(self.tr("Looking for the keyring…"))
        self.keyring_label.setAccessibleName(self.tr("Keyring status"))
        self.keyring_icon = QLabel()
        self.statusBar().addPermanentWidget(self.keyring_icon)
        self.statusBar().addPermanentWidget(self.keyring_label)

    def _connect(self) -> None:
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.button_delegate.clicked.connect(self._test_clicked)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.runner.started.connect(self._check_started)
        self.runner.finished.connect(self._check_finished)
        self.runner.progress.connect(self._check_progress)
        self.runner.idle.connect(self._checks_idle)
        self.model.filled.connect(self._entries_shown)
        for signal, slot in (
            (self.details.test_requested, self.test_selected),
            (self.details.edit_requested, self.edit_selected),
            (self.details.replace_requested, self.replace_selected),
            (self.details.copy_requested, self.copy_selected),
            (self.details.reveal_requested, self.reveal_selected),
            (self.details.remove_requested, self.remove_selected),
            (self.details.channels_requested, self.show_channels),
            (self.details.find_url_requested, self.find_api_url),
            (self.details.copy_curl_requested, self.copy_as_curl),
        ):
            signal.connect(slot)
        self.banner.retry_requested.connect(self._retry_keyring)

        self._spinner = QTimer(self, interval=SPINNER_INTERVAL_MS)
        self._spinner.timeout.connect(self._spin)
        self._clock = QTimer(self, interval=CLOCK_INTERVAL_MS)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._arrived: dict[str, CheckResult] = {}
        self._progress = (0, 0)  # checks done and asked for in this run
        self._starting: list[str] = []
        self._start_timer = QTimer(self, singleShot=True, interval=0)
        self._start_timer.timeout.connect(self._show_started)
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_RESULTS_MS)
        self._show_timer.timeout.connect(self._show_arrived)
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _: self._reload_timer.start())
        self._watcher.fileChanged.connect(lambda _: self._reload_timer.start())
        self._clipboard_timer = QTimer(self, singleShot=True, interval=CLIPBOARD_CLEAR_MS)
        self._clipboard_timer.timeout.connect(self._clear_clipboard)

    # --- loading and live sync -------------------------------------------------------------

    def _watch(self) -> None:
        data_dir = self.vault.paths.data_dir
        try:  # a fresh home has no folder yet: make it, so sipstory-keys' first add is seen
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        paths = [
            str(p)
            for p in (data_dir, self.vault.paths.config_file, self.vault.paths.state_file)
            if p.exists()
        ]
        missing = [p for p in paths if p not in self._watcher.files() + self._watcher.directories()]
        if missing:
            self._watcher.addPaths(missing)

    @property
    def loading(self) -> bool:
        """Whether the list is not loaded yet, or a reload is reading the disk or filling it."""
        return not self._loaded_once or self._loading or self.model.filling or self._settling

    def reload(self) -> None:
        """Read the config and state again, on a worker (they may have been changed by
        sipstory-keys); ``loaded`` when what was read is shown."""
        self._first_load.stop()
        if self._loading:
            self._load_again = True  # once this read is shown
            return
        self._loading = True
        known = self._signatures
        self._reader.run(lambda: self._read_disk(known), self._show_read, self._read_failed)

    def _read_disk(self, known: tuple[object, object] | None) -> _DiskRead:
        """On a worker: what changed on disk since the last read."""
        paths = self.vault.paths
        read = _DiskRead(file_identity(paths.config_file), file_identity(paths.state_file))
        if known is None or read.config_signature != known[0]:
            read.entries = self.vault.entries()
            read.notices = list(self.vault.notices)
            self.vault.notices.clear()
        state_changed = read.state_signature != (known[1] if known else None)
        if read.entries is not None or (
            state_changed and not self.runner.wrote(read.state_signature)
        ):
            read.state = self.vault.load_state()
        return read

    def _show_read(self, read: _DiskRead) -> None:
        self._loading = False
        self._signatures = (read.config_signature, read.state_signature)
        self.runner.shown_state = read.state_signature  # shown now, or ours, or unchanged
        for notice in read.notices:
            self.banner.show_message(
                Light.AMBER,
                self.tr("Your config was repaired."),
                notice,
                retry=False,
                topic="config",
            )
        if read.entries is not None and not self.model.same_entries(read.entries):
            self.model.set_entries(read.entries, read.state or State())
            return  # _entries_shown follows when the rows are made (filled)
        elif read.state is not None:
            self.model.set_state(read.state)  # sipstory-keys checked, say
        self._entries_shown(reselect=read.entries is not None)

    def _read_failed(self, error: Exception) -> None:
        """A config we cannot read: say so, keep what is shown."""
        self._loading = False
        self.banner.show_message(
            Light.RED,
            self.tr("The config cannot be read."),
            describe_error(error),
            retry=False,
            topic="config",
        )
        self._finish_load()

    def _entries_shown(self, reselect: bool = True) -> None:
        """The rows are in the model: show them now, and select, fill the details and
        the tray in the next turn of the event loop (each turn stays short: 1000 new
        rows take one to lay out and paint)."""
        if reselect:
            self.tree.expandAll()
        self.pages.setCurrentWidget(self.splitter if self.model.entries() else self.empty)
        self._settling = True
        QTimer.singleShot(1, lambda: self._settle(reselect))  # 1 ms: after a paint

    def _settle(self, reselect: bool) -> None:
        self._settling = False
        if reselect and not self._load_again:  # a newer read may hold the entry to select
            self._select(self._selected_id)
        self._update_details()
        self._update_tray()
        self._finish_load()

    def _when_loaded(self, then: Callable[[], None]) -> None:
        """Call ``then`` now if the list is loaded, else once it is."""
        if not self.loading:
            then()
            return

        def once() -> None:
            self.loaded.disconnect(once)
            then()

        self.loaded.connect(once)

    def _finish_load(self) -> None:
        self._loaded_once = True
        self._watch()
        if self._load_again:
            self._load_again = False
            self.reload()
        else:
            self.loaded.emit()

    def _select(self, entry_id: str | None) -> None:
        source = self.model.index_of(entry_id) if entry_id else QModelIndex()
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            first_group = self.proxy.index(0, 0)
            index = self.proxy.index(0, 0, first_group)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self._current_changed(QModelIndex())

    # --- selection and details -------------------------------------------------------------

    def selected_entry(self) -> Entry | None:
        index = self.tree.selectionModel().currentIndex()
        return _entry_at(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = _entry_at(current)
        self._selected_id = entry.id if isinstance(entry, Entry) else self._selected_id
        for action in self.selection_actions:
            action.setEnabled(isinstance(entry, Entry))
        self._update_details()

    def _update_details(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.details.show_entry(None)
            return
        self.details.show_entry(
            entry,
            self.model.result(entry.id),
            self.model.history(entry.id),
            checking=self.model.is_checking(entry.id),
            requests_last_hour=self.model.requests_last_hour(entry.id),
            keyring_name=self._backend.name if self._backend else "",
        )

    def _context_menu(self, position: QPoint) -> None:
        """Right click on an entry: everything that can be done with it."""
        if self.selected_entry() is None:
            return
        menu = QMenu(self)
        menu.addActions([self.test_action, self.edit_action, self.replace_action])
        menu.addSeparator()
        menu.addActions(
            [self.copy_action, self.copy_curl_action, self.copy_env_action, self.reveal_action]
        )
        menu.addSeparator()
        menu.addActions([self.channels_action, self.find_url_action])
        menu.addSeparator()
        menu.addAction(self.remove_action)
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() != Column.ACTION:  # a double click on Test is two tests, not Edit
            self.edit_selected()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self.tree.expandAll()

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # --- checks ----------------------------------------------------------------------------

    def test_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._test(entry)

    def _test_clicked(self, index: QModelIndex) -> None:
        entry = _entry_at(index)
        if entry is not None:
            self._test(entry)

    def _test(self, entry: Entry) -> None:
        """Check one entry; after a 429, only if the user insists."""
        until = held_back_until(self.model.state, entry.id)
        if until is not None and not self._confirm_despite_429(entry, until):
            self._hold_back([entry])
            return
        self.runner.check([entry])

    def _confirm_despite_429(self, entry: Entry, until: datetime) -> bool:
        minutes = max(1, round((until - utc_now()).total_seconds() / 60))
        answer = QMessageBox.question(
            self,
            self.tr("Check “%s” anyway?") % entry.name,
            self.tr(
                "Sipstory answered 429 Too Many Requests for this key's organization and "
                "asked to wait until %s (in %d min). A check now may cost one of its 30 "
                "requests this hour and prolong the wait.\n\nCheck anyway?"
            )
            % (f"{until.astimezone():%H:%M}", minutes),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def check_all(self) -> None:
        """Check every entry, except those held back after a 429; ask first when the
        checks would push an organization over its hourly limit."""
        if self.loading:  # F5 at start: once the list is read
            self._when_loaded(self.check_all)
            return
        entries = self.model.entries()
        if not entries:
            self.statusBar().showMessage(self.tr("Nothing to check yet: add a key first."), 5000)
            return
        state = self.model.state
        held = [e for e in entries if held_back_until(state, e.id) is not None]
        to_send = [e for e in entries if e not in held]
        warnings = forecast(state, to_send)
        if warnings and not self._confirm_over_budget(warnings):
            return
        self._hold_back(held)
        self.runner.check(to_send)

    def _confirm_over_budget(self, warnings: list[BudgetWarning]) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Check all?"),
            self.tr(
                "Checking every key now would go over Sipstory's limit of 30 requests per "
                "hour for some organizations:\n\n%s\n\nCheck all anyway?"
            )
            % "\n".join(f"• {w.message}" for w in warnings),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _hold_back(self, entries: list[Entry]) -> None:
        """Show (and keep) that these entries were not checked, and until when."""
        if not entries:
            return
        state, now = self.model.state, utc_now()
        results = []
        for entry in entries:
            until = held_back_until(state, entry.id, now)
            if until is not None:
                results.append((entry.id, held_back_result(until, now)))
        self.model.set_results(results)
        self.worker.run(lambda: self.vault.record(results), lambda _: None)
        self._update_details()
        self.statusBar().showMessage(
            self.tr("%d key(s) held back after a 429 Too Many Requests: no request sent.")
            % len(results),
            8000,
        )

    def _watch_round(self, entries: list[Entry]) -> int:
        """A round of watching: never a key held back after a 429."""
        state = self.model.state
        return self.runner.check([e for e in entries if held_back_until(state, e.id) is None])

    def _check_started(self, entry_ids: list[str]) -> None:
        self._starting.extend(entry_ids)
        if not self._start_timer.isActive():
            self._start_timer.start()

    def _show_started(self) -> None:
        """Mark the rows of started checks in one go (Check all starts hundreds at once)."""
        started, self._starting = self._starting, []
        started = [entry_id for entry_id in started if self.runner.is_checking(entry_id)]
        self.model.set_checking_many(started)
        if started and not self._spinner.isActive():
            self._spinner.start()
        if self._selected_id in started:
            self._update_details()

    def _check_finished(self, entry_id: str, result: object) -> None:
        """Results are shown in small batches: a redraw per result would stall the window
        when hundreds arrive."""
        if isinstance(result, CheckResult):
            self._arrived[entry_id] = result
            if not self._show_timer.isActive():
                self._show_timer.start()

    def _show_arrived(self) -> None:
        self._show_progress()
        arrived, self._arrived = self._arrived, {}
        before = {entry_id: self.model.result(entry_id) for entry_id in arrived}
        self.model.set_results(list(arrived.items()))
        for entry_id, result in arrived.items():
            previous = before[entry_id]
            if previous is not None and previous.light != result.light:
                self._colour_changed(entry_id, result)
        self._update_tray()
        if self._selected_id in arrived:
            self._update_details()

    def _check_progress(self, done: int, asked: int) -> None:
        """Noted for every result; said at the start, with each batch shown, and at the end."""
        self._progress = (done, asked)
        if done == 0 or done >= asked:
            self._show_progress()

    def _show_progress(self) -> None:
        done, asked = self._progress
        if done < asked:
            self.statusBar().showMessage(self.tr("Checking… %d of %d done") % (done, asked))
        elif asked:
            self.statusBar().showMessage(self.tr("Checked %d key(s).") % asked, 8000)

    def _checks_idle(self) -> None:
        self._show_timer.stop()
        self._show_arrived()
        self._spinner.stop()
        self.tree.viewport().update()

    def _spin(self) -> None:
        self.model.advance_spinner(self._visible_entry_ids())

    def _visible_entry_ids(self) -> list[str]:
        """The entries of the rows in view, top to bottom."""
        ids: list[str] = []
        index = self.tree.indexAt(QPoint(1, 1))
        if not index.isValid():
            return ids
        rows = self.tree.viewport().height() // max(1, self.tree.visualRect(index).height()) + 1
        for _ in range(rows):  # rows are of one height
            entry = _entry_at(index)
            if entry is not None:
                ids.append(entry.id)
            index = self.tree.indexBelow(index)
            if not index.isValid():
                break
        return ids

    def _restyle_list(self) -> None:
        """The list's pictures in its current palette, font and screen resolution."""
        self.model.set_art(CellArt.for_widget(self.tree))
        self.tree.setIconSize(self.model.art.icon_size)
        self.button_delegate.button_size = self.model.art.button_size()
        self.tree.setColumnWidth(Column.ACTION, self.button_delegate.button_size.width() + 8)

    def _tick(self) -> None:
        self.model.refresh_times()

    # --- watching --------------------------------------------------------------------------

    def edit_watch(self) -> None:
        dialog = WatchDialog(self.watcher.settings, self)
        if dialog.exec() == WatchDialog.DialogCode.Accepted:
            settings = dialog.value()
            settings.save(self._settings)
            self._apply_watch(settings)

    def _apply_watch(self, settings: WatchSettings) -> None:
        self.watcher.apply(settings)
        self.tray.set_visible(settings.enabled)
        self._update_tray()
        if settings.enabled:
            self.statusBar().showMessage(
                self.tr("Watching: every %d min, at most %d checks per key per hour.")
                % (settings.interval_minutes, settings.per_key_budget),
                8000,
            )

    def _update_tray(self) -> None:
        statuses, working, total = self.model.summary()  # from the instances' rows: cheap
        self.tray.show_status(
            statuses, self.tr("%s: %d of %d keys working") % (APP_NAME, working, total)
        )

    def _colour_changed(self, entry_id: str, result: CheckResult) -> None:
        entry = self.model.entry(entry_id)
        if entry is None or not (self.watcher.active and self.watcher.settings.notify):
            return
        self.tray.notify(f"{entry.name}: {result.status.label}", result.message, result.light)

    def _show_from_tray(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # --- keyring ---------------------------------------------------------------------------

    def _probe_keyring(self) -> None:
        secrets = self.vault.secrets
        self.worker.run(secrets.backend_info, self._keyring_found, self._keyring_failed)

    def _retry_keyring(self) -> None:
        self.vault.secrets = SecretStore()
        self.keyring_label.setText(self.tr("Looking for the keyring…"))
        self._probe_keyring()

    def _keyring_found(self, info: BackendInfo) -> None:
        self._backend = info
        if not info.available:
            self._keyring_failed(None)
            return
        light = Light.GREEN if info.secure else Light.AMBER
        self.keyring_icon.setPixmap(light_icon(light, 16).pixmap(16, 16))
        secure = self.tr("secure") if info.secure else self.tr("NOT encrypted")
        self.keyring_label.setText(self.tr("Keys in %s (%s)") % (info.name, secure))
        if not info.secure:
            self.banner.show_message(
                Light.AMBER,
                self.tr("Your keys are stored without encryption."),
                self.tr(
                    "The keyring in use, %s, keeps keys in a plain file. Install a system "
                    "keyring (GNOME Keyring, KWallet) and restart."
                )
                % info.name,
                topic="keyring",
            )
        else:
            self.banner.hide_message("keyring")
        self._update_details()
        if self.demo and not self._demo_checked:  # the demo checks everything once
            self._demo_checked = True
            self.check_all()  # once the list is read, if it is not yet

    def _keyring_failed(self, error: Exception | None) -> None:
        self._backend = None
        self.keyring_icon.setPixmap(light_icon(Light.RED, 16).pixmap(16, 16))
        self.keyring_label.setText(self.tr("No keyring"))
        if isinstance(error, SecretStoreError):
            title, hint = error.message, error.hint
        elif error is None:
            title, hint = self.tr("No system keyring is available."), no_keyring_hint()
        else:
            title, hint = self.tr("The keyring could not be opened."), describe_error(error)
        self.banner.show_message(
            Light.RED,
            title,
            hint
            + " "
            + self.tr(
                "Your entries are listed, but keys cannot be stored, read or checked until then."
            ),
            topic="keyring",
        )

    # --- entries ---------------------------------------------------------------------------

    def _existing_names(self, except_id: str | None = None) -> list[str]:
        return [e.name for e in self.model.entries() if e.id != except_id]

    def _open_dialog(
        self, mode: DialogMode, entry: Entry | None, save: Callable[[EntryDraft], Saved]
    ) -> EntryDialog:
        from ..core.checker import check_key
        from .entry.dialog import EntryDialog

        dialog = EntryDialog(
            mode,
            self,
            entry=entry,
            existing_names=self._existing_names(entry.id if entry else None),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved(outcome: Saved) -> None:
            dialog.save_succeeded()
            self._selected_id = outcome.entry.id  # selected when the reload is shown
            self.reload()
            if outcome.notes:
                self.banner.show_message(
                    Light.AMBER,
                    self.tr("Saved, with a note."),
                    "\n".join(outcome.notes),
                    retry=False,
                    topic="saved",
                )
            else:
                self.statusBar().showMessage(self.tr("Saved “%s”.") % outcome.entry.name, 5000)

        dialog.save_requested.connect(
            lambda draft: self.worker.run(
                lambda: save(draft), saved, lambda error: dialog.save_failed(describe_error(error))
            )
        )
        dialog.find_url_requested.connect(lambda address: self._find_for_dialog(dialog, address))
        dialog.check_requested.connect(
            lambda base_url, key: self.worker.run(
                lambda: check_key(self.runner.http_client(), base_url, key),
                dialog.show_check_result,
                lambda error: dialog.save_failed(describe_error(error)),
            )
        )
        dialog.open()
        return dialog

    def add_entry(self) -> EntryDialog:
        from .entry.draft import DialogMode

        def save(draft: EntryDraft) -> Saved:
            assert draft.key is not None
            return self.vault.add(draft.name, draft.kind, draft.where, draft.key, draft.note)

        return self._open_dialog(DialogMode.ADD, None, save)

    def edit_selected(self) -> EntryDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None
        from .entry.draft import DialogMode

        return self._open_dialog(
            DialogMode.EDIT,
            entry,
            lambda draft: self.vault.edit(
                entry.id, name=draft.name, kind=draft.kind, where=draft.where, note=draft.note
            ),
        )

    def replace_selected(self) -> EntryDialog | None:
        entry = self.selected_entry()
        if entry is None:
            return None

        def save(draft: EntryDraft) -> Saved:
            assert draft.key is not None
            saved = self.vault.replace_key(entry.id, draft.key)
            self.runner.forget_key(entry.id)  # a check of it still queued reads the new key
            return saved

        from .entry.draft import DialogMode

        return self._open_dialog(DialogMode.REPLACE_KEY, entry, save)

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove “%s”?") % entry.name,
            self.tr(
                "Remove “%s” (%s) and delete its key from the keyring?\n\nThe key itself "
                "stays valid in Sipstory until you rotate it there."
            )
            % (entry.name, entry.base_url),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.worker.run(
            lambda: self.vault.remove(entry.id),
            lambda _: self._removed(entry),
            lambda error: self._failed(self.tr("Could not remove the entry"), error),
        )

    def _removed(self, entry: Entry) -> None:
        self._selected_id = None
        self.reload()
        self.statusBar().showMessage(
            self.tr("Removed “%s” and deleted its key.") % entry.name, 5000
        )

    def _failed(self, what: str, error: Exception) -> None:
        self.reload()
        QMessageBox.warning(self, what, describe_error(error))

    def _with_key(self, then: Callable[[str], None]) -> None:
        entry = self.selected_entry()
        if entry is None:
            return

        def arrived(key: str | None) -> None:
            if key is None:
                QMessageBox.warning(
                    self,
                    self.tr("No key stored"),
                    self.tr("The keyring holds no key for “%s”. Use Replace key to store it again.")
                    % entry.name,
                )
            else:
                then(key)

        self.worker.run(
            lambda: self.vault.secrets.get(entry.id),
            arrived,
            lambda error: self._failed(self.tr("Could not read the key"), error),
        )

    def copy_selected(self) -> None:
        self._with_key(lambda key: self._copy_secret(key, self.tr("Key")))

    def copy_as_curl(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._with_key(
                lambda key: self._copy_secret(
                    curl_command(entry.base_url, key), self.tr("A curl command with the key")
                )
            )

    def copy_as_environment(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self._with_key(
                lambda key: self._copy_secret(
                    environment_line(entry.base_url, key),
                    self.tr("An environment line with the key"),
                )
            )

    def _copy_secret(self, text: str, what: str) -> None:
        """Put text holding a key on the clipboard, and take it off again after 30 s
        unless something else was copied meanwhile."""
        QGuiApplication.clipboard().setText(text)
        self._clipboard_digest = _digest(text)
        self._clipboard_timer.start()
        self.statusBar().showMessage(
            self.tr("%s copied. It will be cleared from the clipboard in 30 s.") % what, 8000
        )

    def _clear_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._clipboard_digest and _digest(clipboard.text()) == self._clipboard_digest:
            clipboard.clear()
            self.statusBar().showMessage(self.tr("The key was cleared from the clipboard."), 5000)
        self._clipboard_digest = None

    def reveal_selected(self) -> None:
        self._with_key(self.details.reveal_key)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About %s") % APP_NAME,
            self.tr(
                "<h3>%s %s</h3><p>Keep your Sipstory API keys in the system keyring and see at "
                "a glance which ones work.</p><p>Application id: %s</p>"
            )
            % (APP_NAME, __version__, APP_ID),
        )

    # --- channels, API URL, import and export, orphans -----------------------------------

    def show_channels(self) -> None:
        """The organization's channels: the cached list, and a fetch on demand (1 request)."""
        entry = self.selected_entry()
        if entry is None:
            return
        from ..core.checker import keyring_error_result
        from .channels_dialog import ChannelsDialog

        dialog = ChannelsDialog(entry.name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show_cache(self.model.state.channels.get(entry.id))

        def fetch() -> ChannelsResult:
            key = self.vault.secrets.get(entry.id)
            if key is None:
                raise EntryError(self.tr("The keyring holds no key for this entry."))
            fetched = fetch_channels(self.runner.http_client(), entry.base_url, key)
            self.vault.save_channels(entry.id, fetched)
            return fetched

        def fetched(result: ChannelsResult) -> None:
            self.model.set_results([(entry.id, result.check)])
            if not isValid(dialog):  # closed meanwhile
                return
            if result.cache is not None:
                dialog.show_cache(result.cache)
            else:
                dialog.show_failure(result.check)

        def failed(error: Exception) -> None:
            if not isValid(dialog):
                return
            dialog.set_busy(False)
            if isinstance(error, SecretStoreError):
                dialog.show_failure(keyring_error_result(error))
            else:
                dialog.show_failure(
                    CheckResult(
                        Status.NO_SECRET,
                        describe_error(error),
                        self.tr("Use Replace key to store it."),
                        request_sent=False,
                    )
                )

        def refresh() -> None:
            until = held_back_until(self.model.state, entry.id)
            if until is not None and not self._confirm_despite_429(entry, until):
                return
            dialog.set_busy(True)
            self.worker.run(fetch, fetched, failed)

        dialog.refresh_requested.connect(refresh)
        dialog.open()

    def find_api_url(self) -> None:
        """Probe the likely API bases of the entry's instance; offer to fix the entry."""
        entry = self.selected_entry()
        if entry is None:
            return
        from .entry.server import instance_address_of
        from .find_url_dialog import FindUrlDialog

        address = instance_address_of(entry.base_url)
        dialog = FindUrlDialog(address, self, current_base_url=entry.base_url)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._search_api_url(dialog, address)
        dialog.search_requested.connect(lambda address: self._search_api_url(dialog, address))
        dialog.use_requested.connect(lambda url: self._use_base_url(entry, url))
        dialog.open()

    def _find_for_dialog(self, entry_dialog: EntryDialog, address: str) -> None:
        """Find API URL for an address typed in the add or edit dialog."""
        from .find_url_dialog import FindUrlDialog

        dialog = FindUrlDialog(address, entry_dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._search_api_url(dialog, address)
        dialog.search_requested.connect(lambda again: self._search_api_url(dialog, again))
        dialog.use_requested.connect(entry_dialog.use_base_url)
        dialog.open()

    def _search_api_url(self, dialog: FindUrlDialog, address: str) -> None:
        # Probes arrive from pool threads, one by one, through a relay the window owns: the
        # dialog may be closed (and deleted) before the search ends.
        from ..core.find_url import FindResult, find_api_url

        relay = _ProbeRelay(self)
        relay.probed.connect(dialog.probe_done)

        def finished(result: object) -> None:
            relay.deleteLater()
            if isValid(dialog) and isinstance(result, FindResult):
                dialog.search_finished(result)

        def failed(error: Exception) -> None:
            relay.deleteLater()
            if isValid(dialog):
                dialog.set_warning(describe_error(error))

        self.worker.run(
            lambda: find_api_url(self.runner.http_client(), address, on_probe=relay.probed.emit),
            finished,
            failed,
        )

    def _use_base_url(self, entry: Entry, base_url: str) -> None:
        def saved(outcome: Saved) -> None:
            self.reload()
            self.statusBar().showMessage(
                self.tr("“%s” now uses %s.") % (outcome.entry.name, base_url), 8000
            )

        self.worker.run(
            lambda: self.vault.edit(entry.id, kind=EntryKind.CUSTOM, where=base_url),
            saved,
            lambda error: self._failed(self.tr("Could not change the entry"), error),
        )

    def export_entries(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export entries (without keys)"),
            "sipstory-entries.json",
            self.tr("JSON files (*.json)"),
        )
        if not path:
            return
        self.worker.run(
            lambda: Path(path).write_bytes(self.vault.export()),
            lambda _: self.statusBar().showMessage(
                self.tr("Exported the entries, without their keys, to %s.") % path, 8000
            ),
            lambda error: self._failed(self.tr("Could not export"), error),
        )

    def import_entries(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import entries"), "", self.tr("JSON files (*.json);;All files (*)")
        )
        if not path:
            return

        from ..core.transfer import MAX_EXPORT_BYTES

        def preview() -> ImportPlan:
            with Path(path).open("rb") as source:
                return self.vault.preview_import(source.read(MAX_EXPORT_BYTES + 1))

        self.worker.run(
            preview,
            self._show_import,
            lambda error: self._failed(self.tr("Could not read the export"), error),
        )

    def _show_import(self, plan: ImportPlan) -> None:
        from .import_dialog import ImportDialog

        dialog = ImportDialog(plan, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def imported(outcome: ImportOutcome) -> None:
            if isValid(dialog):
                dialog.show_outcome(outcome)
            self.reload()
            if outcome.needs_key:
                self.banner.show_message(
                    Light.AMBER,
                    self.tr("Imported entries have no key yet."),
                    self.tr("Select each of them and use Replace key: %s.")
                    % ", ".join(outcome.needs_key),
                    retry=False,
                    topic="import",
                )

        dialog.import_requested.connect(
            lambda choices: self.worker.run(
                lambda: self.vault.import_entries(plan, choices),
                imported,
                lambda error: dialog.show_error(describe_error(error)),
            )
        )
        dialog.open()

    def clean_orphans(self) -> None:
        def show(orphans: list[str]) -> None:
            from .orphans_dialog import OrphansDialog

            dialog = OrphansDialog(orphans, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def delete(ids: list[str]) -> list[str]:
                for entry_id in ids:
                    self.vault.remove_orphan(entry_id)
                return ids

            dialog.delete_requested.connect(
                lambda ids: self.worker.run(
                    lambda: delete(list(ids)),
                    dialog.show_deleted,
                    lambda error: dialog.show_error(describe_error(error)),
                )
            )
            dialog.open()

        self.worker.run(
            self.vault.orphans,
            show,
            lambda error: self._failed(self.tr("Could not read the keyring"), error),
        )

    # --- layout and quitting ---------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        header = self._settings.value("window/header")
        if isinstance(header, QByteArray):
            self.tree.header().restoreState(header)
        splitter = self._settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_layout(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/header", self.tree.header().saveState())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The list's tooltips, made when asked (the model keeps none)."""
        if event.type() == QEvent.Type.ToolTip and watched is self.tree.viewport():
            assert isinstance(event, QHelpEvent)
            index = self.tree.indexAt(event.pos())
            text = self.model.tooltip(self.proxy.mapToSource(index))
            if text:
                QToolTip.showText(event.globalPos(), text, watched, self.tree.visualRect(index))
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._restyle_list()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:  # the window shows first; the list and the keyring after
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        handle = self.windowHandle()
        if handle is not None:  # moved to a screen of another resolution: sharp pictures
            handle.screenChanged.connect(lambda _screen: self._restyle_list())
        self._restyle_list()  # the screen is known now
        if self._signatures is None and not self._loading:
            self.reload()
        self._probe_keyring()

    def quit(self) -> None:
        """Quit for real, even while watching from the tray."""
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit after cancelling queued checks and waiting for the running ones; while
        watching with a tray icon, closing the window only hides it."""
        self._save_layout()
        if self.watcher.active and self.tray.icon.isVisible() and not self._quitting:
            self.hide()
            event.ignore()
            self.tray.notify(
                APP_NAME,
                self.tr("Still watching your keys from the tray. Quit from its menu."),
                self.tray.light,
            )
            return
        self.tray.set_visible(False)
        if self.runner.active:
            self.statusBar().showMessage(self.tr("Finishing the running checks…"))
            self.hide()
        self.runner.shutdown()
        self.worker.wait()
        self._reader.wait()
        self._clear_clipboard()
        super().closeEvent(event)


class _ProbeRelay(QObject):
    """Carries find-url probes from pool threads to the GUI thread (queued signal)."""

    probed = Signal(object)
