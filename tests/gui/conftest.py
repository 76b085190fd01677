"""Fixtures of the widget tests: a real local Sipstory server, seeded entries, and the window.

The window fixture builds :class:`MainWindow` with short HTTP timeouts, registers it with
qtbot, and on teardown closes it and asserts that every thread pool it owns is done.
"""

from __future__ import annotations

import gc
import secrets as random_secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QLocale, QObject, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.entries import Entry, EntryKind
from sipstory_desktop.core.keys import key_hint
from sipstory_desktop.core.secrets import SERVICE_NAME
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import KeyState, SipstoryTestServer
from sipstory_desktop.demo.memory_keyring import MemoryKeyring
from sipstory_desktop.gui.app_style import use_app_style
from sipstory_desktop.gui.translations import install_translators
from sipstory_desktop.gui.window import MainWindow
from tests.support import ports
from tests.support.window import KnownKey, MakeWindow, Seed

POOL_WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def _collected_on_the_gui_thread() -> Iterator[None]:
    """Qt objects a test drops are collected at its end, on the GUI thread.

    A parentless QObject (a model, a session, a worker made by a test) caught in a
    reference cycle is otherwise destroyed whenever Python's cycle collector next runs,
    possibly on a worker thread of a later test: its timers are then killed from another
    thread, a Qt warning at best, a crash at worst.
    """
    yield
    gc.collect()


@pytest.fixture(autouse=True, scope="session")
def _app_style(qapp: QApplication) -> None:
    """The style the app uses (gui/app_style.py), as app.py sets it."""
    use_app_style(qapp)


@pytest.fixture(autouse=True, scope="session")
def _english_translation(qapp: QApplication) -> None:
    """The translation app.py installs on an English system: the source texts, with
    their plural forms ("1 key", "2 keys")."""
    install_translators(qapp, QLocale(QLocale.Language.English))


@pytest.fixture(autouse=True)
def _no_desktop_bus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No widget test reaches the session bus of the desktop it runs on: its tray, its
    notifications. Tests of those start a bus of their own."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")


@pytest.fixture
def owner() -> Iterator[QObject]:
    """A parent for the QObjects a test makes, deleted on the GUI thread at its end."""
    made = QObject()
    yield made
    shiboken6.delete(made)


@pytest.fixture
def server() -> Iterator[SipstoryTestServer]:
    """A real Sipstory-like HTTP server on 127.0.0.1 (proxy layout, no delay)."""
    with SipstoryTestServer(layout="proxy") as running:
        yield running


@pytest.fixture
def known_key(server: SipstoryTestServer) -> KnownKey:
    """``known_key(state="valid", org="default")``: a fresh random key the server knows."""

    def make(state: KeyState = "valid", org: str = "default") -> str:
        key = random_secrets.token_hex(32)
        server.add_key(key, org=org, state=state)
        return key

    return make


@pytest.fixture
def seed(vault: Vault, memory_keyring: MemoryKeyring) -> Seed:
    """``seed([(name, base_url, key), ...])``: entries written in one config update.

    Much faster than ``Vault.add`` for many entries; the keys go straight into the
    in-memory keyring (before any window exists, so no GUI thread is involved).
    """

    def write(specs: list[tuple[str, str, str | None]], note: str = "") -> list[Entry]:
        made = [
            Entry(
                name=name,
                kind=EntryKind.CUSTOM,
                base_url=base_url,
                note=note,
                key_hint=key_hint(key or ""),
            )
            for name, base_url, key in specs
        ]
        for entry, (_, _, key) in zip(made, specs, strict=True):
            if key is not None:
                memory_keyring.set_password(SERVICE_NAME, entry.id, key)
        vault.state.update(lambda s: s.secret_ids.update(e.id for e in made))
        vault.config.update(lambda entries: [*entries, *made])
        return made

    return write


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 on which nothing listens (connections are refused)."""
    return ports.closed_port()


def _pools(window: MainWindow) -> list[QThreadPool]:
    session = window.session
    return [
        window.worker.pool,
        window.loader.reader.pool,
        session._worker.pool,
        session._saver.pool,
    ]


def close_and_check(window: MainWindow) -> None:
    """Close ``window`` and assert that none of its pools has anything left to run."""
    window.close()
    assert window.session.shutdown(POOL_WAIT_MS), "checks still running after shutdown()"
    assert window.worker.wait(POOL_WAIT_MS), "keyring/config tasks still running"
    assert not window.session.active
    for pool in _pools(window):
        assert pool.waitForDone(POOL_WAIT_MS)
        assert pool.activeThreadCount() == 0


@pytest.fixture
def window(qtbot: QtBot, vault: Vault, server: SipstoryTestServer) -> MakeWindow:
    """``window(vault=None, show=True, **kwargs)``: a MainWindow over ``vault``.

    Depends on ``server`` so that the server outlives every window of the test. qtbot
    closes the windows at teardown, after :func:`close_and_check` has closed them and
    asserted that their pools are done.
    """

    def make(
        over: Vault | None = None, *, show: bool = True, wait_probe: bool = True, **kwargs: Any
    ) -> MainWindow:
        kwargs.setdefault("client", ApiClient(Timeouts(connect=2, read=3)))
        made = MainWindow(over or vault, **kwargs)
        qtbot.addWidget(made, before_close_func=close_and_check)
        if show:
            made.show()
            qtbot.waitExposed(made)
        qtbot.waitUntil(lambda: not made.loading)  # the list is read on a worker
        if wait_probe:  # the keyring probe runs right after start: let it land first
            qtbot.waitUntil(lambda: made.keyring.label.text() != "Looking for the keyring…")
        return made

    return make
