"""The window over a real KeePassXC (its Secret Service, a real database, on Xvfb): named
truthfully, the database locked while the window runs, and unlocked from the window."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.SecretService
import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.entries import EntryKind
from sipstory_desktop.core.paths import app_paths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.status import Status
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.keyring_status import LOCKED_TOPIC
from sipstory_desktop.gui.window import MainWindow
from tests.support.cli import new_key
from tests.support.real_parts import SecretProvider, running_keepassxc

pytestmark = pytest.mark.secret_service
WAIT_MS = 30_000


@pytest.fixture
def keepassxc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretProvider]:
    with running_keepassxc(tmp_path / "keepassxc") as running:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", running.env["DBUS_SESSION_BUS_ADDRESS"])
        yield running


@pytest.fixture
def server() -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout="proxy") as running:
        yield running


def statuses(window: MainWindow) -> set[Status]:
    return {r.status for e in window.model.entries() if (r := window.model.result(e.id))}


def test_the_window_names_keepassxc_says_locked_and_unlocks_it(
    qtbot: QtBot, keepassxc: SecretProvider, server: SipstoryTestServer
) -> None:
    store = SecretStore(backend=keyring.backends.SecretService.Keyring(), timeout=10)
    vault = Vault(app_paths(), store)
    for name in ("Acme", "Globex"):
        key = new_key()
        server.add_key(key, org=name)
        vault.add(name, EntryKind.SELF_HOSTED, server.url, key)

    window = MainWindow(vault, client=ApiClient(Timeouts(connect=2, read=3)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.keyring.backend is not None, timeout=WAIT_MS)
    assert window.keyring.label.text() == "Keys in KeePassXC (Secret Service) (secure)"

    with qtbot.waitSignal(window.session.idle, timeout=WAIT_MS):
        window.check_all()
    assert statuses(window) == {Status.CONNECTED}

    keepassxc.lock()  # while the window runs
    with qtbot.waitSignal(window.session.idle, timeout=WAIT_MS):
        window.check_all()
    assert statuses(window) == {Status.KEYRING_ERROR}
    assert [window.model.result(e.id).message for e in window.model.entries()] == [  # type: ignore[union-attr]
        "KeePassXC is locked."
    ] * 2
    assert (window.banner.topic, window.banner.title) == (LOCKED_TOPIC, "KeePassXC is locked.")
    assert len(window.model.entries()) == 2  # nothing lost

    answering = threading.Thread(target=keepassxc.answer_unlock)
    answering.start()
    window.banner._action.click()  # Unlock: KeePassXC shows its dialog; typed into on Xvfb
    qtbot.waitUntil(lambda: statuses(window) == {Status.CONNECTED}, timeout=WAIT_MS)
    answering.join()
    assert not window.keyring.unlocking

    window.close()
    for pool in [QThreadPool.globalInstance(), *window.findChildren(QThreadPool)]:
        assert pool.waitForDone(10_000)


def test_quitting_while_a_check_waits_for_keepassxcs_access_prompt_ends_the_wait(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: SipstoryTestServer
) -> None:
    """KeePassXC asks whether the app may read the keys; nobody answers; the user quits.
    The prompt's limit here is ten minutes: only the cancellation lets the window close
    (else the test's own timeout fails it)."""
    with running_keepassxc(tmp_path / "keepassxc", confirm_access=True) as keepassxc:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", keepassxc.env["DBUS_SESSION_BUS_ADDRESS"])
        key = new_key()
        server.add_key(key, org="acme")
        added = subprocess.run(  # another program (process) stored it: KeePassXC will ask
            [sys.executable, "-m", "sipstory_desktop.cli", "add", "Acme", "--instance", server.url],
            input=key + "\n",
            env={**os.environ, **keepassxc.env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        store = SecretStore(backend=keyring.backends.SecretService.Keyring(), timeout=600)
        window = MainWindow(Vault(app_paths(), store), client=ApiClient(Timeouts(2, 3)))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.keyring.backend is not None, timeout=WAIT_MS)
        window.check_all()
        qtbot.waitUntil(
            lambda: "Waiting for KeePassXC" in window.statusBar().currentMessage(),
            timeout=WAIT_MS,
        )
        window.close()  # the access request is still open in KeePassXC
        assert store.cancel.is_set()
        assert not window.session.active
