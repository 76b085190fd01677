"""The entry list as a two-level tree: instances, and the keys that belong to each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ..core.entries import Entry
from ..core.keys import masked
from ..core.state import State
from ..core.status import CheckResult, Light, Status
from ..core.times import utc_now
from ..core.urls import CLOUD_BASE_URL, Origin, origin_of
from .roles import Column, Role

RATE_LIMIT_PER_HOUR = 30
_CLOUD_ORIGIN = origin_of(CLOUD_BASE_URL)
_SEVERITY = {Light.RED: 3, Light.AMBER: 2, Light.GREY: 1, Light.GREEN: 0}
_NO_PARENT = 0  # internalId of a group row; an entry row's is its group's row + 1
_COLUMNS = len(Column)
_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.AccessibleTextRole,
        *Role,
    )
)

AnyIndex = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("EntryModel", text)


def relative_time(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return tr("never")
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return tr("just now")
    if seconds < 3600:
        return tr("%n min ago").replace("%n", str(seconds // 60))
    if seconds < 86400:
        return tr("%n h ago").replace("%n", str(seconds // 3600))
    return tr("%n d ago").replace("%n", str(seconds // 86400))


def status_text(result: CheckResult | None, now: datetime) -> str:
    """The status label, and after a 429 when the entry may be checked again."""
    if result is None:
        return Status.UNCHECKED.label
    if result.status is Status.RATE_LIMITED and result.retry_at and result.retry_at > now:
        local = result.retry_at.astimezone()
        return tr("%s · again at %s") % (result.status.label, f"{local:%H:%M}")
    return result.status.label


def instance_label(origin: Origin) -> str:
    if origin == _CLOUD_ORIGIN:
        return tr("Sipstory Cloud")
    return str(origin).split("://", 1)[1]


def worst(statuses: list[Status]) -> Status:
    return max(statuses, key=lambda s: _SEVERITY[s.light], default=Status.UNCHECKED)


@dataclass
class _Group:
    origin: Origin
    label: str
    entries: list[Entry] = field(default_factory=list)
    summary: tuple[Status, int] | None = None  # worst status, number connected; None: stale


class EntryModel(QAbstractItemModel):
    """Entries grouped by instance (Sipstory Cloud first), with their last results."""

    HEADERS: ClassVar[dict[Column, str]] = {
        Column.LIGHT: "Status",
        Column.NAME: "Name",
        Column.INSTANCE: "Instance / path",
        Column.KEY: "Key",
        Column.CHECKED: "Last checked",
        Column.LATENCY: "Latency",
        Column.BUDGET: "Last hour",
        Column.ACTION: "",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._where: dict[str, tuple[int, int]] = {}  # entry id -> (group row, row)
        self._state = State()
        self._checking: set[str] = set()
        self._now = utc_now()

    # --- feeding ---------------------------------------------------------------------------

    def set_entries(self, entries: list[Entry], state: State) -> None:
        """Show ``entries`` and the results in ``state`` (a full reset)."""
        state = self._with_unsaved_results(state)
        self.beginResetModel()
        groups: dict[Origin, _Group] = {}
        for entry in entries:
            origin = origin_of(entry.base_url)
            group = groups.get(origin)
            if group is None:
                group = groups[origin] = _Group(origin, instance_label(origin))
            group.entries.append(entry)
        self._groups = sorted(
            groups.values(), key=lambda g: (g.origin != _CLOUD_ORIGIN, g.label.casefold())
        )
        self._where = {
            entry.id: (g_row, row)
            for g_row, group in enumerate(self._groups)
            for row, entry in enumerate(group.entries)
        }
        self._state = state
        self._now = utc_now()
        self.endResetModel()

    def _with_unsaved_results(self, state: State) -> State:
        """``state`` as read from disk, plus our results newer than what it holds (they
        arrived after the last save), with their cost."""
        for entry_id in self._state.results:
            ours, saved = self._state.latest(entry_id), state.latest(entry_id)
            if ours is not None and (saved is None or saved.checked_at < ours.checked_at):
                state.record_result(entry_id, ours)
                if ours.counted:
                    state.record_request(entry_id, ours.checked_at)
        return state

    def set_state(self, state: State) -> None:
        """Take results and ledger as saved on disk (maybe by ``sipstory-keys``)."""
        self._state = self._with_unsaved_results(state)
        for group in self._groups:
            group.summary = None
        self.refresh_times()
        for g_row in range(len(self._groups)):
            self.dataChanged.emit(self.index(g_row, 0), self.index(g_row, len(Column) - 1))

    def same_entries(self, entries: list[Entry]) -> bool:
        """Whether ``entries`` are the ones shown (in any order)."""
        return {e.id: e for e in entries} == {e.id: e for e in self.entries()}

    def set_result(self, entry_id: str, result: CheckResult) -> None:
        self.set_results([(entry_id, result)])

    def set_results(self, results: list[tuple[str, CheckResult]]) -> None:
        """Show new results; one change signal per instance group, however many arrived."""
        rows: dict[int, list[int]] = {}
        for entry_id, result in results:
            self._state.record_result(entry_id, result)
            if result.counted:
                self._state.record_request(entry_id, result.checked_at)
            self._checking.discard(entry_id)
            place = self._where.get(entry_id)
            if place is not None:
                rows.setdefault(place[0], []).append(place[1])
        self._now = utc_now()
        for g_row, changed in rows.items():
            parent = self.index(g_row, 0)
            self.dataChanged.emit(
                self.index(min(changed), 0, parent),
                self.index(max(changed), len(Column) - 1, parent),
            )
            self._group_changed(g_row)

    def set_checking(self, entry_id: str, checking: bool) -> None:
        if checking:
            self._checking.add(entry_id)
        else:
            self._checking.discard(entry_id)
        place = self._where.get(entry_id)
        if place is None:
            return
        parent = self.index(place[0], 0)
        for column in (Column.LIGHT, Column.ACTION):
            cell = self.index(place[1], column, parent)
            self.dataChanged.emit(cell, cell, [Role.CHECKING])

    def refresh_times(self) -> None:
        """Re-read the clock for "3 min ago" and the hourly counts."""
        self._now = utc_now()
        for g_row, group in enumerate(self._groups):
            parent = self.index(g_row, 0)
            if group.entries:
                self.dataChanged.emit(
                    self.index(0, Column.LIGHT, parent),
                    self.index(len(group.entries) - 1, Column.BUDGET, parent),
                )

    def _entry_changed(self, entry_id: str, columns: list[Column] | None = None) -> None:
        place = self._where.get(entry_id)
        if place is None:
            return
        g_row, row = place
        first, last = (min(columns), max(columns)) if columns else (0, len(Column) - 1)
        parent = self.index(g_row, 0)
        self.dataChanged.emit(self.index(row, first, parent), self.index(row, last, parent))
        self._group_changed(g_row)

    def _group_changed(self, g_row: int) -> None:
        group = self._groups[g_row]
        before = group.summary
        group.summary = None
        if self._summary(group) != before:  # the group row shows the worst light and a count
            self.dataChanged.emit(self.index(g_row, Column.LIGHT), self.index(g_row, Column.LIGHT))

    def _summary(self, group: _Group) -> tuple[Status, int]:
        """The group's worst status and how many of its keys are connected (cached)."""
        if group.summary is None:
            statuses = [self._status(e.id) for e in group.entries]
            working = sum(1 for status in statuses if status is Status.CONNECTED)
            group.summary = (worst(statuses), working)
        return group.summary

    # --- looking up ------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        return [entry for group in self._groups for entry in group.entries]

    def entry(self, entry_id: str) -> Entry | None:
        place = self._where.get(entry_id)
        return self._groups[place[0]].entries[place[1]] if place else None

    def index_of(self, entry_id: str, column: int = 0) -> QModelIndex:
        place = self._where.get(entry_id)
        if place is None:
            return QModelIndex()
        return self.index(place[1], column, self.index(place[0], 0))

    def result(self, entry_id: str) -> CheckResult | None:
        return self._state.latest(entry_id)

    def history(self, entry_id: str) -> list[CheckResult]:
        return list(self._state.results.get(entry_id, []))

    def requests_last_hour(self, entry_id: str) -> int:
        return self._state.requests_last_hour(entry_id, self._now)

    def is_checking(self, entry_id: str) -> bool:
        return entry_id in self._checking

    def _entry_at(self, index: AnyIndex) -> Entry | None:
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return None
        return self._groups[index.internalId() - 1].entries[index.row()]

    # --- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        # Called thousands of times a paint: plain bounds checks, not hasIndex().
        if not 0 <= column < _COLUMNS or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, column, _NO_PARENT)
        g_row = parent.row()
        if parent.internalId() != _NO_PARENT or row >= len(self._groups[g_row].entries):
            return QModelIndex()
        return self.createIndex(row, column, g_row + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _NO_PARENT)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _NO_PARENT and parent.column() == 0:
            return len(self._groups[parent.row()].entries)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return _COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[Column(section)])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks for a dozen roles per cell per paint; most are not ours.
        if role not in _ROLES or not index.isValid():
            return None
        entry = self._entry_at(index)
        if entry is None:
            return self._group_data(self._groups[index.row()], Column(index.column()), role)
        return self._entry_data(entry, Column(index.column()), role)

    def _group_data(self, group: _Group, column: Column, role: int) -> Any:
        if role == Role.IS_GROUP:
            return True
        if role == Role.STATUS:
            return self._summary(group)[0]
        if role == Role.CHECKING:
            return False
        if role in (Qt.ItemDataRole.DisplayRole, Role.SORT):
            if column == Column.LIGHT:
                return tr("%d of %d working") % (self._summary(group)[1], len(group.entries))
            if column == Column.NAME:
                count = len(group.entries)
                return (
                    f"{group.label} ({count})"
                    if role == Qt.ItemDataRole.DisplayRole
                    else (group.label.casefold())
                )
            if column == Column.INSTANCE:
                return str(group.origin)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME:
            return tr("%d keys on %s") % (len(group.entries), group.origin)
        return None

    def _status(self, entry_id: str) -> Status:
        result = self._state.latest(entry_id)
        return result.status if result else Status.UNCHECKED

    def _entry_data(self, entry: Entry, column: Column, role: int) -> Any:
        result = self._state.latest(entry.id)
        if role == Role.ENTRY:
            return entry
        if role == Role.RESULT:
            return result
        if role == Role.STATUS:
            return self._status(entry.id)
        if role == Role.CHECKING:
            return entry.id in self._checking
        if role == Role.IS_GROUP:
            return False
        if role == Role.HISTORY:
            return self.history(entry.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, result, column)
        if role == Role.SORT:
            return self._sort_key(entry, result, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, result, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.LATENCY, Column.BUDGET):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == Column.LIGHT:
            return (
                f"{status_text(result, self._now)}: {result.message}"
                if result
                else (Status.UNCHECKED.label)
            )
        return None

    def _display(self, entry: Entry, result: CheckResult | None, column: Column) -> str:
        if column == Column.LIGHT:
            return status_text(result, self._now)
        if column == Column.NAME:
            return entry.name
        if column == Column.INSTANCE:  # the group row above shows scheme, host and port
            return urlsplit(entry.base_url).path or "/"
        if column == Column.KEY:
            return masked(entry.key_hint)
        if column == Column.CHECKED:
            return relative_time(result.checked_at if result else None, self._now)
        if column == Column.LATENCY:
            return f"{result.latency_ms} ms" if result and result.latency_ms is not None else ""
        if column == Column.BUDGET:
            return f"{self.requests_last_hour(entry.id)}/{RATE_LIMIT_PER_HOUR}"
        return tr("Test")

    def _sort_key(self, entry: Entry, result: CheckResult | None, column: Column) -> Any:
        if column == Column.LIGHT:
            return _SEVERITY[self._status(entry.id).light]
        if column == Column.CHECKED:
            return result.checked_at.timestamp() if result else 0.0
        if column == Column.LATENCY:
            return result.latency_ms if result and result.latency_ms is not None else -1
        if column == Column.BUDGET:
            return self.requests_last_hour(entry.id)
        return self._display(entry, result, column).casefold()

    def _tooltip(self, entry: Entry, result: CheckResult | None, column: Column) -> str | None:
        if column == Column.LIGHT and result:
            return f"{result.message}\n{result.hint}".strip()
        if column == Column.NAME and entry.note:
            return entry.note
        if column == Column.INSTANCE:
            return entry.base_url
        if column == Column.CHECKED and result:
            return f"{result.checked_at.astimezone():%Y-%m-%d %H:%M:%S %Z}"
        if column == Column.BUDGET:
            return (
                tr(
                    "Checks sent with this key in the last hour; Sipstory allows %d requests "
                    "per hour per organization."
                )
                % RATE_LIMIT_PER_HOUR
            )
        if column == Column.ACTION:
            return tr("Check this key now (Ctrl+T)")
        return None


class EntryFilterModel(QSortFilterProxyModel):
    """Sorts and filters the entries; instance groups keep their order (Sipstory Cloud
    first), and the filter looks at every column but the Test button's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortRole(Role.SORT)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Re-sorting on every result would run lessThan (Python) n log n times per result:
        # the list is sorted when the user asks (header click) and when entries change.
        self.setDynamicSortFilter(False)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        if not left.parent().isValid():  # group rows: the model's order, whichever direction
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return (left.row() < right.row()) == ascending
        return bool(super().lessThan(left, right))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return True
        model = self.sourceModel()
        for column in Column:
            if column == Column.ACTION:
                continue
            text = model.index(source_row, column, source_parent).data()
            if isinstance(text, str) and pattern.match(text).hasMatch():
                return True
        return False
