"""``sipstory-keys run``, ``env`` and ``get`` as users run them: real processes, the real
Secret Service, and the key only where it was asked to go (never on a command line, never
in the parent's environment, never in masked output)."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sipstory_desktop.core.key_environment import RUN_GUARD
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli, new_key
from tests.support.ports import closed_port
from tests.support.real_parts import running_secret_service

pytestmark = pytest.mark.secret_service

PY = sys.executable
CLI = [PY, "-m", "sipstory_desktop.cli"]


@pytest.fixture
def acme(cli: Cli) -> str:
    """An entry 'Acme' on a custom base URL; its key."""
    key = new_key()
    added = cli("add", "Acme", "--base-url", "https://acme.example.com/api/public/v1", stdin=key)
    assert added.code == 0, added.err
    return key


def _popen(cli: Cli, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [*CLI, *args], env=cli.env, text=True, **kwargs
    )


def _wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


# --- the command's environment, status and streams ------------------------------------------


def test_the_command_gets_the_key_the_url_and_the_guard_and_its_exit_status_is_run_s(
    cli: Cli, acme: str
) -> None:
    script = (
        "import os, sys; e = os.environ; "
        "print(e['SIPSTORY_API_KEY'] == sys.argv[1][::-1], e['SIPSTORY_API_URL'], "
        f"e['{RUN_GUARD}']); sys.exit(7)"
    )
    done = cli("run", "Acme", "--", PY, "-c", script, acme[::-1])
    assert done.code == 7, done.err
    assert done.out.split() == ["True", "https://acme.example.com/api/public/v1", "Acme"]


def test_other_names_for_two_tools_at_once(cli: Cli, acme: str) -> None:
    script = (
        "import os; print(*(os.environ.get(n, '-') == os.environ['SIPSTORY_API_KEY'] for n in "
        "('POSTIZ_API_KEY', 'OTHER_KEY')), os.environ['POSTIZ_API_URL'])"
    )
    done = cli(
        "run", "Acme", "--key-var", "SIPSTORY_API_KEY", "--key-var", "POSTIZ_API_KEY",
        "--url-var", "POSTIZ_API_URL", "--", PY, "-c", script,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.out.split() == ["True", "False", "https://acme.example.com/api/public/v1"]


def test_the_command_reads_its_own_standard_input(cli: Cli, acme: str) -> None:
    script = "import sys; print('got', sys.stdin.read().strip().upper())"
    done = cli("run", "Acme", "--", PY, "-c", script, stdin="hello from the user\n")
    assert (done.code, done.out.strip()) == (0, "got HELLO FROM THE USER")


@pytest.mark.parametrize("masking", ["--mask", "--no-mask"])
def test_the_key_is_on_no_command_line_and_not_in_run_s_own_environment(
    cli: Cli, acme: str, tmp_path: Path, masking: str
) -> None:
    ready = tmp_path / "ready"
    script = f"import pathlib, time; pathlib.Path({str(ready)!r}).touch(); time.sleep(60)"
    run = _popen(cli, "run", "Acme", masking, "--", PY, "-c", script, stdout=subprocess.DEVNULL)
    try:
        _wait_for(ready)
        if masking == "--no-mask":  # run became the command
            (command,) = [run.pid]
            assert "sipstory_desktop" not in Path(f"/proc/{run.pid}/cmdline").read_text()
        else:  # the command is run's child; run's own environment holds no key
            (command,) = _children(run.pid)
            assert acme not in Path(f"/proc/{run.pid}/environ").read_bytes().decode()
            assert acme not in Path(f"/proc/{run.pid}/cmdline").read_bytes().decode()
        assert acme not in Path(f"/proc/{command}/cmdline").read_bytes().decode()
        assert acme in Path(f"/proc/{command}/environ").read_bytes().decode()  # where it goes
    finally:
        run.kill()
        run.wait(10)
    assert acme not in os.environ.get("SIPSTORY_API_KEY", "")  # nor in this test's own


def test_masked_output_holds_no_key(cli: Cli, acme: str) -> None:
    script = (
        "import os, sys; k = os.environ['SIPSTORY_API_KEY']; "
        "sys.stdout.write('key: ' + k + '\\n'); sys.stdout.flush(); "
        "sys.stderr.write(k[:10]); sys.stderr.flush(); sys.stderr.write(k[10:] + ' on stderr\\n')"
    )
    done = cli("run", "Acme", "--", PY, "-c", script)  # output captured: masked by default
    assert done.code == 0, done.err
    assert acme not in done.out and acme not in done.err
    assert done.out == f"key: ••••{acme[-4:]}\n"
    assert done.err.endswith(f"••••{acme[-4:]} on stderr\n")
    unmasked = cli("run", "Acme", "--no-mask", "--", PY, "-c", script)
    assert acme in unmasked.out  # asked for: the command's own output, as it wrote it


# --- signals ------------------------------------------------------------------------------

CATCHER = (
    "import pathlib, signal, sys, time\n"
    "def caught(number, frame):\n"
    "    print('caught', signal.Signals(number).name, flush=True); sys.exit(40 + number)\n"
    "for s in (signal.SIGINT, signal.SIGTERM): signal.signal(s, caught)\n"
    "pathlib.Path(sys.argv[1]).touch()\n"
    "time.sleep(60)\n"
)


@pytest.mark.parametrize(
    ("masking", "number"),
    [
        ("--no-mask", signal.SIGINT),
        ("--no-mask", signal.SIGTERM),
        ("--mask", signal.SIGINT),
        ("--mask", signal.SIGTERM),
    ],
)
def test_signals_sent_to_run_reach_the_command(
    cli: Cli, acme: str, tmp_path: Path, masking: str, number: signal.Signals
) -> None:
    ready = tmp_path / "ready"
    run = _popen(
        cli, "run", "Acme", masking, "--", PY, "-c", CATCHER, str(ready),
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        _wait_for(ready)
        run.send_signal(number)
        out, _ = run.communicate(timeout=30)
    finally:
        run.kill()
    assert out.strip() == f"caught {number.name}"  # once, not twice
    assert run.returncode == 40 + number


def test_a_command_killed_by_a_signal_ends_run_the_same_way(cli: Cli, acme: str) -> None:
    script = "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"
    for masking in ("--mask", "--no-mask"):
        done = subprocess.run(
            [*CLI, "run", "Acme", masking, "--", PY, "-c", script],
            env=cli.env, capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == -signal.SIGTERM, (masking, done.stderr)


# --- refusals -----------------------------------------------------------------------------


def test_run_inside_a_run_for_another_entry_is_refused(cli: Cli, acme: str) -> None:
    globex = cli("add", "Globex", "--cloud", stdin=new_key())
    assert globex.code == 0, globex.err
    inner = " ".join([*CLI, "run", "Globex", "--", "true"])
    done = cli("run", "Acme", "--", "sh", "-c", inner)
    assert done.code == 2
    assert "already runs inside 'sipstory-keys run' for 'Acme'" in done.err
    same = cli("run", "Acme", "--", "sh", "-c", " ".join([*CLI, "run", "Acme", "--", "true"]))
    assert same.code == 0, same.err  # the same entry: no harm


def test_check_refuses_to_start_the_command_with_a_red_light(
    cli: Cli, tmp_path: Path, server: SipstoryTestServer
) -> None:
    started = tmp_path / "started"
    key = new_key()
    down = f"http://127.0.0.1:{closed_port()}/api/public/v1"
    assert cli("add", "Down", "--base-url", down, stdin=key).code == 0
    done = cli("run", "Down", "--check", "--", PY, "-c", f"open({str(started)!r}, 'w')")
    assert done.code == 2
    assert "Unreachable" in done.err and "not started" in done.err and not started.exists()
    assert key not in done.everything

    good = new_key()
    server.add_key(good, org="acme")
    assert cli("add", "Up", "--instance", server.url, stdin=good).code == 0
    done = cli("run", "Up", "--check", "--", PY, "-c", f"open({str(started)!r}, 'w')")
    assert done.code == 0, done.err
    assert started.exists()
    (up,) = [item for item in json.loads(cli("list", "--json").out) if item["name"] == "Up"]
    assert (up["last_status"], up["checks_last_hour"]) == ("connected", 1)  # kept and counted


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["run", "Nobody", "--", "true"], "No entry called 'Nobody'"),
        (["run", "Acme"], "No command to run"),
        (["run", "Acme", "--"], "No command to run"),
        (["run", "--", "true"], "Which entry?"),
        (["run", "Acme", "--key-var", "1X", "--", "true"], "not a variable name"),
    ],
)
def test_mistakes_get_a_message_and_status_2(
    cli: Cli, acme: str, args: list[str], said: str
) -> None:
    done = cli(*args)
    assert done.code == 2
    assert said in done.err and "Traceback" not in done.err


def test_an_entry_without_its_key_says_how_to_store_it(cli: Cli, acme: str) -> None:
    entry_id = json.loads((cli.home / "config.json").read_text())["entries"][0]["id"]
    forget = (  # another program takes the key out of the keyring
        "import secretstorage, sys; bus = secretstorage.dbus_init(); "
        "[i.delete() for i in secretstorage.get_default_collection(bus)"
        ".search_items({'username': sys.argv[1]})]"
    )
    subprocess.run([PY, "-c", forget, entry_id], env=cli.env, check=True, timeout=30)
    done = cli("run", "Acme", "--", "true")
    assert done.code == 2 and "holds no key for 'Acme'" in done.err and "replace-key" in done.err


@pytest.fixture
def locked_home(tmp_path: Path) -> Iterator[Cli]:
    with running_secret_service(tmp_path / "bus") as bus:
        env = {**os.environ, **bus, "SIPSTORY_DESKTOP_HOME": str(tmp_path / "home")}
        env.pop("PYTHON_KEYRING_BACKEND", None)
        yield Cli(tmp_path / "home", env)


def test_a_locked_keyring_gets_a_message_and_status_2(locked_home: Cli) -> None:
    assert locked_home("add", "Acme", "--cloud", stdin=new_key()).code == 0
    lock = (
        "import secretstorage; "
        "secretstorage.get_default_collection(secretstorage.dbus_init()).lock()"
    )
    subprocess.run([PY, "-c", lock], env=locked_home.env, check=True, timeout=30)
    done = locked_home("run", "Acme", "--", "true", timeout=120)
    assert done.code == 2, done.err
    assert ("lock" in done.err.lower() or "answer" in done.err.lower()) and "hint:" in done.err


# --- choosing the entry -------------------------------------------------------------------


def test_the_entry_by_instance_or_by_sipstory_entry(cli: Cli, acme: str) -> None:
    show = [PY, "-c", "import os; print(os.environ['SIPSTORY_DESKTOP_RUN'])"]
    done = cli("run", "--instance", "https://acme.example.com", "--", *show)
    assert (done.code, done.out.strip()) == (0, "Acme")
    cli.env["SIPSTORY_ENTRY"] = "acme"
    done = cli("run", "--", *show)
    assert (done.code, done.out.strip()) == (0, "Acme"), done.err
    assert cli("add", "Acme staging", "--base-url", "https://acme.example.com/api/public/v1",
               stdin=new_key()).code == 0  # fmt: skip
    two = cli("run", "--instance", "acme.example.com", "--", *show)
    assert two.code == 2 and "'Acme', 'Acme staging'" in two.err and "name one" in two.err


# --- env and get ----------------------------------------------------------------------------


def test_env_lines_evaluated_by_a_real_shell(cli: Cli, acme: str) -> None:
    show = 'printf "%s %s" "$SIPSTORY_API_KEY" "$SIPSTORY_API_URL"'
    script = 'eval "$(' + " ".join(CLI) + ' env Acme)"; ' + show
    done = subprocess.run(
        ["sh", "-c", script], env=cli.env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{acme} https://acme.example.com/api/public/v1"
    assert cli("get", "Acme").out == acme + "\n"


@pytest.mark.parametrize("command", [["env", "Acme"], ["get", "Acme"]])
def test_env_and_get_refuse_a_terminal_without_reveal(
    cli: Cli, acme: str, command: list[str]
) -> None:
    def on_a_terminal(*extra: str) -> tuple[int, str]:
        leader, follower = pty.openpty()
        done = subprocess.run(
            [*CLI, *command, *extra], env=cli.env, stdout=follower, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, timeout=60, check=False,
        )  # fmt: skip
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        return done.returncode, shown.decode() + done.stderr.decode()

    code, text = on_a_terminal()
    assert code == 2 and "--reveal" in text and acme not in text
    code, text = on_a_terminal("--reveal")
    assert code == 0 and acme in text
