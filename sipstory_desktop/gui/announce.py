"""Saying something to a screen reader that is not on screen where the user is: the end
of a run of checks, for one. Qt 6.8+ sends it as an AT-SPI announcement (on Linux);
with an older Qt, or when no assistive technology listens, nothing is sent."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

try:
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # Qt < 6.8
    QAccessibleAnnouncementEvent = None  # type: ignore[assignment,misc]


def announce(source: QWidget, text: str) -> bool:
    """Ask the screen reader to say ``text`` politely (after what it is saying), from
    ``source`` (a widget of the window). Whether it was sent."""
    if QAccessibleAnnouncementEvent is None or not QAccessible.isActive():
        return False
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))
    return True
