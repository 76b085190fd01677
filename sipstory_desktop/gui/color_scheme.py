"""Following the desktop's light or dark colour scheme, at start and live.

Qt reports the desktop's scheme (``QStyleHints.colorScheme``) where its platform theme
knows it (GNOME, KDE, Windows, macOS), and its palette follows where the theme provides
one. Where the scheme is dark but the palette is not (a style without a dark palette, a
theme that reports the scheme and nothing else), the app sets a dark palette of its own;
when the desktop turns light again, the style's own palette comes back. Every widget then
gets a palette change: the list redraws its pictures (lights, bars, the Check button) in
the new colours.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from .lights import is_dark_palette

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

_DARK = {
    _Role.Window: "#2b2b2b",
    _Role.WindowText: "#e6e6e6",
    _Role.Base: "#1f1f1f",
    _Role.AlternateBase: "#262626",
    _Role.ToolTipBase: "#2b2b2b",
    _Role.ToolTipText: "#e6e6e6",
    _Role.PlaceholderText: "#8c8c8c",
    _Role.Text: "#e6e6e6",
    _Role.Button: "#353535",
    _Role.ButtonText: "#e6e6e6",
    _Role.BrightText: "#ff6b6b",
    _Role.Light: "#4a4a4a",
    _Role.Midlight: "#3e3e3e",
    _Role.Mid: "#2f2f2f",
    _Role.Dark: "#1a1a1a",
    _Role.Shadow: "#000000",
    _Role.Highlight: "#2e6fb5",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#7fb6ff",
    _Role.LinkVisited: "#c49bff",
}
_DARK_DISABLED = {
    _Role.WindowText: "#7d7d7d",
    _Role.Text: "#7d7d7d",
    _Role.ButtonText: "#7d7d7d",
    _Role.Highlight: "#3d3d3d",
    _Role.HighlightedText: "#9a9a9a",
}


def dark_palette() -> QPalette:
    """A dark palette whose texts, lights and highlight keep WCAG contrast on it."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(_Group.Disabled, role, QColor(colour))
    return palette


class ColorSchemeFollower(QObject):
    """Keeps the application's palette in the desktop's scheme (see the module)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._ours = False  # whether the palette in use is the one set here
        app.styleHints().colorSchemeChanged.connect(self.follow)
        self.follow(app.styleHints().colorScheme())

    def follow(self, scheme: Qt.ColorScheme) -> None:
        dark = is_dark_palette(self._app.palette())
        if scheme == Qt.ColorScheme.Dark and not dark:
            self._app.setPalette(dark_palette())
            self._ours = True
        elif scheme == Qt.ColorScheme.Light and self._ours:
            self._app.setPalette(self._app.style().standardPalette())
            self._ours = False
