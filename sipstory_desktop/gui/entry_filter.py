"""Filtering the list: the rows whose text holds what the user typed (Ctrl+F)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from .entry_model import EntryModel
from .roles import Column

AnyIndex = QModelIndex | QPersistentModelIndex


class EntryFilterModel(QSortFilterProxyModel):
    """Filters the entries: a key row stays when one of its cells (but the Check
    button's) contains the filter text, an instance row when one of its keys stays.

    Sorting is handed to :meth:`EntryModel.sort_entries` (C++ comparisons in the source
    model; the instances keep their order): sorting here would compare rows in Python,
    n log n calls for every sort.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        # Rows are filtered when the filter changes, not when a result changes a row: a key
        # the user filtered for and selected stays while its check finishes.
        self.setDynamicSortFilter(False)
        self._needle = ""

    def set_filter_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        if hasattr(self, "endFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, EntryModel) and column >= 0:
            source.sort_entries(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        for column in Column:
            if column == Column.ACTION:
                continue
            text = model.index(source_row, column, source_parent).data()
            if isinstance(text, str) and self._needle in text.casefold():
                return True
        return False
