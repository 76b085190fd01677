"""``sipstory-keys`` as users run it: a subprocess, a real local server over HTTP, and the
real Secret Service (gnome-keyring on a private D-Bus session)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli, new_key
from tests.support.ports import closed_port
from tests.support.real_parts import read_all_files

pytestmark = pytest.mark.secret_service


def test_add_list_check_remove_with_the_key_nowhere_on_disk(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key, org="acme")

    added = cli("add", "Acme", "--instance", server.url, stdin=key + "\n")
    assert added.code == 0, added.err
    assert "GNOME Keyring (Secret Service)" in added.out
    assert key[-4:] in added.out

    listed = cli("list", "--json")
    assert listed.code == 0
    [item] = json.loads(listed.out)
    assert item["name"] == "Acme"
    assert item["base_url"] == server.url + "/api/public/v1"
    assert item["last_status"] == "unchecked"
    assert item["last_checked_at"] is None

    code, results = cli.check_json()
    assert code == 0
    assert results["Acme"]["status"] == "connected"
    assert results["Acme"]["ok"] is True
    assert results["Acme"]["http_status"] == 200
    assert isinstance(results["Acme"]["latency_ms"], int)
    assert str(results["Acme"]["checked_at"]).endswith("Z")
    sent = [r for r in server.requests if r.path.endswith("/is-connected")]
    assert sent[-1].headers["Authorization"] == key  # raw key, no Bearer
    assert sent[-1].headers["User-Agent"].startswith("SipstoryDesktop/")

    table = cli("check")
    assert table.code == 0
    assert "Connected" in table.out and "Acme" in table.out
    assert "\033[" not in table.out  # piped: no colour codes

    listed = json.loads(cli("list", "--json").out)
    assert listed[0]["last_status"] == "connected"
    assert listed[0]["checks_last_hour"] == 2

    removed = cli("remove", "acme")
    assert removed.code == 0, removed.err
    assert json.loads(cli("list", "--json").out) == []
    check_after = cli("check", "Acme")
    assert check_after.code == 2
    assert "No entry called 'Acme'" in check_after.err

    assert key.encode() not in read_all_files(cli.home)
    assert all(key not in output for output in cli.outputs)


def test_the_removed_key_is_gone_from_the_keyring(
    cli: Cli, server: SipstoryTestServer, secret_service: dict[str, str]
):
    key = new_key()
    server.add_key(key)
    assert cli("add", "Gone", "--base-url", server.api_base, stdin=key).code == 0
    entry_id = json.loads((cli.home / "config.json").read_text())["entries"][0]["id"]
    probe = [
        sys.executable,
        "-c",
        "import sys, keyring\n"
        "print(keyring.get_password('tech.sipstory.Desktop', sys.argv[1]) is not None)",
        entry_id,
    ]
    assert (
        subprocess.run(
            probe, env=cli.env, capture_output=True, text=True, check=True
        ).stdout.strip()
        == "True"
    )
    assert cli("remove", "Gone").code == 0
    assert (
        subprocess.run(
            probe, env=cli.env, capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )


def test_every_status_the_server_can_produce(cli: Cli, server: SipstoryTestServer):
    keys = {state: new_key() for state in ("valid", "rotated", "no_subscription")}
    for state, key in keys.items():
        server.add_key(key, org=state, state=state)  # type: ignore[arg-type]
    limited = new_key()
    server.add_key(limited, org="busy")
    server.set_rate_limit("busy", 0)
    backend = SipstoryTestServer(layout="backend").start()
    try:
        backend.add_key(keys["valid"], org="valid")
        plan = {
            # name: (where, key)
            "connected": (server.api_base, keys["valid"]),
            "invalid_key": (server.api_base, keys["rotated"]),
            "no_subscription": (server.api_base, keys["no_subscription"]),
            "not_api": (server.url, keys["valid"]),  # the web app: 200 HTML
            "not_api_404": (backend.url + "/api/public/v1", keys["valid"]),
            "redirected": (server.fault_base("redirect"), keys["valid"]),
            "unreachable": (f"http://127.0.0.1:{closed_port()}/api/public/v1", keys["valid"]),
            "timeout": (server.fault_base("slow"), keys["valid"]),
            "server_error": (server.fault_base("server_error"), keys["valid"]),
            "rate_limited": (server.api_base, limited),
            "unexpected": (server.fault_base("not_connected"), keys["valid"]),
            "reset": (server.fault_base("reset"), keys["valid"]),
            "no_secret": (server.api_base, keys["valid"]),
        }
        for name, (where, key) in plan.items():
            run = cli("add", name, "--base-url", where, stdin=key + "\n")
            assert run.code == 0, run.err
        _delete_key_behind_the_apps_back(cli, "no_secret")

        code, results = cli.check_json(timeout_s="1.5")
    finally:
        backend.stop()

    assert code == 1
    expected = {name: name for name in plan} | {"not_api_404": "not_api", "reset": "unreachable"}
    assert {name: r["status"] for name, r in results.items()} == expected
    for name, result in results.items():
        assert result["ok"] is (name == "connected")
        assert result["message"], name
        if name != "connected":
            assert result["hint"], name
    assert results["not_api"]["suggested_base_url"] == server.url + "/api/public/v1"
    assert "web app" in str(results["not_api"]["message"])
    assert "rotated" in str(results["invalid_key"]["hint"])
    assert (
        results["redirected"]["location"]
        == "https://sipstory.example.com/api/public/v1/is-connected"
    )
    assert results["rate_limited"]["retry_at"] is not None
    assert "again" in str(results["rate_limited"]["message"])
    assert results["no_secret"]["http_status"] is None
    assert results["unreachable"]["http_status"] is None
    assert "running" in str(results["unreachable"]["hint"])

    # The last results are what `list` reports.
    listed = {i["name"]: i["last_status"] for i in json.loads(cli("list", "--json").out)}
    assert listed == expected
    assert all(all(k not in output for k in [*keys.values(), limited]) for output in cli.outputs)
    for key in [*keys.values(), limited]:
        assert key.encode() not in read_all_files(cli.home)


def _delete_key_behind_the_apps_back(cli: Cli, name: str) -> None:
    entries = json.loads((cli.home / "config.json").read_text())["entries"]
    entry_id = next(e["id"] for e in entries if e["name"] == name)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, keyring; keyring.delete_password('tech.sipstory.Desktop', sys.argv[1])",
            entry_id,
        ],
        env=cli.env,
        check=True,
        timeout=30,
    )


def test_bearer_prefix_is_stripped_and_the_key_then_works(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key)
    run = cli("add", "Pasted", "--base-url", server.api_base, stdin=f"  Bearer {key}  \n")
    assert run.code == 0
    assert "Removed the 'Bearer ' prefix" in run.err
    code, results = cli.check_json("Pasted")
    assert (code, results["Pasted"]["status"]) == (0, "connected")


def test_check_names_and_exit_status(cli: Cli, server: SipstoryTestServer):
    good, bad = new_key(), new_key()
    server.add_key(good)
    server.add_key(bad, state="rotated")
    assert cli("add", "Good", "--base-url", server.api_base, stdin=good).code == 0
    assert cli("add", "Bad", "--base-url", server.api_base, stdin=bad).code == 0
    assert cli("check", "Good").code == 0
    assert cli("check", "Good", "Bad").code == 1
    assert cli("check").code == 1
    failing = cli("check", "Bad")
    assert "Invalid key" in failing.out
    assert "Settings → Developers" in failing.out


def test_usage_errors_exit_2_and_save_nothing(cli: Cli, server: SipstoryTestServer):
    cases = [
        (["add", "A", "--cloud"], "", "No key on standard input"),
        (["add", "A", "--cloud"], "Bearer\n", "Only 'Bearer'"),
        (["add", "A", "--base-url", "ftp://example.com"], "k" * 64, "only https://"),
        (
            ["add", "A", "--base-url", "https://u:p@example.com/x"],
            "k" * 64,
            "user name or password",
        ),
        (["add", "A", "--instance", "exa mple.com"], "k" * 64, "spaces"),
        (["add", "A", "--base-url", "https://example.com/x?y=1"], "k" * 64, "query"),
        (["add", "  ", "--cloud"], "k" * 64, "name is empty"),
        (["add", "A"], "k" * 64, "one of the arguments"),
        (["remove", "Nobody"], "", "No entry called 'Nobody'"),
        (["check", "--timeout", "abc"], "", "not a number"),
    ]
    for args, stdin, message in cases:
        run = cli(*args, stdin=stdin)
        assert run.code == 2, (args, run.err)
        assert message in run.err, (args, run.err)
    assert json.loads(cli("list", "--json").out) == []

    key = new_key()
    assert cli("add", "Twice", "--cloud", stdin=key).code == 0
    again = cli("add", "twice", "--cloud", stdin=new_key())
    assert again.code == 2
    assert "already exists" in again.err


def test_without_any_keyring_the_message_is_clear_and_the_status_is_2(tmp_path: Path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")
    }
    env |= {
        "SIPSTORY_DESKTOP_HOME": str(tmp_path / "home"),
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path / "no-runtime"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    key = new_key()
    run = subprocess.run(
        [sys.executable, "-m", "sipstory_desktop.cli", "add", "X", "--cloud"],
        input=key,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert "No system keyring is available" in run.stderr
    assert "gnome-keyring" in run.stderr  # says what to do
    assert key not in run.stdout + run.stderr
    assert not (tmp_path / "home" / "config.json").exists()


def test_the_command_line_imports_no_qt(cli: Cli):
    probe = (
        "import sys\n"
        "from sipstory_desktop.cli import main\n"
        "for argv in (['list'], ['check'], ['--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT:', qt)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=cli.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "QT: []" in done.stdout


def test_version_comes_from_the_package_metadata(cli: Cli):
    from importlib.metadata import version

    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == f"sipstory-keys {version('sipstory-desktop')}"
