"""What the window calls each status, and how long ago a moment was, translated
(context "StatusTexts").

The status names (``invalid_key``) and core's English labels stay as they are for the
command line and the JSON output, which are contracts; only the window says these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from ..core.status import Status

# Marks a text for lupdate (under this very name) and returns it untranslated; typed here
# (PySide6 says it returns ``object``).
QT_TRANSLATE_NOOP: Callable[[str, str], str] = QtCore.QT_TRANSLATE_NOOP  # type: ignore[assignment]

_CONTEXT = "StatusTexts"

_LABELS = {
    Status.CONNECTED: QT_TRANSLATE_NOOP("StatusTexts", "Connected"),
    Status.RATE_LIMITED: QT_TRANSLATE_NOOP("StatusTexts", "Rate limited"),
    Status.INVALID_KEY: QT_TRANSLATE_NOOP("StatusTexts", "Invalid key"),
    Status.NO_SUBSCRIPTION: QT_TRANSLATE_NOOP("StatusTexts", "No subscription"),
    Status.NOT_API: QT_TRANSLATE_NOOP("StatusTexts", "Not the API"),
    Status.REDIRECTED: QT_TRANSLATE_NOOP("StatusTexts", "Redirected"),
    Status.UNREACHABLE: QT_TRANSLATE_NOOP("StatusTexts", "Unreachable"),
    Status.TIMEOUT: QT_TRANSLATE_NOOP("StatusTexts", "Timed out"),
    Status.TLS_ERROR: QT_TRANSLATE_NOOP("StatusTexts", "TLS error"),
    Status.SERVER_ERROR: QT_TRANSLATE_NOOP("StatusTexts", "Server error"),
    Status.UNEXPECTED: QT_TRANSLATE_NOOP("StatusTexts", "Unexpected answer"),
    Status.NO_SECRET: QT_TRANSLATE_NOOP("StatusTexts", "No key stored"),
    Status.KEYRING_ERROR: QT_TRANSLATE_NOOP("StatusTexts", "Keyring error"),
    Status.UNCHECKED: QT_TRANSLATE_NOOP("StatusTexts", "Not checked"),
}


def status_label(status: Status) -> str:
    """ "Invalid key" in the window's language (``status.label`` stays English)."""
    return QCoreApplication.translate(_CONTEXT, _LABELS[status])


def ago(moment: datetime | None, now: datetime) -> str:
    """How long before ``now`` ``moment`` was, in words: "3 min ago", "never"."""
    if moment is None:
        return QCoreApplication.translate("StatusTexts", "never")
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return QCoreApplication.translate("StatusTexts", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("StatusTexts", "%1 min ago").replace(
            "%1", str(seconds // 60)
        )
    if seconds < 86400:
        return QCoreApplication.translate("StatusTexts", "%1 h ago").replace(
            "%1", str(seconds // 3600)
        )
    return QCoreApplication.translate("StatusTexts", "%1 d ago").replace(
        "%1", str(seconds // 86400)
    )
