"""The app icon and the status-light SVGs, read from ``sipstory_desktop.resources``.

They are read with ``importlib.resources`` as bytes, never as file paths, so that they are
found installed, in an editable checkout and in the frozen bundle alike.
"""

from __future__ import annotations

import logging
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

from .. import APP_ID
from ..core.status import Light

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

log = logging.getLogger(__name__)

RESOURCES = "sipstory_desktop.resources"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _resources() -> Traversable:
    return files(RESOURCES)


def app_icon() -> QIcon:
    """The application's icon, with a pixmap for each size drawn for it.

    Made from the hicolor PNGs; where none can be read, the SVG is rendered at those sizes
    instead. Needs a QGuiApplication.
    """
    icon = QIcon()
    hicolor = _resources() / "icons" / "hicolor"
    for size in ICON_SIZES:
        png = hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        if not png.is_file():
            continue
        if isinstance(png, Path):  # a file on disk: Qt reads it when that size is shown
            icon.addFile(str(png), QSize(size, size))
            continue
        pixmap = QPixmap()
        if pixmap.loadFromData(png.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    if icon.isNull():
        log.warning("no PNG app icon found in %s: rendering the SVG", RESOURCES)
        icon = _svg_icon((_resources() / f"{APP_ID}.svg").read_bytes())
    return icon


def status_svg(light: Light) -> bytes:
    """The SVG document of ``light``'s status icon (lights.py's shapes, light palette)."""
    return (_resources() / "status" / f"{light.value}.svg").read_bytes()


def checking_svg() -> bytes:
    """The SVG document of the "checking" spinner, at rest."""
    return (_resources() / "status" / "checking.svg").read_bytes()


def _svg_icon(svg: bytes) -> QIcon:
    """An icon with ``svg`` rendered at each of ICON_SIZES (empty if QtSvg cannot read it)."""
    from PySide6.QtSvg import QSvgRenderer  # rarely needed: not loaded at every start

    renderer = QSvgRenderer(QByteArray(svg))
    icon = QIcon()
    if not renderer.isValid():
        return icon
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            renderer.render(painter, QRectF(0, 0, size, size))
        finally:
            painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon
