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


def test_after_a_429_its_message_and_the_last_hour_figures_agree(vault: Vault) -> None:
    from requests.structures import CaseInsensitiveDict

    from sipstory_desktop.core.budget import limit_of, shown_used
    from sipstory_desktop.core.classify import classify_answer
    from sipstory_desktop.core.client import Answer

    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    body = b'{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}'
    headers = CaseInsensitiveDict({"Retry-After": "1200", "Content-Type": "application/json"})
    throttled = classify_answer(Answer(429, headers, body, False, 9), entry.base_url)
    state = vault.record([(entry.id, throttled)])  # the app itself sent one request

    shown = f"{shown_used(state, entry.id)}/{limit_of(state, entry.id)}"
    assert shown == "30/30"  # not "1/30": the server said the hour's requests are used up
    assert f"({shown} used; HTTP 429)" in throttled.message
    assert "30 requests per hour" in throttled.hint


def test_a_429_with_the_servers_figures_names_its_limit() -> None:
    from requests.structures import CaseInsensitiveDict

    from sipstory_desktop.core.classify import classify_answer
    from sipstory_desktop.core.client import Answer

    headers = CaseInsensitiveDict(
        {"Retry-After": "60", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0"}
    )
    throttled = classify_answer(
        Answer(429, headers, b"{}", False, 9), "https://api.sipstory.tech/public/v1"
    )
    assert "(100/100 used; HTTP 429)" in throttled.message
    assert "100 requests per hour" in throttled.hint


# --- item 5: a result is of the base URL it was found at ----------------------------------


def test_a_new_base_url_drops_the_results_of_the_old_one(vault: Vault) -> None:
    wrong = vault.add("Acme", EntryKind.CUSTOM, "https://acme.example.com/public/v1", KEY).entry
    not_api = CheckResult(
        Status.NOT_API,
        "This URL answers with a web page.",
        "Use https://acme.example.com/api/public/v1",
        http_status=200,
        suggested_base_url="https://acme.example.com/api/public/v1",
    )
    vault.record([(wrong.id, not_api)])
    vault.edit(wrong.id, name="Acme (renamed)")  # same URL: its results still hold
    assert vault.load_state().latest(wrong.id) == not_api

    vault.edit(wrong.id, kind=EntryKind.CUSTOM, address="https://acme.example.com/api/public/v1")

    state = vault.load_state()
    assert state.latest(wrong.id) is None  # "Not checked", not "Not the API"


# --- item 5: checks that sent nothing (sipstory-keys check goes the same way) -------------


def test_an_imported_entry_is_said_to_have_no_key_and_nothing_is_recorded(vault: Vault) -> None:
    from sipstory_desktop.core.checker import check_entries, has_no_key
    from sipstory_desktop.core.client import ApiClient
    from sipstory_desktop.core.entries import Entry
    from sipstory_desktop.core.export_format import export_entries

    data = export_entries([Entry("Acme", EntryKind.CLOUD, "https://api.sipstory.tech/public/v1")])
    vault.import_entries(vault.preview_import(data), {})
    (entry,) = vault.entries()
    state = vault.load_state()
    assert has_no_key(state, entry)

    (result,) = check_entries(ApiClient(), vault.secrets, [entry], state=state)
    assert result.status is Status.NO_SECRET
    assert result.message == "No key is saved for this entry yet."
    assert "another program" not in result.hint
    vault.record([(entry.id, result)])
    assert entry.id not in vault.load_state().results  # nothing was sent: no history


def test_a_deleted_key_still_says_another_program_may_have_deleted_it(vault: Vault) -> None:
    from sipstory_desktop.core.checker import check_entries, has_no_key

    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    vault.secrets.delete(entry.id)  # as another program would
    state = vault.load_state()
    assert not has_no_key(state, entry)  # it had one: not known to be missing until checked

    from sipstory_desktop.core.client import ApiClient

    (result,) = check_entries(ApiClient(), vault.secrets, [entry], state=state)
    assert result.status is Status.NO_SECRET
    assert "another program" in result.hint


def test_a_held_back_check_is_not_recorded(vault: Vault) -> None:
    from datetime import timedelta

    from sipstory_desktop.core.checker import plan_checks
    from sipstory_desktop.core.times import utc_now

    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    throttled = CheckResult(
        Status.RATE_LIMITED, "429", http_status=429, retry_at=utc_now() + timedelta(minutes=20)
    )
    vault.record([(entry.id, throttled)])
    plan = plan_checks(vault.load_state(), [entry])
    held = plan.result_of(entry)
    assert held is not None and not held.request_sent

    state = vault.record([(entry.id, held)])
    assert state.results[entry.id] == [throttled]  # no history point, no new "last checked"
    assert state.latest(entry.id) == throttled
    assert state.shown(entry.id) is held  # but shown
    assert state.requests_last_hour(entry.id) == 1


def test_an_outcome_without_a_request_is_the_last_status_but_not_a_check(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    sent = CheckResult(Status.CONNECTED, "Connected.", http_status=200)
    locked = CheckResult(Status.KEYRING_ERROR, "The keyring is locked.", request_sent=False)
    vault.record([(entry.id, sent)])
    vault.record([(entry.id, locked)])

    loaded = vault.load_state()  # as sipstory-keys list reads it
    assert loaded.shown(entry.id) == locked  # what either of them found last
    assert loaded.latest(entry.id) == sent  # the last check that sent a request
    assert loaded.results[entry.id] == [sent]
    vault.record([(entry.id, sent)])
    assert entry.id not in vault.load_state().unsent  # a request sent since: it is over


def test_the_request_of_a_test_before_replacing_counts(vault: Vault) -> None:
    entry = vault.add("Acme", EntryKind.CLOUD, "", KEY).entry
    tested = CheckResult(Status.CONNECTED, "Connected.", http_status=200)

    vault.replace_key(entry.id, "cd" * 32, tested=tested)

    state = vault.load_state()
    assert state.requests_last_hour(entry.id) == 1
    assert entry.id not in state.results  # not history: the replacement may be undone
