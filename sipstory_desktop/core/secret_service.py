"""The freedesktop Secret Service, spoken directly (secretstorage over D-Bus).

keyring's own Secret Service backend names an item "Password for 'ID' on 'SERVICE'" and
unlocks a locked collection by opening a prompt and waiting for it without end. Here the
same items (same ``service`` and ``username`` attributes, so ``keyring.get_password``
still finds them, and items written by keyring are found here) get a label and attributes
a person recognises in KeePassXC or Seahorse; a locked collection is reported, never
unlocked behind the user's back; and the one prompt the user asks for (:func:`unlock`)
is waited for in short steps, within a limit, and can be cancelled.

Which program serves the bus is found once (:func:`provider_name`): the owner of
``org.freedesktop.secrets``, by its process name.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection  # type: ignore[import-untyped]
    from secretstorage.collection import Collection
    from secretstorage.item import Item

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
SERVICE_IFACE = "org.freedesktop.Secret.Service"
PROMPT_IFACE = "org.freedesktop.Secret.Prompt"
# What keyring's SecretService backend (default scheme) names an item by.
SERVICE_ATTRIBUTE = "service"
ID_ATTRIBUTE = "username"
# Ours, for people and for finding a teammate's key after an import.
NAME_ATTRIBUTE = "sipstory_entry"
URL_ATTRIBUTE = "sipstory_base_url"
PROMPT_STEP_SECONDS = 0.25
# Attributes KeePassXC makes from an entry's own fields: read-only over the bus.
_PROVIDER_ATTRIBUTES = frozenset({"Uuid", "Path", "Title", "UserName", "URL", "Notes", "Password"})

# Process names (/proc/PID/comm, at most 15 characters) -> how people call the program.
_PROVIDERS = {
    "keepassxc": "KeePassXC",
    "gnome-keyring-d": "GNOME Keyring",
    "kwalletd5": "KWallet",
    "kwalletd6": "KWallet",
    "ksecretd": "KWallet",
    "oo7-daemon": "oo7",
    "keepassxc-proxy": "KeePassXC",
}


class CollectionLocked(Exception):
    """The collection is locked (or its database closed); nothing was unlocked."""

    def __init__(self, provider: str, closed: bool = False) -> None:
        super().__init__(provider)
        self.provider = provider
        self.closed = closed


class PromptDismissed(Exception):
    """The user dismissed the Secret Service's prompt."""


class PromptTimedOut(Exception):
    """Nobody answered the prompt in time, or the wait was cancelled; the prompt was
    dismissed so that it does not stay open."""


@dataclass(frozen=True)
class ItemDescription:
    """What a person sees of a stored key: the item's label and our attributes."""

    label: str
    entry_name: str
    base_url: str


def describe_item(entry_name: str, base_url: str, instance: str) -> ItemDescription:
    return ItemDescription(f"Sipstory: {entry_name} ({instance})", entry_name, base_url)


def _connect() -> DBusConnection:
    import secretstorage

    return secretstorage.dbus_init()


@contextlib.contextmanager
def connected() -> Iterator[DBusConnection]:
    connection = _connect()
    try:
        yield connection
    finally:
        connection.close()


def provider_name(connection: DBusConnection) -> str:
    """The program that serves the Secret Service on this bus ("KeePassXC", "GNOME
    Keyring", ...), or "" when it cannot be told."""
    from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]

    try:
        reply = connection.send_and_get_reply(
            message_bus.GetConnectionUnixProcessID(BUS_NAME), timeout=5
        )
        pid = int(reply.body[0])
        comm = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except Exception:  # a sandbox, another OS, a bus that does not say: name it generically
        return ""
    return _PROVIDERS.get(comm, comm)


def _service(connection: DBusConnection) -> Any:
    from secretstorage.util import DBusAddressWrapper

    return DBusAddressWrapper(SERVICE_PATH, SERVICE_IFACE, connection)


def open_collection(
    connection: DBusConnection, provider: str, preferred: str | None = None
) -> Collection:
    """The collection keys go to (keyring's preferred one, else the default alias),
    unlocked; raises :class:`CollectionLocked` when it is locked or there is none (a
    KeePassXC whose database is closed). Never creates or unlocks one."""
    from secretstorage.collection import Collection
    from secretstorage.exceptions import ItemNotFoundException

    path = preferred
    if not path:
        (path,) = _service(connection).call("ReadAlias", "s", "default")
        if path == "/":
            raise CollectionLocked(provider, closed=True)
    try:
        collection = Collection(connection, path)
    except ItemNotFoundException:
        raise CollectionLocked(provider, closed=True) from None
    if collection.is_locked():
        raise CollectionLocked(provider)
    return collection


def _items_of(collection: Collection, service: str, entry_id: str | None = None) -> list[Item]:
    query = {SERVICE_ATTRIBUTE: service}
    if entry_id is not None:
        query[ID_ATTRIBUTE] = entry_id
    return list(collection.search_items(query))


def _own_attributes(item: Item) -> dict[str, str]:
    """An item's attributes that a client may write back (not KeePassXC's own)."""
    return {k: v for k, v in item.get_attributes().items() if k not in _PROVIDER_ATTRIBUTES}


def run_prompt(
    connection: DBusConnection,
    prompt_path: str,
    timeout: float,
    cancel: threading.Event | None = None,
) -> Any:
    """Show the prompt at ``prompt_path`` and wait for its answer: at most ``timeout``
    seconds, in short steps that look at ``cancel``. Returns the prompt's result; raises
    :class:`PromptDismissed` or :class:`PromptTimedOut` (the prompt is dismissed then)."""
    from jeepney import MatchRule, MessageType  # type: ignore[import-untyped]
    from secretstorage.util import DBusAddressWrapper

    prompt = DBusAddressWrapper(prompt_path, PROMPT_IFACE, connection)
    rule = MatchRule(
        type=MessageType.signal, path=prompt_path, interface=PROMPT_IFACE, member="Completed"
    )
    deadline = time.monotonic() + timeout
    with connection.filter(rule) as signals:
        prompt.call("Prompt", "s", "")
        while True:
            if (cancel is not None and cancel.is_set()) or time.monotonic() >= deadline:
                with contextlib.suppress(Exception):
                    prompt.call("Dismiss", "")
                raise PromptTimedOut()
            try:
                message = connection.recv_until_filtered(signals, timeout=PROMPT_STEP_SECONDS)
            except TimeoutError:
                continue
            dismissed, result = message.body
            if dismissed:
                raise PromptDismissed()
            return result


def _unlock_paths(
    connection: DBusConnection,
    paths: Sequence[str],
    timeout: float,
    cancel: threading.Event | None,
    on_prompt: Callable[[], None] | None,
) -> None:
    """Ask the service to unlock ``paths`` in one call: one prompt at most."""
    if not paths:
        return
    _unlocked, prompt_path = _service(connection).call("Unlock", "ao", list(paths))
    if prompt_path != "/":
        if on_prompt is not None:
            on_prompt()
        run_prompt(connection, prompt_path, timeout, cancel)


def unlock(
    preferred: str | None,
    provider: str,
    timeout: float,
    cancel: threading.Event | None = None,
) -> bool:
    """Ask the Secret Service to unlock the collection of the keys (the provider shows
    its own prompt: KeePassXC its unlock dialog); True once unlocked, False when the user
    dismissed the prompt. Raises :class:`PromptTimedOut` or :class:`CollectionLocked`
    (closed: there is no collection to unlock)."""
    from secretstorage.collection import Collection

    with connected() as connection:
        path = preferred
        if not path:
            (path,) = _service(connection).call("ReadAlias", "s", "default")
        if path == "/":
            # KeePassXC with its database closed: the Secret Service has no call that opens
            # a database, so this asks for nothing and the answer below says "closed".
            path = "/org/freedesktop/secrets/aliases/default"
        try:
            _unlock_paths(connection, [path], timeout, cancel, None)
        except PromptDismissed:
            return False
        try:
            return not Collection(connection, path).is_locked()
        except Exception:
            raise CollectionLocked(provider, closed=True) from None


def lock(preferred: str | None = None, timeout: float = 10.0) -> None:
    """Lock the collection of the keys (as the user's "Lock" in KeePassXC does)."""
    with connected() as connection:
        path = preferred
        if not path:
            (path,) = _service(connection).call("ReadAlias", "s", "default")
        _locked, prompt_path = _service(connection).call("Lock", "ao", [path])
        if prompt_path != "/":
            run_prompt(connection, prompt_path, timeout)


class SecretServiceKeys:
    """This app's keys in one collection of the Secret Service; each call over one
    connection and one encrypted session, with one prompt at most.

    Args:
        service: the ``service`` attribute of every key (``SERVICE_NAME``).
        provider: who serves the bus, for messages ("KeePassXC").
        preferred: keyring's preferred collection (a D-Bus path), or None for the default.
        prompt_timeout: seconds to wait for a prompt (access confirmation).
        on_prompt: called (on the calling thread) before waiting for a prompt.
    """

    def __init__(
        self,
        service: str,
        provider: str,
        *,
        preferred: str | None = None,
        prompt_timeout: float = 30.0,
        on_prompt: Callable[[], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self._service_name = service
        self._provider = provider
        self._preferred = preferred
        self._prompt_timeout = prompt_timeout
        self._on_prompt = on_prompt
        self._cancel = cancel

    @contextlib.contextmanager
    def _collection(self, create: bool = False) -> Iterator[Collection]:
        """The unlocked collection, over a connection of its own. ``create``: when there
        is none (a fresh GNOME Keyring without its "login" keyring), ask the service to
        make the default one (its prompt asks for a password; waited for within the
        limit). Never for KeePassXC: there it would be a new database, not the team's."""
        import secretstorage.util

        with connected() as connection:
            try:
                collection = open_collection(connection, self._provider, self._preferred)
            except CollectionLocked as locked:
                if not (create and locked.closed and self._provider != "KeePassXC"):
                    raise
                collection = self._create_default(connection)
            collection.session = secretstorage.util.open_session(connection)  # one for all
            yield collection

    def _create_default(self, connection: DBusConnection) -> Collection:
        from secretstorage.collection import Collection

        properties = {"org.freedesktop.Secret.Collection.Label": ("s", "Default keyring")}
        path, prompt_path = _service(connection).call(
            "CreateCollection", "a{sv}s", properties, "default"
        )
        if path == "/":  # the service asks the user first (a password for the new keyring)
            if self._on_prompt is not None:
                self._on_prompt()
            _signature, path = run_prompt(
                connection, prompt_path, self._prompt_timeout, self._cancel
            )
        return Collection(connection, path)

    def _unlock_items(self, collection: Collection, items: Sequence[Item]) -> None:
        """Items the provider locks one by one (KeePassXC's access confirmation): all in
        one request, so that the user meets one prompt at most."""
        locked = [item.item_path for item in items if item.is_locked()]
        _unlock_paths(
            collection.connection, locked, self._prompt_timeout, self._cancel, self._on_prompt
        )

    def get_many(self, entry_ids: Sequence[str]) -> dict[str, str | None]:
        wanted = list(dict.fromkeys(entry_ids))
        with self._collection() as collection:
            mine: dict[str, Item] = {}
            for item in _items_of(collection, self._service_name):
                entry_id = item.get_attributes().get(ID_ATTRIBUTE)
                if entry_id in wanted and entry_id not in mine:
                    mine[entry_id] = item
            self._unlock_items(collection, list(mine.values()))
            found = {i: item.get_secret().decode("utf-8") for i, item in mine.items()}
        return {entry_id: found.get(entry_id) for entry_id in wanted}

    def get(self, entry_id: str) -> str | None:
        return self.get_many([entry_id])[entry_id]

    def set(self, entry_id: str, key: str, description: ItemDescription | None = None) -> None:
        """Store ``key``: the item of ``entry_id`` gets it (its label and attributes made
        current); a new item is made when there is none."""
        attributes = {SERVICE_ATTRIBUTE: self._service_name, ID_ATTRIBUTE: entry_id}
        if description is not None:
            attributes[NAME_ATTRIBUTE] = description.entry_name
            attributes[URL_ATTRIBUTE] = description.base_url
        with self._collection(create=True) as collection:
            existing = _items_of(collection, self._service_name, entry_id)
            if not existing:
                label = description.label if description else f"Sipstory key {entry_id}"
                collection.create_item(label, attributes, key.encode("utf-8"), replace=True)
                return
            self._unlock_items(collection, existing[:1])
            item, *duplicates = existing
            item.set_secret(key.encode("utf-8"))
            if description is not None:
                item.set_attributes({**_own_attributes(item), **attributes})
                item.set_label(description.label)
            for duplicate in duplicates:  # left by an older version or a race
                duplicate.delete()

    def describe(self, descriptions: Mapping[str, ItemDescription]) -> int:
        """Give the items of these entry ids their label and attributes (an entry renamed
        or moved; an item stored by an older version, or by keyring itself), over one
        connection; only items that differ are written. How many were."""
        written = 0
        with self._collection() as collection:
            for item in _items_of(collection, self._service_name):
                attributes = item.get_attributes()
                description = descriptions.get(attributes.get(ID_ATTRIBUTE, ""))
                if description is None:
                    continue
                wanted = {
                    NAME_ATTRIBUTE: description.entry_name,
                    URL_ATTRIBUTE: description.base_url,
                }
                if all(attributes.get(k) == v for k, v in wanted.items()) and (
                    item.get_label() == description.label
                ):
                    continue
                item.set_attributes({**_own_attributes(item), **wanted})
                item.set_label(description.label)
                written += 1
        return written

    def delete(self, entry_id: str) -> bool:
        with self._collection() as collection:
            existing = _items_of(collection, self._service_name, entry_id)
            for item in existing:
                item.delete()
            return bool(existing)

    def find_shared(self, wanted: Mapping[str, tuple[str, str]]) -> dict[str, str]:
        """The ids under which the vault holds keys for entries known by ``(name,
        base_url)`` (key of ``wanted``: the caller's own handle): a teammate's entries,
        after an import. Only items with a key count. A place held by the keys of more than
        one entry (two organizations' entries named alike on one instance) is none: which
        one is meant cannot be told, and the other organization's key must not be taken."""
        with self._collection() as collection:
            by_place: dict[tuple[str, str], set[str]] = {}
            for item in _items_of(collection, self._service_name):
                attributes = item.get_attributes()
                place = (attributes.get(NAME_ATTRIBUTE, ""), attributes.get(URL_ATTRIBUTE, ""))
                entry_id = attributes.get(ID_ATTRIBUTE)
                if entry_id:
                    by_place.setdefault(place, set()).add(entry_id)
        return {
            handle: next(iter(by_place[place]))
            for handle, place in wanted.items()
            if len(by_place.get(place, ())) == 1
        }
