"""``python -m sipstory_desktop.cli``: the same as ``sipstory-keys``."""

import sys

from . import main

sys.exit(main())
