"""``sipstory-keys``: the command line on the same core as the window. Imports no Qt.

Exit status: 0 when every checked entry is connected (or the command succeeded), 1 when
any checked entry is not, 2 on a usage, config or keyring error.

``app`` builds the parser from the commands of ``entries``, ``checks``, ``channels``,
``find_url`` and ``transfer``; ``output`` holds what they print alike and turns an error
into a message and exit status 2; ``vault_access`` opens the vault and finds an entry.
"""

from .app import main
from .output import EXIT_ERROR, EXIT_NOT_CONNECTED, EXIT_OK

__all__ = ["EXIT_ERROR", "EXIT_NOT_CONNECTED", "EXIT_OK", "main"]
