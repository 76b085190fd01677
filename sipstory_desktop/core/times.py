"""Timestamps: always aware, always UTC, written as ISO 8601."""

from __future__ import annotations

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
