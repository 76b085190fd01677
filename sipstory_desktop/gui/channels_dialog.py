"""The dialog that lists the channels (integrations) of one entry's organization.

It shows the channels as last fetched and when; fetching again is the window's job (one
request with the entry's key, off the GUI thread): the dialog asks for it with a signal and
is answered through :meth:`ChannelsDialog.show_cache` or :meth:`ChannelsDialog.show_failure`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.channels import Channel, ChannelCache
from ..core.status import CheckResult
from ..core.times import utc_now
from .entry_texts import relative_time
from .moments import date_time_text
from .platforms import platform_icon, platform_name
from .widgets import ResultPanel, plain_label

_BADGE_SIZE = 20
_CLOCK_MS = 30_000  # how often "3 min ago" is brought up to date


class _Col(enum.IntEnum):
    PLATFORM = 0
    CHANNEL = 1
    PROFILE = 2
    STATE = 3
    CUSTOMER = 4


class ChannelsDialog(QDialog):
    """The channels of one entry, as last fetched.

    Signals:
        refresh_requested(): fetch the channels again; answer with :meth:`show_cache` or
            :meth:`show_failure` (the window calls :meth:`set_busy` meanwhile).
    """

    refresh_requested = Signal()

    def __init__(self, entry_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cache: ChannelCache | None = None
        self.setWindowTitle(self.tr("Channels of {name}").format(name=entry_name))
        self._fetched = plain_label(object_name="fetchedLabel")
        self._count = plain_label(object_name="countLabel")
        self._count.setWordWrap(False)
        self._list = self._make_list()
        self._empty = plain_label(object_name="emptyLabel")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty.setBackgroundRole(QPalette.ColorRole.Base)
        self._empty.setAutoFillBackground(True)
        self._empty.setFrameShape(QFrame.Shape.StyledPanel)
        self._empty.setMargin(self.fontMetrics().height())
        self._pages = QStackedWidget()
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._list)
        self._failure = ResultPanel()
        self._failure.setObjectName("fetchFailure")
        self._failure.setAccessibleName(self.tr("Fetch failed"))
        self._fetch = QPushButton(self.tr("&Fetch channels"))
        self._fetch.setObjectName("fetchButton")
        self._fetch.setAccessibleName(self.tr("Fetch channels"))
        cost = self.tr("Uses one of the organization's 30 requests per hour.")
        self._fetch.setToolTip(
            self.tr("Ask the server for the channels with this entry's key.") + " " + cost
        )
        self._fetch.setAccessibleDescription(cost)
        self._fetch.setAutoDefault(False)  # Enter never spends a request by accident
        self._fetch.clicked.connect(self.refresh_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self._lay_out(plain_label(cost, "costLabel"), buttons)
        self._clock = QTimer(self)
        self._clock.setInterval(_CLOCK_MS)
        self._clock.timeout.connect(self._show_fetched)
        self._clock.start()
        self.show_cache(None)

    # --- public --------------------------------------------------------------------------

    @Slot(object)
    def show_cache(self, cache: ChannelCache | None, now: datetime | None = None) -> None:
        """Show ``cache`` (None: never fetched) as of ``now``; ends the busy state."""
        self._cache = cache
        self.set_busy(False)
        self._failure.hide()
        self._fill(cache.channels if cache else ())
        if cache is None:
            self._empty.setText(
                self.tr("Press Fetch channels to list the channels this key can post to.")
            )
        elif not cache.channels:
            self._empty.setText(self.tr("This organization has no channels yet."))
        self._pages.setCurrentWidget(self._list if cache and cache.channels else self._empty)
        self._show_fetched(now)

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        """While busy the fetch button is off and says so; the list stays as it is."""
        self._fetch.setEnabled(not busy)
        self._fetch.setText(self.tr("Fetching…") if busy else self.tr("&Fetch channels"))
        if busy:
            self._failure.hide()
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    @Slot(object)
    def show_failure(self, result: CheckResult) -> None:
        """Show why a fetch failed (light, message, hint); any list shown stays."""
        self.set_busy(False)
        self._failure.show_result(result, outdated=False)

    # --- building ------------------------------------------------------------------------

    def _make_list(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("channelList")
        tree.setAccessibleName(self.tr("Channels"))
        tree.setHeaderLabels(
            [
                self.tr("Platform"),
                self.tr("Channel"),
                self.tr("Profile"),
                self.tr("State"),
                self.tr("Customer"),
            ]
        )
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setIconSize(QSize(_BADGE_SIZE, _BADGE_SIZE))
        tree.header().setStretchLastSection(False)
        tree.header().setSectionResizeMode(_Col.CHANNEL, QHeaderView.ResizeMode.Stretch)
        return tree

    def _lay_out(self, cost: QLabel, buttons: QDialogButtonBox) -> None:
        top = QHBoxLayout()
        top.addWidget(self._fetched, 1)
        top.addWidget(self._count)
        fetch_row = QHBoxLayout()
        fetch_row.addWidget(self._fetch)
        fetch_row.addWidget(cost, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self._failure)
        layout.addLayout(fetch_row)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth()
        self.resize(width * 110, self.fontMetrics().height() * 26)

    # --- behaviour -----------------------------------------------------------------------

    def _fill(self, channels: tuple[Channel, ...]) -> None:
        self._list.setSortingEnabled(False)
        self._list.clear()
        ordered = sorted(
            channels, key=lambda c: (platform_name(c.platform.identifier).casefold(), c.name)
        )
        self._list.addTopLevelItems([self._row(channel) for channel in ordered])
        self._list.setSortingEnabled(True)
        self._list.sortByColumn(_Col.PLATFORM, Qt.SortOrder.AscendingOrder)
        for column in (_Col.PLATFORM, _Col.PROFILE, _Col.STATE, _Col.CUSTOMER):
            self._list.resizeColumnToContents(column)
        self._list.setColumnHidden(_Col.CUSTOMER, not any(c.customer for c in channels))
        disabled = sum(c.disabled for c in channels)
        count = (self.tr("1 channel") if len(channels) == 1 else self.tr("{n} channels")).format(
            n=len(channels)
        )
        if disabled:
            count += ", " + self.tr("{n} disabled").format(n=disabled)
        self._count.setText(count if channels else "")

    def _row(self, channel: Channel) -> QTreeWidgetItem:
        identifier = channel.platform.identifier
        state = self.tr("Disabled") if channel.disabled else self.tr("Active")
        texts = [platform_name(identifier), channel.name, channel.profile, state]
        item = QTreeWidgetItem([*texts, channel.customer or ""])
        item.setIcon(_Col.PLATFORM, platform_icon(identifier, _BADGE_SIZE, channel.disabled))
        item.setData(_Col.CHANNEL, Qt.ItemDataRole.UserRole, channel.id)
        item.setToolTip(_Col.CHANNEL, channel.name)
        if channel.disabled:
            grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for column in _Col:
                item.setForeground(column, grey)
        return item

    @Slot()
    def _show_fetched(self, now: datetime | None = None) -> None:
        if self._cache is None:
            self._fetched.setText(self.tr("Not fetched yet"))
            return
        moment = self._cache.fetched_at
        when = date_time_text(moment, now)
        self._fetched.setText(
            self.tr("Fetched {ago} ({when})").format(
                ago=relative_time(moment, now or utc_now()), when=when
            )
        )
