"""The window's tools, each a dialog over a background operation: the channels of a key,
Find API URL, export and import of entries, orphaned keys, and About."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from shiboken6 import isValid

from .. import APP_ID, APP_NAME, __version__
from ..core.status import CheckResult, Light, Status
from ..core.urls import instance_address_of
from .check_controller import CheckController
from .window_context import WindowContext
from .workers import describe_error

if TYPE_CHECKING:  # the dialogs and the network modules load when first used
    from ..core.channels import ChannelsResult
    from ..core.import_plan import ImportOutcome, ImportPlan
    from .entry.dialog import EntryDialog
    from .find_url_dialog import FindUrlDialog


class ToolCommands(QObject):
    """Channels, Find API URL, Export, Import, Clean up orphaned keys, About.

    Signals:
        use_base_url(object, str): Find API URL's "Use this URL" for that entry.
    """

    use_base_url = Signal(object, str)

    def __init__(self, context: WindowContext, checks: CheckController) -> None:
        super().__init__(context.window)
        self._context = context
        self._checks = checks

    # --- channels --------------------------------------------------------------------------

    def channels(self) -> None:
        """The organization's channels: the cached list, and a fetch on demand (1 request)."""
        entry = self._context.selected()
        if entry is None:
            return
        from ..core.channels import NoKeyError, refresh_channels
        from ..core.checker import keyring_error_result, plan_checks
        from ..core.secrets import SecretStoreError
        from .channels_dialog import ChannelsDialog

        context = self._context
        dialog = ChannelsDialog(entry.name, context.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show_cache(context.model.state.channels.get(entry.id))

        def fetched(result: ChannelsResult) -> None:
            context.model.set_results([(entry.id, result.check)])
            if not isValid(dialog):  # closed meanwhile
                return
            if result.cache is not None:
                dialog.show_cache(result.cache)
            else:
                dialog.show_failure(result.check)

        def failed(error: Exception) -> None:
            if not isValid(dialog):
                return
            dialog.set_busy(False)
            if isinstance(error, SecretStoreError):
                dialog.show_failure(keyring_error_result(error))
                return
            if isinstance(error, NoKeyError):
                failure = CheckResult(
                    Status.NO_SECRET,
                    self.tr("The keyring holds no key for this entry."),
                    self.tr("Use Replace key to store it."),
                    request_sent=False,
                )
            else:  # the state file, say: not the key's fault
                failure = CheckResult(
                    Status.UNEXPECTED,
                    describe_error(error),
                    self.tr("Try again; if it happens again, please report it with the log."),
                    request_sent=False,
                )
            dialog.show_failure(failure)

        def refresh() -> None:
            until = plan_checks(context.model.state, [entry]).held_until
            if until is not None and not self._checks.confirm_despite_429(entry, until):
                return
            dialog.set_busy(True)
            client = context.session.http_client
            context.op(
                lambda: refresh_channels(client(), context.vault, entry, force=True)
            ).success(fetched).failure(failed).run()

        dialog.refresh_requested.connect(refresh)
        dialog.open()

    # --- find API URL ----------------------------------------------------------------------

    def find_url(self) -> None:
        """Probe the likely API bases of the entry's instance; offer to fix the entry."""
        entry = self._context.selected()
        if entry is None:
            return
        address = instance_address_of(entry.base_url)
        dialog = self._find_url_dialog(address, self._context.window, entry.base_url)
        dialog.use_requested.connect(lambda url: self.use_base_url.emit(entry, url))

    def find_url_for(self, entry_dialog: EntryDialog, address: str) -> None:
        """Find API URL for an address typed in the add or edit dialog."""
        dialog = self._find_url_dialog(address, entry_dialog)
        dialog.use_requested.connect(entry_dialog.use_base_url)

    def _find_url_dialog(
        self, address: str, parent: QWidget, current_base_url: str | None = None
    ) -> FindUrlDialog:
        from .find_url_dialog import FindUrlDialog

        dialog = FindUrlDialog(address, parent, current_base_url=current_base_url)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._search(dialog, address)
        dialog.search_requested.connect(lambda again: self._search(dialog, again))
        dialog.open()
        return dialog

    def _search(self, dialog: FindUrlDialog, address: str) -> None:
        # Probes arrive from pool threads, one by one, through a relay the window owns: the
        # dialog may be closed (and deleted) before the search ends.
        from ..core.find_url import FindResult, find_api_url

        relay = _ProbeRelay(self)
        relay.probed.connect(dialog.probe_done)

        def finished(result: object) -> None:
            relay.deleteLater()
            if isValid(dialog) and isinstance(result, FindResult):
                dialog.search_finished(result)

        def failed(error: Exception) -> None:
            relay.deleteLater()
            if isValid(dialog):
                dialog.set_warning(describe_error(error))

        client = self._context.session.http_client
        self._context.op(
            lambda: find_api_url(client(), address, on_probe=relay.probed.emit)
        ).success(finished).failure(failed).run()

    # --- export and import -----------------------------------------------------------------

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._context.window,
            self.tr("Export entries (without keys)"),
            "sipstory-entries.json",
            self.tr("JSON files (*.json)"),
        )
        if not path:
            return
        vault = self._context.vault
        self._context.op(lambda: Path(path).write_bytes(vault.export())).success(
            lambda _: self._context.say(
                self.tr("Exported the entries, without their keys, to %s.") % path, 8000
            )
        ).titled(self.tr("Could not export")).run()

    def import_(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._context.window,
            self.tr("Import entries"),
            "",
            self.tr("JSON files (*.json);;All files (*)"),
        )
        if not path:
            return
        from ..core.export_format import MAX_EXPORT_BYTES

        vault = self._context.vault

        def preview() -> ImportPlan:
            with Path(path).open("rb") as source:
                return vault.preview_import(source.read(MAX_EXPORT_BYTES + 1))

        self._context.op(preview).success(self._show_import).titled(
            self.tr("Could not read the export")
        ).run()

    def _show_import(self, plan: ImportPlan) -> None:
        from .import_dialog import ImportDialog

        context = self._context
        dialog = ImportDialog(plan, context.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def imported(outcome: ImportOutcome) -> None:
            if isValid(dialog):
                dialog.show_outcome(outcome)
            context.loader.reload()  # many entries changed: read them again
            if outcome.found_keys:
                context.say(
                    self.tr("Found the keys of %d of %d new entries in the keyring.")
                    % (len(outcome.found_keys), len(outcome.created)),
                    10000,
                )
            if outcome.needs_key:
                context.banner.show_message(
                    Light.AMBER,
                    self.tr("Imported entries have no key yet."),
                    self.tr("Select each of them and use Replace key: %s.")
                    % ", ".join(outcome.needs_key),
                    retry=False,
                    topic="import",
                )

        def failed_import(error: Exception) -> None:
            context.loader.reload()  # a failure halfway may have changed the config
            if isValid(dialog):
                dialog.show_error(describe_error(error))

        dialog.import_requested.connect(
            lambda choices: (
                context.op(lambda: context.vault.import_entries(plan, choices))
                .success(imported)
                .failure(failed_import)
                .run()
            )
        )
        dialog.open()

    # --- orphans and about -----------------------------------------------------------------

    def orphans(self) -> None:
        context = self._context

        def show(orphans: list[str]) -> None:
            from .orphans_dialog import OrphansDialog

            dialog = OrphansDialog(orphans, context.window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def delete(ids: list[str]) -> list[str]:
                for entry_id in ids:
                    context.vault.remove_orphan(entry_id)
                return ids

            dialog.delete_requested.connect(
                lambda ids: (
                    context.op(lambda: delete(list(ids)))
                    .success(dialog.show_deleted)
                    .failure(lambda error: dialog.show_error(describe_error(error)))
                    .for_widget(dialog)  # closed meanwhile: nothing to show it in
                    .run()
                )
            )
            dialog.open()

        context.op(context.vault.orphans).success(show).titled(
            self.tr("Could not read the keyring")
        ).run()

    def about(self) -> None:
        QMessageBox.about(
            self._context.window,
            self.tr("About %s") % APP_NAME,
            self.tr(
                "<h3>%s %s</h3><p>Keep your Sipstory API keys in the system keyring and see at "
                "a glance which ones work.</p><p>Application id: %s</p>"
            )
            % (APP_NAME, __version__, APP_ID),
        )


class _ProbeRelay(QObject):
    """Carries find-url probes from pool threads to the GUI thread (queued signal)."""

    probed = Signal(object)
