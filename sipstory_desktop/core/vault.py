"""The saved entries and their keys, kept consistent with each other.

Adding writes the keyring first and the config second, undoing the keyring write when
the config cannot be saved; removing changes the config first and the keyring second.
Every id ever written to the keyring is noted in the state file first, so that a key
left behind by a crash or a failure halfway can be listed and cleaned up (:meth:`orphans`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import messages as M
from .channels import ChannelsResult
from .config import ConfigStore
from .entries import Entry, EntryError, EntryKind, check_name, find_by_name, resolve_base_url
from .fileio import FileIdentity
from .keys import clean_key, key_hint
from .paths import AppPaths
from .secret_service import ItemDescription, describe_item
from .secrets import BackendInfo, SecretStore, SecretStoreError
from .state import State, StateError, StateStore
from .status import CheckResult
from .urls import origin_of, plain_http_warning

if TYPE_CHECKING:  # export and import load their modules when used (not at every start)
    from .import_plan import ImportOutcome, ImportPlan, Resolution

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Saved:
    """An entry as saved, and what the user should read about it."""

    entry: Entry
    notes: tuple[str, ...] = ()


def item_description(entry: Entry) -> ItemDescription:
    """How the key of ``entry`` is labelled in the keyring: "Sipstory: Acme (host)", with
    the entry's name and base URL as attributes (what a teammate's import finds it by)."""
    origin = origin_of(entry.base_url)
    default_port = 443 if origin.scheme == "https" else 80
    instance = origin.host if origin.port == default_port else f"{origin.host}:{origin.port}"
    return describe_item(entry.name, entry.base_url, instance)


class Vault:
    """Entries in the config, keys in the keyring, results and rate budgets in the state file."""

    def __init__(self, paths: AppPaths, secrets: SecretStore) -> None:
        self.paths = paths
        self.config = ConfigStore(paths)
        self.state = StateStore(paths)
        self.secrets = secrets

    @property
    def notices(self) -> list[str]:
        """Things the user must be told, such as a damaged config that was recovered."""
        return self.config.notices

    def entries(self) -> list[Entry]:
        return self.config.load()

    def find(self, name: str) -> Entry | None:
        return find_by_name(self.entries(), name)

    def _notes_for(self, base_url: str, key_notes: Iterable[str] = ()) -> tuple[str, ...]:
        notes = list(key_notes)
        warning = plain_http_warning(base_url)
        if warning:
            notes.append(warning)
        info = self.secrets.backend_info()
        if not info.secure:
            notes.append(M.INSECURE_KEYRING.format(name=info.name))
        return tuple(notes)

    def add(
        self,
        name: str,
        kind: EntryKind,
        address: str,
        key_text: str,
        note: str = "",
        *,
        first_check: CheckResult | None = None,
    ) -> Saved:
        """Store a new key and its entry. Raises ``EntryError``, ``UrlError``,
        ``InvalidKeyText``, ``ConfigError`` or ``SecretStoreError``; nothing is left
        half-saved when it does.

        ``first_check`` is a check of this key and base URL made before adding it (the
        Add dialog's test): it is kept as the entry's first result, with its request."""
        name = check_name(name)
        base_url = resolve_base_url(kind, address)
        cleaned = clean_key(key_text)
        if self.find(name):
            raise EntryError(M.NAME_TAKEN_CHOOSE.format(name=name))
        entry = Entry(
            name=name,
            kind=kind,
            base_url=base_url,
            note=note.strip(),
            key_hint=key_hint(cleaned.key),
        )
        notes = self._notes_for(base_url, cleaned.notes)
        # A shared vault (KeePassXC) may hold this entry's key already, stored by a
        # teammate: the entry takes that item's id: no duplicate. Only when the item holds
        # this very key: a different one may be another organization's entry called alike,
        # whose key is not ours to overwrite (nor, when saving fails below, to delete).
        adopted = False
        shared = self.secrets.find_shared({entry.id: (name, base_url)}).get(entry.id)
        if shared and not any(e.id == shared for e in self.entries()):
            try:
                adopted = self.secrets.get(shared) == cleaned.key
            except SecretStoreError as exc:
                log.warning("shared key not read: %s", exc.message)
        if shared and adopted:
            entry = replace(entry, id=shared)
            notes = (
                *notes,
                M.SHARED_VAULT_NOTE.format(name=name),
            )

        self.state.update(lambda s: s.secret_ids.add(entry.id))
        try:
            self.secrets.set(entry.id, cleaned.key, item_description(entry))
        except SecretStoreError:
            self.state.update(lambda s: s.secret_ids.discard(entry.id))
            raise

        def append(entries: list[Entry]) -> list[Entry]:
            if find_by_name(entries, name):
                raise EntryError(M.NAME_TAKEN_CHOOSE.format(name=name))
            return [*entries, entry]

        try:
            self.config.update(append)
        except BaseException:
            if adopted:  # the teammate's item, as it was: their entry still uses it
                with contextlib.suppress(Exception):
                    self.state.update(lambda s: s.secret_ids.discard(entry.id))
            else:
                self._forget_secret(entry.id)
            raise
        if first_check is not None:
            try:
                self.record([(entry.id, first_check)])
            except StateError as exc:  # the entry is saved; only its first result is lost
                log.warning("first result not kept: %s", exc)
        return Saved(entry, notes)

    def edit(
        self,
        entry_id: str,
        *,
        name: str | None = None,
        kind: EntryKind | None = None,
        address: str | None = None,
        note: str | None = None,
    ) -> Saved:
        """Change an entry's name, place or note (not its key: see :meth:`replace_key`)."""
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = check_name(name)
        if note is not None:
            changes["note"] = note.strip()
        edited: list[Entry] = []
        moved: list[bool] = []
        relocations: list[bool] = []

        def apply(entries: list[Entry]) -> list[Entry]:
            current = next((e for e in entries if e.id == entry_id), None)
            if current is None:
                raise EntryError(M.ENTRY_GONE)
            edited.clear()
            moved.clear()
            relocations.clear()
            if kind is not None or address is not None:
                changes["kind"] = kind or current.kind
                changes["base_url"] = resolve_base_url(kind or current.kind, address or "")
            new_name = changes.get("name")
            if isinstance(new_name, str):
                clash = find_by_name(entries, new_name)
                if clash and clash.id != entry_id:
                    raise EntryError(M.NAME_TAKEN.format(name=new_name))
            edited.append(current.edited(**changes))
            moved.append(origin_of(current.base_url) != origin_of(edited[0].base_url))
            relocations.append(current.base_url != edited[0].base_url)
            return [edited[0] if e.id == entry_id else e for e in entries]

        self.config.update(apply)
        if "name" in changes or "base_url" in changes:
            try:  # what people find the key by in the keyring follows the entry
                self.secrets.describe({entry_id: item_description(edited[0])})
            except SecretStoreError as exc:
                log.warning("key not relabelled: %s", exc.message)
        relocated = bool(relocations and relocations[0])
        if relocated:

            def follow(state: State) -> None:
                # The results were of the old base URL ("Not the API", "use <the new
                # one>"): they no longer say anything about the entry.
                state.forget_results([entry_id])
                if moved[0]:  # another instance, another organization's budget
                    state.leave_budgets([entry_id])

            try:
                self.state.update(follow)
            except StateError as exc:
                log.warning("results and rate budget not updated: %s", exc)
        return Saved(edited[0], self._notes_for(edited[0].base_url))

    def replace_key(
        self, entry_id: str, key_text: str, *, tested: CheckResult | None = None
    ) -> Saved:
        """Store a new key for an entry (after a rotation); its history is kept.

        ``tested``: a check of the new key made before (the dialog's test): the request it
        may have cost counts against the entry's budget (its result is not history: the
        replacement may be undone)."""
        cleaned = clean_key(key_text)
        entry = next((e for e in self.entries() if e.id == entry_id), None)
        if entry is None:
            raise EntryError(M.ENTRY_GONE)

        def note(state: State) -> None:
            state.secret_ids.add(entry_id)  # findable if we stop here
            state.unsent.pop(entry_id, None)  # "no key stored" no longer holds
            if tested is not None and tested.counted:
                state.record_request(state.budget_of(entry_id), tested.checked_at)

        self.state.update(note)
        self.secrets.set(entry_id, cleaned.key, item_description(entry))
        saved = self.edit_hint(entry_id, key_hint(cleaned.key))
        return Saved(saved, self._notes_for(saved.base_url, cleaned.notes))

    def edit_hint(self, entry_id: str, hint: str) -> Entry:
        edited: list[Entry] = []

        def apply(entries: list[Entry]) -> list[Entry]:
            for index, current in enumerate(entries):
                if current.id == entry_id:
                    edited.append(current.edited(key_hint=hint))
                    entries[index] = edited[0]
                    return entries
            raise EntryError(M.ENTRY_GONE)

        self.config.update(apply)
        return edited[0]

    def remove(self, entry_id: str) -> None:
        """Remove the entry, then its key. If the keyring fails, the key is left as an
        orphan (see :meth:`orphans`) and the error is raised."""

        def drop(entries: list[Entry]) -> list[Entry]:
            return [e for e in entries if e.id != entry_id]

        self.config.update(drop)
        self.state.update(lambda s: s.forget([entry_id]))
        self.secrets.delete(entry_id)
        self.state.update(lambda s: s.secret_ids.discard(entry_id))

    def _forget_secret(self, entry_id: str) -> None:
        """Undo a keyring write; if even that fails, the id stays listed as an orphan."""
        try:
            self.secrets.delete(entry_id)
        except SecretStoreError:
            log.warning("could not undo a keyring write; it stays listed as an orphan")
            return
        with contextlib.suppress(Exception):
            self.state.update(lambda s: s.secret_ids.discard(entry_id))

    def orphans(self) -> list[str]:
        """Ids of keys this app stored in the keyring that belong to no entry."""
        known = {e.id for e in self.entries()}
        candidates = sorted(self.state.load().secret_ids - known)
        return [i for i in candidates if self.secrets.get(i) is not None]

    def remove_orphan(self, entry_id: str) -> None:
        if any(e.id == entry_id for e in self.entries()):
            raise EntryError(M.KEY_OF_AN_ENTRY)
        self.secrets.delete(entry_id)
        self.state.update(lambda s: s.secret_ids.discard(entry_id))

    def backend_info(self) -> BackendInfo:
        return self.secrets.backend_info()

    def load_state(self) -> State:
        return self.state.load()

    def record(
        self,
        results: Iterable[tuple[str, CheckResult]],
        *,
        budgets: Mapping[str, str] | None = None,
    ) -> State:
        """Keep results as the entries' latest, and count the requests they sent against
        each entry's rate budget.

        ``budgets`` is what a check run found about keys (entry id -> budget id, as
        ``check_entries(..., budgets_out=...)`` or ``BudgetGrouper.budgets()`` give it):
        entries found to share a key are joined in one budget first, their requests merged.
        """
        results = list(results)
        return self.state.update(lambda state: self._apply_results(state, results, budgets))

    @staticmethod
    def _apply_results(
        state: State,
        results: list[tuple[str, CheckResult]],
        budgets: Mapping[str, str] | None,
    ) -> State:
        if budgets:
            state.join_budgets(dict(budgets))
        for entry_id, result in results:
            state.record_result(entry_id, result)
            if result.counted:
                state.record_request(state.budget_of(entry_id), result.checked_at)
        return state

    def record_own(
        self,
        results: Iterable[tuple[str, CheckResult]],
        *,
        budgets: Mapping[str, str],
        known: FileIdentity | None,
    ) -> FileIdentity | None:
        """:meth:`record`, for a window saving its results: the identity of the state file
        written, when nobody else had changed the file since the version ``known`` to the
        window or this vault's last save (see ``StateStore.update_noting``)."""
        results = list(results)
        _, identity = self.state.update_noting(
            lambda state: self._apply_results(state, results, budgets), known=known
        )
        return identity

    def save_channels(self, entry_id: str, fetched: ChannelsResult) -> None:
        """Keep a channel list (a failed fetch keeps the previous one) and count the request;
        the fetch's outcome is the entry's latest result, as a check's would be."""

        def apply(state: State) -> None:
            state.record_result(entry_id, fetched.check)
            if fetched.check.counted:
                state.record_request(state.budget_of(entry_id), fetched.check.checked_at)
            if fetched.cache is not None:
                state.channels[entry_id] = fetched.cache

        self.state.update(apply)

    def export(self) -> bytes:
        """The entries as JSON, without their keys. In a shared keyring (KeePassXC), their
        keys are labelled first, so that a teammate's import finds them (keys stored by
        an older version had no name or base URL to be found by)."""
        from .export_format import export_entries

        entries = self.entries()
        self.label_keys(entries)
        return export_entries(entries)

    def label_keys(self, entries: Iterable[Entry] | None = None) -> int:
        """Give the keys of ``entries`` (all) their label and attributes where they lack
        them; best effort: a keyring that fails is logged, not raised. How many changed."""
        described = {e.id: item_description(e) for e in (entries or self.entries())}
        try:
            return self.secrets.describe(described)
        except SecretStoreError as exc:
            log.warning("keys not labelled: %s", exc.message)
            return 0

    def preview_import(self, data: bytes) -> ImportPlan:
        """What importing ``data`` would do; raises ``TransferError`` on a bad file."""
        from .export_format import read_export
        from .import_plan import plan_import

        return plan_import(self.entries(), read_export(data))

    def import_entries(
        self, plan: ImportPlan, choices: Mapping[str, Resolution | str]
    ) -> ImportOutcome:
        """Apply a previewed import. A new entry whose key the keyring already holds (a
        shared vault: a teammate stored it) gets that key; the others have none yet
        (Replace key adds it): ``outcome.found_keys`` and ``outcome.needs_key`` say which."""
        from .import_plan import apply_import

        outcome = self._find_shared_keys(apply_import(self.config, plan, choices))
        moved = [
            after.id
            for before, after in outcome.updated
            if origin_of(before.base_url) != origin_of(after.base_url)
        ]
        relocated = [a.id for b, a in outcome.updated if b.base_url != a.base_url]
        if moved or relocated:

            def follow(state: State) -> None:
                state.forget_results(relocated)  # results of the old base URLs
                state.leave_budgets(moved)

            self.state.update(follow)
        return outcome

    def _find_shared_keys(self, outcome: ImportOutcome) -> ImportOutcome:
        """Give each entry the import created the key a shared vault holds for it (found
        by name and base URL): the entry takes the item's id. A keyring that cannot be
        searched leaves them without a key, as before, and says so in the log."""
        if not outcome.created:
            return outcome
        try:
            found = self.secrets.find_shared({e.id: (e.name, e.base_url) for e in outcome.created})
            mine = {e.id for e in self.entries()}
            found = {new: old for new, old in found.items() if old not in mine}
            keys = self.secrets.get_many(list(found.values())) if found else {}
        except SecretStoreError as exc:
            log.warning("shared keys not searched: %s", exc.message)
            return outcome
        hints = {new: key_hint(keys[old] or "") for new, old in found.items() if keys.get(old)}
        if not hints:
            return outcome

        def adopt(entries: list[Entry]) -> list[Entry]:
            return [
                replace(e, id=found[e.id], key_hint=hints[e.id]) if e.id in hints else e
                for e in entries
            ]

        self.config.update(adopt)
        self.state.update(lambda s: s.secret_ids.update(found[i] for i in hints))
        created = tuple(
            replace(e, id=found[e.id], key_hint=hints[e.id]) if e.id in hints else e
            for e in outcome.created
        )
        names = tuple(e.name for e in outcome.created if e.id in hints)
        return replace(outcome, created=created, found_keys=names)
