"""Which keyring holds the keys: probed once after the first paint, named in the status
bar, and a banner that says what to do when there is none or it is not encrypted, or when
it is locked (KeePassXC's database locked or closed): then its Unlock button asks the
keyring to unlock, and waits for the answer, within a limit, off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel

from ..core.secrets import (
    BackendInfo,
    SecretStore,
    SecretStoreError,
    is_locked_message,
    no_keyring_hint,
)
from ..core.status import CheckResult, Light, Status
from ..core.vault import Vault
from .banner import Banner
from .lights import light_label_pixmap
from .result_texts import translated
from .workers import Worker, describe_error

_ICON_SIZE = 16
UNLOCK_TIMEOUT_SECONDS = 120.0  # a person typing a database password; then the prompt goes
LOCKED_TOPIC = "keyring-locked"


class KeyringStatus(QObject):
    """The keyring's name and state, as the status bar and the details pane show it.

    Signals:
        changed(): the probe answered (see :attr:`backend`: None when there is no keyring).
        unlocked(): the keyring was unlocked through :meth:`unlock`.
        prompt_waiting(): a keyring call waits for the user to answer the keyring's prompt
            (emitted from the calling thread; delivered on the GUI thread).
    """

    changed = Signal()
    unlocked = Signal()
    prompt_waiting = Signal()

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
        self.unlocking = False
        self._unlocker = Worker(1, self)  # a wait for a person: never the keys' own worker
        self._attach(vault.secrets)
        self.prompt_waiting.connect(self._say_waiting)
        banner.retry_requested.connect(self.retry)
        banner.action_requested.connect(self._banner_action)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cancel_unlock)

    def _attach(self, store: SecretStore) -> None:
        store.on_prompt = self.prompt_waiting.emit  # any thread: queued to the GUI thread

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
        self._attach(self._vault.secrets)
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
            title, hint = translated(error.message), translated(error.hint)
        elif error is None:
            title, hint = self.tr("No system keyring is available."), translated(no_keyring_hint())
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

    # --- locked ----------------------------------------------------------------------------

    def notice_results(self, results: Iterable[CheckResult | None]) -> None:
        """Checks came back: if the keyring was locked, say so and offer to unlock it."""
        locked = next(
            (
                r
                for r in results
                if r is not None
                and r.status is Status.KEYRING_ERROR
                and is_locked_message(r.message)
            ),
            None,
        )
        if locked is None or self.unlocking:
            return
        self._banner.show_message(
            Light.RED,
            translated(locked.message),
            self.tr(
                "The keys are kept, but cannot be read until it is unlocked. Unlock asks it "
                "to show its own prompt; answer it there."
            ),
            retry=False,
            topic=LOCKED_TOPIC,
            action=self.tr("&Unlock"),
        )

    def _banner_action(self, topic: str) -> None:
        if topic == LOCKED_TOPIC:
            self.unlock()

    def unlock(self) -> None:
        """Ask the keyring to unlock (KeePassXC shows its unlock dialog), off the GUI
        thread; the wait ends after :data:`UNLOCK_TIMEOUT_SECONDS` or :meth:`cancel_unlock`."""
        if self.unlocking:
            return
        self.unlocking = True
        self._banner.hide_message(LOCKED_TOPIC)
        self._say(
            self.tr("Asking %s to unlock: answer its prompt (waiting up to %d s)…")
            % (self.name or self.tr("the keyring"), int(UNLOCK_TIMEOUT_SECONDS))
        )
        store = self._vault.secrets
        self._unlocker.run(
            lambda: store.unlock(timeout=UNLOCK_TIMEOUT_SECONDS),
            self._unlock_done,
            self._unlock_failed,
        )

    def cancel_unlock(self) -> None:
        """Stop waiting for the unlock prompt (it is dismissed); used when quitting."""
        self._vault.secrets.cancel.set()
        self._unlocker.pool.waitForDone(5000)

    def _unlock_done(self, unlocked: bool) -> None:
        self.unlocking = False
        if unlocked:
            self._say(self.tr("%s is unlocked.") % (self.name or self.tr("The keyring")), 8000)
            self.unlocked.emit()
            return
        self._banner.show_message(
            Light.RED,
            self.tr("The keyring stays locked."),
            self.tr("Its prompt was dismissed. Unlock it in its own window, or try again."),
            retry=False,
            topic=LOCKED_TOPIC,
            action=self.tr("&Unlock"),
        )

    def _unlock_failed(self, error: Exception) -> None:
        self.unlocking = False
        title, hint = (
            (translated(error.message), translated(error.hint))
            if isinstance(error, SecretStoreError)
            else (self.tr("The keyring could not be unlocked."), describe_error(error))
        )
        self._banner.show_message(
            Light.RED, title, hint, retry=False, topic=LOCKED_TOPIC, action=self.tr("&Unlock")
        )

    def _say_waiting(self) -> None:
        self._say(
            self.tr("Waiting for %s: allow Sipstory Desktop to read the keys in its prompt.")
            % (self.name or self.tr("the keyring")),
            0,
        )

    def _say(self, text: str, timeout_ms: int = 0) -> None:
        window = self.parent()
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(text, timeout_ms)
