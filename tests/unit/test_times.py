"""Times in words, shared by the window and sipstory-keys."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from sipstory_desktop.core.times import ago, local_clock, utc_now


@pytest.mark.parametrize(
    ("before", "said"),
    [
        (timedelta(0), "just now"),
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=3, seconds=10), "3 min ago"),
        (timedelta(hours=2, minutes=59), "2 h ago"),
        (timedelta(days=3, hours=1), "3 d ago"),
        (-timedelta(minutes=5), "just now"),  # a clock a little ahead: not "in 5 min"
    ],
)
def test_ago(before: timedelta, said: str) -> None:
    now = utc_now()
    assert ago(now - before, now) == said


def test_never_and_translated_words() -> None:
    now = utc_now()
    assert ago(None, now) == "never"
    german = {"%n min ago": "vor %n Min.", "never": "nie"}
    assert ago(now - timedelta(minutes=7), now, lambda text: german.get(text, text)) == "vor 7 Min."
    assert ago(None, now, lambda text: german.get(text, text)) == "nie"


@pytest.mark.parametrize(
    ("zone", "said"),
    [("UTC", "12:01 UTC"), ("Europe/Berlin", "13:01 CET"), ("Asia/Kathmandu", "17:46 +0545")],
)
def test_a_local_clock_names_its_zone(
    monkeypatch: pytest.MonkeyPatch, zone: str, said: str
) -> None:
    # A stored message may be read later under another zone: the time says which it is.
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert local_clock(datetime(2026, 12, 3, 12, 1, tzinfo=timezone.utc)) == said
    finally:
        monkeypatch.undo()
        time.tzset()
