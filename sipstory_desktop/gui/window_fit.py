"""The list and the details pane fitted to the window's width, so that nothing is out of
reach sideways: at 800 x 600 every column of the list is in view.

- :class:`ColumnFit` narrows the list's columns (down to what their cells need) when the
  list is narrower than their widths add up to, and widens them again when there is room.
  A column the user resized keeps the user's width (kept from one session to the next).
- :class:`SplitterFit` puts the details pane under the list when the window is too narrow
  for both side by side, and back beside it when the window is wide enough.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QSplitter, QStyle, QTreeView, QWidget

from ..core.keys import masked
from ..core.times import utc_now
from .entry_texts import relative_time
from .roles import Column

_PINNED_KEY = "window/pinned_columns"  # "column:width" of the columns the user resized
_SHRINKABLE = (
    Column.LIGHT,
    Column.NAME,
    Column.KEY,
    Column.CHECKED,
    Column.LATENCY,
    Column.BUDGET,
)
_STRETCHED = Column.INSTANCE  # takes what is left (QHeaderView.Stretch)
_INSTANCE_MINIMUM = 48  # logical pixels: a few characters of the path
_FLEXIBLE_CHARACTERS = 10  # the Status and Name columns keep this many characters at least
_PADDING = 12  # logical pixels around a cell's text
_DETAILS_SHARE = 0.25  # of the width, for the details beside the list
_LIST_SHARE_STACKED = 0.55  # of the height, for the list above the details


def _checked_sample() -> str:
    now = utc_now()
    return relative_time(now - timedelta(minutes=59), now)


_SAMPLES: dict[Column, Callable[[], str]] = {  # the widest text of a cell of each column
    Column.KEY: lambda: masked("0000"),
    Column.CHECKED: _checked_sample,
    Column.LATENCY: lambda: "9999 ms",
    Column.BUDGET: lambda: "30/30",
}


class ColumnFit(QObject):
    """Keeps the columns of ``view`` within its width (see the module)."""

    def __init__(self, view: QTreeView, settings: QSettings, defaults: dict[Column, int]) -> None:
        super().__init__(view)
        self._view = view
        self._settings = settings
        self._header = view.header()
        self._preferred = {c: defaults.get(c, self._header.sectionSize(c)) for c in _SHRINKABLE}
        self._pinned: set[Column] = set()
        self._fitting = False
        self._restore_pinned(defaults)
        self._header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self.fit)  # the cells' widths may have changed

    # --- what the list needs ---------------------------------------------------------------

    def minimum_width(self, column: Column) -> int:
        """The narrowest ``column`` gets: what its cells show (its header text elides)."""
        if column in self._pinned:
            return self._preferred[column]
        metrics = self._view.fontMetrics()
        if column in (Column.LIGHT, Column.NAME):
            icon = self._view.iconSize().width() + 6 if column == Column.LIGHT else 0
            if column == Column.LIGHT:  # an entry row is indented under its group row
                icon += self._view.indentation() * (1 + int(self._view.rootIsDecorated()))
            return icon + metrics.averageCharWidth() * _FLEXIBLE_CHARACTERS + _PADDING
        if column in _SAMPLES:  # the widest a cell shows, though no row shows it yet
            sample = metrics.horizontalAdvance(_SAMPLES[column]()) + _PADDING
            cells = self._view.sizeHintForColumn(column)
            return min(self._preferred[column], max(cells, sample))
        if column == _STRETCHED:
            return _INSTANCE_MINIMUM
        return self._header.sectionSize(column)  # the history and the Check button: fixed

    def minimum_list_width(self) -> int:
        """The width at which every column of the list is in view at its minimum."""
        return sum(self.minimum_width(c) for c in self._shown()) + _chrome_width(self._view)

    def _shown(self) -> list[Column]:
        header = self._header
        return [Column(c) for c in range(header.count()) if not header.isSectionHidden(c)]

    # --- fitting ---------------------------------------------------------------------------

    def fit(self) -> None:
        """Every column within the viewport's width where their minimums allow it."""
        shown = [
            Column(c) for c in range(self._header.count()) if not self._header.isSectionHidden(c)
        ]
        wanted = {c: self._wanted(c) for c in shown if c != _STRETCHED}
        excess = sum(wanted.values()) + _INSTANCE_MINIMUM - self._view.viewport().width()
        if excess > 0:
            slack = {
                c: max(0, wanted[c] - self.minimum_width(c)) for c in _SHRINKABLE if c in wanted
            }
            total = sum(slack.values())
            if total:
                for column, room in slack.items():
                    wanted[column] -= min(room, math.ceil(excess * room / total))
        self._fitting = True
        try:
            for column, width in wanted.items():
                if self._header.sectionSize(column) != width:
                    self._view.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _wanted(self, column: Column) -> int:
        if column in self._preferred:
            return self._preferred[column]
        return self._header.sectionSize(column)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _resized(self, index: int, _old: int, new: int) -> None:
        if self._fitting or index not in _SHRINKABLE:
            return
        column = Column(index)  # the user dragged it (or the layout kept was restored)
        self._preferred[column] = new
        self._pinned.add(column)

    # --- kept from one session to the next -------------------------------------------------

    def save(self) -> None:
        pinned = [f"{int(c)}:{self._preferred[c]}" for c in sorted(self._pinned)]
        self._settings.setValue(_PINNED_KEY, ",".join(pinned))

    def _restore_pinned(self, defaults: dict[Column, int]) -> None:
        value = self._settings.value(_PINNED_KEY)
        if not isinstance(value, str):  # kept by a version without fitting: the user's widths
            for shrinkable in _SHRINKABLE:
                restored = self._header.sectionSize(shrinkable)
                if shrinkable in defaults and restored != defaults[shrinkable]:
                    self._preferred[shrinkable] = restored
                    self._pinned.add(shrinkable)
            return
        for item in value.split(","):
            column, _, width = item.partition(":")
            if column.isdigit() and width.isdigit() and int(column) in _SHRINKABLE:
                self._preferred[Column(int(column))] = int(width)
                self._pinned.add(Column(int(column)))


class SplitterFit(QObject):
    """The details beside the list where both fit, else under it (see the module)."""

    def __init__(
        self,
        splitter: QSplitter,
        columns: ColumnFit,
        details: QWidget,
        on_stacked: Callable[[bool], None],
    ) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._columns = columns
        self._details = details
        self._on_stacked = on_stacked  # told True when the details go under the list
        splitter.installEventFilter(self)
        on_stacked(splitter.orientation() == Qt.Orientation.Vertical)

    def side_by_side_width(self) -> int:
        """The least width at which the list (every column in view) and the details fit
        side by side."""
        handle = self._splitter.handleWidth()
        return self._columns.minimum_list_width() + self._details.minimumWidth() + handle

    def fit(self) -> None:
        width = self._splitter.width()
        wanted = (
            Qt.Orientation.Horizontal
            if width >= self.side_by_side_width()
            else Qt.Orientation.Vertical
        )
        if self._splitter.orientation() == wanted:
            return
        self._splitter.setOrientation(wanted)
        self._on_stacked(wanted == Qt.Orientation.Vertical)
        if wanted == Qt.Orientation.Horizontal:
            details = max(self._details.minimumWidth(), round(width * _DETAILS_SHARE))
            self._splitter.setSizes([width - details, details])
        else:
            height = self._splitter.height()
            above = round(height * _LIST_SHARE_STACKED)
            self._splitter.setSizes([above, height - above])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False


def _chrome_width(view: QAbstractScrollArea) -> int:
    """What the view's frame and vertical scroll bar take of its width."""
    bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
    return 2 * view.frameWidth() + bar
