"""Using a key: Copy key, Copy as curl, Copy as environment line, Reveal. The key is read
from the keyring on a worker when asked for, and never kept."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from ..core.entries import Entry
from ..core.snippets import curl_command, environment_line
from .secret_clipboard import SecretClipboard
from .window_context import WindowContext


class KeyCommands(QObject):
    """What can be done with the selected entry's key.

    ``reveal`` hands the key to ``show_key`` (the details pane, which hides it again).
    """

    def __init__(self, context: WindowContext, show_key: Callable[[str], None]) -> None:
        super().__init__(context.window)
        self._context = context
        self._show_key = show_key
        self.clipboard = SecretClipboard(self)
        self.clipboard.cleared.connect(
            lambda: context.say(self.tr("The key was cleared from the clipboard."), 5000)
        )
        self.clipboard.clear_delayed.connect(
            lambda: context.say(
                self.tr(
                    "The key is still on the clipboard: on Wayland only the app in front may "
                    "clear it. It will be cleared when you come back to Sipstory Desktop."
                )
            )
        )

    def copy_key(self) -> None:
        self._with_key(lambda _entry, key: self._copy(key, self.tr("Key")))

    def copy_curl(self) -> None:
        self._with_key(
            lambda entry, key: self._copy(
                curl_command(entry.base_url, key), self.tr("A curl command with the key")
            )
        )

    def copy_environment(self) -> None:
        self._with_key(
            lambda entry, key: self._copy(
                environment_line(entry.base_url, key), self.tr("An environment line with the key")
            )
        )

    def reveal(self) -> None:
        self._with_key(lambda _entry, key: self._show_key(key))

    def _with_key(self, then: Callable[[Entry, str], None]) -> None:
        entry = self._context.selected()
        if entry is None:
            return

        def arrived(key: str | None) -> None:
            if key is None:
                QMessageBox.warning(
                    self._context.window,
                    self.tr("No key stored"),
                    self.tr("The keyring holds no key for “%s”. Use Replace key to store it again.")
                    % entry.name,
                )
            else:
                then(entry, key)

        self._context.op(lambda: self._context.vault.secrets.get(entry.id)).success(arrived).titled(
            self.tr("Could not read the key")
        ).run()

    def _copy(self, text: str, what: str) -> None:
        self.clipboard.copy(text)
        self._context.say(
            self.tr("%s copied. It will be cleared from the clipboard in 30 s.") % what, 8000
        )
