"""Run by tests/gui/test_hidpi.py in a process of its own (the scale is set before Qt starts):
the demo window at QT_SCALE_FACTOR, then what is not sharp and what text is cut, as JSON."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QToolButton, QWidget

from sipstory_desktop.demo.session import DemoSession
from sipstory_desktop.gui.app_style import use_app_style
from sipstory_desktop.gui.roles import Column
from sipstory_desktop.gui.window import MainWindow


def _text_width(widget: QWidget, text: str) -> int:
    return widget.fontMetrics().horizontalAdvance(text.replace("&", ""))


def cut_texts(window: MainWindow) -> list[str]:
    cut = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text():
            continue
        if label.textFormat() == Qt.TextFormat.RichText or "<" in label.text():
            continue
        if _text_width(label, label.text()) > label.contentsRect().width() + 1:
            cut.append(f"label {label.objectName() or label.text()!r}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        if isinstance(button, QToolButton) and (
            button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        ):
            continue  # its text is its name for screen readers, not shown
        if _text_width(button, button.text()) > button.width() - 4:
            cut.append(f"button {button.text()!r}")
    tree = window.entry_list
    header = tree.header()
    model = window.model
    for column in range(model.columnCount()):
        title = model.headerData(column, Qt.Orientation.Horizontal)
        if title and _text_width(header, str(title)) > header.sectionSize(column) - 8:
            cut.append(f"header {title!r}")
    for entry in model.entries():
        for column in (Column.LIGHT, Column.NAME, Column.CHECKED, Column.LATENCY, Column.BUDGET):
            index = tree.proxy.mapFromSource(model.index_of(entry.id, column))
            text = index.data() or ""
            rect = tree.visualRect(index)
            room = rect.width() - 8 - (model.art.light_side + 6 if column == Column.LIGHT else 0)
            if text and _text_width(tree, text) > room:
                cut.append(f"cell {column.name} {text!r}")
    return cut


def blurry(window: MainWindow) -> list[str]:
    ratio = window.devicePixelRatioF()
    found = []
    model = window.model
    entry = model.entries()[0]
    for column in (Column.LIGHT, Column.HISTORY, Column.ACTION):
        picture = model.index_of(entry.id, column).data(Qt.ItemDataRole.DecorationRole)
        if isinstance(picture, QIcon):
            size = window.entry_list.iconSize()
            picture = picture.pixmap(size, ratio)
            if picture.deviceIndependentSize().toSize() != size:
                found.append(f"{column.name}: shown at {picture.deviceIndependentSize()}")
        if isinstance(picture, QPixmap) and abs(picture.devicePixelRatio() - ratio) > 0.01:
            found.append(f"{column.name}: drawn at {picture.devicePixelRatio()} for {ratio}")
    for label in window.findChildren(QLabel):
        pixmap = label.pixmap()
        if (
            label.isVisible()
            and not pixmap.isNull()
            and abs(pixmap.devicePixelRatio() - ratio) > 0.01
        ):
            found.append(
                f"label {label.objectName() or label.accessibleName()}: {pixmap.devicePixelRatio()}"
            )
    return found


def main() -> int:
    app = QApplication(sys.argv[:1])
    use_app_style(app)
    report: dict[str, object] = {}
    with DemoSession() as demo:
        window = MainWindow(demo.vault, demo=True)
        window.resize(1480, 740)
        window.show()

        def probe() -> None:
            proxy = window.entry_list.proxy
            window.entry_list.setCurrentIndex(proxy.index(0, 0, proxy.index(0, 0)))
            app.processEvents()
            report["ratio"] = window.devicePixelRatioF()
            report["blurry"] = blurry(window)
            report["cut"] = cut_texts(window)
            window.close()

        window.session.idle.connect(lambda: QTimer.singleShot(300, probe))
        QTimer.singleShot(30_000, window.close)
        app.exec()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
