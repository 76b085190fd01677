"""The vault keeps the config and the keyring consistent through failures halfway."""

from __future__ import annotations

from datetime import timedelta

import keyring.errors
import pytest

from sipstory_desktop.core.config import ConfigError, ConfigStore
from sipstory_desktop.core.entries import Entry, EntryError, EntryKind
from sipstory_desktop.core.keys import InvalidKeyText
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.secrets import SERVICE_NAME, SecretStore, SecretStoreError
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.urls import CLOUD_BASE_URL, UrlError
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.memory_keyring import MemoryKeyring

KEY = "ab" * 32
NEW_KEY = "cd" * 31 + "f00d"


def _stored(keyring_: MemoryKeyring, entry_id: str) -> str | None:
    return keyring_.get_password(SERVICE_NAME, entry_id)


def _holds(keyring_: MemoryKeyring, entry_id: str, key: str) -> bool:
    return _stored(keyring_, entry_id) == key


class _SetFails(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("Failed to unlock the collection!")


class _DeleteFails(MemoryKeyring):
    fail_delete = True

    def delete_password(self, service: str, username: str) -> None:
        if self.fail_delete:
            raise keyring.errors.PasswordDeleteError("Item is locked")
        super().delete_password(service, username)


def _vault_over(paths: AppPaths, backend: MemoryKeyring) -> Vault:
    return Vault(paths, SecretStore(backend=backend, timeout=5.0))


# --- add -------------------------------------------------------------------------------------


def test_add_stores_the_key_and_the_entry(vault: Vault, memory_keyring: MemoryKeyring) -> None:
    saved = vault.add("Acme", EntryKind.SELF_HOSTED, "sipstory.example.com", KEY, note=" n ")
    entry = saved.entry
    assert entry.base_url == "https://sipstory.example.com/api/public/v1"
    assert entry.key_hint == KEY[-4:]
    assert entry.note == "n"
    assert saved.notes == ()
    assert _holds(memory_keyring, entry.id, KEY), "the keyring does not hold the key"
    assert vault.entries() == [entry]
    assert entry.id in vault.load_state().secret_ids
    # the key never reaches the config or the state file
    for path in (vault.paths.config_file, vault.paths.state_file):
        leaked = KEY in path.read_text("utf-8")
        assert not leaked, f"the key is in {path.name}"


def test_add_cloud_and_custom(vault: Vault) -> None:
    cloud = vault.add("Cloud", EntryKind.CLOUD, "", KEY).entry
    custom = vault.add("Dev", EntryKind.CUSTOM, "http://localhost:3000/public/v1/", KEY).entry
    assert cloud.base_url == CLOUD_BASE_URL
    assert custom.base_url == "http://localhost:3000/public/v1"
    assert [e.name for e in vault.entries()] == ["Cloud", "Dev"]


def test_add_strips_bearer_with_a_note(vault: Vault, memory_keyring: MemoryKeyring) -> None:
    saved = vault.add("Acme", EntryKind.CLOUD, "", f"Bearer {KEY}")
    assert _holds(memory_keyring, saved.entry.id, KEY), "Bearer was not stripped"
    assert any("Bearer" in note for note in saved.notes)


def test_add_over_plain_http_to_another_host_warns(vault: Vault) -> None:
    saved = vault.add("LAN", EntryKind.SELF_HOSTED, "http://192.168.1.20:4007", KEY)
    assert any("unencrypted" in note for note in saved.notes)
    local = vault.add("Local", EntryKind.SELF_HOSTED, "http://localhost:4007", KEY)
    assert local.notes == ()


def test_add_rejects_a_duplicate_name_ignoring_case(
    vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    vault.add("Acme", EntryKind.CLOUD, "", KEY)
    with pytest.raises(EntryError, match="already exists"):
        vault.add("  ACME ", EntryKind.CLOUD, "", NEW_KEY)
    assert len(vault.entries()) == 1
    assert len(memory_keyring) == 1


@pytest.mark.parametrize(
    "case",
    [
        ("", EntryKind.CLOUD, "", KEY, EntryError),
        ("x", EntryKind.SELF_HOSTED, "ftp://example.com", KEY, UrlError),
        ("x", EntryKind.CUSTOM, "example.com", KEY, UrlError),
        ("x", EntryKind.CLOUD, "", "", InvalidKeyText),
        ("x", EntryKind.CLOUD, "", "two words", InvalidKeyText),
    ],
)
def test_add_rejects_bad_input_before_storing_anything(
    vault: Vault,
    memory_keyring: MemoryKeyring,
    case: tuple[str, EntryKind, str, str, type[Exception]],
) -> None:
    name, kind, where, key, error = case
    with pytest.raises(error):
        vault.add(name, kind, where, key)
    assert len(memory_keyring) == 0
    assert vault.entries() == []
    assert vault.load_state().secret_ids == set()


def test_add_rolls_back_the_key_when_the_config_cannot_be_saved(
    vault: Vault, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.add("Existing", EntryKind.CLOUD, "", KEY)

    def failing_update(self: ConfigStore, change: object) -> list[Entry]:
        raise ConfigError("Cannot save config.json: No space left on device. Nothing was changed.")

    monkeypatch.setattr(ConfigStore, "update", failing_update)
    with pytest.raises(ConfigError):
        vault.add("New", EntryKind.CLOUD, "", NEW_KEY)
    monkeypatch.undo()

    assert [e.name for e in vault.entries()] == ["Existing"]
    existing = vault.entries()[0]
    assert len(memory_keyring) == 1  # only the existing entry's key is left
    assert _holds(memory_keyring, existing.id, KEY), "the existing key was touched"
    assert vault.load_state().secret_ids == {existing.id}
    assert vault.orphans() == []


def test_add_rolls_back_when_another_process_took_the_name_meanwhile(
    vault: Vault, memory_keyring: MemoryKeyring, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is checked again under the lock: the other process's entry wins."""
    other = ConfigStore(paths)
    real_set = SecretStore.set

    def set_then_race(self: SecretStore, entry_id: str, key: str, *label: object) -> None:
        real_set(self, entry_id, key, *label)  # type: ignore[arg-type]
        other.update(
            lambda es: [*es, Entry(name="acme", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)]
        )

    monkeypatch.setattr(SecretStore, "set", set_then_race)
    with pytest.raises(EntryError, match="already exists"):
        vault.add("Acme", EntryKind.CLOUD, "", KEY)
    monkeypatch.undo()
    assert [e.name for e in vault.entries()] == ["acme"]
    assert len(memory_keyring) == 0
    assert vault.load_state().secret_ids == set()


def test_add_when_the_keyring_fails_saves_no_entry(paths: AppPaths) -> None:
    vault = _vault_over(paths, _SetFails())
    with pytest.raises(SecretStoreError) as caught:
        vault.add("Acme", EntryKind.CLOUD, "", KEY)
    leaked = KEY in str(caught.value)
    assert not leaked, "the key is in the error"
    assert vault.entries() == []
    assert not paths.config_file.exists()
    assert vault.load_state().secret_ids == set()


def test_a_failed_rollback_leaves_an_orphan_to_clean_up(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _DeleteFails()
    vault = _vault_over(paths, backend)

    def failing_update(self: ConfigStore, change: object) -> list[Entry]:
        raise ConfigError("disk full")

    monkeypatch.setattr(ConfigStore, "update", failing_update)
    with pytest.raises(ConfigError):
        vault.add("Acme", EntryKind.CLOUD, "", KEY)
    monkeypatch.undo()

    orphans = vault.orphans()
    assert len(orphans) == 1
    assert vault.entries() == []
    backend.fail_delete = False
    vault.remove_orphan(orphans[0])
    assert vault.orphans() == []
    assert len(backend) == 0


# --- edit ------------------------------------------------------------------------------------


def test_edit_renames(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    saved = vault.edit(entry.id, name="  Acme Corp ")
    assert saved.entry.name == "Acme Corp"
    assert saved.entry.id == entry.id
    assert saved.entry.created_at == entry.created_at
    assert [e.name for e in vault.entries()] == ["Acme Corp"]


def test_edit_may_change_the_case_of_its_own_name(vault: Vault) -> None:
    entry = vault.add("acme", EntryKind.CLOUD, "", KEY).entry
    assert vault.edit(entry.id, name="ACME").entry.name == "ACME"


def test_edit_rename_clash_changes_nothing(vault: Vault) -> None:
    vault.add("Acme", EntryKind.CLOUD, "", KEY)
    other = vault.add("Globex", EntryKind.CLOUD, "", NEW_KEY).entry
    before = vault.paths.config_file.read_bytes()
    with pytest.raises(EntryError, match="already exists"):
        vault.edit(other.id, name="acme")
    assert vault.paths.config_file.read_bytes() == before


def test_edit_changes_kind_and_place(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    saved = vault.edit(entry.id, kind=EntryKind.SELF_HOSTED, address="http://10.0.0.5:4007")
    assert saved.entry.kind is EntryKind.SELF_HOSTED
    assert saved.entry.base_url == "http://10.0.0.5:4007/api/public/v1"
    assert any("unencrypted" in note for note in saved.notes)
    saved = vault.edit(entry.id, address="https://sipstory.example.com")
    assert saved.entry.kind is EntryKind.SELF_HOSTED
    assert saved.entry.base_url == "https://sipstory.example.com/api/public/v1"
    saved = vault.edit(entry.id, kind=EntryKind.CLOUD)
    assert saved.entry.base_url == CLOUD_BASE_URL
    assert vault.entries()[0].base_url == CLOUD_BASE_URL


def test_edit_with_a_bad_place_changes_nothing(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    with pytest.raises(UrlError):
        vault.edit(entry.id, kind=EntryKind.CUSTOM, address="ftp://example.com")
    assert vault.entries() == [entry]


def test_edit_note_and_missing_entry(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    assert vault.edit(entry.id, note="  billing contact: Jo ").entry.note == "billing contact: Jo"
    with pytest.raises(EntryError, match="no longer exists"):
        vault.edit("0" * 32, name="x")


# --- replace_key -----------------------------------------------------------------------------


def test_replace_key_updates_the_key_and_hint_and_keeps_history(
    vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    old = CheckResult(Status.INVALID_KEY, "rotated", http_status=401)
    vault.record([(entry.id, old)])

    saved = vault.replace_key(entry.id, f"bearer {NEW_KEY}")

    assert saved.entry.key_hint == "f00d"
    assert saved.entry.id == entry.id
    assert vault.entries()[0].key_hint == "f00d"
    assert _holds(memory_keyring, entry.id, NEW_KEY), "the new key is not stored"
    assert len(memory_keyring) == 1
    assert any("Bearer" in note for note in saved.notes)
    assert vault.load_state().latest(entry.id) == old


def test_replace_key_rejects_bad_text_and_missing_entries(
    vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    with pytest.raises(InvalidKeyText):
        vault.replace_key(entry.id, "   ")
    assert _holds(memory_keyring, entry.id, KEY), "the old key was lost"
    with pytest.raises(EntryError):
        vault.replace_key("0" * 32, NEW_KEY)
    assert _stored(memory_keyring, "0" * 32) is None


# --- remove and orphans ----------------------------------------------------------------------


def test_remove_drops_entry_key_results_and_requests(
    vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    keep = vault.add("Keep", EntryKind.CLOUD, "", KEY).entry
    gone = vault.add("Gone", EntryKind.CLOUD, "", NEW_KEY).entry
    result = CheckResult(Status.CONNECTED, "ok", http_status=200)
    vault.record([(gone.id, result), (keep.id, result)])

    vault.remove(gone.id)

    assert vault.entries() == [keep]
    assert _stored(memory_keyring, gone.id) is None
    assert _holds(memory_keyring, keep.id, KEY), "the other key was touched"
    state = vault.load_state()
    assert state.latest(gone.id) is None
    assert gone.id not in state.requests
    assert state.secret_ids == {keep.id}
    assert state.latest(keep.id) == result
    assert vault.orphans() == []


def test_remove_when_the_keyring_fails_leaves_an_orphan(paths: AppPaths) -> None:
    backend = _DeleteFails()
    vault = _vault_over(paths, backend)
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry

    with pytest.raises(SecretStoreError):
        vault.remove(entry.id)

    assert vault.entries() == []  # the config went first
    assert vault.orphans() == [entry.id]
    with pytest.raises(SecretStoreError):
        vault.remove_orphan(entry.id)
    assert vault.orphans() == [entry.id]
    backend.fail_delete = False
    vault.remove_orphan(entry.id)
    assert vault.orphans() == []
    assert len(backend) == 0
    assert vault.load_state().secret_ids == set()


def test_orphans_skip_ids_whose_key_is_already_gone(
    vault: Vault, memory_keyring: MemoryKeyring
) -> None:
    vault.state.update(lambda s: s.secret_ids.update({"a" * 32, "b" * 32}))
    memory_keyring.set_password(SERVICE_NAME, "b" * 32, KEY)
    assert vault.orphans() == ["b" * 32]


def test_an_entry_is_never_an_orphan(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    assert vault.orphans() == []
    with pytest.raises(EntryError, match="remove the entry"):
        vault.remove_orphan(entry.id)
    assert vault.entries() == [entry]


def test_remove_orphan_of_an_absent_key(vault: Vault) -> None:
    vault.state.update(lambda s: s.secret_ids.add("c" * 32))
    vault.remove_orphan("c" * 32)
    assert vault.load_state().secret_ids == set()


# --- record ----------------------------------------------------------------------------------


def test_record_stores_results_and_counts_requests(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    now = utc_now()
    results = [
        (entry.id, CheckResult(Status.CONNECTED, "ok", http_status=200, checked_at=now)),
        (entry.id, CheckResult(Status.INVALID_KEY, "no", http_status=401, checked_at=now)),
        (entry.id, CheckResult(Status.RATE_LIMITED, "slow", http_status=429, checked_at=now)),
        (entry.id, CheckResult(Status.UNREACHABLE, "down", checked_at=now)),
        (entry.id, CheckResult(Status.NO_SECRET, "none", checked_at=now, request_sent=False)),
    ]
    state = vault.record(results)
    assert state.requests_last_hour(entry.id) == 2  # the 200 and the 429
    loaded = vault.load_state()
    assert loaded.requests_last_hour(entry.id) == 2
    latest = loaded.latest(entry.id)
    assert latest is not None
    # no request, no history point (issue 15): kept as the entry's last outcome only
    assert latest.status is Status.UNREACHABLE
    assert [r.status for r in loaded.results[entry.id]] == [s.status for _, s in results[:-1]]
    assert loaded.shown(entry.id) == results[-1][1]


def test_record_prunes_requests_older_than_an_hour(vault: Vault) -> None:
    old = utc_now() - timedelta(hours=2)
    vault.record([("x" * 32, CheckResult(Status.CONNECTED, "ok", http_status=200, checked_at=old))])
    state = vault.load_state()
    assert state.requests_last_hour("x" * 32) == 0
    assert state.latest("x" * 32) is not None


def test_vault_notices_are_the_configs(vault: Vault) -> None:
    vault.paths.data_dir.mkdir(parents=True, exist_ok=True)
    vault.paths.config_file.write_bytes(b"{damaged")
    assert vault.entries() == []
    assert len(vault.notices) == 1
    assert "damaged" in vault.notices[0]


def test_backend_info_names_the_keyring(vault: Vault) -> None:
    assert vault.backend_info().name.startswith("Demo keyring")


def test_an_unencrypted_keyring_is_named_in_the_notes(paths: AppPaths) -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    vault = _vault_over(paths, PlaintextKeyring())
    saved = vault.add("Acme", EntryKind.CLOUD, "", KEY)
    assert any("does not encrypt" in note for note in saved.notes)
    assert any("plain-text file" in note for note in saved.notes)


# --- add, with a shared vault (KeePassXC) holding a teammate's key ----------------------------

TEAMMATE_ID = "0f0f0f0f-teammate"


class _SharedVault(SecretStore):
    """A keyring that finds a teammate's item for an entry called 'Production' (as the
    Secret Service finds one by its name and base URL attributes)."""

    def find_shared(self, wanted):  # type: ignore[no-untyped-def]
        return {h: TEAMMATE_ID for h, (name, _url) in wanted.items() if name == "Production"}


def _shared_vault(paths: AppPaths, memory_keyring: MemoryKeyring, teammates_key: str) -> Vault:
    memory_keyring.set_password(SERVICE_NAME, TEAMMATE_ID, teammates_key)
    return Vault(paths, _SharedVault(backend=memory_keyring, timeout=5.0))


def test_add_takes_a_shared_item_holding_the_same_key(
    paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    vault = _shared_vault(paths, memory_keyring, KEY)
    saved = vault.add("Production", EntryKind.CLOUD, "", KEY)
    assert saved.entry.id == TEAMMATE_ID  # one item, not two
    assert any("already held a key" in note for note in saved.notes)
    assert len(memory_keyring) == 1


def test_add_never_overwrites_a_teammates_different_key(
    paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    """Another organization's entry called alike on the same instance: the teammate's key
    stays; the new one is stored beside it."""
    vault = _shared_vault(paths, memory_keyring, NEW_KEY)
    saved = vault.add("Production", EntryKind.CLOUD, "", KEY)
    assert saved.entry.id != TEAMMATE_ID
    kept = _holds(memory_keyring, TEAMMATE_ID, NEW_KEY)  # bound: a failure shows no key
    assert kept, "the teammate's key was overwritten"
    stored = _holds(memory_keyring, saved.entry.id, KEY)
    assert stored, "the new key was not stored"
    assert not any("already held a key" in note for note in saved.notes)


def test_add_that_fails_leaves_the_shared_item_it_took(
    paths: AppPaths, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = _shared_vault(paths, memory_keyring, KEY)

    def failing_update(self: ConfigStore, change: object) -> list[Entry]:
        raise ConfigError("Cannot save config.json: No space left on device. Nothing was changed.")

    monkeypatch.setattr(ConfigStore, "update", failing_update)
    with pytest.raises(ConfigError):
        vault.add("Production", EntryKind.CLOUD, "", KEY)
    monkeypatch.undo()
    assert vault.entries() == []
    kept = _holds(memory_keyring, TEAMMATE_ID, KEY)  # bound: a failure shows no key
    assert kept, "the teammate's key was deleted"
