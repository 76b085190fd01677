"""End to end over real HTTP and the real Secret Service: the rate budget and hold-back,
channels, find-url on both server layouts, replace-key (and set-key), export/import, orphans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sipstory_desktop.demo.fake_api import SipstoryTestServer
from tests.support.cli import Cli, new_key
from tests.support.real_parts import read_all_files

pytestmark = pytest.mark.secret_service


def test_a_check_held_back_after_a_429_sends_no_request(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key, org="busy")
    server.set_rate_limit("busy", 0)
    assert cli("add", "Busy", "--base-url", server.api_base, stdin=key).code == 0
    code, first = cli.check_json()
    assert (code, first["Busy"]["status"]) == (1, "rate_limited")
    assert first["Busy"]["request_sent"] is True
    sent = len(server.requests)

    code, held = cli.check_json()
    assert len(server.requests) == sent  # nothing went out
    assert held["Busy"]["status"] == "rate_limited"
    assert held["Busy"]["request_sent"] is False
    assert held["Busy"]["retry_at"] == first["Busy"]["retry_at"]
    assert "held back" in str(held["Busy"]["message"])

    forced = cli("check", "--force", "--json")
    assert len(server.requests) == sent + 1
    assert json.loads(forced.out)[0]["request_sent"] is True


def test_entries_with_the_same_key_share_one_budget(cli: Cli, server: SipstoryTestServer):
    key, other = new_key(), new_key()
    server.add_key(key)
    server.add_key(other)
    for name, secret in (("One", key), ("Twin", key), ("Other", other)):
        assert cli("add", name, "--base-url", server.api_base, stdin=secret).code == 0
    assert cli("check").code == 0
    used = {e["name"]: e["checks_last_hour"] for e in json.loads(cli("list", "--json").out)}
    assert used == {"One": 2, "Twin": 2, "Other": 1}


def test_channels_as_json_and_as_a_table(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key, org="acme")
    assert cli("add", "Acme", "--base-url", server.api_base, stdin=key).code == 0
    run = cli("channels", "Acme", "--json")
    assert run.code == 0, run.err
    channels = json.loads(run.out)
    assert len(channels) == 5
    for channel in channels:
        assert {"id", "name", "identifier", "disabled", "profile"} <= channel.keys()
    assert [c["disabled"] for c in channels].count(True) == 1
    table = cli("channels", "Acme")
    assert "LinkedIn Page" in table.out and "disabled" in table.out
    assert sum(1 for r in server.requests if r.path.endswith("/integrations")) == 2
    listed = json.loads(cli("list", "--json").out)[0]
    assert listed["checks_last_hour"] == 2  # each fetch is counted


def test_channels_of_a_rotated_key_say_why(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key, state="rotated")
    assert cli("add", "Old", "--base-url", server.api_base, stdin=key).code == 0
    run = cli("channels", "Old")
    assert run.code == 1
    assert "Invalid API key" in run.err and "rotated" in run.err


@pytest.mark.parametrize(
    ("layout", "path"), [("proxy", "/api/public/v1"), ("backend", "/public/v1")]
)
def test_find_url_finds_the_base_on_both_layouts(cli: Cli, layout: str, path: str):
    with SipstoryTestServer(layout=layout) as instance:  # type: ignore[arg-type]
        run = cli("find-url", instance.url)
        assert run.code == 0, run.out + run.err
        assert run.out.strip() == instance.url + path
        as_json = json.loads(cli("find-url", instance.url, "--json").out)
        assert as_json["found"] == instance.url + path
        assert not any("Authorization" in r.headers for r in instance.requests)


def test_find_url_lists_every_probe_when_nothing_answers(cli: Cli):
    run = cli("find-url", "http://127.0.0.1:9")
    assert run.code == 1
    assert "http://127.0.0.1:9/api/public/v1" in run.out
    assert "http://127.0.0.1:4007/api/public/v1" in run.out  # the usual local ports too
    assert "refused" in run.out


def test_replace_key_after_a_rotation(cli: Cli, server: SipstoryTestServer):
    old, new, newer = new_key(), new_key(), new_key()
    server.add_key(old, state="rotated")
    server.add_key(new)
    server.add_key(newer)
    assert cli("add", "Acme", "--base-url", server.api_base, stdin=old).code == 0
    assert cli.check_json()[1]["Acme"]["status"] == "invalid_key"
    assert cli("replace-key", "Acme", stdin=new).code == 0
    assert cli.check_json()[1]["Acme"]["status"] == "connected"
    assert json.loads(cli("list", "--json").out)[0]["key_hint"] == new[-4:]
    assert cli("set-key", "Acme", stdin=newer).code == 0  # the first name, which scripts use
    assert json.loads(cli("list", "--json").out)[0]["key_hint"] == newer[-4:]
    listed = cli("--help").out
    assert "replace-key" in listed
    assert "set-key" not in listed  # an old name, not a second command


def test_export_and_import_without_keys(cli: Cli, server: SipstoryTestServer, tmp_path: Path):
    keys = [new_key(), new_key()]
    for name, key in zip(("A", "B"), keys, strict=True):
        server.add_key(key)
        assert cli("add", name, "--base-url", server.api_base, stdin=key).code == 0
    export = tmp_path / "entries.json"
    assert cli("export", str(export)).code == 0
    assert all(key.encode() not in export.read_bytes() for key in keys)
    assert cli("export", str(export)).code == 2  # no silent overwrite

    assert cli("remove", "B").code == 0
    conflicting = json.loads(export.read_text())
    conflicting["entries"][0]["base_url"] = "https://elsewhere.example.com/api/public/v1"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(conflicting))
    refused = cli("import", str(changed))
    assert refused.code == 2
    assert "conflict: A" in refused.out
    assert {e["name"] for e in json.loads(cli("list", "--json").out)} == {"A"}

    renamed = cli("import", str(changed), "--on-conflict", "rename")
    assert renamed.code == 0, renamed.err
    names = {e["name"]: e for e in json.loads(cli("list", "--json").out)}
    assert set(names) == {"A", "A (imported)", "B"}
    assert names["A"]["base_url"] == server.api_base  # never overwritten silently
    assert "'B' has no key yet" in renamed.out
    assert cli.check_json("B")[1]["B"]["status"] == "no_secret"
    assert all(key.encode() not in read_all_files(cli.home) for key in keys)


def test_orphans_are_listed_and_cleaned(cli: Cli, server: SipstoryTestServer):
    key = new_key()
    server.add_key(key)
    assert cli("add", "Gone", "--base-url", server.api_base, stdin=key).code == 0
    entry_id = json.loads((cli.home / "config.json").read_text())["entries"][0]["id"]
    (cli.home / "config.json").write_text('{"schema": 1, "entries": []}')  # lost elsewhere
    listed = cli("orphans")
    assert entry_id in listed.out
    assert cli("orphans", "--clean").code == 0
    assert "No orphaned keys" in cli("orphans").out
