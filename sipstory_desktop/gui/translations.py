"""The window speaks the system's language: our ``.qm`` for it and Qt's own (``qtbase``, the
standard buttons: "Abbrechen", "Schließen"), installed before the window is made.

Loading costs well under a millisecond per file (the ``.qm`` is memory-mapped; see
docs/benchmarks.md), so it is done before the first paint rather than retranslating a
painted window. The command line (``sipstory-keys``) is never translated: its output is a
scripting contract.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

RESOURCES = "sipstory_desktop.resources"
BASENAME = "sipstory_desktop"


def translations_dir() -> Path:
    """Where our ``.qm`` files are: a real directory installed, in a checkout and frozen."""
    # Through the resources package, as the icons are: the bundle holds the folder but
    # not its own package (nothing imports it).
    return Path(str(files(RESOURCES) / "translations"))


def _wheel_qt_dir() -> str:
    """Qt's translations where PySide6's wheel (and the bundle) keeps them, should Qt's
    own idea of the place (QLibraryInfo) be elsewhere."""
    return str(Path(PySide6.__file__).parent / "Qt" / "translations")


def _load(app: QCoreApplication, locale: QLocale, name: str, directory: str) -> QTranslator | None:
    translator = QTranslator(app)  # owned by the app: lives as long as it does
    if not translator.load(locale, name, "_", directory):
        translator.deleteLater()
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install Qt's and our translations for ``locale`` (the system's by default), and
    return those installed (for ``QCoreApplication.removeTranslator``).

    Where we have no translation, English (the source language) is loaded for its plural
    forms. Qt's own are installed either way, so that standard buttons follow the system
    even in a language we do not ship."""
    locale = QLocale.system() if locale is None else locale
    installed = []
    for directory in (
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        _wheel_qt_dir(),
    ):
        qt = _load(app, locale, "qtbase", directory)
        if qt is not None:
            installed.append(qt)
            break
    try:
        ours_dir: Path | None = translations_dir()
    except (ImportError, OSError):
        ours_dir = None
    if ours_dir is None or not ours_dir.is_dir():  # a broken install: still opens, in English
        log.warning("no translations found at %s", ours_dir)
        return installed
    ours = _load(app, locale, BASENAME, str(ours_dir))
    if ours is None:  # English, the source, with its plural forms ("1 key", "2 keys")
        ours = _load(app, QLocale(QLocale.Language.English), BASENAME, str(ours_dir))
    if ours is not None:
        installed.append(ours)
        log.info("translation: %s", ours.language() or locale.name())
    return installed
