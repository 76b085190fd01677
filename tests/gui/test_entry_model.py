"""The entry model: grouping by instance, every column and role, updates and lookups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.state import State
from sipstory_desktop.core.status import CheckResult, Light, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.gui.entry_filter import EntryFilterModel
from sipstory_desktop.gui.entry_model import EntryModel
from sipstory_desktop.gui.entry_texts import relative_time
from sipstory_desktop.gui.moments import date_time_text
from sipstory_desktop.gui.roles import Column, Role

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ZETA = "https://zeta.example.com/api/public/v1"
ACME = "https://acme.example.com/api/public/v1"
LOCAL = "http://127.0.0.1:8080/public/v1"
SEVERITY = {Light.GREEN: 0, Light.GREY: 1, Light.AMBER: 2, Light.RED: 3}


def entry(name: str, base_url: str = CLOUD_BASE_URL, **kwargs: str) -> Entry:
    kind = EntryKind.CLOUD if base_url == CLOUD_BASE_URL else EntryKind.CUSTOM
    kwargs.setdefault("key_hint", "wxyz")
    return Entry(name=name, kind=kind, base_url=base_url, **kwargs)  # type: ignore[arg-type]


def result(
    status: Status = Status.CONNECTED,
    *,
    ago: timedelta = timedelta(0),
    latency_ms: int | None = 120,
    retry_at: datetime | None = None,
    http_status: int | None = 200,
) -> CheckResult:
    return CheckResult(
        status,
        f"message of {status.value}",
        hint=f"hint of {status.value}",
        http_status=http_status,
        latency_ms=latency_ms,
        checked_at=utc_now() - ago,
        retry_at=retry_at,
    )


def cell(model: EntryModel, entry_id: str, column: Column, role: int = DISPLAY) -> object:
    """A cell's value for ``role``; tooltips as the view gets them (made on demand)."""
    index = model.index_of(entry_id, column)
    if role == TOOLTIP:
        assert index.data(TOOLTIP) is None  # none kept in the items: made when asked
        return model.tooltip(index)
    return index.data(role)


def picture(model: EntryModel, entry_id: str, column: Column) -> int | None:
    """The cache key of a cell's decoration (icon or pixmap), None without one."""
    value = model.index_of(entry_id, column).data(Qt.ItemDataRole.DecorationRole)
    return None if value is None else int(value.cacheKey())


def group_rows(model: EntryModel) -> list[str]:
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


def child_names(model: EntryModel, group_row: int) -> list[str]:
    parent = model.index(group_row, 0)
    return [model.index(r, Column.NAME, parent).data() for r in range(model.rowCount(parent))]


@pytest.fixture
def being_checked() -> set[str]:
    """The check session's record of the entries being checked: the model only reads it."""
    return set()


@pytest.fixture
def model(qtbot: QtBot, being_checked: set[str]) -> Iterator[EntryModel]:
    made = EntryModel(checking=being_checked)
    # Checks the model contract on every change made during the test; any complaint is a
    # Qt warning, which fails the test (qt_log_level_fail).
    tester = QAbstractItemModelTester(made, QAbstractItemModelTester.FailureReportingMode.Warning)
    yield made
    del tester


def start(model: EntryModel, being_checked: set[str], *entry_ids: str) -> None:
    """What the check session and the window do when checks start."""
    being_checked.update(entry_ids)
    model.show_checking(list(entry_ids))


def deliver(model: EntryModel, being_checked: set[str], entry_id: str, done: CheckResult) -> None:
    """What they do when a result arrives: no longer being checked, the result shown."""
    being_checked.discard(entry_id)
    model.set_result(entry_id, done)


# --- grouping -----------------------------------------------------------------------------


def test_groups_by_instance_with_the_cloud_first_then_alphabetically(model: EntryModel) -> None:
    entries = [
        entry("Zeta prod", ZETA),
        entry("Cloud one"),
        entry("Acme", ACME),
        entry("Local dev", LOCAL),
        entry("Cloud two"),
        entry("Zeta staging", ZETA),
    ]
    model.set_entries(entries, State())

    assert group_rows(model) == [
        "Sipstory Cloud (2)",
        "127.0.0.1:8080 (1)",
        "acme.example.com (1)",
        "zeta.example.com (2)",
    ]
    assert child_names(model, 0) == ["Cloud one", "Cloud two"]
    assert child_names(model, 3) == ["Zeta prod", "Zeta staging"]  # config order kept
    assert model.index(1, Column.INSTANCE).data() == "http://127.0.0.1:8080"
    assert model.index(0, Column.INSTANCE).data() == "https://api.sipstory.tech"
    assert model.tooltip(model.index(3, Column.NAME)) == "2 keys on https://zeta.example.com"
    assert model.tooltip(model.index(3, Column.LIGHT)) is None
    assert model.index(3, Column.NAME).data(Role.SORT) == "zeta.example.com"
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        assert group.data(Role.IS_GROUP) is True
        assert group.data(Role.ENTRY) is None
        assert group.data(Role.CHECKING) is False
        assert not group.parent().isValid()
        assert model.rowCount(model.index(row, Column.NAME)) == 0  # only column 0 has children
        for child_row in range(model.rowCount(group)):
            child = model.index(child_row, 0, group)
            assert child.parent() == group
            assert not child.data(Role.IS_GROUP)
            assert model.rowCount(child) == 0
    assert model.entries() == [entries[i] for i in (1, 4, 3, 2, 0, 5)]


@pytest.mark.parametrize(
    ("statuses", "working", "worst"),
    [
        ([Status.CONNECTED, Status.CONNECTED], 2, Status.CONNECTED),
        ([Status.CONNECTED, None], 1, Status.UNCHECKED),
        ([Status.CONNECTED, None, Status.RATE_LIMITED], 1, Status.RATE_LIMITED),
        ([Status.RATE_LIMITED, Status.TIMEOUT, Status.CONNECTED], 1, Status.TIMEOUT),
        ([None, None], 0, Status.UNCHECKED),
    ],
)
def test_a_group_row_counts_working_keys_and_shows_the_worst_light(
    model: EntryModel, statuses: list[Status | None], working: int, worst: Status
) -> None:
    entries = [entry(f"key {i}") for i in range(len(statuses))]
    state = State()
    for e, status in zip(entries, statuses, strict=True):
        if status is not None:
            state.record_result(e.id, result(status))
    model.set_entries(entries, state)

    group = model.index(0, Column.LIGHT)
    assert group.data() == f"{working} of {len(statuses)} working"
    assert Status(group.data(Role.STATUS)) is worst


# --- columns ------------------------------------------------------------------------------


def test_every_column_of_an_unchecked_entry(model: EntryModel) -> None:
    e = entry("Acme prod", ACME, note="the client's production key", key_hint="9f3a")
    model.set_entries([e], State())

    displays = [cell(model, e.id, column) for column in Column]
    assert displays == [
        "Not checked",
        "Acme prod",
        "/api/public/v1",
        "••••9f3a",
        "never",
        "",
        "0/30",
        "",
        "",  # the Test button is a picture
    ]
    art = model.art
    assert picture(model, e.id, Column.LIGHT) == art.light(Light.GREY).cacheKey()
    assert picture(model, e.id, Column.HISTORY) is None  # no result, no bars
    assert picture(model, e.id, Column.ACTION) == art.button(enabled=True).cacheKey()
    assert cell(model, e.id, Column.ACTION, Qt.ItemDataRole.AccessibleTextRole) == "Check"
    for column in (Column.NAME, Column.INSTANCE, Column.KEY, Column.CHECKED):
        assert picture(model, e.id, column) is None
    assert cell(model, e.id, Column.LIGHT, Role.SORT) == SEVERITY[Light.GREY]
    assert cell(model, e.id, Column.NAME, Role.SORT) == "acme prod"
    assert cell(model, e.id, Column.CHECKED, Role.SORT) == 0.0
    assert cell(model, e.id, Column.LATENCY, Role.SORT) == -1
    assert cell(model, e.id, Column.BUDGET, Role.SORT) == 0
    assert cell(model, e.id, Column.LIGHT, TOOLTIP) is None
    assert cell(model, e.id, Column.NAME, TOOLTIP) == "the client's production key"
    assert cell(model, e.id, Column.INSTANCE, TOOLTIP) == ACME
    assert cell(model, e.id, Column.CHECKED, TOOLTIP) is None
    assert "30 requests per hour" in str(cell(model, e.id, Column.BUDGET, TOOLTIP))
    assert cell(model, e.id, Column.ACTION, TOOLTIP) == "Check this key now (Ctrl+T)"
    assert model.result(e.id) is None
    assert cell(model, e.id, Column.HISTORY, Role.HISTORY) == ()
    assert Status(cell(model, e.id, Column.LIGHT, Role.STATUS)) is Status.UNCHECKED
    assert cell(model, e.id, Column.LIGHT, Qt.ItemDataRole.AccessibleTextRole) == "Not checked"
    assert cell(model, e.id, Column.LIGHT, Role.ENTRY) == e  # on the first cell only
    assert cell(model, e.id, Column.NAME, Role.ENTRY) is None


def test_a_key_without_a_hint_is_fully_masked(model: EntryModel) -> None:
    e = entry("short", key_hint="")
    model.set_entries([e], State(secret_ids={e.id}))  # a short key this app stored
    assert cell(model, e.id, Column.KEY) == "••••••••"


def test_every_column_of_a_checked_entry(model: EntryModel) -> None:
    e = entry("Acme prod", ACME, key_hint="9f3a")
    other = entry("Other", ACME)
    checked = result(Status.CONNECTED, ago=timedelta(minutes=3, seconds=10), latency_ms=87)
    state = State()
    state.record_result(e.id, result(Status.INVALID_KEY, ago=timedelta(hours=2)))
    state.record_result(e.id, checked)
    now = utc_now()
    for minutes in (1, 5, 20, 70):  # the last one is out of the hour
        state.record_request(e.id, now - timedelta(minutes=minutes))
    state.record_request(other.id, now)
    model.set_entries([e, other], state)

    assert cell(model, e.id, Column.LIGHT) == "Connected"
    assert cell(model, e.id, Column.CHECKED) == "3 min ago"
    assert cell(model, e.id, Column.CHECKED, TOOLTIP) == date_time_text(checked.checked_at)
    assert cell(model, e.id, Column.CHECKED, Role.SORT) == checked.checked_at.timestamp()
    assert cell(model, e.id, Column.LATENCY) == "87 ms"
    assert cell(model, e.id, Column.LATENCY, Role.SORT) == 87
    assert int(cell(model, e.id, Column.LATENCY, Qt.ItemDataRole.TextAlignmentRole)) & int(
        Qt.AlignmentFlag.AlignRight
    )
    assert cell(model, e.id, Column.BUDGET) == "3/30"
    assert cell(model, e.id, Column.BUDGET, Role.SORT) == 3
    assert cell(model, other.id, Column.BUDGET) == "1/30"
    assert cell(model, e.id, Column.LIGHT, TOOLTIP) == "message of connected\nhint of connected"
    assert cell(model, e.id, Column.LIGHT, Role.SORT) == SEVERITY[Light.GREEN]
    assert model.result(e.id) == checked
    assert cell(model, e.id, Column.HISTORY, Role.HISTORY) == (Light.RED, Light.GREEN)
    bars = model.art.history((Light.RED, Light.GREEN))
    assert bars is not None and picture(model, e.id, Column.HISTORY) == bars.cacheKey()
    assert picture(model, e.id, Column.LIGHT) == model.art.light(Light.GREEN).cacheKey()
    assert [r.status for r in model.history(e.id)] == [Status.INVALID_KEY, Status.CONNECTED]
    assert str(cell(model, e.id, Column.HISTORY, TOOLTIP)).startswith(
        "Last 2 results: 1 invalid key, 1 connected; working since"
    )
    assert (
        cell(model, e.id, Column.LIGHT, Qt.ItemDataRole.AccessibleTextRole)
        == "Connected: message of connected"
    )
    assert model.requests_last_hour(e.id) == 3


def test_a_result_without_latency_shows_none(model: EntryModel) -> None:
    e = entry("No answer")
    state = State()
    state.record_result(e.id, result(Status.UNREACHABLE, latency_ms=None, http_status=None))
    model.set_entries([e], state)
    assert cell(model, e.id, Column.LATENCY) == ""
    assert cell(model, e.id, Column.LATENCY, Role.SORT) == -1


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (timedelta(seconds=10), "just now"),
        (timedelta(minutes=1, seconds=5), "1 min ago"),
        (timedelta(minutes=59, seconds=30), "59 min ago"),
        (timedelta(hours=2, minutes=5), "2 h ago"),
        (timedelta(days=3, hours=1), "3 d ago"),
        (-timedelta(minutes=5), "just now"),  # a clock that went backwards
    ],
)
def test_relative_time(ago: timedelta, shown: str) -> None:
    now = utc_now()
    assert relative_time(now - ago, now) == shown
    assert relative_time(None, now) == "never"


@pytest.mark.parametrize("status", list(Status))
def test_every_status_gives_its_role_and_label(model: EntryModel, status: Status) -> None:
    e = entry("key")
    state = State()
    state.record_result(e.id, result(status))
    model.set_entries([e], state)

    assert Status(cell(model, e.id, Column.LIGHT, Role.STATUS)) is status
    assert cell(model, e.id, Column.LIGHT) == status.label
    assert cell(model, e.id, Column.LIGHT, Role.SORT) == SEVERITY[status.light]
    group = model.index(0, Column.LIGHT)
    assert Status(group.data(Role.STATUS)) is status
    assert group.data() == f"{int(status is Status.CONNECTED)} of 1 working"


def test_the_lights_of_the_statuses() -> None:
    lights = {status: status.light for status in Status}
    assert lights.pop(Status.CONNECTED) is Light.GREEN
    assert lights.pop(Status.RATE_LIMITED) is Light.AMBER
    assert lights.pop(Status.UNCHECKED) is Light.GREY
    assert set(lights.values()) == {Light.RED}


def test_rate_limited_says_when_to_try_again(model: EntryModel) -> None:
    later = utc_now() + timedelta(minutes=42)
    earlier = utc_now() - timedelta(minutes=1)
    waiting, done = entry("waiting"), entry("done")
    state = State()
    state.record_result(waiting.id, result(Status.RATE_LIMITED, retry_at=later))
    state.record_result(done.id, result(Status.RATE_LIMITED, retry_at=earlier))
    model.set_entries([waiting, done], state)

    assert cell(model, waiting.id, Column.LIGHT) == (
        f"Rate limited · again at {later.astimezone():%H:%M}"
    )
    assert cell(model, done.id, Column.LIGHT) == "Rate limited"


def test_headers(model: EntryModel) -> None:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers[:3] == ["Status", "Name", "Instance / path"]
    assert headers[Column.BUDGET] == "Last hour"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.columnCount() == len(Column)


# --- what a screen reader hears ------------------------------------------------------------

SPOKEN = Qt.ItemDataRole.AccessibleTextRole
SPOKEN_MORE = Qt.ItemDataRole.AccessibleDescriptionRole


def test_the_light_says_status_and_reason_and_what_to_do(model: EntryModel) -> None:
    failing, working = entry("Globex"), entry("Acme")
    state = State()
    state.record_result(failing.id, result(Status.INVALID_KEY))
    state.record_result(working.id, result(Status.CONNECTED))
    model.set_entries([failing, working], state)

    assert cell(model, failing.id, Column.LIGHT, SPOKEN) == "Invalid key: message of invalid_key"
    assert cell(model, failing.id, Column.LIGHT, SPOKEN_MORE) == "hint of invalid_key"
    assert cell(model, working.id, Column.LIGHT, SPOKEN_MORE) == ""  # nothing to do


def test_a_row_being_checked_says_so_until_its_result_comes(
    model: EntryModel, being_checked: set[str]
) -> None:
    e = entry("Acme")
    model.set_entries([e], State())

    start(model, being_checked, e.id)
    assert cell(model, e.id, Column.LIGHT, SPOKEN) == "Checking…"
    deliver(model, being_checked, e.id, result(Status.TIMEOUT))
    assert cell(model, e.id, Column.LIGHT, SPOKEN) == "Timed out: message of timeout"


def test_the_history_and_the_check_cell_have_names(model: EntryModel) -> None:
    e, new = entry("Acme"), entry("New")
    state = State()
    for status in (Status.CONNECTED, Status.INVALID_KEY, Status.CONNECTED):
        state.record_result(e.id, result(status))
    model.set_entries([e, new], state)

    assert cell(model, e.id, Column.HISTORY, SPOKEN) == "2 of the last 3 results working"
    assert cell(model, new.id, Column.HISTORY, SPOKEN) == "No results yet"
    assert cell(model, e.id, Column.ACTION, SPOKEN) == "Check"
    assert "Ctrl+T" in str(cell(model, e.id, Column.ACTION, SPOKEN_MORE))
    header = model.headerData(Column.ACTION, Qt.Orientation.Horizontal, SPOKEN)
    assert header == "Check"
    assert model.headerData(Column.ACTION, Qt.Orientation.Horizontal) == ""  # no title shown


def test_every_cell_of_an_instance_row_has_a_name(model: EntryModel) -> None:
    entries = [entry("Acme", ACME), entry("Acme staging", ACME)]
    state = State()
    state.record_result(entries[0].id, result(Status.CONNECTED))
    state.record_result(entries[1].id, result(Status.NO_SUBSCRIPTION))
    model.set_entries(entries, state)

    spoken = [model.index(0, column).data(SPOKEN) for column in Column]
    assert spoken[Column.LIGHT] == "1 of 2 working; worst: No subscription"
    assert spoken[Column.INSTANCE] == "https://acme.example.com"
    assert all(spoken)
    assert spoken[Column.KEY] == spoken[Column.NAME] == "acme.example.com (2)"


# --- updates ------------------------------------------------------------------------------


class Changes:
    """Every dataChanged of a model: (parent row or None, first row, last row, columns)."""

    def __init__(self, model: EntryModel) -> None:
        self.seen: list[tuple[int | None, int, int, int, int]] = []
        model.dataChanged.connect(self._record)

    def _record(self, first: QModelIndex, last: QModelIndex, _roles: object = None) -> None:
        parent = first.parent()
        self.seen.append(
            (
                parent.row() if parent.isValid() else None,
                first.row(),
                last.row(),
                first.column(),
                last.column(),
            )
        )

    def rows(self) -> set[tuple[int | None, int]]:
        return {(p, r) for p, first, last, _, _ in self.seen for r in range(first, last + 1)}


def test_set_result_and_show_checking_change_only_their_row(
    model: EntryModel, being_checked: set[str]
) -> None:
    cloud_a, cloud_b, acme = entry("a"), entry("b"), entry("c", ACME)
    model.set_entries([cloud_a, cloud_b, acme], State())
    changes = Changes(model)

    start(model, being_checked, cloud_b.id)
    assert cell(model, cloud_b.id, Column.LIGHT, Role.CHECKING) is True
    assert cloud_b.id in being_checked
    art = model.art
    assert picture(model, cloud_b.id, Column.LIGHT) == art.spinner(0).cacheKey()
    assert picture(model, cloud_b.id, Column.ACTION) == art.button(enabled=False).cacheKey()
    assert picture(model, cloud_a.id, Column.ACTION) == art.button(enabled=True).cacheKey()
    assert (0, 1) in changes.rows()
    assert changes.rows() <= {(0, 1), (None, 0)}
    for column in (Column.LIGHT, Column.ACTION):  # the light's spinner, the Test button
        assert any(
            p == 0 and first <= 1 <= last and c0 <= column <= c1
            for p, first, last, c0, c1 in changes.seen
        )

    changes.seen.clear()
    checked = result(Status.INVALID_KEY, http_status=401)
    deliver(model, being_checked, cloud_b.id, checked)
    assert changes.rows() == {(0, 1), (None, 0)}  # the row, and its group's light
    assert any(p == 0 and c0 == 0 and c1 == len(Column) - 1 for p, _, _, c0, c1 in changes.seen)
    assert cell(model, cloud_b.id, Column.LIGHT, Role.CHECKING) is False
    assert picture(model, cloud_b.id, Column.LIGHT) == art.light(Light.RED).cacheKey()
    assert picture(model, cloud_b.id, Column.ACTION) == art.button(enabled=True).cacheKey()
    assert model.result(cloud_b.id) == checked
    assert model.index(0, Column.LIGHT).data() == "0 of 2 working"
    assert Status(model.index(0, 0).data(Role.STATUS)) is Status.INVALID_KEY
    assert model.requests_last_hour(cloud_b.id) == 0  # a rejected key costs nothing

    changes.seen.clear()
    model.set_result(acme.id, result(Status.CONNECTED))
    assert changes.rows() == {(1, 0), (None, 1)}
    assert model.requests_last_hour(acme.id) == 1
    assert cell(model, acme.id, Column.BUDGET) == "1/30"

    changes.seen.clear()
    model.set_result("unknown-id", result())
    start(model, being_checked, "unknown-id")
    assert changes.seen == []


def test_set_state_keeps_a_newer_result_of_ours(model: EntryModel) -> None:
    ours_newer, theirs_newer, only_theirs = entry("a"), entry("b"), entry("c")
    model.set_entries([ours_newer, theirs_newer, only_theirs], State())
    model.set_result(ours_newer.id, result(Status.CONNECTED))
    model.set_result(theirs_newer.id, result(Status.TIMEOUT, ago=timedelta(minutes=5)))

    on_disk = State()
    on_disk.record_result(ours_newer.id, result(Status.SERVER_ERROR, ago=timedelta(minutes=10)))
    on_disk.record_result(theirs_newer.id, result(Status.CONNECTED))
    on_disk.record_result(only_theirs.id, result(Status.RATE_LIMITED))
    changes = Changes(model)
    model.set_state(on_disk)

    assert model.result(ours_newer.id).status is Status.CONNECTED  # type: ignore[union-attr]
    assert model.result(theirs_newer.id).status is Status.CONNECTED  # type: ignore[union-attr]
    assert model.result(only_theirs.id).status is Status.RATE_LIMITED  # type: ignore[union-attr]
    assert [r.status for r in model.history(ours_newer.id)] == [
        Status.SERVER_ERROR,
        Status.CONNECTED,
    ]
    assert (0, 2) in changes.rows()
    assert (None, 0) in changes.rows()
    assert cell(model, only_theirs.id, Column.LIGHT) == "Rate limited"


def test_set_state_survives_an_empty_history(model: EntryModel) -> None:
    e = entry("a")
    model.set_entries([e], State(results={e.id: []}))
    model.set_state(State())
    assert model.result(e.id) is None


def test_same_entries(model: EntryModel) -> None:
    a, b = entry("a"), entry("b")
    model.set_entries([a, b], State())
    assert model.same_entries([a, b])
    assert not model.same_entries([a])
    assert not model.same_entries([a, b.edited(name="B")])
    assert not model.same_entries([a, b, entry("c")])


def test_same_entries_ignores_the_grouped_order(model: EntryModel) -> None:
    hosted, cloud = entry("hosted", ACME), entry("cloud")
    model.set_entries([hosted, cloud], State())
    assert model.same_entries([hosted, cloud])


def test_lookups(model: EntryModel) -> None:
    a, b = entry("a", ACME), entry("b")
    state = State()
    state.record_result(a.id, result(Status.CONNECTED))
    model.set_entries([a, b], state)

    index = model.index_of(a.id)
    assert index.isValid() and index.column() == 0
    assert index.data(Role.ENTRY) == a
    assert index.parent().row() == 1  # acme's group comes after the cloud's
    assert model.index_of(a.id, Column.KEY).column() == Column.KEY
    assert model.index_of(b.id).parent().row() == 0
    assert not model.index_of("nope").isValid()
    assert model.entry(a.id) == a
    assert model.entry("nope") is None
    assert model.result(a.id).status is Status.CONNECTED  # type: ignore[union-attr]
    assert model.result(b.id) is None
    assert model.history(b.id) == []
    assert cell(model, a.id, Column.LIGHT, Role.CHECKING) is False
    assert not model.index(5, 0).isValid()
    assert model.index(0, 0).data(Role.ENTRY) is None
    assert model.data(QModelIndex()) is None
    assert not model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(index) & Qt.ItemFlag.ItemIsSelectable


def test_refresh_times_and_resets_keep_the_model_consistent(
    model: EntryModel, being_checked: set[str]
) -> None:
    entries = [entry(f"k{i}", (ACME, ZETA, CLOUD_BASE_URL)[i % 3]) for i in range(7)]
    model.set_entries(entries, State())
    model.refresh_times()
    for e in entries[::2]:
        start(model, being_checked, e.id)
        deliver(model, being_checked, e.id, result(Status.CONNECTED))
    model.set_state(State())
    model.set_entries(entries[:3], State())
    model.set_entries([], State())
    assert model.rowCount() == 0
    assert model.entries() == []


# --- the spinner, and thousands of rows -----------------------------------------------------


def test_the_spinner_turns_on_the_rows_being_checked_only(
    model: EntryModel, being_checked: set[str]
) -> None:
    a, b = entry("a"), entry("b")
    model.set_entries([a, b], State())
    start(model, being_checked, a.id)
    changes = Changes(model)
    frames = []
    for _ in range(3):
        model.advance_spinner()
        frames.append(picture(model, a.id, Column.LIGHT))
    assert len(set(frames)) == 3  # a new frame each time
    assert picture(model, b.id, Column.LIGHT) == model.art.light(Light.GREY).cacheKey()
    assert changes.rows() == {(0, 0)}  # only the checking row, only its light
    assert {(c0, c1) for _, _, _, c0, c1 in changes.seen} == {(Column.LIGHT, Column.LIGHT)}
    being_checked.discard(a.id)  # stopped without a result
    model.show_checking([a.id])
    assert picture(model, a.id, Column.LIGHT) == model.art.light(Light.GREY).cacheKey()


def many(count: int) -> list[Entry]:
    return [entry(f"key {n:04}", (CLOUD_BASE_URL, ACME, ZETA)[n % 3]) for n in range(count)]


def shown_ids(model: EntryModel) -> set[str]:
    return {e.id for e in model.entries() if model.index_of(e.id).isValid()}


def test_many_rows_are_made_a_few_per_turn_and_shown_at_once(
    qtbot: QtBot, model: EntryModel
) -> None:
    first, second = many(10), many(EntryModel.ROWS_PER_TURN * 3)
    model.set_entries(first, State())
    assert not model.filling and shown_ids(model) == {e.id for e in first}

    resets = []
    model.modelReset.connect(lambda: resets.append(len(shown_ids(model))))
    model.set_entries(second, State())
    assert model.filling
    assert {e.id for e in model.entries()} == {e.id for e in second}  # the newest set
    assert shown_ids(model) == set()  # the old rows stay until the new ones are made...
    assert [g.data() for g in map(lambda r: model.index(r, Column.NAME), range(3))] == [
        "Sipstory Cloud (4)",
        "acme.example.com (3)",
        "zeta.example.com (3)",
    ]
    with qtbot.waitSignal(model.filled, timeout=5000):
        pass
    assert not model.filling
    assert resets == [len(second)]  # ...then all of them appear in one change
    assert shown_ids(model) == {e.id for e in second}
    assert sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount())) == len(second)


def test_a_newer_set_of_entries_replaces_one_being_made(qtbot: QtBot, model: EntryModel) -> None:
    model.set_entries(many(EntryModel.ROWS_PER_TURN * 3), State())
    final = many(5)
    model.set_entries(final, State())
    assert not model.filling and shown_ids(model) == {e.id for e in final}
    qtbot.wait(50)
    assert shown_ids(model) == {e.id for e in final}


def test_results_arriving_while_rows_are_made_are_shown(
    qtbot: QtBot, model: EntryModel, being_checked: set[str]
) -> None:
    entries = many(EntryModel.ROWS_PER_TURN * 2)
    model.set_entries(entries, State())
    start(model, being_checked, entries[-1].id)
    model.set_result(entries[0].id, result(Status.CONNECTED))
    qtbot.waitUntil(lambda: not model.filling, timeout=5000)
    assert cell(model, entries[0].id, Column.LIGHT) == "Connected"
    assert cell(model, entries[-1].id, Column.LIGHT, Role.CHECKING) is True


def test_refreshing_many_rows_goes_a_few_per_turn(qtbot: QtBot, model: EntryModel) -> None:
    entries = many(EntryModel.ROWS_PER_TURN * 3)
    model.set_entries(entries, State())
    qtbot.waitUntil(lambda: not model.filling, timeout=5000)
    state = State()
    for e in entries:
        state.record_result(e.id, result(Status.INVALID_KEY))
    changes = Changes(model)
    model.set_state(state)
    assert 0 < len({r for r in changes.rows() if r[0] is not None}) < len(entries)
    qtbot.waitUntil(lambda: all(cell(model, e.id, Column.LIGHT) == "Invalid key" for e in entries))


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sorting_keeps_the_instances_in_their_order(model: EntryModel, order: Qt.SortOrder) -> None:
    entries = [entry("b", ACME), entry("C"), entry("a"), entry("c", ACME), entry("B")]
    model.set_entries(entries, State())
    model.sort_entries(Column.NAME, order)
    expected = [["a", "B", "C"], ["b", "c"]]
    if order == Qt.SortOrder.DescendingOrder:
        expected = [names[::-1] for names in expected]
    assert [child_names(model, 0), child_names(model, 1)] == expected
    assert group_rows(model)[0] == "Sipstory Cloud (3)"

    model.set_entries([*entries, entry("A")], State())  # a new set comes sorted the same way
    assert child_names(model, 0)[0 if order == Qt.SortOrder.AscendingOrder else -1] in ("a", "A")


def test_sorting_by_a_number_column(model: EntryModel) -> None:
    slow, fast, unchecked = entry("slow"), entry("fast"), entry("unchecked")
    state = State()
    state.record_result(slow.id, result(latency_ms=900))
    state.record_result(fast.id, result(latency_ms=40))
    model.set_entries([slow, fast, unchecked], state)
    model.sort_entries(Column.LATENCY, Qt.SortOrder.AscendingOrder)
    assert child_names(model, 0) == ["unchecked", "fast", "slow"]


def test_the_filter_keeps_matching_keys_and_their_instances(qtbot: QtBot) -> None:
    model = EntryModel()
    proxy = EntryFilterModel()
    proxy.setSourceModel(model)
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_entries([entry("Acme prod", ACME), entry("Globex"), entry("acme staging")], State())

    def names() -> list[list[str]]:
        return [
            [
                proxy.index(r, Column.NAME, proxy.index(g, 0)).data()
                for r in range(proxy.rowCount(proxy.index(g, 0)))
            ]
            for g in range(proxy.rowCount())
        ]

    assert names() == [["Globex", "acme staging"], ["Acme prod"]]
    proxy.set_filter_text("  ACME ")
    assert names() == [["acme staging"], ["Acme prod"]]
    proxy.set_filter_text("/api/public")  # the path column counts too
    assert names() == [["Acme prod"]]
    globex = next(e for e in model.entries() if e.name == "Globex")
    model.setData(model.index_of(globex.id, Column.ACTION), "zz-in-the-button-cell")
    proxy.set_filter_text("zz-in-the-button")  # but not the Check button's cell
    assert names() == []
    proxy.set_filter_text("")
    assert len(names()) == 2
    proxy.sort(Column.NAME, Qt.SortOrder.DescendingOrder)  # handed to the source model
    assert names()[0] == ["Globex", "acme staging"]
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    assert names()[0] == ["acme staging", "Globex"]
    del tester


def test_hundreds_of_started_checks_are_shown_a_few_rows_per_turn(
    qtbot: QtBot, model: EntryModel, being_checked: set[str]
) -> None:
    entries = many(EntryModel.ROWS_PER_TURN * 3)
    model.set_entries(entries, State())
    qtbot.waitUntil(lambda: not model.filling, timeout=5000)
    ids = [e.id for e in model.entries()]

    def spinning() -> set[str]:
        return {i for i in ids if cell(model, i, Column.LIGHT, Role.CHECKING)}

    start(model, being_checked, *ids)
    assert spinning() == set(ids[: EntryModel.ROWS_PER_TURN])  # the first rows at once
    assert being_checked == set(ids)  # all of them are, for the window
    done = ids[-1]
    deliver(model, being_checked, done, result(Status.CONNECTED))  # before its row was marked
    qtbot.waitUntil(lambda: spinning() == set(ids[:-1]), timeout=5000)
    qtbot.wait(20)
    assert cell(model, done, Column.LIGHT) == "Connected"
    assert not cell(model, done, Column.LIGHT, Role.CHECKING)


def test_the_spinner_can_turn_on_the_rows_in_view_only(
    model: EntryModel, being_checked: set[str]
) -> None:
    a, b, c = entry("a"), entry("b"), entry("c")
    model.set_entries([a, b, c], State())
    start(model, being_checked, a.id, b.id)
    before = {e.id: picture(model, e.id, Column.LIGHT) for e in (a, b, c)}
    model.advance_spinner(visible=[b.id, c.id])
    assert picture(model, a.id, Column.LIGHT) == before[a.id]  # out of view: left as it was
    assert picture(model, b.id, Column.LIGHT) != before[b.id]
    assert picture(model, c.id, Column.LIGHT) == before[c.id]  # in view, not checking


def test_new_results_reach_the_rows_made_before_they_came(qtbot: QtBot, model: EntryModel) -> None:
    entries = many(EntryModel.ROWS_PER_TURN * 3)
    model.set_entries(entries, State())
    model._next_turn()  # some rows made, not shown yet
    assert model.filling
    state = State()
    for e in entries:
        state.record_result(e.id, result(Status.CONNECTED))
    model.set_state(state)
    qtbot.waitUntil(lambda: not model.filling, timeout=5000)
    qtbot.wait(50)
    assert {cell(model, e.id, Column.LIGHT) for e in entries} == {"Connected"}


@pytest.mark.parametrize("before", [Column.NAME, Column.KEY])
def test_a_sort_chosen_while_rows_are_made_is_applied(
    qtbot: QtBot, model: EntryModel, before: Column
) -> None:
    entries = many(EntryModel.ROWS_PER_TURN * 2)
    model.sort_entries(before, Qt.SortOrder.AscendingOrder)
    model.set_entries(entries, State())
    model.sort_entries(Column.NAME, Qt.SortOrder.DescendingOrder)  # a header click meanwhile
    qtbot.waitUntil(lambda: not model.filling, timeout=5000)
    for group in range(model.rowCount()):
        names = child_names(model, group)
        assert names == sorted(names, key=str.casefold, reverse=True)


def test_a_finished_check_does_not_hide_a_row_the_filter_showed(qtbot: QtBot) -> None:
    model = EntryModel()
    proxy = EntryFilterModel()
    proxy.setSourceModel(model)
    shown, other = entry("shown"), entry("other")
    model.set_entries([shown, other], State())
    proxy.set_filter_text("never")  # "Last checked: never": both rows
    assert proxy.rowCount(proxy.index(0, 0)) == 2
    model.set_result(shown.id, result(Status.CONNECTED))  # now "just now"
    assert proxy.rowCount(proxy.index(0, 0)) == 2  # until the filter is changed
    proxy.set_filter_text("neve")
    assert proxy.rowCount(proxy.index(0, 0)) == 1


def test_a_saved_entry_is_shown_from_what_was_saved(model: EntryModel) -> None:
    a, b = entry("a"), entry("b", ACME)
    model.set_entries([a, b], State())
    model.set_result(a.id, result(Status.CONNECTED))
    renamed = a.edited(name="a (renamed)")
    model.put_entry(renamed)  # an edit: the same row, its new name, its results kept
    assert child_names(model, 0) == ["a (renamed)"]
    assert model.entry(a.id) == renamed
    assert model.result(a.id) is not None and model.result(a.id).status is Status.CONNECTED  # type: ignore[union-attr]
    added = entry("c")
    model.put_entry(added)  # an add: a new row in its instance
    assert sorted(child_names(model, 0)) == ["a (renamed)", "c"]
    model.drop_entry(b.id)  # a removal: the row and its instance gone
    assert group_rows(model) == ["Sipstory Cloud (2)"]
    assert {e.id for e in model.entries()} == {a.id, added.id}
