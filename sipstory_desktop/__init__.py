"""Sipstory Desktop: keep Sipstory API keys in the OS keyring and check them."""

from __future__ import annotations

from importlib import metadata

APP_ID = "tech.sipstory.Desktop"
APP_NAME = "Sipstory Desktop"

try:
    __version__ = metadata.version("sipstory-desktop")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
