"""Secret hygiene: a whole session at debug level, then a scan for the keys: zero hits.

``sipstory-keys --debug`` runs against the real Secret Service (gnome-keyring on a private
D-Bus session, the ``secret_service`` fixture) and a local Sipstory-like server: adding keys
(one pasted with ``Bearer ``), checks against servers that fail in every way, ``list``,
``channels``, ``find-url``, ``export``, ``import``, ``set-key``, ``remove``, ``orphans``,
pastes that are refused, a damaged config, an unavailable keyring and a crash with a
traceback. The window runs too (offscreen, with its debug log file): it checks every key,
copies and reveals one, and quits.

Then every file under the app's homes and the export folder (config, backups, state,
logs, ``window.ini``, files set aside, leftovers) and every standard output and error is
searched for every key used, and for its first and last 16 characters, raw, upper-case,
URL-encoded, base64 (every alignment, standard and URL-safe), hex of its bytes, UTF-16,
and the key's SHA-256. Nothing may match.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from sipstory_desktop.core.paths import HOME_VARIABLE
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.ports import closed_port

pytestmark = pytest.mark.secret_service

NO_BUS = "unix:path=/nonexistent/sipstory-test/bus"

GUI_SESSION = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from sipstory_desktop.core.client import ApiClient, Timeouts
from sipstory_desktop.core.paths import app_paths
from sipstory_desktop.core.secrets import SecretStore
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.gui.app import setup_logging
from sipstory_desktop.gui.window import MainWindow

app = QApplication(sys.argv[:1])
# No one is there to answer a question: always "Yes" (check anyway, over the budget).
QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
vault = Vault(app_paths(), SecretStore(timeout=10))
setup_logging(vault.paths, debug=True)
window = MainWindow(vault, client=ApiClient(Timeouts(connect=5.0, read=5.0)))
window.show()
done = {"checked": 0}


def on_delivered(results):
    done["checked"] += len(results)


def copy_and_quit():
    window.entry_list.setCurrentIndex(window.entry_list.proxy.index(0, 0))
    window.key_commands.copy_key()
    window.key_commands.copy_curl()
    window.key_commands.reveal()
    QTimer.singleShot(1500, window.quit)


def start():
    window.session.delivered.connect(on_delivered)
    window.session.idle.connect(lambda: QTimer.singleShot(300, copy_and_quit))
    window.check_all()


QTimer.singleShot(500, start)
QTimer.singleShot(60_000, lambda: (print("gave up waiting", file=sys.stderr), app.exit(3)))
code = app.exec()
print(f"gui checked {done['checked']} entries")
sys.exit(code)
"""


@dataclass
class Run:
    label: str
    code: int
    out: str
    err: str


class Session:
    """``sipstory-keys --debug ...`` as a subprocess; keeps every output for the scan."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.runs: list[Run] = []

    def __call__(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 90
    ) -> Run:
        command = [sys.executable, "-m", "sipstory_desktop.cli", "--debug", *args]
        return self.run(" ".join(args), command, stdin=stdin, env=env, timeout=timeout)

    def run(
        self,
        label: str,
        command: list[str],
        *,
        stdin: str = "",
        env: dict[str, str] | None = None,
        timeout: float = 90,
    ) -> Run:
        done = subprocess.run(
            command,
            input=stdin,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        run = Run(label, done.returncode, done.stdout, done.stderr)
        self.runs.append(run)
        return run


# --- the scan ----------------------------------------------------------------------------


def _base64_forms(data: bytes) -> list[bytes]:
    """The base64 text that ``data`` becomes inside any longer input, at each of the three
    alignments: only the characters that depend on ``data`` alone."""
    forms = []
    for offset in range(3):
        start = -(-offset // 3) * 4  # skip the group holding filler bytes
        end = ((offset + len(data)) // 3) * 4  # stop before the group holding what follows
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * offset + data + b"\0\0")[start:end].rstrip(b"=")
            if len(text) >= 12:
                forms.append(text)
    return forms


def needles(key: str) -> list[tuple[str, bytes]]:
    """Every form in which a key (or a 16-character end of it) could leak."""
    found: list[tuple[str, bytes]] = [("sha256", hashlib.sha256(key.encode()).hexdigest().encode())]
    for part, text in (("key", key), ("first 16", key[:16]), ("last 16", key[-16:])):
        raw = text.encode()
        forms = {
            "raw": [raw],
            "upper": [text.upper().encode()],
            "url": [quote(text, safe="").encode(), quote_plus(text).encode()],
            "base64": _base64_forms(raw),
            "hex of bytes": [raw.hex().encode()],
            "utf-16": [text.encode("utf-16-le")],
        }
        found += [(f"{part} {form}", value) for form, values in forms.items() for value in values]
    return found


@dataclass
class ScanReport:
    files: int
    file_bytes: int
    outputs: int
    output_bytes: int
    needles: int
    hits: list[str]


def scan(roots: list[Path], runs: list[Run], keys: dict[str, str]) -> ScanReport:
    """Where any form of any key occurs; hits name the place, the key's label and the form,
    never the key."""
    every = [(label, form, needle) for label, key in keys.items() for form, needle in needles(key)]
    hits: list[str] = []
    files = 0
    file_bytes = 0
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            files += 1
            file_bytes += len(data)
            lowered = data.lower()
            for label, form, needle in every:
                if needle in data or (form.endswith("raw") and needle.lower() in lowered):
                    hits.append(f"{path}: key {label!r} ({form})")
    output_bytes = 0
    for run in runs:
        for stream, text in (("stdout", run.out), ("stderr", run.err)):
            data = text.encode("utf-8", errors="surrogateescape")
            output_bytes += len(data)
            for label, form, needle in every:
                if needle in data:
                    hits.append(f"{stream} of `{run.label}`: key {label!r} ({form})")
    return ScanReport(files, file_bytes, 2 * len(runs), output_bytes, len(every), sorted(set(hits)))


# --- the session -------------------------------------------------------------------------


CHECK_TIMEOUT = "5"  # seconds: see where the checks run


@pytest.mark.timeout(600)
def test_a_whole_debug_session_leaves_no_key_in_any_file_or_output(  # noqa: PLR0915
    tmp_path: Path, secret_service: dict[str, str]
) -> None:
    home = tmp_path / "home"
    broken_home = tmp_path / "home-broken"
    exports = tmp_path / "exports"
    exports.mkdir()
    env = {**os.environ, **secret_service, HOME_VARIABLE: str(home), "NO_COLOR": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    cli = Session(env)
    keys: dict[str, str] = {}

    with (
        SipstoryTestServer(layout="proxy", slow_seconds=10) as server,
        SipstoryTestServer(layout="backend") as backend,
    ):

        def new_key(label: str, state: str = "valid") -> str:
            key = secrets.token_hex(32)
            keys[label] = key
            server.add_key(key, org=label, state=state)  # type: ignore[arg-type]
            return key

        api = server.api_base
        plan: dict[str, tuple[list[str], str, str, set[str]]] = {
            # name: (where, key state, pasted before the key, statuses a check may give)
            "Good": (["--base-url", api], "valid", "", {"connected"}),
            "Pasted": (["--instance", server.url], "valid", "Bearer ", {"connected"}),
            "Rotated": (["--base-url", api], "rotated", "", {"invalid_key"}),
            "NoSubscription": (["--base-url", api], "no_subscription", "", {"no_subscription"}),
            "LookupFailed": (["--base-url", api], "lookup_failed", "", {"invalid_key"}),
            "Limited": (["--base-url", api], "valid", "", {"rate_limited"}),
            "ServerError": (
                ["--base-url", server.fault_base("server_error")],
                "valid",
                "",
                {"server_error"},
            ),
            "BadGateway": (
                ["--base-url", server.fault_base("bad_gateway")],
                "valid",
                "",
                {"server_error"},
            ),
            "Redirect": (
                ["--base-url", server.fault_base("redirect")],
                "valid",
                "",
                {"redirected"},
            ),
            "WebApp": (["--base-url", server.url], "valid", "", {"not_api"}),
            "Html": (["--base-url", server.fault_base("html")], "valid", "", {"not_api"}),
            "NonJson": (["--base-url", server.fault_base("non_json")], "valid", "", {"not_api"}),
            "NotConnected": (
                ["--base-url", server.fault_base("not_connected")],
                "valid",
                "",
                {"unexpected"},
            ),
            "Payment": (
                ["--base-url", server.fault_base("payment_required")],
                "valid",
                "",
                {"unexpected"},
            ),
            "Slow": (["--base-url", server.fault_base("slow")], "valid", "", {"timeout"}),
            "Reset": (["--base-url", server.fault_base("reset")], "valid", "", {"unreachable"}),
            "Refused": (
                ["--base-url", f"http://127.0.0.1:{closed_port()}/api/public/v1"],
                "valid",
                "",
                {"unreachable"},
            ),
            "NotFound": (["--base-url", backend.url + "/api/public/v1"], "valid", "", {"not_api"}),
            "Tls": (
                ["--base-url", f"https://127.0.0.1:{server.port}/api/public/v1"],
                "valid",
                "",
                {"tls_error"},
            ),
            "Remote": (
                ["--base-url", "http://192.0.2.1/api/public/v1"],
                "valid",
                "",
                {"timeout", "unreachable"},
            ),
        }
        server.set_rate_limit("Limited", 0)

        # --- adding -------------------------------------------------------------------
        for name, (where, state, prefix, _) in plan.items():
            added = cli("add", name, *where, stdin=prefix + new_key(name, state) + "\n")
            assert added.code == 0, added.err
        assert "Bearer" in cli.runs[1].err  # the note on the stripped prefix
        assert "unencrypted" in cli.runs[-1].err  # plain http:// to another machine
        backend.add_key(keys["NotFound"])

        # refused pastes and names: the key must not be echoed back
        spaced = cli("add", "Spaced", "--cloud", stdin=new_key("spaced") + " and more\n")
        accented = cli("add", "Accented", "--cloud", stdin=new_key("accented") + "é\n")
        taken = cli("add", "good", "--cloud", stdin=new_key("taken") + "\n")
        only_bearer = cli("add", "Bearer only", "--cloud", stdin="Bearer \n")
        bad_url = cli("add", "BadUrl", "--base-url", "ftp://x", stdin=new_key("bad url") + "\n")
        assert [r.code for r in (spaced, accented, taken, only_bearer, bad_url)] == [2] * 5

        # --- listing and checking -------------------------------------------------------
        assert cli("list").code == 0
        listed = cli("list", "--json")
        assert {item["name"] for item in json.loads(listed.out)} == set(plan)
        # 5 s: on a busy machine a local answer can take more than a second; the "slow"
        # fault waits 10 s (slow_seconds), so it still ends as a timeout, as it should.
        everything = cli("check", "--json", "--timeout", CHECK_TIMEOUT)
        assert everything.code == 1, everything.err
        statuses = {item["name"]: item["status"] for item in json.loads(everything.out)}
        wrong = {n: s for n, s in statuses.items() if s not in plan[n][3]}
        assert not wrong, f"unexpected statuses: {wrong}"
        assert cli("check", "--timeout", CHECK_TIMEOUT).code == 1  # the table, with hints
        assert cli("check", "Good", "Pasted", "--json").code == 0
        assert cli("check", "Limited", "--json").code == 1  # held back: nothing sent
        assert cli("check", "Limited", "--force", "--json", "--jobs", "1").code == 1

        assert cli("channels", "Good").code == 0
        assert cli("channels", "Pasted", "--json").code == 0
        for name in ("Rotated", "WebApp", "ServerError", "Redirect", "Limited"):
            assert cli("channels", name).code == 1
        assert cli("find-url", server.url, "--json").code == 0
        assert cli("find-url", f"127.0.0.1:{backend.port}").code == 0

        # --- export and import ----------------------------------------------------------
        exported = cli("export")
        assert exported.code == 0 and json.loads(exported.out)
        target = exports / "entries.json"
        assert cli("export", str(target)).code == 0
        assert cli("export", str(target)).code == 2  # exists
        assert cli("export", str(target), "--force").code == 0
        assert cli("import", str(target)).code == 0  # the same entries: nothing to do
        document = json.loads(target.read_bytes())
        for item in document["entries"]:
            item["note"] = "changed elsewhere"
        changed = json.dumps(document)
        (exports / "changed.json").write_text(changed)
        assert cli("import", str(exports / "changed.json"), "--dry-run").code == 0
        assert cli("import", str(exports / "changed.json")).code == 2  # conflicts, no choice
        renamed = cli("import", str(exports / "changed.json"), "--on-conflict", "rename")
        assert renamed.code == 0, renamed.err
        assert cli("import", "-", "--on-conflict", "skip", stdin=changed).code == 0
        assert cli("import", str(exports / "missing.json")).code == 2
        assert cli("import", "-", stdin='{"format": "nope"}').code == 2
        keyless = [i["name"] for i in json.loads(cli("list", "--json").out) if not i["key_hint"]]
        assert len(keyless) == len(plan)

        # --- new keys ---------------------------------------------------------------------
        assert cli("set-key", keyless[0], stdin=new_key("set-key") + "\n").code == 0
        rotated = cli("set-key", "Rotated", stdin="Bearer " + new_key("rotated anew") + "\n")
        assert rotated.code == 0, rotated.err
        assert cli("check", "Rotated", keyless[0], "--json").code == 0
        assert cli("check", keyless[1], "--json").code == 1  # no_secret
        assert cli("set-key", "Nobody", stdin=new_key("nobody") + "\n").code == 2

        # --- removing, and an orphan left behind as by a crash ----------------------------
        assert cli("remove", "ServerError").code == 0
        assert cli("remove", "ServerError").code == 2
        assert cli("add", "Doomed", "--base-url", api, stdin=new_key("doomed") + "\n").code == 0
        config = json.loads((home / "config.json").read_bytes())
        config["entries"] = [e for e in config["entries"] if e["name"] != "Doomed"]
        (home / "config.json").write_text(json.dumps(config))
        listed_orphans = cli("orphans")
        assert "Orphaned key" in listed_orphans.out, listed_orphans.err
        assert cli("orphans", "--clean").code == 0
        assert "No orphaned keys" in cli("orphans").out

        # --- the window, with its log file ------------------------------------------------
        gui_env = {"QT_QPA_PLATFORM": "offscreen"}
        gui = cli.run("gui", [sys.executable, "-c", GUI_SESSION], env=gui_env, timeout=120)
        assert gui.code == 0, gui.err[-2000:]
        assert "gui checked" in gui.out

        # --- errors: a damaged config, no keyring, a crash ---------------------------------
        (home / "config.json").write_bytes(b'{"schema": 1, "entries": [{"na')
        recovered = cli("list")
        assert recovered.code == 0 and "damaged" in recovered.err, recovered.err
        assert list(home.glob("config.json.corrupt-*"))

        no_keyring = {"DBUS_SESSION_BUS_ADDRESS": NO_BUS}
        failed_add = cli(
            "add",
            "NoKeyring",
            "--base-url",
            api,
            stdin=new_key("no keyring") + "\n",
            env=no_keyring,
        )
        assert failed_add.code == 2 and "keyring" in failed_add.err.lower(), failed_add.err
        assert cli("check", "--json", "--timeout", CHECK_TIMEOUT, env=no_keyring).code == 2
        assert (
            cli("set-key", "Good", stdin=new_key("no keyring 2") + "\n", env=no_keyring).code == 2
        )
        assert cli("channels", "Good", env=no_keyring).code == 2
        assert cli("orphans", env=no_keyring).code == 0  # no candidate: the keyring is not asked
        gui = cli.run(
            "gui without a keyring",
            [sys.executable, "-c", GUI_SESSION],
            env={**gui_env, **no_keyring},
            timeout=120,
        )
        assert gui.code == 0, gui.err[-2000:]

        # an error report: the app's lock file cannot be opened (a clear message, exit 2)
        (broken_home / ".lock").mkdir(parents=True)
        crashed = cli(
            "add",
            "Crash",
            "--base-url",
            api,
            stdin=new_key("crash") + "\n",
            env={HOME_VARIABLE: str(broken_home)},
        )
        assert crashed.code == 2, crashed.err
        assert "Cannot lock" in crashed.err

    report = scan([home, broken_home, exports], cli.runs, keys)
    print(
        f"\nhygiene scan: {report.files} files ({report.file_bytes} bytes) and "
        f"{report.outputs} outputs ({report.output_bytes} bytes) of {len(cli.runs)} runs, "
        f"for {len(keys)} keys in {report.needles} forms: {len(report.hits)} hits"
    )
    for path in sorted(p for root in (home, broken_home, exports) for p in root.rglob("*")):
        if path.is_file():
            print(f"  scanned {path.relative_to(tmp_path)} ({path.stat().st_size} bytes)")
    assert not report.hits, "\n".join(report.hits)
    # the scan would have found a key: the keyring holds them, the server saw them
    assert scan([], [Run("probe", 0, "x" + keys["Good"][-20:], "")], keys).hits


def test_the_scan_finds_every_form_of_a_key(tmp_path: Path) -> None:
    """The scanner itself: each form of a key, embedded at any offset, is found."""
    key = secrets.token_hex(32)
    for number, (_, needle) in enumerate(needles(key)):
        (tmp_path / f"{number}.bin").write_bytes(b"prefix " + needle + b" suffix")
    padded = [base64.b64encode(b"x" * n + key.encode() + b"y") for n in range(3)]
    (tmp_path / "b64.txt").write_bytes(b"\n".join(padded))
    report = scan([tmp_path], [], {"k": key})
    found = {hit.split(":")[0] for hit in report.hits}
    assert found == {str(p) for p in tmp_path.iterdir()}
    assert len({h for h in report.hits if "b64.txt" in h}) >= 3
