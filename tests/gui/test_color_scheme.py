"""Dark and light: the app follows the desktop's colour scheme, live, and every light stays
legible against its row (at least 3:1, WCAG's minimum for graphics), measured on the
rendered pixels of the list, selected rows included."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QTreeView
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.state import State
from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.gui.cell_art import CellArt
from sipstory_desktop.gui.color_scheme import ColorSchemeFollower, dark_palette
from sipstory_desktop.gui.entry_model import EntryModel
from sipstory_desktop.gui.lights import contrast, is_dark_palette, light_colour
from sipstory_desktop.gui.roles import Column

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

SHOWN = {
    Light.GREEN: Status.CONNECTED,
    Light.AMBER: Status.RATE_LIMITED,
    Light.RED: Status.INVALID_KEY,
    Light.GREY: Status.UNCHECKED,
}


@pytest.fixture
def restored_palette(qapp: QApplication) -> Iterator[None]:
    app = qapp
    before = QPalette(app.palette())
    yield
    app.setPalette(before)


@pytest.mark.usefixtures("restored_palette")
def test_a_dark_desktop_gets_a_dark_palette_and_a_light_one_its_own_back() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    follower = ColorSchemeFollower(app)
    light_window = app.palette().color(QPalette.ColorRole.Window)
    follower.follow(Qt.ColorScheme.Dark)
    assert is_dark_palette(app.palette())
    follower.follow(Qt.ColorScheme.Dark)  # again: no change
    assert is_dark_palette(app.palette())
    follower.follow(Qt.ColorScheme.Light)
    assert app.palette().color(QPalette.ColorRole.Window) == light_window
    follower.deleteLater()


def _ring(image: QImage, rect: QRect, fill: QColor) -> Counter[int]:
    """The colours 2 px outside the pixels of ``fill`` in ``rect``: what the light is seen on."""

    def near(x: int, y: int) -> bool:
        c = image.pixelColor(x, y)
        return (
            max(
                abs(c.red() - fill.red()),
                abs(c.green() - fill.green()),
                abs(c.blue() - fill.blue()),
            )
            <= 16
        )

    inside = {(x, y) for x in range(rect.left(), rect.right() + 1)
              for y in range(rect.top(), rect.bottom() + 1) if near(x, y)}  # fmt: skip
    assert len(inside) > 10, "the light is not painted"
    ring: Counter[int] = Counter()
    for x, y in inside:
        for dx, dy in ((2, 0), (-2, 0), (0, 2), (0, -2)):
            px, py = x + dx, y + dy
            if (px, py) in inside or not rect.contains(px, py):
                continue
            if any((px + ex, py + ey) in inside for ex in (-1, 0, 1) for ey in (-1, 0, 1)):
                continue  # still at the shape's edge (antialiased)
            ring[image.pixelColor(px, py).rgb()] += 1
    return ring


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("selected", [False, True], ids=["row", "selected row"])
@pytest.mark.usefixtures("restored_palette")
def test_every_light_stands_out_from_its_row(qtbot: QtBot, dark: bool, selected: bool) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if dark:
        app.setPalette(dark_palette())
    entries = {
        light: Entry(name=light.value, kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)
        for light in SHOWN
    }
    state = State()
    for light, entry in entries.items():
        if SHOWN[light] is not Status.UNCHECKED:
            state.record_result(entry.id, CheckResult(SHOWN[light], "x"))
    tree = QTreeView()
    qtbot.addWidget(tree)
    model = EntryModel(tree, CellArt.for_widget(tree))
    model.set_entries(list(entries.values()), state)
    tree.setModel(model)
    tree.setUniformRowHeights(True)
    tree.setIconSize(model.art.icon_size)
    tree.setColumnWidth(Column.LIGHT, 220)
    tree.expandAll()
    tree.resize(700, 240)
    tree.show()
    qtbot.waitExposed(tree)
    for light, entry in entries.items():
        if selected:
            tree.setCurrentIndex(model.index_of(entry.id))
        tree.viewport().repaint()
        image = tree.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        cell = tree.visualRect(model.index_of(entry.id, Column.LIGHT))
        rect = QRect(cell.left(), cell.top(), model.art.light_side + 8, cell.height())
        fill = light_colour(light, tree.palette())
        seen_on = QColor.fromRgb(_ring(image, rect, fill).most_common(1)[0][0])
        assert contrast(fill, seen_on) >= 3.0, (light, fill.name(), seen_on.name())
