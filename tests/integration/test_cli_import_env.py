"""``sipstory-keys import-env`` as users run it: keys found in real files, previewed without
any change, saved into the real Secret Service when asked, and the files scrubbed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli, new_key

pytestmark = pytest.mark.secret_service


def _project(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    env = folder / ".env"
    env.write_text(text, newline="")
    return env


def test_a_preview_changes_nothing_and_shows_no_key(cli: Cli, tmp_path: Path) -> None:
    key = new_key()
    env = _project(tmp_path, "acme", f"SIPSTORY_API_KEY={key}\r\nOPENAI_API_KEY=sk-x\r\n")
    before = env.read_bytes()
    done = cli("import-env", str(env))
    assert done.code == 0, done.err
    assert key not in done.everything and f"••••{key[-4:]}" in done.out
    assert "new entry 'acme'" in done.out and "1 other *_API_KEY" in done.out
    assert "--yes" in done.err and "Nothing was saved" in done.err
    assert env.read_bytes() == before and json.loads(cli("list", "--json").out) == []
    listed = json.loads(cli("import-env", str(env), "--json").out)
    assert listed == [
        {
            "places": [{"file": str(env), "lines": [1], "variable": "SIPSTORY_API_KEY"}],
            "key": f"••••{key[-4:]}",
            "base_url": "https://api.sipstory.tech/public/v1",
            "outcome": "new",
            "entry": "acme",
            "status": None,
        }
    ]


def test_saved_checked_and_scrubbed_then_used_through_run(
    cli: Cli, tmp_path: Path, server: SipstoryTestServer
) -> None:
    key = new_key()
    server.add_key(key, org="acme")
    base = f"{server.url}/api/public/v1"
    env = _project(tmp_path, "acme", f"export POSTIZ_API_KEY='{key}'\nPOSTIZ_API_URL={base}\n")
    done = cli("import-env", str(env), "--check", "--scrub", "--yes")
    assert done.code == 0, done.err
    assert "Connected" in done.out and "Saved the key of 'acme'" in done.out
    assert "Scrubbed" in done.out and key not in done.everything
    assert key not in env.read_text() and "POSTIZ_API_URL" in env.read_text()
    backup = env.with_name(".env.bak")
    assert key in backup.read_text() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    (entry,) = json.loads(cli("list", "--json").out)
    assert (entry["name"], entry["base_url"]) == ("acme", base)

    again = cli("import-env", str(backup))  # the same key: already saved, nothing to do
    assert again.code == 0 and "already saved as 'acme'" in again.out
    used = cli("run", "acme", "--key-var", "POSTIZ_API_KEY", "--", "sh", "-c",
               'test "$POSTIZ_API_KEY" = "$1"', "sh", key)  # fmt: skip
    assert used.code == 0, used.err


def test_an_imported_entry_without_a_key_gets_it(cli: Cli, tmp_path: Path) -> None:
    export = tmp_path / "entries.json"
    assert cli("add", "Acme prod", "--cloud", stdin=new_key()).code == 0
    assert cli("export", str(export)).code == 0
    assert cli("remove", "Acme prod").code == 0  # the first machine's key: gone
    other_home = Cli(
        tmp_path / "second-home",
        {**cli.env, "SIPSTORY_DESKTOP_HOME": str(tmp_path / "second-home")},
    )
    imported = other_home("import", str(export))
    assert imported.code == 0, imported.err
    key = new_key()
    env = _project(tmp_path, "acme", f"SIPSTORY_API_KEY={key}\n")
    done = other_home("import-env", str(env), "--yes")
    assert done.code == 0, done.err
    assert "key of 'Acme prod' (it has none)" in done.out
    assert other_home("get", "Acme prod").out.strip() == key


def test_unreadable_files_are_said_and_the_others_read(cli: Cli, tmp_path: Path) -> None:
    good = _project(tmp_path, "acme", f"SIPSTORY_API_KEY={new_key()}\n")
    done = cli("import-env", str(tmp_path / "missing.env"), str(tmp_path), str(good))
    assert done.code == 2
    assert "does not exist" in done.err and "is a folder" in done.err
    assert "new entry 'acme'" in done.out and "Traceback" not in done.err
