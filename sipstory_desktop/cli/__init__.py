"""``sipstory-keys``: the command line on the same core as the window. Imports no Qt.

Exit status: 0 when every checked entry is connected (or the command succeeded), 1 when
any checked entry is not, 2 on a usage, config or keyring error.
"""

from .app import EXIT_ERROR, EXIT_NOT_CONNECTED, EXIT_OK, main

__all__ = ["EXIT_ERROR", "EXIT_NOT_CONNECTED", "EXIT_OK", "main"]
