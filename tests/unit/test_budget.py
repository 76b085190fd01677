"""Rate budgets: shared budgets, requests used, holding back after a 429, the forecast."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import responses

from sipstory_desktop.core.budget import (
    HOLD_BACK_HINT,
    RATE_LIMIT,
    BudgetGrouper,
    BudgetWarning,
    forecast,
    group_budgets,
    held_back_result,
    held_back_until,
    limit_of,
    remaining,
    server_used,
    used_last_hour,
)
from sipstory_desktop.core.checker import (
    IS_CONNECTED_PATH,
    CheckPlan,
    check_entries,
    check_entry,
    plan_checks,
)
from sipstory_desktop.core.client import ApiClient
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.state import State
from sipstory_desktop.core.status import CheckResult, RateLimit, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.memory_keyring import MemoryKeyring

KEY = "ab" * 32
OTHER_KEY = "cd" * 32
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def _entry(
    name: str, base_url: str = "https://acme.example.com/api/public/v1", id: str | None = None
) -> Entry:
    entry = Entry(name=name, kind=EntryKind.CUSTOM, base_url=base_url)
    return (
        entry if id is None else Entry(name=name, kind=EntryKind.CUSTOM, base_url=base_url, id=id)
    )


def _ok(at: datetime, rate_limit: RateLimit | None = None) -> CheckResult:
    return CheckResult(
        Status.CONNECTED, "ok", http_status=200, checked_at=at, rate_limit=rate_limit
    )


def _throttled(at: datetime, retry_at: datetime | None) -> CheckResult:
    return CheckResult(
        Status.RATE_LIMITED, "slow down", http_status=429, checked_at=at, retry_at=retry_at
    )


class _SpyKeyring(MemoryKeyring):
    """Notes every id whose key is read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append(username)
        return super().get_password(service, username)


@pytest.fixture
def spy() -> _SpyKeyring:
    return _SpyKeyring()


@pytest.fixture
def spied(spy: _SpyKeyring) -> SecretStore:
    return SecretStore(backend=spy, timeout=5.0)


# --- grouping --------------------------------------------------------------------------------


def test_same_key_on_the_same_origin_is_one_budget() -> None:
    a = _entry("a", id="b" * 32)
    b = _entry("b", "https://acme.example.com:443/other/path", id="a" * 32)
    assert group_budgets([(a, KEY), (b, KEY)]) == {a.id: "a" * 32, b.id: "a" * 32}


def test_same_key_on_another_origin_is_another_budget() -> None:
    a = _entry("a")
    others = [
        _entry("host", "https://other.example.com/api/public/v1"),
        _entry("port", "https://acme.example.com:8443/api/public/v1"),
        _entry("scheme", "http://acme.example.com/api/public/v1"),
    ]
    budgets = group_budgets([(a, KEY), *((e, KEY) for e in others)])
    assert budgets == {e.id: e.id for e in [a, *others]}


def test_different_keys_are_different_budgets() -> None:
    a, b = _entry("a"), _entry("b")
    assert group_budgets([(a, KEY), (b, OTHER_KEY)]) == {a.id: a.id, b.id: b.id}


def test_the_grouper_keeps_no_key() -> None:
    grouper = BudgetGrouper()
    grouper.add(_entry("a"), KEY)
    grouper.add(_entry("a again"), KEY)  # noted once per entry
    kept = repr(vars(grouper)) + repr(grouper.budgets())
    assert KEY not in kept
    assert KEY.encode() not in b"".join(
        digest
        for (_, digest) in grouper._groups  # the digests are keyed: no fingerprint
    )


def test_an_entry_added_twice_counts_once() -> None:
    entry = _entry("a")
    grouper = BudgetGrouper()
    grouper.add(entry, KEY)
    grouper.add(entry, OTHER_KEY)
    assert grouper.budgets() == {entry.id: entry.id}


# --- requests used ---------------------------------------------------------------------------


def test_used_last_hour_from_our_count() -> None:
    state = State()
    for minutes in (5, 30, 59, 61):
        state.record_request("a", NOW - timedelta(minutes=minutes))
    assert used_last_hour(state, "a", NOW) == 3
    assert remaining(state, "a", NOW) == RATE_LIMIT - 3
    assert limit_of(state, "a", NOW) == RATE_LIMIT == 30


def test_used_last_hour_counts_the_shared_budget_for_every_member() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a"})
    state.record_request("a", NOW - timedelta(minutes=1))
    state.record_request("a", NOW - timedelta(minutes=2))
    assert used_last_hour(state, "a", NOW) == 2
    assert used_last_hour(state, "b", NOW) == 2


def test_fresh_server_figures_win_when_higher() -> None:
    state = State()
    state.record_request("a", NOW - timedelta(minutes=1))
    state.record_result("a", _ok(NOW - timedelta(minutes=1), RateLimit(30, 5, 600)))
    assert server_used(state, "a", NOW) == 25
    assert used_last_hour(state, "a", NOW) == 25  # other clients used the organization too
    assert remaining(state, "a", NOW) == 5


def test_our_count_wins_when_higher_than_the_server() -> None:
    state = State()
    for minutes in range(1, 6):
        state.record_request("a", NOW - timedelta(minutes=minutes))
    state.record_result("a", _ok(NOW - timedelta(minutes=1), RateLimit(30, 28, 600)))
    assert used_last_hour(state, "a", NOW) == 5


def test_stale_server_figures_are_ignored() -> None:
    state = State()
    state.record_request("a", NOW - timedelta(minutes=10))
    # the window the server spoke of reset 5 minutes ago
    state.record_result("a", _ok(NOW - timedelta(minutes=10), RateLimit(30, 1, 300)))
    assert server_used(state, "a", NOW) is None
    assert used_last_hour(state, "a", NOW) == 1


def test_server_figures_without_a_reset_last_an_hour_at_most() -> None:
    state = State()
    state.record_result("a", _ok(NOW - timedelta(minutes=50), RateLimit(30, 10, None)))
    assert used_last_hour(state, "a", NOW) == 20
    assert used_last_hour(state, "a", NOW + timedelta(minutes=10)) == 0


def test_server_figures_of_a_budget_partner_count() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a"})
    state.record_result("b", _ok(NOW - timedelta(minutes=1), RateLimit(30, 12, 900)))
    state.record_result("b", CheckResult(Status.NO_SECRET, "none", request_sent=False))
    assert used_last_hour(state, "a", NOW) == 18


def test_the_servers_own_limit_is_used() -> None:
    state = State()
    state.record_result("a", _ok(NOW - timedelta(minutes=1), RateLimit(100, 90, 900)))
    assert limit_of(state, "a", NOW) == 100
    assert remaining(state, "a", NOW) == 90
    odd = State()
    odd.record_result("a", _ok(NOW, RateLimit(30, 45, 900)))  # more left than the limit
    assert used_last_hour(odd, "a", NOW) == 0
    odd.record_result("a", _ok(NOW, RateLimit(0, 0, 900)))
    assert limit_of(odd, "a", NOW) == 30


# --- holding back ----------------------------------------------------------------------------


def test_a_429_with_a_retry_time_ahead_holds_the_budget_back() -> None:
    state = State()
    until = NOW + timedelta(minutes=20)
    state.record_result("a", _throttled(NOW - timedelta(minutes=1), until))
    assert held_back_until(state, "a", NOW) == until
    assert held_back_until(state, "a", until) is None
    assert held_back_until(state, "a", until + timedelta(seconds=1)) is None


def test_a_429_without_a_retry_time_holds_nothing_back() -> None:
    state = State()
    state.record_result("a", _throttled(NOW, None))
    assert held_back_until(state, "a", NOW) is None


def test_a_later_answer_releases_the_hold_but_a_missing_key_does_not() -> None:
    state = State()
    until = NOW + timedelta(minutes=20)
    state.record_result("a", _throttled(NOW - timedelta(minutes=5), until))
    state.record_result("a", CheckResult(Status.NO_SECRET, "none", request_sent=False))
    state.record_result("a", CheckResult(Status.UNREACHABLE, "down", checked_at=NOW))
    assert held_back_until(state, "a", NOW) == until
    state.record_result("a", _ok(NOW - timedelta(minutes=1)))  # a forced check went through
    assert held_back_until(state, "a", NOW) is None


def test_a_held_back_result_keeps_holding() -> None:
    state = State()
    until = NOW + timedelta(minutes=20)
    state.record_result("a", held_back_result(until, NOW - timedelta(minutes=1)))
    assert held_back_until(state, "a", NOW) == until


def test_a_429_holds_back_every_entry_of_the_budget() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a"})
    until = NOW + timedelta(minutes=20)
    state.record_result("b", _throttled(NOW - timedelta(minutes=1), until))
    assert held_back_until(state, "a", NOW) == until
    assert held_back_until(state, "c", NOW) is None


def test_held_back_result_says_when_and_how() -> None:
    until = NOW + timedelta(minutes=23, seconds=30)
    result = held_back_result(until, NOW)
    assert result.status is Status.RATE_LIMITED
    assert result.request_sent is False
    assert not result.counted
    assert result.retry_at == until
    assert result.checked_at == NOW
    assert result.http_status is None
    assert f"{until.astimezone():%H:%M}" in result.message
    assert "in 24 min" in result.message
    assert "held back" in result.message
    assert "budget" in result.message
    assert result.hint == HOLD_BACK_HINT
    assert "--force" in result.hint
    assert re.search(r"\d\d:\d\d", result.message)


def _held_state(entry: Entry, minutes: int = 20) -> State:
    state = State()
    now = utc_now()
    state.record_result(
        entry.id, _throttled(now - timedelta(minutes=1), now + timedelta(minutes=minutes))
    )
    return state


def test_check_entries_sends_nothing_while_held_back(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore, spy: _SpyKeyring
) -> None:
    entry = _entry("a")
    spied.set(entry.id, KEY)
    mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    state = _held_state(entry)
    seen: list[CheckResult] = []
    budgets: dict[str, str] = {}

    results = check_entries(
        client,
        spied,
        [entry],
        state=state,
        on_result=lambda e, r: seen.append(r),
        budgets_out=budgets,
    )

    assert len(mocked.calls) == 0
    assert spy.reads == []  # the key was not even read
    (result,) = results
    assert result.status is Status.RATE_LIMITED
    assert result.request_sent is False
    assert not result.counted
    assert result.retry_at == held_back_until(state, entry.id)
    assert seen == results
    assert budgets == {}


def test_check_entries_forced_sends(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore, spy: _SpyKeyring
) -> None:
    entry = _entry("a")
    spied.set(entry.id, KEY)
    mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    results = check_entries(client, spied, [entry], state=_held_state(entry), force=True)
    assert [r.status for r in results] == [Status.CONNECTED]
    assert len(mocked.calls) == 1
    assert spy.reads == [entry.id]


def test_check_entries_sends_once_the_retry_time_has_passed(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore
) -> None:
    entry = _entry("a")
    spied.set(entry.id, KEY)
    mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    results = check_entries(client, spied, [entry], state=_held_state(entry, minutes=-1))
    assert [r.status for r in results] == [Status.CONNECTED]
    assert len(mocked.calls) == 1


def test_check_entries_holds_back_only_the_throttled_budget(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore, spy: _SpyKeyring
) -> None:
    held, free = _entry("held"), _entry("free", "https://free.example.com/api/public/v1")
    for entry in (held, free):
        spied.set(entry.id, KEY)
        mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    results = check_entries(client, spied, [held, free], state=_held_state(held))
    assert [r.status for r in results] == [Status.RATE_LIMITED, Status.CONNECTED]
    assert [c.request.url for c in mocked.calls] == [free.base_url + IS_CONNECTED_PATH]
    assert spy.reads == [free.id]


def test_check_entries_without_state_ignores_the_hold(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore
) -> None:
    entry = _entry("a")
    spied.set(entry.id, KEY)
    mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    assert check_entries(client, spied, [entry])[0].status is Status.CONNECTED


def test_a_locked_keyring_still_reports_the_held_back_entries(client: ApiClient) -> None:
    import keyring.backends.fail

    held, other = _entry("held"), _entry("other", "https://other.example.com/api/public/v1")
    store = SecretStore(backend=keyring.backends.fail.Keyring(), timeout=5.0)
    results = check_entries(client, store, [held, other], state=_held_state(held))
    assert [r.status for r in results] == [Status.RATE_LIMITED, Status.KEYRING_ERROR]


def test_check_entry_is_held_back_too(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore, spy: _SpyKeyring
) -> None:
    entry = _entry("a")
    spied.set(entry.id, KEY)
    mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    state = _held_state(entry)
    result = check_entry(client, spied, entry, state=state)
    assert result.status is Status.RATE_LIMITED
    assert result.request_sent is False
    assert len(mocked.calls) == 0
    assert spy.reads == []
    grouper = BudgetGrouper()
    forced = check_entry(client, spied, entry, state=state, force=True, grouper=grouper)
    assert forced.status is Status.CONNECTED
    assert len(mocked.calls) == 1
    assert grouper.budgets() == {entry.id: entry.id}


def test_check_entries_reports_which_entries_share_a_key(
    mocked: responses.RequestsMock, client: ApiClient, spied: SecretStore
) -> None:
    a = _entry("a", id="1" * 32)
    b = _entry("b", "https://acme.example.com/public/v1", id="2" * 32)
    c = _entry("c", id="3" * 32)
    elsewhere = _entry("elsewhere", "https://else.example.com/api/public/v1", id="4" * 32)
    missing = _entry("missing", id="5" * 32)
    for entry, key in ((a, KEY), (b, KEY), (c, OTHER_KEY), (elsewhere, KEY)):
        spied.set(entry.id, key)
    for entry in (a, b, c, elsewhere, missing):
        mocked.get(entry.base_url + IS_CONNECTED_PATH, json={"connected": True})
    budgets: dict[str, str] = {}
    check_entries(client, spied, [b, a, c, elsewhere, missing], budgets_out=budgets)
    assert budgets == {a.id: a.id, b.id: a.id, c.id: c.id, elsewhere.id: elsewhere.id}


# --- the forecast ----------------------------------------------------------------------------


def _state_with_used(entry_id: str, used: int, now: datetime) -> State:
    state = State()
    for n in range(used):
        state.record_request(entry_id, now - timedelta(minutes=1, seconds=n))
    return state


@pytest.mark.parametrize(("used", "warned"), [(0, False), (28, False), (29, True), (40, True)])
def test_forecast_warns_exactly_when_the_limit_would_be_passed(used: int, warned: bool) -> None:
    a = _entry("Acme", id="a" * 32)
    b = _entry("Acme (copy)", id="b" * 32)
    state = _state_with_used(a.id, used, NOW)
    state.join_budgets({a.id: a.id, b.id: a.id})
    warnings = forecast(state, [a, b], NOW)  # 2 planned: 28 + 2 = 30 is still within
    if warned:
        assert warnings == [BudgetWarning(a.id, ["Acme", "Acme (copy)"], used, 2, 30)]
        assert "Acme, Acme (copy)" in warnings[0].message
        assert f"{used} of 30" in warnings[0].message
    else:
        assert warnings == []


def test_forecast_counts_budgets_apart() -> None:
    a, b = _entry("a"), _entry("b")
    state = _state_with_used(a.id, 29, NOW)
    assert [w.entry_names for w in forecast(state, [a, b], NOW)] == []
    state.record_request(a.id, NOW - timedelta(minutes=2))
    assert [w.entry_names for w in forecast(state, [a, b, a], NOW)] == [["a"]]


def test_forecast_leaves_out_what_is_held_back() -> None:
    a = _entry("a")
    state = _state_with_used(a.id, 30, NOW)
    state.record_result(a.id, _throttled(NOW - timedelta(minutes=1), NOW + timedelta(minutes=5)))
    assert forecast(state, [a], NOW) == []
    assert forecast(state, [a], NOW + timedelta(minutes=6)) != []


def test_forecast_uses_the_servers_figures() -> None:
    a = _entry("a")
    state = State()
    state.record_result(a.id, _ok(NOW - timedelta(minutes=1), RateLimit(30, 0, 900)))
    (warning,) = forecast(state, [a], NOW)
    assert (warning.used, warning.planned, warning.limit) == (30, 1, 30)


# --- the plan of a run: the one place the policy is applied --------------------------------


def test_a_plan_holds_back_after_a_429_and_sends_the_rest() -> None:
    throttled, fine = (
        _entry("Throttled"),
        _entry("Fine", "https://globex.example.com/api/public/v1"),
    )
    state = State()
    until = NOW + timedelta(minutes=7)
    state.record_result(throttled.id, _throttled(NOW - timedelta(minutes=1), until))
    plan = plan_checks(state, [throttled, fine, throttled], now=NOW)
    assert plan.send == (fine,)  # each entry once, the held one not sent
    ((held, result),) = plan.held
    assert held == throttled and plan.result_of(throttled) == result
    assert result == held_back_result(until, NOW)  # says until when, sends nothing
    assert plan.result_of(fine) is None
    assert plan.held_until == until
    assert plan.warnings == ()


def test_a_plan_warns_of_the_budgets_it_would_overspend() -> None:
    a = _entry("a")
    state = _state_with_used(a.id, 30, NOW)
    plan = plan_checks(state, [a], now=NOW)
    assert plan.send == (a,)
    assert [w.entry_names for w in plan.warnings] == [["a"]]
    assert plan.warnings == tuple(forecast(state, [a], NOW))


def test_a_forced_plan_sends_everything_and_warns_of_nothing() -> None:
    throttled = _entry("Throttled")
    state = _state_with_used(throttled.id, 30, NOW)
    state.record_result(throttled.id, _throttled(NOW, NOW + timedelta(minutes=7)))
    plan = plan_checks(state, [throttled], force=True, now=NOW)
    assert plan == CheckPlan((throttled,))
    assert plan.held_until is None


# --- the vault --------------------------------------------------------------------------------


def test_record_counts_requests_under_the_shared_budget(vault: Vault) -> None:
    a = vault.add("A", EntryKind.CLOUD, "", KEY).entry
    b = vault.add("B", EntryKind.CLOUD, "", KEY).entry
    now = utc_now()
    vault.record([(a.id, _ok(now - timedelta(minutes=3)))])
    vault.record([(b.id, _ok(now - timedelta(minutes=2)))])
    first, second = sorted([a.id, b.id])
    state = vault.record([(a.id, _ok(now)), (b.id, _ok(now))], budgets={a.id: first, b.id: first})
    assert state.budget_of(a.id) == state.budget_of(b.id) == first
    assert state.requests_last_hour(first, now) == 4  # 2 merged from before, 2 now
    assert second not in state.requests
    loaded = vault.load_state()
    assert used_last_hour(loaded, a.id, now) == used_last_hour(loaded, b.id, now) == 4
    # later results without a grouping still count under the shared budget
    vault.record([(second, _ok(now))])
    assert used_last_hour(vault.load_state(), first, now) == 5


def test_removing_one_entry_of_a_shared_budget_keeps_the_count(vault: Vault) -> None:
    a = vault.add("A", EntryKind.CLOUD, "", KEY).entry
    b = vault.add("B", EntryKind.CLOUD, "", KEY).entry
    now = utc_now()
    vault.record([(a.id, _ok(now)), (b.id, _ok(now))], budgets={a.id: a.id, b.id: a.id})
    first, second = sorted([a.id, b.id])
    vault.remove(first)
    state = vault.load_state()
    assert used_last_hour(state, second, now) == 2
    assert state.budgets == {}
    vault.remove(second)
    assert vault.load_state().requests == {}


def test_moving_an_entry_to_another_instance_leaves_its_budget(vault: Vault) -> None:
    a = vault.add("A", EntryKind.CLOUD, "", KEY).entry
    b = vault.add("B", EntryKind.CLOUD, "", KEY).entry
    now = utc_now()
    vault.record([(a.id, _ok(now)), (b.id, _ok(now))], budgets={a.id: a.id, b.id: a.id})
    vault.edit(b.id, name="B renamed")  # same instance: still shared
    assert used_last_hour(vault.load_state(), b.id, now) == 2
    vault.edit(b.id, kind=EntryKind.SELF_HOSTED, address="sipstory.example.com")
    state = vault.load_state()
    assert state.budgets == {}
    assert used_last_hour(state, a.id, now) == 2
    assert used_last_hour(state, b.id, now) == 0


def test_a_full_run_over_the_vault_holds_back_after_a_429(
    vault: Vault, memory_keyring: MemoryKeyring, client: ApiClient, mocked: responses.RequestsMock
) -> None:
    a = vault.add("A", EntryKind.SELF_HOSTED, "acme.example.com", KEY).entry
    b = vault.add("B", EntryKind.SELF_HOSTED, "acme.example.com", KEY).entry
    url = a.base_url + IS_CONNECTED_PATH
    mocked.get(url, status=429, headers={"Retry-After": "1200"}, json={"statusCode": 429})
    budgets: dict[str, str] = {}
    first = check_entries(client, vault.secrets, [a, b], budgets_out=budgets)
    vault.record(zip([a.id, b.id], first, strict=True), budgets=budgets)
    assert [r.status for r in first] == [Status.RATE_LIMITED] * 2
    assert len(mocked.calls) == 2
    state = vault.load_state()
    assert state.budget_of(a.id) == state.budget_of(b.id)
    assert used_last_hour(state, a.id) == 2

    again = check_entries(client, vault.secrets, [a, b], state=state)
    assert len(mocked.calls) == 2  # nothing more was sent
    assert all(not r.request_sent for r in again)
    assert all(r.retry_at == first[0].retry_at for r in again)
    vault.record(zip([a.id, b.id], again, strict=True))
    assert used_last_hour(vault.load_state(), a.id) == 2
    for path in (vault.paths.config_file, vault.paths.state_file):
        assert KEY not in path.read_text("utf-8")
