"""What the cells of a row of the list hold: texts, sort keys and pictures, computed in
Python when something changes, so that painting never calls back into Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QStandardItem

from ..core.budget import limit_of, shown_used
from ..core.checker import has_no_key
from ..core.entries import Entry
from ..core.keys import masked
from ..core.state import State
from ..core.status import Status, worst
from ..core.urls import Origin
from .cell_art import CellArt
from .entry_texts import (
    SpokenTexts,
    checking_text,
    group_light_text,
    queued_text,
    relative_time,
    status_text,
)
from .result_texts import translated
from .roles import Column, Role
from .status_texts import status_label

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_ACCESSIBLE_DESCRIPTION = Qt.ItemDataRole.AccessibleDescriptionRole


@dataclass
class Group:
    """An instance's row and the entries under it."""

    origin: Origin
    label: str
    entries: list[Entry] = field(default_factory=list)
    items: list[QStandardItem] = field(default_factory=list)
    working: int = 0  # entries connected, as last filled
    worst: Status = Status.UNCHECKED


def make_entry_row(spoken: SpokenTexts) -> list[QStandardItem]:
    """The cells of a new entry row, with what never changes in them."""
    row = [QStandardItem() for _ in Column]
    row[Column.ACTION].setData(spoken.check, _ACCESSIBLE)
    row[Column.ACTION].setData(spoken.check_description, _ACCESSIBLE_DESCRIPTION)
    row[Column.LATENCY].setData(_RIGHT, Qt.ItemDataRole.TextAlignmentRole)
    row[Column.BUDGET].setData(_RIGHT, Qt.ItemDataRole.TextAlignmentRole)
    return row


def fill_entry_row(
    row: list[QStandardItem],
    entry: Entry,
    state: State,
    now: datetime,
    *,
    art: CellArt,
    spoken: SpokenTexts,
) -> None:
    """What the cells of ``entry``'s row paint, and what they sort by (but the spinner:
    :func:`show_checking`)."""
    result = state.shown(entry.id)  # a check that sent nothing shows, but is not history
    checked_at = _checked_at(state, entry.id)
    status = result.status if result else Status.UNCHECKED
    used = shown_used(state, entry.id, now)  # after a 429: the limit, as its message says
    limit = limit_of(state, entry.id, now)
    light_text = status_text(result, now)
    path = urlsplit(entry.base_url).path or "/"  # the group row shows the host
    key = (
        QCoreApplication.translate("EntryModel", "No key saved")
        if has_no_key(state, entry)
        else masked(entry.key_hint)
    )
    history = state.results.get(entry.id, [])
    working = sum(1 for r in history if r.ok)
    latency = result.latency_ms if result else None
    cells: tuple[tuple[str, Any], ...] = (
        (light_text, status.light.severity),
        (entry.name, entry.name.casefold()),
        (path, path.casefold()),
        (key, key),
        (
            relative_time(checked_at, now),
            checked_at.timestamp() if checked_at else 0.0,
        ),
        (
            QCoreApplication.translate("EntryModel", "%s ms") % latency
            if latency is not None
            else "",
            -1 if latency is None else latency,
        ),
        (f"{used}/{limit}", used),
        ("", working / max(1, len(history))),
        ("", ""),
    )
    for item, (text, sort_key) in zip(row, cells, strict=True):
        item.setData(text, _DISPLAY)
        item.setData(sort_key, Role.SORT)
    light = row[Column.LIGHT]
    light.setData(entry, Role.ENTRY)  # on the first cell only: read it from column 0
    light.setData(status.value, Role.STATUS)
    # What a screen reader says of the light: the status and its reason, then what to do.
    light.setData(
        f"{light_text}: {translated(result.message)}" if result else status_label(Status.UNCHECKED),
        _ACCESSIBLE,
    )
    light.setData(
        translated(result.hint) if result and not result.ok else "", _ACCESSIBLE_DESCRIPTION
    )
    light.setData(art.light(status.light), _DECORATION)
    lights = tuple(r.light for r in history)
    row[Column.HISTORY].setData(lights, Role.HISTORY)
    row[Column.HISTORY].setData(art.history(lights), _DECORATION)
    row[Column.HISTORY].setData(
        spoken.history % (working, len(history)) if history else spoken.no_history, _ACCESSIBLE
    )


def show_checking(
    row: list[QStandardItem], checking: bool, art: CellArt, frame: int, *, running: bool = True
) -> None:
    """While checking, a greyed button, and instead of the light the spinner (at
    ``frame``) when the request is on its way, "Queued" while it waits its turn."""
    row[Column.LIGHT].setData(checking, Role.CHECKING)
    row[Column.ACTION].setData(checking, Role.CHECKING)
    row[Column.ACTION].setData(art.button(enabled=not checking), _DECORATION)
    if not checking:  # the end of the check fills the row again (fill_entry_row)
        return
    light = row[Column.LIGHT]
    text = checking_text() if running else queued_text()
    light.setData(art.spinner(frame) if running else art.waiting(), _DECORATION)
    light.setData(text, _DISPLAY)
    light.setData(text, _ACCESSIBLE)


def fill_group_row(group: Group, state: State, art: CellArt) -> None:
    """The instance's row: how many of its keys work, and its worst light."""
    statuses = [_status(state, e.id) for e in group.entries]
    working = sum(1 for status in statuses if status is Status.CONNECTED)
    texts = {
        Column.LIGHT: QCoreApplication.translate("EntryModel", "%d of %d working")
        % (working, len(statuses)),
        Column.NAME: f"{group.label} ({len(group.entries)})",
        Column.INSTANCE: str(group.origin),
    }
    worst_status = worst(statuses)
    group.working, group.worst = working, worst_status
    group.items[Column.LIGHT].setData(art.light(worst_status.light), _DECORATION)
    # The empty cells of an instance's row still say whose row they are to a screen reader.
    spoken = {
        **dict.fromkeys(Column, texts[Column.NAME]),
        **texts,
        Column.LIGHT: group_light_text(texts[Column.LIGHT], worst_status),
    }
    for column in Column:
        item = group.items[column]
        item.setData(texts.get(column), _DISPLAY)
        item.setData(spoken[column], _ACCESSIBLE)
        item.setData(
            group.label.casefold() if column == Column.NAME else texts.get(column), Role.SORT
        )
        item.setData(True, Role.IS_GROUP)
        item.setData(worst_status.value, Role.STATUS)
        item.setData(False, Role.CHECKING)


def _checked_at(state: State, entry_id: str) -> datetime | None:
    """When a request was last sent to check the entry (a check that sent none is not one)."""
    latest = state.latest(entry_id)
    return latest.checked_at if latest else None


def _status(state: State, entry_id: str) -> Status:
    result = state.shown(entry_id)
    return result.status if result else Status.UNCHECKED
