"""The window fits what it shows (issue 15): the details pane never scrolls sideways, its
secondary line reads at normal contrast and says a state, and every pane writes a moment
in local time, in one format. Pixels and geometry are measured on the real window."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDeadlineTimer, QPoint, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.entries import MAX_NAME_LENGTH, Entry
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.times import utc_now
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui import moments
from sipstory_desktop.gui.color_scheme import dark_palette
from sipstory_desktop.gui.entry_list import COLUMN_WIDTHS
from sipstory_desktop.gui.lights import contrast
from sipstory_desktop.gui.moments import date_time_text
from sipstory_desktop.gui.roles import Column
from sipstory_desktop.gui.window import MainWindow
from tests.support.window import MakeWindow, Seed, select

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

LONG_NAME = "N" * MAX_NAME_LENGTH  # one word: nowhere to wrap it at a space
FAKE_KEY = "0123456789abcdef" * 4  # 64 hex characters, shaped as a key; known to no server
LONG_KEYRING = "SecretServiceKeyring(org.freedesktop.secrets/collection/login)"


@pytest.fixture(params=["light", "dark"])
def palette_shade(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The application in its light (standard) palette, or in the app's dark one."""
    before = QPalette(qapp.palette())
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    yield str(request.param)
    qapp.setPalette(before)


def _record(vault: Vault, entry: Entry, statuses: list[Status]) -> list[CheckResult]:
    now = utc_now()
    results = [
        CheckResult(status, status.label, checked_at=now - timedelta(minutes=15 * (9 - n)))
        for n, status in enumerate(statuses)
    ]

    def write(state: object) -> None:
        for result in results:
            state.record_result(entry.id, result)  # type: ignore[attr-defined]

    vault.state.update(write)
    return results


def _area(window: MainWindow) -> QScrollArea:
    area = window.details.parentWidget().parentWidget()
    assert isinstance(area, QScrollArea)
    return area


def _on_window(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _pixels(image: QImage) -> list[QColor]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


# --- item 2: the details pane never scrolls sideways ---------------------------------------


def test_a_long_name_a_revealed_key_and_a_long_keyring_never_widen_the_details(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    entry = seed([(LONG_NAME, server.api_base, "k" * 20)])[0]
    shown = window()
    shown.resize(800, 600)
    select(shown, entry.id)
    shown.details.show_entry(entry, keyring_name=LONG_KEYRING)
    shown.details.reveal_key(FAKE_KEY)
    area = _area(shown)
    viewport = area.viewport()
    labels = [shown.details.findChild(QLabel, n) for n in ("detailsTitle", "detailsKey")]

    def laid_out() -> bool:  # the layout runs from the event loop, maybe in several passes
        return shown.details.width() <= viewport.width() and all(
            label is not None and label.height() >= label.heightForWidth(label.width())
            for label in labels
        )

    qtbot.waitUntil(laid_out)

    assert not area.horizontalScrollBar().isVisible()
    assert shown.details.minimumSizeHint().width() <= viewport.width()
    visible = QRect(QPoint(0, 0), viewport.size())
    for name in ("edit", "replace_key", "remove", "find_url", "copy_curl"):
        button = shown.details.buttons[name]
        where = QRect(button.mapTo(viewport, QPoint(0, 0)), button.size())
        assert visible.left() <= where.left() and where.right() <= visible.right(), name
    for label_name in ("detailsTitle", "detailsKey", "detailsKeyring"):
        label = shown.details.findChild(QLabel, label_name)
        assert label is not None
        where = QRect(label.mapTo(viewport, QPoint(0, 0)), label.size())
        assert where.right() <= visible.right(), label_name
        assert label.height() >= label.heightForWidth(label.width()), label_name  # not cut
    title = shown.details.findChild(QLabel, "detailsTitle")
    assert title is not None and title.text() == LONG_NAME and title.toolTip() == LONG_NAME
    assert shown.details.findChild(QLabel, "detailsKey").toolTip() == ""  # never the key


# --- item 4: "Working since ...", enabled, at normal contrast --------------------------------


def test_the_since_line_says_a_state_and_is_an_enabled_label(
    window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    entry = seed([("Acme", server.api_base, "k" * 20)])[0]
    results = _record(vault, entry, [Status.INVALID_KEY, Status.CONNECTED, Status.CONNECTED])
    shown = window()
    select(shown, entry.id)
    since = shown.details.findChild(QLabel, "detailsSince")
    assert since is not None
    assert since.isEnabled()
    assert since.text() == f"Working since {date_time_text(results[1].checked_at)}"


def test_the_since_line_has_a_contrast_of_at_least_4_5_measured_on_its_pixels(
    palette_shade: str, window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    entry = seed([("Acme", server.api_base, "k" * 20)])[0]
    _record(vault, entry, [Status.CONNECTED])
    shown = window()
    select(shown, entry.id)
    since = shown.details.findChild(QLabel, "detailsSince")
    assert since is not None and since.text().startswith("Working since")
    pixels = _pixels(shown.grab(_on_window(shown, since)).toImage())
    background = Counter(c.rgb() for c in pixels).most_common(1)[0][0]
    strongest = max(contrast(c, QColor.fromRgb(background)) for c in pixels)
    assert strongest >= 4.5, palette_shade
    # secondary: quieter than the status line above it, not the same black or white
    text = since.palette().color(QPalette.ColorRole.WindowText)
    assert text != shown.details.palette().color(QPalette.ColorRole.WindowText)


# --- item 7: one time zone, one format -----------------------------------------------------


def test_every_pane_writes_a_moment_in_one_format(
    window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    entry = seed([("Acme", server.api_base, "k" * 20)])[0]
    results = _record(vault, entry, [Status.CONNECTED, Status.INVALID_KEY])
    shown = window()
    select(shown, entry.id)
    latest = date_time_text(results[-1].checked_at)
    assert shown.details._checked.text() == latest
    assert shown.details._recent.item(0).text().startswith(latest + "  ")
    assert shown.details._since.text().endswith(date_time_text(results[-1].checked_at))
    tooltip = shown.model.tooltip(shown.model.index_of(entry.id, Column.CHECKED))
    assert tooltip == latest
    history = shown.model.tooltip(shown.model.index_of(entry.id, Column.HISTORY))
    assert str(history).endswith(f"failing since {latest}")


# --- item 7: at 800 x 600 every column of the list is in view -------------------------------


def _wait_laid_out(
    qtbot: QtBot,
    shown: MainWindow,
    width: int,
    height: int,
    until: Callable[[], bool] = lambda: True,
) -> None:
    """Resize ``shown`` and wait for its layout (which runs from the event loop, in passes:
    a scroll bar shown or hidden narrows a view again) to reach ``until``."""
    shown.resize(width, height)
    qtbot.waitUntil(lambda: (shown.width(), shown.height()) == (width, height) and until())


def test_at_800_by_600_every_column_is_in_view_without_scrolling_sideways(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    entries = seed(
        [
            ("Acme Agency with a rather long name", server.api_base, "a" * 20),
            ("Globex (rotated)", server.api_base, "g" * 20),
        ]
    )
    _record(vault, entries[0], [Status.CONNECTED] * 5)
    shown = window()
    view = shown.entry_list
    _wait_laid_out(qtbot, shown, 800, 600, lambda: view.horizontalScrollBar().maximum() == 0)
    header = view.header()
    viewport = view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    metrics = view.fontMetrics()
    for column in Column:
        left = header.sectionViewportPosition(column)
        width = header.sectionSize(column)
        assert left >= 0 and left + width <= viewport, column.name
        index = view.proxy.mapFromSource(shown.model.index_of(entries[0].id, column))
        text = index.data()
        if column in (Column.KEY, Column.CHECKED, Column.LATENCY, Column.BUDGET) and text:
            assert metrics.horizontalAdvance(str(text)) < width, column.name  # not elided
    assert header.sectionSize(Column.ACTION) >= view.button_delegate.button_size.width()
    assert header.sectionSize(Column.LIGHT) < 240  # the Status column gives way
    # the details under the list, their actions in view without scrolling either way
    select(shown, entries[0].id)
    assert shown.details.wide
    area = _area(shown)

    def out_of_view() -> list[str]:
        seen = area.viewport().rect()
        return [
            name
            for name in ("check", "edit", "replace_key", "remove", "find_url", "copy_curl")
            if not seen.contains(
                QRect(shown.details.buttons[name].mapTo(area.viewport(), QPoint(0, 0)),
                      shown.details.buttons[name].size())
            )
        ]  # fmt: skip

    qtbot.waitUntil(lambda: not out_of_view())
    assert area.verticalScrollBar().value() == 0


def test_a_wide_window_keeps_the_details_beside_the_list_and_the_first_widths(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    seed([("Acme", server.api_base, "a" * 20)])
    shown = window()
    light = dict(COLUMN_WIDTHS)[Column.LIGHT]
    beside = Qt.Orientation.Horizontal

    def side_by_side() -> bool:
        return shown.splitter.orientation() == beside and not shown.details.wide

    def first_widths() -> bool:
        return side_by_side() and shown.entry_list.columnWidth(Column.LIGHT) == light

    _wait_laid_out(qtbot, shown, 1480, 740, first_widths)
    _wait_laid_out(qtbot, shown, 800, 600, lambda: not side_by_side())
    assert shown.splitter.orientation() == Qt.Orientation.Vertical  # the details under it
    assert shown.details.wide
    _wait_laid_out(qtbot, shown, 1480, 740, first_widths)


def test_a_column_the_user_widened_keeps_its_width(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    seed([("Acme", server.api_base, "a" * 20)])
    shown = window()
    _wait_laid_out(qtbot, shown, 800, 600)
    shown.entry_list.setColumnWidth(Column.NAME, 300)
    _wait_laid_out(qtbot, shown, 780, 600, lambda: shown.entry_list.viewport().width() < 780)
    QApplication.processEvents()
    assert shown.entry_list.columnWidth(Column.NAME) == 300


# --- item 7: the grey light on a selected row -----------------------------------------------


def test_the_grey_light_stands_out_on_a_selected_row(
    palette_shade: str, window: MakeWindow, server: SipstoryTestServer, seed: Seed
) -> None:
    """The unchecked light on the selection's highlight: a shape of at least 3:1 against
    the highlight (WCAG's minimum for graphics), measured on the row's pixels."""
    entry = seed([("Never checked", server.api_base, "k" * 20)])[0]
    shown = window()
    select(shown, entry.id)
    view = shown.entry_list
    view.setFocus()
    view.viewport().repaint()
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    ratio = image.devicePixelRatio()
    cell = view.visualRect(view.proxy.mapFromSource(shown.model.index_of(entry.id)))
    side = shown.model.art.light_side
    box = QRect(
        round(cell.left() * ratio), round(cell.top() * ratio),
        round((side + 10) * ratio), round(cell.height() * ratio),
    )  # fmt: skip
    pixels = _pixels(image.copy(box))
    highlight = view.palette().color(QPalette.ColorRole.Highlight)
    background = QColor.fromRgb(Counter(c.rgb() for c in pixels).most_common(1)[0][0])
    assert contrast(background, highlight) < 1.1  # the row is selected: that is its colour
    standing_out = [c for c in pixels if contrast(c, highlight) >= 3.0]
    assert len(standing_out) >= side, palette_shade  # a ring and a dash, not a speck


def test_widths_kept_by_a_version_without_fitting_stay_the_users(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    seed([("Acme", server.api_base, "a" * 20)])
    first = window()
    _wait_laid_out(qtbot, first, 1480, 740)  # room for every width: nothing narrowed
    first.entry_list.setColumnWidth(Column.KEY, 140)
    first.layout_kept.save()  # what closing it keeps (it stays open: nothing is torn down)
    settings = QSettings(str(vault.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)
    settings.remove("window/pinned_columns")  # as an older version left window.ini
    settings.sync()
    second = window()
    name = dict(COLUMN_WIDTHS)[Column.NAME]
    _wait_laid_out(
        qtbot, second, 1480, 740, lambda: second.entry_list.columnWidth(Column.NAME) == name
    )
    assert second.entry_list.columnWidth(Column.KEY) == 140


def test_the_since_line_keeps_its_contrast_when_the_desktop_turns_dark(
    qtbot: QtBot, qapp: QApplication, window: MakeWindow, server: SipstoryTestServer,
    seed: Seed, vault: Vault,
) -> None:  # fmt: skip
    entry = seed([("Acme", server.api_base, "k" * 20)])[0]
    _record(vault, entry, [Status.CONNECTED])
    shown = window()
    select(shown, entry.id)
    since = shown.details.findChild(QLabel, "detailsSince")
    assert since is not None
    before = QPalette(qapp.palette())
    try:
        qapp.setPalette(dark_palette())
        dark_window = dark_palette().color(QPalette.ColorRole.Window)
        qtbot.waitUntil(lambda: since.palette().color(QPalette.ColorRole.Window) == dark_window)
        QApplication.processEvents()
        text = since.palette().color(QPalette.ColorRole.WindowText)
        assert contrast(text, dark_window) >= 4.5
    finally:
        qapp.setPalette(before)


# --- a window closed right after its list was read -----------------------------------------


def test_a_window_deleted_right_after_its_list_is_shown_leaves_nothing_to_run(
    qtbot: QtBot, vault: Vault, server: SipstoryTestServer, seed: Seed
) -> None:
    """The list settles a millisecond after it is shown (list_loader.py); a window closed
    and deleted in between must not be called back (a loaded machine shows the gap: the
    next test failed with "Signal source has been deleted")."""
    seed([("Acme", server.api_base, "a" * 20)])
    made = MainWindow(vault)
    gone: list[bool] = []

    def close_and_delete() -> None:
        made.close()
        shiboken6.delete(made)
        gone.append(True)

    # Queued before the loader's 1 ms settle (a 0 ms timer is due first): the window is
    # deleted in the gap, every time.
    made.loader.shown.connect(lambda _reselect: QTimer.singleShot(0, close_and_delete))
    with qtbot.captureExceptions() as raised:
        made.show()
        qtbot.waitUntil(lambda: bool(gone))
        deadline = QDeadlineTimer(200)
        while not deadline.hasExpired():  # the settle would have run by now
            QApplication.processEvents()
    assert [str(error[1]) for error in raised] == []


def test_every_pane_writes_its_moments_through_one_module() -> None:
    """No pane formats a time itself (a second format, or UTC beside local time, would
    come back): they all call gui/moments.py."""
    gui = Path(moments.__file__).parent
    own_formats = re.compile(r"astimezone\(|strftime|%H|QDateTime|\"d MMM")
    offenders = [
        f"{path.relative_to(gui)}:{number}"
        for path in sorted(gui.rglob("*.py"))
        if path.name != "moments.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own_formats.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("size", [(1024, 768), (800, 600)])
def test_the_status_column_keeps_room_for_a_status_under_the_indentation(
    qtbot: QtBot,
    window: MakeWindow,
    server: SipstoryTestServer,
    seed: Seed,
    vault: Vault,
    size: tuple[int, int],
) -> None:
    """The entry rows are indented under their instance's group row: the Status column's
    minimum counts the indentation, so a narrowed column still shows a short status
    ("Connected") whole, not "Co…"."""
    entries = seed(
        [(f"Org {n} with a rather long name", server.api_base, f"{n}" * 20) for n in range(4)]
    )
    for entry in entries:
        _record(vault, entry, [Status.CONNECTED])
    shown = window()
    view = shown.entry_list
    view.expandAll()
    _wait_laid_out(qtbot, shown, *size, lambda: view.horizontalScrollBar().maximum() == 0)
    QApplication.processEvents()
    index = view.proxy.mapFromSource(shown.model.index_of(entries[0].id, Column.LIGHT))
    assert index.data() == "Connected"
    room = view.visualRect(index).width() - view.iconSize().width() - 6 - 8  # icon, margins
    assert room >= view.fontMetrics().horizontalAdvance("Connected"), (room, size)


LONG_BASE_URL = "https://sipstory-self-hosted-for-the-marketing-department.intranet.example.com:8443/tenants/marketing-and-communications/api/public/v1"


def test_a_long_base_url_and_a_long_note_never_widen_the_details(
    qtbot: QtBot, window: MakeWindow, seed: Seed
) -> None:
    """A base URL has no spaces to wrap at (nor has a pasted token in a note): the pane
    keeps its width, and the address is wrapped in view, not cut at its right edge."""
    entry = seed([("Marketing", LONG_BASE_URL, "k" * 20)], note="see " + "x" * 120)[0]
    shown = window()
    _wait_laid_out(qtbot, shown, 800, 600)
    select(shown, entry.id)
    area = _area(shown)
    viewport = area.viewport()
    qtbot.waitUntil(lambda: shown.details.width() <= viewport.width())
    QApplication.processEvents()

    assert shown.details.minimumSizeHint().width() <= viewport.width()
    visible = QRect(QPoint(0, 0), viewport.size())
    for label in shown.details.findChildren(QLabel):
        if label.isVisibleTo(shown.details) and label.text() in (LONG_BASE_URL, entry.note):
            where = QRect(label.mapTo(viewport, QPoint(0, 0)), label.size())
            assert where.right() <= visible.right(), label.text()[:20]


def test_on_a_short_screen_the_details_show_every_action_without_scrolling(
    qtbot: QtBot, window: MakeWindow, server: SipstoryTestServer, seed: Seed, vault: Vault
) -> None:
    # The recent results give way first: at their full height they pushed the last row of
    # actions below the pane (a vertical scroll bar, "Use in a terminal" cut).
    note = "This key was rotated in Settings, Developers: red. " * 2
    entry = seed([("Globex (rotated)", server.api_base, "g" * 20)], note=note)[0]
    long_text = "The server rejected the key: Invalid API key. " * 3
    now = utc_now()

    def write(state: object) -> None:
        for n in range(10):
            result = CheckResult(
                Status.INVALID_KEY, long_text, long_text, checked_at=now - timedelta(minutes=n)
            )
            state.record_result(entry.id, result)  # type: ignore[attr-defined]

    vault.state.update(write)
    shown = window()
    select(shown, entry.id)
    area = _area(shown)
    _wait_laid_out(qtbot, shown, 1480, 660, lambda: not shown.details.wide)
    shown.details.show_entry(entry, keyring_name=LONG_KEYRING)
    qtbot.waitUntil(lambda: shown.details.height() <= area.viewport().height())

    assert not area.verticalScrollBar().isVisible()
    visible = QRect(QPoint(0, 0), area.viewport().size())
    for name, button in shown.details.buttons.items():
        if button.isVisible():
            where = QRect(button.mapTo(area.viewport(), QPoint(0, 0)), button.size())
            assert visible.contains(where), name
