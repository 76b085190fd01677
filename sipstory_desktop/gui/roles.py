"""The item data roles and columns of the entry list, shared by model, delegates and views."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt


class Role(enum.IntEnum):
    """Custom data roles of :class:`~sipstory_desktop.gui.entry_model.EntryModel`."""

    ENTRY = Qt.ItemDataRole.UserRole + 1  # core.entries.Entry (None on a group row)
    RESULT = Qt.ItemDataRole.UserRole + 2  # core.status.CheckResult | None
    STATUS = Qt.ItemDataRole.UserRole + 3  # core.status.Status (worst of the group on a group row)
    CHECKING = Qt.ItemDataRole.UserRole + 4  # bool: a check of this entry is running
    SORT = Qt.ItemDataRole.UserRole + 5  # a value to sort the column by
    HISTORY = Qt.ItemDataRole.UserRole + 6  # list[CheckResult], oldest first
    IS_GROUP = Qt.ItemDataRole.UserRole + 7  # bool


class Column(enum.IntEnum):
    LIGHT = 0
    NAME = 1
    INSTANCE = 2
    KEY = 3
    CHECKED = 4
    LATENCY = 5
    BUDGET = 6
    HISTORY = 7
    ACTION = 8
