"""Where bench/ still looks for the real parts: it puts tests/ on ``sys.path`` and imports
``real_parts``. They live in ``tests/support/real_parts.py``; this module only hands them on,
until bench/ imports ``tests.support.real_parts`` itself (then delete this file)."""

from support.real_parts import running_secret_service, running_x_server, wait_for_window

__all__ = ["running_secret_service", "running_x_server", "wait_for_window"]
