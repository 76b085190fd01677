"""The state file: results, rate budgets and who shares them, keyring ids, tolerant loading."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from sipstory_desktop.core.paths import AppPaths
from sipstory_desktop.core.state import BUDGET_WINDOW, HISTORY_LENGTH, State, StateStore
from sipstory_desktop.core.status import CheckResult, RateLimit, Status
from sipstory_desktop.core.times import utc_now

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def _result(n: int = 0, status: Status = Status.CONNECTED) -> CheckResult:
    return CheckResult(
        status, f"result {n}", http_status=200, latency_ms=n, checked_at=NOW + timedelta(seconds=n)
    )


@pytest.fixture
def store(paths: AppPaths) -> StateStore:
    return StateStore(paths)


# --- results ---------------------------------------------------------------------------------


def test_latest_of_an_unknown_entry_is_none() -> None:
    assert State().latest("nobody") is None


def test_latest_is_the_last_recorded() -> None:
    state = State()
    state.record_result("a", _result(1))
    state.record_result("a", _result(2, Status.INVALID_KEY))
    state.record_result("b", _result(3))
    latest = state.latest("a")
    assert latest is not None
    assert latest.message == "result 2"
    assert latest.status is Status.INVALID_KEY


def test_history_is_capped_keeping_the_newest() -> None:
    state = State()
    for n in range(HISTORY_LENGTH + 25):
        state.record_result("a", _result(n))
    history = state.results["a"]
    assert HISTORY_LENGTH == 50
    assert len(history) == HISTORY_LENGTH
    assert history[0].message == "result 25"
    assert history[-1].message == f"result {HISTORY_LENGTH + 24}"


# --- a budget's requests --------------------------------------------------------------------------


def test_requests_last_hour_counts_only_the_window() -> None:
    state = State()
    for minutes in (0, 1, 30, 59, 60, 61, 120):
        state.record_request("a", NOW - timedelta(minutes=minutes))
    state.record_request("b", NOW)
    # within the hour: 0, 1, 30, 59 minutes ago; exactly 60 minutes ago is out
    assert state.requests_last_hour("a", now=NOW) == 4
    assert state.requests_last_hour("b", now=NOW) == 1
    assert state.requests_last_hour("c", now=NOW) == 0
    assert state.requests_last_hour("a", now=NOW + timedelta(hours=3)) == 0
    assert state.requests_last_hour("a", now=NOW - timedelta(minutes=30)) == 6


def test_record_request_defaults_to_now() -> None:
    state = State()
    state.record_request("a")
    assert state.requests_last_hour("a") == 1
    assert state.requests_last_hour("a", now=utc_now() + BUDGET_WINDOW + timedelta(1)) == 0


def test_prune_drops_old_times_and_empty_budgets() -> None:
    state = State()
    state.record_request("a", NOW - timedelta(minutes=10))
    state.record_request("a", NOW - timedelta(minutes=90))
    state.record_request("b", NOW - timedelta(hours=2))
    state.prune(now=NOW)
    assert state.requests == {"a": [NOW - timedelta(minutes=10)]}


def test_forget_drops_results_and_requests_but_not_secret_ids() -> None:
    state = State()
    state.record_result("a", _result())
    state.record_result("b", _result())
    state.record_request("a", NOW)
    state.secret_ids.add("a")
    state.forget(["a", "never-there"])
    assert "a" not in state.results
    assert "a" not in state.requests
    assert state.latest("b") is not None
    assert state.secret_ids == {"a"}


# --- shared rate budgets --------------------------------------------------------------------


def test_joining_merges_the_requests() -> None:
    state = State()
    for minutes in (1, 2, 3):
        state.record_request("a", NOW - timedelta(minutes=minutes))
    for minutes in (4, 5):
        state.record_request("b", NOW - timedelta(minutes=minutes))
    state.join_budgets({"a": "a", "b": "a"})
    assert state.budget_of("a") == "a"
    assert state.budget_of("b") == "a"
    assert state.budgets == {"b": "a"}
    assert state.requests_last_hour("a", NOW) == 5
    assert "b" not in state.requests
    assert state.requests["a"] == sorted(state.requests["a"])


def test_a_budget_is_named_after_its_smallest_entry_and_stays_so() -> None:
    state = State()
    state.join_budgets({"c": "c", "b": "c"})  # labels need not be entry ids of the group
    assert state.budget_of("c") == "b"
    state.join_budgets({"c": "x"})  # checked alone: its partner's key was not read
    assert state.budget_of("c") == "b"
    assert state.budget_of("b") == "b"


def test_a_newcomer_with_a_smaller_id_renames_the_budget_keeping_its_requests() -> None:
    state = State()
    state.join_budgets({"b": "b", "c": "b"})
    state.record_request("b", NOW)
    state.join_budgets({"a": "a", "c": "a"})
    assert {state.budget_of(e) for e in "abc"} == {"a"}
    assert state.requests_last_hour("a", NOW) == 1
    assert "b" not in state.requests


def test_keys_found_different_split_a_budget_and_its_requests_stay() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a", "c": "a"})
    state.record_request("a", NOW)
    state.join_budgets({"b": "b", "c": "c"})  # b and c compared: different keys now
    # a was not compared: it stays with one of them (deterministically, the smaller)
    assert state.budget_of("b") == "a"
    assert state.budget_of("a") == "a"
    assert state.budget_of("c") == "c"
    assert state.requests_last_hour("a", NOW) == 1
    assert state.requests_last_hour("c", NOW) == 0


def test_forget_keeps_a_shared_budget_while_an_entry_uses_it() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a", "c": "a"})
    state.record_request("a", NOW)
    state.forget(["a"])  # the budget was named after a
    assert state.budget_of("b") == "b"
    assert state.budget_of("c") == "b"
    assert state.requests_last_hour("b", NOW) == 1
    assert "a" not in state.requests
    state.forget(["c"])
    assert state.requests_last_hour("b", NOW) == 1
    state.forget(["b"])
    assert state.requests == {}
    assert state.budgets == {}


def test_forget_of_the_whole_group_at_once_drops_its_budget() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a"})
    state.record_request("a", NOW)
    state.record_request("z", NOW)
    state.forget(["b", "a"])
    assert state.requests == {"z": [NOW]}
    assert state.budgets == {}


def test_leaving_a_budget_starts_afresh_and_leaves_the_old_budget() -> None:
    state = State()
    state.join_budgets({"a": "a", "b": "a"})
    state.record_request("a", NOW)
    state.leave_budgets(["a"])
    assert state.budget_of("a") == "a"
    assert state.budget_of("b") == "b"
    assert state.requests_last_hour("b", NOW) == 1
    assert state.requests_last_hour("a", NOW) == 0


def test_budgets_round_trip_through_the_state_file(store: StateStore) -> None:
    store.update(lambda s: s.join_budgets({"a": "a", "b": "a", "c": "a"}))
    assert store.load().budgets == {"b": "a", "c": "a"}
    assert json.loads(store.path.read_text())["budgets"] == {"b": "a", "c": "a"}
    again = State.from_dict(json.loads(json.dumps(store.load().to_dict())))
    assert again.budgets == {"b": "a", "c": "a"}


@pytest.mark.parametrize(
    ("budgets", "kept"),
    [
        ({"b": "a", "c": 3, "d": None, "e": "", "f": "f", "g": ["a"]}, {"b": "a"}),
        ("not a mapping", {}),
        (["b", "a"], {}),
    ],
)
def test_damaged_budgets_are_skipped(budgets: object, kept: dict[str, str]) -> None:
    state = State.from_dict({"budgets": budgets, "secret_ids": ["x"]})
    assert state.budgets == kept
    assert state.secret_ids == {"x"}


def test_old_state_files_without_budgets_still_load() -> None:
    state = State.from_dict({"schema": 1, "requests": {"a": ["2026-11-28T11:30:00Z"]}})
    assert state.budgets == {}
    assert state.budget_of("a") == "a"
    assert state.requests_last_hour("a", NOW) == 1


# --- the file --------------------------------------------------------------------------------


def test_absent_file_is_an_empty_state(store: StateStore) -> None:
    state = store.load()
    assert state.results == {}
    assert state.requests == {}
    assert state.secret_ids == set()


def test_update_saves_and_returns_the_change_result(store: StateStore) -> None:
    recent = utc_now() - timedelta(minutes=5)
    result = _result(7)

    def change(state: State) -> str:
        state.record_result("a", result)
        state.record_request("a", recent)
        state.secret_ids.update({"a", "b"})
        return "outcome"

    assert store.update(change) == "outcome"
    loaded = store.load()
    assert loaded.latest("a") == result
    assert loaded.requests == {"a": [recent]}
    assert loaded.secret_ids == {"a", "b"}
    assert json.loads(store.path.read_text())["secret_ids"] == ["a", "b"]


def test_update_prunes_old_requests(store: StateStore) -> None:
    store.update(lambda s: s.record_request("a", utc_now() - timedelta(hours=2)))
    assert store.load().requests == {}


def test_update_that_raises_writes_nothing(store: StateStore) -> None:
    store.update(lambda s: s.secret_ids.add("kept"))
    before = store.path.read_bytes()

    def change(state: State) -> None:
        state.secret_ids.add("lost")
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        store.update(change)
    assert store.path.read_bytes() == before


def test_round_trip_of_every_result_field() -> None:
    state = State()
    full = CheckResult(
        Status.RATE_LIMITED,
        "slow down",
        "wait",
        http_status=429,
        latency_ms=12,
        checked_at=NOW,
        retry_at=NOW + timedelta(seconds=90),
        rate_limit=RateLimit(30, 0, 90),
        location=None,
        suggested_base_url="https://x.example/api/public/v1",
        request_sent=True,
    )
    state.record_result("a", full)
    state.record_result("a", CheckResult(Status.NO_SECRET, "none", request_sent=False))
    again = State.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again.results == state.results


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe garbage",
        b"{not json",
        b"[1, 2, 3]",
        b'"state"',
        b"null",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_damaged_state_file_loads_as_empty(store: StateStore, raw: bytes) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(raw)
    state = store.load()
    assert state.results == {}
    assert state.requests == {}
    assert state.secret_ids == set()


def test_partly_damaged_state_keeps_what_it_can_read(store: StateStore) -> None:
    good = _result(1).to_dict()
    document = {
        "schema": 1,
        "results": {
            "a": [good, {"status": "no-such-status"}, "text", None, [], {**good, "message": "2"}],
            "b": "not a list",
            "c": [{**good, "latency_ms": "12"}, {**good, "checked_at": "yesterday"}],
            "d": [{**good, "rate_limit": {"limit": 1.5}}],
        },
        "requests": {
            "a": ["2026-11-28T11:30:00Z", "garbage", 12, None],
            "b": {"not": "a list"},
        },
        "secret_ids": ["x", 3, None, "y"],
    }
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps(document))
    state = store.load()
    assert [r.message for r in state.results["a"]] == ["result 1", "2"]
    assert "b" not in state.results
    assert state.results["c"] == []
    assert state.results["d"] == []
    assert state.requests == {"a": [datetime(2026, 11, 28, 11, 30, tzinfo=timezone.utc)]}
    assert state.secret_ids == {"x", "y"}


@pytest.mark.parametrize(
    "document",
    [
        {"results": [], "requests": [], "secret_ids": {}},
        {"results": None, "requests": "x", "secret_ids": "abc"},
        {},
    ],
)
def test_wrong_shapes_are_skipped(store: StateStore, document: object) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps(document))
    state = store.load()
    assert state.results == {}
    assert state.requests == {}
    assert state.secret_ids == set()


def test_damaged_state_is_replaced_on_the_next_update(store: StateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"{damaged")
    store.update(lambda s: s.secret_ids.add("new"))
    assert store.load().secret_ids == {"new"}


def test_unreadable_state_loads_as_empty(store: StateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.mkdir()
    assert store.load().secret_ids == set()


def test_state_with_a_huge_integer_loads_as_empty(store: StateStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b'{"secret_ids": [], "n": ' + b"7" * 5000 + b"}")
    assert store.load().secret_ids == set()


def test_secret_ids_are_saved_sorted_and_without_duplicates(store: StateStore) -> None:
    store.update(lambda s: s.secret_ids.update({"b", "a"}))
    store.update(lambda s: s.secret_ids.add("a"))
    store.update(lambda s: s.secret_ids.discard("b"))
    assert json.loads(store.path.read_text())["secret_ids"] == ["a"]


# --- the state as last written ------------------------------------------------------------


def _counting_loads(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads: list[int] = []
    original = store.load

    def load() -> State:
        loads.append(1)
        return original()

    monkeypatch.setattr(store, "load", load)
    return loads


def test_updates_in_a_row_read_the_file_once(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = _counting_loads(store, monkeypatch)
    for n in range(5):
        store.update(lambda s, n=n: s.record_result(f"e{n}", CheckResult(Status.CONNECTED, "ok")))
    assert len(loads) == 1  # the first; then the state as written
    assert sorted(store.load().results) == [f"e{n}" for n in range(5)]


def test_a_save_by_another_process_is_read_back_not_overwritten(
    paths: AppPaths, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = StateStore(paths)  # another process: its own store on the same file
    store.update(lambda s: s.record_result("mine", CheckResult(Status.CONNECTED, "ok")))
    loads = _counting_loads(store, monkeypatch)
    other.update(lambda s: s.record_result("theirs", CheckResult(Status.INVALID_KEY, "no")))
    store.update(lambda s: s.record_result("mine", CheckResult(Status.TIMEOUT, "slow")))
    assert len(loads) == 1  # the file changed: read again
    state = store.load()
    assert state.latest("theirs").status is Status.INVALID_KEY  # type: ignore[union-attr]
    assert [r.status for r in state.results["mine"]] == [Status.CONNECTED, Status.TIMEOUT]


def test_a_foreign_file_with_the_same_time_and_size_is_still_noticed(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(lambda s: s.record_result("aaaa", CheckResult(Status.CONNECTED, "ok")))
    written = store.path.stat()
    text = store.path.read_text().replace("aaaa", "bbbb")  # same size
    replacement = store.path.with_name("other.json")
    replacement.write_text(text)
    import os

    os.utime(replacement, ns=(written.st_atime_ns, written.st_mtime_ns))  # same time too
    os.replace(replacement, store.path)  # as any save does: a new file renamed into place
    store.update(lambda s: None)
    assert sorted(store.load().results) == ["bbbb"]


def test_a_failed_change_does_not_leave_a_half_changed_state_behind(
    store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(lambda s: s.record_result("kept", CheckResult(Status.CONNECTED, "ok")))

    def half(state: State) -> None:
        state.record_result("half", CheckResult(Status.CONNECTED, "ok"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.update(half)
    store.update(lambda s: None)
    assert sorted(store.load().results) == ["kept"]


def test_an_update_says_whether_the_file_held_only_what_the_caller_knew(
    paths: AppPaths, store: StateStore
) -> None:
    from sipstory_desktop.core.fileio import file_identity

    ok = CheckResult(Status.CONNECTED, "ok")
    _, first = store.update_noting(lambda s: s.record_result("a", ok))
    assert first is None  # a first save: nobody said what they had read
    _, second = store.update_noting(lambda s: s.record_result("a", ok))
    assert second is not None and second == file_identity(store.path)  # on our own save
    StateStore(paths).update(lambda s: s.record_result("b", ok))  # another process
    _, third = store.update_noting(lambda s: s.record_result("a", ok))
    assert third is None  # it folded in someone else's write: readers must read it
    known = file_identity(store.path)
    fresh = StateStore(paths)  # a window that has just read the file
    _, fourth = fresh.update_noting(lambda s: s.record_result("a", ok), known=known)
    assert fourth == file_identity(store.path)


# --- checks that sent no request (state.json "unsent") -------------------------------------


def _unsent(n: int) -> CheckResult:
    return CheckResult(
        Status.KEYRING_ERROR,
        f"unsent {n}",
        checked_at=NOW + timedelta(seconds=n),
        request_sent=False,
    )


def test_an_older_state_files_unsent_results_are_no_history_points() -> None:
    """Versions before 'unsent' kept a check that sent nothing in the history: read now,
    it is no point of the history nor the "last checked"; the newest is the last status."""
    older = {
        "schema": 1,
        "results": {"a": [_result(1).to_dict(), _unsent(2).to_dict(), _unsent(3).to_dict()]},
    }
    state = State.from_dict(json.loads(json.dumps(older)))
    assert state.results["a"] == [_result(1)]
    assert state.latest("a") == _result(1)
    assert state.shown("a") == _unsent(3)
    sent_since = {"results": {"b": [_unsent(1).to_dict(), _result(2).to_dict()]}}
    state = State.from_dict(json.loads(json.dumps(sent_since)))
    assert state.results["b"] == [_result(2)]
    assert state.shown("b") == _result(2)
    assert "b" not in state.unsent


def test_merging_keeps_an_outcome_saved_after_our_newer_result() -> None:
    """The window checked (sent) at 1; the CLI then found no key at 2 and saved it: merging
    the window's results into the file keeps the CLI's outcome as the last status."""
    ours = State()
    ours.record_result("a", _result(1))
    saved = State()
    saved.record_result("a", _unsent(2))
    merged = saved.with_newer_results_of(ours)
    assert merged.latest("a") == _result(1)
    assert merged.shown("a") == _unsent(2)
