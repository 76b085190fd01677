"""Issue 15, items 5 and 7: what is recorded of a check is what happened."""

from __future__ import annotations

from sipstory_desktop.core.entries import EntryKind
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.vault import Vault

KEY = "ab" * 32


def test_add_keeps_the_test_made_before_adding_as_the_first_result(vault: Vault) -> None:
    tested = CheckResult(Status.CONNECTED, "Connected.", http_status=200)
    saved = vault.add("Acme", EntryKind.CLOUD, "", KEY, first_check=tested)

    state = vault.load_state()
    assert state.results[saved.entry.id] == [tested]
    assert state.requests_last_hour(saved.entry.id) == 1  # the request the test spent


def test_add_without_a_test_records_nothing(vault: Vault) -> None:
    saved = vault.add("Acme", EntryKind.CLOUD, "", KEY)

    state = vault.load_state()
    assert saved.entry.id not in state.results
    assert state.requests_last_hour(saved.entry.id) == 0


# --- item 7: the timeout named is the one that ran out ------------------------------------


def test_the_timeout_of_each_failure() -> None:
    import requests

    from sipstory_desktop.core.classify import timeout_of
    from sipstory_desktop.core.client import DeadlineExceeded, Timeouts

    timeouts = Timeouts(connect=5.0, read=10.0)
    assert timeout_of(requests.exceptions.ConnectTimeout("no SYN-ACK"), timeouts) == 5.0
    assert timeout_of(requests.exceptions.ReadTimeout("silent"), timeouts) == 10.0
    try:
        try:
            raise requests.exceptions.ReadTimeout("silent")
        except requests.exceptions.ReadTimeout as exc:
            raise DeadlineExceeded("cut") from exc
    except DeadlineExceeded as cut:
        assert timeout_of(cut, timeouts) == 15.0  # the overall deadline is what ran out
