"""Make the app's raster icons and the status-light SVGs from their sources.

Run it with the project's venv after changing ``tech.sipstory.Desktop.svg`` or the shapes in
``sipstory_desktop/gui/lights.py``, and commit what it writes (the bundle build uses it)::

    python resources/make_icons.py            # writes into resources/
    python resources/make_icons.py --out DIR  # writes into DIR instead

It writes, under the output directory:

* ``icons/hicolor/<N>x<N>/apps/tech.sipstory.Desktop.png`` for N in 16 … 512 (Linux);
* ``icons/tech.sipstory.Desktop.ico``: 16 … 256 px, PNG-compressed entries (Windows);
* ``icons/tech.sipstory.Desktop.icns``: 16 … 512 px at 1x and 2x, PNG entries (macOS);
* ``status/{green,amber,red,grey,checking}.svg``: the status lights as lights.py paints
  them on a light palette.

Only QtSvg and QtGui are used (offscreen, no display needed); the ICO and ICNS containers
are written here with ``struct``. The same inputs give the same bytes, and a file whose
bytes would not change is not rewritten.
"""

from __future__ import annotations

import argparse
import math
import os
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageWriter, QPainter, QPalette
from PySide6.QtSvg import QSvgRenderer

from sipstory_desktop import APP_ID
from sipstory_desktop.core.status import Light
from sipstory_desktop.gui.lights import glyph_colour, light_colour

HERE = Path(__file__).resolve().parent
SOURCE_SVG = HERE / f"{APP_ID}.svg"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # an ICO directory entry cannot say more than 256
# ICNS entry types holding PNG data, and the pixel size of each.
ICNS_TYPES = (
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),  # 512 @2x
    ("ic11", 32),  # 16 @2x
    ("ic12", 64),  # 32 @2x
    ("ic13", 256),  # 128 @2x
    ("ic14", 512),  # 256 @2x
)

# The "checking" spinner's colour: the highlight of Qt's default light palette.
CHECKING_COLOUR = "#308cc6"
STATUS_TITLES = {
    Light.GREEN: "Connected",
    Light.AMBER: "Rate limited",
    Light.RED: "Not working",
    Light.GREY: "Not checked",
}


# --- raster icons -----------------------------------------------------------------


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """``renderer``'s picture as a ``size`` x ``size`` PNG with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    writer.setQuality(0)  # for PNG: the strongest compression (the icons are committed)
    if not writer.write(image.convertToFormat(QImage.Format.Format_ARGB32)):
        raise RuntimeError(f"could not encode the {size} px icon as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_container(pngs: dict[int, bytes]) -> bytes:
    """A Windows ICO file holding ``pngs`` (size -> PNG bytes), smallest first.

    ICONDIR (reserved 0, type 1, count), then one 16-byte ICONDIRENTRY per image (width and
    height with 0 meaning 256, colours 0, reserved 0, planes 1, 32 bits per pixel, byte count,
    offset), then the PNG data. PNG entries are read by Windows Vista and later.
    """
    sizes = sorted(pngs)
    offset = 6 + 16 * len(sizes)
    directory = [struct.pack("<HHH", 0, 1, len(sizes))]
    for size in sizes:
        if not 1 <= size <= 256:
            raise ValueError(f"an ICO entry cannot be {size} px")
        side = 0 if size == 256 else size
        directory.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(pngs[size]), offset))
        offset += len(pngs[size])
    return b"".join(directory) + b"".join(pngs[size] for size in sizes)


def icns_container(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A macOS ICNS file: ``icns`` and the total length, then each entry as its four-letter
    type, its length (header included) and its data; all lengths are big-endian."""
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data for kind, data in entries
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def app_icon_files(svg: Path) -> dict[str, bytes]:
    """The raster app icons made from ``svg``, by path relative to the output directory."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise RuntimeError(f"QtSvg cannot read {svg}")
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(renderer, size) for size in sizes}
    files = {f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png": pngs[size] for size in HICOLOR_SIZES}
    files[f"icons/{APP_ID}.ico"] = ico_container({size: pngs[size] for size in ICO_SIZES})
    files[f"icons/{APP_ID}.icns"] = icns_container(
        [(kind, pngs[size]) for kind, size in ICNS_TYPES]
    )
    return files


# --- status lights as SVG ---------------------------------------------------------
# The geometry below is lights.py's, in a 100 x 100 view box: the shape fills the square
# left inside a 6 % margin, glyphs are stroked 12.5 % of that square wide with round caps.
# tests/unit/test_desktop_integration.py checks that both draw the same picture.

_VIEW = 100.0
_MARGIN = 0.06 * _VIEW
_SIDE = _VIEW - 2 * _MARGIN
_GLYPH_WIDTH = 0.125 * _SIDE
_RING_WIDTH = 0.11 * _SIDE
_CENTRE = _VIEW / 2


def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _at(x: float, y: float) -> str:
    """The point at fractions ``x``, ``y`` of the shape's square."""
    return f"{_n(_MARGIN + x * _SIDE)} {_n(_MARGIN + y * _SIDE)}"


def _polyline(points: Sequence[tuple[float, float]], colour: str) -> str:
    path = "M " + " L ".join(_at(x, y) for x, y in points)
    return (
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{_n(_GLYPH_WIDTH)}"'
        ' stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _dot(x: float, y: float, colour: str) -> str:
    cx, cy = _at(x, y).split()
    return f'<circle cx="{cx}" cy="{cy}" r="{_n(_GLYPH_WIDTH / 2)}" fill="{colour}"/>'


def _triangle(corner: float) -> str:
    """lights.py's rounded triangle: the corners moved ``corner`` towards the centre, then
    filled and stroked ``corner`` wide with round joins."""
    points = [
        (_MARGIN + x * _SIDE, _MARGIN + y * _SIDE)
        for x, y in ((0.5, 0.02), (1.02, 0.92), (-0.02, 0.92))
    ]
    cx = sum(x for x, _ in points) / 3
    cy = sum(y for _, y in points) / 3
    moved = []
    for x, y in points:
        length = math.hypot(cx - x, cy - y)
        moved.append((x + (cx - x) * corner / length, y + (cy - y) * corner / length))
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in moved)


def _octagon(rounding: float) -> str:
    """lights.py's octagon: flat sides touching the square less half the rounding pen."""
    half = (_SIDE - rounding) / 2
    radius = half / math.cos(math.pi / 8)
    return " ".join(
        f"{_n(_CENTRE + radius * math.cos(math.pi / 8 + k * math.pi / 4))},"
        f"{_n(_CENTRE + radius * math.sin(math.pi / 8 + k * math.pi / 4))}"
        for k in range(8)
    )


def _status_shapes(light: Light, fill: str, glyph: str) -> list[str]:
    if light is Light.GREEN:
        return [
            f'<circle cx="{_n(_CENTRE)}" cy="{_n(_CENTRE)}" r="{_n(_SIDE / 2)}" fill="{fill}"/>',
            _polyline([(0.28, 0.53), (0.44, 0.69), (0.73, 0.36)], glyph),
        ]
    if light is Light.AMBER:
        corner = 0.14 * _SIDE
        return [
            f'<polygon points="{_triangle(corner)}" fill="{fill}" stroke="{fill}"'
            f' stroke-width="{_n(corner)}" stroke-linejoin="round"/>',
            _polyline([(0.5, 0.38), (0.5, 0.6)], glyph),
            _dot(0.5, 0.8, glyph),
        ]
    if light is Light.RED:
        rounding = 0.04 * _SIDE
        return [
            f'<polygon points="{_octagon(rounding)}" fill="{fill}" stroke="{fill}"'
            f' stroke-width="{_n(rounding)}" stroke-linejoin="round"/>',
            _polyline([(0.34, 0.34), (0.66, 0.66)], glyph),
            _polyline([(0.66, 0.34), (0.34, 0.66)], glyph),
        ]
    # GREY: a hollow ring and a dash, both in the light's own colour.
    return [
        f'<circle cx="{_n(_CENTRE)}" cy="{_n(_CENTRE)}" r="{_n(_SIDE / 2 - _RING_WIDTH / 2)}"'
        f' fill="none" stroke="{fill}" stroke-width="{_n(_RING_WIDTH)}"/>',
        _polyline([(0.34, 0.5), (0.66, 0.5)], fill),
    ]


def _checking_shapes(colour: str) -> list[str]:
    """lights.py's spinner at angle 0: a faint track and a 270° arc clockwise from 3 o'clock."""
    width = _RING_WIDTH * 1.2
    radius = _SIDE / 2 - width / 2
    end_x, end_y = _CENTRE, _CENTRE - radius  # 270° clockwise from 3 o'clock is 12 o'clock
    return [
        f'<circle cx="{_n(_CENTRE)}" cy="{_n(_CENTRE)}" r="{_n(radius)}" fill="none"'
        f' stroke="{colour}" stroke-opacity="0.2" stroke-width="{_n(width)}"/>',
        f'<path d="M {_n(_CENTRE + radius)} {_n(_CENTRE)} A {_n(radius)} {_n(radius)} 0 1 1'
        f' {_n(end_x)} {_n(end_y)}" fill="none" stroke="{colour}" stroke-width="{_n(width)}"'
        ' stroke-linecap="round"/>',
    ]


def _svg_document(title: str, shapes: Sequence[str]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Made by resources/make_icons.py after sipstory_desktop/gui/lights.py: do not edit."
        " -->",
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="16" height="16"'
        f' viewBox="0 0 {_n(_VIEW)} {_n(_VIEW)}">',
        f"  <title>{title}</title>",
        *(f"  {shape}" for shape in shapes),
        "</svg>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def status_files() -> dict[str, bytes]:
    """The status-light SVGs in lights.py's light-palette colours, by relative path."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffffff"))
    files = {}
    for light in Light:
        fill = light_colour(light, palette)
        shapes = _status_shapes(light, fill.name(), glyph_colour(fill).name())
        files[f"status/{light.value}.svg"] = _svg_document(STATUS_TITLES[light], shapes)
    files["status/checking.svg"] = _svg_document("Checking", _checking_shapes(CHECKING_COLOUR))
    return files


# --- the script ---------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True when written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def make_icons(out: Path, svg: Path = SOURCE_SVG) -> dict[Path, bool]:
    """Write every generated file under ``out``; maps each path to whether it changed."""
    files = {**app_icon_files(svg), **status_files()}
    return {out / name: write_if_changed(out / name, data) for name, data in sorted(files.items())}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="the directory to write icons/ and status/ into (default: %(default)s)",
    )
    parser.add_argument(
        "--svg", type=Path, default=SOURCE_SVG, help="the app icon's source (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    results = make_icons(args.out, args.svg)
    for path, changed in results.items():
        print(f"{'wrote    ' if changed else 'unchanged'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
