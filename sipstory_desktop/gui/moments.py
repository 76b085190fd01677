"""How the window writes a moment: in local time, in one format, in every pane.

Every time the window shows (the details, the list's tooltips, the recent results, the
"again at" of a rate limit, the dialogs) goes through here, so that no pane speaks UTC
beside another's local time, nor "2026-12-03 09:41:56" beside "03 Dec 09:41".
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

_TIME = "HH:mm"
_DATE_TIME = "d MMM HH:mm"
_DATE_TIME_WITH_YEAR = "d MMM yyyy HH:mm"


def _local(moment: datetime) -> QDateTime:
    """``moment`` (aware) as a local QDateTime, to the second."""
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def time_text(moment: datetime) -> str:
    """The local time of day of ``moment``: "09:41"."""
    return QLocale().toString(_local(moment), _TIME)


def date_time_text(moment: datetime, now: datetime | None = None) -> str:
    """The local date and time of ``moment``: "3 Dec 09:41"; "3 Dec 2025 09:41" when it
    is not of ``now``'s year (the current one when None)."""
    local = _local(moment)
    this_year = QDateTime.currentDateTime() if now is None else _local(now)
    same_year = local.date().year() == this_year.date().year()
    return QLocale().toString(local, _DATE_TIME if same_year else _DATE_TIME_WITH_YEAR)
