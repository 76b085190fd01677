"""The list's pictures (lights, spinner, history bars, Test button) as Qt paints them from the
model, and the Test button's clicks. Every check looks at the pixels of the real view."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.state import State
from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.gui.cell_art import DEFAULT_BARS, CellArt
from sipstory_desktop.gui.check_button import CheckButtonDelegate
from sipstory_desktop.gui.entry_model import EntryModel
from sipstory_desktop.gui.lights import light_colour
from sipstory_desktop.gui.roles import Column

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

MIXED = [
    Status.CONNECTED,
    Status.RATE_LIMITED,
    Status.INVALID_KEY,
    Status.UNCHECKED,
    Status.TIMEOUT,
    Status.CONNECTED,
]
LONG = [Status.INVALID_KEY] * 10 + [Status.CONNECTED] * 20  # only the newest 20 show


def _entry(name: str) -> Entry:
    return Entry(name=name, kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL, key_hint="abcd")


@dataclass
class ListView:
    tree: QTreeView
    model: EntryModel
    being_checked: set[str]  # the check session's record, which the model reads
    buttons: CheckButtonDelegate
    mixed: Entry
    checking: Entry
    long: Entry
    unchecked: Entry

    def cell(self, entry: Entry | None, column: Column) -> QRect:
        """The cell of ``entry`` (None: the group row) in viewport coordinates."""
        index = self.model.index_of(entry.id, column) if entry else self.model.index(0, column)
        return self.tree.visualRect(index)

    def light_rect(self, entry: Entry | None) -> QRect:
        cell = self.cell(entry, Column.LIGHT)
        return QRect(cell.left(), cell.top(), self.model.art.light_side + 8, cell.height())

    def grab(self) -> QImage:
        self.tree.viewport().repaint()
        image = self.tree.viewport().grab().toImage()
        return image.convertToFormat(QImage.Format.Format_ARGB32)


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ListView]:
    """The list as the window builds it, over four entries of the cloud: a mixed history,
    one being checked (after an invalid key), a long green history, and an unchecked one."""
    entries = [_entry(n) for n in ("mixed", "checking", "long", "unchecked")]
    state = State()
    now = utc_now()
    for entry, statuses in ((entries[0], MIXED), (entries[2], LONG)):
        for n, status in enumerate(statuses):
            state.record_result(
                entry.id,
                CheckResult(status, status.label, checked_at=now - timedelta(minutes=60 - n)),
            )
    state.record_result(entries[1].id, CheckResult(Status.INVALID_KEY, "rejected"))
    tree = QTreeView()
    qtbot.addWidget(tree)
    being_checked = {entries[1].id}
    model = EntryModel(tree, CellArt.for_widget(tree), checking=being_checked)
    model.set_entries(entries, state)
    tree.setModel(model)
    tree.setUniformRowHeights(True)
    tree.setIconSize(model.art.icon_size)
    buttons = CheckButtonDelegate(tree)
    buttons.button_size = model.art.button_size()
    tree.setItemDelegateForColumn(Column.ACTION, buttons)
    for column, width in ((Column.LIGHT, 200), (Column.NAME, 80), (Column.INSTANCE, 40)):
        tree.setColumnWidth(column, width)
    tree.setColumnWidth(Column.HISTORY, model.art.history_width + 8)
    tree.setColumnWidth(Column.ACTION, 80)
    for column in (Column.KEY, Column.CHECKED, Column.LATENCY, Column.BUDGET):
        tree.setColumnHidden(column, True)
    tree.expandAll()
    tree.resize(700, 220)
    tree.show()
    qtbot.waitExposed(tree)
    yield ListView(tree, model, being_checked, buttons, *entries)


def _pixels(image: QImage, rect: QRect) -> list[tuple[int, int, int]]:
    rect = rect.intersected(image.rect())
    return [
        (c.red(), c.green(), c.blue())
        for y in range(rect.top(), rect.bottom() + 1)
        for x in range(rect.left(), rect.right() + 1)
        if (c := image.pixelColor(x, y))
    ]


def _count_near(image: QImage, rect: QRect, colour: QColor, tolerance: int = 12) -> int:
    target = (colour.red(), colour.green(), colour.blue())
    return sum(
        1
        for pixel in _pixels(image, rect)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))
    )


def _colour(view: ListView, light: Light) -> QColor:
    return light_colour(light, view.tree.palette())


# --- lights and the spinner -------------------------------------------------------------


def test_the_light_of_each_row_is_painted(view: ListView) -> None:
    image = view.grab()
    green, grey, red = (_colour(view, light) for light in (Light.GREEN, Light.GREY, Light.RED))
    assert _count_near(image, view.light_rect(view.mixed), green) > 20
    assert _count_near(image, view.light_rect(view.mixed), red) == 0
    assert _count_near(image, view.light_rect(view.unchecked), grey) > 5
    assert _count_near(image, view.light_rect(None), red) > 20  # the group's worst light


def test_the_status_text_is_painted_next_to_the_light(view: ListView) -> None:
    image = view.grab()
    cell, light = view.cell(view.mixed, Column.LIGHT), view.light_rect(view.mixed)
    text = QRect(light.right() + 1, cell.top(), cell.width() - light.width(), cell.height())
    base = view.tree.palette().color(QPalette.ColorRole.Base)
    assert len(set(_pixels(image, text))) > 3  # glyphs, not just the background
    assert any(pixel != (base.red(), base.green(), base.blue()) for pixel in _pixels(image, text))


def test_a_checking_row_shows_the_spinner_instead_of_the_light(view: ListView) -> None:
    before = view.grab()
    rect = view.light_rect(view.checking)
    highlight = view.tree.palette().color(QPalette.ColorRole.Highlight)
    assert _count_near(before, rect, highlight) > 10
    assert _count_near(before, rect, _colour(view, Light.RED)) == 0

    view.being_checked.discard(view.checking.id)  # ended without a result
    view.model.show_checking([view.checking.id])
    after = view.grab()
    assert _count_near(after, rect, _colour(view, Light.RED)) > 20


def test_the_spinner_turns_when_advanced(view: ListView) -> None:
    rect = view.light_rect(view.checking)
    before = view.grab().copy(rect)
    view.model.advance_spinner()
    assert view.grab().copy(rect) != before


def test_the_spinner_stands_out_on_a_selected_row(view: ListView) -> None:
    view.tree.setCurrentIndex(view.model.index_of(view.checking.id))
    image = view.grab()
    selected_text = view.tree.palette().color(QPalette.ColorRole.HighlightedText)
    assert _count_near(image, view.light_rect(view.checking), selected_text) > 10


def test_a_light_keeps_its_colour_on_a_selected_row(view: ListView) -> None:
    view.tree.setCurrentIndex(view.model.index_of(view.mixed.id))
    image = view.grab()
    assert _count_near(image, view.light_rect(view.mixed), _colour(view, Light.GREEN), 4) > 20


# --- the Test button ----------------------------------------------------------------------


def test_the_button_is_painted_on_entry_rows_only(view: ListView) -> None:
    image = view.grab()
    base = view.tree.palette().color(QPalette.ColorRole.Base)
    cell = view.cell(view.mixed, Column.ACTION)
    button = QRect(cell.topLeft(), view.model.art.button_size()).intersected(cell)
    assert _count_near(image, button, base, tolerance=0) < button.width() * button.height() // 2
    group = view.cell(None, Column.ACTION)
    assert _count_near(image, group, base, tolerance=0) == group.width() * group.height()


def test_the_button_looks_disabled_while_checking(view: ListView) -> None:
    image = view.grab()
    size = view.model.art.button_size()
    shots = []
    for entry in (view.mixed, view.checking):
        cell = view.cell(entry, Column.ACTION)
        shots.append(image.copy(QRect(cell.topLeft(), size)))
    assert shots[0] != shots[1]


def test_rows_are_tall_enough_for_the_button(view: ListView) -> None:
    size = view.model.art.button_size()
    metrics = QFontMetrics(view.tree.font())
    assert metrics.horizontalAdvance("Check") < size.width() < 150
    for entry in (None, view.mixed):  # the group row (the first) sets the rows' height
        assert view.cell(entry, Column.ACTION).height() >= size.height()
    option = QStyleOptionViewItem()
    option.initFrom(view.tree)
    hint = view.buttons.sizeHint(option, view.model.index(0, Column.ACTION))
    assert hint.width() > size.width() and hint.height() > size.height()


def _centre(view: ListView, entry: Entry | None) -> QPoint:
    return view.cell(entry, Column.ACTION).center()


def test_clicking_the_button_emits_clicked(qtbot: QtBot, view: ListView) -> None:
    index = view.model.index_of(view.mixed.id, Column.ACTION)
    with qtbot.waitSignal(view.buttons.clicked, timeout=1000) as blocker:
        qtbot.mouseClick(
            view.tree.viewport(), Qt.MouseButton.LeftButton, pos=_centre(view, view.mixed)
        )
    (clicked,) = blocker.args
    assert isinstance(clicked, QModelIndex) and clicked == index


@pytest.mark.parametrize("which", ["checking", "group"])
def test_the_button_does_nothing_while_checking_or_on_a_group(
    qtbot: QtBot, view: ListView, which: str
) -> None:
    entry = view.checking if which == "checking" else None
    with qtbot.assertNotEmitted(view.buttons.clicked, wait=50):
        qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=_centre(view, entry))


def test_another_mouse_button_or_a_press_elsewhere_does_nothing(
    qtbot: QtBot, view: ListView
) -> None:
    viewport, here = view.tree.viewport(), _centre(view, view.mixed)
    with qtbot.assertNotEmitted(view.buttons.clicked, wait=50):
        qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=here)
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_centre(view, view.long))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=here)


# --- history bars -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    light: Light
    left: int
    width: int
    top: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1


def _bars(image: QImage, rect: QRect, palette: QPalette) -> list[Bar]:
    """The bars in ``rect`` of ``image``, found by their colours, left to right."""
    colours = {light_colour(light, palette).rgb(): light for light in Light}
    rect = rect.intersected(image.rect())
    bars: list[Bar] = []
    for x in range(rect.left(), rect.right() + 1):
        found = [
            (colours[rgb], y)
            for y in range(rect.top(), rect.bottom() + 1)
            if (rgb := image.pixelColor(x, y).rgb()) in colours
        ]
        if not found:
            continue
        lights = {light for light, _ in found}
        assert len(lights) == 1, f"two colours in column {x}"
        ys = [y for _, y in found]
        assert len(ys) == max(ys) - min(ys) + 1, f"a gap inside the bar at column {x}"
        light = lights.pop()
        last = bars[-1] if bars else None
        if last and last.left + last.width == x and (last.light, last.top) == (light, min(ys)):
            bars[-1] = Bar(light, last.left, last.width + 1, last.top, last.bottom)
        else:
            bars.append(Bar(light, x, 1, min(ys), max(ys)))
    return bars


def _row_bars(view: ListView, entry: Entry | None) -> list[Bar]:
    return _bars(view.grab(), view.cell(entry, Column.HISTORY), view.tree.palette())


def test_one_bar_per_result_in_the_colour_of_its_light(view: ListView) -> None:
    assert [bar.light for bar in _row_bars(view, view.mixed)] == [s.light for s in MIXED]


def test_the_height_of_a_bar_tells_its_light_without_colour(view: ListView) -> None:
    heights = {bar.light: bar.height for bar in _row_bars(view, view.mixed)}
    assert heights[Light.GREEN] > heights[Light.AMBER] > heights[Light.RED] > heights[Light.GREY]
    assert heights[Light.GREY] >= 2  # a tick, still visible
    bottoms = {bar.bottom for bar in _row_bars(view, view.mixed)}
    assert len(bottoms) == 1  # standing on one line


def test_bars_have_gaps_between_them(view: ListView) -> None:
    bars = _row_bars(view, view.mixed)
    assert all(b.left > a.left + a.width for a, b in itertools.pairwise(bars))


def test_the_newest_result_is_on_the_right_in_the_same_place_in_every_row(
    view: ListView,
) -> None:
    mixed, long = _row_bars(view, view.mixed), _row_bars(view, view.long)
    assert mixed[-1].left == long[-1].left
    assert mixed[0].left > long[0].left


def test_at_most_the_newest_twenty_results_show(view: ListView) -> None:
    bars = _row_bars(view, view.long)
    assert len(bars) == DEFAULT_BARS
    assert {bar.light for bar in bars} == {Light.GREEN}


def test_no_bars_on_a_group_row_or_without_history(view: ListView) -> None:
    assert _row_bars(view, None) == []
    assert _row_bars(view, view.unchecked) == []


def test_a_selected_row_keeps_its_bars(view: ListView) -> None:
    view.tree.setCurrentIndex(view.model.index_of(view.mixed.id))
    assert [bar.light for bar in _row_bars(view, view.mixed)] == [s.light for s in MIXED]


def _dark_palette() -> QPalette:
    palette = QPalette(QColor("#353535"))
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor("#242424"))
    return palette


def test_the_number_of_bars_and_the_colours_follow_the_art(qapp: object) -> None:
    dark = _dark_palette()
    art = CellArt(dark, QGuiApplication.font(), 1.0, bars=5)
    lights = [Light.RED] * 3 + [Light.GREEN] * 4
    pixmap = art.history(lights)
    assert pixmap is not None
    assert pixmap.width() == art.history_width
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    bars = _bars(image, image.rect(), dark)
    assert [bar.light for bar in bars] == [
        Light.RED,
        Light.GREEN,
        Light.GREEN,
        Light.GREEN,
        Light.GREEN,
    ]
    assert art.history([]) is None
    with pytest.raises(ValueError, match="at least one bar"):
        CellArt(dark, QGuiApplication.font(), 1.0, bars=0)


def test_pictures_are_sharp_on_hidpi(qapp: object) -> None:
    art = CellArt(QGuiApplication.palette(), QGuiApplication.font(), 2.0)
    bars = art.history([Light.GREEN])
    assert bars is not None
    assert bars.devicePixelRatio() == 2.0 and bars.width() == 2 * art.history_width
    button = art.button(enabled=True)
    assert button.devicePixelRatio() == 2.0
    assert button.width() == 2 * art.button_size().width()
    light = art.light(Light.GREEN).pixmap(art.icon_size, 2.0)
    assert light.devicePixelRatio() == 2.0 and light.width() == 2 * art.light_side


def test_pictures_are_made_once_per_look(qapp: object) -> None:
    palette, font = QGuiApplication.palette(), QGuiApplication.font()
    art = CellArt(palette, font, 1.0)
    assert art.light(Light.RED).cacheKey() == art.light(Light.RED).cacheKey()
    assert art.spinner(1).cacheKey() == art.spinner(13).cacheKey()  # twelve frames a turn
    assert art.spinner(1).cacheKey() != art.spinner(2).cacheKey()
    first = art.history([Light.GREEN, Light.RED])
    assert (
        first is not None and first.cacheKey() == art.history([Light.GREEN, Light.RED]).cacheKey()
    )  # type: ignore[union-attr]
    assert art.button(enabled=True).cacheKey() != art.button(enabled=False).cacheKey()
    assert art.same_look(CellArt(palette, font, 1.0))
    assert not art.same_look(CellArt(palette, font, 2.0))
    assert not art.same_look(CellArt(_dark_palette(), font, 1.0))


def test_a_new_look_redraws_every_row(qtbot: QtBot, view: ListView) -> None:
    before = view.model.index_of(view.mixed.id).data(Qt.ItemDataRole.DecorationRole).cacheKey()
    view.model.set_art(CellArt(_dark_palette(), view.tree.font(), 1.0))
    after = view.model.index_of(view.mixed.id).data(Qt.ItemDataRole.DecorationRole).cacheKey()
    assert after != before
    assert after == view.model.art.light(Light.GREEN).cacheKey()


@pytest.mark.parametrize("ratio", [1.25, 1.5, 2.0])
@pytest.mark.parametrize("pixels", range(11, 20))
def test_row_lights_are_drawn_one_to_one_at_any_ratio_and_font(
    qapp: object, ratio: float, pixels: int
) -> None:
    """The light a row shows is its pixmap, pixel for pixel: drawn at the ratio, of a whole
    number of device pixels, so that Qt shows it without resampling (blurred edges)."""
    font = QFont(QGuiApplication.font())
    font.setPixelSize(pixels)  # some fonts make an odd side: 15 x 1.5 = 22.5 device pixels
    art = CellArt(QGuiApplication.palette(), font, ratio)
    size = art.icon_size
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected):
        icon = art.light(Light.GREEN)
        source = icon.pixmap(size, ratio, mode)
        assert source.devicePixelRatio() == ratio
        assert source.width() == size.width() * ratio  # a whole number of device pixels
        shown = QPixmap(source.size())
        shown.setDevicePixelRatio(ratio)
        shown.fill(Qt.GlobalColor.transparent)
        painter = QPainter(shown)
        icon.paint(painter, QRect(QPoint(0, 0), size), mode=mode)  # as the view paints it
        painter.end()
        expected = source.toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        assert shown.toImage().convertToFormat(expected.format()) == expected, mode
