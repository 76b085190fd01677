"""The app's style: the platform's (Fusion, Breeze...), with one change.

The list's history bars and Check button are pixmaps; Qt would tint them with the
highlight on a selected row. They keep their colours instead, as the lights and the spinner
do (those bring their own pictures for a selected row). Qt asks for this only for the
pictures of the selected row.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyleOption


class SelectionKeepsPictures(QProxyStyle):
    """The application's style, but a selected item's pictures are not tinted."""

    def generatedIconPixmap(
        self, mode: QIcon.Mode, pixmap: QPixmap | QImage, option: QStyleOption
    ) -> QPixmap:
        if mode == QIcon.Mode.Selected:
            return pixmap if isinstance(pixmap, QPixmap) else QPixmap.fromImage(pixmap)
        return super().generatedIconPixmap(mode, pixmap, option)


def use_app_style(app: QApplication) -> None:
    """Wrap the application's style (once)."""
    if not isinstance(app.style(), SelectionKeepsPictures):
        app.setStyle(SelectionKeepsPictures(app.style().name()))
