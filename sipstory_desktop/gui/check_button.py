"""The Check button of every entry row: clicks on it (its picture is in the model)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from .roles import Role

AnyIndex = QModelIndex | QPersistentModelIndex

_MARGIN = 4  # logical pixels left and right of the button


class CheckButtonDelegate(QStyledItemDelegate):
    """The ACTION column: a left press and release on an entry row's button emits
    :attr:`clicked`, except while the entry is being checked (the button is greyed out).

    Only mouse events come to Python: painting (the button is the cell's decoration, see
    :mod:`.cell_art`) is Qt's, so that it never waits for the interpreter.

    Signals:
        clicked(QModelIndex): the Check button of that row (the index as clicked).
    """

    clicked = Signal(QModelIndex)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pressed: QPersistentModelIndex | None = None
        self.button_size = QSize()  # the picture's; set by the view's owner

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        """Room for the button on every row, group rows too: rows are of one height (the
        view asks only the first row, which is a group's)."""
        base = super().sizeHint(option, index)
        width = self.button_size.width() + 2 * _MARGIN
        return QSize(max(base.width(), width), max(base.height(), self.button_size.height() + 2))

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: AnyIndex,
    ) -> bool:
        kinds = (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        )
        if event.type() not in kinds or not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)
        if not _clickable(event, option, index):
            self._pressed = None
            return super().editorEvent(event, model, option, index)
        if event.type() == QEvent.Type.MouseButtonPress:
            # Let the view select the row as well; remember the press for the release.
            self._pressed = QPersistentModelIndex(index)
            return False
        if event.type() == QEvent.Type.MouseButtonDblClick:
            return True  # no expanding, collapsing or editing by double-clicking the button
        pressed, self._pressed = self._pressed, None
        if pressed is not None and pressed == QPersistentModelIndex(index):
            self.clicked.emit(index.sibling(index.row(), index.column()))
        return True


def _clickable(event: QMouseEvent, option: QStyleOptionViewItem, index: AnyIndex) -> bool:
    """A left-button event in the cell of an entry row that is not being checked."""
    if event.button() != Qt.MouseButton.LeftButton:
        return False
    if index.data(Role.IS_GROUP) or index.data(Role.CHECKING):
        return False
    return bool(option.rect.contains(event.position().toPoint()))
