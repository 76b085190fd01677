"""The preview of an import: what each incoming entry would do, and a choice per conflict.

The list gives the overview (a long change is elided there, whole in its tooltip); the
choices are below it, one per conflict with what it would change, word-wrapped: they are in
view at any width of the dialog, in the Tab chain and in the accessible tree (a widget put
into a list's cell is in neither).

Nothing is overwritten by default: every conflict starts without a choice and Import stays
off until each has one. The window applies the plan (under the config lock, off the GUI
thread) when asked with :attr:`ImportDialog.import_requested`, and answers with
:meth:`ImportDialog.show_outcome` or :meth:`ImportDialog.show_error`.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.entries import EntryKind
from ..core.import_plan import (
    Action,
    FieldChange,
    ImportOutcome,
    ImportPlan,
    PlannedItem,
    Resolution,
)
from .pane_labels import WrapAnywhereLabel
from .widgets import InlineMessage, WorkingDialog, plain_label

_NAME, _ACTION, _DETAIL = range(3)
_CHOICE_CHARACTERS = 18  # the least a choice box shows of its choice


class ImportDialog(WorkingDialog):
    """Preview an import and choose what to do with each conflict.

    Signals:
        import_requested(dict[str, Resolution]): apply the plan with these choices (one
            per conflict, keyed by the incoming name).
    """

    import_requested = Signal(object)

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self._done = False
        self._combos: dict[str, QComboBox] = {}
        self._conflicts = QVBoxLayout()  # one group per conflict: its changes, its choice
        self.setWindowTitle(self.tr("Import entries"))
        self._build()
        self._refresh()

    # --- public --------------------------------------------------------------------------

    def choices(self) -> dict[str, Resolution]:
        """The choice made for each conflict so far (conflicts without one are left out)."""
        chosen = {name: combo.currentData() for name, combo in self._combos.items()}
        return {name: Resolution(value) for name, value in chosen.items() if value}

    @Slot(object)
    def show_outcome(self, outcome: ImportOutcome) -> None:
        """Show what the import did; the dialog stays, to be closed."""
        self._set_busy(False)
        self._done = True
        done = [
            (outcome.added, self.tr("{n} added")),
            (outcome.renamed, self.tr("{n} added under a new name")),
            (outcome.replaced, self.tr("{n} replaced")),
            (outcome.skipped, self.tr("{n} skipped")),
            (outcome.unchanged, self.tr("{n} already there")),
        ]
        parts = [text.format(n=len(names)) for names, text in done if names]
        message = self.tr("Imported: {parts}.").format(parts=", ".join(parts))
        if outcome.found_keys:
            message += " " + self.tr(
                "Found the keys of {n} of {total} new entries in the keyring (a shared "
                "vault): {names}."
            ).format(
                n=len(outcome.found_keys),
                total=len(outcome.created),
                names=", ".join(outcome.found_keys),
            )
        if outcome.needs_key:
            message += " " + self.tr(
                "These entries have no key yet: {names}. Select each one and use Replace key."
            ).format(names=", ".join(outcome.needs_key))
        self._message.show_message(message)
        for combo in self._combos.values():
            combo.setEnabled(False)
        self._note.hide()  # the outcome says which entries need a key
        self._import.hide()
        self._skip_all.hide()
        self._cancel.setText(self.tr("Close"))
        self._cancel.setAccessibleName(self.tr("Close"))
        self._cancel.setDefault(True)
        self._cancel.setFocus()

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        summary = self._plan.summary()
        conflicts = (
            self.tr("1 conflict") if summary.conflicts == 1 else self.tr("{n} conflicts")
        ).format(n=summary.conflicts)
        summary_label = plain_label(
            self.tr("{new} new, {same} already there, {conflicts}").format(
                new=summary.new, same=summary.same, conflicts=conflicts
            ),
            "summary",
        )
        font = summary_label.font()
        font.setBold(True)
        summary_label.setFont(font)
        self._tree = self._build_tree()
        self._choices_area = self._build_choices()
        self._note = plain_label(
            self.tr(
                "Keys are not part of an export. Each entry this import adds arrives without "
                "its key: select it afterwards and use Replace key."
            ),
            "keyNote",
        )
        self._message = InlineMessage("message")
        self._buttons = QDialogButtonBox(self)
        self._skip_all = QPushButton(self.tr("S&kip all conflicts"))
        self._skip_all.setObjectName("skipAllButton")
        self._skip_all.setAutoDefault(False)
        self._skip_all.setAccessibleName(self.tr("Skip all conflicts"))
        self._skip_all.setVisible(bool(self._combos))
        self._skip_all.clicked.connect(self._choose_skip_for_all)
        self._import = self._buttons.addButton(
            self.tr("&Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._import.setObjectName("importButton")
        self._import.setAccessibleName(self.tr("Import"))
        self._import.setDefault(True)
        self._cancel = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self._cancel.setAccessibleName(self.tr("Cancel"))
        self._buttons.accepted.connect(self._request_import)
        self._buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self._skip_all)
        bottom.addWidget(self._buttons, 1)
        layout = QVBoxLayout(self)
        stretches: list[tuple[QWidget, int]] = [
            (summary_label, 0),
            (self._tree, 1),
            (self._choices_area, 2),
            (self._note, 0),
            (self._message, 0),
        ]
        for widget, stretch in stretches:
            layout.addWidget(widget, stretch)
        layout.addLayout(bottom)
        combos = list(self._combos.values())
        chain = [self._tree, *combos, self._skip_all, self._import, self._cancel]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        (combos[0] if combos else self._tree).setFocus()
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().height() * 26)

    def _build_tree(self) -> QTreeWidget:
        """The overview: every entry of the file; a conflict's changes elided under it."""
        self._tree = tree = QTreeWidget()  # _add fills it
        tree.setObjectName("previewList")
        tree.setAccessibleName(self.tr("Entries in the file"))
        tree.setHeaderLabels([self.tr("Entry"), self.tr("Import"), self.tr("Details")])
        tree.setUniformRowHeights(False)
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(_ACTION, QHeaderView.ResizeMode.ResizeToContents)
        for item in self._plan.items:
            self._add(item)
        tree.expandAll()
        # The names' width, not the changes' (which span the row and elide)
        names = [self.fontMetrics().horizontalAdvance(i.name) for i in self._plan.items]
        indent = tree.indentation() + self.fontMetrics().averageCharWidth() * 3
        tree.setColumnWidth(_NAME, min(max(names, default=0) + indent, 320))
        return tree

    def _add(self, planned: PlannedItem) -> None:
        action = {
            Action.NEW: self.tr("New"),
            Action.SAME: self.tr("Already there"),
            Action.CONFLICT: self.tr("Conflict"),
        }[planned.action]
        item = QTreeWidgetItem([planned.name, action, planned.incoming.base_url])
        item.setToolTip(_DETAIL, planned.incoming.base_url)
        self._tree.addTopLevelItem(item)
        if planned.action is not Action.CONFLICT:
            return
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning, None, self)
        item.setIcon(_ACTION, icon)
        item.setText(_DETAIL, self.tr("Choose below"))
        changes = [self._change_text(change) for change in planned.changes]
        for text in changes:
            child = QTreeWidgetItem(item, [text])
            child.setFirstColumnSpanned(True)
            child.setToolTip(_NAME, text)
        combo = self._choice_box(planned)
        self._combos[planned.name] = combo
        self._conflicts.addWidget(self._conflict_group(planned.name, changes, combo))

    def _conflict_group(self, name: str, changes: list[str], combo: QComboBox) -> QWidget:
        """A conflict below the list: its name, what it would change (wrapped), its choice."""
        group = QFrame()
        group.setObjectName("conflict")
        group.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(group)
        title = QLabel(name)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        box.addWidget(title)
        for text in changes:
            box.addWidget(WrapAnywhereLabel(text))
        combo.setAccessibleDescription("; ".join(changes))
        # The label of the box: on Linux a screen reader names a combo box by its label
        # (Qt gives it its current text as its name, not its accessibleName).
        label = plain_label(self.tr("What to do with {name}:").format(name=name))
        label.setBuddy(combo)
        box.addWidget(label)
        box.addWidget(combo)
        return group

    def _build_choices(self) -> QScrollArea:
        """The conflicts' choices, in a pane that scrolls up and down, never sideways."""
        inner = QWidget()
        inner.setObjectName("choices")
        self._conflicts.setContentsMargins(0, 0, 0, 0)
        self._conflicts.addStretch(1)
        inner.setLayout(self._conflicts)
        area = QScrollArea()
        area.setObjectName("choicesArea")
        area.setWidget(inner)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the choices themselves
        area.setAccessibleName(self.tr("Conflicts"))
        area.setVisible(bool(self._combos))
        return area

    def _choice_box(self, planned: PlannedItem) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("choiceBox")
        combo.setAccessibleName(self.tr("What to do with {name}").format(name=planned.name))
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no choice by a stray wheel turn
        # as wide as the dialog allows, and narrower than its longest choice where it must
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(_CHOICE_CHARACTERS)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.addItem(self.tr("Choose…"), None)
        labels = {
            Resolution.SKIP: self.tr("Skip: keep the saved entry"),
            Resolution.RENAME: self.tr("Rename to “{name}”").format(name=planned.rename_to),
            Resolution.REPLACE: self.tr("Replace the saved entry"),
        }
        for resolution in planned.choices:
            combo.addItem(labels[resolution], resolution.value)
        combo.currentIndexChanged.connect(self._refresh)
        return combo

    def _change_text(self, change: FieldChange) -> str:
        label = {
            "kind": self.tr("Kind"),
            "base_url": self.tr("Base URL"),
            "note": self.tr("Note"),
        }.get(change.field, change.field)
        kinds = {
            EntryKind.CLOUD.value: self.tr("Sipstory Cloud"),
            EntryKind.SELF_HOSTED.value: self.tr("Self-hosted instance"),
            EntryKind.CUSTOM.value: self.tr("Custom base URL"),
        }
        old, new = (
            (kinds.get(value, value) if change.field == "kind" else value) or self.tr("(none)")
            for value in (change.old, change.new)
        )
        return self.tr("{field}: {old} → {new}").format(field=label, old=old, new=new)

    # --- behaviour -----------------------------------------------------------------------

    @Slot()
    def _refresh(self) -> None:
        missing = len(self._combos) - len(self.choices())
        nothing = all(item.action is Action.SAME for item in self._plan.items)
        self._import.setEnabled(not (missing or nothing or self._busy or self._done))
        if nothing:
            text = self.tr("Every entry in this file is already here: there is nothing to import.")
        elif missing:
            text = (
                self.tr("Choose what to do with the conflict.")
                if missing == 1
                else self.tr("Choose what to do with {n} conflicts.").format(n=missing)
            )
        else:
            text = ""
        self._message.show_message(text)

    @Slot()
    def _choose_skip_for_all(self) -> None:
        for combo in self._combos.values():
            combo.setCurrentIndex(combo.findData(Resolution.SKIP.value))

    @Slot()
    def _request_import(self) -> None:
        if not self._import.isEnabled():
            return
        self._set_busy(True, self.tr("Importing…"))
        self.import_requested.emit(self.choices())

    def _working_widgets(self) -> list[QWidget]:
        return [self._tree, self._buttons, self._skip_all]

    def _work_ended(self) -> None:
        self._refresh()
