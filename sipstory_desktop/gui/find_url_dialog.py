"""The dialog that finds the API base URL of a self-hosted instance from its address.

The window runs the probes (keyless requests, off the GUI thread) and reports each one to
:meth:`FindUrlDialog.probe_done` as it ends, then the whole search to
:meth:`FindUrlDialog.search_finished` (not ``finished``: that is QDialog's signal). The
dialog shows every candidate from the start, pending.
"""

from __future__ import annotations

import html
import logging
from collections import Counter

from PySide6.QtCore import (
    QMargins,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.find_url import FindResult, Probe, ProbeOutcome, candidates
from ..core.status import Light
from ..core.urls import UrlError, is_local_host, origin_of
from .lights import light_icon
from .result_texts import translated
from .widgets import InlineMessage, Tone, plain_label

log = logging.getLogger(__name__)

_ICON_SIZE = 16
_URL, _RESULT, _DETAIL = range(3)
_SPOKEN = Qt.ItemDataRole.AccessibleTextRole
_NO_ANSWER = frozenset({ProbeOutcome.UNREACHABLE, ProbeOutcome.TIMEOUT})


def _in_sentence(label: str) -> str:
    """``label`` for the middle of a sentence: ``Web app`` -> ``web app``, ``TLS`` kept."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their detail wrapped to its column's width (QTreeView never asks)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view
        view.header().sectionResized.connect(view.doItemsLayout)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.column() != _DETAIL:  # the others fit their contents
            return super().sizeHint(option, index)
        wrapped = QStyleOptionViewItem(option)
        # The style wraps only within a valid rect: one of the column's width (any height).
        wrapped.rect = QRect(0, 0, self._view.columnWidth(_DETAIL), 1)
        size = super().sizeHint(wrapped, index)
        return size.grownBy(QMargins(0, 2, 0, 2))  # wrapped lines need air between rows


class FindUrlDialog(QDialog):
    """Probe the likely base URLs of an address and offer the one where Sipstory answers.

    Signals:
        search_requested(str): probe the candidates of this address (the user corrected it
            and pressed Search again); report with :meth:`probe_done` and
            :meth:`search_finished`.
        use_requested(str): the user chose this base URL; the dialog then closes.
    """

    search_requested = Signal(str)
    use_requested = Signal(str)

    def __init__(
        self, address: str, parent: QWidget | None = None, current_base_url: str | None = None
    ) -> None:
        super().__init__(parent)
        self._current = current_base_url
        self._order: list[str] = []  # the candidates, most likely first
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._searched = ""
        self._searching = False
        self._found: str | None = None
        self.setWindowTitle(self.tr("Find the API URL"))
        self._build()
        self._address.setText(address.strip())
        self._address.setFocus()
        self._start(address)

    # --- public --------------------------------------------------------------------------

    @Slot(object)
    def probe_done(self, probe: Probe) -> None:
        """Show one probe's outcome in its row, in whatever order probes end."""
        if not self._searching or probe.base_url not in self._rows:
            log.debug("a probe of another search arrived; ignored")
            return
        self._show_probe(probe)
        if probe.ok and (
            self._found is None or self._rank(probe.base_url) < self._rank(self._found)
        ):
            self._show_found(probe.base_url)

    @Slot(object)
    def search_finished(self, result: FindResult) -> None:
        """Show the conclusion of the search: where Sipstory answers, or why nowhere."""
        if result.address and result.address != self._searched:
            log.debug("the result of an earlier search arrived; ignored")
            return
        self._searching = False
        for probe in result.probes:
            self._show_probe(probe)
        if result.found:
            self._show_found(result.found)
        else:
            self._found = None
            self._show_not_found(result.probes)
        self.set_warning(result.warning or "")
        self._update_buttons()

    @Slot(str)
    def set_warning(self, text: str) -> None:
        """Show ``text`` as a warning (a base URL on plain http://, say); "" hides it."""
        self._warning.show_message(text, Tone.WARNING)

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        intro = plain_label(
            self.tr(
                "Tries the usual API addresses of a self-hosted Sipstory. The probes send no "
                "key: a Sipstory API is recognised without one, so your key never reaches a "
                "wrong server and no request counts against the hourly limit."
            ),
            "intro",
        )
        self._address = QLineEdit()
        self._address.setObjectName("addressEdit")
        self._address.setAccessibleName(self.tr("Instance address"))
        self._address.setPlaceholderText("sipstory.example.com")
        self._address.textChanged.connect(self._update_buttons)
        label = QLabel(self.tr("&Address:"))
        label.setBuddy(self._address)
        self._search = QPushButton(self.tr("&Search again"))
        self._search.setObjectName("searchButton")
        self._search.setAccessibleName(self.tr("Search again"))
        self._search.clicked.connect(self._search_again)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self._address, 1)
        row.addWidget(self._search)
        self._list = self._make_list()
        self._conclusion = InlineMessage("conclusion")
        self._hints = QLabel()
        self._hints.setObjectName("hints")
        self._hints.setWordWrap(True)
        self._hints.setTextFormat(Qt.TextFormat.RichText)  # our own texts, escaped
        self._hints.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._warning = InlineMessage("httpWarning")
        self._buttons = QDialogButtonBox(self)
        self._use = self._buttons.addButton(
            self.tr("&Use this URL"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._use.setObjectName("useButton")
        self._use.setAccessibleName(self.tr("Use this URL"))
        close = self._buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        self._use.clicked.connect(self._use_found)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        if self._current:
            layout.addWidget(
                plain_label(
                    self.tr("The entry uses {url} now.").format(url=self._current), "current"
                )
            )
        layout.addWidget(self._list, 1)
        for widget in (self._conclusion, self._hints, self._warning, self._buttons):
            layout.addWidget(widget)
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().height() * 32)

    def _make_list(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("probeList")
        tree.setAccessibleName(self.tr("Addresses tried"))
        tree.setHeaderLabels([self.tr("Base URL"), self.tr("Result"), self.tr("Detail")])
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setWordWrap(True)  # a detail is often longer than its column
        tree.setItemDelegate(_WrappingDelegate(tree))
        tree.setIconSize(QSize(_ICON_SIZE, _ICON_SIZE))
        tree.header().setStretchLastSection(True)
        tree.header().setSectionResizeMode(_URL, QHeaderView.ResizeMode.ResizeToContents)
        tree.header().setSectionResizeMode(_RESULT, QHeaderView.ResizeMode.ResizeToContents)
        return tree

    # --- behaviour -----------------------------------------------------------------------

    def _start(self, address: str) -> bool:
        """Show every candidate of ``address`` as pending; False when it cannot be one."""
        self._list.clear()
        self._rows.clear()
        self._found = None
        self._hints.hide()
        self.set_warning("")
        self._searched = address.strip()
        try:
            self._order = candidates(address)
        except UrlError as exc:
            self._order = []
            self._searching = False
            self._conclusion.show_message(translated(str(exc)), Tone.ERROR)
            self._update_buttons()
            return False
        for base_url in self._order:
            self._add_row(base_url)
        self._searching = True
        self._conclusion.show_message(self.tr("Trying {n} addresses…").format(n=len(self._order)))
        self._update_buttons()
        return True

    def _add_row(self, base_url: str) -> None:
        mark = self.tr(" (current)") if base_url == self._current else ""
        item = QTreeWidgetItem([base_url + mark, self.tr("Waiting…"), ""])
        item.setData(_DETAIL, _SPOKEN, self.tr("No details yet"))  # an empty cell, named
        item.setIcon(_URL, light_icon(Light.GREY, _ICON_SIZE, self.palette()))
        item.setToolTip(_URL, base_url)
        self._list.addTopLevelItem(item)
        self._rows[base_url] = item

    def _show_probe(self, probe: Probe) -> None:
        item = self._rows.get(probe.base_url)
        if item is None:
            return
        light = Light.GREEN if probe.ok else Light.RED
        item.setIcon(_URL, light_icon(light, _ICON_SIZE, self.palette()))
        item.setText(_RESULT, self._outcome_label(probe.outcome))
        item.setText(_DETAIL, probe.detail)
        item.setData(_DETAIL, _SPOKEN, probe.detail or self.tr("No details"))
        item.setToolTip(_DETAIL, probe.detail)

    def _show_found(self, base_url: str) -> None:
        self._found = base_url
        self._hints.hide()
        if base_url == self._current:
            text = self.tr("Sipstory answers at {url}, the base URL the entry uses already.")
        else:
            text = self.tr("Sipstory answers at {url}")
        self._conclusion.show_message(text.format(url=base_url))
        self._update_buttons()

    def _show_not_found(self, probes: list[Probe]) -> None:
        counts = Counter(probe.outcome for probe in probes)
        why = ", ".join(
            f"{_in_sentence(self._outcome_label(outcome))}: {count}"
            for outcome, count in counts.items()
        )
        self._conclusion.show_message(
            self.tr("Sipstory answers at none of the {n} addresses tried ({why}).").format(
                n=len(probes), why=why
            ),
            Tone.ERROR,
        )
        items = "".join(f"<li>{html.escape(hint)}</li>" for hint in self._hints_for(set(counts)))
        self._hints.setText(f'<ul style="margin: 0; -qt-list-indent: 1;">{items}</ul>')
        self._hints.show()

    def _hints_for(self, outcomes: set[ProbeOutcome]) -> list[str]:
        hints = []
        if outcomes & _NO_ANSWER:
            hints.append(
                self.tr(
                    "Is the instance running, and reachable from this computer (VPN, firewall)?"
                )
            )
        if self._order and is_local_host(origin_of(self._order[0]).host):
            hints.append(
                self.tr(
                    "On this computer Sipstory usually listens on port 4007 (the common compose "
                    "file), 5000 (inside its container) or 3000 (a backend run from source): "
                    "all were tried. For another port, add it to the address: localhost:8080."
                )
            )
        else:
            hints.append(
                self.tr(
                    "If Sipstory is served on another port or under a path, include it: "
                    "sipstory.example.com:8443 or example.com/sipstory."
                )
            )
        if ProbeOutcome.WEB_APP in outcomes:
            hints.append(
                self.tr(
                    "A web page answered where the API should be: the reverse proxy sends the "
                    "API's path to the web app instead of the backend."
                )
            )
        if ProbeOutcome.TLS_ERROR in outcomes:
            hints.append(
                self.tr(
                    "The certificate was not accepted. A private certificate authority must "
                    "be trusted by this computer."
                )
            )
        if ProbeOutcome.REDIRECT in outcomes:
            hints.append(
                self.tr("The server redirects: search again with the address it points to.")
            )
        hints.append(
            self.tr("Check the address for typos, and whether it needs https:// or http://.")
        )
        return hints

    def _outcome_label(self, outcome: ProbeOutcome) -> str:
        return {
            ProbeOutcome.SIPSTORY: self.tr("Sipstory API"),
            ProbeOutcome.WEB_APP: self.tr("Web app"),
            ProbeOutcome.NOT_FOUND: self.tr("Not found"),
            ProbeOutcome.REDIRECT: self.tr("Redirect"),
            ProbeOutcome.UNREACHABLE: self.tr("Unreachable"),
            ProbeOutcome.TIMEOUT: self.tr("Timed out"),
            ProbeOutcome.TLS_ERROR: self.tr("TLS error"),
            ProbeOutcome.OTHER: self.tr("Other answer"),
        }[outcome]

    def _rank(self, base_url: str) -> int:
        return self._order.index(base_url)

    @Slot()
    def _update_buttons(self) -> None:
        edited = self._address.text().strip() != self._searched
        usable = self._found is not None and self._found != self._current
        self._use.setEnabled(usable and not edited)
        self._search.setEnabled(not self._searching or edited)
        default = self._use if self._use.isEnabled() else self._search
        default.setDefault(True)
        other = self._search if default is self._use else self._use
        other.setDefault(False)

    @Slot()
    def _search_again(self) -> None:
        address = self._address.text().strip()
        if self._start(address):
            self.search_requested.emit(address)

    @Slot()
    def _use_found(self) -> None:
        if self._found is not None and self._use.isEnabled():
            self.use_requested.emit(self._found)
            self.accept()
