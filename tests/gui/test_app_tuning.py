"""What the app sets up for its window: the interpreter's switch interval, one gc.freeze."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

from sipstory_desktop.gui import app


class _Window(QObject):
    loaded = Signal()


def test_the_interpreter_is_tuned_and_frozen_once_after_the_first_load(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    freezes: list[int] = []
    monkeypatch.setattr(app.gc, "freeze", lambda: freezes.append(1))
    interval = sys.getswitchinterval()
    try:
        window = _Window()
        app.tune_interpreter(window)  # type: ignore[arg-type]
        assert sys.getswitchinterval() == pytest.approx(app.SWITCH_INTERVAL_S)
        assert freezes == []
        window.loaded.emit()
        window.loaded.emit()  # later reloads replace what was loaded: no more freezing
        assert freezes == [1]
    finally:
        sys.setswitchinterval(interval)
