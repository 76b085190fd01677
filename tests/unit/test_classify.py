"""Every status of design.md's table, from what a server answers (or fails to).

HTTP answers come from ``responses`` through the real :class:`ApiClient` and
:func:`check_key`; transport failures from ``responses`` raising the exceptions requests
raises, and from real sockets on 127.0.0.1 (refused, no answer, cut, not TLS).
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import responses
import urllib3.exceptions
from hypothesis import event, example, given
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from sipstory_desktop.core.checker import IS_CONNECTED_PATH, check_key
from sipstory_desktop.core.classify import ROTATION_HINT, classify_answer, classify_failure
from sipstory_desktop.core.client import (
    MAX_BODY_BYTES,
    USER_AGENT,
    Answer,
    ApiClient,
    DeadlineExceeded,
    Timeouts,
)
from sipstory_desktop.core.find_url import ProbeOutcome, classify_probe
from sipstory_desktop.core.status import CheckResult, Light, RateLimit, Status
from tests.support.ports import closed_port
from tests.support.properties import (
    FUZZ,
    base_urls,
    content_types,
    header_text,
    is_clean_text,
    json_scalars,
    json_values,
    serialized,
    statuses,
    wide_json_values,
)

KEY = "7c" * 32
BASE = "https://sipstory.example.com/api/public/v1"
URL = BASE + IS_CONNECTED_PATH
WEB_BASE = "https://sipstory.example.com"  # /api left out: the web app answers
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
JSON = "application/json; charset=utf-8"
LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sipstory</title></head>"
    b"<body><form action='/auth/login'>Sign in</form></body></html>"
)


def _answer(
    status: int, headers: dict[str, str] | None = None, body: bytes = b"", truncated: bool = False
) -> Answer:
    return Answer(status, CaseInsensitiveDict(headers or {}), body, truncated, 12)


def _json_answer(status: int, document: Any, headers: dict[str, str] | None = None) -> Answer:
    return _answer(status, {"Content-Type": JSON, **(headers or {})}, json.dumps(document).encode())


def _no_key_in(result: CheckResult) -> None:
    text = json.dumps(result.to_dict())
    leaked = KEY in text
    assert not leaked, "the key appears in a result"


def _check(mocked: responses.RequestsMock, client: ApiClient, base: str = BASE) -> CheckResult:
    result = check_key(client, base, KEY)
    _no_key_in(result)
    return result


# --- connected and the 2xx that are not ------------------------------------------------------


def test_connected(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, json={"connected": True})
    result = _check(mocked, client)
    assert result.status is Status.CONNECTED
    assert result.ok
    assert result.light is Light.GREEN
    assert result.http_status == 200
    assert result.latency_ms is not None
    assert result.latency_ms >= 0
    assert result.request_sent
    assert len(mocked.calls) == 1


def test_request_carries_the_raw_key_and_names_the_app(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, json={"connected": True})
    _check(mocked, client)
    request = mocked.calls[0].request
    sent = request.headers["Authorization"]
    raw = sent == KEY
    assert raw, "the Authorization header is not exactly the raw key"
    bearer = sent.lower().startswith("bearer")
    assert not bearer, "a Bearer prefix was sent"
    assert request.headers["User-Agent"] == USER_AGENT
    assert "SipstoryDesktop/" in request.headers["User-Agent"]
    assert request.method == "GET"
    assert request.url == URL


def test_trailing_slash_of_the_base_is_not_doubled(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, json={"connected": True})
    assert _check(mocked, client, BASE + "/").status is Status.CONNECTED
    assert mocked.calls[0].request.url == URL


def test_html_login_page_is_not_the_api(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(WEB_BASE + IS_CONNECTED_PATH, body=LOGIN_PAGE, content_type="text/html")
    result = _check(mocked, client, WEB_BASE)
    assert result.status is Status.NOT_API
    assert not result.ok
    assert result.http_status == 200
    assert result.suggested_base_url == "https://sipstory.example.com/api/public/v1"
    assert "/api/public/v1" in result.hint
    assert "web app" in result.message


def test_html_without_a_content_type_is_recognised() -> None:
    result = classify_answer(_answer(200, {}, b"  \n<!doctype html><html></html>"), WEB_BASE)
    assert result.status is Status.NOT_API
    assert result.suggested_base_url == WEB_BASE + "/api/public/v1"


def test_backend_path_without_api_gets_the_api_suggestion() -> None:
    result = classify_answer(
        _answer(200, {"Content-Type": "text/html"}, LOGIN_PAGE), "https://x.example/public/v1"
    )
    assert result.status is Status.NOT_API
    assert result.suggested_base_url == "https://x.example/api/public/v1"


def test_plain_text_is_not_the_api(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, body="OK", content_type="text/plain")
    result = _check(mocked, client)
    assert result.status is Status.NOT_API
    assert "text/plain" in result.message
    assert result.suggested_base_url is None  # already the /api/public/v1 path


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ({"connected": False}, "false"),
        ({"connected": "true"}, '"true"'),
        ({"connected": 1}, "1"),
        ({"status": "ok"}, "ok"),
        ([{"connected": True}], "["),
        (True, "true"),
        ("connected", "connected"),
    ],
)
def test_json_without_connected_true_is_unexpected(
    mocked: responses.RequestsMock, client: ApiClient, body: Any, shown: str
) -> None:
    mocked.get(URL, body=json.dumps(body), content_type="application/json")
    result = _check(mocked, client)
    assert result.status is Status.UNEXPECTED
    assert not result.ok
    assert shown in result.message
    assert "connected" in result.hint


def test_json_null_is_unexpected_not_non_json() -> None:
    result = classify_answer(_answer(200, {"Content-Type": JSON}, b"null"), BASE)
    assert result.status is Status.UNEXPECTED


def test_201_with_connected_true_is_not_connected() -> None:
    result = classify_answer(_json_answer(201, {"connected": True}), BASE)
    assert result.status is Status.UNEXPECTED


def test_204_no_content_is_not_connected(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, status=204, body=b"")
    result = _check(mocked, client)
    assert result.status is Status.NOT_API
    assert not result.ok
    assert result.http_status == 204


def test_invalid_json_with_a_json_type_is_not_connected() -> None:
    result = classify_answer(_answer(200, {"Content-Type": JSON}, b"{connected: true"), BASE)
    assert result.status is Status.NOT_API
    assert not result.ok


def test_json_body_in_another_encoding_is_not_parsed() -> None:
    result = classify_answer(
        _answer(200, {"Content-Type": JSON}, '{"connected": true}'.encode("utf-16")), BASE
    )
    assert not result.ok


def test_json_content_type_variants_are_accepted() -> None:
    for content_type in ("application/json", "Application/JSON", "application/vnd.api+json"):
        answer = _answer(200, {"Content-Type": content_type}, b'{"connected":true}')
        assert classify_answer(answer, BASE).status is Status.CONNECTED


def test_json_with_an_html_type_is_not_the_api() -> None:
    answer = _answer(200, {"Content-Type": "text/html"}, b'{"connected":true}')
    assert classify_answer(answer, BASE).status is Status.NOT_API


# --- 401 / 403 -------------------------------------------------------------------------------


def test_invalid_api_key(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, status=401, json={"msg": "Invalid API key"})
    result = _check(mocked, client)
    assert result.status is Status.INVALID_KEY
    assert result.light is Light.RED
    assert result.http_status == 401
    assert "Invalid API key" in result.message
    assert result.hint == ROTATION_HINT
    assert "rotated" in result.hint
    assert not result.counted


def test_no_subscription(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, status=401, json={"msg": "No subscription found"})
    result = _check(mocked, client)
    assert result.status is Status.NO_SUBSCRIPTION
    assert "subscription" in result.message
    assert "billing" in result.hint
    assert not result.counted


def test_no_api_key_found_points_at_a_proxy(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, status=401, json={"msg": "No API Key found"})
    result = _check(mocked, client)
    assert result.status is Status.INVALID_KEY
    assert "received no key" in result.message
    assert "Authorization" in result.hint


@pytest.mark.parametrize("body", [b"", b"   \n"])
def test_401_with_an_empty_body(
    mocked: responses.RequestsMock, client: ApiClient, body: bytes
) -> None:
    mocked.get(URL, status=401, body=body)
    result = _check(mocked, client)
    assert result.status is Status.INVALID_KEY
    assert "without a reason" in result.message
    assert "again" in result.hint


def test_403_is_a_refused_key(mocked: responses.RequestsMock, client: ApiClient) -> None:
    mocked.get(URL, status=403, json={"message": "Forbidden resource"})
    result = _check(mocked, client)
    assert result.status is Status.INVALID_KEY
    assert "403" in result.message
    assert "Forbidden resource" in result.message
    assert result.hint == ROTATION_HINT
    assert not result.counted


def test_401_with_another_message_keeps_it() -> None:
    result = classify_answer(_answer(401, {"Content-Type": "text/plain"}, b"nope"), BASE)
    assert result.status is Status.INVALID_KEY
    assert "HTTP 401" in result.message


# --- not the API, redirects --------------------------------------------------------------------


def test_404_is_not_the_api(mocked: responses.RequestsMock, client: ApiClient) -> None:
    base = "http://localhost:3000"
    mocked.get(
        base + IS_CONNECTED_PATH,
        status=404,
        json={"message": "Cannot GET /is-connected", "statusCode": 404},
    )
    result = _check(mocked, client, base)
    assert result.status is Status.NOT_API
    assert "404" in result.message
    assert f"{base}/is-connected" in result.message
    assert result.suggested_base_url == "http://localhost:3000/api/public/v1"


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_redirect_is_reported_and_not_followed(
    mocked: responses.RequestsMock, client: ApiClient, code: int
) -> None:
    target = "https://elsewhere.example.net/api/public/v1/is-connected"
    mocked.get(URL, status=code, headers={"Location": target})
    mocked.get(target, json={"connected": True})
    result = _check(mocked, client)
    assert result.status is Status.REDIRECTED
    assert result.location == target
    assert target in result.message
    assert "never follows" in result.hint
    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.url == URL


def test_redirect_without_a_location() -> None:
    result = classify_answer(_answer(302), BASE)
    assert result.status is Status.REDIRECTED
    assert result.location is None


# --- rate limits -----------------------------------------------------------------------------


def test_429_with_retry_after_and_rate_limit_figures(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(
        URL,
        status=429,
        json={"statusCode": 429, "message": "ThrottlerException: Too Many Requests"},
        headers={
            "Retry-After": "1200",
            "X-RateLimit-Limit": "30",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "1200",
        },
    )
    result = _check(mocked, client)
    assert result.status is Status.RATE_LIMITED
    assert result.light is Light.AMBER
    assert not result.ok
    assert result.retry_at == result.checked_at + timedelta(seconds=1200)
    assert result.rate_limit == RateLimit(limit=30, remaining=0, reset_seconds=1200)
    assert "valid" in result.message
    assert "20 min" in result.message
    assert result.counted


@pytest.fixture
def kathmandu_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC+05:45 (no zone a test machine runs in), for the test only."""
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_retry_after_seconds_from_checked_at(kathmandu_time: None) -> None:
    result = classify_answer(_answer(429, {"Retry-After": " 90 "}), BASE, now=NOW)
    assert result.retry_at == NOW + timedelta(seconds=90)
    assert result.checked_at == NOW
    # in local time, as the window's status beside it says it ("again at 17:46"), with
    # its zone: the message is stored and may be read later under another zone
    assert "at 17:46 +0545." in result.message


def test_retry_after_as_an_http_date() -> None:
    answer = _answer(429, {"Retry-After": "Sat, 28 Nov 2026 12:30:00 GMT"})
    result = classify_answer(answer, BASE, now=NOW)
    assert result.retry_at == NOW + timedelta(minutes=30)
    assert "30 min" in result.message


def test_rate_limit_reset_is_used_without_retry_after() -> None:
    answer = _answer(429, {"X-RateLimit-Reset": "600", "X-RateLimit-Limit": "30"})
    result = classify_answer(answer, BASE, now=NOW)
    assert result.retry_at == NOW + timedelta(seconds=600)
    assert result.rate_limit == RateLimit(limit=30, remaining=None, reset_seconds=600)


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "soon"}, {"X-RateLimit-Reset": "-1"}])
def test_429_without_a_usable_time(headers: dict[str, str]) -> None:
    result = classify_answer(_answer(429, headers), BASE, now=NOW)
    assert result.status is Status.RATE_LIMITED
    assert result.retry_at is None
    assert "within the hour" in result.message


def test_rate_limit_figures_on_a_connected_answer() -> None:
    answer = _json_answer(
        200,
        {"connected": True},
        {"X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "29", "X-RateLimit-Reset": "3600"},
    )
    result = classify_answer(answer, BASE)
    assert result.status is Status.CONNECTED
    assert result.rate_limit == RateLimit(30, 29, 3600)


def test_bad_rate_limit_figures_are_ignored() -> None:
    answer = _json_answer(200, {"connected": True}, {"X-RateLimit-Limit": "thirty"})
    assert classify_answer(answer, BASE).rate_limit is None


_RETRY_BUG = (
    "BUG: _retry_at (classify.py) lets a Retry-After/X-RateLimit-Reset value crash "
    "classify_answer: huge seconds -> OverflowError (timedelta, or a date past year 9999); "
    "a non-ASCII digit such as '²' passes isdigit() but not int() -> ValueError"
)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Retry-After": "99999999999999"}, id="huge-retry-after"),
        pytest.param({"X-RateLimit-Reset": "99999999999999"}, id="huge-reset"),
        pytest.param({"Retry-After": "252000000000"}, id="past-year-9999"),
        pytest.param({"Retry-After": "\u00b2"}, id="superscript-digit"),
    ],
)
def test_odd_retry_values_do_not_crash(headers: dict[str, str]) -> None:
    result = classify_answer(_answer(429, headers), BASE, now=NOW)
    assert result.status is Status.RATE_LIMITED


def test_retry_after_date_with_minus_zero_zone() -> None:
    answer = _answer(429, {"Retry-After": "Sat, 28 Nov 2026 12:30:00 -0000"})
    result = classify_answer(answer, BASE, now=NOW)
    assert result.retry_at == NOW + timedelta(minutes=30)


def test_check_key_survives_an_odd_retry_after(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, status=429, headers={"Retry-After": "99999999999999"})
    result = check_key(client, BASE, KEY)
    assert result.status is Status.RATE_LIMITED


# --- server errors and other answers ---------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503, 504, 599])
def test_server_errors(mocked: responses.RequestsMock, client: ApiClient, code: int) -> None:
    mocked.get(URL, status=code, body="<html>Bad Gateway</html>", content_type="text/html")
    result = _check(mocked, client)
    assert result.status is Status.SERVER_ERROR
    assert str(code) in result.message
    assert "not your key" in result.hint


def test_402_is_unexpected_with_a_billing_hint(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    mocked.get(URL, status=402, json={"message": "Payment Required"})
    result = _check(mocked, client)
    assert result.status is Status.UNEXPECTED
    assert "402" in result.message
    assert "Payment Required" in result.message
    assert "billing" in result.hint


@pytest.mark.parametrize("code", [400, 405, 418, 451, 100, 199])
def test_other_codes_are_unexpected(code: int) -> None:
    result = classify_answer(_json_answer(code, {"error": "odd"}), BASE)
    assert result.status is Status.UNEXPECTED
    assert str(code) in result.message


# --- bodies ----------------------------------------------------------------------------------


def test_a_large_body_is_truncated_and_not_parsed(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    padding = "x" * (MAX_BODY_BYTES + 10_000)
    body = json.dumps({"connected": True, "padding": padding}).encode()
    mocked.get(URL, body=body, content_type="application/json")
    answer = client.get(BASE, IS_CONNECTED_PATH, KEY)
    assert answer.truncated
    assert len(answer.body) == MAX_BODY_BYTES
    result = check_key(client, BASE, KEY)
    assert not result.ok
    # A body claiming JSON that is too big to read is not known to be non-JSON (not_api):
    # it is an answer no Sipstory API gives.
    assert result.status is Status.UNEXPECTED
    assert "64 KiB" in result.message


def test_a_large_web_page_is_still_not_the_api() -> None:
    page = LOGIN_PAGE + b" " * MAX_BODY_BYTES
    answer = _answer(200, {"Content-Type": "text/html"}, page[:MAX_BODY_BYTES], truncated=True)
    assert classify_answer(answer, BASE).status is Status.NOT_API


def test_an_undecodable_body_is_unexpected() -> None:
    exc = requests.exceptions.ContentDecodingError("unsupported Content-Encoding: 'br'")
    result = classify_failure(exc, BASE, 15.0)
    assert result.status is Status.UNEXPECTED
    assert "Content-Encoding" in result.message


def test_a_body_of_exactly_the_limit_is_whole(
    mocked: responses.RequestsMock, client: ApiClient
) -> None:
    head = b'{"connected": true, "p": "'
    body = head + b"x" * (MAX_BODY_BYTES - len(head) - 2) + b'"}'
    assert len(body) == MAX_BODY_BYTES
    mocked.get(URL, body=body, content_type="application/json")
    answer = client.get(BASE, IS_CONNECTED_PATH, KEY)
    assert not answer.truncated
    assert classify_answer(answer, BASE).status is Status.CONNECTED


def test_truncated_flag_alone_prevents_parsing() -> None:
    answer = _answer(200, {"Content-Type": JSON}, b'{"connected": true}', truncated=True)
    assert classify_answer(answer, BASE).status is not Status.CONNECTED


def test_long_unexpected_json_is_cut_in_the_message() -> None:
    result = classify_answer(_json_answer(200, {"connected": False, "x": "y" * 1000}), BASE)
    assert result.status is Status.UNEXPECTED
    assert len(result.message) < 300


def test_json_with_a_huge_integer_does_not_crash() -> None:
    body = b'{"connected": ' + b"1" * 5000 + b"}"
    result = classify_answer(_answer(200, {"Content-Type": JSON}, body), BASE)
    assert not result.ok


# --- transport failures through responses ----------------------------------------------------


def _refused() -> requests.exceptions.ConnectionError:
    inner = urllib3.exceptions.NewConnectionError(
        None, "Failed to establish a new connection: [Errno 111] Connection refused"
    )
    inner.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, URL, inner)  # type: ignore[arg-type]
    )


def _dns_failure() -> requests.exceptions.ConnectionError:
    inner = urllib3.exceptions.NameResolutionError(
        "sipstory.example.com", None, socket.gaierror(-2, "Name or service not known")
    )
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, URL, inner)  # type: ignore[arg-type]
    )


def _reset() -> requests.exceptions.ConnectionError:
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError(
            "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")
        )
    )


@pytest.mark.parametrize(
    ("exc", "status", "words"),
    [
        (_refused(), Status.UNREACHABLE, "refused"),
        (_dns_failure(), Status.UNREACHABLE, "could not be found"),
        (_reset(), Status.UNREACHABLE, "cut"),
        (requests.exceptions.ConnectionError("no route"), Status.UNREACHABLE, "Cannot connect"),
        (requests.exceptions.ConnectTimeout("slow"), Status.TIMEOUT, "No answer"),
        (requests.exceptions.ReadTimeout("slow"), Status.TIMEOUT, "No answer"),
        (
            requests.exceptions.SSLError(
                ssl.SSLCertVerificationError(
                    1, "certificate verify failed: certificate has expired"
                )
            ),
            Status.TLS_ERROR,
            "expired",
        ),
        (
            requests.exceptions.SSLError("hostname 'x' doesn't match 'y'"),
            Status.TLS_ERROR,
            "TLS",
        ),
        (requests.exceptions.ChunkedEncodingError("cut"), Status.UNREACHABLE, "cut"),
        (requests.exceptions.InvalidURL("bad"), Status.UNEXPECTED, "InvalidURL"),
    ],
)
def test_transport_failures(
    mocked: responses.RequestsMock,
    client: ApiClient,
    exc: Exception,
    status: Status,
    words: str,
) -> None:
    mocked.get(URL, body=exc)
    result = _check(mocked, client)
    assert result.status is status
    assert words in result.message
    assert result.http_status is None
    assert result.hint
    assert not result.ok


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (ssl.SSLCertVerificationError(1, "self-signed certificate in chain"), "self-signed"),
        (ssl.SSLCertVerificationError(1, "unable to get local issuer certificate"), "authority"),
        (ssl.SSLError(1, "IP address mismatch"), "another host"),
        (ssl.SSLError(1, "sslv3 alert handshake failure"), "handshake"),
    ],
)
def test_tls_reasons(exc: Exception, words: str) -> None:
    result = classify_failure(requests.exceptions.SSLError(exc), BASE, 15.0)
    assert result.status is Status.TLS_ERROR
    assert words in result.message
    assert "trust store" in result.hint


def test_deadline_is_a_timeout() -> None:
    result = classify_failure(DeadlineExceeded("too slow"), BASE, 15.0, latency_ms=15_000)
    assert result.status is Status.TIMEOUT
    assert "15 s" in result.message
    assert result.latency_ms == 15_000


def test_refused_on_this_machine_suggests_starting_the_instance() -> None:
    local = classify_failure(_refused(), "http://localhost:4007/api/public/v1", 15.0)
    remote = classify_failure(_refused(), BASE, 15.0)
    assert "docker compose" in local.hint
    assert "docker compose" not in remote.hint
    assert "localhost:4007" in local.message


PROXY = "http://ann-user:s3cret@proxy.corp.example:3128"


def _proxy_failed(inner: BaseException) -> requests.exceptions.ProxyError:
    """What requests raises when the proxy fails (the shape seen through a real proxy)."""
    reason = urllib3.exceptions.ProxyError("Unable to connect to proxy", inner)
    return requests.exceptions.ProxyError(
        urllib3.exceptions.MaxRetryError(None, URL, reason)  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("exc", "status", "words"),
    [
        (OSError("Tunnel connection failed: 403 Forbidden"), Status.UNREACHABLE, "rules"),
        (OSError("Tunnel connection failed: 407 Proxy Authentication Required"), None, "login"),
        (OSError("Tunnel connection failed: 502 Bad Gateway"), None, "could not reach"),
        (ConnectionRefusedError(111, "Connection refused"), None, "connection refused"),
        (socket.gaierror(-2, "Name or service not known"), None, "host name"),
        (TimeoutError("timed out"), Status.TIMEOUT, "No answer from the proxy"),
        (
            ssl.SSLCertVerificationError(1, "unable to get local issuer certificate"),
            Status.TLS_ERROR,
            "proxy's certificate",
        ),
    ],
)
def test_a_failing_proxy_is_named_without_its_login(
    exc: BaseException, status: Status | None, words: str
) -> None:
    result = classify_failure(_proxy_failed(exc), BASE, 15.0, proxy=PROXY)
    assert result.status is (status or Status.UNREACHABLE)
    assert "proxy.corp.example:3128" in result.message
    shown = result.message + result.hint
    assert words in shown
    assert "HTTPS_PROXY" in result.hint
    assert "s3cret" not in shown and "ann-user" not in shown
    assert not result.counted  # the server never saw the request


def test_through_a_proxy_tls_and_timeouts_of_the_server_name_the_proxy() -> None:
    tls = requests.exceptions.SSLError(
        ssl.SSLCertVerificationError(1, "unable to get local issuer certificate")
    )
    inspected = classify_failure(tls, BASE, 15.0, proxy=PROXY)
    assert inspected.status is Status.TLS_ERROR
    assert "sipstory.example.com through the proxy proxy.corp.example:3128" in inspected.message
    assert "inspects TLS" in inspected.hint
    slow = classify_failure(requests.exceptions.ReadTimeout("slow"), BASE, 15.0, proxy=PROXY)
    assert "through the proxy proxy.corp.example:3128" in slow.message
    unusable = classify_failure(requests.exceptions.InvalidURL("bad"), BASE, 15.0, proxy="h:1:2")
    assert "The proxy h:1:2 is not a URL" in unusable.message
    socks = requests.exceptions.InvalidSchema("Missing dependencies for SOCKS support.")
    assert "SOCKS" in classify_failure(socks, BASE, 15.0, proxy="socks5://h:1080").message


# --- transport failures over real sockets ----------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.close()


@pytest.mark.usefixtures("no_proxy")
def test_real_connection_refused() -> None:
    base = f"http://127.0.0.1:{closed_port()}/api/public/v1"
    result = check_key(ApiClient(Timeouts(2.0, 2.0)), base, KEY)
    assert result.status is Status.UNREACHABLE
    assert "refused" in result.message
    assert "running" in result.hint
    assert not result.counted


@pytest.mark.usefixtures("no_proxy")
def test_real_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = check_key(ApiClient(Timeouts(2.0, 2.0)), "https://no-such-host.invalid", KEY)
    assert result.status is Status.UNREACHABLE
    assert "no-such-host.invalid" in result.message
    assert "could not be found" in result.message


@pytest.mark.usefixtures("no_proxy")
def test_real_read_timeout(listener: socket.socket) -> None:
    """The kernel accepts the connection; nobody ever answers."""
    port = listener.getsockname()[1]
    client = ApiClient(Timeouts(connect=2.0, read=0.3))
    result = check_key(client, f"http://127.0.0.1:{port}", KEY)
    assert result.status is Status.TIMEOUT
    assert "within 0.3 s" in result.message  # the read timeout that ran out, not 2.3 s
    assert result.counted  # the request may have reached the server


def _serve_once(listener: socket.socket, reply: bytes | None) -> threading.Thread:
    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(4096)
                if reply is None:  # reset: close with an RST
                    conn.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                else:
                    conn.sendall(reply)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.mark.usefixtures("no_proxy")
def test_real_connection_cut(listener: socket.socket) -> None:
    thread = _serve_once(listener, None)
    port = listener.getsockname()[1]
    result = check_key(ApiClient(Timeouts(2.0, 2.0)), f"http://127.0.0.1:{port}", KEY)
    thread.join(5)
    assert result.status is Status.UNREACHABLE
    assert "cut" in result.message


@pytest.mark.usefixtures("no_proxy")
def test_real_tls_failure_against_a_plain_http_server(listener: socket.socket) -> None:
    thread = _serve_once(listener, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    port = listener.getsockname()[1]
    result = check_key(ApiClient(Timeouts(2.0, 2.0)), f"https://127.0.0.1:{port}", KEY)
    thread.join(5)
    assert result.status is Status.TLS_ERROR
    assert "127.0.0.1" in result.message
    assert not result.counted


@pytest.mark.usefixtures("no_proxy")
def test_real_answer_over_a_socket(listener: socket.socket) -> None:
    body = b'{"connected":true}'
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    thread = _serve_once(listener, reply)
    port = listener.getsockname()[1]
    result = check_key(ApiClient(Timeouts(2.0, 2.0)), f"http://127.0.0.1:{port}", KEY)
    thread.join(5)
    assert result.status is Status.CONNECTED


# --- counted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "counted"),
    [
        (CheckResult(Status.CONNECTED, "", http_status=200), True),
        (CheckResult(Status.RATE_LIMITED, "", http_status=429), True),
        (CheckResult(Status.NOT_API, "", http_status=404), False),
        (CheckResult(Status.NOT_API, "", http_status=200), False),
        (CheckResult(Status.REDIRECTED, "", http_status=301), False),
        (CheckResult(Status.SERVER_ERROR, "", http_status=500), True),
        (CheckResult(Status.TIMEOUT, ""), True),
        (CheckResult(Status.INVALID_KEY, "", http_status=401), False),
        (CheckResult(Status.NO_SUBSCRIPTION, "", http_status=401), False),
        (CheckResult(Status.INVALID_KEY, "", http_status=403), False),
        (CheckResult(Status.UNREACHABLE, ""), False),
        (CheckResult(Status.TLS_ERROR, ""), False),
        (CheckResult(Status.NO_SECRET, "", request_sent=False), False),
        (CheckResult(Status.KEYRING_ERROR, "", request_sent=False), False),
    ],
)
def test_counted(result: CheckResult, counted: bool) -> None:
    assert result.counted is counted


def test_lights_and_labels_cover_every_status() -> None:
    assert {s.light for s in Status} == {Light.GREEN, Light.AMBER, Light.RED, Light.GREY}
    assert Status.UNCHECKED.light is Light.GREY
    assert all(s.label for s in Status)
    assert len({s.label for s in Status}) == len(Status)


def test_result_to_dict_has_the_public_fields() -> None:
    result = classify_answer(_json_answer(200, {"connected": True}), BASE, now=NOW)
    data = result.to_dict()
    assert data["status"] == "connected"
    assert data["ok"] is True
    assert data["http_status"] == 200
    assert data["latency_ms"] == 12
    assert data["checked_at"] == "2026-11-28T12:00:00Z"
    assert CheckResult.from_dict(data) == result


# --- text from the server --------------------------------------------------------------------
# A regression test of a bug the fuzz tests found: classify.py put server-controlled text
# (the 'msg'/'message'/'error' of a 4xx body, the Location header, the Content-Type) into
# CheckResult.message/location unfiltered and uncut, so terminal escape sequences reached
# `sipstory-keys check` output and state.json, and a 60 KB 'msg' was kept whole in every
# result (find_url and channels cleaned the same kind of text with _clean).

_JSON_TYPE = {"Content-Type": "application/json"}
SERVER_TEXT_CASES = {
    "401 msg with an escape sequence": _answer(
        401, _JSON_TYPE, json.dumps({"msg": "\x1b[2J\x1b[31mEVIL\x1b[0m"}).encode()
    ),
    "403 message of 60 KB": _answer(
        403, _JSON_TYPE, json.dumps({"message": "A" * 60_000}).encode()
    ),
    "402 error with a bidi override": _answer(
        402, _JSON_TYPE, json.dumps({"error": "pay \u202eecnalab"}).encode()
    ),
    "302 Location with an escape sequence": _answer(
        302, {"Location": "https://elsewhere.example/\x1b[31mred\x1b[0m"}
    ),
    "200 with an escape sequence in the content type": _answer(
        200, {"Content-Type": "text/\x1b[31mplain"}, b"OK"
    ),
}


@pytest.mark.parametrize("case", list(SERVER_TEXT_CASES))
def test_server_text_in_a_check_result_is_clean_and_short(case: str) -> None:
    result = classify_answer(SERVER_TEXT_CASES[case], BASE, now=NOW)
    for text in (result.message, result.hint, result.location or ""):
        assert is_clean_text(text), "control characters from the server are kept"
        assert len(text) <= 1000, "the server's text is kept whole"


# --- any answer ------------------------------------------------------------------------------
# classify_answer (and the keyless probe's classify_probe) on any status, headers and body
# never raises, always gives a Status, and ``connected`` only for 200 with a JSON content
# type and ``connected: true``.

_numbers = st.integers(-10, 10**20).map(str)
# HTTP-dates in GMT and in the zone-less '-0000' form
_http_dates = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 1)).flatmap(
    lambda d: st.sampled_from(
        [d.strftime("%a, %d %b %Y %H:%M:%S GMT"), d.strftime("%a, %d %b %Y %H:%M:%S -0000")]
    )
)
# Header values: any text (odd digits such as '²' included), numbers far too large for a
# timedelta, and HTTP-dates.
_headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Type": content_types,
        "Retry-After": st.one_of(_numbers, _http_dates, header_text),
        "X-RateLimit-Limit": st.one_of(_numbers, header_text),
        "X-RateLimit-Remaining": st.one_of(_numbers, header_text),
        "X-RateLimit-Reset": st.one_of(_numbers, header_text),
        "Location": st.one_of(st.just("https://elsewhere.example/api/public/v1"), header_text),
    },
)
_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(serialized),
    wide_json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"connected": st.one_of(st.just(True), json_values)},
        optional={"msg": json_values, "message": json_values, "error": json_values},
    ).map(serialized),
    st.sampled_from(
        [
            b'{"connected": true}',
            b'{"connected": false}',
            b'{"connected": "true"}',
            b'{"connected": 1}',
            b'{"msg": "Invalid API key"}',
            b'{"msg": "No subscription found"}',
            b'{"msg": "No API Key found"}',
            b"<!DOCTYPE html><html></html>",
            b"",
            b"null",
            b"[" * 3000,
            b'{"connected": true, "connected": false}',
            b'\xef\xbb\xbf{"connected": true}',
            b'{"connected": NaN}',
        ]
    ),
)
_CLOUD = "https://api.sipstory.tech/public/v1"


def _should_connect(status: int, headers: dict[str, str], body: bytes, truncated: bool) -> bool:
    """The rule of design.md, independently: 200, JSON, ``connected`` is true."""
    kind = CaseInsensitiveDict(headers).get("Content-Type", "").split(";")[0].strip().lower()
    if status != 200 or "json" not in kind or truncated:
        return False
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("connected") is True


_json_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON ; q=1",
        "application/problem+json",
        "text/json",
        "text/plain",
        "text/html",
        "",
    ]
)
_near_connected = st.fixed_dictionaries(
    {
        "status": st.sampled_from([200, 200, 200, 201, 204, 299]),
        "headers": st.fixed_dictionaries({"Content-Type": _json_types}),
        "body": st.one_of(
            st.sampled_from(
                [
                    b'{"connected": true}',
                    b'{"connected":true,"x":1}',
                    b'{"connected": false}',
                    b'{"connected": "true"}',
                    b"true",
                    b'[{"connected": true}]',
                    b'{"connected": true',
                ]
            ),
            st.fixed_dictionaries(
                {"connected": st.one_of(st.just(True), json_scalars)},
                optional={"msg": json_scalars},
            ).map(serialized),
        ),
        "truncated": st.sampled_from([False, False, False, True]),
    }
)
_answers = st.one_of(
    st.fixed_dictionaries(
        {"status": statuses, "headers": _headers, "body": _bodies, "truncated": st.booleans()}
    ),
    _near_connected,
)
_PROBE_ONLY = (ProbeOutcome.UNREACHABLE, ProbeOutcome.TIMEOUT, ProbeOutcome.TLS_ERROR)


@FUZZ
@given(answer=_answers, base=base_urls)
@example(
    {
        "status": 200,
        "headers": {"Content-Type": "application/json"},
        "body": b'{"connected": true}',
        "truncated": False,
    },
    _CLOUD,
)
@example(
    {
        "status": 200,
        "headers": {"Content-Type": "text/plain"},
        "body": b'{"connected": true}',
        "truncated": False,
    },
    _CLOUD,
)
@example(
    {
        "status": 429,
        "headers": {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"},
        "body": b"",
        "truncated": False,
    },
    _CLOUD,
)
def test_classify_answer_never_raises_and_connects_only_as_designed(
    answer: dict[str, Any], base: str
) -> None:
    status, headers, body, truncated = (
        answer["status"],
        answer["headers"],
        answer["body"],
        answer["truncated"],
    )
    seen = _answer(status, headers, body, truncated)
    result = classify_answer(seen, base, now=NOW)
    event(result.status.value)
    assert isinstance(result.status, Status)
    assert result.status is not Status.UNCHECKED
    assert result.message
    assert result.http_status == status
    assert (result.status is Status.CONNECTED) == _should_connect(status, headers, body, truncated)
    assert result.ok == (result.status is Status.CONNECTED)
    if 300 <= status < 400:
        assert result.status is Status.REDIRECTED
    if 500 <= status < 600:
        assert result.status is Status.SERVER_ERROR
    if status == 429:
        assert result.status is Status.RATE_LIMITED
    if status in (401, 403):
        assert result.status in (Status.INVALID_KEY, Status.NO_SUBSCRIPTION)
        assert not result.counted
    if result.retry_at is not None:
        assert result.retry_at >= NOW
    # a result can always be stored in state.json and read back
    assert CheckResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    # the keyless probe of find-url reads the same answers without raising, and agrees
    outcome, detail = classify_probe(seen)
    assert detail
    assert outcome not in _PROBE_ONLY  # outcomes of a request that got no answer
    if 300 <= status < 400:
        assert outcome is ProbeOutcome.REDIRECT
    if result.ok:
        assert outcome is ProbeOutcome.SIPSTORY
