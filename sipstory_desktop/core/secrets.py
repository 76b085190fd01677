"""The keyring: the only place a key is stored.

Every call goes through :class:`SecretStore`, which names the backend in words a person
understands, bounds each call by a timeout (a D-Bus service that does not answer or an
unlock prompt nobody sees must not hang the app), and turns every backend failure into a
:class:`SecretStoreError` that says what to do. There is no fallback to a plain file.
"""

from __future__ import annotations

import enum
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from . import messages as M
from . import secret_service

if TYPE_CHECKING:  # keyring itself is imported at the first call, off the GUI thread
    import keyring.backend

SERVICE_NAME = "tech.sipstory.Desktop"
DEFAULT_TIMEOUT_SECONDS = 30.0

log = logging.getLogger(__name__)
T = TypeVar("T")


class SecretErrorKind(str, enum.Enum):
    UNAVAILABLE = "unavailable"
    LOCKED = "locked"
    FAILED = "failed"
    TIMEOUT = "timeout"


class SecretStoreError(Exception):
    """A keyring failure, with a message and a hint for the user. Never holds a key."""

    def __init__(self, kind: SecretErrorKind, message: str, hint: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


@dataclass(frozen=True)
class BackendInfo:
    """Which keyring holds the keys, as a person would call it."""

    name: str
    secure: bool
    available: bool
    technical_name: str
    provider: str = ""  # the program behind the Secret Service: "KeePassXC", "GNOME Keyring"

    @property
    def is_keepassxc(self) -> bool:
        return self.provider == "KeePassXC"


# (module, class) -> (name for people, secure)
_KNOWN_BACKENDS: dict[tuple[str, str], tuple[str, bool]] = {
    # Named after the program that serves the bus once probed (SecretStore.backend_info).
    ("keyring.backends.SecretService", "Keyring"): ("Secret Service", True),
    ("keyring.backends.libsecret", "Keyring"): ("GNOME Keyring (libsecret)", True),
    ("keyring.backends.kwallet", "DBusKeyring"): ("KWallet", True),
    ("keyring.backends.kwallet", "DBusKeyringKWallet4"): ("KWallet 4", True),
    ("keyring.backends.macOS", "Keyring"): ("macOS Keychain", True),
    ("keyring.backends.Windows", "WinVaultKeyring"): ("Windows Credential Locker", True),
    ("keyrings.alt.file", "PlaintextKeyring"): ("a plain-text file (keyrings.alt)", False),
    ("keyrings.alt.file", "EncryptedKeyring"): ("an encrypted file (keyrings.alt)", True),
    ("sipstory_desktop.demo.memory_keyring", "MemoryKeyring"): (
        "Demo keyring (in memory, this session only)",
        True,
    ),
}
_NO_BACKEND = {("keyring.backends.fail", "Keyring"), ("keyring.backends.null", "Keyring")}


def describe_backend(backend: keyring.backend.KeyringBackend) -> BackendInfo:
    """Name ``backend`` for people; a chain is named after the backend it tries first."""
    chained = getattr(backend, "backends", None)
    if chained:
        return describe_backend(chained[0])
    cls = type(backend)
    ident = (cls.__module__, cls.__name__)
    technical = f"{cls.__module__}.{cls.__name__}"
    if ident in _NO_BACKEND:
        return BackendInfo("no keyring", secure=False, available=False, technical_name=technical)
    name, secure = _KNOWN_BACKENDS.get(ident, (cls.__name__, True))
    return BackendInfo(name, secure=secure, available=True, technical_name=technical)


def no_keyring_hint() -> str:
    if sys.platform.startswith("linux"):
        return M.NO_KEYRING_LINUX_HINT
    return M.NO_KEYRING_HINT


LOCKED_MESSAGE = M.LOCKED
CLOSED_MESSAGE = M.CLOSED
NO_COLLECTION_MESSAGE = M.NO_COLLECTION


def is_locked_message(message: str) -> bool:
    """Whether a keyring error's message says locked or closed (the Unlock action helps)."""
    return (
        message.endswith(" is locked.")
        or " has no database open " in message
        or message.endswith(" has no default keyring to keep keys in.")
    )


def locked_error(provider: str, closed: bool = False) -> SecretStoreError:
    """The keyring is locked, or KeePassXC's database closed: not "no key"."""
    who = provider or M.THE_KEYRING
    if closed and provider == "KeePassXC":
        return SecretStoreError(
            SecretErrorKind.LOCKED,
            CLOSED_MESSAGE.format(provider=who),
            M.CLOSED_HINT,
        )
    if closed:
        return SecretStoreError(
            SecretErrorKind.LOCKED,
            NO_COLLECTION_MESSAGE.format(provider=who),
            M.NO_COLLECTION_HINT,
        )
    return SecretStoreError(
        SecretErrorKind.LOCKED,
        LOCKED_MESSAGE.format(provider=who),
        M.LOCKED_HINT,
    )


def _run_with_timeout(call: Callable[[], T], timeout: float, what: str) -> T:
    """Run ``call`` on a daemon thread and wait at most ``timeout`` seconds for it."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    worker = threading.Thread(target=target, name=f"keyring-{what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise SecretStoreError(
            SecretErrorKind.TIMEOUT,
            M.KEYRING_TIMEOUT.format(timeout=f"{timeout:.0f}"),
            M.KEYRING_TIMEOUT_HINT,
        )
    if failure:
        raise failure[0]
    return outcome[0]


def _translate(exc: BaseException, what: str) -> SecretStoreError:
    """A keyring exception as an error a person can act on. The key is never in it."""
    import keyring.errors  # imported already by the call that failed

    text = str(exc).strip()
    if isinstance(exc, secret_service.CollectionLocked):
        return locked_error(exc.provider, closed=exc.closed)
    if isinstance(exc, secret_service.PromptDismissed):
        return SecretStoreError(
            SecretErrorKind.LOCKED,
            M.PROMPT_DISMISSED,
            M.PROMPT_HINT,
        )
    if isinstance(exc, secret_service.PromptTimedOut):
        return SecretStoreError(
            SecretErrorKind.TIMEOUT,
            M.PROMPT_UNANSWERED,
            M.PROMPT_HINT,
        )
    if isinstance(exc, keyring.errors.NoKeyringError):
        return SecretStoreError(SecretErrorKind.UNAVAILABLE, M.NO_KEYRING, no_keyring_hint())
    if isinstance(exc, keyring.errors.KeyringLocked):
        return SecretStoreError(
            SecretErrorKind.LOCKED,
            M.KEYRING_LOCKED,
            M.KEYRING_LOCKED_HINT,
        )
    if isinstance(exc, keyring.errors.InitError):
        if "dismissed" in text.lower():
            return SecretStoreError(
                SecretErrorKind.LOCKED,
                M.INIT_DISMISSED,
                M.INIT_DISMISSED_HINT,
            )
        return SecretStoreError(
            SecretErrorKind.UNAVAILABLE,
            M.NOT_OPENED.format(error=text or type(exc).__name__),
            no_keyring_hint(),
        )
    if isinstance(exc, keyring.errors.PasswordSetError):
        return SecretStoreError(
            SecretErrorKind.FAILED,
            M.NOT_STORED.format(error=text or M.NO_REASON),
            M.NOT_STORED_HINT,
        )
    if isinstance(exc, keyring.errors.PasswordDeleteError):
        return SecretStoreError(
            SecretErrorKind.FAILED,
            M.NOT_DELETED.format(error=text or M.NO_REASON),
            M.NOT_DELETED_HINT,
        )
    if isinstance(exc, UnicodeError):  # its text quotes a byte of the secret
        text = "the stored key is not text"
    return SecretStoreError(
        SecretErrorKind.FAILED,
        M.KEYRING_FAILED.format(what=what, error=f"{type(exc).__name__}: {text[:200]}"),
        M.KEYRING_FAILED_HINT,
    )


def _is_secret_service(backend: object) -> bool:
    return type(backend).__module__ == "keyring.backends.SecretService"


class SecretStore:
    """Keys in the keyring, one per entry id, under :data:`SERVICE_NAME`.

    With the Secret Service (GNOME Keyring, KeePassXC, KWallet's), keys are read and written
    through :mod:`.secret_service`: items keyring also finds, with a label and attributes
    a person recognises, and a locked collection reported as such instead of a prompt
    waited for without end.

    Args:
        backend: a keyring backend to use instead of keyring's own choice (tests, demo).
        timeout: seconds to wait for any one keyring call.
        on_prompt: called, on the calling thread, when a keyring call waits for the user to
            answer a prompt of the keyring (KeePassXC's access confirmation).
    """

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        on_prompt: Callable[[], None] | None = None,
    ) -> None:
        self._backend = backend
        self._timeout = timeout
        self._info: BackendInfo | None = None
        self._probe_lock = threading.Lock()
        self.on_prompt = on_prompt
        self.cancel = threading.Event()  # set: a wait for a prompt ends (dismissing it)

    def known_info(self) -> BackendInfo | None:
        """The backend as probed already, or None before the probe (never blocks)."""
        return self._info

    def backend_info(self) -> BackendInfo:
        """Which backend holds the keys (probed once; may block: never on a GUI thread)."""
        self._resolve()
        assert self._info is not None
        return self._info

    def _resolve(self) -> keyring.backend.KeyringBackend:
        with self._probe_lock:
            if self._backend is None:
                import keyring

                self._backend = _run_with_timeout(keyring.get_keyring, self._timeout, "probe")
            if self._info is None:
                info = describe_backend(self._backend)
                if _is_secret_service(self._backend) and info.available:
                    provider = _run_with_timeout(self._provider, self._timeout, "probe")
                    if provider:
                        info = replace(info, name=f"{provider} (Secret Service)", provider=provider)
                self._info = info
                log.info("keyring backend: %s (%s)", info.technical_name, info.provider or "?")
            return self._backend

    @staticmethod
    def _provider() -> str:
        try:
            with secret_service.connected() as connection:
                return secret_service.provider_name(connection)
        except Exception:  # no bus: the first real call says why
            return ""

    def _keys(self, backend: object) -> secret_service.SecretServiceKeys:
        assert self._info is not None
        return secret_service.SecretServiceKeys(
            SERVICE_NAME,
            self._info.provider or "The keyring",
            preferred=getattr(backend, "preferred_collection", None),
            prompt_timeout=self._timeout,
            on_prompt=self.on_prompt,
            cancel=self.cancel,
        )

    def _call(
        self,
        what: str,
        operation: Callable[[keyring.backend.KeyringBackend], T],
        timeout: float | None = None,
    ) -> T:
        try:
            backend = self._resolve()
            assert self._info is not None
            if not self._info.available:
                import keyring.errors

                raise keyring.errors.NoKeyringError()
            limit = self._timeout if timeout is None else timeout
            return _run_with_timeout(lambda: operation(backend), limit, what)
        except SecretStoreError:
            raise
        except Exception as exc:
            error = _translate(exc, what)
            log.warning("keyring %s failed: %s", what, type(exc).__name__)
            raise error from None

    @property
    def reads_in_one_call(self) -> bool:
        """True when :meth:`get_many` reads every key in one request (one prompt at most)."""
        return _is_secret_service(self._resolve_or_none())

    def get(self, entry_id: str) -> str | None:
        """The key of ``entry_id``, or None when the keyring holds none."""

        def read(backend: keyring.backend.KeyringBackend) -> str | None:
            if _is_secret_service(backend):
                return self._keys(backend).get(entry_id)
            return backend.get_password(SERVICE_NAME, entry_id)

        return self._call("read", read, timeout=self._timeout * 2)

    def get_many(self, entry_ids: Sequence[str]) -> dict[str, str | None]:
        """The keys of ``entry_ids`` (None where the keyring holds none), in one call.

        With the Secret Service, over one D-Bus connection and one encrypted session (each
        :meth:`get` opens its own: docs/benchmarks.md), with one prompt at most (items
        the keyring confirms access to one by one are asked for together), within one
        timeout; with other keyrings, one key after the other, within a timeout for each
        (some ask the user for every item). Raises on the first failure, like :meth:`get`.
        """
        wanted = list(dict.fromkeys(entry_ids))
        if not wanted:
            return {}
        backend = self._resolve_or_none()
        if _is_secret_service(backend):
            # the prompt's own limit, and as long again for the reading itself
            return self._call(
                "read", lambda b: self._keys(b).get_many(wanted), timeout=self._timeout * 2
            )

        def one_by_one(backend: keyring.backend.KeyringBackend) -> dict[str, str | None]:
            return {entry_id: backend.get_password(SERVICE_NAME, entry_id) for entry_id in wanted}

        return self._call("read", one_by_one, timeout=self._timeout * len(wanted))

    def _resolve_or_none(self) -> keyring.backend.KeyringBackend | None:
        """The backend, or None if finding it fails (the next call says why)."""
        try:
            return self._resolve()
        except Exception:  # reported by the call that follows, translated
            return None

    def set(
        self,
        entry_id: str,
        key: str,
        description: secret_service.ItemDescription | None = None,
    ) -> None:
        """Store ``key`` for ``entry_id``; with the Secret Service, the item gets the
        label and attributes of ``description`` (what a person finds it by)."""

        def store(backend: keyring.backend.KeyringBackend) -> None:
            if _is_secret_service(backend):
                self._keys(backend).set(entry_id, key, description)
            else:
                backend.set_password(SERVICE_NAME, entry_id, key)

        self._call("store", store, timeout=self._timeout * 2)

    def describe(self, descriptions: Mapping[str, secret_service.ItemDescription]) -> int:
        """Label the keys of these entry ids for people, where they are not yet (Secret
        Service only: other keyrings have no labels to give); how many were labelled."""
        if not descriptions or not _is_secret_service(self._resolve_or_none()):
            return 0
        return self._call("store", lambda b: self._keys(b).describe(descriptions))

    def find_shared(self, wanted: Mapping[str, tuple[str, str]]) -> dict[str, str]:
        """Ids of keys already in the keyring for entries known as ``(name, base_url)``,
        as a teammate stored them in a shared vault (Secret Service only; else none)."""
        if not wanted or not _is_secret_service(self._resolve_or_none()):
            return {}
        return self._call("read", lambda b: self._keys(b).find_shared(wanted))

    def delete(self, entry_id: str) -> bool:
        """Delete the key of ``entry_id``; False when there was none."""

        def delete(backend: keyring.backend.KeyringBackend) -> bool:
            if _is_secret_service(backend):
                return self._keys(backend).delete(entry_id)
            if backend.get_password(SERVICE_NAME, entry_id) is None:
                return False
            backend.delete_password(SERVICE_NAME, entry_id)
            return True

        return self._call("delete", delete)

    def unlock(self, timeout: float = 120.0) -> bool:
        """Ask the keyring to unlock (the Secret Service shows its own prompt: KeePassXC
        its unlock dialog) and wait for the answer, at most ``timeout`` seconds, or until
        :attr:`cancel` is set. True once unlocked; False when the prompt was dismissed or
        the keyring cannot be unlocked this way. Raises :class:`SecretStoreError`."""
        self.cancel.clear()

        def ask(backend: keyring.backend.KeyringBackend) -> bool:
            if not _is_secret_service(backend):
                return False
            assert self._info is not None
            return secret_service.unlock(
                getattr(backend, "preferred_collection", None),
                self._info.provider,
                timeout,
                self.cancel,
            )

        return self._call("unlock", ask, timeout=timeout + self._timeout)


class KeyBatch:
    """The keys of a run of checks, read by whichever check asks first; the others wait
    for it (any thread). The one way the CLI and the window read keys for many checks.

    With the Secret Service every key is read in one :meth:`SecretStore.get_many` request:
    a locked collection, or one prompt to allow access to the keys, is met once. Otherwise
    the first entry's key is read alone, so that a keyring that is locked, missing or does
    not answer is met once (one prompt, one timeout): every check then gets that failure
    without asking again. The other keys are read in one :meth:`SecretStore.get_many`
    call; if that fails the same way, the checks not yet answered get that failure too;
    after any other failure, each reads its own key, so that a failure is that entry's
    only.
    """

    _FOR_ALL = (SecretErrorKind.LOCKED, SecretErrorKind.UNAVAILABLE, SecretErrorKind.TIMEOUT)

    def __init__(self, store: SecretStore, entry_ids: Sequence[str]) -> None:
        self._store = store
        self._ids = list(dict.fromkeys(entry_ids))
        self._lock = threading.Lock()
        self._keys: dict[str, str | None] | None = None
        self._error: SecretStoreError | None = None  # of the first read
        self._stale: set[str] = set()

    def forget(self, entry_id: str) -> None:
        """The key of ``entry_id`` was replaced: its check reads the new one."""
        with self._lock:
            self._stale.add(entry_id)

    def get(self, entry_id: str) -> str | None:
        """The key of ``entry_id`` (None when the keyring holds none); raises
        :class:`SecretStoreError` like :meth:`SecretStore.get`."""
        with self._lock:
            stale = entry_id in self._stale  # its key was replaced since the batch began
            self._stale.discard(entry_id)
            if self._keys is None:
                self._keys, self._error = self._read()
            keys, error = self._keys, self._error
        if stale:
            return self._store.get(entry_id)
        if entry_id in keys:
            return keys[entry_id]
        if error is not None and (error.kind in self._FOR_ALL or entry_id == self._ids[0]):
            raise SecretStoreError(error.kind, error.message, error.hint)  # one per thread
        return self._store.get(entry_id)

    def _read(self) -> tuple[dict[str, str | None], SecretStoreError | None]:
        """The first key alone, then the others in one call (under the lock)."""
        keys: dict[str, str | None] = {}
        if not self._ids:
            return keys, None
        if self._store.reads_in_one_call:  # the Secret Service: one request, one prompt
            try:
                return self._store.get_many(self._ids), None
            except SecretStoreError as failure:
                if failure.kind in self._FOR_ALL:
                    return keys, failure  # locked, closed, a prompt unanswered: once for all
                # else each reads its own key (a damaged item is its own)
                return keys, None
        first, rest = self._ids[0], self._ids[1:]
        error: SecretStoreError | None = None
        try:
            keys[first] = self._store.get(first)
        except SecretStoreError as failure:
            if failure.kind in self._FOR_ALL:
                return keys, failure  # the keyring as a whole: nobody asks again
            error = failure  # that entry's own
        if rest:
            try:
                keys.update(self._store.get_many(rest))
            except SecretStoreError as failure:
                if failure.kind in self._FOR_ALL:  # locked or hung meanwhile: once for all
                    return keys, failure
                # else each of the others reads its own key (a damaged item is its own)
        return keys, error
