"""The entry list as a two-level tree: instances, and the keys that belong to each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ..core.budget import limit_of, shown_used
from ..core.entries import Entry
from ..core.state import State
from ..core.status import CheckResult, Status
from ..core.times import utc_now
from ..core.urls import CLOUD_BASE_URL, Origin, origin_of
from .cell_art import CellArt
from .entry_cells import Group, fill_entry_row, fill_group_row, make_entry_row, show_checking
from .entry_texts import cell_tooltip, instance_label, spoken_texts
from .roles import Column, Role
from .status_texts import QT_TRANSLATE_NOOP

_CLOUD_ORIGIN = origin_of(CLOUD_BASE_URL)
_COLUMNS = len(Column)

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class _Build:
    """A new set of rows made a few at a time, off the model, then swapped in at once."""

    groups: list[Group]
    rows: dict[str, list[QStandardItem]]
    group_of: dict[str, Group]
    todo: list[tuple[Group, Entry]]
    made_in: tuple[int, Qt.SortOrder] | None  # the order the rows were made in


_DECORATION = Qt.ItemDataRole.DecorationRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole


class EntryModel(QStandardItemModel):
    """Entries grouped by instance (Sipstory Cloud first), with their last results.

    What every cell shows (its text, and its picture from :class:`CellArt`: the light or
    spinner, the history's bars, the Check button) is computed in Python when something
    changes and kept in Qt's items, so that painting the list never calls back into
    Python: while worker threads hold the interpreter, every such call would make the
    window wait. Tooltips, read only on hover, are computed when asked (:meth:`tooltip`).

    Thousands of rows take a while to make (docs/benchmarks.md): :meth:`set_entries` makes
    at most :attr:`ROWS_PER_TURN` of them per turn of the event loop, off the model, and
    swaps the new rows in at once (``filled`` then); refreshing every row goes by the
    same steps. Sorting is done here, in C++ (:meth:`sort_entries`), never by comparing
    rows in Python.

    Signals:
        filled(): the rows of the last :meth:`set_entries` are all shown.
    """

    filled = Signal()

    ROWS_PER_TURN = 40

    HEADERS: ClassVar[dict[Column, str]] = {
        Column.LIGHT: QT_TRANSLATE_NOOP("EntryModel", "Status"),
        Column.NAME: QT_TRANSLATE_NOOP("EntryModel", "Name"),
        Column.INSTANCE: QT_TRANSLATE_NOOP("EntryModel", "Instance / path"),
        Column.KEY: QT_TRANSLATE_NOOP("EntryModel", "Key"),
        Column.CHECKED: QT_TRANSLATE_NOOP("EntryModel", "Last checked"),
        Column.LATENCY: QT_TRANSLATE_NOOP("EntryModel", "Latency"),
        Column.BUDGET: QT_TRANSLATE_NOOP("EntryModel", "Last hour"),
        Column.HISTORY: QT_TRANSLATE_NOOP("EntryModel", "History"),
        Column.ACTION: "",
    }

    def __init__(
        self,
        parent: QObject | None = None,
        art: CellArt | None = None,
        checking: Set[str] | None = None,
        running: Set[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._art = art
        self.setColumnCount(_COLUMNS)
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("EntryModel", self.HEADERS[column]) for column in Column]
        )
        self.setHeaderData(  # the Check buttons' column shows no title, but has a name
            Column.ACTION, Qt.Orientation.Horizontal, self.tr("Check"), _ACCESSIBLE
        )
        self.setSortRole(Role.SORT)
        self._groups: list[Group] = []
        self._rows: dict[str, list[QStandardItem]] = {}
        self._group_of: dict[str, Group] = {}
        self._state = State()
        # The entries being checked, as the check session records them: only read here.
        self._checking: Set[str] = set() if checking is None else checking
        # Of those, the ones whose request is on its way (the others wait their turn);
        # without that record, every entry being checked counts as running.
        self._running: Set[str] = self._checking if running is None else running
        self._now = utc_now()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._build: _Build | None = None
        self._stale: list[str] = []  # rows still to refresh, a few per turn
        self._started: list[str] = []  # rows still to show as being checked
        self._spinner_frame = 0
        self._spoken = spoken_texts()
        # 1 ms, not 0: zero timers can run back to back, before paints and other timers
        self._turn = QTimer(self, singleShot=True, interval=1)
        self._turn.timeout.connect(self._next_turn)

    @property
    def art(self) -> CellArt:
        """The pictures of the cells (the application's look until :meth:`set_art`)."""
        if self._art is None:
            self._art = CellArt.for_application()
        return self._art

    def set_art(self, art: CellArt) -> None:
        """Draw the cells with ``art`` (the view's palette or screen changed)."""
        if self._art is not None and self._art.same_look(art):
            return
        self._art = art
        self.refresh_times()

    # --- feeding ---------------------------------------------------------------------------

    def set_entries(self, entries: list[Entry], state: State) -> None:
        """Show ``entries`` and the results in ``state``: the rows already shown stay
        until the new ones are all made (``filled``); a few entries are shown at once."""
        known = {e.id: e for e in self.entries()}
        moved = [e.id for e in entries if e.id in known and known[e.id].base_url != e.base_url]
        self._state.forget_results(moved)  # of their old base URLs: stale (Vault.edit)
        for entry in entries:  # a new key: what a check found without one no longer holds
            if entry.id in known and known[entry.id].key_hint != entry.key_hint:
                self._state.unsent.pop(entry.id, None)
        self._state = state.with_newer_results_of(self._state)
        self._now = utc_now()
        groups: dict[Origin, Group] = {}
        for entry in entries:
            origin = origin_of(entry.base_url)
            if origin not in groups:
                groups[origin] = Group(origin, instance_label(origin))
            groups[origin].entries.append(entry)
        ordered = sorted(
            groups.values(), key=lambda g: (g.origin != _CLOUD_ORIGIN, g.label.casefold())
        )
        by_name = self._sort is not None and self._sort[0] == Column.NAME
        for group in ordered:
            group.items = [QStandardItem() for _ in Column]
            if by_name:  # made in that order: no jump when they are shown
                descending = self._sort[1] == Qt.SortOrder.DescendingOrder  # type: ignore[index]
                group.entries.sort(key=lambda e: e.name.casefold(), reverse=descending)
        self._build = _Build(
            ordered,
            {},
            {},
            [(group, entry) for group in ordered for entry in group.entries],
            self._sort if by_name else None,
        )
        self._stale, self._started = [], []
        if len(self._build.todo) <= self.ROWS_PER_TURN:
            self._next_turn()  # a few: shown at once
        elif not self._turn.isActive():
            self._turn.start()  # from the next turn on: this one has grouped them

    def _next_turn(self) -> None:
        """One turn's share of the pending work: new rows first, then stale ones."""
        if self._build is not None:
            self._build_some(self._build)
        elif self._started:
            batch = self._started[: self.ROWS_PER_TURN]
            self._started = self._started[self.ROWS_PER_TURN :]
            self._show_started(batch)
        elif self._stale:
            batch, self._stale = (
                self._stale[: self.ROWS_PER_TURN],
                self._stale[self.ROWS_PER_TURN :],
            )
            self._refill(self._groups, set(batch))
        pending = self._build is not None or self._started or self._stale
        if pending and not self._turn.isActive():
            self._turn.start()

    def _build_some(self, build: _Build) -> None:
        if build.todo:  # a turn makes rows; the turn after the last one swaps them in
            batch = build.todo[: self.ROWS_PER_TURN]
            build.todo = build.todo[self.ROWS_PER_TURN :]
            for group, entry in batch:
                row = build.rows[entry.id] = make_entry_row(self._spoken)
                build.group_of[entry.id] = group
                self._fill(entry, row)
                group.items[0].appendRow(row)
            if build.todo or len(build.rows) > self.ROWS_PER_TURN:
                return
        self._build = None
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
            self._groups, self._rows, self._group_of = build.groups, build.rows, build.group_of
            for group in self._groups:
                self._fill_group(group)
                self.appendRow(group.items)
                if self._sort is not None and self._sort != build.made_in:
                    group.items[0].sortChildren(*self._sort)
        finally:
            self.blockSignals(blocked)
            self.endResetModel()
        self.filled.emit()

    @property
    def filling(self) -> bool:
        """Whether rows of the last :meth:`set_entries` are still being made."""
        return self._build is not None

    def set_state(self, state: State) -> None:
        """Take results and budgets as saved on disk (maybe by ``sipstory-keys``)."""
        self._state = state.with_newer_results_of(self._state)
        self.refresh_times()

    def put_entry(self, entry: Entry) -> None:
        """Show ``entry`` as saved (a new one, or a new version of one shown)."""
        entries = self.entries()
        if any(e.id == entry.id for e in entries):
            entries = [entry if e.id == entry.id else e for e in entries]
        else:
            entries.append(entry)
        self.set_entries(entries, self._state)

    def drop_entry(self, entry_id: str) -> None:
        """Stop showing the entry (it was removed)."""
        self.set_entries([e for e in self.entries() if e.id != entry_id], self._state)

    def same_entries(self, entries: list[Entry]) -> bool:
        """Whether ``entries`` are the ones shown, or being made (in any order)."""
        return {e.id: e for e in entries} == {e.id: e for e in self.entries()}

    def set_result(self, entry_id: str, result: CheckResult) -> None:
        self.set_results([(entry_id, result)])

    def set_results(self, results: list[tuple[str, CheckResult]]) -> None:
        """Show new results; one change signal per instance group, however many arrived."""
        changed: dict[int, Group] = {}
        for entry_id, result in results:
            self._state.record_result(entry_id, result)
            if result.counted:
                self._state.record_request(self._state.budget_of(entry_id), result.checked_at)
            group = self._group_of.get(entry_id)
            if group is not None:
                changed[id(group)] = group
        self._now = utc_now()
        ids = {entry_id for entry_id, _ in results}
        self._refill([g for g in self._groups if id(g) in changed], ids)
        self._refill_building(ids)

    def _refill_building(self, entry_ids: set[str]) -> None:
        """Rows of a set being made that are made already follow changes too (they are
        off the model: no signal)."""
        build = self._build
        if build is None:
            return
        for entry_id in entry_ids & build.rows.keys():
            self._fill_row(build.rows[entry_id])

    def show_checking(self, entry_ids: list[str]) -> None:
        """Show the rows of ``entry_ids`` as being checked, or not, as the session's
        record says: the first rows at once, the others a few per turn of the event loop
        (Check all starts hundreds), one change signal per group."""
        ended = [i for i in entry_ids if i not in self._checking]  # stopped without a result
        started = [i for i in entry_ids if i in self._checking]
        self._refill_building(set(entry_ids))
        self._change_rows(ended, self._fill_row, Column.LIGHT, Column.ACTION)
        self._show_started(started[: self.ROWS_PER_TURN])
        if len(started) > self.ROWS_PER_TURN:
            self._started.extend(started[self.ROWS_PER_TURN :])
            if not self._turn.isActive():
                self._turn.start()

    def _show_started(self, entry_ids: list[str]) -> None:
        self._change_rows(
            [i for i in entry_ids if i in self._checking],  # not those done meanwhile
            lambda row: self._show_checking(row, True),
            Column.LIGHT,
            Column.ACTION,
        )

    def _show_checking(self, row: list[QStandardItem], checking: bool) -> None:
        entry_id = row[Column.LIGHT].data(Role.ENTRY).id
        running = entry_id in self._running
        show_checking(row, checking, self.art, self._spinner_frame, running=running)

    def show_running(self, entry_ids: list[str]) -> None:
        """The checks of ``entry_ids`` left the queue: their rows show the spinner."""
        self._refill_building(set(entry_ids))
        self._change_rows(
            [i for i in entry_ids if i in self._checking],
            self._fill_row,
            Column.LIGHT,
            Column.ACTION,
        )

    def advance_spinner(self, visible: Iterable[str] | None = None) -> None:
        """Turn the spinners of the rows being checked on by a frame (the window's timer):
        of those in ``visible`` only, when given (others show their frame when they are
        scrolled to, at the next turn)."""
        self._spinner_frame += 1
        frame = self.art.spinner(self._spinner_frame)
        running = self._running & self._checking
        turning = running if visible is None else running & set(visible)
        self._change_rows(
            turning,
            lambda row: row[Column.LIGHT].setData(frame, _DECORATION),
            Column.LIGHT,
            Column.LIGHT,
        )

    def refresh_times(self) -> None:
        """Re-read the clock for "3 min ago" and the hourly counts, and refill every row:
        at once when there are few, else a few rows per turn of the event loop."""
        self._now = utc_now()
        if self._build is not None:  # rows made already for a set not shown yet
            self._refill_building(set(self._build.rows))
        if len(self._rows) <= self.ROWS_PER_TURN:
            self._stale = []
            self._refill(self._groups, None)
            return
        self._stale = [entry.id for group in self._groups for entry in group.entries]
        self._next_turn()

    def sort_entries(self, column: int, order: Qt.SortOrder) -> None:
        """Sort the keys of every instance by ``column``; the instances keep their order
        (Sipstory Cloud first). Rows made later are sorted the same way."""
        self._sort = (column, order)
        for group in self._groups:
            group.items[0].sortChildren(column, order)

    def _refill(self, groups: list[Group], only: set[str] | None) -> None:
        """Recompute the rows of ``groups`` (those in ``only``, when given) and their group
        rows, then announce each group's change with one signal."""
        self._change_rows(
            [e.id for g in groups for e in g.entries if only is None or e.id in only],
            self._fill_row,
            Column.LIGHT,
            Column.ACTION,
        )
        blocked = self.blockSignals(True)
        try:
            for group in groups:
                self._fill_group(group)
        finally:
            self.blockSignals(blocked)
        for group in groups:
            self.dataChanged.emit(group.items[0].index(), group.items[-1].index())

    def _change_rows(
        self,
        entry_ids: Iterable[str],
        change: Callable[[list[QStandardItem]], object],
        first: Column,
        last: Column,
    ) -> None:
        """Apply ``change`` to the shown rows of ``entry_ids`` with the model's signals held,
        then announce it with one change signal per instance, over columns first to last:
        hundreds of rows change at once while checks run."""
        spans: dict[int, list[int]] = {}
        blocked = self.blockSignals(True)
        try:
            for entry_id in entry_ids:
                row = self._rows.get(entry_id)
                if row is None:
                    continue
                change(row)
                group = self._groups.index(self._group_of[entry_id])
                spans.setdefault(group, []).append(row[0].row())
        finally:
            self.blockSignals(blocked)
        for group, rows in spans.items():
            parent = self._groups[group].items[0]
            self.dataChanged.emit(
                parent.child(min(rows), first).index(), parent.child(max(rows), last).index()
            )

    def _fill_row(self, row: list[QStandardItem]) -> None:
        """Refill a row from the entry it holds."""
        self._fill(row[Column.LIGHT].data(Role.ENTRY), row)

    def _fill(self, entry: Entry, row: list[QStandardItem]) -> None:
        checking = entry.id in self._checking
        running = entry.id in self._running
        fill_entry_row(row, entry, self._state, self._now, art=self.art, spoken=self._spoken)
        show_checking(row, checking, self.art, self._spinner_frame, running=running)

    def _fill_group(self, group: Group) -> None:
        fill_group_row(group, self._state, self.art)

    # --- tooltips --------------------------------------------------------------------------

    def tooltip(self, index: AnyIndex) -> str | None:
        """The tooltip of a cell, made when the pointer rests on it."""
        if not index.isValid():
            return None
        if not index.parent().isValid():  # an instance group
            group = self._groups[index.row()] if index.row() < len(self._groups) else None
            if group is None or index.column() != Column.NAME:
                return None
            return self.tr("%n key(s) on %s", "", len(group.entries)) % group.origin
        entry = index.sibling(index.row(), Column.LIGHT).data(Role.ENTRY)
        if not isinstance(entry, Entry):
            return None
        return cell_tooltip(Column(index.column()), entry, self._state, self._now)

    # --- looking up ------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """The results and budgets shown (the GUI thread's copy; never hand it to workers)."""
        return self._state

    def summary(self) -> tuple[list[Status], int, int]:
        """The worst status of each instance, and how many of how many keys work (shown)."""
        groups = self._groups
        return (
            [group.worst for group in groups],
            sum(group.working for group in groups),
            sum(len(group.entries) for group in groups),
        )

    def entries(self) -> list[Entry]:
        """The entries shown, or being made (the newest set either way)."""
        groups = self._build.groups if self._build is not None else self._groups
        return [entry for group in groups for entry in group.entries]

    def entry(self, entry_id: str) -> Entry | None:
        group = self._group_of.get(entry_id)
        return next((e for e in group.entries if e.id == entry_id), None) if group else None

    def index_of(self, entry_id: str, column: int = 0) -> QModelIndex:
        row = self._rows.get(entry_id)
        return self.indexFromItem(row[column]) if row else QModelIndex()

    def result(self, entry_id: str) -> CheckResult | None:
        """What the entry's last check found, even one that sent no request (not history)."""
        return self._state.shown(entry_id)

    def history(self, entry_id: str) -> list[CheckResult]:
        return list(self._state.results.get(entry_id, []))

    def requests_last_hour(self, entry_id: str) -> int:
        """Requests this entry's key (and any entry sharing it) used in the last hour, as the
        "Last hour" column shows it (the whole limit while a 429 holds it back)."""
        return shown_used(self._state, entry_id, self._now)

    def hourly_limit(self, entry_id: str) -> int:
        """The hourly limit of the entry's budget, as the "Last hour" column shows it."""
        return limit_of(self._state, entry_id, self._now)
