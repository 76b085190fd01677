"""The main window: every key's state at a glance, and a fix one click away.

A thin shell: it makes the parts, lays out their widgets and wires their signals. What
each part does is in its own module (docs/architecture.md has the map):

- :mod:`.entry_list` the list and its selection, :mod:`.details` the pane beside it;
- :mod:`.actions` the table of actions, with the menus, toolbar and context menu;
- :mod:`.list_loader` reading the list from disk, again when it changes;
- :mod:`.check_controller` check one, check all, watch rounds, over :mod:`.check_session`;
- :mod:`.keyring_status` the keyring probe and its banner;
- :mod:`.watch_mode` watching and the tray;
- :mod:`.entry_commands`, :mod:`.key_commands`, :mod:`.tool_commands`,
  :mod:`.terminal_commands`: what opens dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import APP_NAME
from ..core.checker import has_no_key
from ..core.entries import Entry
from ..core.status import Status
from ..core.vault import Vault
from .actions import WindowActions
from .banner import Banner
from .check_controller import CheckController
from .check_session import CheckSession
from .details import DetailsPane
from .empty_state import EmptyState
from .entry_commands import EntryCommands
from .entry_list import COLUMN_WIDTHS, EntryListView, FilterField
from .entry_model import EntryModel
from .key_commands import KeyCommands
from .keyring_status import KeyringStatus
from .list_loader import ListLoader
from .terminal_commands import TerminalCommands
from .tool_commands import ToolCommands
from .watch_mode import WatchMode
from .window_context import WindowContext
from .window_fit import ColumnFit, SplitterFit
from .window_layout import WindowLayout
from .workers import Worker

if TYPE_CHECKING:
    from ..core.client import ApiClient

CLOCK_INTERVAL_MS = 30_000  # "3 min ago" brought up to date


class MainWindow(QMainWindow):
    """The window over a :class:`Vault`.

    Args:
        vault: the entries, keys and state to show.
        demo: a demo session (shown in the title; checks everything once at start).
        on_try_demo: what "Try the demo" does (the app starts the demo in a new process).
        client: the HTTP client of the checks (made at the first check when None).
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
        self._demo_checked = False
        self._quitting = False
        self._painted = False  # the keyring is probed after the first paint (paintEvent)
        self.setObjectName("main-window")
        self.setWindowTitle(APP_NAME + (self.tr(" — Demo") if demo else ""))
        self._settings = QSettings(
            str(vault.paths.data_dir / "window.ini"), QSettings.Format.IniFormat
        )

        self.worker = Worker(2, self)  # keyring and config: add, edit, remove, copy, probe
        self.session = CheckSession(vault, client, parent=self)
        self.model = EntryModel(
            self, checking=self.session.checking, running=self.session.running_checks
        )
        self.entry_list = EntryListView(self.model)
        self.details = DetailsPane()
        self.banner = Banner()
        self.loader = ListLoader(vault, self.model, self.session, self.banner, self)
        self.context = WindowContext(
            self, vault, self.worker, self.model, self.session, self.banner, self.entry_list,
            self.loader,
        )  # fmt: skip
        self.window_actions = WindowActions(self)
        self.checks = CheckController(self.context)
        self.keyring = KeyringStatus(vault, self.worker, self.banner, self)
        self.watch = WatchMode(
            self, self.model, self._settings, self.checks.watch_round, self.context.say
        )
        self.entry_commands = EntryCommands(self.context)
        self.key_commands = KeyCommands(self.context, self.details.reveal_key)
        self.tools = ToolCommands(self.context, self.checks)
        self.terminal = TerminalCommands(self.context)
        self.empty = EmptyState(self.entry_commands.add, on_try_demo)

        self._lay_out()
        self._wire()
        self.layout_kept = WindowLayout(
            self._settings, self, self.entry_list.header(), self.splitter
        )
        self.layout_kept.restore()
        self.column_fit = ColumnFit(self.entry_list, self._settings, dict(COLUMN_WIDTHS))
        self.splitter_fit = SplitterFit(
            self.splitter, self.column_fit, self._details_area, self.details.set_wide
        )
        # Until the list is read (on a worker, from the first paint on), the page is a
        # guess: the list if there is a config, else the empty state.
        self.pages.setCurrentWidget(
            self.splitter if vault.paths.config_file.exists() else self.empty
        )
        self.entry_list.setFocus()  # so that Ctrl+C and Delete act on the list from the start

    # --- building --------------------------------------------------------------------------

    def _lay_out(self) -> None:
        self.window_actions.fill_menu_bar(self.menuBar())
        self.filter_edit = FilterField()
        self.addToolBar(self.window_actions.toolbar(self, self.filter_edit))
        self.entry_list.addActions(self.window_actions.list_actions())

        self._details_area = details_area = QScrollArea()  # a short window scrolls it
        details_area.setWidget(self.details)
        details_area.setWidgetResizable(True)
        details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wraps
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        details_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what it shows
        details_area.setAccessibleName(self.tr("Details"))
        details_area.setMinimumWidth(320)
        self.splitter = QSplitter()
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.entry_list)
        self.splitter.addWidget(details_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1120, 360])
        self.pages = QStackedWidget()
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.splitter)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.keyring.icon)
        self.statusBar().addPermanentWidget(self.keyring.label)

    def _wire(self) -> None:
        entries, keys, tools = self.entry_commands, self.key_commands, self.tools
        self.window_actions.connect_slots(
            {
                "add": entries.add,
                "check_all": self._check_all_or_stop,
                "check": self.check_selected,
                "edit": entries.edit,
                "replace_key": entries.replace_key,
                "remove": entries.remove,
                "copy_key": keys.copy_key,
                "reveal_key": keys.reveal,
                "copy_curl": keys.copy_curl,
                "copy_environment": keys.copy_environment,
                "channels": tools.channels,
                "find_url": tools.find_url,
                "export": tools.export,
                "import": tools.import_,
                "import_env": self.terminal.import_env,
                "use_in_terminal": self.terminal.use_in_terminal,
                "orphans": tools.orphans,
                "filter": self.filter_edit.take_focus,
                "quit": self.quit,
                "watch": self.watch.edit,
                "about": tools.about,
            }
        )
        self.details.action_requested.connect(lambda name: self.window_actions[name].trigger())
        self.details.undo_replace_requested.connect(entries.undo_replace)
        self.entry_list.selected.connect(self._selected)
        self.entry_list.check_clicked.connect(self.checks.check)
        self.entry_list.edit_requested.connect(entries.edit)
        self.entry_list.customContextMenuRequested.connect(self._context_menu)
        self.filter_edit.textChanged.connect(self.entry_list.set_filter_text)
        self.loader.shown.connect(self._list_shown)
        self.loader.settled.connect(self._list_settled)
        self.loader.loaded.connect(self.loaded.emit)
        self.checks.rows_changed.connect(self._rows_changed)
        self.window_actions.check_all_while_running.triggered.connect(self.check_all)
        self.session.started.connect(lambda _ids: self._run_changed())
        self.session.idle.connect(self._run_changed)
        self.checks.colour_changed.connect(self.watch.notify_colour)
        self.keyring.changed.connect(self._keyring_changed)
        self.keyring.unlocked.connect(self._recheck_unreadable)
        self.watch.tray.check_all_requested.connect(self.check_all)
        self.watch.tray.quit_requested.connect(self.quit)
        entries.find_url_requested.connect(tools.find_url_for)
        tools.use_base_url.connect(entries.use_base_url)
        self._clock = QTimer(self, interval=CLOCK_INTERVAL_MS)
        self._clock.timeout.connect(self.model.refresh_times)
        self._clock.start()

    # --- what the parts say ----------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def reload(self) -> None:
        self.loader.reload()

    def check_all(self) -> None:
        self.checks.check_all()

    def _check_all_or_stop(self) -> None:
        """The Check all button (F5), which is Stop (Esc) while checks run."""
        if self.session.active:
            self.checks.stop()
        else:
            self.checks.check_all()

    def _run_changed(self) -> None:
        self.window_actions.show_run(self.session.active)

    def selected_entry(self) -> Entry | None:
        return self.entry_list.selected_entry()

    def check_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.checks.check(entry)

    def _selected(self, entry: Entry | None) -> None:
        self.window_actions.set_entry_selected(entry is not None)
        self._update_details()

    def _rows_changed(self, entry_ids: list[str]) -> None:
        self.keyring.notice_results(self.model.result(entry_id) for entry_id in entry_ids)
        self.watch.update_tray()
        if self.entry_list.selected_id in entry_ids:
            self._update_details()

    def _list_shown(self, reselect: bool) -> None:
        if reselect:
            self.entry_list.expand_groups()
        self.pages.setCurrentWidget(self.splitter if self.model.entries() else self.empty)

    def _list_settled(self, reselect: bool) -> None:
        if reselect:
            self.entry_list.reselect()
        self._update_details()
        self.watch.update_tray()

    def _keyring_changed(self) -> None:
        self._update_details()
        if self.demo and self.keyring.backend and not self._demo_checked:
            self._demo_checked = True  # the demo checks everything once
            self.check_all()  # once the list is read, if it is not yet

    def _recheck_unreadable(self) -> None:
        """The keyring was unlocked: check again what it could not answer for."""
        unreadable = [
            entry
            for entry in self.model.entries()
            if (result := self.model.result(entry.id)) is not None
            and result.status is Status.KEYRING_ERROR
        ]
        self.checks.check_entries(unreadable)

    def _update_details(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.details.show_entry(None)
            return
        self.details.show_entry(
            entry,
            self.model.result(entry.id),
            self.model.history(entry.id),
            checking=self.session.is_checking(entry.id),
            queued=entry.id not in self.session.running_checks,
            requests_last_hour=self.model.requests_last_hour(entry.id),
            hourly_limit=self.model.hourly_limit(entry.id),
            no_key=has_no_key(self.model.state, entry),
            can_undo_replace=entry.id in self.entry_commands.replaced,
            keyring_name=self.keyring.name,
        )

    def _context_menu(self, position: QPoint) -> None:
        """Right click on an entry: everything that can be done with it."""
        if self.selected_entry() is not None:
            menu = self.window_actions.context_menu(self)
            menu.exec(self.entry_list.viewport().mapToGlobal(position))

    # --- layout, first paint and quitting --------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # dark or light now
            self._restyle()

    def _restyle(self) -> None:
        """The pictures in the current palette and at the screen's resolution."""
        self.entry_list.restyle()
        self.keyring.restyle()
        self._update_details()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:  # the window shows first; the list and the keyring after
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        handle = self.windowHandle()
        if handle is not None:  # moved to a screen of another resolution: sharp pictures
            handle.screenChanged.connect(lambda _screen: self._restyle())
        self._restyle()  # the screen is known now
        if self.loader.never_read:
            self.loader.reload()
        self.keyring.probe()

    def quit(self) -> None:
        """Quit for real, even while watching from the tray. Qt ends the app when its last
        visible window closes: a window hidden to the tray must end it here."""
        self._quitting = True
        hidden = not self.isVisible()
        if self.close() and hidden:
            QCoreApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit after cancelling queued checks and waiting for the running ones; while
        watching, closing the window hides it to the tray, or minimises it once where
        there is no tray (:meth:`WatchMode.keep_on_close`)."""
        self.layout_kept.save()
        self.column_fit.save()
        if not self._quitting and self.watch.keep_on_close():
            event.ignore()
            return
        self.watch.shutdown()
        self.keyring.cancel_unlock()  # a keyring prompt still open is dismissed: no wait
        if self.session.active:
            self.statusBar().showMessage(self.tr("Finishing the running checks…"))
            self.hide()
        self.session.shutdown()
        self.worker.wait()
        self.loader.reader.wait()
        self.key_commands.clipboard.clear()
        self.entry_commands.replaced.wipe()  # the keys kept for Undo replace: memory only
        super().closeEvent(event)
