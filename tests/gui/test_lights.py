"""The status lights: shape, colour, HiDPI, caching (in the list: test_cell_art.py)."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QPen,
)

from sipstory_desktop.core.status import Light
from sipstory_desktop.gui.lights import (
    glyph_colour,
    is_dark_palette,
    light_colour,
    light_icon,
    light_pixmap,
    paint_light,
    paint_spinner,
)

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
