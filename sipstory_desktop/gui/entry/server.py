"""The server row of the entry dialog: Sipstory Cloud, a self-hosted instance or a custom
base URL, with the base URL it resolves to shown live.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from ...core.entries import Entry, EntryKind, resolve_base_url
from ...core.urls import UrlError, instance_address_of, plain_http_warning
from ..result_texts import translated
from ..widgets import InlineMessage, Tone
from .section import Section

Server = tuple[EntryKind, str, str]  # kind, address (what the user typed), base URL


class ServerSection(Section):
    """Cloud, a self-hosted instance, or a custom base URL, with the base URL shown live.

    Signals:
        find_requested(str): the user asked to find the API URL of the typed address.
    """

    find_requested = Signal(str)

    def __init__(self, form: QFormLayout) -> None:
        super().__init__(form)
        self._cloud = self._radio(
            self.tr("Sipstory C&loud"), "cloudRadio", self.tr("Sipstory Cloud")
        )
        self._instance = self._radio(
            self.tr("&Self-hosted instance"), "instanceRadio", self.tr("Self-hosted instance")
        )
        self._custom = self._radio(
            self.tr("Custom base &URL"), "customRadio", self.tr("Custom base URL")
        )
        self._address = self._field(
            "addressEdit", self.tr("Instance address"), "sipstory.example.com"
        )
        self._url = self._field(
            "urlEdit", self.tr("Custom base URL"), "http://localhost:3000/public/v1"
        )
        # The fields' own labels (the options before them are radio buttons, which label
        # nothing for a screen reader).
        self._address_label = self._label_for(self._address, self.tr("Address:"))
        self._url_label = self._label_for(self._url, self.tr("URL:"))
        self._find = QPushButton(self.tr("&Find API URL…"))
        self._find.setObjectName("findUrlButton")
        self._find.setAccessibleName(self.tr("Find the API URL of this address"))
        self._find.setToolTip(
            self.tr(
                "Try the likely API addresses of this instance (sends no key) and use the one "
                "that answers like Sipstory"
            )
        )
        self._find.clicked.connect(lambda: self.find_requested.emit(self._address.text().strip()))
        self._address.textChanged.connect(self._update_find)
        self._group = QButtonGroup(self)
        for radio in self._radios().values():
            self._group.addButton(radio)
            radio.toggled.connect(self._kind_toggled)
        self._base_url_message = InlineMessage("baseUrlMessage")
        self._http_warning = InlineMessage("httpWarning")
        form.addRow(QLabel(self.tr("Where:")), self._layout())
        self._cloud.setChecked(True)

    def set_entry(self, entry: Entry) -> None:
        """Show where ``entry`` belongs."""
        self._radios()[entry.kind].setChecked(True)
        if entry.kind is EntryKind.SELF_HOSTED:
            self._address.setText(instance_address_of(entry.base_url))
        elif entry.kind is EntryKind.CUSTOM:
            self._url.setText(entry.base_url)

    def use_base_url(self, base_url: str) -> None:
        """Switch to a custom base URL, as found by Find API URL."""
        self._custom.setChecked(True)
        self._url.setText(base_url)

    def _update_find(self) -> None:
        self._find.setEnabled(
            self.kind() is EntryKind.SELF_HOSTED and bool(self._address.text().strip())
        )

    def kind(self) -> EntryKind:
        """The chosen option."""
        return next(kind for kind, radio in self._radios().items() if radio.isChecked())

    def value(self) -> Server | None:
        """Kind, address and resolved base URL, or None while the URL is invalid."""
        kind, address, base_url, _error = self._check()
        return None if base_url is None else (kind, address, base_url)

    def base_url(self) -> str | None:
        """The resolved base URL, or None while it is invalid."""
        return self._check()[2]

    def refresh(self) -> None:
        kind, address, base_url, error = self._check()
        warning = plain_http_warning(base_url) if base_url else None
        self._http_warning.show_message(translated(warning or ""), Tone.WARNING)
        if base_url is not None:
            self._base_url_message.show_message(self.tr("Base URL: {url}").format(url=base_url))
        elif address or self._speaks(self._field_of(kind)):
            self._base_url_message.show_message(error or "", Tone.ERROR)
        else:
            self._base_url_message.show_message(self._guidance(kind))
        field_of_kind = self._field_of(kind)
        field_of_kind.setAccessibleDescription(self._base_url_message.text())

    def inputs(self) -> list[QWidget]:
        return [self._cloud, self._instance, self._address, self._find, self._custom, self._url]

    def _check(self) -> tuple[EntryKind, str, str | None, str | None]:
        kind = self.kind()
        address = self._field_of(kind).text().strip() if kind is not EntryKind.CLOUD else ""
        try:
            return kind, address, resolve_base_url(kind, address), None
        except UrlError as exc:
            return kind, address, None, translated(str(exc))

    def _guidance(self, kind: EntryKind) -> str:
        if kind is EntryKind.SELF_HOSTED:
            return self.tr(
                "Enter your server's address, e.g. sipstory.example.com or http://localhost:4007."
            )
        return self.tr("Enter the full API base URL, e.g. http://localhost:3000/public/v1.")

    def _radios(self) -> dict[EntryKind, QRadioButton]:
        return {
            EntryKind.CLOUD: self._cloud,
            EntryKind.SELF_HOSTED: self._instance,
            EntryKind.CUSTOM: self._custom,
        }

    def _field_of(self, kind: EntryKind) -> QLineEdit:
        return self._url if kind is EntryKind.CUSTOM else self._address

    def _radio(self, text: str, object_name: str, accessible: str) -> QRadioButton:
        radio = QRadioButton(text)
        radio.setObjectName(object_name)
        radio.setAccessibleName(accessible)
        return radio

    def _field(self, object_name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(object_name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setEnabled(False)
        self._watch(edit)
        return edit

    def _layout(self) -> QWidget:
        box = QWidget()
        box.setAccessibleName(self.tr("Where"))  # the options' group, as the form says
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(4)
        grid.addWidget(self._cloud, 0, 0)
        grid.addWidget(self._instance, 1, 0)
        grid.addWidget(self._address_label, 1, 1)
        grid.addWidget(self._address, 1, 2)
        grid.addWidget(self._find, 1, 3)
        grid.addWidget(self._custom, 2, 0)
        grid.addWidget(self._url_label, 2, 1)
        grid.addWidget(self._url, 2, 2, 1, 2)
        grid.addWidget(self._base_url_message, 3, 0, 1, 4)
        grid.addWidget(self._http_warning, 4, 0, 1, 4)
        grid.setColumnStretch(2, 1)
        return box

    @staticmethod
    def _label_for(field: QLineEdit, text: str) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        label.setEnabled(False)  # as the field, until its option is chosen
        return label

    @Slot(bool)
    def _kind_toggled(self, checked: bool) -> None:
        if not checked:
            return  # the newly checked radio reports too
        kind = self.kind()
        for field, label, used in (
            (self._address, self._address_label, kind is EntryKind.SELF_HOSTED),
            (self._url, self._url_label, kind is EntryKind.CUSTOM),
        ):
            field.setEnabled(used)
            label.setEnabled(used)
        self._update_find()
        self._make_tab_stop(self._radios()[kind])
        self.changed.emit()

    def _make_tab_stop(self, checked: QRadioButton) -> None:
        """Let Tab enter the group at the checked radio, as Qt does for the last focused one."""
        for radio in self._radios().values():
            policy = Qt.FocusPolicy.StrongFocus if radio is checked else Qt.FocusPolicy.ClickFocus
            radio.setFocusPolicy(policy)
