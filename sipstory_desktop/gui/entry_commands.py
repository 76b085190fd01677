"""Adding, editing and removing entries, and replacing a key: the dialogs, and the saves
on a worker, whose outcome the list shows at once (no reload from disk)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from shiboken6 import isValid

from ..core.checker import has_no_key
from ..core.entries import Entry, EntryError, EntryKind
from ..core.keys import clean_key, masked
from ..core.secrets import SecretErrorKind, SecretStoreError
from ..core.status import CheckResult, Light
from ..core.vault import Saved
from .questions import confirm
from .replaced_keys import ReplacedKey, ReplacedKeys
from .result_texts import translated
from .window_context import WindowContext
from .workers import describe_error

if TYPE_CHECKING:  # the dialog is imported when first opened (start-up time)
    from .entry.dialog import EntryDialog
    from .entry.draft import DialogMode, EntryDraft


class EntryCommands(QObject):
    """Add, Edit, Replace key, Remove, and the Find API URL fix of an entry.

    Signals:
        find_url_requested(object, str): the add or edit dialog (first) asks for the API
            URL of the address typed in it (second).
    """

    find_url_requested = Signal(object, str)

    UNDO_TOPIC = "undo-replace:"  # + the entry id: the banner that offers Undo replace

    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.window)
        self._context = context
        self.replaced = ReplacedKeys()  # the keys replaced this session: memory only
        context.banner.action_requested.connect(self._banner_action)

    def add(self) -> EntryDialog:
        from .entry.draft import DialogMode

        tested: list[CheckResult] = []  # filled on the worker, read once it is done

        def save(draft: EntryDraft) -> Saved:
            assert draft.key is not None
            vault = self._context.vault
            saved = vault.add(
                draft.name,
                draft.kind,
                draft.address,
                draft.key,
                draft.note,
                first_check=draft.checked,  # the dialog's test spent a request: keep it
            )
            tested[:] = [draft.checked] if draft.checked is not None else []
            return saved

        def added(outcome: Saved) -> None:
            if tested:  # shown at once, as the state file now holds it
                self._context.model.set_results([(outcome.entry.id, tested.pop())])

        return self._open(DialogMode.ADD, None, save, then=added)

    def edit(self) -> EntryDialog | None:
        entry = self._context.selected()
        if entry is None:
            return None
        from .entry.draft import DialogMode

        return self._open(
            DialogMode.EDIT,
            entry,
            lambda draft: self._context.vault.edit(
                entry.id, name=draft.name, kind=draft.kind, address=draft.address, note=draft.note
            ),
        )

    def replace_key(self) -> EntryDialog | None:
        entry = self._context.selected()
        if entry is None:
            return None

        previous: list[ReplacedKey] = []  # filled on the worker, read once it is done

        def save(draft: EntryDraft) -> Saved:
            assert draft.key is not None
            vault = self._context.vault
            try:
                old = vault.secrets.get(entry.id)  # kept in memory, for Undo replace
            except SecretStoreError as error:
                if error.kind is not SecretErrorKind.FAILED:
                    raise  # locked, no keyring, timed out: the replace would fail too
                old = None  # a damaged item: replacing it is the repair, with no Undo
            saved = vault.replace_key(entry.id, draft.key, tested=draft.checked)
            self._context.session.forget_key(entry.id)  # a queued check reads the new key
            new = clean_key(draft.key).key  # as stored
            if old is not None and old != new:
                previous[:] = [ReplacedKey(old, entry.key_hint, new)]
            return saved

        def replaced(outcome: Saved) -> None:
            if previous:
                self.replaced.keep(entry.id, previous.pop())
                self._offer_undo(outcome)

        from .entry.draft import DialogMode

        return self._open(DialogMode.REPLACE_KEY, entry, save, then=replaced)

    def _offer_undo(self, outcome: Saved) -> None:
        """A banner that says the previous key is kept, with Undo replace."""
        kept = self.replaced.get(outcome.entry.id)
        if kept is None:
            return
        text = self.tr(
            "The previous key ({masked}) is kept in memory until you quit, in case the new "
            "one is wrong: Undo replace stores it in the keyring again."
        ).format(masked=masked(kept.hint))
        self._context.banner.show_message(
            Light.GREY,
            self.tr("Replaced the key of “%s”.") % outcome.entry.name,
            "\n".join([text, *map(translated, outcome.notes)]),
            retry=False,
            topic=self.UNDO_TOPIC + outcome.entry.id,
            action=self.tr("Undo replace"),  # no mnemonic: the details have Und&o
        )

    def undo_replace(self, entry_id: str) -> bool:
        """Store the key that the last Replace key of ``entry_id`` took out of the keyring
        again; False when none is kept."""
        kept = self.replaced.get(entry_id)
        if kept is None:
            return False
        context = self._context
        changed = self.tr(
            "The key was changed elsewhere since it was replaced (by sipstory-keys, or by a "
            "teammate in a shared vault). Undo replace would overwrite that newer key, so "
            "the keyring was left as it is."
        )

        def restore() -> Saved:
            if kept.replacement and context.vault.secrets.get(entry_id) != kept.replacement:
                raise EntryError(changed)  # not ours to overwrite any more
            saved = context.vault.replace_key(entry_id, kept.key)
            context.session.forget_key(entry_id)  # a queued check reads the restored key
            return saved

        def restored(outcome: Saved) -> None:
            self.replaced.drop(entry_id)
            context.banner.hide_message(self.UNDO_TOPIC + entry_id)
            self._show_saved(outcome)
            context.say(self.tr("Restored the previous key of “%s”.") % outcome.entry.name, 8000)

        context.op(restore).success(restored).titled(
            self.tr("Could not restore the previous key")
        ).run()
        return True

    def _banner_action(self, topic: str) -> None:
        if topic.startswith(self.UNDO_TOPIC):
            self.undo_replace(topic.removeprefix(self.UNDO_TOPIC))

    def remove(self) -> None:
        entry = self._context.selected()
        if entry is None:
            return
        if not confirm(
            self._context.window,
            self.tr("Remove “%s”?") % entry.name,
            self.tr("Remove “%s” (%s) and delete its key from the keyring?")
            % (entry.name, entry.base_url),
            details=self.tr("The key itself stays valid in Sipstory until you rotate it there."),
        ):
            return

        def removed(_: object) -> None:
            self.replaced.drop(entry.id)
            self._context.banner.hide_message(self.UNDO_TOPIC + entry.id)
            self._context.entries.forget_selection()
            self._context.model.drop_entry(entry.id)
            self._context.loader.reload()  # shown at once; read again to be sure
            self._context.say(self.tr("Removed “%s” and deleted its key.") % entry.name, 5000)

        self._context.op(lambda: self._context.vault.remove(entry.id)).success(removed).titled(
            self.tr("Could not remove the entry")
        ).run()

    def use_base_url(self, entry: Entry, base_url: str) -> None:
        """Make ``entry`` a custom one on ``base_url`` (Find API URL found it)."""

        def saved(outcome: Saved) -> None:
            self._show_saved(outcome)
            self._context.say(self.tr("“%s” now uses %s.") % (outcome.entry.name, base_url), 8000)

        self._context.op(
            lambda: self._context.vault.edit(entry.id, kind=EntryKind.CUSTOM, address=base_url)
        ).success(saved).titled(self.tr("Could not change the entry")).run()

    def _open(
        self,
        mode: DialogMode,
        entry: Entry | None,
        save: Callable[[EntryDraft], Saved],
        then: Callable[[Saved], None] | None = None,
    ) -> EntryDialog:
        from ..core.checker import check_key
        from .entry.dialog import EntryDialog

        context = self._context
        others = [e.name for e in context.model.entries() if entry is None or e.id != entry.id]
        no_key = entry is not None and has_no_key(context.model.state, entry)
        dialog = EntryDialog(
            mode,
            context.window,
            entry=entry,
            existing_names=others,
            storage=context.vault.secrets.known_info(),
            no_key=no_key,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved(outcome: Saved) -> None:
            if isValid(dialog):
                dialog.save_succeeded()
            self._show_saved(outcome)
            if outcome.notes:
                context.banner.show_message(
                    Light.AMBER,
                    self.tr("Saved, with a note."),
                    "\n".join(map(translated, outcome.notes)),
                    retry=False,
                    topic="saved",
                )
            else:
                context.say(self.tr("Saved “%s”.") % outcome.entry.name, 5000)
            if then is not None:
                then(outcome)

        def failed(error: Exception) -> None:
            context.loader.reload()  # a failure halfway may have changed the files
            if isValid(dialog):
                dialog.save_failed(describe_error(error))

        dialog.save_requested.connect(
            lambda draft: context.op(lambda: save(draft)).success(saved).failure(failed).run()
        )
        dialog.find_url_requested.connect(
            lambda address: self.find_url_requested.emit(dialog, address)
        )
        dialog.check_requested.connect(
            lambda base_url, key: (
                context.op(lambda: check_key(context.session.http_client(), base_url, key))
                .success(dialog.show_check_result)
                .failure(failed)
                .for_widget(dialog)  # closed meanwhile: nothing to show it in
                .run()
            )
        )
        dialog.open()
        return dialog

    def _show_saved(self, outcome: Saved) -> None:
        """The saved entry in the list at once, and selected; then the files are read
        again (cheap: what is shown is already what they hold), in case the watcher of the
        files does not see it (some network file systems)."""
        self._context.entries.select_when_shown(outcome.entry.id)
        self._context.model.put_entry(outcome.entry)
        self._context.loader.reload()
