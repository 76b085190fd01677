"""The yes/no question of :func:`confirm` (gui/questions.py).

The destructive form (a Delete button and Cancel) is tested through the orphans dialog in
test_issue5_dialogs.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from sipstory_desktop.gui.questions import confirm

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


class Asked:
    """A stand-in for QMessageBox.question: answers ``answer``, remembers what it was asked."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> QMessageBox.StandardButton:
        self.calls.append(args)
        return self.answer


@pytest.mark.parametrize(("answer", "agreed"), [(YES, True), (NO, False)])
def test_confirm_asks_yes_or_no_with_no_the_default(
    monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton, agreed: bool
) -> None:
    asked = Asked(answer)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(asked))

    assert confirm(None, "Check all?", "Check all anyway?") is agreed
    assert asked.calls == [(None, "Check all?", "Check all anyway?", YES | NO, NO)]


def test_confirm_can_default_to_yes_and_puts_details_after_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = Asked(YES)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(asked))

    assert confirm(None, "Title", "Sure?", default_no=False, details="Why.")
    assert asked.calls == [(None, "Title", "Sure?\n\nWhy.", YES | NO, YES)]
