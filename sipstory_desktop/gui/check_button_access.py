"""The Check button of every entry row, as a screen reader sees it: a button to press.

The button is painted in its cell (:mod:`.check_button`), and Qt's accessible cell has one
action only, "Toggle", which selects the row. So the list gets an accessible interface of
its own: Qt's, in all but the Check cells of the entries' rows, which are buttons whose
"Press" checks that entry, as a click does. Qt's interface for the list is made first
and kept; ours answers for it, and hands each question over, the cells' too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QTreeView

from .roles import Column, Role

_NAME = QAccessible.Text.Name
_DESCRIPTION = QAccessible.Text.Description
_ACTION = QAccessible.InterfaceType.ActionInterface

Press = Callable[[QModelIndex], None]
View = TypeVar("View", bound=QTreeView)
_NULL = shiboken6.VoidPtr(0)  # what an interface cast returns for "not implemented"
_installed: list[type[QTreeView]] = []
_building: set[int] = set()  # views whose Qt interface is being made (the factory steps back)


def install(view_class: type[View], press: Callable[[View, QModelIndex], None]) -> None:
    """Give every view of ``view_class`` Check buttons a screen reader can press; pressing
    one calls ``press(view, index)`` with the index of its cell. Once per class."""
    if view_class in _installed:
        return
    _installed.append(view_class)

    def factory(_class_name: str, thing: QObject) -> QAccessibleInterface | None:
        if not isinstance(thing, view_class) or id(thing) in _building:
            return None
        _building.add(id(thing))
        try:
            qt_own = QAccessible.queryAccessibleInterface(thing)
        finally:
            _building.discard(id(thing))
        if qt_own is None:
            return None
        made = _ListInterface(thing, qt_own, lambda index: press(thing, index))
        _kept.append(made)  # Qt keeps a pointer to it: Python must not free it
        thing.destroyed.connect(lambda: _forget(made))
        return made

    QAccessible.installFactory(factory)


_kept: list[QAccessibleInterface] = []


def _forget(made: _ListInterface) -> None:
    """The view is gone, and Qt deletes its own interface: our wrapper of it must let go.

    Kept valid, it would stay registered at that address, and a Qt object made there later
    (a status bar) would come back to Python as this stale accessible interface. ``made``
    itself stays in ``_kept``: Qt deletes it, and Python must never delete it too."""
    shiboken6.invalidate(made.qt_own)


class _ListInterface(QAccessibleInterface):
    """Qt's interface of the list, but for the Check cells of entry rows."""

    def __init__(self, view: QTreeView, qt_own: QAccessibleInterface, press: Press) -> None:
        super().__init__()
        self._view = view
        self._qt = qt_own
        self._press = press
        self._buttons: dict[QPersistentModelIndex, _CheckButton] = {}  # kept: Qt points at them

    @property
    def qt_own(self) -> QAccessibleInterface:
        return self._qt

    def _alive(self) -> bool:
        return shiboken6.isValid(self._view)

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        cell = self._qt.child(index)
        model_index = self._check_index(cell)
        if model_index is None:
            return cell
        key = QPersistentModelIndex(model_index)
        button = self._buttons.get(key)
        if button is None:
            button = self._buttons[key] = _CheckButton(self._view, key, self, self._press)
        button.last_seen_at = index
        return button

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if isinstance(child, _CheckButton):
            # Where it was last handed out, if its row is still there (no walk down
            # thousands of rows for each question); else where it is now.
            guess = child.last_seen_at
            found = self._check_index(self._qt.child(guess)) if guess >= 0 else None
            if found is not None and QPersistentModelIndex(found) == child.index:
                return guess
            return self._logical_index(child.index)
        return self._qt.indexOfChild(child)

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        found = self._qt.childAt(x, y)
        if found is None:
            return None
        index = self._qt.indexOfChild(found)
        return self.child(index) if index >= 0 else found

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        found = self._qt.focusChild()
        if found is None:
            return None
        index = self._qt.indexOfChild(found)
        return self.child(index) if index >= 0 else found

    def _check_index(self, cell: QAccessibleInterface | None) -> QModelIndex | None:
        """The model index of ``cell`` when it is the Check cell of an entry row."""
        if cell is None or not self._alive() or cell.role() == QAccessible.Role.ColumnHeader:
            return None
        rect = cell.rect()
        if rect.isEmpty():
            return None
        viewport = self._view.viewport()
        index = self._view.indexAt(viewport.mapFromGlobal(rect.center()))
        if not index.isValid() or index.column() != Column.ACTION or index.data(Role.IS_GROUP):
            return None
        return index

    def _logical_index(self, index: QPersistentModelIndex) -> int:
        """Where Qt's interface puts the cell of ``index`` among its children."""
        if not index.isValid() or not self._alive():
            return -1
        columns = self._view.model().columnCount()
        row, below = 0, self._view.model().index(0, 0)  # the first row shown, then down
        target = index.sibling(index.row(), 0)
        while below.isValid() and below != target:
            below = self._view.indexBelow(below)
            row += 1
        if not below.isValid():
            return -1
        headers = 0 if self._view.isHeaderHidden() else columns
        return headers + row * columns + index.column()

    # --- the rest is Qt's -------------------------------------------------------------------

    def isValid(self) -> bool:
        return self._alive() and self._qt.isValid()

    def object(self) -> QObject:
        return self._qt.object()

    def window(self) -> QWindow:
        return self._qt.window()

    def relations(self, match: Any = QAccessible.RelationFlag.AllRelations) -> Any:
        return self._qt.relations(match)

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return self._qt.parent()

    def childCount(self) -> int:
        return self._qt.childCount()

    def text(self, kind: QAccessible.Text) -> str:
        return self._qt.text(kind)

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        self._qt.setText(kind, text)

    def rect(self) -> QRect:
        return self._qt.rect()

    def role(self) -> QAccessible.Role:
        return self._qt.role()

    def state(self) -> QAccessible.State:
        return self._qt.state()

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        # The table, selection and action of Qt's; Qt's None must go back as a pointer.
        pointer = self._qt.interface_cast(kind)
        return pointer if isinstance(pointer, shiboken6.VoidPtr) else _NULL


class _PressAction(QAccessibleActionInterface):
    """The one action of a Check button: Press, which checks the row's entry."""

    def __init__(self, button: _CheckButton) -> None:
        super().__init__()
        self._button = button

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.pressAction()] if self._button.enabled() else []

    def doAction(self, name: str) -> None:
        if name == QAccessibleActionInterface.pressAction() and self._button.enabled():
            self._button.press()

    def keyBindingsForAction(self, _name: str) -> list[str]:
        return []


class _CheckButton(QAccessibleInterface):
    """The Check button of an entry row: named and described as its cell is."""

    def __init__(
        self,
        view: QTreeView,
        index: QPersistentModelIndex,
        parent: _ListInterface,
        press: Press,
    ) -> None:
        super().__init__()
        self._view = view
        self.index = index
        self._parent = parent
        self._press = press
        self._action = _PressAction(self)
        self._action_pointer = shiboken6.VoidPtr(shiboken6.getCppPointer(self._action)[0])
        self.last_seen_at = -1  # the child index its list last handed it out at

    def _alive(self) -> bool:
        return shiboken6.isValid(self._view) and self.index.isValid()

    def _model_index(self) -> QModelIndex:
        index = self.index
        model = index.model()
        if model is None or not index.isValid():
            return QModelIndex()
        return model.index(index.row(), index.column(), index.parent())

    def enabled(self) -> bool:
        return self._alive() and not self.index.data(Role.CHECKING)

    def press(self) -> None:
        """As a click, after the screen reader's call returns (a check may ask first)."""
        QTimer.singleShot(0, self._pressed)

    def _pressed(self) -> None:
        if self.enabled():
            self._press(self._model_index())

    def isValid(self) -> bool:
        return self._alive()

    def object(self) -> QObject | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]  # None is Qt's nullptr
        return self._parent.window()

    def relations(self, _match: Any = QAccessible.RelationFlag.AllRelations) -> Any:
        return []

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def childAt(self, _x: int, _y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def child(self, _index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, _child: QAccessibleInterface) -> int:
        return -1

    def text(self, kind: QAccessible.Text) -> str:
        if not self._alive():
            return ""
        if kind == _NAME:
            return str(self.index.data(Qt.ItemDataRole.AccessibleTextRole) or "")
        if kind == _DESCRIPTION:
            return str(self.index.data(Qt.ItemDataRole.AccessibleDescriptionRole) or "")
        return ""

    def setText(self, _kind: QAccessible.Text, _text: str) -> None:
        return

    def rect(self) -> QRect:
        if not self._alive():
            return QRect()
        cell = self._view.visualRect(self._model_index())
        viewport = self._view.viewport()
        return QRect(viewport.mapToGlobal(cell.topLeft()), cell.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Button

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        if not self._alive():
            state.invalid = True
            return state
        state.focusable = True
        cell = self._view.visualRect(self._model_index())
        if not self._view.viewport().rect().intersects(cell) or not self._view.isVisible():
            state.invisible = True
            state.offscreen = True
        if self.index.data(Role.CHECKING):
            state.disabled = True
        current = self._view.currentIndex()
        same_row = current.isValid() and current.row() == self.index.row()
        if same_row and current.parent() == self.index.parent():
            state.focused = self._view.hasFocus() and current.column() == Column.ACTION
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        if kind == _ACTION:
            return self._action_pointer
        return _NULL
