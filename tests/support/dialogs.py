"""Helpers of the dialog tests: open a dialog, find its parts, answer its message boxes,
and the keyboard checks that every dialog must pass (Escape closes, Tab reaches all)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

W = TypeVar("W", bound=QWidget)
D = TypeVar("D", bound=QDialog)


def opened(qtbot: QtBot, dialog: D) -> D:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def child(parent: QWidget, kind: type[W], name: str) -> W:
    found = parent.findChild(kind, name)
    assert found is not None, name
    return found


def shown_text(dialog: QWidget, name: str) -> str:
    """The text of a label, or "" while it is hidden."""
    found = child(dialog, QLabel, name)
    return found.text() if found.isVisibleTo(dialog) else ""


def button(dialog: QWidget, text: str) -> QPushButton:
    """The push button whose accessible name is ``text``."""
    found = [b for b in dialog.findChildren(QPushButton) if b.accessibleName() == text]
    assert len(found) == 1, text
    return found[0]


def rows(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    found = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [item for item in found if item is not None]


def children(item: QTreeWidgetItem) -> list[str]:
    found = [item.child(i) for i in range(item.childCount())]
    return [each.text(0) for each in found if each is not None]


def image(icon: QIcon) -> QImage:
    return icon.pixmap(QSize(16, 16), 1.0).toImage()


CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)


def controls_of(dialog: QDialog) -> list[QWidget]:
    """The visible controls of ``dialog`` (lists, buttons, fields, not list headers)."""
    return [
        widget
        for widget in dialog.findChildren(QWidget)
        if isinstance(widget, CONTROLS)
        and not isinstance(widget, QHeaderView)
        and widget.isVisibleTo(dialog)
    ]


def assert_accessible(dialog: QDialog) -> None:
    """Every control has an accessible name."""
    for widget in controls_of(dialog):
        assert widget.accessibleName(), widget


def click_in_message_box(qtbot: QtBot, name: str | None) -> None:
    """Once the next message box opens, press its button ``name`` (None: Escape)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        if name is None:
            QTest.keyClick(box, Qt.Key.Key_Escape)
        else:
            child(box, QPushButton, name).click()

    QTimer.singleShot(0, press)


def assert_escape_closes(dialog: QDialog) -> None:
    """Escape closes ``dialog`` (an opened one) as a rejection."""
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def assert_tab_reaches_every_control(dialog: QDialog) -> None:
    """Every enabled control of ``dialog`` (an opened one) is in its Tab focus chain."""
    controls = {widget for widget in controls_of(dialog) if widget.isEnabled()}
    assert controls

    reached: set[QWidget] = set()
    widget: QWidget | None = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog:  # the focus chain is a ring
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            reached.add(widget)
        widget = widget.nextInFocusChain()
    assert controls <= reached
