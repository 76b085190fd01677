"""Entries: their dict form, every malformed field, names, lookup and base URLs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from sipstory_desktop.core.entries import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Entry,
    EntryError,
    EntryKind,
    check_name,
    find_by_name,
    resolve_base_url,
)
from sipstory_desktop.core.urls import CLOUD_BASE_URL, UrlError

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
UPDATED = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)


def _entry(**changes: Any) -> Entry:
    values: dict[str, Any] = {
        "name": "Acme",
        "kind": EntryKind.SELF_HOSTED,
        "base_url": "https://sipstory.example.com/api/public/v1",
        "id": "0123456789abcdef0123456789abcdef",
        "note": "client Acme",
        "key_hint": "beef",
        "created_at": CREATED,
        "updated_at": UPDATED,
    }
    values.update(changes)
    return Entry(**values)


def _good_dict() -> dict[str, Any]:
    return _entry().to_dict()


def test_to_dict_has_every_field_as_text() -> None:
    data = _entry().to_dict()
    assert data == {
        "id": "0123456789abcdef0123456789abcdef",
        "name": "Acme",
        "kind": "self_hosted",
        "base_url": "https://sipstory.example.com/api/public/v1",
        "note": "client Acme",
        "key_hint": "beef",
        "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-02-03T04:05:06Z",
    }


@pytest.mark.parametrize(
    "entry",
    [
        _entry(),
        _entry(kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL, note="", key_hint=""),
        _entry(kind=EntryKind.CUSTOM, base_url="http://localhost:3000/public/v1"),
        _entry(name="Ünïcødé ✓ name", note="line one\nline two"),
        Entry(name="fresh", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL),
    ],
)
def test_round_trip(entry: Entry) -> None:
    assert Entry.from_dict(entry.to_dict()) == entry


def test_defaults_are_fresh_ids_and_aware_times() -> None:
    a = Entry(name="a", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)
    b = Entry(name="b", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL)
    assert a.id != b.id
    assert a.id.isalnum()
    assert a.created_at.tzinfo is not None
    assert a.created_at.microsecond == 0


def test_edited_changes_fields_and_updated_at_only() -> None:
    entry = _entry()
    changed = entry.edited(name="Renamed")
    assert changed.name == "Renamed"
    assert changed.id == entry.id
    assert changed.created_at == entry.created_at
    assert changed.updated_at > entry.updated_at
    assert entry.name == "Acme"  # frozen original untouched


def test_from_dict_reads_optional_fields_as_empty() -> None:
    data = _good_dict()
    del data["note"]
    del data["key_hint"]
    entry = Entry.from_dict(data)
    assert entry.note == ""
    assert entry.key_hint == ""


def test_from_dict_trims_the_name_and_normalizes_the_url() -> None:
    data = _good_dict()
    data["name"] = "  Acme  "
    data["base_url"] = "HTTPS://Sipstory.Example.com/api/public/v1/"
    entry = Entry.from_dict(data)
    assert entry.name == "Acme"
    assert entry.base_url == "https://sipstory.example.com/api/public/v1"


def test_from_dict_keeps_at_most_four_hint_characters_and_caps_the_note() -> None:
    data = _good_dict()
    data["key_hint"] = "0123456789abcdef"  # a whole key in a hand-edited file
    data["note"] = "n" * (MAX_NOTE_LENGTH + 50)
    entry = Entry.from_dict(data)
    assert entry.key_hint == "cdef"
    assert len(entry.note) == MAX_NOTE_LENGTH


def test_from_dict_reads_times_without_a_zone_as_utc() -> None:
    data = _good_dict()
    data["created_at"] = "2026-01-02T03:04:05"
    entry = Entry.from_dict(data)
    assert entry.created_at == CREATED
    assert entry.created_at.tzinfo is not None


def _without(field: str) -> dict[str, Any]:
    data = _good_dict()
    del data[field]
    return data


def _with(field: str, value: Any) -> dict[str, Any]:
    data = _good_dict()
    data[field] = value
    return data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (None, "not an object"),
        ([], "not an object"),
        ("entry", "not an object"),
        (_without("id"), "lacks 'id'"),
        (_without("name"), "lacks 'name'"),
        (_without("kind"), "lacks 'kind'"),
        (_without("base_url"), "lacks 'base_url'"),
        (_without("created_at"), "lacks 'created_at'"),
        (_without("updated_at"), "lacks 'updated_at'"),
        (_with("id", 12), "'id' is not text"),
        (_with("name", None), "'name' is not text"),
        (_with("kind", ["cloud"]), "'kind' is not text"),
        (_with("base_url", {"u": 1}), "'base_url' is not text"),
        (_with("note", 3), "'note' is not text"),
        (_with("key_hint", False), "'key_hint' is not text"),
        (_with("created_at", 1700000000), "'created_at' is not text"),
        (_with("kind", "CLOUD"), "bad value"),
        (_with("kind", "saas"), "bad value"),
        (_with("created_at", "yesterday"), "bad value"),
        (_with("updated_at", "2026-13-01T00:00:00Z"), "bad value"),
        (_with("name", ""), "empty"),
        (_with("name", "   "), "empty"),
        (_with("name", "x" * (MAX_NAME_LENGTH + 1)), "longer"),
        (_with("name", "tab\there"), "control"),
        (_with("id", ""), "bad id"),
        (_with("id", "../../etc"), "bad id"),
        (_with("id", "abc def"), "bad id"),
        (_with("base_url", "ftp://example.com"), "entry 'Acme'"),
        (_with("base_url", "example.com"), "scheme"),
        (_with("base_url", ""), "empty"),
        (_with("base_url", "https://u:p@example.com"), "password"),
    ],
)
def test_from_dict_rejects_every_malformed_field(data: Any, words: str) -> None:
    with pytest.raises(EntryError) as caught:
        Entry.from_dict(data)
    assert words in str(caught.value)


# --- names -----------------------------------------------------------------------------------


def test_check_name_trims() -> None:
    assert check_name("  Acme Corp  ") == "Acme Corp"
    assert check_name("x" * MAX_NAME_LENGTH) == "x" * MAX_NAME_LENGTH


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", "empty"),
        (" \t ", "empty"),
        ("x" * (MAX_NAME_LENGTH + 1), str(MAX_NAME_LENGTH)),
        ("a\x00b", "control"),
        ("a\x1bb", "control"),
        ("a\x7fb", "control"),
        ("line\nbreak", "control"),
    ],
)
def test_check_name_rejections(name: str, words: str) -> None:
    with pytest.raises(EntryError, match=words):
        check_name(name)


def test_find_by_name_ignores_case_and_spaces() -> None:
    entries = [_entry(name="Acme", id="a1"), _entry(name="Globex Inc", id="b2")]
    found = find_by_name(entries, "  ACME ")
    assert found is not None
    assert found.id == "a1"
    found = find_by_name(entries, "globex inc")
    assert found is not None
    assert found.id == "b2"
    assert find_by_name(entries, "Globex") is None
    assert find_by_name([], "Acme") is None


def test_find_by_name_uses_casefold() -> None:
    entries = [_entry(name="Straße", id="s1")]
    found = find_by_name(entries, "STRASSE")
    assert found is not None
    assert found.id == "s1"


# --- base URLs -------------------------------------------------------------------------------


def test_resolve_base_url() -> None:
    assert resolve_base_url(EntryKind.CLOUD) == CLOUD_BASE_URL
    assert resolve_base_url(EntryKind.CLOUD, "ignored.example.com") == CLOUD_BASE_URL
    assert (
        resolve_base_url(EntryKind.SELF_HOSTED, "sipstory.example.com")
        == "https://sipstory.example.com/api/public/v1"
    )
    assert (
        resolve_base_url(EntryKind.CUSTOM, "http://localhost:3000/public/v1/")
        == "http://localhost:3000/public/v1"
    )
    assert resolve_base_url(EntryKind.CUSTOM, "https://sipstory.example.com") == (
        "https://sipstory.example.com"
    )


@pytest.mark.parametrize("kind", [EntryKind.SELF_HOSTED, EntryKind.CUSTOM])
def test_resolve_base_url_needs_a_place(kind: EntryKind) -> None:
    with pytest.raises(UrlError):
        resolve_base_url(kind, "")


def test_kind_values_are_stable() -> None:
    assert [k.value for k in EntryKind] == ["cloud", "self_hosted", "custom"]
