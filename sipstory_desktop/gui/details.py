"""The details pane: everything known about the selected entry, and what to do about it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.budget import RATE_LIMIT
from ..core.entries import Entry
from ..core.keys import masked
from ..core.status import CheckResult, Status
from ..core.times import utc_now
from .entry_texts import since_text, status_text
from .flow_layout import flow_box
from .lights import light_icon, light_label_pixmap
from .moments import date_time_text
from .pane_labels import SecondaryLabel, WrapAnywhereLabel
from .result_texts import translated
from .status_texts import status_label

REVEAL_SECONDS = 10
RECENT_RESULTS = 10


def _label(text: str = "", *, wrap: bool = False, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DetailsPane(QWidget):
    """Shows one entry: status, message and hint, figures, recent results, and actions.

    Signals:
        action_requested(str): the user pressed the button of that action (its name in
            ``gui.actions.ACTIONS``) for the entry shown; the window carries it out.
        undo_replace_requested(str): the user pressed Undo replace for the entry with
            this id (its key was replaced in this session; the previous one is kept).
    """

    action_requested = Signal(str)
    undo_replace_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("details")
        self.setAccessibleName(self.tr("Details of the selected key"))
        self._entry: Entry | None = None
        self._no_key = False
        self._reveal_timer = QTimer(self, singleShot=True, interval=REVEAL_SECONDS * 1000)
        self._reveal_timer.timeout.connect(self.hide_key)

        # Wrapped anywhere, as the title: a URL in them has no space to wrap at, and a
        # QLabel would widen the pane to its width (the buttons out of view).
        self._message = WrapAnywhereLabel(tooltip=False)
        self._hint = WrapAnywhereLabel(tooltip=False)
        self._hint.setObjectName("hint")
        self._recent = QListWidget()
        self._recent.setAccessibleName(self.tr("Recent results"))
        self._recent.setMaximumHeight(170)
        # It gives way first when the pane is short, so the actions below stay in view.
        self._recent.setMinimumHeight(3 * self._recent.fontMetrics().lineSpacing() + 8)
        self._recent.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._recent.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        undo_row = self._build_undo_row()
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        # Two parts: what is known (left), then the recent results and the actions. Stacked
        # in a tall pane (beside the list); side by side in a wide one (under the list), with
        # the actions first, so that they are in view without scrolling (set_wide).
        known = QVBoxLayout()
        known.setContentsMargins(0, 0, 0, 0)
        known.addLayout(self._build_heading())
        known.addWidget(self._message)
        known.addWidget(self._hint)
        known.addLayout(undo_row)
        known.addWidget(line)
        known.addLayout(self._build_figures())
        known.addStretch(1)
        self._history = QWidget()
        history = QVBoxLayout(self._history)
        history.setContentsMargins(0, 0, 0, 0)
        history.addWidget(_label(self.tr("Recent results")))
        history.addWidget(self._recent, 1)
        self._actions = QWidget()
        buttons = self._build_buttons()
        buttons.setContentsMargins(0, 0, 0, 0)
        self._actions.setLayout(buttons)
        self._rest = QVBoxLayout()
        self._rest.setContentsMargins(0, 0, 0, 0)
        self._rest.addWidget(self._history)
        self._rest.addStretch(1)
        self._rest.addWidget(self._actions)
        self._parts = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._parts.addLayout(known)
        self._parts.addLayout(self._rest)
        self._wide = False
        self.set_wide(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.show_entry(None)

    @property
    def wide(self) -> bool:
        return self._wide

    def set_wide(self, wide: bool) -> None:
        """Side by side, the actions first (a wide, short pane under the list), or stacked,
        the actions last (a tall pane beside it)."""
        self._wide = wide
        self._rest.removeWidget(self._history)
        self._rest.removeWidget(self._actions)
        if wide:  # [actions, history, stretch]
            self._rest.insertWidget(0, self._actions)
            self._rest.insertWidget(1, self._history)
        else:  # [history, stretch, actions]
            self._rest.insertWidget(0, self._history)
            self._rest.addWidget(self._actions)
        self._rest.setStretchFactor(self._history, 1)  # shares the room left with the stretch
        self._parts.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self._parts.setStretch(0, 1 if wide else 0)  # stacked: the room goes above the actions
        self._parts.setStretch(1, 1)

    def _build_undo_row(self) -> QHBoxLayout:
        """Undo replace, shown while the key an entry had before it was replaced is kept."""
        self._undo = QPushButton(self.tr("Und&o replace"))
        self._undo.setObjectName("undoReplace")
        self._undo.setAccessibleName(self.tr("Undo replace"))
        self._undo.setToolTip(
            self.tr("Store the key this entry had before its key was replaced (kept until quit)")
        )
        self._undo.clicked.connect(self._undo_clicked)
        self._undo.hide()
        row = QHBoxLayout()
        row.addWidget(self._undo)
        row.addStretch(1)
        return row

    def _build_heading(self) -> QHBoxLayout:
        self._icon = QLabel()
        self._icon.setFixedSize(36, 36)
        self._title = WrapAnywhereLabel()  # a long name wraps, it never widens the pane
        self._title.setObjectName("detailsTitle")
        title_font = QFont(self._title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._status = _label()
        status_font = QFont(self._status.font())
        status_font.setBold(True)
        self._status.setFont(status_font)
        self._since = SecondaryLabel()  # enabled: a screen reader reads it as it is
        self._since.setObjectName("detailsSince")
        titles = QVBoxLayout()
        titles.setSpacing(2)
        for widget in (self._title, self._status, self._since):
            titles.addWidget(widget)
        heading = QHBoxLayout()
        heading.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        heading.addLayout(titles, 1)
        return heading

    def _build_figures(self) -> QFormLayout:
        self._base_url = WrapAnywhereLabel()  # an address has no space to wrap at
        self._key = WrapAnywhereLabel(tooltip=False)  # a revealed key wraps, never widens
        self._key.setObjectName("detailsKey")
        self._key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._http = _label()
        self._latency = _label()
        self._checked = _label()
        self._budget = _label(wrap=True)
        self._keyring = WrapAnywhereLabel()
        self._keyring.setObjectName("detailsKeyring")
        self._note = WrapAnywhereLabel(tooltip=False)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, field in (
            (self.tr("Base URL"), self._base_url),
            (self.tr("Key"), self._key),
            (self.tr("HTTP status"), self._http),
            (self.tr("Latency"), self._latency),
            (self.tr("Checked"), self._checked),
            (self.tr("Rate budget"), self._budget),
            (self.tr("Stored in"), self._keyring),
            (self.tr("Note"), self._note),
        ):
            form.addRow(caption + ":", field)
        return form

    def _build_buttons(self) -> QVBoxLayout:
        self.buttons: dict[str, QPushButton] = {}
        rows = (
            (
                ("check", self.tr("&Check")),
                ("edit", self.tr("E&dit…")),
                ("replace_key", self.tr("Re&place key…")),
            ),
            (
                ("copy_key", self.tr("Cop&y key")),
                ("reveal_key", self.tr("Re&veal")),
                ("remove", self.tr("Re&move…")),
            ),
            (
                ("channels", self.tr("Cha&nnels…")),
                ("find_url", self.tr("Find API &URL…")),
                ("copy_curl", self.tr("Copy as cur&l")),
            ),
            (("use_in_terminal", self.tr("Use in a &terminal…")),),
        )
        box = QVBoxLayout()
        for row in rows:  # each row wraps where its texts are too long for the pane
            holder, line = flow_box()
            box.addWidget(holder)
            for name, text in row:
                button = QPushButton(text)
                button.setAccessibleName(text.replace("&", "").rstrip("…"))
                button.clicked.connect(lambda _=False, name=name: self.action_requested.emit(name))
                self.buttons[name] = button
                line.addWidget(button)
        return box

    @property
    def entry(self) -> Entry | None:
        return self._entry

    def show_entry(
        self,
        entry: Entry | None,
        result: CheckResult | None = None,
        history: list[CheckResult] | None = None,
        *,
        checking: bool = False,
        queued: bool = False,
        requests_last_hour: int = 0,
        hourly_limit: int = RATE_LIMIT,
        keyring_name: str = "",
        no_key: bool = False,
        can_undo_replace: bool = False,
    ) -> None:
        """Fill the pane for ``entry``, or show a prompt to pick one when it is None;
        ``queued``: its check (``checking``) waits for its turn.

        ``no_key``: the entry is known to have no key saved (an imported entry): the pane
        says so instead of showing a masked key, and Replace key becomes Add the key.
        ``can_undo_replace``: its key was replaced in this session: offer Undo replace."""
        if entry is None or self._entry is None or entry.id != self._entry.id:
            self.hide_key()
        self._entry = entry
        self._no_key = entry is not None and no_key
        self._set_key_action_text()
        self._undo.setVisible(entry is not None and can_undo_replace)
        for button in self.buttons.values():
            button.setEnabled(entry is not None)
        if entry is None:
            self._clear()
            return
        now = utc_now()
        status = result.status if result else Status.UNCHECKED
        self._icon.setPixmap(light_label_pixmap(status.light, 32, self))
        self._title.set_text(entry.name)
        if checking:
            self._status.setText(self.tr("Queued") if queued else self.tr("Checking…"))
        else:
            self._status.setText(status_text(result, now))
        self._icon.setAccessibleName(self._status.text())  # the light, in words
        if result:
            message = translated(result.message)
        elif self._no_key:
            message = self.tr(
                "No key is saved for this entry yet (an imported entry comes without its "
                "key): add it with Add the key."
            )
        else:
            message = self.tr(
                "Not checked yet. Press Test (Ctrl+T) to check this key; each check may count "
                "against the organization's 30 requests per hour."
            )
        self._message.set_text(message)
        self._hint.set_text(translated(result.hint) if result and not result.ok else "")
        self._hint.setVisible(bool(self._hint.text()))
        self._since.setText(since_text(history or []))
        self._base_url.set_text(entry.base_url)
        if not self._reveal_timer.isActive():
            self._key.set_text(self._masked_key())
        self._http.setText(str(result.http_status) if result and result.http_status else "—")
        self._latency.setText(
            self.tr("%s ms") % result.latency_ms
            if result and result.latency_ms is not None
            else "—"
        )
        last_sent = history[-1] if history else None  # a check that sent nothing is not one
        checked = date_time_text(last_sent.checked_at, now) if last_sent else self.tr("never")
        self._checked.setText(checked)
        self._budget.setText(_budget_text(result, requests_last_hour, hourly_limit))
        self._keyring.set_text("—" if self._no_key else keyring_name or "—")
        self._note.set_text(entry.note or "—")
        self.buttons["check"].setEnabled(not checking)
        for needs_key in ("copy_key", "reveal_key", "copy_curl"):  # no key to use
            self.buttons[needs_key].setEnabled(not self._no_key)
        self._fill_recent(history or [])

    def _clear(self) -> None:
        self._icon.clear()
        self._icon.setAccessibleName(self.tr("No key selected"))
        self._title.set_text(self.tr("No key selected"))
        self._status.setText("")
        self._message.set_text(self.tr("Select a key in the list to see its details."))
        self._hint.setVisible(False)
        self._since.setText("")
        for field in (
            self._base_url,
            self._http,
            self._latency,
            self._checked,
            self._budget,
            self._note,
        ):
            field.setText("—")
        self._key.set_text("—")
        self._keyring.set_text("—")
        self._recent.clear()

    def _fill_recent(self, history: list[CheckResult]) -> None:
        self._recent.clear()
        for result in reversed(history[-RECENT_RESULTS:]):
            when = date_time_text(result.checked_at)
            latency = (
                " · " + self.tr("%s ms") % result.latency_ms
                if result.latency_ms is not None
                else ""
            )
            item = QListWidgetItem(
                light_icon(result.light), f"{when}  {status_label(result.status)}{latency}"
            )
            item.setToolTip(translated(result.message))
            self._recent.addItem(item)

    def reveal_key(self, key: str) -> None:
        """Show the key itself for :data:`REVEAL_SECONDS`, then mask it again."""
        self._key.set_text(key)
        self._reveal_timer.start()

    def hide_key(self) -> None:
        self._reveal_timer.stop()
        self._key.set_text(self._masked_key())

    def _undo_clicked(self) -> None:
        if self._entry is not None:
            self.undo_replace_requested.emit(self._entry.id)

    def _masked_key(self) -> str:
        if self._entry is None:
            return "—"
        return self.tr("No key saved") if self._no_key else masked(self._entry.key_hint)

    def _set_key_action_text(self) -> None:
        """Replace key, or Add the key for an entry that has none saved."""
        text = self.tr("&Add the key…") if self._no_key else self.tr("Re&place key…")
        button = self.buttons["replace_key"]
        button.setText(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))


def _budget_text(result: CheckResult | None, used: int, limit: int = RATE_LIMIT) -> str:
    """The list's "Last hour" figures (used/limit) in words, and what the server said."""
    text = QCoreApplication.translate("DetailsPane", "%1/%2 used in the last hour")
    text = text.replace("%1", str(used)).replace("%2", str(limit))
    if result and result.rate_limit and result.rate_limit.remaining is not None:
        said = QCoreApplication.translate("DetailsPane", "the server said %1 of %2 left")
        said = said.replace("%1", str(result.rate_limit.remaining))
        text += "; " + said.replace("%2", str(result.rate_limit.limit or limit))
        if result.rate_limit.reset_seconds is not None:
            minutes = max(1, result.rate_limit.reset_seconds // 60)
            resetting = QCoreApplication.translate("DetailsPane", "resetting in %1 min")
            text += ", " + resetting.replace("%1", str(minutes))
    return text
