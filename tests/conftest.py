"""Fixtures shared by every test: a throw-away home, an in-memory keyring, a local server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring.core
import pytest

from sipstory_desktop.core.paths import HOME_VARIABLE, AppPaths, app_paths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.memory_keyring import MemoryKeyring

pytest_plugins = ["tests.support.real_parts"]

# Widget tests never need a screen; the X11 smoke tests set their own platform.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window (and the apps the tests start) in English, whatever the developer's language;
# tests of other languages ask for them.
os.environ["LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own app home, and keyring's default backend is a memory one,
    so that no test can touch the real keyring or config by accident."""
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(keyring.core, "_keyring_backend", MemoryKeyring())
    yield


PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment stands between the client and a local server."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def paths() -> AppPaths:
    return app_paths()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring) -> SecretStore:
    return SecretStore(backend=memory_keyring, timeout=5.0)


@pytest.fixture
def vault(paths: AppPaths, secrets: SecretStore) -> Vault:
    return Vault(paths, secrets)
