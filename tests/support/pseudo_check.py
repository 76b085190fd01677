"""What the pseudo-locale test looks for in a shown widget tree: text cut by its widget,
and text that stayed English (not inside the pseudo-locale's brackets)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QWidget,
)

_BRACKETED = re.compile(r"\[[^\[\]]*\]")
# Key names in a tooltip, "(Ctrl+T)": Qt's own (QShortcut), translated by qtbase.
_SHORTCUT = re.compile(r"\((?:(?:Ctrl|Alt|Shift|Meta)\+)*(?:F\d+|Del|Esc|[A-Z0-9])\)")
# A moment as QLocale writes it ("03 Dec 18:47"): the locale's month names, not ours.
_MOMENT = re.compile(r"\b\d{1,2}\.? \w{3,5}\.?(?: \d{4})? \d\d:\d\d\b")
_URL = re.compile(r"\bhttps?://[^\s“”\"')\[]+")  # addresses are data
# Qt's own standard buttons, translated by qtbase (not by the pseudo-locale).
QT_OWN = frozenset({"OK", "Cancel", "Close", "Apply", "Yes", "No", "Discard", "Reset"})
_RICH = re.compile(r"<[a-zA-Z/!][^>]*>")


def plain(text: str) -> str:
    """``text`` as shown: rich text without its markup, and no mnemonic ampersands."""
    if _RICH.search(text):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def english_left(text: str, data: Iterable[str]) -> str:
    """What of ``text`` is outside the pseudo brackets and is not one of ``data`` (names,
    addresses, key masks: what the user typed, not what the app says); "" if nothing."""
    rest = plain(text)
    if rest in QT_OWN:
        return ""
    rest = _MOMENT.sub(" ", _URL.sub(" ", _SHORTCUT.sub(" ", rest)))
    for value in sorted(data, key=len, reverse=True):
        if value:
            rest = rest.replace(value, " ")
    previous = None
    while previous != rest:  # brackets inside brackets
        previous, rest = rest, _BRACKETED.sub(" ", rest)
    words = [w for w in re.split(r"[^\w]+", rest) if any(c.isalpha() for c in w)]
    return " ".join(words)


def _label_cut(label: QLabel) -> bool:
    text = plain(label.text())
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return False
    width = label.contentsRect().width() - 2 * label.margin() - label.indent() * 0
    metrics = label.fontMetrics()
    if label.wordWrap():  # Qt's own line breaking: at spaces, and within URLs at "/"
        room = QRect(0, 0, width, 100_000)
        needed = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), text)
        return needed.width() > width or label.heightForWidth(label.width()) > label.height()
    widest = max(metrics.horizontalAdvance(line) for line in text.splitlines() or [""])
    return widest > width


def _button_cut(button: QAbstractButton) -> bool:
    if not plain(button.text()):
        return False
    return button.sizeHint().width() > button.width()


def _view_texts(view: QAbstractItemView) -> Iterable[tuple[str, str]]:
    """The header titles and the shown texts and tooltips of a view's first rows."""
    model = view.model()
    display, tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model's columnCount is private in PySide6
        columns = 1
    for column in range(columns):
        title = model.headerData(column, Qt.Orientation.Horizontal, display)
        yield "header", str(title or "")
    todo = [QModelIndex()]
    while todo:
        parent = todo.pop()
        for row in range(min(model.rowCount(parent), 20)):
            for column in range(columns):
                index = model.index(row, column, parent)
                for role, where in ((display, "cell"), (tip, "cell tooltip")):
                    value = index.data(role)
                    if isinstance(value, str):
                        yield where, value
            todo.append(model.index(row, 0, parent))


def _inside_top(widget: QWidget, top: QWidget) -> bool:
    """Whether ``widget`` lies within ``top``'s area (not scrolled out of a list's view)."""
    origin = widget.mapTo(top, widget.rect().topLeft())
    return top.rect().contains(origin)


def problems(top: QWidget, data: Iterable[str]) -> list[str]:
    """Every cut or English text among the visible widgets of ``top``."""
    data = list(data)
    found: list[str] = []

    def english(where: str, text: str) -> None:
        left = english_left(text, data)
        if left:
            found.append(f"untranslated {where}: {text!r} (English: {left!r})")

    english(f"title of {type(top).__name__}", top.windowTitle())
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) or widget.width() <= 1:
            continue
        name = widget.objectName() or type(widget).__name__
        english(f"tooltip of {name}", widget.toolTip())
        english(f"accessible name of {name}", widget.accessibleName())
        english(f"accessible description of {name}", widget.accessibleDescription())
        if isinstance(widget, (QLabel, QAbstractButton)) and plain(widget.text()):
            shown = widget.visibleRegion().boundingRect()
            if shown.width() < widget.width() and _inside_top(widget, top):
                seen = f"{shown.width()} of {widget.width()} px shown"
                found.append(f"clipped {name} ({seen}): {widget.text()!r}")
        if isinstance(widget, QLabel):
            english(f"label {name}", widget.text())
            if _label_cut(widget):
                found.append(f"cut label {name} ({widget.width()} px): {widget.text()!r}")
        elif isinstance(widget, (QPushButton, QCheckBox, QRadioButton)):
            english(f"button {name}", widget.text())
            if _button_cut(widget):
                found.append(f"cut button {name} ({widget.width()} px): {widget.text()!r}")
        elif isinstance(widget, QAbstractButton):
            english(f"button {name}", widget.text())
        elif isinstance(widget, QGroupBox):
            english(f"group {name}", widget.title())
        elif isinstance(widget, QLineEdit):
            english(f"placeholder of {name}", widget.placeholderText())
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                english(f"tab of {name}", widget.tabText(index))
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            for where, text in _view_texts(widget):
                english(f"{where} of {name}", text)
        for action in widget.actions():
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            for text in (action.text(), action.toolTip(), action.statusTip()):
                english(
                    f"action {action.objectName()}",
                    text.replace(shortcut, "") if shortcut else text,
                )
    return found
