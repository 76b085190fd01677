"""Tests of the local Sipstory test server (sipstory_desktop.demo.fake_api, its faults and its
command line, sipstory_desktop.demo.server), over real HTTP.

The keys below are made up, yet the tests treat them as secrets: no assertion compares a key
with ``==`` directly (pytest would show both sides on failure), and nothing prints one.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.client import HTTPConnection, RemoteDisconnected
from pathlib import Path
from typing import Any

import pytest
import requests

from sipstory_desktop.demo.canned import default_channels
from sipstory_desktop.demo.fake_api import RecordedRequest, SipstoryTestServer
from sipstory_desktop.demo.faults import FAULTS
from sipstory_desktop.demo.server import main

VALID_KEY = "3f" * 32  # 64 hex characters, like today's keys
OTHER_ORG_KEY = "pos_" + "Q7" * 20
ROTATED_KEY = "0a" * 32
NO_SUBSCRIPTION_KEY = "1b" * 32
LOOKUP_FAILED_KEY = "2c" * 32
UNKNOWN_KEY = "9e" * 32
ALL_KEYS = (
    VALID_KEY,
    OTHER_ORG_KEY,
    ROTATED_KEY,
    NO_SUBSCRIPTION_KEY,
    LOOKUP_FAILED_KEY,
    UNKNOWN_KEY,
)

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
NEST_404_X = b'{"message":"Cannot GET /x","error":"Not Found","statusCode":404}'
THROTTLED = b'{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}'
TIMEOUT = 5.0
REPO_ROOT = Path(__file__).resolve().parents[2]

MakeServer = Callable[..., SipstoryTestServer]


@pytest.fixture
def make_server() -> Iterator[MakeServer]:
    """Start servers with the test keys; every one is stopped after the test."""
    started: list[SipstoryTestServer] = []

    def make(**options: Any) -> SipstoryTestServer:
        server = SipstoryTestServer(**options)
        server.add_key(VALID_KEY, org="acme")
        server.add_key(OTHER_ORG_KEY, org="globex")
        server.add_key(ROTATED_KEY, org="acme", state="rotated")
        server.add_key(NO_SUBSCRIPTION_KEY, org="initech", state="no_subscription")
        server.add_key(LOOKUP_FAILED_KEY, org="acme", state="lookup_failed")
        started.append(server.start())
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def server(make_server: MakeServer) -> SipstoryTestServer:
    return make_server()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment between us and 127.0.0.1
        yield session


def get(
    http: requests.Session, url: str, key: str | None = None, **options: Any
) -> requests.Response:
    headers = {"Authorization": key} if key is not None else {}
    options.setdefault("timeout", TIMEOUT)
    options.setdefault("allow_redirects", False)
    return http.get(url, headers=headers, **options)


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def server_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sipstory-test-server")]


def was_reset(error: BaseException) -> bool:
    """Whether a TCP reset is anywhere in the error, its causes or its arguments.

    ``RemoteDisconnected`` (an orderly close without an answer) subclasses ConnectionResetError
    too, but is not a reset: it does not count.
    """
    pending: list[object] = [error]
    seen: list[object] = []
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        if isinstance(item, ConnectionResetError) and not isinstance(item, RemoteDisconnected):
            return True
        seen.append(item)
        pending.extend([item.__cause__, item.__context__, *item.args])
    return False


# -- addresses and lifecycle -------------------------------------------------------------------


def test_addresses_follow_the_layout(make_server: MakeServer) -> None:
    proxy = make_server(layout="proxy")
    backend = make_server(layout="backend")
    assert proxy.url == f"http://127.0.0.1:{proxy.port}"
    assert proxy.port > 0
    assert proxy.api_base == proxy.url + "/api/public/v1"
    assert backend.api_base == backend.url + "/public/v1"
    assert proxy.fault_base("reset") == proxy.url + "/fault/reset/api/public/v1"
    assert backend.fault_base("slow") == backend.url + "/fault/slow/public/v1"


def test_lifecycle_errors_and_idempotent_stop() -> None:
    server = SipstoryTestServer()
    with pytest.raises(RuntimeError):
        _ = server.port
    with server:
        with pytest.raises(RuntimeError):
            server.start()
        assert any(t.is_alive() for t in server_threads())
    server.stop()  # a second stop does nothing
    assert server_threads() == []


def test_a_busy_port_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError):
            SipstoryTestServer(port=port).start()
        assert server_threads() == []
        assert main(["--port", str(port), "--key", VALID_KEY]) == 1
    captured = capsys.readouterr()
    assert f"cannot listen on port {port}" in captured.err
    assert "Traceback" not in captured.err
    leaked = VALID_KEY in captured.out + captured.err
    assert not leaked


def test_invalid_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        SipstoryTestServer(layout="cloud")  # type: ignore[arg-type]
    server = SipstoryTestServer()
    with pytest.raises(ValueError):
        server.add_key("")
    with pytest.raises(ValueError):
        server.add_key("k", state="expired")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        server.set_rate_limit("acme", -1)
    with pytest.raises(ValueError):
        server.set_rate_limit("acme", 5, window=0)
    with pytest.raises(ValueError):
        server.fault_base("explode")
    with pytest.raises(ValueError):
        server.fault = "explode"
    assert server.fault is None


# -- layouts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/launches", "/public/v1/is-connected", "/api"])
def test_proxy_layout_sends_the_web_app_outside_api(
    make_server: MakeServer, http: requests.Session, path: str
) -> None:
    server = make_server(layout="proxy")
    response = get(http, server.url + path, VALID_KEY)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == HTML_TYPE
    assert response.text.startswith("<!DOCTYPE html>")
    assert "Sipstory" in response.text
    assert 'type="password"' in response.text


@pytest.mark.parametrize(
    ("path", "seen_by_backend"),
    [
        ("/api/x", "/x"),
        ("/api/public/v1/unknown", "/public/v1/unknown"),
        ("/api/public/v1", "/public/v1"),
        ("/api/public/v2/is-connected?a=1", "/public/v2/is-connected?a=1"),
    ],
)
def test_proxy_layout_passes_api_paths_to_the_backend(
    make_server: MakeServer, http: requests.Session, path: str, seen_by_backend: str
) -> None:
    server = make_server(layout="proxy")
    response = get(http, server.url + path, VALID_KEY)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json() == {
        "message": f"Cannot GET {seen_by_backend}",
        "error": "Not Found",
        "statusCode": 404,
    }


@pytest.mark.parametrize("path", ["/x", "/", "/api/public/v1/is-connected", "/public/v1/nope"])
def test_backend_layout_answers_nest_404_outside_the_api(
    make_server: MakeServer, http: requests.Session, path: str
) -> None:
    server = make_server(layout="backend")
    response = get(http, server.url + path, VALID_KEY)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json()["message"] == f"Cannot GET {path}"
    if path == "/x":
        assert response.content == NEST_404_X


@pytest.mark.parametrize("layout", ["proxy", "backend"])
def test_api_answers_in_both_layouts(
    make_server: MakeServer, http: requests.Session, layout: str
) -> None:
    server = make_server(layout=layout)
    response = get(http, server.api_base + "/is-connected", VALID_KEY)
    assert response.status_code == 200
    assert response.content == b'{"connected":true}'
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.headers["Content-Length"] == str(len(response.content))


def test_other_methods_on_known_paths_are_nest_404(
    make_server: MakeServer, http: requests.Session
) -> None:
    server = make_server(layout="backend")
    response = http.post(
        server.api_base + "/is-connected",
        headers={"Authorization": VALID_KEY},
        json={"a": 1},
        timeout=TIMEOUT,
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Cannot POST /public/v1/is-connected"


def test_http11_keep_alive_and_content_length(server: SipstoryTestServer) -> None:
    connection = HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    try:
        sockets = []
        for method, path in [
            ("GET", "/api/public/v1/is-connected"),
            ("GET", "/"),
            ("HEAD", "/api/public/v1/integrations"),
            ("GET", "/api/nope"),
        ]:
            connection.request(method, path, headers={"Authorization": VALID_KEY})
            response = connection.getresponse()
            body = response.read()
            assert response.version == 11
            assert response.status in (200, 404)
            length = int(response.headers["Content-Length"])
            if method == "HEAD":
                assert body == b""
                assert length > 2
            else:
                assert length == len(body) > 0
            assert response.getheader("Server") is None
            sockets.append(connection.sock)
        assert sockets[0] is not None
        assert all(s is sockets[0] for s in sockets)  # one connection served them all
    finally:
        connection.close()


# -- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "body"),
    [
        (None, b'{"msg":"No API Key found"}'),
        ("", b'{"msg":"No API Key found"}'),
        (UNKNOWN_KEY, b'{"msg":"Invalid API key"}'),
        (ROTATED_KEY, b'{"msg":"Invalid API key"}'),
        ("Bearer " + VALID_KEY, b'{"msg":"Invalid API key"}'),
        (NO_SUBSCRIPTION_KEY, b'{"msg":"No subscription found"}'),
        (LOOKUP_FAILED_KEY, b""),
    ],
    ids=["no-header", "empty", "unknown", "rotated", "bearer", "no-subscription", "lookup-failed"],
)
@pytest.mark.parametrize("endpoint", ["/is-connected", "/integrations"])
def test_rejected_keys(
    server: SipstoryTestServer,
    http: requests.Session,
    key: str | None,
    body: bytes,
    endpoint: str,
) -> None:
    response = get(http, server.api_base + endpoint, key)
    assert response.status_code == 401
    assert response.content == body
    if body:
        assert response.headers["Content-Type"] == JSON_TYPE
    assert "X-RateLimit-Limit" not in response.headers


def test_a_key_added_while_running_works_and_can_be_rotated(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    assert get(http, server.api_base + "/is-connected", UNKNOWN_KEY).status_code == 401
    server.add_key(UNKNOWN_KEY, org="acme")
    assert get(http, server.api_base + "/is-connected", UNKNOWN_KEY).status_code == 200
    server.add_key(UNKNOWN_KEY, org="acme", state="rotated")
    response = get(http, server.api_base + "/is-connected", UNKNOWN_KEY)
    assert (response.status_code, response.json()) == (401, {"msg": "Invalid API key"})


# -- integrations ------------------------------------------------------------------------------


def test_integrations_lists_realistic_default_channels(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    response = get(http, server.api_base + "/integrations", VALID_KEY)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    channels = response.json()
    assert channels == default_channels("acme")
    assert len(channels) >= 3
    required = {"id", "name", "identifier", "picture", "disabled", "profile"}
    for channel in channels:
        assert required <= set(channel) <= required | {"customer"}
        assert isinstance(channel["disabled"], bool)
    identifiers = {c["identifier"] for c in channels}
    assert {"x", "linkedin-page", "bluesky"} <= identifiers
    assert any("customer" in c for c in channels)
    assert any("customer" not in c for c in channels)
    assert len({c["id"] for c in channels}) == len(channels)
    other = get(http, server.api_base + "/integrations", OTHER_ORG_KEY).json()
    assert {c["id"] for c in other}.isdisjoint({c["id"] for c in channels})


def test_set_channels_replaces_one_orgs_list(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    mine: list[dict[str, object]] = [
        {
            "id": "c1",
            "name": "Acme on Bluesky",
            "identifier": "bluesky",
            "picture": "https://example.com/a.png",
            "disabled": False,
            "profile": "acme.bsky.social",
            "customer": {"id": "cu1", "name": "Acme"},
        }
    ]
    server.set_channels("acme", mine)
    assert get(http, server.api_base + "/integrations", VALID_KEY).json() == mine
    other = get(http, server.api_base + "/integrations", OTHER_ORG_KEY).json()
    assert other == default_channels("globex")
    server.set_channels("acme", [])
    assert get(http, server.api_base + "/integrations/", VALID_KEY).json() == []


# -- rate limits -------------------------------------------------------------------------------


def test_rate_limit_headers_then_429_with_retry_after(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    server.set_rate_limit("acme", 3)
    url = server.api_base + "/is-connected"
    for remaining in ("2", "1", "0"):
        response = get(http, url, VALID_KEY)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == remaining
        assert 3590 <= int(response.headers["X-RateLimit-Reset"]) <= 3600  # seconds, not a date
    for _ in range(2):  # blocked for the rest of the window
        response = get(http, url, VALID_KEY)
        assert response.status_code == 429
        assert response.content == THROTTLED
        assert response.headers["Content-Type"] == JSON_TYPE
        assert 3590 <= int(response.headers["Retry-After"]) <= 3600
    assert get(http, server.api_base + "/integrations", VALID_KEY).status_code == 429
    # Another organization has its own window; one without a limit has no headers.
    server.set_rate_limit("globex", 3)
    response = get(http, url, OTHER_ORG_KEY)
    assert (response.status_code, response.headers["X-RateLimit-Remaining"]) == (200, "2")
    server.add_key(UNKNOWN_KEY, org="unlimited")
    response = get(http, url, UNKNOWN_KEY)
    assert response.status_code == 200
    assert not any(h.lower().startswith("x-ratelimit") for h in response.headers)


def test_401_never_counts(server: SipstoryTestServer, http: requests.Session) -> None:
    server.set_rate_limit("acme", 2)
    url = server.api_base + "/is-connected"
    for key in (None, ROTATED_KEY, LOOKUP_FAILED_KEY, "Bearer " + VALID_KEY) * 3:
        assert get(http, url, key).status_code == 401
    assert get(http, url, VALID_KEY).headers["X-RateLimit-Remaining"] == "1"
    assert get(http, url, VALID_KEY).headers["X-RateLimit-Remaining"] == "0"
    assert get(http, url, VALID_KEY).status_code == 429
    assert get(http, url, ROTATED_KEY).status_code == 401  # auth still runs first


def test_limit_zero_refuses_every_counted_request(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    server.set_rate_limit("acme", 0)
    response = get(http, server.api_base + "/integrations", VALID_KEY)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    server.set_rate_limit("acme", None)
    assert get(http, server.api_base + "/integrations", VALID_KEY).status_code == 200


def test_is_connected_may_not_count(make_server: MakeServer, http: requests.Session) -> None:
    server = make_server(counts_is_connected=False)
    server.set_rate_limit("acme", 1)
    for _ in range(3):
        response = get(http, server.api_base + "/is-connected", VALID_KEY)
        assert response.status_code == 200
        assert "X-RateLimit-Remaining" not in response.headers
    response = get(http, server.api_base + "/integrations", VALID_KEY)
    assert (response.status_code, response.headers["X-RateLimit-Remaining"]) == (200, "0")
    assert get(http, server.api_base + "/integrations", VALID_KEY).status_code == 429
    assert get(http, server.api_base + "/is-connected", VALID_KEY).status_code == 200


def test_the_window_starts_at_the_first_counted_request_and_ends(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    server.set_rate_limit("acme", 1, window=0.3)
    url = server.api_base + "/is-connected"
    first = get(http, url, VALID_KEY)
    assert first.headers["X-RateLimit-Reset"] == "1"  # never 0 while the window is open
    refused = get(http, url, VALID_KEY)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    time.sleep(0.35)  # the window is a wall-clock fact: let it pass
    again = get(http, url, VALID_KEY)
    assert (again.status_code, again.headers["X-RateLimit-Remaining"]) == (200, "0")


# -- faults ------------------------------------------------------------------------------------


def _check_fault_answer(fault: str, response: requests.Response) -> None:
    content_type = response.headers.get("Content-Type", "")
    if fault == "server_error":
        assert response.status_code == 500
        assert content_type == JSON_TYPE
        assert response.json() == {"statusCode": 500, "message": "Internal server error"}
    elif fault == "bad_gateway":
        assert response.status_code == 502
        assert content_type.startswith("text/html")
        assert b"502 Bad Gateway" in response.content
        assert b"nginx" in response.content
    elif fault == "redirect":
        assert response.status_code == 301
        location = response.headers["Location"]
        assert location == "https://sipstory.example.com/api/public/v1/is-connected"
        leaked = any(key in location or key in response.text for key in ALL_KEYS)
        assert not leaked
    elif fault == "non_json":
        assert (response.status_code, response.content) == (200, b"OK")
        assert content_type.startswith("text/plain")
    elif fault == "html":
        assert response.status_code == 200
        assert content_type == HTML_TYPE
        assert response.text.startswith("<!DOCTYPE html>")
    elif fault == "not_connected":
        assert (response.status_code, response.content) == (200, b'{"connected":false}')
        assert content_type == JSON_TYPE
    elif fault == "payment_required":
        assert response.status_code == 402
        assert content_type == JSON_TYPE
        assert response.json()["statusCode"] == 402
    else:  # pragma: no cover - a new fault needs a case here
        pytest.fail(f"no expectation for fault {fault}")
    assert response.headers["Content-Length"] == str(len(response.content))


ANSWERING_FAULTS = [f for f in FAULTS if f not in ("slow", "reset")]


@pytest.mark.parametrize("fault", ANSWERING_FAULTS)
@pytest.mark.parametrize("key", [VALID_KEY, None], ids=["valid-key", "no-key"])
def test_global_fault(
    server: SipstoryTestServer, http: requests.Session, fault: str, key: str | None
) -> None:
    server.fault = fault
    _check_fault_answer(fault, get(http, server.api_base + "/is-connected", key))
    server.fault = None
    assert get(http, server.api_base + "/is-connected", VALID_KEY).json() == {"connected": True}


@pytest.mark.parametrize("fault", ANSWERING_FAULTS)
@pytest.mark.parametrize("layout", ["proxy", "backend"])
def test_fault_base(
    make_server: MakeServer, http: requests.Session, fault: str, layout: str
) -> None:
    server = make_server(layout=layout)
    _check_fault_answer(fault, get(http, server.fault_base(fault) + "/is-connected", VALID_KEY))
    # Only requests under the fault base get the fault.
    assert get(http, server.api_base + "/is-connected", VALID_KEY).status_code == 200


def test_faults_come_before_auth_and_throttling(
    server: SipstoryTestServer, http: requests.Session
) -> None:
    server.set_rate_limit("acme", 1)
    for _ in range(3):
        response = get(http, server.fault_base("server_error") + "/integrations", VALID_KEY)
        assert response.status_code == 500
    response = get(http, server.api_base + "/is-connected", VALID_KEY)
    assert (response.status_code, response.headers["X-RateLimit-Remaining"]) == (200, "0")


def test_global_fault_spares_the_web_app_and_unknown_fault_paths(
    make_server: MakeServer, http: requests.Session
) -> None:
    proxy = make_server(layout="proxy")
    proxy.fault = "server_error"
    assert get(http, proxy.url + "/").status_code == 200
    response = get(http, proxy.url + "/fault/explode/api/public/v1/is-connected", VALID_KEY)
    assert (response.status_code, response.headers["Content-Type"]) == (200, HTML_TYPE)
    backend = make_server(layout="backend")
    response = get(http, backend.url + "/fault/explode/public/v1/is-connected", VALID_KEY)
    assert response.status_code == 404
    assert response.json()["message"] == "Cannot GET /fault/explode/public/v1/is-connected"


@pytest.mark.parametrize("how", ["attribute", "base"])
def test_reset_fault_resets_the_connection(
    server: SipstoryTestServer, http: requests.Session, how: str
) -> None:
    if how == "attribute":
        server.fault = "reset"
        url = server.api_base + "/is-connected"
    else:
        url = server.fault_base("reset") + "/is-connected"
    with pytest.raises(requests.ConnectionError) as raised:
        get(http, url, VALID_KEY)
    assert was_reset(raised.value)
    server.fault = None
    assert get(http, server.api_base + "/is-connected", VALID_KEY).status_code == 200


@pytest.mark.parametrize("how", ["attribute", "base"])
def test_slow_fault_times_out_a_client(
    make_server: MakeServer, http: requests.Session, how: str
) -> None:
    server = make_server(slow_seconds=0.5)
    if how == "attribute":
        server.fault = "slow"
        url = server.api_base + "/is-connected"
    else:
        url = server.fault_base("slow") + "/is-connected"
    with pytest.raises(requests.ReadTimeout):
        get(http, url, VALID_KEY, timeout=(TIMEOUT, 0.1))


def test_slow_fault_then_answers_normally(make_server: MakeServer, http: requests.Session) -> None:
    server = make_server(slow_seconds=0.2)
    started = time.monotonic()
    response = get(http, server.fault_base("slow") + "/is-connected", VALID_KEY)
    assert time.monotonic() - started >= 0.2
    assert response.json() == {"connected": True}
    assert get(http, server.fault_base("slow") + "/is-connected").status_code == 401


def test_stop_is_prompt_while_a_slow_request_waits(make_server: MakeServer) -> None:
    server = make_server(slow_seconds=30.0)
    outcome: list[object] = []

    def client() -> None:
        with requests.Session() as session:
            session.trust_env = False
            try:
                outcome.append(get(session, server.fault_base("slow") + "/is-connected", VALID_KEY))
            except requests.RequestException as error:
                outcome.append(error)

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    wait_until(lambda: len(server.requests) == 1)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2.0
    assert server_threads() == []  # the serving thread and the connection threads are gone
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], requests.ConnectionError)  # no answer after stop()


def test_delay_comes_before_the_answer_and_the_fault(
    make_server: MakeServer, http: requests.Session
) -> None:
    server = make_server(delay=0.2)
    started = time.monotonic()
    assert get(http, server.fault_base("server_error") + "/is-connected").status_code == 500
    assert time.monotonic() - started >= 0.2
    other = make_server()
    other.delay = 0.2  # settable while running
    started = time.monotonic()
    assert get(http, other.api_base + "/is-connected", VALID_KEY).status_code == 200
    assert time.monotonic() - started >= 0.2


# -- recording and secrecy ---------------------------------------------------------------------


def test_requests_are_recorded_in_order(server: SipstoryTestServer, http: requests.Session) -> None:
    before = time.monotonic()
    get(http, server.api_base + "/is-connected", VALID_KEY)
    http.post(server.url + "/x?y=1", data=b"body", timeout=TIMEOUT)
    get(http, server.fault_base("not_connected") + "/is-connected")
    after = time.monotonic()
    recorded = list(server.requests)
    assert all(isinstance(r, RecordedRequest) for r in recorded)
    assert [(r.method, r.path) for r in recorded] == [
        ("GET", "/api/public/v1/is-connected"),
        ("POST", "/x?y=1"),
        ("GET", "/fault/not_connected/api/public/v1/is-connected"),
    ]
    times = [r.at for r in recorded]
    assert before <= times[0] <= times[1] <= times[2] <= after
    sent_key = recorded[0].headers.get("Authorization") == VALID_KEY
    assert sent_key
    assert "Authorization" not in recorded[2].headers
    assert recorded[1].headers["Content-Length"] == "4"
    hidden = VALID_KEY not in repr(recorded) + str(recorded[0])
    assert hidden


def test_keys_never_reach_logs_or_output(
    make_server: MakeServer,
    http: requests.Session,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    server = make_server(slow_seconds=0.05)
    server.set_rate_limit("acme", 1)
    for key in ALL_KEYS:
        get(http, server.api_base + "/is-connected", key)
        get(http, server.api_base + "/is-connected", "Bearer " + key)
        get(http, server.fault_base("redirect") + "/is-connected", key)
        get(http, server.url + "/", key)
    with pytest.raises(requests.ConnectionError):
        get(http, server.fault_base("reset") + "/is-connected", VALID_KEY)
    # A client that goes away before the answer is written.
    with socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT) as raw:
        raw.sendall(
            f"GET /fault/slow/api/public/v1/integrations HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: {VALID_KEY}\r\n\r\n".encode()
        )
        wait_until(lambda: len(server.requests) == len(ALL_KEYS) * 4 + 2)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    wait_until(lambda: [t for t in server_threads() if "worker" in t.name] == [])
    server.stop()
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err
    assert any(r.name == "sipstory_desktop.demo.httpd" for r in caplog.records)
    logged = caplog.text + captured.out + captured.err
    leaked = [i for i, key in enumerate(ALL_KEYS) if key in logged]
    assert leaked == []


# -- command line ------------------------------------------------------------------------------


def _run_cli(*arguments: str, ignoring_sigint: bool = False) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))

    def ignore_sigint() -> None:  # as a shell does for a background job
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.Popen(
        [sys.executable, "-m", "sipstory_desktop.demo.server", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=ignore_sigint if ignoring_sigint else None,  # noqa: PLW1509
    )


@pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_cli_serves_until_interrupted(http: requests.Session, stop_signal: int) -> None:
    process = _run_cli(
        "--layout",
        "backend",
        "--key",
        f"{VALID_KEY}:valid:acme",
        "--key",
        f"{NO_SUBSCRIPTION_KEY}:no_subscription",
        "--rate-limit",
        "acme:5",
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        assert base.endswith("/public/v1")
        assert "/api/" not in base
        response = get(http, base + "/is-connected", VALID_KEY)
        assert (response.status_code, response.headers["X-RateLimit-Limit"]) == (200, "5")
        response = get(http, base + "/is-connected", NO_SUBSCRIPTION_KEY)
        assert response.json() == {"msg": "No subscription found"}
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Traceback" not in err
    leaked = [i for i, key in enumerate(ALL_KEYS) if key in out + err + base]
    assert leaked == []


@pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")
def test_cli_fault_option(http: requests.Session) -> None:
    process = _run_cli("--key", VALID_KEY, "--fault", "not_connected")
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        assert base.endswith("/api/public/v1")
        response = get(http, base + "/is-connected", VALID_KEY)
        assert response.json() == {"connected": False}
        process.terminate()
        process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0


@pytest.mark.parametrize(
    "arguments",
    [
        ["--key", f"{VALID_KEY}:expired"],
        ["--key", f"{VALID_KEY}:valid:acme:extra"],
        ["--key", ":valid"],
        ["--rate-limit", "acme"],
        ["--rate-limit", "acme:-3"],
        ["--fault", "explode"],
        ["--layout", "cloud"],
        ["--delay", "-1"],
    ],
)
def test_cli_rejects_bad_arguments_without_echoing_keys(
    capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(arguments)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert "error" in captured.err
    leaked = VALID_KEY in captured.out + captured.err
    assert not leaked


def test_demo_package_runs_the_server_cli() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "sipstory_desktop.demo", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    assert "--rate-limit" in result.stdout


@pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")
def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored() -> None:
    process = _run_cli(ignoring_sigint=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip().startswith("http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0 and "Traceback" not in err


class _SignalOnFirstLine:
    """A standard output that sends SIGINT as soon as the URL is written, as a script may."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.append(text)
        if text.startswith("http://"):
            signal.raise_signal(signal.SIGINT)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.skipif(os.name != "posix", reason="sends POSIX signals")
def test_a_signal_sent_as_soon_as_the_url_is_read_stops_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Its handlers are in place before the URL is printed: a SIGINT between the two,
    # with SIGINT ignored as in a background job, was lost and the server ran on.
    out = _SignalOnFirstLine()
    monkeypatch.setattr(sys, "stdout", out)
    before = signal.getsignal(signal.SIGINT)
    assert main(["--port", "0"]) == 0
    assert out.lines[0].startswith("http://127.0.0.1:")
    assert signal.getsignal(signal.SIGINT) is before
