"""Entry point of the frozen ``sipstory-desktop``."""

import sys

from sipstory_desktop.gui.app import main

sys.exit(main())
