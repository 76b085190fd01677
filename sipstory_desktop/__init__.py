"""Sipstory Desktop: keep Sipstory API keys in the OS keyring and check them."""

from __future__ import annotations

APP_ID = "tech.sipstory.Desktop"
APP_NAME = "Sipstory Desktop"

# The package's version (pyproject.toml reads it from here). A literal, not
# importlib.metadata: that import alone would weigh on every start (docs/benchmarks.md).
__version__ = "0.1.0"
