"""Entry point of the frozen ``sipstory-keys``."""

import sys

from sipstory_desktop.cli import main

sys.exit(main())
