"""Export and import of entries: no keys out, strict reading, a preview, no silent overwrite."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from sipstory_desktop.core import import_plan
from sipstory_desktop.core.checker import check_entry
from sipstory_desktop.core.client import ApiClient
from sipstory_desktop.core.config import ConfigStore
from sipstory_desktop.core.entries import MAX_NAME_LENGTH, Entry, EntryKind
from sipstory_desktop.core.export_format import (
    FORMAT,
    MAX_EXPORT_BYTES,
    ImportedEntry,
    TransferError,
    export_entries,
    read_export,
)
from sipstory_desktop.core.fileio import backup_path
from sipstory_desktop.core.import_plan import (
    Action,
    FieldChange,
    Resolution,
    apply_import,
    plan_import,
)
from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.status import Status
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.core.vault import Vault
from tests.support.properties import MANY

KEYS = {
    "Acme": "sk_acme_" + "Qx7Rz9Wv" * 4 + "Jh3K",
    "Globex": "sk_globex_" + "Mn2Pb8Ty" * 4 + "Vd6F",
    "Initech": "Bearer sk_initech_" + "Lc4Ne1Su" * 4 + "Wg5Y",
}
ACME_URL = "https://sipstory.acme.example/api/public/v1"
GLOBEX_URL = "https://globex.example/custom/public/v1"


@pytest.fixture
def store(vault: Vault) -> ConfigStore:
    return vault.config


@pytest.fixture
def filled(vault: Vault) -> Vault:
    """Three entries added the way a user adds them, keys in the (memory) keyring."""
    vault.add("Acme", EntryKind.SELF_HOSTED, "sipstory.acme.example", KEYS["Acme"], note="ops")
    vault.add("Globex", EntryKind.CUSTOM, GLOBEX_URL, KEYS["Globex"])
    vault.add("Initech", EntryKind.CLOUD, "", KEYS["Initech"], note="line 1\nline 2")
    return vault


def _document(*entries: Any, **top: Any) -> bytes:
    document: dict[str, Any] = {"format": FORMAT, "version": 1, "entries": list(entries)}
    document.update(top)
    return json.dumps(document).encode("utf-8")


def _item(name: Any = "Acme", kind: Any = "custom", base_url: Any = GLOBEX_URL, **more: Any) -> Any:
    return {"name": name, "kind": kind, "base_url": base_url, **more}


def _incoming(name: str, base_url: str = GLOBEX_URL, note: str = "") -> ImportedEntry:
    return ImportedEntry(name, EntryKind.CUSTOM, base_url, note)


def _entry(name: str, base_url: str = GLOBEX_URL, note: str = "") -> Entry:
    return Entry(name=name, kind=EntryKind.CUSTOM, base_url=base_url, note=note)


def _save(store: ConfigStore, *entries: Entry) -> None:
    store.update(lambda current: [*current, *entries])


def _files(store: ConfigStore) -> tuple[bytes | None, bytes | None]:
    """The config file and its backup, byte for byte (None when absent)."""
    backup = backup_path(store.path)
    return (
        store.path.read_bytes() if store.path.exists() else None,
        backup.read_bytes() if backup.exists() else None,
    )


# --- export ----------------------------------------------------------------------------------


def test_export_holds_no_key_no_hint_and_no_id(filled: Vault) -> None:
    entries = filled.entries()
    data = export_entries(entries)
    text = data.decode("utf-8")
    for name, key in KEYS.items():
        raw = key.removeprefix("Bearer ")
        assert raw not in text, name
        assert raw[-4:] not in text, name  # the key hint
        assert raw[8:24] not in text, name  # nor any recognisable piece of it
    for entry in entries:
        assert entry.key_hint  # there were hints to leak
        assert entry.id not in text
    document = json.loads(text)
    assert all(set(item) == {"name", "kind", "base_url", "note"} for item in document["entries"])
    assert "key" not in text.lower().replace("sipstory-desktop/entries", "")


def test_export_format(filled: Vault) -> None:
    now = datetime(2026, 11, 28, 18, 47, 51, tzinfo=timezone.utc)
    data = export_entries(filled.entries(), now=now)
    assert data.endswith(b"}\n")
    assert b'\n  "entries": [\n' in data  # pretty-printed
    document = json.loads(data)
    assert document["format"] == "sipstory-desktop/entries"
    assert document["version"] == 1
    assert document["exported_at"] == "2026-11-28T18:47:51Z"
    assert document["entries"] == [
        {"name": "Acme", "kind": "self_hosted", "base_url": ACME_URL, "note": "ops"},
        {"name": "Globex", "kind": "custom", "base_url": GLOBEX_URL, "note": ""},
        {"name": "Initech", "kind": "cloud", "base_url": CLOUD_BASE_URL, "note": "line 1\nline 2"},
    ]


def test_export_keeps_non_ascii_text_readable() -> None:
    data = export_entries([_entry("Bücher GmbH", note="Zürich ☕")])
    assert "Bücher GmbH".encode() in data
    assert read_export(data)[0].note == "Zürich ☕"


def test_export_of_nothing_reads_back_as_nothing() -> None:
    assert read_export(export_entries([])) == []


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_into_an_empty_config_is_all_new(filled: Vault, tmp_path: Path) -> None:
    entries = filled.entries()
    incoming = read_export(export_entries(entries))
    assert incoming == [ImportedEntry(e.name, e.kind, e.base_url, e.note) for e in entries]

    other = ConfigStore(AppPaths(data_dir=tmp_path / "other", log_dir=tmp_path / "logs"))
    plan = plan_import(other.load(), incoming)
    assert [item.action for item in plan.items] == [Action.NEW] * 3
    assert (plan.summary().new, plan.summary().same, plan.summary().conflicts) == (3, 0, 0)
    assert plan.preview_lines()[0] == f"new: Acme ({ACME_URL})"

    outcome = apply_import(other, plan, {})
    assert outcome.added == ("Acme", "Globex", "Initech")
    assert outcome.needs_key == ("Acme", "Globex", "Initech")
    imported = other.load()
    assert [(e.name, e.kind, e.base_url, e.note) for e in imported] == [
        (e.name, e.kind, e.base_url, e.note) for e in entries
    ]


def test_round_trip_into_the_same_config_is_all_same(filled: Vault) -> None:
    before = _files(filled.config)
    plan = plan_import(filled.entries(), read_export(export_entries(filled.entries())))
    assert [item.action for item in plan.items] == [Action.SAME] * 3
    assert plan.conflicts == ()
    outcome = apply_import(filled.config, plan, {})
    assert outcome.unchanged == ("Acme", "Globex", "Initech")
    assert outcome.counts() == {
        "added": 0,
        "replaced": 0,
        "renamed": 0,
        "skipped": 0,
        "unchanged": 3,
        "needs_key": 0,
    }
    assert _files(filled.config) == before  # nothing to save: the file is not rewritten


# --- planning --------------------------------------------------------------------------------


def test_same_ignores_the_case_of_the_name() -> None:
    plan = plan_import([_entry("Acme", note="n")], [_incoming("ACME ", note="n")])
    (item,) = plan.items
    assert item.action is Action.SAME
    assert item.existing is not None and item.existing.name == "Acme"
    assert plan.preview_lines() == [f"same: ACME ({GLOBEX_URL}), nothing to do"]


def test_conflict_lists_each_differing_field() -> None:
    old = Entry(name="Globex", kind=EntryKind.CUSTOM, base_url="https://a.example", note="old")
    new = ImportedEntry("Globex", EntryKind.CLOUD, CLOUD_BASE_URL, "")
    (item,) = plan_import([old], [new]).items
    assert item.action is Action.CONFLICT
    assert item.existing == old
    assert item.changes == (
        FieldChange("kind", "custom", "cloud"),
        FieldChange("base_url", "https://a.example", CLOUD_BASE_URL),
        FieldChange("note", "old", ""),
    )
    assert item.choices == (Resolution.SKIP, Resolution.RENAME, Resolution.REPLACE)
    assert item.rename_to == "Globex (imported)"
    line = item.preview_line()
    assert line.startswith("conflict: Globex: kind custom -> cloud; ")
    assert f"base URL https://a.example -> {CLOUD_BASE_URL}" in line
    assert "note 'old' -> (none)" in line


def test_conflict_preview_line_as_the_issue_shows_it() -> None:
    plan = plan_import(
        [_entry("Globex", "https://a.example")], [_incoming("Globex", "https://b.example")]
    )
    assert plan.preview_lines()[0].startswith(
        "conflict: Globex: base URL https://a.example -> https://b.example"
    )
    assert str(plan.summary()) == "0 new, 0 already there, 1 conflict"


def test_plan_keeps_the_file_order_and_counts() -> None:
    existing = [_entry("B"), _entry("C", note="x")]
    plan = plan_import(existing, [_incoming("A"), _incoming("B"), _incoming("C")])
    assert [(i.name, i.action) for i in plan.items] == [
        ("A", Action.NEW),
        ("B", Action.SAME),
        ("C", Action.CONFLICT),
    ]
    summary = plan.summary()
    assert (summary.new, summary.same, summary.conflicts, summary.total) == (1, 1, 1, 3)
    assert plan.choose_all(Resolution.SKIP) == {"C": Resolution.SKIP}


def test_plan_refuses_duplicates() -> None:
    with pytest.raises(TransferError, match=r"Entry 2 \('acme'\): the name appears twice"):
        plan_import([], [_incoming("Acme"), _incoming("acme")])


def test_an_imported_entry_is_checked_when_made() -> None:
    assert ImportedEntry(" Acme ", "custom", GLOBEX_URL + "/", " n ") == ImportedEntry(  # type: ignore[arg-type]
        "Acme", EntryKind.CUSTOM, GLOBEX_URL, "n"
    )
    with pytest.raises(TransferError, match="needs a scheme"):
        _incoming("Acme", "ftp.example.com")
    with pytest.raises(TransferError, match="kind 'nope' is not one of"):
        ImportedEntry("Acme", "nope", GLOBEX_URL)  # type: ignore[arg-type]
    with pytest.raises(TransferError, match="the name is not text"):
        ImportedEntry(None, EntryKind.CUSTOM, GLOBEX_URL)  # type: ignore[arg-type]


def test_preview_escapes_odd_characters() -> None:
    # A name may hold what check_name lets through; the preview must not let it act on a
    # terminal (C1 CSI) or reorder the line (right-to-left override).
    name = "Evil\u202e\x9b31m"
    line = plan_import([], [_incoming(name)]).preview_lines()[0]
    assert "\u202e" not in line and "\x9b" not in line
    assert "\\u202e" in line and "\\u009b" in line


# --- renaming --------------------------------------------------------------------------------


def test_rename_picks_a_name_free_among_existing_and_planned() -> None:
    existing = [_entry("Acme", "https://a.example"), _entry("ACME (IMPORTED)")]
    incoming = [_incoming("Acme", "https://b.example"), _incoming("Acme (imported 2)")]
    plan = plan_import(existing, incoming)
    conflict = plan.items[0]
    assert plan.items[1].action is Action.NEW
    assert conflict.rename_to == "Acme (imported 3)"


def test_rename_names_differ_between_conflicts() -> None:
    existing = [_entry("A", "https://a.example"), _entry("A (imported)", "https://a.example")]
    plan = plan_import(
        existing,
        [_incoming("A", "https://b.example"), _incoming("A (imported)", "https://b.example")],
    )
    names = [item.rename_to for item in plan.items]
    assert names == ["A (imported 2)", "A (imported) (imported)"]
    assert len({n.casefold() for n in names if n}) == 2


def test_rename_of_a_long_name_fits_the_limit() -> None:
    long_name = "x" * MAX_NAME_LENGTH
    existing = [_entry(long_name, "https://a.example")]
    taken_first = "x" * (MAX_NAME_LENGTH - len(" (imported)")) + " (imported)"
    existing.append(_entry(taken_first))
    (item,) = plan_import(existing, [_incoming(long_name, "https://b.example")]).items
    assert item.rename_to is not None
    assert len(item.rename_to) <= MAX_NAME_LENGTH
    assert item.rename_to.endswith(" (imported 2)")


# --- applying each resolution -----------------------------------------------------------------


def _conflicted() -> list[ImportedEntry]:
    return [
        ImportedEntry("Acme", EntryKind.CUSTOM, "https://acme.example/public/v1", "moved"),
        ImportedEntry("Umbrella", EntryKind.CLOUD, CLOUD_BASE_URL, ""),
    ]


def test_skip_leaves_the_existing_entry_alone(filled: Vault) -> None:
    before = filled.find("Acme")
    plan = plan_import(filled.entries(), _conflicted())
    outcome = apply_import(filled.config, plan, {"Acme": Resolution.SKIP})
    assert outcome.skipped == ("Acme",)
    assert outcome.added == ("Umbrella",)
    assert filled.find("Acme") == before
    assert [e.name for e in filled.entries()] == ["Acme", "Globex", "Initech", "Umbrella"]


def test_replace_updates_kind_url_and_note_keeping_id_and_key(filled: Vault) -> None:
    before = filled.find("Acme")
    assert before is not None
    plan = plan_import(filled.entries(), _conflicted())
    outcome = apply_import(filled.config, plan, {"Acme": Resolution.REPLACE})
    assert outcome.replaced == ("Acme",)
    assert outcome.needs_key == ("Umbrella",)
    after = filled.find("Acme")
    assert after is not None
    assert (after.kind, after.base_url, after.note) == (
        EntryKind.CUSTOM,
        "https://acme.example/public/v1",
        "moved",
    )
    assert (after.id, after.name, after.key_hint, after.created_at) == (
        before.id,
        before.name,
        before.key_hint,
        before.created_at,
    )
    assert after.updated_at >= before.updated_at
    assert outcome.updated == ((before, after),)
    assert filled.secrets.get(after.id) == KEYS["Acme"]
    assert filled.orphans() == []


def test_rename_imports_a_copy_under_the_free_name(filled: Vault) -> None:
    before = filled.find("Acme")
    plan = plan_import(filled.entries(), _conflicted())
    outcome = apply_import(filled.config, plan, {"acme": "rename"})  # any case; text is fine
    assert outcome.renamed == (("Acme", "Acme (imported)"),)
    assert outcome.needs_key == ("Acme (imported)", "Umbrella")
    assert filled.find("Acme") == before
    copy = filled.find("Acme (imported)")
    assert copy is not None
    assert (copy.kind, copy.base_url, copy.note) == (
        EntryKind.CUSTOM,
        "https://acme.example/public/v1",
        "moved",
    )
    assert "1 renamed" in str(outcome)


def test_imported_entries_get_fresh_ids_and_no_key(filled: Vault) -> None:
    plan = plan_import(filled.entries(), _conflicted())
    outcome = apply_import(filled.config, plan, {"Acme": Resolution.RENAME})
    old_ids = {e.id for e in filled.entries()} - {e.id for e in outcome.created}
    assert len(outcome.created) == 2
    for entry in outcome.created:
        assert entry.key_hint == ""
        assert entry.id.isalnum() and entry.id not in old_ids
        assert filled.secrets.get(entry.id) is None
        assert check_entry(ApiClient(), filled.secrets, entry).status is Status.NO_SECRET
        assert entry in filled.entries()
    assert len({e.id for e in outcome.created}) == 2
    assert filled.orphans() == []


def test_an_imported_entry_takes_its_key_with_replace_key(filled: Vault) -> None:
    plan = plan_import(filled.entries(), [_incoming("Hooli")])
    (entry,) = apply_import(filled.config, plan, {}).created
    saved = filled.replace_key(entry.id, "sk_hooli_" + "Ab1Cd2Ef" * 4)
    assert saved.entry.key_hint == "d2Ef"
    assert filled.secrets.get(entry.id) == "sk_hooli_" + "Ab1Cd2Ef" * 4


# --- conflicts without a choice, bad choices ----------------------------------------------------


def test_a_conflict_without_a_choice_raises_and_writes_nothing(filled: Vault) -> None:
    before = _files(filled.config)
    plan = plan_import(filled.entries(), _conflicted())
    with pytest.raises(
        TransferError, match=r"Choose what to do with 1 conflicting entry \('Acme'\)"
    ):
        apply_import(filled.config, plan, {})
    assert _files(filled.config) == before


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"Umbrella": Resolution.SKIP}, "no conflict called 'Umbrella'"),
        ({"Nobody": Resolution.SKIP}, "no conflict called 'Nobody'"),
        ({"Acme": "overwrite"}, "'overwrite' is not a choice"),
        ({"Acme": Resolution.SKIP, "ACME": Resolution.REPLACE}, "Two different choices"),
    ],
)
def test_bad_choices_raise_and_write_nothing(
    filled: Vault, choices: dict[str, Any], message: str
) -> None:
    before = _files(filled.config)
    plan = plan_import(filled.entries(), _conflicted())
    with pytest.raises(TransferError, match=message):
        apply_import(filled.config, plan, choices)
    assert _files(filled.config) == before


def test_choose_all_resolves_every_conflict(filled: Vault) -> None:
    incoming = [
        ImportedEntry("Acme", EntryKind.CLOUD, CLOUD_BASE_URL, ""),
        ImportedEntry("Globex", EntryKind.CLOUD, CLOUD_BASE_URL, ""),
    ]
    plan = plan_import(filled.entries(), incoming)
    outcome = apply_import(filled.config, plan, plan.choose_all(Resolution.REPLACE))
    assert outcome.replaced == ("Acme", "Globex")
    assert all(e.base_url == CLOUD_BASE_URL for e in filled.entries())


# --- a change between plan and apply ------------------------------------------------------------


def test_a_new_name_taken_since_the_plan_is_refused(filled: Vault) -> None:
    plan = plan_import(filled.entries(), [_incoming("Hooli"), _incoming("Massive")])
    filled.add("hooli", EntryKind.CLOUD, "", "sk_other_" + "Zz9Yy8Xx" * 4)  # the CLI, meanwhile
    before = _files(filled.config)
    with pytest.raises(TransferError, match=r"an entry called 'Hooli' was added.*Preview"):
        apply_import(filled.config, plan, {})
    assert _files(filled.config) == before
    assert filled.find("Massive") is None
    hooli = filled.find("hooli")
    assert hooli is not None and hooli.kind is EntryKind.CLOUD


def test_an_entry_edited_since_the_plan_is_refused(filled: Vault) -> None:
    plan = plan_import(filled.entries(), _conflicted())
    acme = filled.find("Acme")
    assert acme is not None
    filled.edit(acme.id, note="edited in the window")
    before = _files(filled.config)
    with pytest.raises(TransferError, match="the entry 'Acme' was edited"):
        apply_import(filled.config, plan, {"Acme": Resolution.REPLACE})
    assert _files(filled.config) == before


def test_an_entry_removed_since_the_plan_is_refused(filled: Vault) -> None:
    plan = plan_import(filled.entries(), _conflicted())
    acme = filled.find("Acme")
    assert acme is not None
    filled.remove(acme.id)
    with pytest.raises(TransferError, match="the entry 'Acme' was removed or renamed"):
        apply_import(filled.config, plan, {"Acme": Resolution.SKIP})


def test_a_rename_target_taken_since_the_plan_is_refused(filled: Vault) -> None:
    plan = plan_import(filled.entries(), _conflicted())
    _save(filled.config, _entry("Acme (Imported)"))
    with pytest.raises(TransferError, match="the name 'Acme \\(imported\\)' was taken"):
        apply_import(filled.config, plan, {"Acme": Resolution.RENAME})
    # The same change does not matter to a conflict that is skipped.
    outcome = apply_import(filled.config, plan, {"Acme": Resolution.SKIP})
    assert outcome.added == ("Umbrella",)


def test_an_unrelated_change_since_the_plan_is_kept(filled: Vault) -> None:
    plan = plan_import(filled.entries(), [_incoming("Hooli")])
    _save(filled.config, _entry("Pied Piper"))
    apply_import(filled.config, plan, {})
    assert [e.name for e in filled.entries()] == [
        "Acme",
        "Globex",
        "Initech",
        "Pied Piper",
        "Hooli",
    ]


def test_an_import_that_would_make_the_config_too_large_is_refused(
    filled: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = len(filled.config.path.read_bytes())
    monkeypatch.setattr(import_plan, "MAX_CONFIG_BYTES", size + 64 * 1024 + 1000)
    plan = plan_import(filled.entries(), [_incoming("Big", note="x" * 2000)])
    before = _files(filled.config)
    with pytest.raises(TransferError, match=r"config would be .* MB, over"):
        apply_import(filled.config, plan, {})
    assert _files(filled.config) == before
    apply_import(filled.config, plan_import(filled.entries(), [_incoming("Small")]), {})


def test_applying_a_plan_twice_adds_nothing_the_second_time(filled: Vault) -> None:
    plan = plan_import(filled.entries(), [_incoming("Hooli")])
    apply_import(filled.config, plan, {})
    with pytest.raises(TransferError, match="was added"):
        apply_import(filled.config, plan, {})
    assert [e.name for e in filled.entries()].count("Hooli") == 1


# --- hostile and broken files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2", "not valid JSON"),
        (b"[]", "not an object"),
        (b'{"format": "x", "version": 1, "entries": []}', "'format' is 'x'"),
        (b'{"version": 1, "entries": []}', "'format' is missing"),
        (_document(version=2), "newer Sipstory Desktop"),
        (_document(version=0), "unknown version"),
        (_document(version=True), "'version' is missing or not a whole number"),
        (_document(version="1"), "'version' is missing or not a whole number"),
        (_document(entries={"a": 1}), "'entries' is missing or not a list"),
        (_document("Acme"), "Entry 1 is not an object"),
        (_document(_item(), _item(name=3)), "Entry 2: 'name' is not text"),
        (_document(_item(kind=None)), r"Entry 1 \('Acme'\): 'kind' is not text \(null\)"),
        (_document({"name": "Acme", "kind": "cloud"}), r"Entry 1 \('Acme'\) has no 'base_url'"),
        (_document(_item(note=["x"])), "'note' is not text"),
        (_document(_item(name="  ")), "the name is empty"),
        (_document(_item(name="a\x1bb")), "control characters"),
        (_document(_item(name="n" * 81)), "longer than 80"),
        (_document(_item(kind="Cloud")), "kind 'Cloud' is not one of"),
        (_document(_item(base_url="sipstory.example.com")), "needs a scheme"),
        (_document(_item(base_url="javascript://x")), "only https://"),
        (_document(_item(base_url="https://u:p@x.example")), "user name or password"),
        (_document(_item(kind="cloud", base_url="https://evil.example")), "'cloud' entry must"),
        (
            _document(_item(kind="self_hosted", base_url="https://x.example/api")),
            r"'self_hosted' base URL ends with /public/v1",
        ),
        (_document(_item(note="x" * 2001)), "note is longer than 2000"),
        (_document(_item(note="ok\x1b[2J")), "note contains control characters"),
        (
            _document(_item("Acme"), _item("Globex"), _item(" ACME ")),
            r"Entry 3 \('ACME'\): the name is also used by entry 1 \('Acme'\)",
        ),
        (b'{"format": "sipstory-desktop/entries", "format": "x"}', "'format' twice"),
        (b'{"format": "sipstory-desktop/entries", "version": NaN}', "NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"version": 1' + b"0" * 5000 + b"}", "not valid JSON"),
        (_document(_item(name="\ud800")), "name contains invalid characters"),
        (_document(_item(base_url="https://x.example/\udfff")), "base URL contains invalid"),
    ],
)
def test_broken_files_say_what_and_where(data: bytes, message: str) -> None:
    with pytest.raises(TransferError, match=message):
        read_export(data)


def test_an_error_names_the_entry_index_and_name() -> None:
    with pytest.raises(TransferError) as caught:
        read_export(_document(_item("Acme"), _item("Globex", base_url="ftp://x")))
    assert (caught.value.index, caught.value.name) == (1, "Globex")
    assert str(caught.value).startswith("Entry 2 ('Globex'): ")


def test_a_file_over_the_size_cap_is_refused_before_parsing() -> None:
    data = _document(_item(note="x")) + b" " * MAX_EXPORT_BYTES
    with pytest.raises(TransferError, match="at most 5 MB"):
        read_export(data)


def test_a_byte_order_mark_unknown_fields_and_a_missing_note_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + _document(
        _item("Acme", key="sk_should_be_ignored", id="abc", key_hint="1234"),
        exported_at="whenever",
        comment="hand-written",
    )
    (entry,) = read_export(data)
    assert entry == ImportedEntry("Acme", EntryKind.CUSTOM, GLOBEX_URL, "")


def test_reading_normalizes_names_urls_and_notes() -> None:
    data = _document(
        _item(" Acme ", base_url="HTTPS://Globex.Example/custom/public/v1/", note=" n ")
    )
    assert read_export(data) == [ImportedEntry("Acme", EntryKind.CUSTOM, GLOBEX_URL, "n")]


def test_self_hosted_urls_from_an_instance_address_are_accepted() -> None:
    data = _document(_item("Local", "self_hosted", "http://localhost:4007/api/public/v1"))
    assert read_export(data)[0].base_url == "http://localhost:4007/api/public/v1"


# --- properties ---------------------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from([FORMAT, "cloud", "custom", "self_hosted", CLOUD_BASE_URL, GLOBEX_URL]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["format", "version", "entries", "name", "kind", "base_url", "note"])
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)
_names = st.text(max_size=12) | st.sampled_from(["Acme", "acme", " Acme", "A" * 81])
_kinds = st.sampled_from(["cloud", "custom", "self_hosted", "Cloud", ""]) | st.text(max_size=6)
_urls = st.sampled_from(
    [
        CLOUD_BASE_URL,
        GLOBEX_URL,
        ACME_URL,
        "http://localhost:4007/api/public/v1",
        "https://bücher.example/api/public/v1",
        "ftp://x.example",
        "https://x.example?q",
        "https://[::1]:8443/public/v1/",
        "",
    ]
) | st.text(max_size=20).map(lambda t: "https://" + t)
_odd_entries = (
    st.fixed_dictionaries(
        {"name": _names, "kind": _kinds, "base_url": _urls},
        optional={"note": st.text(max_size=20)},
    )
    | _json_values
)
_places = st.sampled_from(
    [
        ("cloud", CLOUD_BASE_URL),
        ("self_hosted", ACME_URL),
        ("self_hosted", "http://localhost:4007/api/public/v1"),
        ("custom", GLOBEX_URL),
        ("custom", "https://[::1]:8443/public/v1/"),
        ("custom", "HTTPS://Bücher.Example/x/"),
    ]
)
_likely_entries = st.builds(
    lambda name, place, note: {"name": name, "kind": place[0], "base_url": place[1], "note": note},
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=12).filter(
        str.strip
    ),
    _places,
    st.text(st.characters(blacklist_categories=["Cs", "Cc"], whitelist_characters="\n\t")),
)
_entries = st.one_of(*[_likely_entries] * 6, _odd_entries)


def _only_transfer_errors(data: bytes) -> list[ImportedEntry] | None:
    try:
        return read_export(data)
    except TransferError as exc:
        assert str(exc)
        return None


@MANY
@given(st.binary(max_size=2000))
def test_any_bytes_raise_only_transfer_error(data: bytes) -> None:
    _only_transfer_errors(data)


@MANY
@given(_json_values)
def test_any_json_raises_only_transfer_error(document: Any) -> None:
    _only_transfer_errors(json.dumps(document).encode("utf-8"))


def _import_into_a_fresh_config(incoming: list[ImportedEntry]) -> None:
    """Import, then load the config as the next start would, and export it again."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        store = ConfigStore(AppPaths(data_dir=root, log_dir=root / "logs"))
        plan = plan_import(store.load(), incoming)
        apply_import(store, plan, {})
        loaded = ConfigStore(AppPaths(data_dir=root, log_dir=root / "logs"))
        saved = loaded.load()
        assert loaded.notices == []  # never a config that looks damaged
        assert [(e.name, e.kind, e.base_url, e.note) for e in saved] == [
            (i.name, i.kind, i.base_url, i.note) for i in incoming
        ]
        assert all(e.key_hint == "" for e in saved)
        again = read_export(export_entries(saved))
        assert again == incoming
        assert all(i.action is Action.SAME for i in plan_import(saved, again).items)


@MANY
@given(st.lists(_likely_entries, max_size=6, unique_by=lambda e: e["name"].strip().casefold()))
def test_any_valid_export_imports_to_a_loadable_config(items: list[Any]) -> None:
    data = json.dumps({"format": FORMAT, "version": 1, "entries": items}).encode("utf-8")
    incoming = read_export(data)
    assert len(incoming) == len(items)
    _import_into_a_fresh_config(incoming)


@MANY
@given(st.lists(_entries, max_size=5), st.sampled_from([1, 1, 1, 1, 1, 2, "1", None]))
def test_any_export_shaped_json_reads_safely(items: list[Any], version: Any) -> None:
    data = json.dumps({"format": FORMAT, "version": version, "entries": items}).encode("utf-8")
    incoming = _only_transfer_errors(data)
    event("refused" if incoming is None else "read")
    if incoming is not None:
        assert len(incoming) == len(items)
        _import_into_a_fresh_config(incoming)
