"""The status lights (shape, colour, HiDPI) and the delegates that paint them into the list."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.status import Light, Status
from sipstory_desktop.gui.lights import (
    glyph_colour,
    is_dark_palette,
    light_colour,
    light_icon,
    light_pixmap,
    paint_light,
    paint_spinner,
)
from sipstory_desktop.gui.roles import Role
from sipstory_desktop.gui.status_delegate import StatusDelegate, TestButtonDelegate

WHITE = QColor("#ffffff")
LONGEST_STATUS = "Rate limited · again at 23:59"


def _palette(dark: bool) -> QPalette:
    window = QColor("#242424" if dark else "#f6f5f4")
    palette = QPalette(window)
    palette.setColor(QPalette.ColorRole.Window, window)
    return palette


def _image(light: Light, dark: bool = False, size: int = 32) -> QImage:
    pixmap = light_pixmap(light, size, 1.0, _palette(dark))
    return pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _alpha_mask(image: QImage) -> bytes:
    """The alpha channel of ``image``, one byte a pixel: the shape without its colours."""
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    return bytes(alpha.constBits())[: alpha.sizeInBytes()]


def _pixels(image: QImage, rect: QRect) -> list[tuple[int, int, int]]:
    """The (red, green, blue) of every pixel of ``image`` inside ``rect``."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = bytes(image.constBits())
    line = image.bytesPerLine()
    rect = rect.intersected(image.rect())
    found = []
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            blue, green, red = data[y * line + 4 * x : y * line + 4 * x + 3]
            found.append((red, green, blue))
    return found


def _count_near(image: QImage, rect: QRect, colour: QColor, tolerance: int = 12) -> int:
    """How many pixels of ``image`` inside ``rect`` are within ``tolerance`` of ``colour``."""
    target = (colour.red(), colour.green(), colour.blue())
    return sum(
        1
        for pixel in _pixels(image, rect)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))
    )


# --- the lights -------------------------------------------------------------------


def test_the_four_lights_paint_four_different_images(qapp: object) -> None:
    images = {light: _image(light) for light in Light}
    for first, second in itertools.combinations(Light, 2):
        assert images[first] != images[second], (first, second)


def test_the_four_lights_have_four_different_shapes(qapp: object) -> None:
    """Legible without colour: the alpha masks, the silhouettes alone, differ pairwise."""
    masks = {light: _alpha_mask(_image(light)) for light in Light}
    for light, mask in masks.items():
        assert any(mask), light  # something is painted
    for first, second in itertools.combinations(Light, 2):
        assert masks[first] != masks[second], (first, second)


@pytest.mark.parametrize("light", list(Light))
def test_a_dark_palette_changes_the_colour_but_not_the_shape(qapp: object, light: Light) -> None:
    on_light, on_dark = _image(light, dark=False), _image(light, dark=True)
    assert on_light != on_dark
    assert _alpha_mask(on_light) == _alpha_mask(on_dark)


@pytest.mark.parametrize("light", list(Light))
def test_lights_are_lighter_on_a_dark_palette(qapp: object, light: Light) -> None:
    assert is_dark_palette(_palette(dark=True))
    assert not is_dark_palette(_palette(dark=False))
    lighter = light_colour(light, _palette(dark=True)).lightness()
    assert lighter > light_colour(light, _palette(dark=False)).lightness()


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("light", [Light.GREEN, Light.RED])
def test_glyphs_are_white_on_green_and_red(qapp: object, light: Light, dark: bool) -> None:
    assert glyph_colour(light_colour(light, _palette(dark))) == WHITE


def test_a_glyph_is_painted_on_the_filled_lights(qapp: object) -> None:
    for light in (Light.GREEN, Light.AMBER, Light.RED):
        fill = light_colour(light, _palette(dark=False))
        image = _image(light, size=48)
        assert _count_near(image, image.rect(), glyph_colour(fill), tolerance=4) > 20, light


def test_the_grey_light_is_hollow(qapp: object) -> None:
    image = _image(Light.GREY, size=48)
    # Between the ring and the dash, the light is transparent.
    assert image.pixelColor(24, 12).alpha() == 0
    assert image.pixelColor(24, 24).alpha() == 255  # the dash


def test_a_light_is_centred_in_a_wide_rect(qapp: object) -> None:
    image = QImage(96, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    paint_light(painter, QRectF(0, 0, 96, 32), Light.GREEN, _palette(dark=False))
    painter.end()
    alpha = _alpha_mask(image)
    columns = [x for x in range(96) if any(alpha[y * 96 + x] for y in range(32))]
    assert min(columns) >= 32
    assert max(columns) < 64


def test_painting_a_light_restores_the_painter(qapp: object) -> None:
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#123456"), 3))
    for light in Light:
        paint_light(painter, QRectF(0, 0, 32, 32), light, _palette(dark=False))
    paint_spinner(painter, QRectF(0, 0, 32, 32), 45, _palette(dark=False))
    assert painter.pen().color() == QColor("#123456")
    assert not painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.end()


def test_the_spinner_turns_and_is_not_a_light(qapp: object) -> None:
    def spinner(angle: int) -> QImage:
        image = QImage(32, 32, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        paint_spinner(painter, QRectF(0, 0, 32, 32), angle, _palette(dark=False))
        painter.end()
        return image

    assert spinner(0) != spinner(90)
    assert spinner(0) == spinner(360)
    assert all(spinner(0) != _image(light) for light in Light)


def test_icons_are_sharp_on_hidpi(qapp: object) -> None:
    icon = light_icon(Light.GREEN, 16, _palette(dark=False))
    double = icon.pixmap(QSize(16, 16), 2.0)
    assert double.devicePixelRatio() == 2.0
    assert double.size() == QSize(32, 32)
    single = icon.pixmap(QSize(16, 16), 1.0)
    assert single.devicePixelRatio() == 1.0
    assert single.size() == QSize(16, 16)


def test_icons_are_cached_per_light_size_and_shade(qapp: object) -> None:
    light, dark = _palette(dark=False), _palette(dark=True)
    assert light_icon(Light.RED, 16, light).cacheKey() == light_icon(Light.RED, 16).cacheKey()
    assert light_icon(Light.RED, 16, light).cacheKey() != light_icon(Light.RED, 16, dark).cacheKey()
    assert (
        light_icon(Light.RED, 16, light).cacheKey() != light_icon(Light.RED, 24, light).cacheKey()
    )
    assert light_icon(Light.RED, 16, light).cacheKey() != light_icon(Light.AMBER, 16).cacheKey()


# --- the delegates ----------------------------------------------------------------

ENTRY, CHECKING, GROUP, UNKNOWN = range(4)


def _row(
    text: str, status: Status | str | None, checking: bool, group: bool
) -> list[QStandardItem]:
    light = QStandardItem(text)
    light.setData(status, Role.STATUS)
    action = QStandardItem()
    for item in (light, action):
        item.setData(checking, Role.CHECKING)
        item.setData(group, Role.IS_GROUP)
        item.setEditable(False)
    return [light, action]


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[QTreeView]:
    """A tree over an entry, a checking entry, a group row and an entry of unknown status."""
    model = QStandardItemModel()
    model.appendRow(_row("Connected", Status.CONNECTED, checking=False, group=False))
    model.appendRow(_row("Checking…", Status.CONNECTED, checking=True, group=False))
    model.appendRow(_row("Agency", Status.INVALID_KEY, checking=False, group=True))
    model.appendRow(_row("Not checked", None, checking=False, group=False))
    tree = QTreeView()
    qtbot.addWidget(tree)
    tree.setModel(model)
    tree.setRootIsDecorated(False)
    tree.setItemDelegateForColumn(0, StatusDelegate(tree))
    tree.setItemDelegateForColumn(1, TestButtonDelegate(tree))
    tree.resize(500, 200)
    tree.setColumnWidth(0, 260)
    tree.setColumnWidth(1, 200)
    tree.show()
    qtbot.waitExposed(tree)
    yield tree


def _status_delegate(view: QTreeView) -> StatusDelegate:
    delegate = view.itemDelegateForColumn(0)
    assert isinstance(delegate, StatusDelegate)
    return delegate


def _button_delegate(view: QTreeView) -> TestButtonDelegate:
    delegate = view.itemDelegateForColumn(1)
    assert isinstance(delegate, TestButtonDelegate)
    return delegate


def _light_rect(view: QTreeView, row: int) -> QRect:
    """Where the light of ``row`` is, in the coordinates of the viewport."""
    cell = view.visualRect(view.model().index(row, 0))
    side = QFontMetrics(view.font()).height() + 2
    return QRect(cell.left(), cell.top(), side + 8, cell.height())


def _grab(view: QTreeView) -> QImage:
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_light_of_each_status_is_painted(view: QTreeView) -> None:
    image = _grab(view)
    palette = view.palette()
    green = light_colour(Light.GREEN, palette)
    grey = light_colour(Light.GREY, palette)
    red = light_colour(Light.RED, palette)
    assert _count_near(image, _light_rect(view, ENTRY), green) > 20
    assert _count_near(image, _light_rect(view, UNKNOWN), grey) > 5  # None is unchecked
    assert _count_near(image, _light_rect(view, GROUP), red) > 20
    assert _count_near(image, _light_rect(view, ENTRY), red) == 0


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_status_text_is_painted_next_to_the_light(view: QTreeView) -> None:
    image = _grab(view)
    cell = view.visualRect(view.model().index(ENTRY, 0))
    light = _light_rect(view, ENTRY)
    text = QRect(light.right() + 1, cell.top(), cell.width() - light.width(), cell.height())
    base = view.palette().color(QPalette.ColorRole.Base)
    assert len(set(_pixels(image, text))) > 3  # glyphs, not just the background
    assert any(pixel != (base.red(), base.green(), base.blue()) for pixel in _pixels(image, text))


@pytest.mark.qt_log_level_fail("WARNING")
def test_a_checking_row_shows_the_spinner_instead_of_the_light(view: QTreeView) -> None:
    before = _grab(view)
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    checking = _light_rect(view, CHECKING)
    assert _count_near(before, checking, highlight) > 10
    assert _count_near(before, checking, light_colour(Light.GREEN, view.palette())) == 0

    view.model().setData(view.model().index(CHECKING, 0), False, Role.CHECKING)
    after = _grab(view)
    assert before.copy(checking) != after.copy(checking)
    assert _count_near(after, checking, light_colour(Light.GREEN, view.palette())) > 20


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_spinner_turns_when_advanced(view: QTreeView) -> None:
    delegate = _status_delegate(view)
    checking = _light_rect(view, CHECKING)
    before = _grab(view).copy(checking)
    delegate.advance_spinner()
    view.viewport().update()
    assert _grab(view).copy(checking) != before


def test_the_spinner_angle_wraps_around(qapp: object) -> None:
    delegate = StatusDelegate()
    assert delegate.spinner_angle == 0
    delegate.advance_spinner()
    assert delegate.spinner_angle == 30
    delegate.advance_spinner(340)
    assert delegate.spinner_angle == 10
    delegate.spinner_angle = -30
    assert delegate.spinner_angle == 330


def test_a_status_that_qt_turned_into_a_string_is_read(qapp: object) -> None:
    model = QStandardItemModel()
    model.appendRow(_row("Invalid key", Status.INVALID_KEY.value, checking=False, group=False))
    model.appendRow(_row("?", "no such status", checking=False, group=False))
    from sipstory_desktop.gui.status_delegate import status_of

    assert status_of(model.index(0, 0)) is Status.INVALID_KEY
    assert status_of(model.index(1, 0)) is Status.UNCHECKED
    assert status_of(QModelIndex()) is Status.UNCHECKED


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_status_column_is_wide_enough_for_the_longest_text(view: QTreeView) -> None:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    hint = _status_delegate(view).sizeHint(option, view.model().index(ENTRY, 0))
    metrics = QFontMetrics(view.font())
    assert hint.width() >= metrics.horizontalAdvance(LONGEST_STATUS) + metrics.height()
    assert hint.width() < 3 * metrics.horizontalAdvance(LONGEST_STATUS)
    assert metrics.height() + 2 <= hint.height() <= 3 * metrics.height()


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_button_column_fits_a_small_button(view: QTreeView) -> None:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    hint = _button_delegate(view).sizeHint(option, view.model().index(ENTRY, 1))
    metrics = QFontMetrics(view.font())
    assert metrics.horizontalAdvance("Test") < hint.width() < 150
    assert metrics.height() < hint.height() < 4 * metrics.height()


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_button_is_painted_on_entry_rows_only(view: QTreeView) -> None:
    image = _grab(view)
    base = view.palette().color(QPalette.ColorRole.Base)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(view.model().index(ENTRY, 1))
    button = _button_delegate(view).button_rect(option)
    assert option.rect.contains(button)
    assert button.width() < option.rect.width()
    assert _count_near(image, button, base, tolerance=0) < button.width() * button.height() // 2
    group = view.visualRect(view.model().index(GROUP, 1))
    assert _count_near(image, group, base, tolerance=0) == group.width() * group.height()


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_button_looks_disabled_while_checking(view: QTreeView) -> None:
    image = _grab(view)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    buttons = []
    for row in (ENTRY, CHECKING):
        option.rect = view.visualRect(view.model().index(row, 1))
        buttons.append(image.copy(_button_delegate(view).button_rect(option)))
    assert buttons[0] != buttons[1]


@pytest.mark.qt_log_level_fail("WARNING")
def test_the_spinner_stands_out_on_a_selected_row(view: QTreeView) -> None:
    view.setCurrentIndex(view.model().index(CHECKING, 0))
    image = _grab(view)
    selected_text = view.palette().color(QPalette.ColorRole.HighlightedText)
    assert _count_near(image, _light_rect(view, CHECKING), selected_text) > 10


@pytest.mark.qt_log_level_fail("WARNING")
def test_clicking_the_button_emits_clicked(qtbot: QtBot, view: QTreeView) -> None:
    index = view.model().index(ENTRY, 1)
    with qtbot.waitSignal(_button_delegate(view).clicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_centre(view, index))
    assert blocker.args == [index]


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.parametrize("row", [CHECKING, GROUP])
def test_the_button_does_nothing_while_checking_or_on_a_group(
    qtbot: QtBot, view: QTreeView, row: int
) -> None:
    index = view.model().index(row, 1)
    with qtbot.assertNotEmitted(_button_delegate(view).clicked, wait=50):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_centre(view, index))


@pytest.mark.qt_log_level_fail("WARNING")
def test_a_click_beside_the_button_or_with_another_button_does_nothing(
    qtbot: QtBot, view: QTreeView
) -> None:
    index = view.model().index(ENTRY, 1)
    cell = view.visualRect(index)
    beside = QPoint(cell.right() - 2, cell.center().y())
    with qtbot.assertNotEmitted(_button_delegate(view).clicked, wait=50):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=beside)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=_centre(view, index))


def _centre(view: QTreeView, index: QModelIndex) -> QPoint:
    return view.visualRect(index).center()
