"""What the list and the details say of an entry, in words: its status, since when, its
history and its tooltips (translated, context "EntryModel")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from ..core.budget import held_back_until, limit_of
from ..core.entries import Entry
from ..core.state import State
from ..core.status import CheckResult, Light, Status
from ..core.urls import CLOUD_BASE_URL, Origin, origin_of
from .moments import date_time_text, time_text
from .result_texts import translated
from .roles import Column
from .status_texts import ago, status_label

_CLOUD_ORIGIN = origin_of(CLOUD_BASE_URL)


def relative_time(moment: datetime | None, now: datetime) -> str:
    """ "3 min ago", translated."""
    return ago(moment, now)


def status_text(result: CheckResult | None, now: datetime) -> str:
    """The status label, and after a 429 when the entry may be checked again."""
    if result is None:
        return status_label(Status.UNCHECKED)
    if result.status is Status.RATE_LIMITED and result.retry_at and result.retry_at > now:
        return QCoreApplication.translate("EntryModel", "%s · again at %s") % (
            status_label(result.status),
            time_text(result.retry_at),
        )
    return status_label(result.status)


def checking_text() -> str:
    """What the light of a row being checked says (a spinner turns in its place)."""
    return QCoreApplication.translate("EntryModel", "Checking…")


def queued_text() -> str:
    """What the light of a row says while its check waits for its turn."""
    return QCoreApplication.translate("EntryModel", "Queued")


def group_light_text(working_text: str, worst_status: Status) -> str:
    """The light of an instance's row in words: "1 of 5 working; worst: Invalid key"."""
    if worst_status in (Status.CONNECTED, Status.UNCHECKED):
        return working_text
    return QCoreApplication.translate("EntryModel", "%s; worst: %s") % (
        working_text,
        status_label(worst_status),
    )


@dataclass(frozen=True)
class SpokenTexts:
    """What a screen reader is told of the cells that show no text, translated once."""

    check: str
    check_description: str
    history: str  # "%d of the last %d results working"
    no_history: str


def spoken_texts() -> SpokenTexts:
    """What a screen reader is told of the Check and History cells of every row.

    The Check cell is a cell, not a button (Qt's tree gives its cells no Press action),
    so it says how to press it."""
    return SpokenTexts(
        check=QCoreApplication.translate("EntryModel", "Check"),
        check_description=QCoreApplication.translate(
            "EntryModel",
            "Press Ctrl+T, or the details' Check button, to check the selected key now.",
        ),
        history=QCoreApplication.translate("EntryModel", "%d of the last %d results working"),
        no_history=QCoreApplication.translate("EntryModel", "No results yet"),
    )


def light_state(light: Light) -> str:
    """What a light means, as a state: "Working", "Rate limited", "Failing", "Unchecked"."""
    if light is Light.GREEN:
        return QCoreApplication.translate("EntryModel", "Working")
    if light is Light.AMBER:
        return QCoreApplication.translate("EntryModel", "Rate limited")
    if light is Light.RED:
        return QCoreApplication.translate("EntryModel", "Failing")
    return QCoreApplication.translate("EntryModel", "Unchecked")


def since_text(history: list[CheckResult]) -> str:
    """ "Working since 28 Nov 18:47": the state of the latest light and since when it has
    lasted; "" without history."""
    if not history:
        return ""
    light, since = colour_since(history)
    return QCoreApplication.translate("EntryModel", "%s since %s") % (
        light_state(light),
        date_time_text(since),
    )


def colour_since(history: list[CheckResult]) -> tuple[Light, datetime]:
    """The latest light of a (non-empty) history and since when it has lasted."""
    light, since = history[-1].light, history[-1].checked_at
    for result in reversed(history):
        if result.light != light:
            break
        since = result.checked_at
    return light, since


def history_summary(history: list[CheckResult]) -> str | None:
    """ "Last 12 results: 10 connected, 2 invalid key; working since 28 Nov 18:47"."""
    if not history:
        return None
    counts: dict[str, int] = {}
    for result in history:
        counts[status_label(result.status)] = counts.get(status_label(result.status), 0) + 1
    parts = ", ".join(f"{n} {label.lower()}" for label, n in counts.items())
    light, since = colour_since(history)
    return QCoreApplication.translate("EntryModel", "Last %d results: %s; %s since %s") % (
        len(history),
        parts,
        light_state(light).lower(),
        date_time_text(since),
    )


def instance_label(origin: Origin) -> str:
    if origin == _CLOUD_ORIGIN:
        return QCoreApplication.translate("EntryModel", "Sipstory Cloud")
    return str(origin).split("://", 1)[1]


def cell_tooltip(column: Column, entry: Entry, state: State, now: datetime) -> str | None:
    """The tooltip of a cell of ``entry``'s row."""
    result = state.latest(entry.id)
    if column == Column.LIGHT:
        shown = state.shown(entry.id)
        return f"{translated(shown.message)}\n{translated(shown.hint)}".strip() if shown else None
    if column == Column.NAME:
        return entry.note or None
    if column == Column.INSTANCE:
        return entry.base_url
    if column == Column.CHECKED:
        return date_time_text(result.checked_at, now) if result else None
    if column == Column.BUDGET:
        if held_back_until(state, entry.id, now) is not None:
            return QCoreApplication.translate(
                "EntryModel",
                "Sipstory answered 429 Too Many Requests: the organization has used up its "
                "%d requests of this hour.",
            ) % limit_of(state, entry.id, now)
        return QCoreApplication.translate(
            "EntryModel",
            "Checks sent with this key in the last hour; Sipstory allows %d requests "
            "per hour per organization.",
        ) % limit_of(state, entry.id, now)
    if column == Column.HISTORY:
        return history_summary(list(state.results.get(entry.id, [])))
    if column == Column.ACTION:
        return QCoreApplication.translate("EntryModel", "Check this key now (Ctrl+T)")
    return None
