"""The list of entries, grouped by instance: the view, its filter, its selection and its
tooltips. What each cell shows is the model's (:mod:`.entry_model`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QToolTip,
    QTreeView,
    QWidget,
)

from ..core.entries import Entry
from . import check_button_access
from .cell_art import CellArt
from .check_button import CheckButtonDelegate
from .entry_filter import EntryFilterModel
from .entry_model import EntryModel
from .roles import Column, Role

COLUMN_WIDTHS = (  # the widths of the columns as first shown (gui/window_fit.py narrows them)
    (Column.LIGHT, 250),
    (Column.NAME, 190),
    (Column.KEY, 80),
    (Column.CHECKED, 95),
    (Column.LATENCY, 70),
    (Column.BUDGET, 75),
)


def entry_at(index: QModelIndex) -> Entry | None:
    """The entry of a row of the list (its first cell holds it); None on a group row."""
    entry = index.siblingAtColumn(0).data(Role.ENTRY) if index.isValid() else None
    return entry if isinstance(entry, Entry) else None


class EntryListView(QTreeView):
    """The entries under their instances, one selected at a time.

    The selection is remembered by entry id (:attr:`selected_id`), so that it survives a
    reload of the list: :meth:`select` finds the row again.

    Signals:
        selected(object): the current entry changed (an :class:`Entry`, or None).
        check_clicked(object): the Check button of that entry's row was pressed.
        edit_requested(): an entry was double-clicked (not on its Check button).
    """

    selected = Signal(object)
    check_clicked = Signal(object)
    edit_requested = Signal()

    def __init__(self, model: EntryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = model
        self.proxy = EntryFilterModel(self)
        self.proxy.setSourceModel(model)
        self.selected_id: str | None = None
        self.setObjectName("entries")
        self.setAccessibleName(self.tr("Saved keys"))
        self.setModel(self.proxy)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Qt paints every cell (the pictures are in the model: see cell_art.py); Python
        # only hears the Check button's clicks.
        self.button_delegate = CheckButtonDelegate(self)
        self.setItemDelegateForColumn(Column.ACTION, self.button_delegate)
        # ... and a screen reader's Press on it, as a button (Qt's cell can only Toggle).
        check_button_access.install(EntryListView, EntryListView._check_clicked)
        self.restyle()
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.INSTANCE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.HISTORY, QHeaderView.ResizeMode.Fixed)
        for column, width in (*COLUMN_WIDTHS, (Column.HISTORY, model.art.history_width + 8)):
            self.setColumnWidth(column, width)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.doubleClicked.connect(self._double_clicked)
        self.button_delegate.clicked.connect(self._check_clicked)

    def selected_entry(self) -> Entry | None:
        return entry_at(self.selectionModel().currentIndex())

    def select_when_shown(self, entry_id: str) -> None:
        """Select ``entry_id`` when the rows are next shown (its row may not be made yet)."""
        self.selected_id = entry_id

    def forget_selection(self) -> None:
        """The selected entry is gone: the next rows shown select the first entry."""
        self.selected_id = None

    def reselect(self) -> None:
        """Select again the entry selected before the rows were made anew."""
        self.select(self.selected_id)

    def refresh_view(self) -> None:
        """Repaint what is in view (the spinners stopped)."""
        self.viewport().update()

    def select(self, entry_id: str | None) -> None:
        """Make the row of ``entry_id`` current; the first entry when it is not listed."""
        source = self.entries.index_of(entry_id) if entry_id else QModelIndex()
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            index = self.proxy.index(0, 0, self.proxy.index(0, 0))
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self._current_changed(QModelIndex())

    def set_filter_text(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self.expand_groups()

    def expand_groups(self) -> None:
        """Open every instance's row. Not ``expandAll``: it also marks the keys' rows, which
        have nothing to open, as expanded (and screen readers say so)."""
        for row in range(self.proxy.rowCount()):
            self.expand(self.proxy.index(row, 0))

    def visible_entry_ids(self) -> list[str]:
        """The entries of the rows in view, top to bottom."""
        ids: list[str] = []
        index = self.indexAt(QPoint(1, 1))
        if not index.isValid():
            return ids
        rows = self.viewport().height() // max(1, self.visualRect(index).height()) + 1
        for _ in range(rows):  # rows are of one height
            entry = entry_at(index)
            if entry is not None:
                ids.append(entry.id)
            index = self.indexBelow(index)
            if not index.isValid():
                break
        return ids

    def restyle(self) -> None:
        """The list's pictures in its current palette, font and screen resolution."""
        art = CellArt.for_widget(self)
        self.entries.set_art(art)
        self.setIconSize(self.entries.art.icon_size)
        self.button_delegate.button_size = self.entries.art.button_size()
        self.setColumnWidth(Column.ACTION, self.button_delegate.button_size.width() + 8)

    def viewportEvent(self, event: QEvent) -> bool:
        """The list's tooltips, made when asked (the model keeps none)."""
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.indexAt(event.pos())
            text = self.entries.tooltip(self.proxy.mapToSource(index))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport(), self.visualRect(index))
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = entry_at(current)
        if entry is not None:
            self.selected_id = entry.id
        self.selected.emit(entry)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() != Column.ACTION:  # a double click on Check is two checks, not Edit
            self.edit_requested.emit()

    def _check_clicked(self, index: QModelIndex) -> None:
        entry = entry_at(index)
        if entry is not None:
            self.check_clicked.emit(entry)


class FilterField(QLineEdit):
    """The filter of the list (Ctrl+F), at the right end of the toolbar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("Filter (Ctrl+F)"))
        self.setAccessibleName(self.tr("Filter the keys"))
        self.setClearButtonEnabled(True)
        clear = self.findChild(QAction, "_q_qlineeditclearaction")
        if clear is not None:  # the clear button's name (and tooltip)
            clear.setText(self.tr("Clear the filter"))
        self.setMaximumWidth(260)

    def take_focus(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()
