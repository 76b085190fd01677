"""Failing file system calls end in a message and exit status 2, never in a traceback.

design.md: "Exit status 0 ..., 1 when any is not [connected], 2 on a usage, config or
keyring error." A traceback exits with 1, which a script reads as "a key does not work".
The app's files live under ``SIPSTORY_DESKTOP_HOME``. A home below a regular file is
reported well (reading the config fails first, as a ConfigError), and so is a home whose
lock file cannot be opened (here: it is a directory; for a user who is not root, also a
home that became read-only, or a lock file owned by another user).

The lock-file tests are regression tests of a bug the robustness suite found: an OSError
from ``fileio.locked()`` (the lock file cannot be opened or its folder made) escaped
``ConfigStore.update``/``StateStore.update`` and ``cli.main`` as a traceback with exit
status 1, instead of a ConfigError/StateError and exit status 2.
"""

from __future__ import annotations

import io
import secrets
import shutil
from pathlib import Path

import pytest

from sipstory_desktop import cli
from sipstory_desktop.core.entries import EntryKind
from sipstory_desktop.core.paths import HOME_VARIABLE, AppPaths, app_paths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.vault import Vault


def _seeded(paths: AppPaths) -> str:
    """A home with one entry (its key in keyring's default backend, the test's memory one)."""
    key = secrets.token_hex(32)
    Vault(paths, SecretStore(timeout=5)).add(
        "Acme", EntryKind.CUSTOM, "http://127.0.0.1:9/api/public/v1", key
    )
    return key


def _lock_is_a_directory(paths: AppPaths) -> None:
    paths.lock_file.unlink()
    paths.lock_file.mkdir()


def _run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin=""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["add", "remove", "replace-key", "set-key"])
def test_a_home_whose_lock_cannot_be_opened_gives_exit_2_and_a_message(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = app_paths()
    _seeded(paths)
    _lock_is_a_directory(paths)
    key = secrets.token_hex(32)
    argv = {
        "add": ["add", "Other", "--cloud"],
        "remove": ["remove", "Acme"],
        "replace-key": ["replace-key", "Acme"],
        "set-key": ["set-key", "Acme"],
    }[command]
    code, out, err = _run(argv, monkeypatch, capsys, stdin=key + "\n")
    assert code == cli.EXIT_ERROR
    assert err.startswith("error: ")
    assert key not in out + err


def test_a_home_below_a_file_gives_exit_2_and_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home's parent should be")
    monkeypatch.setenv(HOME_VARIABLE, str(blocker / "home"))
    code, _, err = _run(["add", "Acme", "--cloud"], monkeypatch, capsys, stdin="k" * 40 + "\n")
    assert code == cli.EXIT_ERROR
    assert err.startswith("error: ")


def test_check_whose_results_cannot_be_saved_still_reports_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like a StateError, a lock that fails only costs the saving of the results."""
    paths = app_paths()
    _seeded(paths)
    _lock_is_a_directory(paths)
    code, out, err = _run(["check", "--json", "--timeout", "1"], monkeypatch, capsys)
    assert code == cli.EXIT_NOT_CONNECTED  # the entry's server is unreachable
    assert '"unreachable"' in out
    assert "results not saved" in err


def test_the_same_failures_with_a_usable_home_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control: with the lock file back in place, the same commands succeed."""
    paths = app_paths()
    _seeded(paths)
    _lock_is_a_directory(paths)
    shutil.rmtree(paths.lock_file)
    key = secrets.token_hex(32)
    assert _run(["add", "Other", "--cloud"], monkeypatch, capsys, stdin=key + "\n")[0] == 0
    assert _run(["replace-key", "Acme"], monkeypatch, capsys, stdin=key + "\n")[0] == 0
    assert _run(["set-key", "Acme"], monkeypatch, capsys, stdin=key + "\n")[0] == 0
    assert _run(["remove", "Acme"], monkeypatch, capsys)[0] == 0
