"""The Qt binding the app runs on does not leak references to None.

PySide6 6.12.0 on CPython 3.10/3.11 drops a reference to None on every call of a method
that returns nothing, until the interpreter aborts (``none_dealloc``); pyproject.toml
keeps it out. This test catches such a binding if it comes back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject


def test_void_calls_keep_none_referenced() -> None:
    if sys.version_info >= (3, 12):
        pytest.skip("None is immortal from Python 3.12 on")
    probe = QObject()
    before = sys.getrefcount(None)
    for number in range(5000):
        probe.setObjectName(str(number))
    assert sys.getrefcount(None) >= before - 100
