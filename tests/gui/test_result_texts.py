"""A check result's message and hint in the window's language: the core says them in
English (the command line, its JSON and state.json keep them so); the window recognises
each by its template (core/messages.py) and says it in German, the values kept."""

from __future__ import annotations

import json
import socket
import ssl
import string
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from unittest import mock

import keyring.errors
import pytest
import requests
import urllib3.exceptions
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sipstory_desktop.core import messages, secret_service, secrets
from sipstory_desktop.core.budget import BudgetWarning, held_back_result
from sipstory_desktop.core.channels import ChannelsResult, read_channels_answer
from sipstory_desktop.core.checker import (
    keyring_error_result,
    no_key_saved_result,
    no_secret_result,
)
from sipstory_desktop.core.classify import classify_answer, classify_failure, unreadable_answer
from sipstory_desktop.core.client import MAX_BODY_BYTES, Answer
from sipstory_desktop.core.entries import EntryError, EntryKind, check_name
from sipstory_desktop.core.find_url import candidates
from sipstory_desktop.core.keys import InvalidKeyText, clean_key
from sipstory_desktop.core.secrets import SecretStoreError, locked_error
from sipstory_desktop.core.status import CheckResult, Status
from sipstory_desktop.core.urls import UrlError, base_url_for_instance, normalize_base_url
from sipstory_desktop.core.vault import Vault
from sipstory_desktop.demo.fake_api import SipstoryTestServer
from sipstory_desktop.gui.result_texts import NUMBERS, template_of, translated
from tests.gui.test_translations import tool
from tests.support.window import WAIT_MS, KnownKey, MakeWindow, Seed, select

BASE = "https://sipstory.example.com/api/public/v1"
LOCAL = "http://localhost:4007/api/public/v1"
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
PROXY = "http://proxy.corp.example:3128"
JSON = {"Content-Type": "application/json"}


def _answer(status: int, headers: dict[str, str], body: bytes, truncated: bool = False) -> Answer:
    return Answer(status, headers, body, truncated, 12)


def _via_proxy(inner: BaseException) -> requests.exceptions.ProxyError:
    reason = urllib3.exceptions.ProxyError("Unable to connect to proxy", inner)
    return requests.exceptions.ProxyError(
        urllib3.exceptions.MaxRetryError(None, BASE, reason)  # type: ignore[arg-type]
    )


def _tls(reason: str) -> requests.exceptions.SSLError:
    return requests.exceptions.SSLError(ssl.SSLCertVerificationError(1, reason))


def core_results() -> Iterator[CheckResult]:
    """What the core says, from every path of classify.py, checker.py and budget.py."""
    said = {"msg": "Token revoked {yesterday}"}  # the server's words, braces and all
    for status, headers, body in [
        (200, JSON, b'{"connected": true}'),
        (200, JSON, b'{"connected": false}'),
        (200, {"Content-Type": "text/plain"}, b"hello"),
        (200, {}, b"hello"),
        (200, {"Content-Type": "text/html"}, b"<!doctype html><html></html>"),
        (301, {"Location": "https://elsewhere.example/api"}, b""),
        (302, {}, b""),
        (401, JSON, b'{"msg": "Invalid API key"}'),
        (401, JSON, b'{"msg": "No API Key found"}'),
        (403, JSON, b'{"msg": "No subscription found"}'),
        (401, JSON, json.dumps(said).encode()),
        (403, JSON, b"{}"),
        (401, {}, b""),
        (429, {"Retry-After": "120"}, b""),
        (429, {"X-RateLimit-Limit": "50"}, b""),
        (500, JSON, b"{}"),
        (404, {"Content-Type": "text/html"}, b"not found"),
        (402, JSON, b'{"error": "pay up"}'),
        (418, JSON, b"{}"),
    ]:
        yield classify_answer(_answer(status, headers, body), BASE, now=NOW)
    big = _answer(200, JSON, b"{" * MAX_BODY_BYTES, truncated=True)
    yield classify_answer(big, BASE, now=NOW)
    yield classify_answer(_answer(200, {"Content-Type": "text/html"}, b"<html>"), LOCAL, now=NOW)
    web_app = _answer(200, {"Content-Type": "text/html"}, b"<html>")
    yield classify_answer(web_app, "https://sipstory.example.com", now=NOW)
    try:
        raise KeyError("boom")
    except KeyError as error:
        yield unreadable_answer(_answer(200, JSON, b"{}"), error, BASE)
    failures: list[tuple[Exception, str, str | None]] = [
        (_tls("certificate has expired"), BASE, None),
        (_tls("self-signed certificate"), BASE, None),
        (_tls("hostname mismatch"), BASE, PROXY),
        (_tls("unable to get local issuer certificate"), BASE, None),
        (_tls("something else"), BASE, None),
        (requests.exceptions.ReadTimeout("slow"), BASE, None),
        (requests.exceptions.ReadTimeout("slow"), BASE, PROXY),
        (requests.exceptions.ConnectionError(socket.gaierror(-2, "unknown")), BASE, None),
        (requests.exceptions.ConnectionError(ConnectionRefusedError(111, "no")), BASE, None),
        (requests.exceptions.ConnectionError(ConnectionRefusedError(111, "no")), LOCAL, None),
        (requests.exceptions.ConnectionError(ConnectionResetError(104, "reset")), BASE, None),
        (requests.exceptions.ConnectionError(OSError(101, "Network is unreachable")), BASE, None),
        (requests.exceptions.ConnectionError("odd"), BASE, None),
        (requests.exceptions.ContentDecodingError("br"), BASE, None),
        (ValueError("strange"), BASE, None),
        (_via_proxy(OSError("Tunnel connection failed: 403 Forbidden")), BASE, PROXY),
        (_via_proxy(OSError("Tunnel connection failed: 407 Login")), BASE, PROXY),
        (_via_proxy(OSError("Tunnel connection failed: 502 Bad Gateway")), BASE, PROXY),
        (_via_proxy(ConnectionRefusedError(111, "Connection refused")), BASE, PROXY),
        (_via_proxy(ConnectionRefusedError(111, "Connection refused")), BASE, None),
        (_via_proxy(OSError("plain")), BASE, PROXY),
        (_via_proxy(socket.gaierror(-2, "Name or service not known")), BASE, PROXY),
        (_via_proxy(TimeoutError("timed out")), LOCAL, PROXY),
        (_via_proxy(ssl.SSLCertVerificationError(1, "certificate has expired")), BASE, PROXY),
        (requests.exceptions.InvalidURL("bad"), BASE, "h:1:2"),
        (requests.exceptions.InvalidSchema("SOCKS"), BASE, "socks5://h:1080"),
    ]
    for exc, base, proxy in failures:
        yield classify_failure(exc, base, 15.0, now=NOW, proxy=proxy)
    yield no_secret_result()
    yield no_key_saved_result()
    yield held_back_result(NOW + timedelta(minutes=17), NOW)
    yield from channel_results()
    for error in keyring_errors():
        yield keyring_error_result(error)


def _channel(number: int) -> dict[str, Any]:
    return {"id": f"c{number}", "name": f"Acme {number}", "identifier": "x", "disabled": False}


def channel_results() -> Iterator[CheckResult]:
    """What fetching an organization's channels says (channels.py)."""
    for status, headers, body, truncated in [
        (404, JSON, b"{}", False),
        (200, JSON, b"[" * 100, True),
        (200, JSON, b"[{", False),
        (200, JSON, b'{"a": 1}', False),
        (200, JSON, b"{}", False),
        (200, JSON, b"null", False),
        (200, JSON, b"true", False),
        (200, JSON, b'"s"', False),
        (200, JSON, b"7", False),
        (201, JSON, b"[]", False),
        (200, JSON, json.dumps([_channel(1)]).encode(), False),
        (200, JSON, json.dumps([_channel(1), _channel(2), 3]).encode(), False),
    ]:
        fetched = read_channels_answer(_answer(status, headers, body, truncated), BASE, now=NOW)
        yield fetched.check
    wrapped = _answer(200, JSON, b'{"a": [1]}')
    yield ChannelsResult(None, NOW, classify_answer(wrapped, BASE, now=NOW)).check


def keyring_errors() -> Iterator[SecretStoreError]:
    """What the keyring's failures say (secrets.py)."""
    yield locked_error("")
    yield locked_error("", closed=True)
    yield locked_error("KeePassXC", closed=True)
    yield locked_error("GNOME Keyring", closed=True)
    for exc in [
        secret_service.CollectionLocked("KeePassXC"),
        secret_service.PromptDismissed(),
        secret_service.PromptTimedOut(),
        keyring.errors.NoKeyringError(),
        keyring.errors.KeyringLocked(),
        keyring.errors.InitError("prompt dismissed"),
        keyring.errors.InitError("no D-Bus"),
        keyring.errors.InitError(),
        keyring.errors.PasswordSetError("read-only"),
        keyring.errors.PasswordSetError(),
        keyring.errors.PasswordDeleteError("nope"),
        keyring.errors.PasswordDeleteError(),
    ]:
        yield secrets._translate(exc, "read")
    for what in ("read", "store", "delete", "unlock", "probe"):
        yield secrets._translate(RuntimeError("D-Bus said no"), what)
    answered = threading.Event()
    try:
        secrets._run_with_timeout(lambda: answered.wait(60), 0.001, "read")
    except SecretStoreError as error:
        yield error
    finally:
        answered.set()


def core_texts() -> list[str]:
    texts = [t for r in core_results() for t in (r.message, r.hint) if t]
    texts += [secrets.no_keyring_hint()]
    with mock.patch.object(secrets.sys, "platform", "darwin"):
        texts += [secrets.no_keyring_hint()]
    texts += [BudgetWarning("b", ["Acme"], 29, 2, 30).message]
    texts += [BudgetWarning("b", ["Acme", "Acme (copy)"], 29, 2, 30).message]
    return texts


def _filled(template: str) -> tuple[str, dict[str, str]]:
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    values = {
        name: str(700 + n) if name in NUMBERS else f"<{name} {n}>" for n, name in enumerate(fields)
    }
    return template.format(**values), values


@pytest.fixture
def translators(qapp: QApplication) -> Iterator[list[QTranslator]]:
    installed: list[QTranslator] = []
    yield installed
    for translator in installed:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture
def german(qapp: QApplication, translators: list[QTranslator]) -> None:
    """This checkout's German (an installed package may resolve its resources elsewhere)."""
    translator = QTranslator()
    assert translator.load(str(tool.qm_file("de")))
    QCoreApplication.installTranslator(translator)
    translators.append(translator)
    assert QCoreApplication.translate("StatusTexts", "Connected") == "Verbunden"


def test_every_text_the_core_makes_is_from_a_template() -> None:
    texts = core_texts()
    strays = [text for text in texts if template_of(text) is None]
    assert not strays, "\n".join(strays)
    used: set[str] = set()
    for text in texts:
        used |= _templates_in(text)
    # The paths above reach every template but saving's (test_what_saving_says).
    assert set(messages.TEMPLATES) - used == SAVING | INPUT


_ORDER = messages.TEMPLATES.index
INPUT = set(messages.TEMPLATES[_ORDER(messages.KEY_EMPTY) : _ORDER(messages.CONFIG_LOST)])
SAVING = {
    messages.CONFIG_LOST,
    messages.CONFIG_RESTORED,
    messages.INSECURE_KEYRING,
    messages.SHARED_VAULT_NOTE,
    messages.NAME_TAKEN_CHOOSE,
    messages.NAME_TAKEN,
    messages.ENTRY_GONE,
    messages.KEY_OF_AN_ENTRY,
    messages.PLAIN_HTTP,
}


def _saving_texts(vault: Vault) -> list[str]:
    """What saving entries says (vault.py, urls.py): its notes and its errors."""
    key = "ab" * 32
    saved = vault.add("Acme", EntryKind.SELF_HOSTED, "http://intranet.example", key)
    texts = list(saved.notes)
    other = vault.add("Globex", EntryKind.SELF_HOSTED, "https://globex.example", key)
    for attempt in (
        lambda: vault.add("Acme", EntryKind.SELF_HOSTED, "https://acme.example", key),
        lambda: vault.edit(other.entry.id, name="Acme"),
        lambda: vault.remove_orphan(other.entry.id),
        lambda: vault.edit("0f1e2d3c-aaaa-bbbb-cccc-000000000001", name="Initech"),
    ):
        with pytest.raises(EntryError) as raised:
            attempt()
        texts.append(str(raised.value))
    texts += _config_notices(vault)
    texts.append(messages.SHARED_VAULT_NOTE.format(name="Acme"))  # needs a shared vault
    texts.append(messages.INSECURE_KEYRING.format(name="Plain files"))  # an insecure one
    return texts


def input_texts() -> list[str]:
    """Why a key, a name or an address cannot be saved (keys.py, entries.py, urls.py)."""
    texts = [clean_key("Bearer " + "ab" * 32).notes[0]]
    attempts: list[Callable[[], object]] = [
        *(lambda k=k: clean_key(k) for k in ("", "Bearer ", "a b", "a\x01", "ä", "a" * 5000)),
        *(lambda n=n: check_name(n) for n in ("", "n" * 500, "a\x01")),
        *(lambda u=u: normalize_base_url(u) for u in ("sipstory.example.com", "https://")),
        *(
            lambda u=u: base_url_for_instance(u)
            for u in (
                " ",
                "a b.example",
                "h\x01.example",
                "http://h:99999",
                "ftp://h.example",
                "https://u:p@h.example",
                "https://h.example?q",
                "https://h.example#f",
                "https://bad_host!.example",
            )
        ),
        lambda: candidates(""),
    ]
    for attempt in attempts:
        with pytest.raises((InvalidKeyText, EntryError, UrlError)) as raised:
            attempt()
        texts.append(str(raised.value))
    return texts


def test_what_the_entry_dialog_is_told_is_from_a_template() -> None:
    texts = input_texts()
    used: set[str] = set()
    for text in texts:
        assert template_of(text) is not None, text
        assert translated(text) == text
        used |= _templates_in(text)
    assert set(INPUT) - used == set()


@pytest.mark.usefixtures("german")
def test_what_the_entry_dialog_is_told_in_german() -> None:
    shown = [translated(text) for text in input_texts()]
    assert all(s != t for s, t in zip(shown, input_texts(), strict=True)), shown
    assert "Die Adresse der Instanz enthält Leerzeichen; eine URL hat keine." in shown
    assert any(s.startswith("Der Schlüssel ist 5000 Zeichen lang, mehr als ") for s in shown)


def _config_notices(vault: Vault) -> list[str]:
    """What a damaged config file says: restored from its backup, then without one."""
    store = vault.config
    store.path.write_bytes(b"{broken")
    store.load()
    for backup in store.path.parent.glob(store.path.name + "*"):
        if backup != store.path and "corrupt" not in backup.name:
            backup.unlink()
    store.path.write_bytes(b"{broken")
    store.load()
    assert len(store.notices) == 2, store.notices
    return list(store.notices)


def test_what_saving_says_is_from_a_template(vault: Vault) -> None:
    texts = _saving_texts(vault)
    assert {template_of(t)[0] for t in texts if template_of(t)} == SAVING, texts
    for text in texts:
        assert translated(text) == text


@pytest.mark.usefixtures("german")
def test_what_saving_says_in_german(vault: Vault) -> None:
    texts = _saving_texts(vault)
    shown = [translated(text) for text in texts]
    assert shown[0] == (
        "intranet.example wird über unverschlüsseltes http:// erreicht: Der Schlüssel wird "
        "unverschlüsselt übertragen. Verwenden Sie https://, außer in einem "
        "vertrauenswürdigen privaten Netz."
    )
    assert "Ein Eintrag namens 'Acme' existiert bereits; wählen Sie einen anderen Namen." in shown
    assert all(s != t for s, t in zip(shown, texts, strict=True)), shown


def _templates_in(text: str) -> set[str]:
    """The template of ``text`` and those of its values (a TLS reason in a message)."""
    made = template_of(text)
    if made is None:
        return set()
    template, values = made
    return {template}.union(*(_templates_in(value) for value in values.values()))


def test_in_english_every_text_stays_as_it_is(qapp: QApplication) -> None:
    for text in core_texts():
        assert translated(text) == text
    for template in messages.TEMPLATES:
        text, _ = _filled(template)
        assert translated(text) == text, template


def test_every_template_is_in_the_german_ts_and_translated() -> None:
    german = {
        m.source: m for m in tool.read_ts(tool.ts_file("de")) if m.context == messages.CONTEXT
    }
    missing = [t for t in messages.TEMPLATES if t not in german]
    assert not missing, missing
    unfinished = [t for t in messages.TEMPLATES if german[t].unfinished]
    assert not unfinished, unfinished


@pytest.mark.usefixtures("german")
def test_in_german_no_template_is_left_and_the_values_are_kept() -> None:
    for template in messages.TEMPLATES:
        text, values = _filled(template)
        shown = translated(text)
        assert shown != text, template
        for value in values.values():
            assert value in shown, (template, shown)


@pytest.mark.usefixtures("german")
def test_in_german_what_the_core_says() -> None:
    results = list(core_results())
    invalid = results[7]
    assert invalid.message == "The server rejected the key: Invalid API key."
    assert translated(invalid.message) == "Der Server hat den Schlüssel abgelehnt: Invalid API key."
    assert translated(invalid.hint).startswith("Ein Schlüssel funktioniert sofort nicht mehr")
    refused = results[10]  # the server's own words stay as they are, braces and all
    assert translated(refused.message) == (
        "Der Server hat den Schlüssel zurückgewiesen (HTTP 401): Token revoked {yesterday}."
    )
    tls = classify_failure(_tls("certificate has expired"), BASE, 15.0, now=NOW)
    assert translated(tls.message) == (  # a value made from a template is translated too
        "Die TLS-Verbindung zu sipstory.example.com ist gescheitert: das Zertifikat ist abgelaufen."
    )
    wait = results[13]
    assert "(30/30 verbraucht; HTTP 429). Er kann in 2 Min. wieder geprüft werden" in (
        translated(wait.message)
    )
    skipped = list(channel_results())[11]
    assert translated(skipped.message) == (
        "Der Schlüssel funktioniert: 2 Kanäle aufgelistet. 1 Element(e) der Antwort konnten "
        "nicht gelesen werden und wurden übersprungen."
    )
    closed = locked_error("", closed=True)
    assert translated(closed.message) == (
        "Der Schlüsselbund hat keinen Standard-Schlüsselbund, um Schlüssel aufzubewahren."
    )
    for text in core_texts():
        assert translated(text) != text, text


@pytest.mark.usefixtures("german")
def test_a_text_from_no_template_is_shown_as_it_is() -> None:
    for text in ("", "Something a newer version said.", "The server failed with HTTP"):
        assert translated(text) == text


@pytest.mark.usefixtures("german")
def test_the_details_pane_says_the_result_in_german(
    qtbot: QtBot,
    vault: Vault,
    window: MakeWindow,
    server: SipstoryTestServer,
    known_key: KnownKey,
    seed: Seed,
) -> None:
    [entry] = seed([("Acme", server.api_base, known_key(state="rotated"))])
    shown = window()
    with qtbot.waitSignal(shown.session.idle, timeout=WAIT_MS):
        shown.check_all()
    qtbot.waitUntil(lambda: vault.state.load().latest(entry.id) is not None, timeout=WAIT_MS)
    select(shown, entry.id)
    stored = vault.state.load().latest(entry.id)
    assert stored is not None and stored.status is Status.INVALID_KEY
    assert stored.message.startswith("The server")  # state.json keeps English
    pane = shown.details
    assert pane._message.text() == translated(stored.message)
    assert pane._message.text().startswith("Der Server")
    assert pane._hint.text() == translated(stored.hint)
    assert pane._hint.text() != stored.hint
