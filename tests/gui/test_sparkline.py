"""The HISTORY sparkline: one bar per recent check, coloured and sized by light."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect
from PySide6.QtGui import QColor, QImage, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.gui.lights import light_colour
from sipstory_desktop.gui.roles import Role
from sipstory_desktop.gui.sparkline import DEFAULT_BARS, SparklineDelegate, history_of

MIXED, LONG, GROUP, EMPTY, MISSING = range(5)
HISTORY = 1  # the column of the sparkline

MIXED_STATUSES = [
    Status.CONNECTED,
    Status.RATE_LIMITED,
    Status.INVALID_KEY,
    Status.UNCHECKED,
    Status.TIMEOUT,
    Status.CONNECTED,
]
MIXED_LIGHTS = [status.light for status in MIXED_STATUSES]
# Ten red checks long ago, then twenty green ones: only the newest twenty show.
LONG_STATUSES = [Status.INVALID_KEY] * 10 + [Status.CONNECTED] * 20


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


def _results(statuses: list[Status]) -> list[CheckResult]:
    return [CheckResult(status, status.label) for status in statuses]


def _row(name: str, history: object, group: bool = False) -> list[QStandardItem]:
    items = [QStandardItem(name), QStandardItem()]
    for item in items:
        if history is not None:
            item.setData(history, Role.HISTORY)
        item.setData(group, Role.IS_GROUP)
        item.setEditable(False)
    return items


def _dark_palette() -> QPalette:
    palette = QPalette(QColor("#353535"))
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        palette.setColor(role, QColor("#242424"))
    return palette


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[QTreeView]:
    """A tree of a mixed history, a long one, a group row, an empty and a missing history."""
    model = QStandardItemModel()
    model.appendRow(_row("Mixed", _results(MIXED_STATUSES)))
    model.appendRow(_row("Long", _results(LONG_STATUSES)))
    model.appendRow(_row("Agency", _results([Status.CONNECTED] * 5), group=True))
    model.appendRow(_row("Empty", []))
    model.appendRow(_row("Missing", None))
    tree = QTreeView()
    qtbot.addWidget(tree)
    tree.setModel(model)
    tree.setRootIsDecorated(False)
    tree.setItemDelegateForColumn(HISTORY, SparklineDelegate(tree))
    tree.resize(400, 220)
    tree.setColumnWidth(0, 100)
    tree.setColumnWidth(HISTORY, 200)
    tree.show()
    qtbot.waitExposed(tree)
    yield tree


def _delegate(view: QTreeView) -> SparklineDelegate:
    delegate = view.itemDelegateForColumn(HISTORY)
    assert isinstance(delegate, SparklineDelegate)
    return delegate


def _bars(view: QTreeView, row: int) -> list[Bar]:
    """The bars painted in the HISTORY cell of ``row``, found by their colours, left to right."""
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    cell = view.visualRect(view.model().index(row, HISTORY)).intersected(image.rect())
    colours = {light_colour(light, view.palette()).rgb(): light for light in Light}
    bars: list[Bar] = []
    for x in range(cell.left(), cell.right() + 1):
        found = [
            (colours[rgb], y)
            for y in range(cell.top(), cell.bottom() + 1)
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


@pytest.mark.qt_log_level_fail("WARNING")
def test_one_bar_per_result_in_the_colour_of_its_light(view: QTreeView) -> None:
    bars = _bars(view, MIXED)
    assert [bar.light for bar in bars] == MIXED_LIGHTS


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_height_of_a_bar_tells_its_light_without_colour(view: QTreeView) -> None:
    bars = _bars(view, MIXED)
    heights = {bar.light: bar.height for bar in bars}
    full = heights[Light.GREEN]
    assert full >= 9
    assert abs(heights[Light.AMBER] - full * 2 / 3) <= 1
    assert abs(heights[Light.RED] - full / 3) <= 1
    assert 1 <= heights[Light.GREY] <= 3
    assert len({bar.bottom for bar in bars}) == 1  # standing on one baseline
    assert len({bar.width for bar in bars}) == 1


@pytest.mark.qt_log_level_fail("WARNING")
def test_bars_have_gaps_between_them(view: QTreeView) -> None:
    bars = _bars(view, LONG)
    assert all(second.left > first.left + first.width for first, second in itertools.pairwise(bars))


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_newest_result_is_on_the_right_in_the_same_place_in_every_row(
    view: QTreeView,
) -> None:
    mixed, long = _bars(view, MIXED), _bars(view, LONG)
    assert [bar.left for bar in mixed] == sorted(bar.left for bar in mixed)
    assert mixed[-1].left == long[-1].left
    # The oldest of the mixed row (green) is left of the second oldest (amber).
    assert mixed[0].light is Light.GREEN
    assert mixed[1].light is Light.AMBER


@pytest.mark.qt_log_level_fail("WARNING")
def test_at_most_the_newest_twenty_results_show(view: QTreeView) -> None:
    bars = _bars(view, LONG)
    assert DEFAULT_BARS == 20
    assert len(bars) == 20
    assert {bar.light for bar in bars} == {Light.GREEN}  # the ten old red ones are gone


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_number_of_bars_can_be_chosen(view: QTreeView) -> None:
    view.setItemDelegateForColumn(HISTORY, SparklineDelegate(view, bars=5))
    view.viewport().update()
    assert len(_bars(view, LONG)) == 5
    assert [bar.light for bar in _bars(view, MIXED)] == MIXED_LIGHTS[-5:]
    with pytest.raises(ValueError, match="at least one bar"):
        SparklineDelegate(bars=0)


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("row", [GROUP, EMPTY, MISSING])
def test_nothing_is_painted_on_group_rows_or_without_history(view: QTreeView, row: int) -> None:
    assert _bars(view, row) == []


@pytest.mark.qt_log_level_fail("WARNING")
def test_a_selected_row_keeps_its_selection_background_and_bars(view: QTreeView) -> None:
    index = view.model().index(MIXED, HISTORY)
    view.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    view.setFocus()
    bars = _bars(view, MIXED)
    assert [bar.light for bar in bars] == MIXED_LIGHTS
    image = view.viewport().grab().toImage()
    cell = view.visualRect(index)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    inactive = view.palette().color(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight)
    # Right of the bars, the cell shows the selection.
    background = image.pixelColor(cell.right() - 3, cell.center().y())
    assert background.rgb() in (highlight.rgb(), inactive.rgb())


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_colours_follow_a_dark_palette(view: QTreeView) -> None:
    view.setPalette(_dark_palette())
    bars = _bars(view, MIXED)  # found by the dark palette's colours
    assert [bar.light for bar in bars] == MIXED_LIGHTS
    assert light_colour(Light.GREEN, view.palette()) != light_colour(Light.GREEN, QPalette())


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_size_hint_fits_twenty_bars(view: QTreeView) -> None:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    hint = _delegate(view).sizeHint(option, view.model().index(LONG, HISTORY))
    assert 20 * 3 <= hint.width() <= 20 * 8
    assert hint.height() >= view.fontMetrics().height()
    assert SparklineDelegate(bars=10).sizeHint(
        option, view.model().index(LONG, HISTORY)
    ).width() < (hint.width())
    view.setColumnWidth(HISTORY, hint.width())
    assert len(_bars(view, LONG)) == 20


@pytest.mark.qt_log_level_fail("WARNING")
def test_bars_narrow_down_in_a_narrow_column(view: QTreeView) -> None:
    view.setColumnWidth(HISTORY, 50)
    bars = _bars(view, LONG)
    assert len(bars) == 20
    cell = view.visualRect(view.model().index(LONG, HISTORY))
    assert all(cell.contains(QRect(bar.left, bar.top, bar.width, bar.height)) for bar in bars)


def test_history_of_reads_only_check_results(qapp: object) -> None:
    model = QStandardItemModel()
    result = CheckResult(Status.CONNECTED, "ok")
    model.appendRow(_row("odd", [result, "not a result", 3]))
    model.appendRow(_row("text", "connected"))
    model.appendRow(_row("group", [result], group=True))
    assert history_of(model.index(0, 0)) == [result]
    assert history_of(model.index(1, 0)) == []
    assert history_of(model.index(2, 0)) == []
