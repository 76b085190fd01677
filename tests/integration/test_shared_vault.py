"""A team's keys in a shared vault: the real Secret Service of each provider in turn,
gnome-keyring and KeePassXC serving a real database (each on a private bus of its own),
with ``sipstory-keys`` run as users run it and a real local server."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sipstory_desktop.core.urls import CLOUD_BASE_URL
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli, new_key
from tests.support.real_parts import (
    SecretProvider,
    running_keepassxc,
    running_secret_service,
)

pytestmark = pytest.mark.secret_service

SERVICE = "tech.sipstory.Desktop"


def on_bus(provider: SecretProvider, code: str) -> object:
    """Run ``code`` (which prints one JSON value) in a process on the provider's bus."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **provider.env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


ITEMS = """
import json, secretstorage
c = secretstorage.dbus_init()
items = secretstorage.get_default_collection(c).search_items({"service": %r})
print(json.dumps([[i.get_label(), i.get_attributes()] for i in items]))
"""


def items_of(provider: SecretProvider) -> list[tuple[str, dict[str, str]]]:
    found = on_bus(provider, ITEMS % SERVICE)
    assert isinstance(found, list)
    return [(label, attributes) for label, attributes in found]


def same_key(held: str, key: str) -> bool:
    """Whether ``held`` is ``key``, compared by digest (bind the answer before asserting
    it: pytest shows the arguments of a call made in a failing assert)."""
    digest = hashlib.sha256
    return digest(held.encode()).hexdigest() == digest(key.encode()).hexdigest()


def home_cli(tmp_path: Path, provider: SecretProvider, home: str) -> Cli:
    path = tmp_path / home
    env = {**os.environ, **provider.env, "SIPSTORY_DESKTOP_HOME": str(path), "NO_COLOR": "1"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return Cli(path, env)


@pytest.fixture
def server() -> Iterator[SipstoryTestServer]:
    with SipstoryTestServer(layout="proxy", slow_seconds=30) as running:
        yield running


def _forget_items(provider: SecretProvider) -> None:
    code = (
        "import json, secretstorage\n"
        "c = secretstorage.dbus_init()\n"
        "collection = secretstorage.get_default_collection(c)\n"
        f"for i in collection.search_items({{'service': {SERVICE!r}}}):\n"
        "    i.delete()\n"
        "print('null')\n"
    )
    on_bus(provider, code)


@pytest.fixture
def provider(secret_provider: SecretProvider) -> Iterator[SecretProvider]:
    """The session's provider, with none of this app's items left by an earlier test."""
    _forget_items(secret_provider)
    yield secret_provider


def test_add_check_replace_remove_named_truthfully(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    cli = home_cli(tmp_path, provider, "home")
    key, rotated = new_key(), new_key()
    server.add_key(key, org="acme")
    server.add_key(rotated, org="acme")

    added = cli("add", "Acme", "--instance", server.url, stdin=key + "\n")
    assert added.code == 0, added.err
    assert f"stored in {provider.name} (Secret Service)" in added.out
    listed = cli("list")
    assert f"Keys in {provider.name} (Secret Service)." in listed.out

    # Findable by people: a label and attributes they recognise, keyring's own too.
    [(label, attributes)] = items_of(provider)
    host = server.url.removeprefix("http://")
    assert label == f"Sipstory: Acme ({host})"
    assert attributes["sipstory_entry"] == "Acme"
    assert attributes["sipstory_base_url"] == server.url + "/api/public/v1"
    assert attributes["service"] == SERVICE

    code, results = cli.check_json()
    assert (code, results["Acme"]["status"]) == (0, "connected")
    sent = same_key(server.requests[-1].headers["Authorization"], key)
    assert sent, "the check did not send the stored key"

    replaced = cli("replace-key", "Acme", stdin=rotated + "\n")
    assert replaced.code == 0, replaced.err
    assert len(items_of(provider)) == 1  # the same item, a new secret
    cli.check_json()
    sent = same_key(server.requests[-1].headers["Authorization"], rotated)
    assert sent, "the check did not send the new key"

    assert cli("remove", "Acme").code == 0
    assert items_of(provider) == []
    assert not any(key in out or rotated in out for out in cli.outputs)


COMPAT = """
import json, keyring.backends.SecretService as S
from sipstory_desktop.core.secrets import SecretStore
backend = S.Keyring()
backend.set_password(%(service)r, "older-entry", "older-key")  # as an older version stored it
store = SecretStore(backend=S.Keyring(), timeout=10)
store.set("newer-entry", "newer-key")
print(json.dumps([store.get("older-entry"), backend.get_password(%(service)r, "newer-entry"),
                  store.get_many(["older-entry", "newer-entry", "none"]),
                  store.delete("older-entry"), store.delete("newer-entry")]))
"""


def test_keys_stored_by_keyring_and_by_the_app_find_each_other(provider: SecretProvider):
    found = on_bus(provider, COMPAT % {"service": SERVICE})
    assert found == [
        "older-key",
        "newer-key",
        {"older-entry": "older-key", "newer-entry": "newer-key", "none": None},
        True,
        True,
    ]


@contextlib.contextmanager
def second_machine(provider: SecretProvider, tmp_path: Path) -> Iterator[SecretProvider]:
    """The other person's machine: KeePassXC opens a copy of the synced database file (a
    bus of its own); with gnome-keyring, the same keyring stands in for a shared one."""
    if provider.kind != "keepassxc":
        yield provider
        return
    assert provider.database is not None
    provider.wait_saved(len(items_of(provider)))
    synced = tmp_path / "synced" / "team.kdbx"
    synced.parent.mkdir()
    shutil.copy2(provider.database, synced)
    with running_keepassxc(tmp_path / "machine-b", database=synced) as other:
        yield other


def test_export_on_one_home_import_on_another_finds_the_keys(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    alice = home_cli(tmp_path, provider, "alice")
    keys = {"Acme": new_key(), "Globex": new_key()}
    for name, key in keys.items():
        server.add_key(key, org=name.lower())
        assert alice("add", name, "--instance", server.url, stdin=key + "\n").code == 0
    export = tmp_path / "team.json"
    assert alice("export", str(export)).code == 0
    assert not any(k in export.read_text() for k in keys.values())

    with second_machine(provider, tmp_path) as theirs:
        bob = home_cli(tmp_path, theirs, "bob")
        imported = bob("import", str(export))
        assert imported.code == 0, imported.err
        assert f"Found the keys of 2 of 2 new entries in {theirs.name}" in imported.out
        assert "has no key yet" not in imported.out
        code, results = bob.check_json()
        assert code == 0
        assert {n: r["status"] for n, r in results.items()} == {
            "Acme": "connected",
            "Globex": "connected",
        }
        # Bob adds an entry Alice has too: one item in the vault, not two.
        carol_key = new_key()
        server.add_key(carol_key, org="initech")
        assert bob("add", "Initech", "--instance", server.url, stdin=carol_key + "\n").code == 0
        carol = home_cli(tmp_path, theirs, "carol")
        again = carol("add", "Initech", "--instance", server.url, stdin=carol_key + "\n")
        assert again.code == 0, again.err
        assert "already held a key for 'Initech'" in again.everything
        names = sorted(a["sipstory_entry"] for _, a in items_of(theirs))
        assert names == ["Acme", "Globex", "Initech"]
        everything = bob.outputs + alice.outputs + carol.outputs
        assert not any(k in out for out in everything for k in [*keys.values(), carol_key])


def test_a_locked_vault_mid_run_says_locked_loses_nothing_and_unlock_brings_keys_back(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    cli = home_cli(tmp_path, provider, "home")
    keys = {f"Org {n}": new_key() for n in range(3)}
    for name, key in keys.items():
        server.add_key(key, org=name)
        assert cli("add", name, "--instance", server.url, stdin=key + "\n").code == 0
    code, results = cli.check_json()
    assert code == 0

    provider.lock()  # the user locks the database, or KeePassXC locks itself when idle
    locked = cli("check", "--json", "--timeout", "10")
    assert locked.code == 2  # a keyring error
    results = {r["name"]: r for r in json.loads(locked.out)}
    assert {r["status"] for r in results.values()} == {"keyring_error"}
    assert {r["message"] for r in results.values()} == {f"{provider.name} is locked."}
    assert "Unlock" in locked.err
    listed = json.loads(cli("list", "--json").out)
    assert sorted(e["name"] for e in listed) == sorted(keys)  # nothing lost

    if provider.kind == "keepassxc":  # Unlock: KeePassXC's own dialog, answered on Xvfb
        answering = threading.Thread(target=provider.answer_unlock)
        answering.start()
        unlocked = cli("unlock", "--timeout", "60", timeout=90)
        answering.join()
        assert unlocked.code == 0, unlocked.err
        assert "KeePassXC (Secret Service) is unlocked." in unlocked.out
    else:  # gnome-keyring's prompt needs gcr-prompter on a desktop: none here, dismissed
        unlocked = cli("unlock", "--timeout", "20")
        assert unlocked.code == 2
        assert "stays locked" in unlocked.err
        provider.answer_unlock()  # its password handed to the daemon instead
    code, results = cli.check_json()
    assert code == 0
    assert {r["status"] for r in results.values()} == {"connected"}
    assert len(items_of(provider)) == 3


def test_keepassxc_with_no_database_open_is_locked_not_no_key(tmp_path: Path):
    """KeePassXC running with its database closed: the keys are unreachable, not missing."""
    with running_keepassxc(tmp_path / "kp", open_database=False) as keepassxc:
        found = on_bus(keepassxc, READ)
    assert found == [
        "locked",
        "KeePassXC has no database open (or shares none over the Secret Service).",
    ]


READ = """
import json
from sipstory_desktop.core.secrets import SecretStore, SecretStoreError
try:
    SecretStore(timeout=10).get("an-entry")
    print(json.dumps(["no error"]))
except SecretStoreError as e:
    print(json.dumps([e.kind.value, e.message]))
"""


def test_an_unanswered_unlock_prompt_ends_at_its_limit(provider: SecretProvider):
    """Unlock asked for, nobody answers: the wait ends at its limit, the prompt goes."""
    if provider.kind != "keepassxc":
        pytest.skip("gnome-keyring has no headless prompt to leave unanswered")
    provider.lock()
    code = (
        "import json, time\n"
        "from sipstory_desktop.core.secrets import SecretStore, SecretStoreError\n"
        "s = SecretStore(timeout=10)\n"
        "try:\n"
        "    print(json.dumps(s.unlock(timeout=2)))\n"
        "except SecretStoreError as e:\n"
        "    print(json.dumps(e.kind.value))\n"
    )
    assert on_bus(provider, code) == "timeout"
    threading.Thread(target=provider.answer_unlock).start()
    assert on_bus(provider, code.replace("timeout=2", "timeout=60")) is True


def answer_access_requests(provider: SecretProvider, until: subprocess.Popen[str]) -> set[str]:
    """Press Return ("Allow Selected") on every access request KeePassXC shows while
    ``until`` runs; the ids of the dialogs seen."""
    assert provider.display is not None
    env = {**provider.env, "DISPLAY": provider.display}
    seen: set[str] = set()
    while until.poll() is None:
        found = subprocess.run(
            [
                "xdotool",
                "search",
                "--onlyvisible",
                "--all",
                "--pid",
                str(provider.pid),
                "--name",
                "Access Request",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.split()
        for window in found:
            if window not in seen:
                seen.add(window)
                for step in (
                    ["windowfocus", "--sync", window],
                    ["key", "--window", window, "Return"],
                ):
                    subprocess.run(["xdotool", *step], env=env, timeout=20, check=False)
        try:
            until.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
    return seen


def test_with_access_confirmation_a_check_all_meets_one_prompt_and_says_why_it_waits(
    tmp_path: Path, server: SipstoryTestServer
):
    """KeePassXC's default: each client asks for each item. A run asks for all at once."""
    with running_keepassxc(tmp_path / "kp", confirm_access=True) as keepassxc:
        cli = home_cli(tmp_path, keepassxc, "home")
        for n in range(4):
            key = new_key()
            server.add_key(key, org=f"org{n}")
            added = cli("add", f"Org {n}", "--instance", server.url, stdin=key + "\n")
            assert added.code == 0, added.err
        run = subprocess.Popen(
            [sys.executable, "-m", "sipstory_desktop.cli", "check", "--json"],
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        prompts = answer_access_requests(keepassxc, run)
        out, err = run.communicate(timeout=60)
    assert len(prompts) == 1
    assert "Waiting for KeePassXC (Secret Service): answer its prompt" in err
    results = json.loads(out)
    assert [r["status"] for r in results] == ["connected"] * 4


AS_AN_OLDER_VERSION = """
import json, sys, secretstorage, keyring.backends.SecretService as S
entry_id, key = json.loads(sys.stdin.read())
c = secretstorage.dbus_init()
for item in secretstorage.get_default_collection(c).search_items({"username": entry_id}):
    item.delete()
S.Keyring().set_password(%r, entry_id, key)  # keyring's own label and attributes only
print("null")
"""


def test_keys_an_older_version_stored_are_labelled_on_export_and_found_by_the_import(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    alice = home_cli(tmp_path, provider, "alice")
    key = new_key()
    server.add_key(key, org="acme")
    assert alice("add", "Acme", "--instance", server.url, stdin=key + "\n").code == 0
    config = json.loads(next(alice.home.rglob("config.json")).read_text())
    [entry_id] = [e["id"] for e in config["entries"]]
    done = subprocess.run(
        [sys.executable, "-c", AS_AN_OLDER_VERSION % SERVICE],
        input=json.dumps([entry_id, key]),
        env={**os.environ, **provider.env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "null"
    [(label, attributes)] = items_of(provider)
    assert "sipstory_entry" not in attributes  # as an older version left it
    assert alice.check_json()[1]["Acme"]["status"] == "connected"  # still found

    export = tmp_path / "team.json"
    assert alice("export", str(export)).code == 0
    [(label, attributes)] = items_of(provider)
    assert label == f"Sipstory: Acme ({server.url.removeprefix('http://')})"
    assert attributes["sipstory_base_url"] == server.url + "/api/public/v1"

    bob = home_cli(tmp_path, provider, "bob")
    imported = bob("import", str(export))
    assert "Found the keys of 1 of 1 new entries" in imported.out
    assert bob.check_json()[1]["Acme"]["status"] == "connected"


def test_keepassxc_closing_its_database_while_in_use_is_not_no_key(
    tmp_path: Path, server: SipstoryTestServer
):
    """Closed in KeePassXC's window while the app uses it: "no database open", the entries
    kept, the keys still in the file. (Nothing over the bus can open a database again:
    the Secret Service has no such call; the person opens it in KeePassXC.)"""
    with running_keepassxc(tmp_path / "kp") as keepassxc:
        cli = home_cli(tmp_path, keepassxc, "home")
        key = new_key()
        server.add_key(key, org="acme")
        assert cli("add", "Acme", "--instance", server.url, stdin=key + "\n").code == 0
        assert cli.check_json()[0] == 0
        keepassxc.wait_saved(1)
        keepassxc.close_database()
        closed = cli("check", "--json", "--timeout", "10")
        [result] = json.loads(closed.out)
        unlock = cli("unlock", "--timeout", "10")
        saved = keepassxc.saved_items()
    assert (closed.code, result["status"]) == (2, "keyring_error")
    assert result["message"] == (
        "KeePassXC has no database open (or shares none over the Secret Service)."
    )
    assert "Open and unlock the database in KeePassXC" in closed.err
    assert unlock.code == 2 and "has no database open" in unlock.err
    assert [e["name"] for e in json.loads(cli("list", "--json").out)] == ["Acme"]
    assert saved == [f"Sipstory: Acme ({server.url.removeprefix('http://')})"]


NO_LOGIN = """
import json
from sipstory_desktop.core.secrets import SecretStore, SecretStoreError
store = SecretStore(timeout=10)
said = []
for call in (lambda: store.get("an-entry"), lambda: store.set("an-entry", "a-key")):
    try:
        call()
        said.append("no error")
    except SecretStoreError as e:
        said.append([e.kind.value, e.message])
print(json.dumps(said))
"""


def test_gnome_keyring_without_a_login_keyring_is_said_and_saving_asks_to_make_one(
    tmp_path: Path,
):
    """A fresh GNOME Keyring: reading says there is no keyring to read (not "no key");
    saving asks the service to create one, whose prompt (gcr-prompter, absent headless)
    is dismissed at once: a clear error, not a hang."""
    with running_secret_service(tmp_path / "fresh", login=False) as env:
        said = on_bus(SecretProvider("gnome-keyring", "GNOME Keyring", env), NO_LOGIN)
    assert said == [
        ["locked", "GNOME Keyring has no default keyring to keep keys in."],
        ["locked", "The keyring's prompt was dismissed; the keys stay locked."],
    ]


def test_an_import_says_when_the_vault_holds_none_of_the_keys(
    tmp_path: Path, provider: SecretProvider
):
    export = tmp_path / "theirs.json"
    export.write_text(
        json.dumps(
            {
                "format": "sipstory-desktop/entries",
                "version": 1,
                "exported_at": "2026-01-01T00:00:00Z",
                "entries": [
                    {"name": "Nobody's", "kind": "cloud", "base_url": CLOUD_BASE_URL, "note": ""},
                ],
            }
        )
    )
    imported = home_cli(tmp_path, provider, "bob")("import", str(export))
    assert imported.code == 0, imported.err
    assert f"Found the keys of 0 of 1 new entries in {provider.name} (Secret Service)." in (
        imported.out
    )
    assert "'Nobody's' has no key yet" in imported.out


PLANT = """
import json, sys, uuid, secretstorage
name, base_url, key = json.loads(sys.stdin.read())
c = secretstorage.dbus_init()
collection = secretstorage.get_default_collection(c)
attributes = {"service": %r, "username": str(uuid.uuid4()),
              "sipstory_entry": name, "sipstory_base_url": base_url}
collection.create_item("Sipstory: " + name, attributes, key.encode("utf-8"))
print("null")
"""


def test_an_import_takes_no_key_when_two_teammates_entries_share_its_name_and_url(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    """Two organizations' entries called the same on the same instance (Dave's stored by
    an older version, labelled when he exported): which one the import means cannot be
    told, so it takes neither key rather than maybe the other organization's."""
    alice = home_cli(tmp_path, provider, "alice")
    acme, dunder = new_key(), new_key()
    server.add_key(acme, org="acme")
    server.add_key(dunder, org="dunder")
    assert alice("add", "Production", "--instance", server.url, stdin=acme + "\n").code == 0
    base_url = server.url + "/api/public/v1"
    done = subprocess.run(
        [sys.executable, "-c", PLANT % SERVICE],
        input=json.dumps(["Production", base_url, dunder]),
        env={**os.environ, **provider.env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "null"
    assert len(items_of(provider)) == 2
    export = tmp_path / "team.json"
    assert alice("export", str(export)).code == 0

    with second_machine(provider, tmp_path) as theirs:
        bob = home_cli(tmp_path, theirs, "bob")
        imported = bob("import", str(export))
        assert imported.code == 0, imported.err
        assert "Found the keys of 0 of 1 new entries" in imported.out
        assert "'Production' has no key yet" in imported.out
        assert not any(k in out for out in bob.outputs + alice.outputs for k in [acme, dunder])


def test_adding_an_entry_named_like_a_teammates_leaves_their_different_key(
    tmp_path: Path, provider: SecretProvider, server: SipstoryTestServer
):
    """Dave's organization has an entry called as Alice's on the same instance: his add
    stores his key beside hers, never over it."""
    alice, dave = (home_cli(tmp_path, provider, home) for home in ("alice", "dave"))
    acme, dunder = new_key(), new_key()
    server.add_key(acme, org="acme")
    server.add_key(dunder, org="dunder")
    assert alice("add", "Production", "--instance", server.url, stdin=acme + "\n").code == 0
    added = dave("add", "Production", "--instance", server.url, stdin=dunder + "\n")
    assert added.code == 0, added.err
    assert "already held a key" not in added.everything
    assert len(items_of(provider)) == 2
    kept = same_key(alice("get", "Production").out.strip(), acme)
    assert kept, "Alice's key was overwritten"
    stored = same_key(dave("get", "Production").out.strip(), dunder)
    assert stored, "Dave's key was not stored"
