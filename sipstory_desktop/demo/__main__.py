"""``python -m sipstory_desktop.demo``: run the local Sipstory test server (see ``server.main``)."""

from __future__ import annotations

from sipstory_desktop.demo.server import main

if __name__ == "__main__":
    raise SystemExit(main())
