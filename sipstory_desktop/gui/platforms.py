"""Badges of the Sipstory platforms, painted as vector shapes with QPainter.

Each of the 27 platform identifiers of the Sipstory API gets a rounded square in
the platform's brand colour with a short, bold glyph in white: a letter or two
where the brand is a letter ("in", "f", "P"), a small drawing where it is a shape
(Instagram's camera, YouTube's play button, Telegram's paper plane). Nothing is
downloaded, no image file and no emoji is used; everything is a path, so badges
are sharp at any size and device pixel ratio.

Glyphs are drawn on a grid of 100 x 100 units, the badge, from the shapes of
:mod:`.badge_shapes` (filled outlines, so cut-outs are true holes). An identifier
the table does not know gets a grey badge with its first letter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QTransform,
)

from .badge_shapes import (
    GRID,
    WHITE,
    Glyph,
    Layers,
    curve,
    ellipse,
    letters,
    line,
    mirrored,
    polygon,
    rounded,
    stroke,
    text_path,
    union,
    white,
    with_corner_mark,
)

GENERIC_COLOUR = "#6b7280"

_MARGIN = 0.05  # of the side, kept free around the badge
_RADIUS = 22.0  # glyph units: the rounding of the badge's corners
_DISABLED_OPACITY = 0.55

Fill = str | tuple[str, ...]  # one colour, or the stops of a gradient from bottom left to top right


@dataclass(frozen=True)
class _Platform:
    name: str
    fill: Fill
    glyph: Glyph


# --- the drawn glyphs -------------------------------------------------------------


def _instagram() -> Layers:
    body = rounded(18, 18, 64, 64, 19).subtracted(rounded(25.5, 25.5, 49, 49, 12.5))
    lens = ellipse(50, 50, 15).subtracted(ellipse(50, 50, 8))
    return white(union(body, lens, ellipse(67, 33, 4.5)))


def _bluesky() -> Layers:
    wing = curve(
        (50, 47),
        ((42, 32), (24, 20), (17, 24)),
        ((10, 29), (15, 50), (30, 54)),
        ((14, 60), (20, 80), (33, 78)),
        ((43, 76), (48, 64), (50, 58)),
    )
    wing.closeSubpath()
    return white(mirrored(wing))


def _mastodon() -> Layers:
    bubble = rounded(20, 18, 60, 56, 16).united(polygon((30, 66), (50, 70), (44, 84)))
    return white(bubble.subtracted(text_path("m", 40, 24, 45)))


def _warpcast() -> Layers:
    arch = line((36, 78), (20, 78), (20, 22), (80, 22), (80, 78), (64, 78), (64, 56))
    arch.cubicTo(64, 38, 36, 38, 36, 56)
    arch.closeSubpath()
    return white(arch)


def _youtube() -> Layers:
    play = polygon((40, 33), (40, 67), (69, 50))
    return white(play.united(stroke(play, 6)))


def _tiktok() -> Layers:
    stem = line((52, 20), (52, 63))
    stem.addEllipse(QPointF(41, 63), 11, 11)
    flag = curve((52, 22), ((54, 32), (62, 38), (73, 38)))
    note = stroke(stem, 10).united(stroke(flag, 10))
    return [
        (QTransform().translate(-2.5, -2).map(note), "#25f4ee"),
        (QTransform().translate(2.5, 2).map(note), "#fe2c55"),
        (note, WHITE),
    ]


def _reddit() -> Layers:
    antenna = stroke(line((50, 42), (54, 24), (66, 24)), 5)
    head = union(ellipse(50, 60, 30, 20), ellipse(66, 24, 6.5), antenna)
    head = union(head, ellipse(23, 50, 7), ellipse(77, 50, 7))
    eyes = ellipse(40, 58, 5.5).united(ellipse(60, 58, 5.5))
    smile = QPainterPath(QPointF(41, 68))
    smile.quadTo(50, 74, 59, 68)
    return white(head.subtracted(eyes).subtracted(stroke(smile, 3.5)))


def _lemmy() -> Layers:
    head = curve(
        (20, 62),
        ((20, 38), (34, 30), (50, 30)),
        ((66, 30), (80, 38), (80, 62)),
        ((80, 74), (66, 78), (50, 78)),
        ((34, 78), (20, 74), (20, 62)),
    )
    ears = stroke(line((30, 36), (23, 23)), 9).united(stroke(line((70, 36), (77, 23)), 9))
    eyes = ellipse(38, 56, 7).united(ellipse(62, 56, 7))
    mouth = QPainterPath(QPointF(44, 68))
    mouth.quadTo(50, 72, 56, 68)
    return white(head.united(ears).subtracted(eyes).subtracted(stroke(mouth, 3.5)))


def _discord() -> Layers:
    half = curve(
        (50, 33),
        ((42, 33), (36, 31), (31, 27)),
        ((24, 30), (19, 36), (17, 42)),
        ((15, 52), (15, 62), (17, 70)),
        ((22, 75), (28, 77), (33, 78)),
    )
    half.lineTo(38, 70)
    half.cubicTo(42, 72, 46, 72, 50, 72)
    half.closeSubpath()
    eyes = ellipse(38, 53, 6, 7).united(ellipse(62, 53, 6, 7))
    return white(mirrored(half).subtracted(eyes))


def _slack() -> Layers:
    """Four pills, each with a dot, turned a quarter about the centre from one another."""
    pill = stroke(line((26, 42), (42, 42)), 12.5).united(ellipse(42, 26, 6.25))
    colours = ("#36c5f0", "#2eb67d", "#ecb22e", "#e01e5a")
    turns = [QTransform().translate(50, 50).rotate(90 * i).translate(-50, -50) for i in range(4)]
    return [(turn.map(pill), colour) for turn, colour in zip(turns, colours, strict=True)]


def _telegram() -> Layers:
    plane = polygon((17, 49), (79, 25), (69, 76), (48, 62), (40, 71))
    fold = stroke(line((38, 58), (40, 71), (45, 60), (68, 37)), 4.5)
    return white(plane.united(stroke(plane, 4)).subtracted(fold))


def _dribbble() -> Layers:
    seams = curve((30, 26), ((50, 45), (60, 65), (62, 84)))
    seams.addPath(curve((17, 46), ((40, 50), (62, 42), (76, 27))))
    seams.addPath(curve((36, 78), ((45, 60), (65, 52), (84, 58))))
    return white(ellipse(50, 50, 32).subtracted(stroke(seams, 5)))


def _medium() -> Layers:
    return white(union(ellipse(33, 50, 17), ellipse(62, 50, 8.5, 16), ellipse(78, 50, 3, 14.5)))


def _hashnode() -> Layers:
    turn = QTransform().translate(50, 50).rotate(45)
    return white(turn.map(rounded(-24, -24, 48, 48, 12)).subtracted(ellipse(50, 50, 10)))


def _wordpress() -> Layers:
    ring = ellipse(50, 50, 34).subtracted(ellipse(50, 50, 28))
    return white(ring.united(text_path("W", 42, 30)))


def _google_business() -> Layers:
    scallops = [ellipse(x, 36, 8, 7) for x in (26, 42, 58, 74)]
    awning = union(rounded(18, 22, 64, 14, 4), *scallops)
    store = rounded(24, 47, 52, 32, 3).subtracted(rounded(44, 60, 12, 20, 2))
    return white(awning.united(store))


def _listmonk() -> Layers:
    flap = stroke(line((22, 34), (50, 54), (78, 34)), 6)
    return white(rounded(18, 28, 64, 44, 7).subtracted(flap))


def _page_mark() -> QPainterPath:
    """A sheet of paper with a folded corner: a company page."""
    sheet = polygon((70, 66), (79, 66), (85, 72), (85, 88), (70, 88))
    return sheet.subtracted(polygon((78.5, 66), (85, 72.5), (78.5, 72.5)))


_INSTAGRAM_GRADIENT = ("#ffd600", "#ff7a00", "#ff0069", "#d300c5", "#7638fa")

_PLATFORMS: dict[str, _Platform] = {
    "x": _Platform("X", "#000000", letters("X", 50, 50)),
    "linkedin": _Platform("LinkedIn", "#0a66c2", letters("in")),
    "linkedin-page": _Platform(
        "LinkedIn Page", "#0a66c2", with_corner_mark(letters("in"), _page_mark())
    ),
    "facebook": _Platform("Facebook", "#0866ff", letters("f", height=62)),
    "instagram": _Platform("Instagram", _INSTAGRAM_GRADIENT, _instagram),
    "instagram-standalone": _Platform(
        # The camera with a dot: Instagram on its own login, without Facebook.
        "Instagram (Standalone)",
        _INSTAGRAM_GRADIENT,
        with_corner_mark(_instagram, ellipse(77, 77, 8)),
    ),
    "threads": _Platform("Threads", "#000000", letters("@", 64, 64)),
    "bluesky": _Platform("Bluesky", "#1185fe", _bluesky),
    "mastodon": _Platform("Mastodon", "#6364ff", _mastodon),
    "warpcast": _Platform("Warpcast", "#855dcd", _warpcast),
    "nostr": _Platform("Nostr", "#662482", letters("N")),
    "vk": _Platform("VK", "#0077ff", letters("VK", 66, 36)),
    "youtube": _Platform("YouTube", "#ff0000", _youtube),
    "tiktok": _Platform("TikTok", "#000000", _tiktok),
    "reddit": _Platform("Reddit", "#ff4500", _reddit),
    "lemmy": _Platform("Lemmy", "#00a67e", _lemmy),
    "discord": _Platform("Discord", "#5865f2", _discord),
    "slack": _Platform("Slack", "#4a154b", _slack),
    "telegram": _Platform("Telegram", "#26a5e4", _telegram),
    "pinterest": _Platform("Pinterest", "#e60023", letters("P", height=56)),
    "dribbble": _Platform("Dribbble", "#ea4c89", _dribbble),
    "medium": _Platform("Medium", "#000000", _medium),
    "devto": _Platform("Dev.to", "#0a0a0a", letters("DEV", 70, 32)),
    "hashnode": _Platform("Hashnode", "#2962ff", _hashnode),
    "wordpress": _Platform("WordPress", "#21759b", _wordpress),
    "gmb": _Platform("Google My Business", "#4285f4", _google_business),
    "listmonk": _Platform("Listmonk", "#0055d4", _listmonk),
}

PLATFORMS: tuple[str, ...] = tuple(_PLATFORMS)
"""The identifiers of the platforms of the Sipstory API."""

_icon_cache: dict[tuple[str, int, bool], QIcon] = {}


# --- the public functions ---------------------------------------------------------


def platform_name(identifier: str) -> str:
    """The platform's name for people (``"LinkedIn Page"``); the identifier if unknown."""
    known = _PLATFORMS.get(identifier)
    if known is not None:
        return known.name
    return identifier[:1].upper() + identifier[1:] if identifier else "?"


def platform_colour(identifier: str) -> QColor:
    """The brand colour of the badge (a gradient's first stop; the generic grey if unknown)."""
    known = _PLATFORMS.get(identifier)
    fill = known.fill if known is not None else GENERIC_COLOUR
    return QColor(fill if isinstance(fill, str) else fill[0])


def paint_platform(painter: QPainter, rect: QRectF, identifier: str) -> None:
    """Paint the badge of ``identifier`` into the largest square centred in ``rect``.

    The painter's state is saved and restored.
    """
    side = min(rect.width(), rect.height()) * (1 - 2 * _MARGIN)
    if side <= 0:
        return
    fill, layers = _badge(identifier)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.translate(rect.center().x() - side / 2, rect.center().y() - side / 2)
        painter.scale(side / GRID, side / GRID)
        badge = rounded(0, 0, GRID, GRID, _RADIUS)
        painter.fillPath(badge, _brush(fill))
        if isinstance(fill, str) and QColor(fill).lightness() < 40:
            # A black badge would melt into a dark window: a faint rim keeps its edge.
            painter.strokePath(badge, QPen(QColor(255, 255, 255, 56), 1.4 * GRID / side))
        for path, colour in layers:
            painter.fillPath(path, QColor(colour))
    finally:
        painter.restore()


def platform_pixmap(
    identifier: str, size: int, device_pixel_ratio: float = 1.0, disabled: bool = False
) -> QPixmap:
    """A transparent ``size`` x ``size`` (logical pixels) pixmap of the badge."""
    side = max(1, round(size * device_pixel_ratio))
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.scale(device_pixel_ratio, device_pixel_ratio)
        paint_platform(painter, QRectF(0, 0, size, size), identifier)
    finally:
        painter.end()
    if disabled:
        image = _desaturated(image)
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


def platform_icon(identifier: str, size: int = 20, disabled: bool = False) -> QIcon:
    """An icon of the badge with 1x and 2x pixmaps, cached per identifier, size and state.

    ``disabled`` gives a grey, faded badge (for a channel that is switched off).
    Needs a QGuiApplication.
    """
    key = (identifier, size, disabled)
    icon = _icon_cache.get(key)
    if icon is None:
        icon = QIcon()
        for ratio in (1.0, 2.0):
            icon.addPixmap(platform_pixmap(identifier, size, ratio, disabled))
        _icon_cache[key] = icon
    return QIcon(icon)


# --- helpers ----------------------------------------------------------------------


@functools.cache
def _badge(identifier: str) -> tuple[Fill, Layers]:
    """The fill and the glyph of ``identifier``'s badge (the generic one if unknown)."""
    known = _PLATFORMS.get(identifier)
    if known is not None:
        return known.fill, known.glyph()
    letter = next((c for c in identifier if c.isalnum()), "?").upper()
    return GENERIC_COLOUR, white(text_path(letter, 60, 50))


def _brush(fill: Fill) -> QBrush:
    if isinstance(fill, str):
        return QBrush(QColor(fill))
    gradient = QLinearGradient(0, GRID, GRID, 0)
    for i, colour in enumerate(fill):
        gradient.setColorAt(i / (len(fill) - 1), QColor(colour))
    return QBrush(gradient)


def _desaturated(image: QImage) -> QImage:
    """``image`` in shades of grey and faded, its transparency kept."""
    straight = image.convertToFormat(QImage.Format.Format_ARGB32)
    grey = straight.convertToFormat(QImage.Format.Format_Grayscale8)
    grey = grey.convertToFormat(QImage.Format.Format_ARGB32)
    grey.setAlphaChannel(straight.convertToFormat(QImage.Format.Format_Alpha8))
    faded = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    faded.fill(Qt.GlobalColor.transparent)
    painter = QPainter(faded)
    try:
        painter.setOpacity(_DISABLED_OPACITY)
        painter.drawImage(0, 0, grey)
    finally:
        painter.end()
    return faded
