"""Which keyring holds the keys: probed once after the first paint, named in the status
bar, and a banner that says what to do when there is none or it is not encrypted."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from ..core.secrets import BackendInfo, SecretStore, SecretStoreError, no_keyring_hint
from ..core.status import Light
from ..core.vault import Vault
from .banner import Banner
from .lights import light_label_pixmap
from .workers import Worker, describe_error

_ICON_SIZE = 16


class KeyringStatus(QObject):
    """The keyring's name and state, as the status bar and the details pane show it.

    Signals:
        changed(): the probe answered (see :attr:`backend`: None when there is no keyring).
    """

    changed = Signal()

    def __init__(self, vault: Vault, worker: Worker, banner: Banner, parent: QObject) -> None:
        super().__init__(parent)
        self._vault = vault
        self._worker = worker
        self._banner = banner
        self.backend: BackendInfo | None = None
        self.label = QLabel(self.tr("Looking for the keyring…"))  # its text is its name
        self.label.setAccessibleDescription(self.tr("Which keyring holds the keys"))
        self.icon = QLabel()
        self._light: Light | None = None  # shown by the icon, once the probe answered
        self.icon.setAccessibleName(self.tr("Looking for the keyring"))
        banner.retry_requested.connect(self.retry)

    def restyle(self) -> None:
        """The icon in the current palette (dark or light)."""
        if self._light is not None:
            self.icon.setPixmap(light_label_pixmap(self._light, _ICON_SIZE, self.icon))

    @property
    def name(self) -> str:
        """The keyring's name, or "" while there is none."""
        return self.backend.name if self.backend else ""

    def probe(self) -> None:
        """Ask the keyring which it is, on a worker (it may block for seconds)."""
        self._worker.run(self._vault.secrets.backend_info, self._found, self._failed)

    def retry(self) -> None:
        """The user installed or unlocked a keyring: look again, from scratch."""
        self._vault.secrets = SecretStore()
        self.label.setText(self.tr("Looking for the keyring…"))
        self.icon.setAccessibleName(self.tr("Looking for the keyring"))
        self.probe()

    def _found(self, info: BackendInfo) -> None:
        self.backend = info
        if not info.available:
            self._failed(None)
            return
        self._light = Light.GREEN if info.secure else Light.AMBER
        self.restyle()
        self.icon.setAccessibleName(
            self.tr("Keyring: encrypted") if info.secure else self.tr("Keyring: NOT encrypted")
        )
        secure = self.tr("secure") if info.secure else self.tr("NOT encrypted")
        self.label.setText(self.tr("Keys in %s (%s)") % (info.name, secure))
        if not info.secure:
            self._banner.show_message(
                Light.AMBER,
                self.tr("Your keys are stored without encryption."),
                self.tr(
                    "The keyring in use, %s, keeps keys in a plain file. Install a system "
                    "keyring (GNOME Keyring, KWallet) and restart."
                )
                % info.name,
                topic="keyring",
            )
        else:
            self._banner.hide_message("keyring")
        self.changed.emit()

    def _failed(self, error: Exception | None) -> None:
        self.backend = None
        self._light = Light.RED
        self.restyle()
        self.icon.setAccessibleName(self.tr("No keyring"))
        self.label.setText(self.tr("No keyring"))
        if isinstance(error, SecretStoreError):
            title, hint = error.message, error.hint
        elif error is None:
            title, hint = self.tr("No system keyring is available."), no_keyring_hint()
        else:
            title, hint = self.tr("The keyring could not be opened."), describe_error(error)
        self._banner.show_message(
            Light.RED,
            title,
            hint
            + " "
            + self.tr(
                "Your entries are listed, but keys cannot be stored, read or checked until then."
            ),
            topic="keyring",
        )
        self.changed.emit()
