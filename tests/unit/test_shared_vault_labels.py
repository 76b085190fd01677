"""What a person sees of a stored key in KeePassXC or Seahorse, and the locked messages."""

from __future__ import annotations

import pytest

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.import_plan import ImportOutcome
from sipstory_desktop.core.secrets import is_locked_message, locked_error
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.core.vault import item_description


@pytest.mark.parametrize(
    ("base_url", "label"),
    [
        (CLOUD_BASE_URL, "Sipstory: Acme (api.sipstory.tech)"),
        ("https://sipstory.example.com/api/public/v1", "Sipstory: Acme (sipstory.example.com)"),
        ("http://localhost:4007/api/public/v1", "Sipstory: Acme (localhost:4007)"),
        ("https://10.0.0.5:8443/api/public/v1", "Sipstory: Acme (10.0.0.5:8443)"),
    ],
)
def test_an_item_is_labelled_with_the_entry_and_its_instance(base_url: str, label: str):
    entry = Entry(name="Acme", kind=EntryKind.CUSTOM, base_url=base_url)
    described = item_description(entry)
    assert described.label == label
    assert (described.entry_name, described.base_url) == ("Acme", base_url)


@pytest.mark.parametrize(
    ("provider", "closed", "message"),
    [
        ("KeePassXC", False, "KeePassXC is locked."),
        (
            "KeePassXC",
            True,
            "KeePassXC has no database open (or shares none over the Secret Service).",
        ),
        ("GNOME Keyring", True, "GNOME Keyring has no default keyring to keep keys in."),
        ("", False, "The keyring is locked."),
    ],
)
def test_locked_and_closed_are_said_and_recognised(provider: str, closed: bool, message: str):
    error = locked_error(provider, closed=closed)
    assert error.message == message
    assert is_locked_message(error.message)
    assert "kept" in error.hint


def test_other_keyring_errors_are_not_taken_for_locked():
    assert not is_locked_message("The keyring did not answer within 30 s.")
    assert not is_locked_message("No system keyring is available.")


def test_entries_whose_key_was_found_need_none():
    made = (
        Entry(name="Acme", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL),
        Entry(name="Globex", kind=EntryKind.CLOUD, base_url=CLOUD_BASE_URL),
    )
    outcome = ImportOutcome(added=("Acme", "Globex"), created=made, found_keys=("Acme",))
    assert outcome.needs_key == ("Globex",)
    assert outcome.counts()["keys_found"] == 1
    assert "keys_found" not in ImportOutcome(created=made).counts()
