"""Timestamps: always aware, always UTC, written as ISO 8601."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone


def utc_now() -> datetime:
    """Now, in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def to_iso(moment: datetime) -> str:
    """``2026-11-28T18:47:51Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    """Read what :func:`to_iso` wrote; a time without a zone is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def local_clock(moment: datetime) -> str:
    """The time of day in local time, with its zone: "17:46 CET".

    For messages that are stored and may be read later in another zone (the CLI in a
    container on UTC, the window at home)."""
    return f"{moment.astimezone():%H:%M %Z}".strip()


def ago(moment: datetime | None, now: datetime, tr: Callable[[str], str] = str) -> str:
    """How long before ``now`` ``moment`` was, in words: "3 min ago", "never".

    ``tr`` translates each phrase before its number (``%n``) is filled in."""
    if moment is None:
        return tr("never")
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return tr("just now")
    if seconds < 3600:
        return tr("%n min ago").replace("%n", str(seconds // 60))
    if seconds < 86400:
        return tr("%n h ago").replace("%n", str(seconds // 3600))
    return tr("%n d ago").replace("%n", str(seconds // 86400))
