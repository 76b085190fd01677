"""The platform badges: one recognisable, distinct badge per platform, sharp on HiDPI."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from sipstory_desktop.gui.platforms import (
    GENERIC_COLOUR,
    PLATFORMS,
    paint_platform,
    platform_colour,
    platform_icon,
    platform_name,
)

# The platform identifiers of the Sipstory API.
API_PLATFORMS = (
    "x",
    "linkedin",
    "linkedin-page",
    "facebook",
    "instagram",
    "instagram-standalone",
    "threads",
    "bluesky",
    "mastodon",
    "warpcast",
    "nostr",
    "vk",
    "youtube",
    "tiktok",
    "reddit",
    "lemmy",
    "discord",
    "slack",
    "telegram",
    "pinterest",
    "dribbble",
    "medium",
    "devto",
    "hashnode",
    "wordpress",
    "gmb",
    "listmonk",
)
GRADIENT = {"instagram", "instagram-standalone"}


def _image(identifier: str, size: int = 32, disabled: bool = False) -> QImage:
    pixmap = platform_icon(identifier, size, disabled=disabled).pixmap(size, size)
    return pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _near(first: QColor, second: QColor, tolerance: int = 8) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(_rgb(first), _rgb(second), strict=True))


def _rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def _painted(image: QImage) -> set[tuple[int, int]]:
    """Where ``image`` is not fully transparent."""
    return {
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    }


def test_every_api_platform_has_a_badge() -> None:
    assert len(API_PLATFORMS) == 27
    assert set(PLATFORMS) == set(API_PLATFORMS)


def test_the_27_badges_are_pairwise_different(qapp: object) -> None:
    images = {identifier: _image(identifier) for identifier in API_PLATFORMS}
    for first, second in itertools.combinations(API_PLATFORMS, 2):
        assert images[first] != images[second], (first, second)


@pytest.mark.parametrize("identifier", sorted(set(API_PLATFORMS) - GRADIENT))
def test_a_badge_is_filled_with_the_brand_colour(qapp: object, identifier: str) -> None:
    image = _image(identifier)
    # The left edge, half-way down: inside the badge, outside any glyph.
    assert _near(image.pixelColor(3, 16), platform_colour(identifier)), identifier
    assert image.pixelColor(3, 16).alpha() == 255


def test_the_instagram_badges_have_a_gradient(qapp: object) -> None:
    for identifier in GRADIENT:
        image = _image(identifier, 48)
        assert not _near(image.pixelColor(8, 40), image.pixelColor(40, 8), 40)


@pytest.mark.parametrize("identifier", API_PLATFORMS)
def test_a_badge_has_a_glyph(qapp: object, identifier: str) -> None:
    """The middle of the badge is not all badge: something contrasting is drawn on it."""
    image = _image(identifier, 48)
    edge = image.pixelColor(3, 24)
    differing = sum(
        1
        for y in range(12, 36)
        for x in range(12, 36)
        if not _near(image.pixelColor(x, y), edge, 60)
    )
    assert differing > 40, identifier


def test_badges_are_rounded_squares_inside_a_transparent_margin(qapp: object) -> None:
    image = _image("linkedin", 40)
    assert image.pixelColor(0, 0).alpha() == 0  # outside the rounded corner
    assert image.pixelColor(20, 0).alpha() == 0  # the margin
    assert image.pixelColor(20, 3).alpha() == 255


def test_an_unknown_platform_gets_the_generic_badge_with_its_first_letter(qapp: object) -> None:
    foo, fizz, bar = _image("foo"), _image("fizz"), _image("bar")
    assert foo == fizz  # the same letter, the same badge
    assert foo != bar
    assert all(foo != _image(identifier) for identifier in API_PLATFORMS)
    assert _near(foo.pixelColor(3, 16), QColor(GENERIC_COLOUR))
    assert platform_colour("foo") == QColor(GENERIC_COLOUR)
    assert not _image("").isNull()  # no letter at all still paints a badge


def test_the_hidpi_pixmap_is_twice_the_size(qapp: object) -> None:
    icon = platform_icon("mastodon", 20)
    double = icon.pixmap(QSize(20, 20), 2.0)
    assert double.devicePixelRatio() == 2.0
    assert double.size() == QSize(40, 40)
    single = icon.pixmap(QSize(20, 20), 1.0)
    assert single.devicePixelRatio() == 1.0
    assert single.size() == QSize(20, 20)
    # Painted at 40 pixels, not a 20-pixel badge blown up.
    scaled_up = single.toImage().scaled(40, 40).convertToFormat(QImage.Format.Format_ARGB32)
    assert double.toImage().convertToFormat(QImage.Format.Format_ARGB32) != scaled_up


def test_icons_are_cached_per_identifier_size_and_state(qapp: object) -> None:
    assert platform_icon("x").cacheKey() == platform_icon("x", 20).cacheKey()
    assert platform_icon("x").cacheKey() != platform_icon("x", 24).cacheKey()
    assert platform_icon("x").cacheKey() != platform_icon("x", disabled=True).cacheKey()
    assert platform_icon("x").cacheKey() != platform_icon("threads").cacheKey()


@pytest.mark.parametrize("identifier", ["youtube", "instagram", "slack", "unknown"])
def test_a_disabled_badge_is_grey_and_faded_with_the_same_shape(
    qapp: object, identifier: str
) -> None:
    enabled, disabled = _image(identifier), _image(identifier, disabled=True)
    assert _painted(disabled) == _painted(enabled)
    for x, y in _painted(disabled):
        colour = disabled.pixelColor(x, y)
        assert max(_rgb(colour)) - min(_rgb(colour)) <= 2, (x, y)
        assert colour.alpha() < 200


def test_disabled_badges_stay_distinct(qapp: object) -> None:
    images = [_image(identifier, disabled=True) for identifier in ("x", "threads", "medium")]
    for first, second in itertools.combinations(images, 2):
        assert first != second


def test_names_are_human_and_distinct() -> None:
    names = [platform_name(identifier) for identifier in API_PLATFORMS]
    assert all(name.strip() for name in names)
    assert len(set(names)) == 27
    assert platform_name("x") == "X"
    assert platform_name("linkedin") == "LinkedIn"
    assert platform_name("linkedin-page") == "LinkedIn Page"
    assert platform_name("youtube") == "YouTube"
    assert platform_name("gmb") == "Google My Business"
    assert platform_name("listmonk") == "Listmonk"
    assert platform_name("something") == "Something"
    assert platform_name("") == "?"


def test_a_badge_is_centred_in_a_wide_rect_and_the_painter_restored(qapp: object) -> None:
    image = QImage(96, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setPen(QPen(QColor("#123456"), 3))
    paint_platform(painter, QRectF(0, 0, 96, 32), "discord")
    assert painter.pen().color() == QColor("#123456")
    assert not painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.end()
    columns = {x for x, _ in _painted(image)}
    assert min(columns) >= 32
    assert max(columns) < 64


def test_a_black_badge_keeps_its_edge_on_a_dark_window(qapp: object) -> None:
    background = QColor("#242424")
    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(background)
    painter = QPainter(image)
    paint_platform(painter, QRectF(0, 0, 48, 48), "x")
    painter.end()
    # Along the left edge of the badge, something lighter than the window shows its outline.
    edge = [image.pixelColor(x, 24).lightness() for x in range(0, 6)]
    assert max(edge) > background.lightness() + 15
