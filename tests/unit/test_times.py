"""Times in words, shared by the window and sipstory-keys."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sipstory_desktop.core.times import ago, utc_now


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
