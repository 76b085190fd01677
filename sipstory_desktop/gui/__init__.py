"""The Qt window. The only package that imports Qt."""

from __future__ import annotations

import sys


def skip_pyside_source_scan() -> None:
    """Stop PySide reading the source of every module imported after it.

    PySide 6 looks for modules that use its ``__feature__`` switches by reading each newly
    imported module's source with ``inspect.getsource`` (PYSIDE-2029), which keeps all of
    it in ``linecache``: megabytes and a file read per module at every start of this app
    (docs/benchmarks.md, "What the code is shaped by").
    The app uses no ``__feature__`` switch, so no module needs them. Does nothing before
    PySide is imported, or with a PySide that does not do this.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature  # type: ignore[union-attr]


def _uses_no_feature(_module: object) -> bool:
    return False


skip_pyside_source_scan()  # PySide may be imported already (tests, tools)
