"""Reading the list: the config and state files read on a worker, again whenever they
change on disk (``sipstory-keys`` may write them while the window is open)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ..core.entries import Entry
from ..core.fileio import FileIdentity, file_identity
from ..core.state import State
from ..core.status import Light
from ..core.vault import Vault
from .banner import Banner
from .check_session import CheckSession
from .entry_model import EntryModel
from .result_texts import translated
from .workers import Worker, describe_error

RELOAD_DELAY_MS = 250
FIRST_LOAD_LATEST_MS = 300  # a window never painted (hidden) reads its list after this


@dataclass
class DiskRead:
    """The config and state as a worker read them for :meth:`ListLoader.reload`.

    ``entries`` is None when the config had not changed since the last read, ``state``
    when the state file had not changed either (or holds only our own saves)."""

    config_signature: FileIdentity | None
    state_signature: FileIdentity | None
    entries: list[Entry] | None = None
    state: State | None = None
    notices: list[str] = field(default_factory=list)


class ListLoader(QObject):
    """Fills the model from disk, on its own worker (never behind a keyring prompt).

    Signals:
        shown(bool): what was read is in the model; True when the entries were read (the
            selection is to be made again), False when only results changed.
        settled(bool): a turn later (each turn stays short), the time to select and fill
            what depends on the list; the same flag.
        loaded(): a reload is done: the entries and results on disk are shown.
    """

    shown = Signal(bool)
    settled = Signal(bool)
    loaded = Signal()

    def __init__(
        self,
        vault: Vault,
        model: EntryModel,
        session: CheckSession,
        banner: Banner,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._vault = vault
        self._model = model
        self._session = session
        self._banner = banner
        self.reader = Worker(1, self)
        self._signatures: tuple[object, object] | None = None  # of the files last read
        self._loading = self._load_again = self._settling = self._loaded_once = False
        self._read_filling = False  # the rows being made are a read's (not a local edit's)
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self._files = QFileSystemWatcher(self)
        self._files.directoryChanged.connect(lambda _: self._reload_timer.start())
        self._files.fileChanged.connect(lambda _: self._reload_timer.start())
        self._first_load = QTimer(self, singleShot=True, interval=FIRST_LOAD_LATEST_MS)
        self._first_load.timeout.connect(self.reload)
        self._first_load.start()
        model.filled.connect(self._filled)

    @property
    def loading(self) -> bool:
        """Whether the list is not loaded yet, or a reload is reading the disk or filling it."""
        return not self._loaded_once or self._loading or self._model.filling or self._settling

    @property
    def never_read(self) -> bool:
        return self._signatures is None and not self._loading

    def reload(self) -> None:
        """Read the config and state again, on a worker; ``loaded`` when what was read is
        shown."""
        self._first_load.stop()
        if self._loading:
            self._load_again = True  # once this read is shown
            return
        self._loading = True
        known = self._signatures
        self.reader.run(lambda: self._read_disk(known), self._show_read, self._read_failed)

    def when_loaded(self, then: Callable[[], None]) -> None:
        """Call ``then`` now if the list is loaded, else once it is."""
        if not self.loading:
            then()
            return

        def once() -> None:
            self.loaded.disconnect(once)
            then()

        self.loaded.connect(once)

    def _read_disk(self, known: tuple[object, object] | None) -> DiskRead:
        """On a worker: what changed on disk since the last read."""
        paths = self._vault.paths
        read = DiskRead(file_identity(paths.config_file), file_identity(paths.state_file))
        if known is None or read.config_signature != known[0]:
            read.entries = self._vault.entries()
            read.notices = list(self._vault.notices)
            self._vault.notices.clear()
        state_changed = read.state_signature != (known[1] if known else None)
        if read.entries is not None or (
            state_changed and not self._session.wrote(read.state_signature)
        ):
            read.state = self._vault.load_state()
        return read

    def _show_read(self, read: DiskRead) -> None:
        self._loading = False
        self._signatures = (read.config_signature, read.state_signature)
        self._session.showing(read.state_signature)  # shown now, or ours, or unchanged
        for notice in read.notices:
            self._banner.show_message(
                Light.AMBER,
                self.tr("Your config was repaired."),
                translated(notice),
                retry=False,
                topic="config",
            )
        if read.entries is not None and not self._model.same_entries(read.entries):
            self._read_filling = True
            self._model.set_entries(read.entries, read.state or State())
            return  # _filled follows when the rows are made
        if read.state is not None:
            self._model.set_state(read.state)  # sipstory-keys checked, say
        self._rows_shown(reselect=read.entries is not None)

    def _read_failed(self, error: Exception) -> None:
        """A config we cannot read: say so, keep what is shown."""
        self._loading = False
        self._banner.show_message(
            Light.RED,
            self.tr("The config cannot be read."),
            describe_error(error),
            retry=False,
            topic="config",
        )
        self._finish()

    def _filled(self) -> None:
        """New rows are in the model: a read's, or a local edit's (a save shown at once,
        :meth:`EntryModel.put_entry`), which is shown and selected but is no read."""
        read, self._read_filling = self._read_filling, False
        self._rows_shown(reselect=True, read=read)

    def _rows_shown(self, reselect: bool, read: bool = True) -> None:
        """The rows are in the model: shown now; selecting and what depends on the list
        follow in the next turn of the event loop (1000 new rows take one to lay out)."""
        self.shown.emit(reselect)
        self._settling = True
        # 1 ms: after a paint; with the loader as context, so that a window closed (and
        # deleted) before then has nothing called on its deleted parts
        QTimer.singleShot(1, self, lambda: self._settle(reselect, read))

    def _settle(self, reselect: bool, read: bool) -> None:
        self._settling = False
        self.settled.emit(reselect and not self._load_again)  # a newer read may select
        if read:
            self._finish()

    def _finish(self) -> None:
        self._loaded_once = True
        self._watch_files()
        if self._load_again:
            self._load_again = False
            self.reload()
        else:
            self.loaded.emit()

    def _watch_files(self) -> None:
        data_dir = self._vault.paths.data_dir
        try:  # a fresh home has no folder yet: make it, so sipstory-keys' first add is seen
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        paths = [
            str(p)
            for p in (data_dir, self._vault.paths.config_file, self._vault.paths.state_file)
            if p.exists()
        ]
        watched = self._files.files() + self._files.directories()
        missing = [p for p in paths if p not in watched]
        if missing:
            self._files.addPaths(missing)
