"""Keys out of files and into terminals: File -> Import keys from .env files, and Use in a
terminal (the ``sipstory-keys run`` and ``env`` lines of an entry)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject, Qt
from PySide6.QtWidgets import QFileDialog
from shiboken6 import isValid

from .window_context import WindowContext
from .workers import describe_error

if TYPE_CHECKING:  # read and checked on workers, when first used
    from ..core.dotenv_keys import ScannedFile
    from ..core.env_import import EnvKey


class TerminalCommands(QObject):
    """Import keys from .env files; Use in a terminal."""

    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.window)
        self._context = context

    def use_in_terminal(self) -> None:
        """The lines that use the entry's key from a shell (no key in them)."""
        entry = self._context.selected()
        if entry is None:
            return
        from .terminal_use_dialog import TerminalUseDialog

        dialog = TerminalUseDialog(entry, self._context.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_env(self) -> None:
        """File -> Import keys from .env files: choose the files, then the preview."""
        dialog = QFileDialog(self._context.window, self.tr("Import keys from .env files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [self.tr("dotenv files (.env .env.* *.env)"), self.tr("All files (*)")]
        )
        dialog.setFilter(dialog.filter() | QDir.Filter.Hidden)  # .env files are hidden ones
        if dialog.exec() == QFileDialog.DialogCode.Accepted and dialog.selectedFiles():
            self.import_env_files([Path(name) for name in dialog.selectedFiles()])

    def import_env_files(self, paths: list[Path]) -> None:
        """Read ``paths`` for Sipstory keys (on a worker), then show what was found."""
        from ..core.dotenv_keys import scan_files
        from ..core.env_import import plan_env_import

        vault = self._context.vault

        def read() -> tuple[list[EnvKey], list[ScannedFile]]:
            scanned = scan_files(paths)
            return plan_env_import(vault, scanned), scanned

        self._context.op(read).success(lambda found: self._show_env_import(*found)).titled(
            self.tr("Could not read the files")
        ).run()

    def _show_env_import(self, planned: list[EnvKey], scanned: list[ScannedFile]) -> None:
        from ..core.env_import import check_env_keys, save_env_keys, scrub_files
        from .env_import_dialog import EnvImportDialog

        context = self._context
        dialog = EnvImportDialog(planned, scanned, context.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def failed(error: Exception) -> None:
            if isValid(dialog):
                dialog.show_error(describe_error(error))

        def save(keys: list[EnvKey], scrubbing: bool) -> str:
            saved = save_env_keys(context.vault, keys)
            said = [self.tr("Saved %n key(s) in the keyring.", "", len(saved))]
            for file in scrub_files(scanned, keys) if scrubbing else []:
                said.append(
                    self.tr("Scrubbed %s (its old version is in %s, mode 0600).")
                    % (file.path, file.backup)
                    if file.backup
                    else file.problem
                )
            return " ".join(said)

        def saved(text: str) -> None:
            context.loader.reload()  # new entries, or keys of entries that had none
            if isValid(dialog):
                dialog.show_saved(text)

        def checked(keys: list[EnvKey]) -> None:
            if isValid(dialog):
                dialog.show_checks(keys)

        client = context.session.http_client
        dialog.check_requested.connect(
            lambda keys: (
                context.op(lambda: check_env_keys(client(), context.vault, keys))
                .success(checked)
                .failure(failed)
                .run()
            )
        )
        dialog.save_requested.connect(
            lambda keys, scrubbing: (
                context.op(lambda: save(keys, scrubbing)).success(saved).failure(failed).run()
            )
        )
        dialog.open()
